import type { ErrorTranslations } from '../../platform/errors/error-translations.js';
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
  picture_too_large: 413,
  unsupported_media_type: 415,
};

/** Korean and French of each partners error code, for callers who read those languages. */
export const partnersErrorMessages: ErrorTranslations<PartnersErrorCode> = {
  invalid_request: { ko: '요청 값이 올바르지 않습니다.', fr: 'La requête contient des valeurs invalides.' },
  agreement_not_found: {
    ko: '해당 기관과의 협약이 없습니다.',
    fr: "Aucun accord n'existe avec cette organisation.",
  },
  agreement_not_in_force: {
    ko: '세관과의 협약이 효력 중이 아니어서(정지, 해지 또는 기간 만료) 자료 제출이 거부됩니다.',
    fr: "L'accord avec la douane n'est pas en vigueur (suspendu, résilié ou expiré) : les envois sont refusés.",
  },
  alert_not_found: { ko: '해당 경보가 없습니다.', fr: "Cette alerte n'existe pas." },
  report_not_found: { ko: '해당 제품안전 신고가 없습니다.', fr: "Ce signalement n'existe pas." },
  not_your_report: { ko: '해당 제품안전 신고가 없습니다.', fr: "Ce signalement n'existe pas." },
  registration_not_found: {
    ko: '해당 판매자 등록이 없습니다.',
    fr: "Cet enregistrement de vendeur n'existe pas.",
  },
  illegal_decision: {
    ko: '현재 등록 상태에서는 이 결정을 내릴 수 없습니다.',
    fr: "Cette décision n'est pas possible dans l'état actuel de l'enregistrement.",
  },
  picture_too_large: { ko: '사진이 너무 큽니다.', fr: 'La photo est trop volumineuse.' },
  unsupported_media_type: {
    ko: '지원하지 않는 형식입니다. 안내된 Content-Type으로 보내십시오.',
    fr: 'Format non pris en charge : envoyez le Content-Type indiqué.',
  },
};
