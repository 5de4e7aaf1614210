import { ModuleError } from '../../platform/errors/module-error.js';
import type { FieldError } from '../../platform/errors/field-error.js';

export type PartnersErrorCode =
  | 'invalid_request'
  | 'agreement_not_found'
  | 'agreement_not_in_force'
  | 'alert_not_found'
  | 'report_not_found'
  | 'not_your_report'
  | 'registration_not_found'
  | 'illegal_decision'
  | 'carrier_not_found'
  | 'picture_too_large'
  | 'unsupported_media_type';

export class PartnersError extends ModuleError<PartnersErrorCode> {
  constructor(
    code: PartnersErrorCode,
    message: string,
    details?: { fieldErrors?: FieldError[]; [key: string]: unknown },
  ) {
    super('partners', code, message, details);
  }
}

/** HTTP status of each partners error code; the compiler insists that every code has one. */
export const partnersErrorStatus: Record<PartnersErrorCode, number> = {
  invalid_request: 422,
  agreement_not_found: 404,
  // The caller is known but its agreement does not let it submit now (expired, suspended, terminated).
  agreement_not_in_force: 403,
  alert_not_found: 404,
  report_not_found: 404,
  not_your_report: 404,
  registration_not_found: 404,
  illegal_decision: 409,
  carrier_not_found: 404,
  picture_too_large: 413,
  unsupported_media_type: 415,
};
