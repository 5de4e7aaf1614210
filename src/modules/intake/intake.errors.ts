import { ModuleError } from '../../platform/errors/module-error.js';
import type { FieldError } from '../../platform/errors/field-error.js';

export type IntakeErrorCode =
  | 'invalid_record'
  | 'malformed_document'
  | 'duplicate_with_other_content'
  | 'parcel_not_found'
  | 'not_your_parcel'
  | 'submitting_for_another_carrier'
  | 'idempotency_key_reused';

export class IntakeError extends ModuleError<IntakeErrorCode> {
  constructor(
    code: IntakeErrorCode,
    message: string,
    details?: { fieldErrors?: FieldError[]; [key: string]: unknown },
  ) {
    super('intake', code, message, details);
  }
}

/** HTTP status of each intake error code; the compiler insists that every code has one. */
export const intakeErrorStatus: Record<IntakeErrorCode, number> = {
  invalid_record: 422,
  malformed_document: 400,
  duplicate_with_other_content: 409,
  parcel_not_found: 404,
  not_your_parcel: 404,
  submitting_for_another_carrier: 403,
  idempotency_key_reused: 409,
};
