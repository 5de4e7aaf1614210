import type { Command } from 'commander';
import { systemActor } from '../platform/auth/actor.js';
import { loadConfig } from '../platform/config/config.js';
import { openClearwayDatabase } from '../main.js';
import { createIdentityModule } from '../modules/identity/index.js';
import { createQuestionsModule, type Answer } from '../modules/questions/index.js';

/** `clearway ask "<question>"`: the question box of the console, on the command line (same answer as the API). */
export function registerAskCommand(program: Command): void {
  program
    .command('ask')
    .description(
      'ask a question in Korean, English or French; prints the understanding, the SQL and the answer',
    )
    .argument('<question>', 'the question, in quotes')
    .option('--lang <language>', 'ko, en or fr (default: guessed from the question)')
    .option('--as-of <date>', 'the day "today" and "last week" refer to (YYYY-MM-DD, default today)')
    .option(
      '--json',
      'print the whole answer as JSON (status, understood, sql, columns, rows, chart, message)',
    )
    .action(async (question: string, options: { lang?: string; asOf?: string; json?: boolean }) => {
      if (options.lang !== undefined && !['ko', 'en', 'fr'].includes(options.lang)) {
        throw new Error('--lang takes ko, en or fr');
      }
      const config = loadConfig();
      const database = await openClearwayDatabase(config);
      try {
        const { audit } = createIdentityModule(database, { config });
        const { service } = createQuestionsModule({
          database,
          audit,
          limits: { rowCap: config.QUESTIONS_ROW_CAP, statementTimeoutMs: config.QUESTIONS_TIMEOUT_MS },
          ...(config.LLM_URL
            ? {
                languageModel: {
                  url: config.LLM_URL,
                  model: config.LLM_MODEL,
                  timeoutMs: config.LLM_TIMEOUT_MS,
                },
              }
            : {}),
        });
        const answer = await service.ask(systemActor, {
          question,
          ...(options.lang ? { language: options.lang as Answer['language'] } : {}),
          ...(options.asOf ? { asOf: options.asOf } : {}),
        });
        process.stdout.write(options.json ? `${JSON.stringify(answer, null, 2)}\n` : asText(answer));
        if (answer.status === 'refused') process.exitCode = 2;
      } finally {
        await database.close();
      }
    });
}

function asText(answer: Answer): string {
  const lines = [`[${answer.status}] ${answer.understood}`];
  if (answer.sql) lines.push('', answer.sql, '');
  if (answer.columns.length > 0) {
    lines.push(answer.columns.map((column) => column.label).join('\t'));
    for (const row of answer.formattedRows)
      lines.push(answer.columns.map((column) => row[column.name]).join('\t'));
  }
  for (const choice of answer.choices) lines.push(`  - ${choice.label}`);
  lines.push(answer.message);
  return `${lines.join('\n')}\n`;
}
