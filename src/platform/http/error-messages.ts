import type { FieldError } from '../errors/field-error.js';
import type { CommonErrorCode } from '../errors/module-error.js';
import { fillTemplate, type Locale, type Translations } from '../i18n/locale.js';

/** Errors of the platform itself: common codes and what the HTTP layer answers on its own. */
export const platformErrorMessages: Record<
  | CommonErrorCode
  | 'malformed_json'
  | 'body_too_large'
  | 'unsupported_media_type'
  | 'invalid_content_length'
  | 'rate_limited'
  | 'bad_request'
  | 'internal_error',
  Translations
> = {
  not_found: { ko: '요청한 대상을 찾을 수 없습니다.', fr: "L'objet demandé n'existe pas." },
  forbidden: { ko: '이 작업을 할 권한이 없습니다.', fr: "Vous n'avez pas le droit de faire cela." },
  unauthenticated: {
    ko: '로그인하거나 API 키를 보내십시오 (Authorization: Bearer <키>).',
    fr: 'Connectez-vous ou envoyez une clé d’API (Authorization: Bearer <clé>).',
  },
  invalid_input: { ko: '요청 값이 올바르지 않습니다.', fr: 'La requête contient des valeurs invalides.' },
  conflict: { ko: '현재 상태와 충돌합니다.', fr: "La demande est en conflit avec l'état actuel." },
  malformed_json: { ko: '본문이 올바른 JSON이 아닙니다.', fr: "Le corps n'est pas du JSON valide." },
  body_too_large: { ko: '요청 본문이 너무 큽니다.', fr: 'Le corps de la requête est trop volumineux.' },
  unsupported_media_type: {
    ko: '이 주소는 이 콘텐츠 유형을 받지 않습니다.',
    fr: "Ce type de contenu n'est pas accepté ici.",
  },
  invalid_content_length: { ko: 'Content-Length가 올바르지 않습니다.', fr: 'Content-Length invalide.' },
  rate_limited: {
    ko: '요청이 너무 많습니다. 잠시 후 다시 시도하십시오.',
    fr: 'Trop de requêtes : réessayez dans un moment.',
  },
  bad_request: { ko: '잘못된 요청입니다.', fr: 'Requête invalide.' },
  internal_error: {
    ko: '내부 오류가 발생했습니다. 요청 ID를 관리자에게 알려 주십시오.',
    fr: "Une erreur interne s'est produite ; donnez l'identifiant de la requête à l'administrateur.",
  },
};

/**
 * Field rules in Korean and French, with the rule's params (`max`, `decimals`) in place. Rules that end
 * in `-range` or `-precision` (money-range, quantity-precision) share one sentence each.
 */
export const fieldRuleMessages: Record<string, Translations> = {
  required: { ko: '필수 항목입니다', fr: 'est obligatoire' },
  type: { ko: '값의 형식이 다릅니다', fr: "n'est pas du bon type" },
  'unknown-field': { ko: '알 수 없는 항목입니다', fr: 'champ inconnu' },
  empty: { ko: '비어 있으면 안 됩니다', fr: 'ne doit pas être vide' },
  'too-long': { ko: '최대 {max}자입니다', fr: 'doit faire au plus {max} caractères' },
  'too-short': { ko: '최소 {min}자입니다', fr: 'doit faire au moins {min} caractères' },
  'too-large': { ko: '최대 {max}입니다', fr: 'doit valoir au plus {max}' },
  'too-small': { ko: '최소 {min}입니다', fr: 'doit valoir au moins {min}' },
  'one-of': { ko: '허용된 값이 아닙니다', fr: "n'est pas une valeur admise" },
  range: { ko: '최대 {max}입니다', fr: 'doit valoir au plus {max}' },
  precision: { ko: '소수점 이하 {decimals}자리까지입니다', fr: 'doit avoir au plus {decimals} décimales' },
  'control-character': {
    ko: '제어 문자(예: NUL)를 포함할 수 없습니다',
    fr: 'ne doit pas contenir de caractère de contrôle (NUL, etc.)',
  },
  'lone-surrogate': {
    ko: '짝이 없는 UTF-16 서로게이트를 포함하고 있습니다',
    fr: 'contient une moitié de paire de substitution UTF-16',
  },
  'invalid-utf-8': {
    ko: '올바른 UTF-8이 아닙니다. UTF-8로 인코딩하여 보내십시오',
    fr: "n'est pas de l'UTF-8 valide : envoyez le texte encodé en UTF-8",
  },
  date: { ko: '존재하지 않는 날짜입니다', fr: "n'est pas une date du calendrier" },
  'date-time': { ko: 'ISO 8601 날짜 또는 일시여야 합니다', fr: 'doit être une date ISO 8601' },
  invalid_format: { ko: '형식이 올바르지 않습니다', fr: "n'a pas le bon format" },
  custom: { ko: '값이 올바르지 않습니다', fr: 'valeur invalide' },
  malformed: { ko: '읽을 수 없는 레코드입니다', fr: 'enregistrement illisible' },
  storage: {
    ko: '데이터베이스가 이 레코드를 거부했습니다. 나머지 레코드는 저장되었습니다',
    fr: 'la base de données a refusé cet enregistrement ; les autres ont été enregistrés',
  },
};

/** An error message in the caller's language: the English one as written, else the code's translation. */
export function localisedMessage(
  english: string,
  translations: Translations | undefined,
  locale: Locale,
  params?: Record<string, unknown>,
): string {
  if (locale === 'en' || !translations) return english;
  return fillTemplate(translations[locale], params);
}

/** Field errors with their messages in the caller's language (rules without a translation stay English). */
export function localisedFieldErrors(
  errors: readonly FieldError[],
  locale: Locale,
  moduleRules: Record<string, Translations> = {},
): FieldError[] {
  if (locale === 'en') return [...errors];
  return errors.map((error) => {
    const translations =
      moduleRules[error.rule] ??
      fieldRuleMessages[error.rule] ??
      fieldRuleMessages[/-(range|precision)$/.exec(error.rule)?.[1] ?? ''];
    return translations ? { ...error, message: fillTemplate(translations[locale], error.params) } : error;
  });
}
