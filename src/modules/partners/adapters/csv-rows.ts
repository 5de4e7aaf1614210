import { parse } from 'csv-parse/sync';

/**
 * Rows of a CSV document with a header line, as objects keyed by the header's column names (trimmed);
 * a malformed document throws with the parser's line number in its message.
 */
export function readCsvRows(text: string): Record<string, string>[] {
  return parse(text.replace(/^\uFEFF/, ''), {
    columns: (header: string[]) => header.map((name) => name.trim()),
    skip_empty_lines: true,
    trim: true,
    relax_column_count: false,
  }) as Record<string, string>[];
}
