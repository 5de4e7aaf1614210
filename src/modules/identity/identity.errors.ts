import type { ErrorTranslations } from '../../platform/http/error-messages.js';
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

/** Korean and French of each identity error code (the English message is written where it is thrown). */
export const identityErrorMessages: ErrorTranslations<IdentityErrorCode> = {
  invalid_credentials: {
    ko: '이메일 주소 또는 비밀번호가 틀렸습니다.',
    fr: 'Adresse e-mail ou mot de passe incorrect.',
  },
  too_many_attempts: {
    ko: '로그인 실패가 너무 많습니다. {retryAfterSeconds}초 후에 다시 시도하십시오.',
    fr: 'Trop d’échecs de connexion : réessayez dans {retryAfterSeconds} secondes.',
  },
  invalid_code: { ko: '코드가 틀렸거나 만료되었습니다.', fr: 'Code incorrect ou expiré.' },
  csrf_token_invalid: {
    ko: 'CSRF 토큰이 없거나 틀렸습니다. 페이지를 새로 고치십시오.',
    fr: 'Jeton CSRF absent ou invalide : rechargez la page.',
  },
  key_scope_insufficient: {
    ko: '이 API 키의 범위로는 할 수 없는 작업입니다.',
    fr: 'La portée de cette clé d’API ne permet pas cette action.',
  },
  key_not_found: { ko: '해당 API 키가 없습니다.', fr: "Cette clé d’API n'existe pas." },
  key_revoked: { ko: '이 API 키는 이미 폐기되었습니다.', fr: 'Cette clé d’API est déjà révoquée.' },
  account_not_found: { ko: '해당 계정이 없습니다.', fr: "Ce compte n'existe pas." },
  email_taken: { ko: '이 이메일 주소는 이미 사용 중입니다.', fr: 'Cette adresse e-mail est déjà utilisée.' },
  password_rejected: {
    ko: '새 비밀번호가 규칙에 맞지 않습니다 (12자 이상, 단순 반복 금지, 이메일 포함 금지).',
    fr: 'Le nouveau mot de passe ne respecte pas les règles (12 caractères au moins, pas de répétitions, sans l’adresse).',
  },
};
