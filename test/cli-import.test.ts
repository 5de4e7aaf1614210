import { spawn } from 'node:child_process';
import { appendFileSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { sql } from 'kysely';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { openDatabase } from '../src/platform/db/database.js';
import { writeDemoData } from '../src/demo/index.js';
import { EXIT_SOME_REJECTED } from '../src/cli/import.command.js';

/**
 * `clearway import` end to end, as an operator runs it: a child process on an embedded database in a
 * temporary DATA_DIR, its output read as text.
 */

interface CliRun {
  code: number | null;
  signal: NodeJS.Signals | null;
  stdout: string;
  stderr: string;
}

const binary = join(process.cwd(), 'bin', 'clearway.js');

function runCli(args: string[], dataDir: string, killWhen?: (stderr: string) => boolean): Promise<CliRun> {
  return new Promise((resolve, reject) => {
    // The embedded database in DATA_DIR, whatever the environment of the test run says.
    const { DATABASE_URL: _serverUrl, ...environment } = process.env;
    const child = spawn(process.execPath, [binary, ...args], {
      env: { ...environment, DATA_DIR: dataDir, LOG_LEVEL: 'silent', NODE_ENV: 'test' },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (chunk: Buffer) => (stdout += chunk.toString()));
    child.stderr.on('data', (chunk: Buffer) => {
      stderr += chunk.toString();
      if (killWhen?.(stderr) && child.exitCode === null) child.kill('SIGKILL');
    });
    child.on('error', reject);
    child.on('close', (code, signal) => resolve({ code, signal, stdout, stderr }));
  });
}

function summaryCount(output: string, label: string): number {
  const match = new RegExp(`^\\s+${label}\\s+([\\d,]+)$`, 'm').exec(output);
  if (!match) throw new Error(`no "${label}" in:\n${output}`);
  return Number(match[1]!.replace(/,/g, ''));
}

/** Rows of intake_order in the child's embedded database, and how many distinct order numbers they hold. */
async function countRows(
  dataDir: string,
  table: 'intake_order',
): Promise<{ rows: number; distinct: number }> {
  const database = await openDatabase({ embeddedDir: join(dataDir, 'pglite') });
  try {
    const result = await sql<{ rows: number; distinct: number }>`
      select count(*)::int as rows, count(distinct order_number)::int as distinct from ${sql.table(table)}`.execute(
      database.db,
    );
    return result.rows[0]!;
  } finally {
    await database.close();
  }
}

// Each run starts a whole Clearway (modules, embedded database): seconds on an idle machine, more on a busy one.
const CLI_TEST_TIMEOUT_MS = 240_000;

describe('clearway import (CLI)', { timeout: CLI_TEST_TIMEOUT_MS }, () => {
  let workDir: string;

  beforeAll(() => {
    workDir = mkdtempSync(join(tmpdir(), 'clearway-cli-import-'));
  });
  afterAll(() => rmSync(workDir, { recursive: true, force: true }));

  it('imports a file with a summary, reports a re-run as duplicates, and fails on a missing file', async () => {
    const dataDir = join(workDir, 'data-small');
    const files = writeDemoData(
      join(workDir, 'small'),
      { days: 1, parcelsPerDay: 40, seed: 11 },
      { only: ['orders'] },
    );
    const ordersFile = join(files.directory, files.orders!);
    // One broken order at the end: its line number must appear in the summary.
    appendFileSync(
      ordersFile,
      'GlobalMart,BROKEN-1,S1,Seller,US,,,,,Phone case,12.50,USD,1,P12345,,,,,,,,not-a-date\n',
    );
    const orders = files.counts.orders;

    const first = await runCli(['import', 'orders', ordersFile, '--progress-interval', '0'], dataDir);
    expect(first.code, first.stderr).toBe(EXIT_SOME_REJECTED);
    expect(summaryCount(first.stdout, 'received')).toBe(orders + 1);
    expect(summaryCount(first.stdout, 'accepted')).toBe(orders);
    expect(summaryCount(first.stdout, 'rejected')).toBe(1);
    expect(first.stdout).toMatch(
      new RegExp(`line ${orders + 2}: buyer/pccc must be P followed by 12 digits`),
    );
    expect(first.stdout).toMatch(new RegExp(`line ${orders + 2}: orderedAt must be an ISO 8601 date`));
    expect(first.stderr).toMatch(/records read \(\d+% of the file\), [\d,]+ rows\/s/);

    const again = await runCli(['import', 'orders', ordersFile], dataDir);
    expect(again.code, again.stderr).toBe(EXIT_SOME_REJECTED);
    expect(summaryCount(again.stdout, 'accepted')).toBe(0);
    expect(summaryCount(again.stdout, 'duplicates')).toBe(orders);
    expect(summaryCount(again.stdout, 'rejected')).toBe(1);
    expect(await countRows(dataDir, 'intake_order')).toEqual({ rows: orders, distinct: orders });

    const missing = await runCli(['import', 'orders', join(workDir, 'no-such-file.csv')], dataDir);
    expect(missing.code).not.toBe(0);
    expect(missing.stderr).toMatch(/cannot read .*no-such-file\.csv: no such file/);
  });

  it('finishes an import killed half-way when run again, with exactly the rows of the file', async () => {
    const dataDir = join(workDir, 'data-killed');
    // About 3,500 orders: four batches of 1,000, so a kill after the first leaves most of the work undone.
    // (Orders rather than parcels keep this test fast: every new parcel also enters clearance.)
    const files = writeDemoData(
      join(workDir, 'killed'),
      { days: 1, parcelsPerDay: 4700, seed: 12 },
      { only: ['orders'] },
    );
    const ordersFile = join(files.directory, files.orders!);
    const orders = files.counts.orders;
    expect(orders).toBeGreaterThan(3000);

    const killed = await runCli(
      ['import', 'orders', ordersFile, '--progress-interval', '0'],
      dataDir,
      (stderr) => /records read/.test(stderr),
    );
    expect(killed.signal).toBe('SIGKILL');
    const partial = await countRows(dataDir, 'intake_order');
    expect(partial.rows).toBeGreaterThanOrEqual(1000);
    expect(partial.rows).toBeLessThan(orders);

    const rerun = await runCli(['import', 'orders', ordersFile], dataDir);
    expect(rerun.code, rerun.stderr).toBe(0);
    expect(summaryCount(rerun.stdout, 'received')).toBe(orders);
    expect(summaryCount(rerun.stdout, 'duplicates')).toBe(partial.rows);
    expect(summaryCount(rerun.stdout, 'accepted')).toBe(orders - partial.rows);
    expect(summaryCount(rerun.stdout, 'rejected')).toBe(0);
    expect(await countRows(dataDir, 'intake_order')).toEqual({ rows: orders, distinct: orders });
  });
});
