/**
 * Questions in plain language (Korean, English, French) over the read-only analysis views that intake,
 * targeting and clearance publish: offline parser (or an operator's language model), SQL checked by
 * PostgreSQL's parser, read-only execution with the asker's rights, answers with table, SQL and chart.
 */
import type { AuditTrail } from '../../platform/auth/audit-trail.js';
import type { Database } from '../../platform/db/database.js';
import { OpenAiCompatibleQueryFiller, type LanguageModelOptions } from './adapters/llm-query-filler.js';
import { QuestionsRepository } from './questions.repository.js';
import { QuestionsService, type QuestionsLimits } from './questions.service.js';

export { QuestionsService } from './questions.service.js';
export type { Answer, AskInput } from './questions.service.js';
export { registerQuestionsRoutes, answerAsCsv } from './questions.routes.js';
export { questionsErrorMessages, questionsErrorStatus } from './questions.errors.js';

export function createQuestionsModule(options: {
  database: Database;
  audit: AuditTrail;
  languageModel?: LanguageModelOptions;
  limits?: Partial<QuestionsLimits>;
}): { service: QuestionsService } {
  return {
    service: new QuestionsService({
      repository: new QuestionsRepository(options.database),
      audit: options.audit,
      ...(options.languageModel
        ? { languageModel: new OpenAiCompatibleQueryFiller(options.languageModel) }
        : {}),
      ...(options.limits ? { limits: options.limits } : {}),
    }),
  };
}
