/**
 * What every piece of text that enters the system must be, whichever route or file brings it: text a
 * person could have typed. NUL and other control characters (PostgreSQL refuses NUL outright, and the
 * others hide text from the people who read it), UTF-16 halves without their pair (no UTF-8 spelling
 * exists for them), and U+FFFD, the mark a decoder leaves where the bytes were not UTF-8, are refused
 * with the position of the first one, so that nothing is stored as mojibake or fails at the database.
 */
export interface TextProblem {
  rule: 'control-character' | 'lone-surrogate' | 'invalid-utf-8';
  message: string;
}

// Tab, line feed and carriage return are the only control characters of ordinary multi-line text.
const FORBIDDEN =
  /[\u0000-\u0008\u000B\u000C\u000E-\u001F\u007F-\u009F\uFFFD]|[\uD800-\uDBFF](?![\uDC00-\uDFFF])|(?<![\uD800-\uDBFF])[\uDC00-\uDFFF]/;

/** The first reason why `value` is not acceptable text, or undefined. */
export function textProblem(value: string): TextProblem | undefined {
  const match = FORBIDDEN.exec(value);
  if (!match) return undefined;
  const character = match[0];
  const code = character.charCodeAt(0);
  const at = `at character ${match.index + 1}`;
  if (code === 0xfffd)
    return {
      rule: 'invalid-utf-8',
      message: `is not valid UTF-8 (a replacement character U+FFFD stands ${at}); send the text encoded as UTF-8`,
    };
  if (code >= 0xd800 && code <= 0xdfff)
    return {
      rule: 'lone-surrogate',
      message: `holds half of a UTF-16 surrogate pair (U+${hex(code)}) ${at}, which no text can contain`,
    };
  return {
    rule: 'control-character',
    message: `must not contain the control character U+${hex(code)} (${at})`,
  };
}

/** Problems of the strings anywhere inside a parsed JSON value, with their JSON-pointer paths. */
export function textProblemsIn(
  value: unknown,
  path: string[] = [],
  found: { path: string; problem: TextProblem }[] = [],
  limit = 20,
): { path: string; problem: TextProblem }[] {
  if (found.length >= limit) return found;
  if (typeof value === 'string') {
    const problem = textProblem(value);
    if (problem) found.push({ path: path.join('/'), problem });
  } else if (Array.isArray(value)) {
    value.forEach((item, index) => textProblemsIn(item, [...path, String(index)], found, limit));
  } else if (value && typeof value === 'object') {
    for (const [key, inner] of Object.entries(value)) {
      const keyProblem = textProblem(key);
      if (keyProblem) found.push({ path: [...path, key].join('/'), problem: keyProblem });
      textProblemsIn(inner, [...path, key], found, limit);
    }
  }
  return found;
}

function hex(code: number): string {
  return code.toString(16).toUpperCase().padStart(4, '0');
}
