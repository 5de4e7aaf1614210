import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { runCli } from './support/run-cli.js';

/** `clearway rates import` as an operator runs it: a child process on an embedded database in a temporary DATA_DIR. */

const dataDir = mkdtempSync(join(tmpdir(), 'clearway-rates-cli-'));

describe('clearway rates import', () => {
  afterAll(() => rmSync(dataDir, { recursive: true, force: true }));

  it(
    'loads the table as the customs service publishes it (bad rows are refused in clearance.api.test.ts)',
    { timeout: 120_000 },
    async () => {
      const loaded = await runCli(['rates', 'import', 'docs/examples/weekly-exchange-rates.csv'], dataDir);
      expect(loaded.stderr).toBe('');
      expect(loaded.code).toBe(0);
      expect(loaded.stdout).toBe(
        'loaded 8 rates for the weeks from 2026-11-29, 2026-12-06; 0 parcels held for these rates were assessed\n',
      );
    },
  );
});
