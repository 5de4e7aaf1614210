import { ModuleError } from '../../platform/errors/module-error.js';
import type { FieldError } from '../../platform/errors/field-error.js';

export type TargetingErrorCode =
  | 'invalid_rule'
  | 'rule_not_found'
  | 'rule_name_taken'
  | 'not_rule_owner'
  | 'watchlist_not_found'
  | 'watchlist_name_taken'
  | 'watchlist_in_use'
  | 'invalid_watchlist_entry'
  | 'decision_not_found'
  | 'parcel_not_found'
  | 'forbidden'
  | 'invalid_override'
  | 'invalid_information'
  | 'invalid_cursor';

export class TargetingError extends ModuleError<TargetingErrorCode> {
  constructor(
    code: TargetingErrorCode,
    message: string,
    details?: { fieldErrors?: FieldError[]; [key: string]: unknown },
  ) {
    super('targeting', code, message, details);
  }
}

/** HTTP status of each targeting error code; the compiler insists that every code has one. */
export const targetingErrorStatus: Record<TargetingErrorCode, number> = {
  invalid_rule: 422,
  rule_not_found: 404,
  rule_name_taken: 409,
  not_rule_owner: 403,
  watchlist_not_found: 404,
  watchlist_name_taken: 409,
  watchlist_in_use: 409,
  invalid_watchlist_entry: 422,
  decision_not_found: 404,
  parcel_not_found: 404,
  forbidden: 403,
  invalid_override: 422,
  invalid_information: 422,
  invalid_cursor: 400,
};
