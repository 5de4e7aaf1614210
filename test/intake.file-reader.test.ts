import { createHash } from 'node:crypto';
import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { systemActor, type Actor } from '../src/platform/auth/actor.js';
import { readFileInWorker } from '../src/modules/intake/adapters/file-reader.js';
import { readFileRecords, type FileReading } from '../src/modules/intake/adapters/file-records.js';
import {
  prepareRecords,
  recordChecks,
  type PreparedRecord,
} from '../src/modules/intake/intake.record-checks.js';
import { EXPRESS_TEST_HEADER as HEADER, expressRow } from './support/express-rows.js';

/** Houses of one and two lines (2,500, enough for three chunks of the thread), a refused value, a short row, another carrier's house. */
function manifest(): string {
  const rows = [HEADER];
  for (let house = 1; house <= 2500; house++) {
    const hawb = `FX${String(house).padStart(7, '0')}`;
    rows.push(expressRow(hawb, house === 9 ? 'Tab\there, ""quoted""' : `Shoes ${house}`, `${house}.5`));
    if (house % 3 === 0) rows.push(expressRow(hawb, `Laces ${house}`, '2'));
  }
  rows.push(expressRow('FX0009000', 'Boots', '-5'));
  rows.push('FEDEX,too,few,cells');
  rows.push(expressRow('DH0000001', 'Kettle', '20').replace('FEDEX', 'DHL'));
  return rows.join('\n');
}

async function collect(records: AsyncIterable<PreparedRecord>): Promise<PreparedRecord[]> {
  const all: PreparedRecord[] = [];
  for await (const record of records) all.push(record);
  return all;
}

describe('reading a file in a thread of its own', () => {
  const dir = mkdtempSync(join(tmpdir(), 'clearway-file-reader-'));
  const file = join(dir, 'manifest.csv');
  writeFileSync(file, manifest());

  it.each([
    ['the system', systemActor, true],
    [
      'a carrier',
      { kind: 'organisation', accountId: 'a1', role: 'carrier', organisation: 'FEDEX' } as Actor,
      false,
    ],
  ])(
    'gives for %s exactly the records, refusals, order and file hash of reading in this thread',
    async (_, actor, stage) => {
      const inThread: FileReading = { bytesRead: 0 };
      const expected = await collect(
        prepareRecords(recordChecks(actor, 'express'), readFileRecords('express', file, inThread), stage),
      );
      const inWorker: FileReading = { bytesRead: 0 };
      const read = await collect(
        readFileInWorker({ actor, channel: 'express', path: file, stage }, inWorker),
      );

      expect(read).toEqual(expected);
      expect(read.filter((record) => record.kind === 'valid')).toHaveLength(
        actor === systemActor ? 2501 : 2500,
      );
      // The short row is refused as it is read, before the house whose lines it ends is complete.
      expect(read.filter((record) => record.kind === 'refused').map((record) => record.line)).toEqual(
        actor === systemActor ? [3336, 3335] : [3336, 3335, 3337],
      );
      const sha256 = createHash('sha256').update(readFileSync(file)).digest('hex');
      expect(inWorker).toEqual({ bytesRead: readFileSync(file).length, fileSha256: sha256 });
      expect(inThread).toEqual(inWorker);
    },
  );

  it('stops the thread when the reading stops early, and reports a file it cannot read', async () => {
    const first: PreparedRecord[] = [];
    for await (const record of readFileInWorker(
      { actor: systemActor, channel: 'express', path: file, stage: true },
      { bytesRead: 0 },
    )) {
      first.push(record);
      if (first.length === 10) break;
    }
    expect(first.map((record) => record.line)).toEqual([2, 3, 4, 6, 7, 8, 10, 11, 12, 14]);
    await expect(
      collect(
        readFileInWorker(
          { actor: systemActor, channel: 'express', path: join(dir, 'missing.csv'), stage: true },
          { bytesRead: 0 },
        ),
      ),
    ).rejects.toThrow(/ENOENT/);
  });
});
