import { mkdtempSync, readFileSync, rmSync, writeFileSync, existsSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { acquireEmbeddedLock, EmbeddedDatabaseInUseError, lockFileOf } from './embedded-lock.js';

describe('the lock of an embedded database folder', () => {
  const folder = mkdtempSync(join(tmpdir(), 'clearway-lock-'));
  const directory = join(folder, 'pglite');
  afterEach(() => rmSync(lockFileOf(directory), { force: true }));

  it('lets one holder in at a time and names it to the next', () => {
    const lock = acquireEmbeddedLock(directory);
    expect(readFileSync(lockFileOf(directory), 'utf8').trim()).toBe(String(process.pid));
    expect(() => acquireEmbeddedLock(directory)).toThrow(EmbeddedDatabaseInUseError);
    expect(() => acquireEmbeddedLock(directory)).toThrow(`in use by process ${process.pid}`);
    lock.release();
    expect(existsSync(lockFileOf(directory))).toBe(false);
    acquireEmbeddedLock(directory).release();
  });

  it('takes over a lock left by a process that is gone', () => {
    // Process ids are at most 2^22 on Linux: this one cannot be running.
    writeFileSync(lockFileOf(directory), '99999999\n');
    const lock = acquireEmbeddedLock(directory);
    expect(readFileSync(lockFileOf(directory), 'utf8').trim()).toBe(String(process.pid));
    lock.release();
  });
});
