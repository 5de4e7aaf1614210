import { spawn } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';

/** `clearway rates import` as an operator runs it: a child process on an embedded database in a temporary DATA_DIR. */

const binary = join(process.cwd(), 'bin', 'clearway.js');
const dataDir = mkdtempSync(join(tmpdir(), 'clearway-rates-cli-'));

function runCli(args: string[]): Promise<{ code: number | null; stdout: string; stderr: string }> {
  return new Promise((resolve, reject) => {
    const { DATABASE_URL: _serverUrl, ...environment } = process.env;
    const child = spawn(process.execPath, [binary, ...args], {
      env: { ...environment, DATA_DIR: dataDir, LOG_LEVEL: 'silent', NODE_ENV: 'test' },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (chunk: Buffer) => (stdout += chunk.toString()));
    child.stderr.on('data', (chunk: Buffer) => (stderr += chunk.toString()));
    child.on('error', reject);
    child.on('close', (code) => resolve({ code, stdout, stderr }));
  });
}

describe('clearway rates import', () => {
  afterAll(() => rmSync(dataDir, { recursive: true, force: true }));

  it(
    'loads the table as the customs service publishes it (bad rows are refused in clearance.api.test.ts)',
    { timeout: 120_000 },
    async () => {
      const loaded = await runCli(['rates', 'import', 'docs/examples/weekly-exchange-rates.csv']);
      expect(loaded.stderr).toBe('');
      expect(loaded.code).toBe(0);
      expect(loaded.stdout).toBe(
        'loaded 8 rates for the weeks from 2026-11-29, 2026-12-06; 0 parcels held for these rates were assessed\n',
      );
    },
  );
});
