import type { ErrorTranslations } from '../../platform/errors/error-translations.js';
import { ModuleError } from '../../platform/errors/module-error.js';

export type AnalyticsErrorCode =
  | 'forbidden'
  | 'invalid_parameters'
  | 'invalid_window'
  | 'model_not_found'
  | 'run_not_found'
  | 'run_not_finished'
  | 'no_hits'
  | 'schedule_not_found'
  | 'request_not_found'
  | 'step_not_allowed'
  | 'profile_not_found';

export class AnalyticsError extends ModuleError<AnalyticsErrorCode> {
  constructor(code: AnalyticsErrorCode, message: string, details?: ModuleError['details']) {
    super('analytics', code, message, details);
  }
}

export const analyticsErrorStatus: Record<AnalyticsErrorCode, number> = {
  forbidden: 403,
  invalid_parameters: 422,
  invalid_window: 422,
  model_not_found: 404,
  run_not_found: 404,
  run_not_finished: 409,
  no_hits: 422,
  schedule_not_found: 404,
  request_not_found: 404,
  step_not_allowed: 409,
  profile_not_found: 404,
};

/** Korean and French of each analytics error code (the English message is written where it is thrown). */
export const analyticsErrorMessages: ErrorTranslations<AnalyticsErrorCode> = {
  forbidden: {
    ko: '이 분석 기능을 사용할 권한이 없습니다.',
    fr: "Vous n'avez pas accès à cette fonction d'analyse.",
  },
  invalid_parameters: {
    ko: '모델 매개변수가 올바르지 않습니다.',
    fr: 'Les paramètres du modèle sont invalides.',
  },
  invalid_window: {
    ko: '분석 기간이 올바르지 않습니다 (시작일이 종료일보다 늦거나 기간이 너무 깁니다).',
    fr: "La période d'analyse est invalide (début après la fin, ou période trop longue).",
  },
  model_not_found: { ko: '해당 분석 모델이 없습니다.', fr: "Ce modèle d'analyse n'existe pas." },
  run_not_found: { ko: '해당 분석 실행이 없습니다.', fr: "Cette exécution d'analyse n'existe pas." },
  run_not_finished: {
    ko: '분석 실행이 아직 끝나지 않았습니다.',
    fr: "L'exécution n'est pas encore terminée.",
  },
  no_hits: { ko: '보낼 적중 항목이 없습니다.', fr: 'Aucun résultat à envoyer.' },
  schedule_not_found: { ko: '해당 예약이 없습니다.', fr: "Cette planification n'existe pas." },
  request_not_found: { ko: '해당 모델 요청이 없습니다.', fr: "Cette demande de modèle n'existe pas." },
  step_not_allowed: {
    ko: '요청의 현재 상태에서는 이 단계를 할 수 없습니다.',
    fr: "Cette étape n'est pas possible dans l'état actuel de la demande.",
  },
  profile_not_found: {
    ko: '이 판매자 또는 개인통관고유부호의 화물이 없습니다.',
    fr: "Aucun colis pour ce vendeur ou ce code d'identification douanière.",
  },
};
