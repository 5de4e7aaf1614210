import { ModuleError } from '../../platform/errors/module-error.js';

export type QuestionsErrorCode = 'forbidden' | 'invalid_input' | 'favourite_not_found';

export class QuestionsError extends ModuleError<QuestionsErrorCode> {
  constructor(code: QuestionsErrorCode, message: string, details?: ModuleError['details']) {
    super('questions', code, message, details);
  }
}

export const questionsErrorStatus: Record<QuestionsErrorCode, number> = {
  forbidden: 403,
  invalid_input: 400,
  favourite_not_found: 404,
};
