import { InvalidArgumentError, type Command } from 'commander';
import { systemActor } from '../platform/auth/actor.js';
import type { Answer } from '../modules/questions/index.js';
import { databaseCommand } from './database-command.js';

interface AskArguments {
  question: string;
  lang?: Answer['language'];
  asOf?: string;
  json?: boolean;
}

/**
 * `clearway ask "<question>"`: the question box of the console on the command line, with the same answer
 * as `POST /api/v1/questions`. Exit status 2 when the question is refused.
 */
export function registerAskCommand(program: Command): void {
  const ask = databaseCommand<AskArguments>('ask', async (clearway, args, output) => {
    const answer = await clearway.questions.service.ask(systemActor, {
      question: args.question,
      ...(args.lang ? { language: args.lang } : {}),
      ...(args.asOf ? { asOf: args.asOf } : {}),
    });
    output.stdout(args.json ? `${JSON.stringify(answer, null, 2)}\n` : asText(answer));
    return answer.status === 'refused' ? 2 : 0;
  });
  program
    .command('ask')
    .description(
      'ask a question in Korean, English or French; prints the understanding, the SQL and the answer',
    )
    .argument('<question>', 'the question, in quotes')
    .option('--lang <language>', 'ko, en or fr (default: guessed from the question)', parseLanguage)
    .option('--as-of <date>', 'the day "today" and "last week" refer to (YYYY-MM-DD, default today)')
    .option(
      '--json',
      'print the whole answer as JSON (status, understood, sql, columns, rows, chart, message)',
    )
    .action((question: string, options: Omit<AskArguments, 'question'>) => ask({ question, ...options }));
}

function parseLanguage(value: string): Answer['language'] {
  if (value !== 'ko' && value !== 'en' && value !== 'fr') throw new InvalidArgumentError('ko, en or fr');
  return value;
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
