import { PERSONAL_KEYS, maskPersonalText } from '../logging/personal-data-mask.js';

/**
 * One reason why one value of an input record was refused. Every validator in every module reports
 * problems in this shape so that the HTTP edge and the import summaries can show them the same way.
 */
export interface FieldError {
  /** JSON-pointer-like path of the offending value inside the record, e.g. `lines/0/hsCode`. */
  path: string;
  /** The value as received: truncated, masked where it is personal, invisible characters written out. */
  value: unknown;
  /** Short machine-readable rule name, e.g. `s10-check-digit`, `hs-code-shape`, `required`. */
  rule: string;
  /** A sentence for a person (English; rendered in the caller's language at the HTTP edge). */
  message: string;
  /** What the rule was measured against (`max`, `decimals`), for messages in other languages. */
  params?: Record<string, string | number>;
  /** 1-based line (or record) number in the source file, when the record came from a file. */
  line?: number;
}

export type Validated<T> = { ok: true; value: T } | { ok: false; errors: FieldError[] };

const SHOWN_LENGTH = 200;
// Characters that a reader could not see (or a database could not store), written out as \u{...}.
const INVISIBLE =
  /[\u0000-\u001F\u007F-\u009F\uFFFD]|[\uD800-\uDBFF](?![\uDC00-\uDFFF])|(?<![\uD800-\uDBFF])[\uDC00-\uDFFF]/g;

/**
 * A refused value as an error may show it: objects and lists left out, long text cut, personal fields
 * (by the last segment of their path: `consignee/name`, `buyer/pccc`) reduced to their first character,
 * free text masked, and control characters or broken UTF-16 written out so that the error itself can be
 * stored and printed.
 */
export function shownValue(path: string, value: unknown): unknown {
  if (value !== null && typeof value === 'object') return undefined;
  if (typeof value !== 'string') return value;
  const field = path.slice(path.lastIndexOf('/') + 1);
  let shown = value.length > SHOWN_LENGTH ? `${value.slice(0, SHOWN_LENGTH)}...` : value;
  shown = PERSONAL_KEYS.has(field) && shown !== '' ? `${shown.slice(0, 1)}***` : maskPersonalText(shown);
  return visibleText(shown);
}

/**
 * Text with control characters and broken UTF-16 written out as \\u{...}: an error's path or sentence can
 * name a field whose name came from the input (an unknown CSV column), and must still be storable.
 */
export function visibleText(text: string): string {
  return text.replace(INVISIBLE, (character) => `\\u{${character.charCodeAt(0).toString(16).toUpperCase()}}`);
}
