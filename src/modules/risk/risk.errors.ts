import type { ErrorTranslations } from '../../platform/errors/error-translations.js';
import { ModuleError } from '../../platform/errors/module-error.js';

export type RiskErrorCode =
  'model_not_found' | 'parcel_not_found' | 'no_active_model' | 'not_enough_history' | 'forbidden';

export class RiskError extends ModuleError<RiskErrorCode> {
  constructor(code: RiskErrorCode, message: string, details?: Record<string, unknown>) {
    super('risk', code, message, details);
  }
}

export const riskErrorStatus: Record<RiskErrorCode, number> = {
  model_not_found: 404,
  parcel_not_found: 404,
  no_active_model: 409,
  not_enough_history: 422,
  forbidden: 403,
};

/** Korean and French of each risk error code (the English message is written where it is thrown). */
export const riskErrorMessages: ErrorTranslations<RiskErrorCode> = {
  model_not_found: { ko: '해당 모델 버전이 없습니다.', fr: "Cette version de modèle n'existe pas." },
  parcel_not_found: { ko: '해당 소포가 없습니다.', fr: "Ce colis n'existe pas." },
  no_active_model: { ko: '활성화된 모델이 없습니다.', fr: "Aucun modèle n'est actif." },
  not_enough_history: {
    ko: '학습에 필요한 이력이 부족합니다.',
    fr: "L'historique ne suffit pas pour entraîner un modèle.",
  },
  forbidden: { ko: '이 작업을 할 권한이 없습니다.', fr: "Vous n'avez pas le droit de faire cela." },
};
