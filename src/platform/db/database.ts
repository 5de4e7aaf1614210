import { mkdirSync } from 'node:fs';
import { PGlite } from '@electric-sql/pglite';
import { Kysely, Migrator, PostgresDialect, sql, type Migration } from 'kysely';
import pg from 'pg';
import { PGliteDialect } from './pglite-dialect.js';
import { acquireEmbeddedLock } from './embedded-lock.js';

// int8 (count(*), bigserial ids) as JS numbers on both engines; PGlite already does this. numeric stays a
// string so that money is never squeezed through binary floating point.
pg.types.setTypeParser(20, (value) => Number(value));

/** The database as the rest of the code sees it; each module narrows `db` to its own tables. */
export interface Database {
  readonly db: Kysely<{}>;
  /** `embedded` is in-process PGlite, `postgres` is a PostgreSQL server. */
  readonly engine: 'embedded' | 'postgres';
  /**
   * Calls `onNotification` for every NOTIFY on `channel` (sent by any process, delivered after its
   * commit) until the returned function is called. On PostgreSQL a connection of its own listens.
   */
  listen(channel: string, onNotification: () => void): Promise<() => Promise<void>>;
  close(): Promise<void>;
}

export interface DatabaseLocation {
  /** A PostgreSQL connection string. Takes precedence over `embeddedDir`. */
  databaseUrl?: string;
  /** Folder of the embedded database, or `memory://` for a throw-away one. */
  embeddedDir?: string;
  /** Told when the server closes an idle pooled connection (logged by the caller; the pool recovers). */
  onIdleConnectionError?: (error: Error) => void;
}

export async function openDatabase(location: DatabaseLocation): Promise<Database> {
  if (location.databaseUrl) {
    const pool = new pg.Pool({ connectionString: location.databaseUrl, max: 10 });
    // An idle connection closed by the server (restart, failover, administrator) emits 'error' on the pool;
    // unhandled, that event would crash the process. The pool drops the client and opens a new one on demand.
    pool.on('error', (error) => location.onIdleConnectionError?.(error));
    const db = new Kysely<{}>({ dialect: new PostgresDialect({ pool }) });
    return {
      db,
      engine: 'postgres',
      listen: (channel, onNotification) =>
        listenOnPostgres(location.databaseUrl!, channel, onNotification, location),
      close: () => db.destroy(),
    };
  }
  const dir = location.embeddedDir ?? 'memory://';
  const inMemory = dir.startsWith('memory://');
  if (!inMemory) mkdirSync(dir, { recursive: true });
  const lock = inMemory ? undefined : acquireEmbeddedLock(dir);
  try {
    const pglite = new PGlite(dir);
    await pglite.waitReady;
    const db = new Kysely<{}>({ dialect: new PGliteDialect(pglite) });
    return {
      db,
      engine: 'embedded',
      // Through the dialect's queue, so that LISTEN never lands inside another caller's open transaction.
      listen: (channel, onNotification) =>
        db.connection().execute(async () => pglite.listen(channel, () => onNotification())),
      close: async () => {
        await db.destroy();
        lock?.release();
      },
    };
  } catch (error) {
    lock?.release();
    throw error;
  }
}

async function listenOnPostgres(
  url: string,
  channel: string,
  onNotification: () => void,
  location: DatabaseLocation,
): Promise<() => Promise<void>> {
  const client = new pg.Client({ connectionString: url });
  // A dropped listening connection only delays delivery until the listener's next poll.
  client.on('error', (error) => location.onIdleConnectionError?.(error));
  client.on('notification', (message) => {
    if (message.channel === channel) onNotification();
  });
  await client.connect();
  await client.query(`listen ${pg.escapeIdentifier(channel)}`);
  return async () => {
    await client.end().catch(() => undefined);
  };
}

/** Applies every pending migration, in name order, each in its own transaction. */
export async function migrateToLatest(
  database: Database,
  migrations: Record<string, Migration>,
): Promise<string[]> {
  const migrator = new Migrator({
    db: database.db,
    provider: { getMigrations: async () => migrations },
    migrationTableName: 'platform_migration',
    migrationLockTableName: 'platform_migration_lock',
    // Migrations are written by module owners in parallel; each touches only its own tables, so one that
    // lands after a higher-numbered one is still applied rather than refusing to start.
    allowUnorderedMigrations: true,
  });
  const { error, results } = await migrator.migrateToLatest();
  if (error) throw error instanceof Error ? error : new Error(String(error));
  return (results ?? [])
    .filter((result) => result.status === 'Success')
    .map((result) => result.migrationName);
}

/** True when the database answers a trivial query; used by the health endpoint. */
export async function isDatabaseReachable(database: Database): Promise<boolean> {
  try {
    await sql`select 1`.execute(database.db);
    return true;
  } catch {
    return false;
  }
}
