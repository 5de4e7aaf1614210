import { access, constants, stat } from 'node:fs/promises';
import { basename, resolve } from 'node:path';
import cliProgress from 'cli-progress';
import { InvalidArgumentError, type Command } from 'commander';
import { systemActor } from '../platform/auth/actor.js';
import type { CommandOutput } from '../platform/admin-socket/admin-socket.js';
import {
  DEFAULT_IMPORT_WRITERS,
  type ImportProgress,
  type IntakeChannel,
  type IntakeSummary,
} from '../modules/intake/index.js';
import { databaseCommand, type DatabaseCommand } from './database-command.js';

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
 * running the same command again: what was stored comes back as duplicates. Beside a running server on
 * the embedded database, the server reads the file and takes the parcels in at once.
 */
export function registerImportCommand(program: Command): void {
  const run = databaseCommand<ImportArguments>('import', importFile);
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
    .option(
      '--writers <n>',
      'batches written at once on PostgreSQL (the embedded database writes one at a time)',
      nonNegativeNumber,
      DEFAULT_IMPORT_WRITERS,
    )
    .action(
      async (
        channel: IntakeChannel,
        file: string,
        options: { progressInterval: number; errors: number; writers: number },
      ) => {
        const path = resolve(file);
        const unreadable = await readProblem(path);
        if (unreadable) {
          process.stderr.write(`clearway import: cannot read ${path}: ${unreadable}\n`);
          process.exitCode = EXIT_UNREADABLE;
          return;
        }
        await run({ channel, path, ...options });
      },
    );
}

interface ImportArguments {
  channel: IntakeChannel;
  /** Absolute, so that a server started in another folder finds the same file. */
  path: string;
  progressInterval: number;
  errors: number;
  writers: number;
}

const importFile: DatabaseCommand<ImportArguments> = async (clearway, args, output) => {
  const { channel, path } = args;
  const started = performance.now();
  const display = createProgressDisplay(basename(path), started, args.progressInterval, output);
  try {
    const summary = await clearway.intake.service.importFile(
      systemActor,
      channel,
      path,
      display.update,
      Math.max(1, args.writers),
    );
    display.stop();
    output.stdout(summaryText(path, channel, summary, (performance.now() - started) / 1000, args.errors));
    return summary.rejected + summary.conflicts > 0 ? EXIT_SOME_REJECTED : 0;
  } catch (error) {
    display.stop();
    const code = (error as NodeJS.ErrnoException).code;
    output.stderr(`clearway import: ${path}: ${(error as Error).message}\n`);
    return code === 'ENOENT' || code === 'EACCES' || code === 'EISDIR' ? EXIT_UNREADABLE : EXIT_FAILED;
  }
};

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
function createProgressDisplay(
  name: string,
  started: number,
  intervalSeconds: number,
  output: CommandOutput,
): ProgressDisplay {
  const rate = (records: number) =>
    Math.round(records / Math.max(0.001, (performance.now() - started) / 1000));
  if (output.isTerminal) {
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
      output.stderr(
        `${name}: ${format(progress.records)} records read (${percent}% of the file), ${format(rate(progress.records))} rows/s\n`,
      );
    },
    stop() {},
  };
}

function summaryText(
  path: string,
  channel: IntakeChannel,
  summary: IntakeSummary,
  seconds: number,
  errorCount: number,
): string {
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
      '  Clearance and targeting take the new parcels in (the running server at once, or the next one to start).',
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
  return `${lines.join('\n')}\n`;
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
