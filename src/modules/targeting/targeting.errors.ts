import type { ErrorTranslations } from '../../platform/http/error-messages.js';
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

/** Korean and French of each targeting error code (the English message is written where it is thrown). */
export const targetingErrorMessages: ErrorTranslations<TargetingErrorCode> = {
  invalid_rule: {
    ko: '규칙을 해석할 수 없습니다. 표시된 위치를 고치십시오.',
    fr: 'La règle est invalide : corrigez-la à la position indiquée.',
  },
  rule_not_found: { ko: '해당 규칙이 없습니다.', fr: "Cette règle n'existe pas." },
  rule_name_taken: { ko: '같은 이름의 규칙이 이미 있습니다.', fr: 'Une règle porte déjà ce nom.' },
  not_rule_owner: {
    ko: '이 규칙을 바꿀 권한이 없습니다.',
    fr: "Vous n'avez pas le droit de modifier cette règle.",
  },
  watchlist_not_found: { ko: '해당 감시 목록이 없습니다.', fr: "Cette liste de surveillance n'existe pas." },
  watchlist_name_taken: {
    ko: '같은 이름의 감시 목록이 이미 있습니다.',
    fr: 'Une liste de surveillance porte déjà ce nom.',
  },
  watchlist_in_use: {
    ko: '규칙이 사용 중인 감시 목록입니다.',
    fr: 'Des règles utilisent cette liste de surveillance.',
  },
  invalid_watchlist_entry: {
    ko: '감시 목록 항목이 올바르지 않습니다.',
    fr: 'Entrée de liste de surveillance invalide.',
  },
  decision_not_found: {
    ko: '이 소포에 대한 결정이 (아직) 없습니다.',
    fr: 'Aucune décision (encore) pour ce colis.',
  },
  parcel_not_found: { ko: '해당 소포가 없습니다.', fr: "Ce colis n'existe pas." },
  forbidden: { ko: '이 작업을 할 권한이 없습니다.', fr: "Vous n'avez pas le droit de faire cela." },
  invalid_override: { ko: '결정 변경 요청이 올바르지 않습니다.', fr: 'Modification de décision invalide.' },
  invalid_information: { ko: '새 정보가 올바르지 않습니다.', fr: 'Information nouvelle invalide.' },
  invalid_cursor: {
    ko: '페이지 커서가 올바르지 않습니다. 첫 페이지부터 다시 요청하십시오.',
    fr: 'Curseur de page invalide : reprenez à la première page.',
  },
};
