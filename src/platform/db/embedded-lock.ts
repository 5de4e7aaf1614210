import { readFileSync, rmSync, writeFileSync } from 'node:fs';

/**
 * The embedded database is a folder that only one process may open: a second PGlite on the same files
 * does not see the first one's writes and corrupts them (it ends in `Aborted()`). A lock file next to the
 * folder, created atomically and naming its process, turns that into a clear refusal. A lock whose
 * process is gone (killed, crashed) is taken over.
 */
export class EmbeddedDatabaseInUseError extends Error {
  constructor(
    readonly directory: string,
    readonly holderPid: number,
  ) {
    super(
      `the embedded database ${directory} is in use by process ${holderPid}: stop that process (Ctrl-C) and try again, or set DATABASE_URL to share a PostgreSQL server`,
    );
  }
}

export interface EmbeddedLock {
  release(): void;
}

export function lockFileOf(directory: string): string {
  return `${directory.replace(/\/+$/, '')}.lock`;
}

/** Takes the lock of an embedded database folder, or throws EmbeddedDatabaseInUseError naming its holder. */
export function acquireEmbeddedLock(directory: string): EmbeddedLock {
  const path = lockFileOf(directory);
  for (let attempt = 0; attempt < 2; attempt++) {
    try {
      writeFileSync(path, `${process.pid}\n`, { flag: 'wx' });
      const release = () => {
        if (holderOf(path) === process.pid) rmSync(path, { force: true });
        process.off('exit', release);
      };
      // A process that exits without closing the database (an uncaught error) leaves no lock behind.
      process.on('exit', release);
      return { release };
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code !== 'EEXIST') throw error;
      const holder = holderOf(path);
      if (holder !== undefined && isAlive(holder)) throw new EmbeddedDatabaseInUseError(directory, holder);
      rmSync(path, { force: true }); // left by a process that is gone
    }
  }
  throw new EmbeddedDatabaseInUseError(directory, holderOf(path) ?? 0);
}

/** The process holding the lock of an embedded database folder, if it is still running. */
export function embeddedLockHolder(directory: string): number | undefined {
  const holder = holderOf(lockFileOf(directory));
  return holder !== undefined && isAlive(holder) ? holder : undefined;
}

function holderOf(path: string): number | undefined {
  try {
    const pid = Number.parseInt(readFileSync(path, 'utf8'), 10);
    return Number.isInteger(pid) && pid > 0 ? pid : undefined;
  } catch {
    return undefined;
  }
}

function isAlive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (error) {
    // EPERM: the process exists but belongs to someone else.
    return (error as NodeJS.ErrnoException).code === 'EPERM';
  }
}
