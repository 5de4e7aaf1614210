/**
 * One reason why one value of an input record was refused. Every validator in every module reports
 * problems in this shape so that the HTTP edge and the import summaries can show them the same way.
 */
export interface FieldError {
  /** JSON-pointer-like path of the offending value inside the record, e.g. `lines/0/hsCode`. */
  path: string;
  /** The value as received (truncated by the caller if large). */
  value: unknown;
  /** Short machine-readable rule name, e.g. `s10-check-digit`, `hs-code-shape`, `required`. */
  rule: string;
  /** A sentence for a person. */
  message: string;
  /** 1-based line (or record) number in the source file, when the record came from a file. */
  line?: number;
}

export type Validated<T> = { ok: true; value: T } | { ok: false; errors: FieldError[] };
