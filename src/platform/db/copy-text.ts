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
  // Joined from an array rather than appended to: the row is one flat string, not a chain of its pieces
  // (bulk imports hold thousands of rows until their batch is written).
  if (values.length === 0) return '\n';
  const fields = new Array<string>(values.length);
  for (let index = 0; index < values.length; index++) {
    const value = values[index];
    if (value === null || value === undefined) {
      fields[index] = '\\N';
      continue;
    }
    const text = String(value);
    fields[index] = NEEDS_ESCAPING.test(text)
      ? text.replace(/[\\\t\n\r]/g, (character) => ESCAPES[character]!)
      : text;
  }
  fields[values.length - 1] += '\n';
  return fields.join('\t');
}
