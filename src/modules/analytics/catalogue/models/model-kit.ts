/**
 * What the catalogue's models share: localised sentences with figures, the columns and parameters many
 * of them show, numbers read back from either engine, and the period filter. Kept here so that each
 * model file holds only its question, its SQL and its scoring.
 */
import { sql, type RawBuilder } from 'kysely';
import { fillTemplate } from '../../../../platform/i18n/locale.js';
import type {
  ChartSpec,
  EntityScore,
  LocalisedText,
  ModelResult,
  ModelRunContext,
  NumberParameter,
  ParameterSpec,
  ResultColumn,
} from '../analytical-model.js';

export function text(en: string, ko: string, fr: string): LocalisedText {
  return { en, ko, fr };
}

/** A sentence in each language with its `{placeholders}` filled; numbers are written with digit groups. */
export function say(template: LocalisedText, params: Record<string, unknown>): LocalisedText {
  return {
    en: fillTemplate(template.en, params),
    ko: fillTemplate(template.ko, params),
    fr: fillTemplate(template.fr, params).replace(/(\d),(\d{3})/g, '$1\u202f$2'),
  };
}

/** PostgreSQL returns numeric and bigint as strings, PGlite sometimes as numbers: one reading for both. */
export function num(value: unknown): number {
  if (value === null || value === undefined) return 0;
  return typeof value === 'number' ? value : Number(value);
}

export function round(value: number, digits = 2): number {
  const factor = 10 ** digits;
  return Math.round(value * factor) / factor;
}

/** The run's period on a date column: `to` is inclusive. */
export function inPeriod(column: string, context: Pick<ModelRunContext, 'from' | 'to'>): RawBuilder<unknown> {
  return sql`${sql.ref(column)} between ${context.from}::date and ${context.to}::date`;
}

export function numberParameter(
  name: string,
  label: LocalisedText,
  defaultValue: number,
  min: number,
  max: number,
  type: NumberParameter['type'] = 'number',
): NumberParameter {
  return { name, label, type, default: defaultValue, min, max };
}

/** Parameters several models take, with the same wording everywhere. */
export const commonParameters = {
  minParcels: (defaultValue: number, max = 1000): ParameterSpec =>
    numberParameter(
      'min_parcels',
      text('Minimum parcels per entity', '개체별 최소 화물 수', 'Colis minimum par entité'),
      defaultValue,
      1,
      max,
      'integer',
    ),
  limit: (defaultValue = 200): ParameterSpec =>
    numberParameter(
      'limit',
      text('Rows shown at most', '최대 표시 행 수', 'Lignes affichées au plus'),
      defaultValue,
      10,
      5000,
      'integer',
    ),
  minScore: (defaultValue: number, max = 100): ParameterSpec =>
    numberParameter(
      'min_score',
      text('Score cut-off', '점수 기준값', 'Seuil de score'),
      defaultValue,
      0,
      max,
    ),
};

const columnLabels = {
  tracking_number: text('Tracking number', '운송장 번호', 'Numéro de suivi'),
  seller_key: text('Seller', '판매자', 'Vendeur'),
  pccc: text('PCCC', '개인통관고유부호', 'PCCC'),
  carrier_code: text('Carrier', '운송사', 'Transporteur'),
  arrival_date: text('Arrival', '도착일', 'Arrivée'),
  hs6: text('HS6', 'HS6', 'SH6'),
  origin_country: text('Origin', '원산지', 'Origine'),
  description: text('Description', '품명', 'Désignation'),
  parcels: text('Parcels', '화물 수', 'Colis'),
  declared_krw: text('Declared (KRW)', '신고가격(원)', 'Déclaré (KRW)'),
  paid_krw: text('Paid (KRW)', '결제금액(원)', 'Payé (KRW)'),
  gap_krw: text('Gap (KRW)', '차액(원)', 'Écart (KRW)'),
  ratio: text('Declared / paid', '신고/결제 비율', 'Déclaré / payé'),
  z: text('Robust z', '로버스트 z', 'z robuste'),
  peer_median_krw: text('Peer median (KRW)', '동종 중앙값(원)', 'Médiane des pairs (KRW)'),
  peer_n: text('Peers', '비교 건수', 'Pairs'),
  share: text('Share flagged', '적발 비율', 'Part signalée'),
  score: text('Score', '점수', 'Score'),
  reasons: text('Reasons', '사유', 'Motifs'),
} satisfies Record<string, LocalisedText>;
export type CommonColumn = keyof typeof columnLabels;

/** A column of the shared dictionary, or one with its own label. */
export function column(key: CommonColumn, type: ResultColumn['type']): ResultColumn;
export function column(key: string, type: ResultColumn['type'], label: LocalisedText): ResultColumn;
export function column(key: string, type: ResultColumn['type'], label?: LocalisedText): ResultColumn {
  return { key, type, label: label ?? columnLabels[key as CommonColumn] };
}

/** Counts of values in bins of `width` starting at `start`, as chart points labelled by the bin's start. */
export function histogramPoints(values: readonly number[], start: number, width: number, bins: number) {
  const counts = new Array<number>(bins).fill(0);
  for (const value of values) {
    const bin = Math.min(bins - 1, Math.max(0, Math.floor((value - start) / width)));
    counts[bin]!++;
  }
  return counts.map((count, index) => ({ x: round(start + index * width, 3), y: count }));
}

/** A bar chart of the top entities' scores, the chart most entity rankings show. */
export function rankingChart(
  title: LocalisedText,
  entityLabel: LocalisedText,
  rows: readonly { key: string; score: number }[],
  shown = 20,
): ChartSpec {
  return {
    kind: 'bar',
    title,
    x: { key: 'entity', label: entityLabel },
    y: { key: 'score', label: columnLabels.score },
    points: rows.slice(0, shown).map((row) => ({ x: row.key, y: round(row.score, 3) })),
  };
}

export const labels = columnLabels;

/** What a ranking model says about each entity it considered. */
export interface RankingSpec<Row> {
  rows: readonly Row[];
  kind: EntityScore['kind'];
  key: (row: Row) => string;
  score: (row: Row) => number;
  minScore: number;
  limit: number;
  evidence: LocalisedText;
  columns: ResultColumn[];
  /** The row's cells for the table, also the figures its evidence sentence names. */
  cells: (row: Row) => Record<string, string | number | null>;
  chartTitle: LocalisedText;
  entityLabel: LocalisedText;
}

/** The result of a model that ranks entities: those at or above the cut-off, their table, evidence and chart. */
export function rankingResult<Row>(spec: RankingSpec<Row>): ModelResult {
  const ranked = spec.rows
    .map((row) => ({ row, key: spec.key(row), score: round(spec.score(row), 3) }))
    .filter((entry) => entry.score >= spec.minScore)
    .sort((a, b) => b.score - a.score);
  const entities: EntityScore[] = ranked.map((entry) => ({
    kind: spec.kind,
    key: entry.key,
    score: entry.score,
    evidence: [say(spec.evidence, spec.cells(entry.row))],
  }));
  return {
    columns: [...spec.columns, column('score', 'number')],
    rows: ranked.slice(0, spec.limit).map((entry) => ({ ...spec.cells(entry.row), score: entry.score })),
    entities,
    chart: rankingChart(spec.chartTitle, spec.entityLabel, entities),
    summary: say(
      text(
        '{considered} considered; {flagged} at or above the cut-off',
        '검토 {considered}건; 기준 이상 {flagged}건',
        '{considered} examinés ; {flagged} au niveau du seuil ou au-dessus',
      ),
      { considered: spec.rows.length, flagged: ranked.length },
    ),
  };
}
