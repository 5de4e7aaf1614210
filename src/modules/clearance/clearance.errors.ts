import type { ErrorTranslations } from '../../platform/http/error-messages.js';
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
  not_your_organisation: 403,
};

/** Korean and French of each clearance error code (the English message is written where it is thrown). */
export const clearanceErrorMessages: ErrorTranslations<ClearanceErrorCode> = {
  invalid_request: { ko: '요청 값이 올바르지 않습니다.', fr: 'La requête contient des valeurs invalides.' },
  exchange_rate_missing: {
    ko: '해당 주의 관세 환율이 없습니다. 주간 환율을 먼저 불러오십시오.',
    fr: "Le taux de change douanier de la semaine manque : chargez d'abord les taux.",
  },
  parcel_not_tracked: {
    ko: '이 소포의 통관 기록이 없습니다.',
    fr: 'Aucun dossier de dédouanement pour ce colis.',
  },
  not_your_parcel: {
    ko: '이 소포의 통관 기록이 없습니다.',
    fr: 'Aucun dossier de dédouanement pour ce colis.',
  },
  role_required: { ko: '이 작업에 필요한 역할이 없습니다.', fr: 'Votre rôle ne permet pas cette action.' },
  illegal_transition: {
    ko: '현재 상태에서는 할 수 없는 처리입니다.',
    fr: "Cette étape n'est pas possible dans l'état actuel.",
  },
  reason_required: { ko: '사유를 입력하십시오.', fr: 'Indiquez un motif.' },
  state_changed: {
    ko: '그 사이 다른 사람이 상태를 바꿨습니다. 새로 고친 뒤 다시 하십시오.',
    fr: "L'état a changé entre-temps : rechargez et recommencez.",
  },
  wrong_state_for_inspection: {
    ko: '이 상태의 소포는 검사할 수 없습니다.',
    fr: 'Ce colis ne peut pas être inspecté dans cet état.',
  },
  notification_not_found: { ko: '해당 알림이 없습니다.', fr: "Cette notification n'existe pas." },
  not_your_organisation: {
    ko: '자기 기관의 자료만 볼 수 있습니다.',
    fr: 'Vous ne voyez que les données de votre organisation.',
  },
};
