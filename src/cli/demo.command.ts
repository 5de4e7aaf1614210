import { mkdirSync, writeFileSync } from 'node:fs';
import { dirname, resolve } from 'node:path';
import { InvalidArgumentError, type Command } from 'commander';
import { positiveInteger } from './argument-parsers.js';
import { databaseCommand } from './database-command.js';
import {
  DEFAULT_DEMO_SIZE,
  DEFAULT_START_DATE,
  generateDemoHistory,
  loadFirstStartDemo,
  writeDemoData,
  type DemoCounts,
  type DemoFileKind,
} from '../demo/index.js';

/** `clearway demo ...`: reproducible demo and benchmark data, and loading it into an empty database. */
export function registerDemoCommands(program: Command): void {
  const demo = program
    .command('demo')
    .description('generate demo parcels, orders and payments with known risk patterns, or load them');

  demo
    .command('generate')
    .description('write postal items, express manifests, orders, payments and ground-truth.csv to a folder')
    .requiredOption('--out <dir>', 'output folder (created if missing)')
    .option('--days <n>', 'arrival days', positiveInteger, 7)
    .option(
      '--parcels-per-day <n>',
      'parcels arriving each day, postal and express together',
      positiveInteger,
      1000,
    )
    .option('--seed <n>', 'random seed: the same seed and options give the same files', nonNegativeInteger, 1)
    .option('--start <date>', 'first arrival day, YYYY-MM-DD', DEFAULT_START_DATE)
    .option('--postal-share <share>', 'share of postal items, 0 to 1', share, 0.35)
    .option(
      '--postal-format <format>',
      'xml (ITMATT-style) or json (array of CN23 items)',
      choice(['xml', 'json']),
      'xml',
    )
    .option(
      '--express-format <format>',
      'csv (one row per line) or json (one manifest per master air waybill)',
      choice(['csv', 'json']),
      'csv',
    )
    .option(
      '--marketplace-format <format>',
      'csv or json, for orders and payments',
      choice(['csv', 'json']),
      'csv',
    )
    .option('--only <kinds>', 'comma-separated subset of postal,express,orders,payments,truth', kinds)
    .option(
      '--max-express-lines <n>',
      'stop once this many express declaration lines were written',
      positiveInteger,
    )
    .action((options: GenerateOptions) => {
      const started = Date.now();
      const progress = progressPrinter(started);
      const files = writeDemoData(
        resolve(options.out),
        {
          days: options.days,
          parcelsPerDay: options.parcelsPerDay,
          seed: options.seed,
          startDate: options.start,
          postalShare: options.postalShare,
          maxExpressLines: options.maxExpressLines,
        },
        {
          postalFormat: options.postalFormat,
          expressFormat: options.expressFormat,
          marketplaceFormat: options.marketplaceFormat,
          only: options.only,
          onProgress: progress,
        },
      );
      const seconds = (Date.now() - started) / 1000;
      const { counts } = files;
      const lines = [
        `Wrote demo data to ${files.directory} in ${seconds.toFixed(1)} s`,
        `  postal items      ${format(counts.postalItems)}${files.postal ? `  -> ${files.postal}` : ''}`,
        `  express houses    ${format(counts.expressHouses)} (${format(counts.expressLines)} lines, ${format(counts.manifests)} manifests)${files.express ? `  -> ${files.express}` : ''}`,
        `  orders            ${format(counts.orders)}${files.orders ? `  -> ${files.orders}` : ''}`,
        `  payments          ${format(counts.payments)}${files.payments ? `  -> ${files.payments}` : ''}`,
        `  ground truth      ${format(counts.groundTruthRows)} parcels${files.groundTruth ? `  -> ${files.groundTruth}` : ''}`,
        ...Object.entries(counts.patterns).map(
          ([pattern, count]) => `    ${pattern.padEnd(28)} ${format(count)}`,
        ),
      ];
      process.stdout.write(`${lines.join('\n')}\n`);
    });

  demo
    .command('history')
    .description(
      'write weeks of earlier parcels as KCS-format declarations, labelled where an inspection looked (the first start loads the same)',
    )
    .requiredOption('--out <file>', 'CSV file to write (its folder is created if missing)')
    .option('--weeks <n>', 'weeks of history', positiveInteger, 5)
    .option('--parcels-per-day <n>', 'parcels a day', positiveInteger, DEFAULT_DEMO_SIZE.parcelsPerDay)
    .option('--seed <n>', 'random seed: the same seed and options give the same file', nonNegativeInteger, 1)
    .option('--start <date>', 'first day, YYYY-MM-DD', DEFAULT_START_DATE)
    .action((options: { out: string; weeks: number; parcelsPerDay: number; seed: number; start: string }) => {
      const history = generateDemoHistory({
        startDate: options.start,
        days: 7 * options.weeks,
        parcelsPerDay: options.parcelsPerDay,
        seed: options.seed,
      });
      const path = resolve(options.out);
      mkdirSync(dirname(path), { recursive: true });
      writeFileSync(path, history.csv);
      process.stdout.write(
        `Wrote ${format(history.declarations)} declarations to ${path}: ${format(history.inspected)} inspected, ${format(history.frauds)} frauds found\n`,
      );
    });

  const load = databaseCommand<LoadOptions>('demo load', async (clearway, options, output) => {
    const result = await loadFirstStartDemo(clearway, {
      ...options,
      onStep: (line) => output.stderr(`${line}\n`),
    });
    if (!result.loaded) {
      output.stdout(`Demo data not loaded: ${result.reason} (use --force to load anyway)\n`);
      return 0;
    }
    for (const [channel, summary] of Object.entries(result.summaries)) {
      output.stdout(
        `${channel.padEnd(9)} ${format(summary.received)} received, ${format(summary.accepted)} accepted, ${format(summary.duplicates)} duplicates, ${format(summary.rejected)} rejected\n`,
      );
    }
    if (result.directory) output.stdout(`Files and ground-truth.csv kept in ${result.directory}\n`);
    return 0;
  });
  demo
    .command('load')
    .description(
      'load the first-start demo (rates, starter rules, inspected history, a trained model, the last days of parcels with X-ray scans) if the database holds no parcel',
    )
    .option('--days <n>', 'arrival days', positiveInteger, DEFAULT_DEMO_SIZE.days)
    .option(
      '--parcels-per-day <n>',
      'parcels arriving each day',
      positiveInteger,
      DEFAULT_DEMO_SIZE.parcelsPerDay,
    )
    .option('--seed <n>', 'random seed', nonNegativeInteger, DEFAULT_DEMO_SIZE.seed)
    .option('--history-weeks <n>', 'weeks of inspected history before them', positiveInteger, 5)
    .option('--force', 'load even if the database already holds parcels')
    .action((options: LoadOptions) => load({ ...options }));
}

