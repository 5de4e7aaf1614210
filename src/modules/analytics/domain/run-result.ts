import { stringify } from 'csv-stringify/sync';
import type { Locale } from '../../../platform/i18n/locale.js';
import type { LocalisedText, ModelResult } from '../catalogue/analytical-model.js';

/** A stored model result in one reader's language: every localised text replaced by the reader's sentence. */
export interface LocalisedResult {
  columns: { key: string; label: string; type: ModelResult['columns'][number]['type'] }[];
  rows: ModelResult['rows'];
  entities: { kind: string; key: string; score: number; evidence: string[] }[];
  chart: {
    kind: string;
    title: string;
    x: { key: string; label: string };
    y: { key: string; label: string };
    points: { x: string | number; y: number; series?: string }[];
  } | null;
  summary: string | null;
}

export function localiseResult(result: ModelResult, locale: Locale): LocalisedResult {
  const say = (text: LocalisedText) => text[locale] ?? text.en;
  return {
    columns: result.columns.map((column) => ({
      key: column.key,
      label: say(column.label),
      type: column.type,
    })),
    rows: result.rows,
    entities: result.entities.map((entity) => ({
      kind: entity.kind,
      key: entity.key,
      score: entity.score,
      evidence: entity.evidence.map(say),
    })),
    chart: result.chart
      ? {
          kind: result.chart.kind,
          title: say(result.chart.title),
          x: { key: result.chart.x.key, label: say(result.chart.x.label) },
          y: { key: result.chart.y.key, label: say(result.chart.y.label) },
          points: result.chart.points,
        }
      : null,
    summary: result.summary ? say(result.summary) : null,
  };
}

/**
 * The result's table as CSV with the reader's column labels (a byte-order mark so that spreadsheet
 * programs read Korean correctly); the evidence of each row's entity, when it has one, in a last column.
 */
export function resultAsCsv(result: LocalisedResult, evidenceLabel: string): string {
  const entityColumn = result.columns.find((column) => column.type === 'entity');
  const evidence = new Map(result.entities.map((entity) => [entity.key, entity.evidence.join(' / ')]));
  const header = [...result.columns.map((column) => column.label), ...(entityColumn ? [evidenceLabel] : [])];
  const rows = result.rows.map((row) => [
    ...result.columns.map((column) => row[column.key] ?? ''),
    ...(entityColumn ? [evidence.get(String(row[entityColumn.key])) ?? ''] : []),
  ]);
  return stringify([header, ...rows], { bom: true });
}

/** Rows kept with a stored run: enough for any reader, bounded so that one run cannot fill the database. */
export const STORED_ROW_LIMIT = 5_000;

export function boundResult(result: ModelResult): { result: ModelResult; truncated: boolean } {
  const truncated = result.rows.length > STORED_ROW_LIMIT || result.entities.length > STORED_ROW_LIMIT;
  return {
    result: {
      ...result,
      rows: result.rows.slice(0, STORED_ROW_LIMIT),
      entities: [...result.entities].sort((a, b) => b.score - a.score).slice(0, STORED_ROW_LIMIT),
    },
    truncated,
  };
}
