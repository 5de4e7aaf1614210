import type { ErrorTranslations } from '../../platform/http/error-messages.js';
import type { Translations } from '../../platform/i18n/locale.js';
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

/** Korean and French of each intake error code (the English message is written where it is thrown). */
export const intakeErrorMessages: ErrorTranslations<IntakeErrorCode> = {
  invalid_record: {
    ko: '레코드가 올바르지 않습니다. fieldErrors의 항목을 고치십시오.',
    fr: "L'enregistrement est invalide : corrigez les champs de fieldErrors.",
  },
  malformed_document: {
    ko: '문서를 읽을 수 없습니다 (형식 또는 콘텐츠 유형).',
    fr: 'Le document est illisible (format ou type de contenu).',
  },
  duplicate_with_other_content: {
    ko: '같은 번호의 항목이 다른 내용으로 이미 접수되었습니다. 정정 신고를 보내십시오.',
    fr: 'Cet envoi a déjà été reçu avec un autre contenu : envoyez une rectification.',
  },
  parcel_not_found: { ko: '해당 소포가 없습니다.', fr: "Ce colis n'existe pas." },
  not_your_parcel: { ko: '해당 소포가 없습니다.', fr: "Ce colis n'existe pas." },
  submitting_for_another_carrier: {
    ko: '자기 회사의 데이터만 제출할 수 있습니다.',
    fr: 'Vous ne pouvez envoyer que les données de votre organisation.',
  },
  idempotency_key_reused: {
    ko: '이 Idempotency-Key는 다른 요청에 이미 사용되었습니다.',
    fr: 'Cette Idempotency-Key a déjà servi pour une autre requête.',
  },
};

/** Korean and French of the intake field rules (see docs/intake-formats.md); generic rules are the platform's. */
export const intakeFieldRuleMessages: Record<string, Translations> = {
  's10-item-id': {
    ko: 'UPU S10 번호가 아닙니다 (영문 2자, 숫자 8자리, 검증 숫자, 국가 코드 2자)',
    fr: "n'est pas un numéro UPU S10 (2 lettres, 8 chiffres, chiffre de contrôle, pays)",
  },
  'pccc-shape': {
    ko: '개인통관고유부호는 P와 숫자 12자리입니다',
    fr: 'un code PCCC est P suivi de 12 chiffres',
  },
  'hs-code-shape': { ko: 'HS 코드는 숫자 6~10자리입니다', fr: 'un code SH a de 6 à 10 chiffres' },
  'iso-country': {
    ko: 'ISO 3166-1 국가 코드(영문 2자)가 아닙니다',
    fr: "n'est pas un code pays ISO 3166-1 à 2 lettres",
  },
  'iso-currency': { ko: 'ISO 4217 통화 코드가 아닙니다', fr: "n'est pas un code de devise ISO 4217" },
  mawb: {
    ko: '항공 마스터 운송장 번호가 아닙니다 (항공사 3자리, 일련번호 7자리, 검증 숫자)',
    fr: "n'est pas un numéro de LTA principale (3 chiffres de compagnie, 7 de série, 1 de contrôle)",
  },
  'same-currency': {
    ko: '운송장의 통화와 같아야 합니다',
    fr: 'doit être dans la devise de la lettre de transport',
  },
  'total-equals-lines': { ko: '품목 금액의 합계와 같아야 합니다', fr: 'doit égaler la somme des lignes' },
  'hs-required-for-sale': {
    ko: '판매 물품에는 HS 코드가 필요합니다',
    fr: 'le code SH est obligatoire pour les marchandises vendues',
  },
  'own-organisation': {
    ko: '자기 기관의 데이터만 제출할 수 있습니다',
    fr: 'vous ne pouvez envoyer que les données de votre organisation',
  },
  'duplicate-with-other-content': {
    ko: '같은 번호로 다른 내용이 이미 접수되었습니다',
    fr: 'déjà reçu avec un autre contenu',
  },
  'positive-quantity': { ko: '0보다 커야 합니다', fr: 'doit être supérieur à zéro' },
};
