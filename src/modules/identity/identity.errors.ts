import { ModuleError } from '../../platform/errors/module-error.js';

export type IdentityErrorCode =
  | 'invalid_credentials'
  | 'too_many_attempts'
  | 'invalid_code'
  | 'csrf_token_invalid'
  | 'key_scope_insufficient'
  | 'key_not_found'
  | 'key_revoked'
  | 'account_not_found'
  | 'email_taken'
  | 'password_rejected';

export class IdentityError extends ModuleError<IdentityErrorCode> {
  constructor(code: IdentityErrorCode, message: string, details?: ModuleError['details']) {
    super('identity', code, message, details);
  }
}

/** HTTP status of each identity error code; the compiler insists that every code has one. */
export const identityErrorStatus: Record<IdentityErrorCode, number> = {
  invalid_credentials: 401,
  too_many_attempts: 429,
  invalid_code: 401,
  csrf_token_invalid: 403,
  key_scope_insufficient: 403,
  key_not_found: 404,
  key_revoked: 409,
  account_not_found: 404,
  email_taken: 409,
  password_rejected: 400,
};