interface LoadOptions {
  days: number;
  parcelsPerDay: number;
  seed: number;
  historyWeeks: number;
  force?: boolean;
}

interface GenerateOptions {
  out: string;
  days: number;
  parcelsPerDay: number;
  seed: number;
  start: string;
  postalShare: number;
  postalFormat: 'xml' | 'json';
  expressFormat: 'csv' | 'json';
  marketplaceFormat: 'csv' | 'json';
  only?: DemoFileKind[];
  maxExpressLines?: number;
}

/** A line on stderr at most every 2 seconds, so large runs show they are alive without flooding logs. */
function progressPrinter(started: number): (counts: DemoCounts) => void {
  let last = started;
  return (counts) => {
    const now = Date.now();
    if (now - last < 2000) return;
    last = now;
    process.stderr.write(
      `  ${format(counts.postalItems)} postal items, ${format(counts.expressLines)} express lines, ${format(counts.orders)} orders (${((now - started) / 1000).toFixed(0)} s)\n`,
    );
  };
}

function format(value: number): string {
  return value.toLocaleString('en-US');
}

function nonNegativeInteger(value: string): number {
  const parsed = Number(value);
  if (!Number.isInteger(parsed) || parsed < 0 || parsed > 0xffffffff)
    throw new InvalidArgumentError('must be a whole number from 0 to 4294967295');
  return parsed;
}

function share(value: string): number {
  const parsed = Number(value);
  if (!Number.isFinite(parsed) || parsed < 0 || parsed > 1)
    throw new InvalidArgumentError('must be a number from 0 to 1');
  return parsed;
}

function choice<T extends string>(allowed: readonly T[]): (value: string) => T {
  return (value) => {
    if (!(allowed as readonly string[]).includes(value))
      throw new InvalidArgumentError(`must be one of ${allowed.join(', ')}`);
    return value as T;
  };
}

function kinds(value: string): DemoFileKind[] {
  const allowed: readonly DemoFileKind[] = ['postal', 'express', 'orders', 'payments', 'truth'];
  const list = value
    .split(',')
    .map((kind) => kind.trim())
    .filter(Boolean);
  const unknown = list.filter((kind) => !(allowed as readonly string[]).includes(kind));
  if (unknown.length > 0 || list.length === 0)
    throw new InvalidArgumentError(`must list some of ${allowed.join(', ')}`);
  return list as DemoFileKind[];
}
