import { ModuleError } from '../../platform/errors/module-error.js';

export type RiskErrorCode = 'model_not_found' | 'no_active_model' | 'not_enough_history' | 'forbidden';

export class RiskError extends ModuleError<RiskErrorCode> {
  constructor(code: RiskErrorCode, message: string, details?: Record<string, unknown>) {
    super('risk', code, message, details);
  }
}

export const riskErrorStatus: Record<RiskErrorCode, number> = {
  model_not_found: 404,
  no_active_model: 409,
  not_enough_history: 422,
  forbidden: 403,
};
