import { readFile } from 'node:fs/promises';
import { parse as parseCsv } from 'csv-parse/sync';

/**
 * Reads weekly exchange-rate tables into the rows that `validateExchangeRates` checks
 * (`currency, weekStarting, krwPerUnit, unit`). Two CSV layouts are accepted (docs/clearance.md):
 * our own header, and the table as the customs service publishes it, with Korean headers
 * (`통화부호`, `과세환율`, `적용시작일`, ...), dates written `2026.11.15` or `20261115`, and the quotation
 * unit inside the currency cell (`JPY(100)`).
 */

/** Header names of each field, lower-cased and without spaces, in both layouts. */
const HEADER_ALIASES: Record<'currency' | 'weekStarting' | 'krwPerUnit' | 'unit', readonly string[]> = {
  currency: ['currency', 'currencycode', '통화부호', '통화코드', '통화'],
  weekStarting: [
    'weekstarting',
    'effectivefrom',
    '적용시작일',
    '적용개시일',
    '적용개시일자',
    '적용시작일자',
    '적용일자',
  ],
  krwPerUnit: ['krwperunit', 'rate', '과세환율', '환율'],
  unit: ['unit', '단위', '통화단위'],
};

export class ExchangeRateFileError extends Error {}

function fieldOfHeader(header: string): string {
  const bare = header.replace(/\s+/g, '').toLowerCase();
  for (const [field, aliases] of Object.entries(HEADER_ALIASES)) if (aliases.includes(bare)) return field;
  return header;
}

/** `2026.11.15`, `2026/11/15`, `20261115` and `2026-11-15` are one date. */
function isoDateOf(value: unknown): unknown {
  if (typeof value !== 'string') return value;
  const text = value.trim();
  const match = /^(\d{4})[.\-/]?(\d{2})[.\-/]?(\d{2})\.?$/.exec(text);
  return match ? `${match[1]}-${match[2]}-${match[3]}` : text;
}

/** `JPY(100)` or `JPY 100` carries the quotation unit in the currency cell. */
function splitCurrencyUnit(row: Record<string, unknown>): Record<string, unknown> {
  if (typeof row.currency !== 'string') return row;
  const match = /^([A-Za-z]{3})\s*\(?\s*(\d+)\s*\)?$/.exec(row.currency.trim());
  if (!match) return row;
  return {
    ...row,
    currency: match[1],
    unit: row.unit === undefined || row.unit === '' ? match[2] : row.unit,
  };
}

/** The rows of a CSV rate table in either layout; throws ExchangeRateFileError when it is not CSV. */
export function exchangeRateRowsOfCsv(text: string): Record<string, unknown>[] {
  let records: Record<string, unknown>[];
  try {
    records = parseCsv(text, {
      columns: (headers: string[]) => headers.map(fieldOfHeader),
      skip_empty_lines: true,
      trim: true,
      bom: true,
    }) as Record<string, unknown>[];
  } catch (error) {
    throw new ExchangeRateFileError(`The rate file is not valid CSV: ${(error as Error).message}`);
  }
  return records.map((record) => {
    const row = splitCurrencyUnit(record);
    return { ...row, weekStarting: isoDateOf(row.weekStarting) };
  });
}

/**
 * Reads a weekly exchange-rate file: a JSON array (or `{"rates": [...]}`) when the name ends in .json,
 * otherwise CSV in either layout. Validation happens in the service, all rows or none.
 */
export async function readExchangeRateFile(path: string): Promise<Record<string, unknown>[]> {
  const text = await readFile(path, 'utf8');
  if (path.toLowerCase().endsWith('.json')) {
    const parsed: unknown = JSON.parse(text);
    if (Array.isArray(parsed)) return parsed as Record<string, unknown>[];
    if (parsed && typeof parsed === 'object' && Array.isArray((parsed as { rates?: unknown }).rates))
      return (parsed as { rates: Record<string, unknown>[] }).rates;
    throw new ExchangeRateFileError(`${path}: expected an array of rates or {"rates": [...]}`);
  }
  return exchangeRateRowsOfCsv(text);
}
