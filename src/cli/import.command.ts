import { access, constants, stat } from 'node:fs/promises';
import { basename, resolve } from 'node:path';
import cliProgress from 'cli-progress';
import { InvalidArgumentError, type Command } from 'commander';
import { systemActor } from '../platform/auth/actor.js';
import { loadConfig } from '../platform/config/config.js';
import { createClearway, type Clearway } from '../main.js';
import type { ImportProgress, IntakeChannel, IntakeSummary } from '../modules/intake/index.js';

const channels: readonly IntakeChannel[] = ['postal', 'express', 'orders', 'payments', 'kcs'];

/** Exit status when the file could not be read at all (missing, unreadable, a folder). */
export const EXIT_UNREADABLE = 2;
/** Exit status when reading started but the import failed (malformed document, database error). */
export const EXIT_FAILED = 1;
/**
 * Exit status when the file was read to its end and every good record stored, but some records were
 * rejected (or conflict with what was stored before): a script sees that the file needs attention.
 */
export const EXIT_SOME_REJECTED = 3;

/**
 * `clearway import <channel> <file>`: streams a file of any size through intake in constant memory,
 * with a progress bar on a terminal (plain periodic lines otherwise, for logs and CI), then prints what
 * became of the records. Batches are committed as they go, so an interrupted import is finished by
 * running the same command again: what was stored comes back as duplicates.
 */
export function registerImportCommand(program: Command): void {
  program
    .command('import')
    .description('import a file of postal items, express manifests, orders, payments or KCS declarations')
    .argument('<channel>', channels.join(' | '), (value: string) => {
      if (!(channels as readonly string[]).includes(value))
        throw new InvalidArgumentError(`must be one of ${channels.join(', ')}`);
      return value as IntakeChannel;
    })
    .argument('<file>', 'CSV, JSON or ITMATT XML (postal); the format follows the file extension')
    .option(
      '--progress-interval <seconds>',
      'seconds between progress lines when not on a terminal (0: after every batch)',
      nonNegativeNumber,
      5,
    )
    .option('--errors <n>', 'how many record errors to print', nonNegativeNumber, 10)
    .action(
      async (channel: IntakeChannel, file: string, options: { progressInterval: number; errors: number }) => {
        process.exitCode = await importFile(channel, resolve(file), options);
      },
    );
}

async function importFile(
  channel: IntakeChannel,
  path: string,
  options: { progressInterval: number; errors: number },
): Promise<number> {
  const unreadable = await readProblem(path);
  if (unreadable) {
    process.stderr.write(`clearway import: cannot read ${path}: ${unreadable}\n`);
    return EXIT_UNREADABLE;
  }
  let clearway: Clearway;
  try {
    clearway = await createClearway(loadConfig());
  } catch (error) {
    process.stderr.write(`clearway import: ${(error as Error).message}\n`);
    return EXIT_FAILED;
  }
  const started = performance.now();
  const display = createProgressDisplay(basename(path), started, options.progressInterval);
  try {
    const summary = await clearway.intake.service.importFile(systemActor, channel, path, display.update);
    display.stop();
    printSummary(path, channel, summary, (performance.now() - started) / 1000, options.errors);
    return summary.rejected + summary.conflicts > 0 ? EXIT_SOME_REJECTED : 0;
  } catch (error) {
    display.stop();
    const code = (error as NodeJS.ErrnoException).code;
    process.stderr.write(`clearway import: ${path}: ${(error as Error).message}\n`);
    return code === 'ENOENT' || code === 'EACCES' || code === 'EISDIR' ? EXIT_UNREADABLE : EXIT_FAILED;
  } finally {
    await clearway.close();
  }
}

async function readProblem(path: string): Promise<string | undefined> {
  try {
    const info = await stat(path);
    if (!info.isFile()) return 'not a regular file';
    await access(path, constants.R_OK);
    return undefined;
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code;
    return code === 'ENOENT'
      ? 'no such file'
      : code === 'EACCES'
        ? 'permission denied'
        : (error as Error).message;
  }
}

interface ProgressDisplay {
  update(progress: ImportProgress): void;
  stop(): void;
}

/**
 * A bar over the bytes read, with records and rows per second, when stderr is a terminal; otherwise a
 * plain line every `intervalSeconds`, which reads well in logs.
 */
function createProgressDisplay(name: string, started: number, intervalSeconds: number): ProgressDisplay {
  const rate = (records: number) =>
    Math.round(records / Math.max(0.001, (performance.now() - started) / 1000));
  if (process.stderr.isTTY) {
    const bar = new cliProgress.SingleBar(
      {
        format: `${name} {bar} {percentage}% | {records} records | {rate} rows/s | ETA {eta_formatted}`,
        stream: process.stderr,
        hideCursor: true,
        etaBuffer: 20,
      },
      cliProgress.Presets.shades_classic,
    );
    let startedBar = false;
    return {
      update(progress) {
        if (!startedBar) {
          bar.start(Math.max(1, progress.totalBytes), 0, { records: '0', rate: '0' });
          startedBar = true;
        }
        bar.update(progress.bytesRead, {
          records: format(progress.records),
          rate: format(rate(progress.records)),
        });
      },
      stop() {
        if (startedBar) bar.stop();
      },
    };
  }
  let lastPrinted = started;
  return {
    update(progress) {
      const now = performance.now();
      if (now - lastPrinted < intervalSeconds * 1000) return;
      lastPrinted = now;
      const percent =
        progress.totalBytes > 0 ? Math.floor((100 * progress.bytesRead) / progress.totalBytes) : 100;
      process.stderr.write(
        `${name}: ${format(progress.records)} records read (${percent}% of the file), ${format(rate(progress.records))} rows/s\n`,
      );
    },
    stop() {},
  };
}

function printSummary(
  path: string,
  channel: IntakeChannel,
  summary: IntakeSummary,
  seconds: number,
  errorCount: number,
): void {
  const lines = [
    `Imported ${path} as ${channel} (message ${summary.messageId}) in ${seconds.toFixed(1)} s, ${format(Math.round(summary.received / Math.max(seconds, 0.001)))} rows/s`,
    `  received    ${format(summary.received)}`,
    `  accepted    ${format(summary.accepted)}`,
    `  duplicates  ${format(summary.duplicates)}`,
    `  conflicts   ${format(summary.conflicts)}`,
    `  rejected    ${format(summary.rejected)}`,
  ];
  if (summary.accepted > 0 && (channel === 'postal' || channel === 'express')) {
    lines.push(
      '  The running server (clearway serve) takes the new parcels into clearance and targeting, or the next one to start.',
    );
  }
  const shown = summary.errors.slice(0, errorCount);
  if (shown.length > 0) {
    lines.push(
      `First errors${summary.errors.length > shown.length ? ` (${shown.length} of ${summary.errors.length >= 1000 ? 'over 1,000' : summary.errors.length})` : ''}:`,
    );
    for (const error of shown) {
      const where = error.line !== undefined ? `line ${error.line}` : 'record';
      const value = error.value === undefined ? '' : ` (got ${JSON.stringify(error.value)})`;
      lines.push(`  ${where}: ${error.path || '(record)'} ${error.message}${value} [${error.rule}]`);
    }
  }
  process.stdout.write(`${lines.join('\n')}\n`);
}

function format(value: number): string {
  return value.toLocaleString('en-US');
}

function nonNegativeNumber(value: string): number {
  const parsed = Number(value);
  if (!Number.isFinite(parsed) || parsed < 0)
    throw new InvalidArgumentError('must be a number of zero or more');
  return parsed;
}
