import type { ErrorTranslations } from '../../platform/errors/error-translations.js';
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

/** Korean and French of each questions error code (the English message is written where it is thrown). */
export const questionsErrorMessages: ErrorTranslations<QuestionsErrorCode> = {
  forbidden: {
    ko: '질문은 세관 직원, 운송사와 우정당국만 할 수 있습니다.',
    fr: 'Seuls les agents des douanes, les transporteurs et les opérateurs postaux peuvent poser des questions.',
  },
  invalid_input: { ko: '요청 내용이 올바르지 않습니다.', fr: 'La demande est invalide.' },
  favourite_not_found: { ko: '해당 즐겨찾기가 없습니다.', fr: "Ce favori n'existe pas." },
};
