import { readFile } from 'node:fs/promises';
import { parse as parseCsv } from 'csv-parse/sync';

/**
 * Reads a weekly exchange-rate file as rows for `ClearanceService.loadExchangeRates`: a JSON array (or
 * `{"rates": [...]}`) when the name ends in .json, otherwise CSV with the header
 * `currency,weekStarting,krwPerUnit[,unit]`. Validation happens in the service, all rows or none.
 */
export async function readExchangeRateFile(path: string): Promise<Record<string, unknown>[]> {
  const text = await readFile(path, 'utf8');
  if (path.toLowerCase().endsWith('.json')) {
    const parsed: unknown = JSON.parse(text);
    if (Array.isArray(parsed)) return parsed as Record<string, unknown>[];
    if (parsed && typeof parsed === 'object' && Array.isArray((parsed as { rates?: unknown }).rates))
      return (parsed as { rates: Record<string, unknown>[] }).rates;
    throw new Error(`${path}: expected an array of rates or {"rates": [...]}`);
  }
  return parseCsv(text, { columns: true, skip_empty_lines: true, trim: true, bom: true }) as Record<
    string,
    unknown
  >[];
}
