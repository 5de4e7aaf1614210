import { ModuleError } from '../../platform/errors/module-error.js';
import type { FieldError } from '../../platform/errors/field-error.js';

export type ClearanceErrorCode =
  | 'invalid_request'
  | 'exchange_rate_missing'
  | 'parcel_not_tracked'
  | 'not_your_parcel'
  | 'role_required'
  | 'illegal_transition'
  | 'reason_required'
  | 'state_changed'
  | 'wrong_state_for_inspection'
  | 'notification_not_found'
  | 'case_not_open'
  | 'not_your_organisation';

export class ClearanceError extends ModuleError<ClearanceErrorCode> {
  constructor(
    code: ClearanceErrorCode,
    message: string,
    details?: { fieldErrors?: FieldError[]; [key: string]: unknown },
  ) {
    super('clearance', code, message, details);
  }
}

/** HTTP status of each clearance error code; the compiler insists that every code has one. */
export const clearanceErrorStatus: Record<ClearanceErrorCode, number> = {
  invalid_request: 422,
  exchange_rate_missing: 422,
  parcel_not_tracked: 404,
  not_your_parcel: 404,
  role_required: 403,
  illegal_transition: 409,
  reason_required: 422,
  state_changed: 409,
  wrong_state_for_inspection: 409,
  notification_not_found: 404,
  case_not_open: 404,
  not_your_organisation: 403,
};
