import { readFile } from 'node:fs/promises';
import { resolve } from 'node:path';
import { InvalidArgumentError, type Command } from 'commander';
import { systemActor } from '../platform/auth/actor.js';
import type { CommandOutput } from '../platform/admin-socket/admin-socket.js';
import { databaseCommand } from './database-command.js';
import { TargetingError, type DryRunResult } from '../modules/targeting/index.js';

/** Exit status when the rule file cannot be read. */
const EXIT_UNREADABLE = 2;
/** Exit status when the rule does not parse or type-check. */
const EXIT_INVALID = 1;

/**
 * `clearway rules test <rule-file> --since 30d`: dry-runs a rule (the file holds its text, `#` comments
 * allowed) over the declarations of the last N days, and prints how many parcels it would have held
 * and how many of those were frauds. `clearway rules check <rule-file>` only parses and type-checks.
 */
export function registerRulesCommands(program: Command): void {
  const rules = program.command('rules').description('targeting rules: check and dry-run rule files');

  const check = databaseCommand<RuleArguments>('rules check', (clearway, args, output) =>
    withRule(args, output, async (expression) => {
      const result = await clearway.targeting.service.validateRule(systemActor, expression);
      if (!result.ok) {
        for (const problem of result.problems) output.stderr(`${args.file}: ${problem.text}\n`);
        return EXIT_INVALID;
      }
      output.stdout(
        `${args.file}: ok (fields: ${result.fields.join(', ')}${result.lists.length ? `; lists: ${result.lists.join(', ')}` : ''})\n`,
      );
      return 0;
    }),
  );
  rules
    .command('check')
    .description('parse and type-check a rule file against the stored watchlists')
    .argument('<rule-file>', 'a file holding the rule text (docs/rule-language.md)')
    .action((file: string) => readRuleFile(file, check));

  const test = databaseCommand<RuleArguments & TestOptions>('rules test', (clearway, args, output) =>
    withRule(args, output, async (expression) => {
      const result = await clearway.targeting.service.dryRun(
        systemActor,
        {
          expression,
          sinceDays: args.since,
          asOf: args.asOf,
          lane: args.lane,
          selectionPercent: args.selection,
        },
        (done) => {
          if (output.isTerminal) output.stderr(`\r${done.toLocaleString()} declarations`);
        },
      );
      if (output.isTerminal) output.stderr('\n');
      output.stdout(args.json ? `${JSON.stringify(result, null, 2)}\n` : describeDryRun(args.file, result));
      return 0;
    }),
  );
  rules
    .command('test')
    .description(
      'dry-run a rule over the last N days of declarations: parcels it would hold, frauds among them',
    )
    .argument('<rule-file>', 'a file holding the rule text (docs/rule-language.md)')
    .option('--since <period>', 'how far back: 30d, 12w', parsePeriod, 30)
    .option(
      '--as-of <date>',
      'end of the period, YYYY-MM-DD (default: today); e.g. 2021-03-31 for the KCS history',
      parseDate,
    )
    .option('--lane <lane>', 'lane the rule would send parcels to: red, yellow, blue', parseLane, 'red')
    .option('--selection <percent>', 'share of hits the rule selects, 1-100', parsePercent, 100)
    .option('--json', 'print the result as JSON')
    .action((file: string, options: TestOptions) =>
      readRuleFile(file, (args) => test({ ...args, ...options })),
    );
}

interface RuleArguments {
  file: string;
  /** The rule text, read here: the server that runs the command may not see the same files. */
  expression: string;
}

interface TestOptions {
  since: number;
  asOf?: string;
  lane: 'red' | 'yellow' | 'blue';
  selection: number;
  json?: boolean;
}

async function readRuleFile(file: string, run: (args: RuleArguments) => Promise<void>): Promise<void> {
  let expression: string;
  try {
    expression = await readFile(resolve(file), 'utf8');
  } catch (error) {
    process.stderr.write(`clearway rules: cannot read ${file}: ${(error as Error).message}\n`);
    process.exitCode = EXIT_UNREADABLE;
    return;
  }
  await run({ file, expression });
}

/** Runs the work on the rule; a rule that does not parse or type-check prints its problems, not a stack. */
async function withRule(
  args: RuleArguments,
  output: CommandOutput,
  work: (expression: string) => Promise<number>,
): Promise<number> {
  try {
    return await work(args.expression);
  } catch (error) {
    if (!(error instanceof TargetingError)) throw error;
    const problems = (error.details?.problems as { text: string }[] | undefined) ?? [];
    if (problems.length === 0) output.stderr(`clearway rules: ${error.message}\n`);
    for (const problem of problems) output.stderr(`${args.file}: ${problem.text}\n`);
    return EXIT_INVALID;
  }
}

function describeDryRun(file: string, result: DryRunResult): string {
  const percent = (part: number, whole: number) =>
    whole === 0 ? '-' : `${((100 * part) / whole).toFixed(2)} %`;
  const lines = [
    `rule ${file} -> ${result.rule.lane}${result.rule.selectionPercent < 100 ? ` (${result.rule.selectionPercent} % of hits)` : ''}`,
    `declarations ${result.range.fromDate} .. ${result.range.toDate}: ${result.declarations.toLocaleString()} (${result.inspected.toLocaleString()} inspected, ${result.frauds.toLocaleString()} frauds)`,
    `matched:      ${result.matched.toLocaleString()} (${percent(result.matched, result.declarations)})`,
    `would hold:   ${result.held.toLocaleString()} (${percent(result.held, result.declarations)})`,
    `  inspected:  ${result.heldInspected.toLocaleString()}, frauds ${result.heldFrauds.toLocaleString()}, critical ${result.heldCritical.toLocaleString()}`,
    `precision:    ${result.precision === null ? '-' : result.precision.toFixed(3)} (base fraud rate ${result.baseFraudRate === null ? '-' : result.baseFraudRate.toFixed(3)}${result.precision !== null && result.baseFraudRate ? `, lift ${(result.precision / result.baseFraudRate).toFixed(2)}` : ''})`,
    `took ${result.durationMs} ms`,
  ];
  if (result.samples.length > 0) {
    lines.push('examples:');
    for (const sample of result.samples.slice(0, 10)) {
      lines.push(
        `  ${sample.parcelId !== null ? `parcel ${sample.parcelId} ${sample.trackingNumber ?? ''}` : `declaration ${sample.declarationId}`}${sample.fraud === null ? '' : sample.fraud ? '  fraud' : '  no fraud'}`,
      );
    }
  }
  return `${lines.join('\n')}\n`;
}

function parsePeriod(value: string): number {
  const match = /^(\d+)\s*([dw]?)$/.exec(value.trim());
  if (!match) throw new InvalidArgumentError('write a period like 30d or 12w');
  const days = Number(match[1]) * (match[2] === 'w' ? 7 : 1);
  if (days < 1 || days > 3660) throw new InvalidArgumentError('must be between 1 day and 10 years');
  return days;
}

function parseDate(value: string): string {
  if (!/^\d{4}-\d{2}-\d{2}$/.test(value) || Number.isNaN(Date.parse(value)))
    throw new InvalidArgumentError('write a date YYYY-MM-DD');
  return value;
}

function parseLane(value: string): 'red' | 'yellow' | 'blue' {
  if (value !== 'red' && value !== 'yellow' && value !== 'blue')
    throw new InvalidArgumentError('must be red, yellow or blue');
  return value;
}

function parsePercent(value: string): number {
  const percent = Number(value);
  if (!Number.isInteger(percent) || percent < 1 || percent > 100)
    throw new InvalidArgumentError('must be a whole number from 1 to 100');
  return percent;
}
