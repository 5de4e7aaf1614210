import { InvalidArgumentError, type Command } from 'commander';
import { systemActor } from '../platform/auth/actor.js';
import type { Locale } from '../platform/i18n/locale.js';
import type { RunResultView } from '../modules/analytics/index.js';
import { databaseCommand } from './database-command.js';

interface ListArguments {
  lang: Locale;
  json?: boolean;
}

interface RunArguments {
  id: string;
  param: string[];
  from?: string;
  to?: string;
  lang: Locale;
  json?: boolean;
}

/**
 * `clearway analytics list` and `clearway analytics run <id>`: the big-data portal's catalogue and runs on
 * the command line, with the same checks and stored runs as `POST /api/v1/analytics/models/{id}/runs`.
 * A run is stored and executed as a job like any other (inside a running server when there is one).
 */
export function registerAnalyticsCommands(program: Command): void {
  const list = databaseCommand<ListArguments>('analytics list', async (clearway, args, output) => {
    const models = clearway.analytics.runs.listModels(systemActor, args.lang);
    output.stdout(
      args.json
        ? `${JSON.stringify(models, null, 2)}\n`
        : `${models.map((model) => `${model.id}\t${model.group}\t${model.name}\n\t${model.question}`).join('\n')}\n`,
    );
    return 0;
  });
  const run = databaseCommand<RunArguments>('analytics run', async (clearway, args, output) => {
    const { runId } = await clearway.analytics.runs.startRun(systemActor, args.id, {
      parameters: Object.fromEntries(args.param.map(splitParameter)),
      ...(args.from ? { from: args.from } : {}),
      ...(args.to ? { to: args.to } : {}),
    });
    let result: RunResultView;
    for (;;) {
      await clearway.jobs.drain();
      result = await clearway.analytics.runs.getRun(systemActor, runId, args.lang);
      if (result.status === 'succeeded' || result.status === 'failed') break;
      await new Promise((resolve) => setTimeout(resolve, 200));
    }
    output.stdout(args.json ? `${JSON.stringify(result, null, 2)}\n` : asText(result));
    return result.status === 'succeeded' ? 0 : 1;
  });

  const analytics = program.command('analytics').description("the big-data portal's analytical models");
  analytics
    .command('list')
    .description('list the catalogue: id, group, name and question of every model')
    .option('--lang <language>', 'ko, en or fr', parseLanguage, 'en')
    .option('--json', 'print the models with their parameters as JSON')
    .action((options: ListArguments) => list(options));
  analytics
    .command('run')
    .description('run a model on a period and print its table (or the whole result as JSON)')
    .argument('<id>', "the catalogue's model id, e.g. S1")
    .option('--param <name=value>', 'a parameter value (repeatable)', collect, [] as string[])
    .option('--from <date>', 'first day (YYYY-MM-DD, default 29 days before --to)')
    .option('--to <date>', 'last day, inclusive (YYYY-MM-DD, default today)')
    .option('--lang <language>', 'ko, en or fr', parseLanguage, 'en')
    .option('--json', 'print the run with its columns, rows, entities with evidence and chart as JSON')
    .action((id: string, options: Omit<RunArguments, 'id'>) => run({ id, ...options }));
}

function collect(value: string, previous: string[]): string[] {
  return [...previous, value];
}

function splitParameter(pair: string): [string, string] {
  const at = pair.indexOf('=');
  if (at < 1) throw new InvalidArgumentError(`--param ${pair}: write name=value`);
  return [pair.slice(0, at), pair.slice(at + 1)];
}

function parseLanguage(value: string): Locale {
  if (value !== 'ko' && value !== 'en' && value !== 'fr') throw new InvalidArgumentError('ko, en or fr');
  return value;
}

function asText(result: RunResultView): string {
  if (result.status === 'failed') return `run ${result.runId} failed: ${result.error}\n`;
  const lines = [
    `run ${result.runId}: ${result.modelName} ${result.modelVersion}, ${result.from}..${result.to}`,
  ];
  if (result.summary) lines.push(result.summary);
  lines.push(result.columns.map((column) => column.label).join('\t'));
  for (const row of result.rows) lines.push(result.columns.map((column) => row[column.key] ?? '').join('\t'));
  return `${lines.join('\n')}\n`;
}
