/** A value as COPY's text format takes it: null, or anything written with `String()`. */
export type CopyValue = string | number | boolean | null | undefined;

const NEEDS_ESCAPING = /[\\\t\n\r]/;
const ESCAPES: Record<string, string> = { '\\': '\\\\', '\t': '\\t', '\n': '\\n', '\r': '\\r' };

/**
 * One row of `COPY ... FROM STDIN` in PostgreSQL's text format: values separated by tabs, `\N` for null
 * (and undefined), backslash, tab and line breaks escaped, ending with a newline. Objects are not
 * accepted: write jsonb columns with `JSON.stringify` first.
 */
export function copyTextRow(values: readonly CopyValue[]): string {
  let row = '';
  for (let index = 0; index < values.length; index++) {
    if (index > 0) row += '\t';
    const value = values[index];
    if (value === null || value === undefined) {
      row += '\\N';
      continue;
    }
    const text = String(value);
    row += NEEDS_ESCAPING.test(text) ? text.replace(/[\\\t\n\r]/g, (character) => ESCAPES[character]!) : text;
  }
  return `${row}\n`;
}
