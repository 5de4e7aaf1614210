import { mkdirSync } from 'node:fs';
import { PGlite } from '@electric-sql/pglite';
import { Readable } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import {
  Kysely,
  Migrator,
  PostgresDialect,
  sql,
  type KyselyConfig,
  type Migration,
  type Transaction,
} from 'kysely';
import pg from 'pg';
import { from as copyFrom } from 'pg-copy-streams';
import { PGliteDialect } from './pglite-dialect.js';
import { acquireEmbeddedLock } from './embedded-lock.js';
import { preparingPool } from './prepared-statements.js';

// int8 (count(*), bigserial ids) as JS numbers on both engines; PGlite already does this. numeric stays a
// string so that money is never squeezed through binary floating point.
pg.types.setTypeParser(20, (value) => Number(value));

/** The database as the rest of the code sees it; each module narrows `db` to its own tables. */
export interface Database {
  readonly db: Kysely<{}>;
  /** `embedded` is in-process PGlite, `postgres` is a PostgreSQL server. */
  readonly engine: 'embedded' | 'postgres';
  /**
   * Calls `onNotification` with the payload of every NOTIFY on `channel` (sent by any process, delivered
   * after its commit) until the returned function is called. On PostgreSQL a connection of its own
   * listens, and is opened again when the server drops it (a restart): then `onNotification('')` tells
   * the listener that notifications may have been missed.
   */
  listen(channel: string, onNotification: (payload: string) => void): Promise<() => Promise<void>>;
  /**
   * Runs `work` in one transaction in which `copy` streams rows with `COPY ... FROM STDIN` (PostgreSQL
   * text format). On PostgreSQL each call holds a pooled connection of its own, so several run side by
   * side; the embedded database has one session and runs them one after the other. Absent on databases
   * assembled by hand (benchmarks), where bulk writers fall back to batched inserts.
   */
  copyTransaction?<T>(work: (tx: Transaction<{}>, copy: CopyIn) => Promise<T>): Promise<T>;
  close(): Promise<void>;
}

/** `COPY <table> (<columns>) FROM STDIN` of rows already written in PostgreSQL's text format. */
export type CopyIn = (table: string, columns: readonly string[], rows: string) => Promise<void>;

function copyStatement(table: string, columns: readonly string[], source: string): string {
  return `copy ${pg.escapeIdentifier(table)} (${columns.map((column) => pg.escapeIdentifier(column)).join(', ')}) from ${source}`;
}

export interface DatabaseLocation {
  /** A PostgreSQL connection string. Takes precedence over `embeddedDir`. */
  databaseUrl?: string;
  /** Connections to the PostgreSQL server at most (10 when left out). */
  poolSize?: number;
  /** Folder of the embedded database, or `memory://` for a throw-away one. */
  embeddedDir?: string;
  /** Told when the server closes an idle pooled connection (logged by the caller; the pool recovers). */
  onIdleConnectionError?: (error: Error) => void;
}

export async function openDatabase(location: DatabaseLocation): Promise<Database> {
  if (location.databaseUrl) {
    // JIT compilation off: the per-month partitions multiply the planner's cost estimates of the hot
    // queries past jit_above_cost, and compiling then took 300-1,000 ms of a query that runs in 6 ms
    // (a seller's history over 13 months, bench/partitioned-hot-queries.bench.ts).
    // Generic plans for the hot statements that run prepared (prepared-statements.ts): only those are
    // named, and every other statement is planned for its values whatever this setting says.
    const pool = new pg.Pool({
      connectionString: location.databaseUrl,
      max: location.poolSize ?? 10,
      options: '-c jit=off -c plan_cache_mode=force_generic_plan',
    });
    // An idle connection closed by the server (restart, failover, administrator) emits 'error' on the pool;
    // unhandled, that event would crash the process. The pool drops the client and opens a new one on demand.
    pool.on('error', (error) => location.onIdleConnectionError?.(error));
    // A connection the server closes while it is checked out (a restart or failover in the middle of a
    // transaction, between two statements) emits 'error' on its client, which would crash the process
    // as well; the transaction's next statement fails instead, and the pool discards the connection.
    pool.on('connect', (client) => client.on('error', (error) => location.onIdleConnectionError?.(error)));
    const db = new Kysely<{}>({ dialect: new PostgresDialect({ pool: preparingPool(pool) }) });
    return {
      db,
      engine: 'postgres',
      listen: (channel, onNotification) =>
        listenOnPostgres(location.databaseUrl!, channel, onNotification, location),
      copyTransaction: postgresCopyTransaction(pool),
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
        db.connection().execute(async () => pglite.listen(channel, (payload) => onNotification(payload))),
      copyTransaction: pgliteCopyTransaction(db, pglite),
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

type CopyTransaction = NonNullable<Database['copyTransaction']>;

/** `Database.copyTransaction` on PGlite: its one session is the transaction's, so COPY FROM '/dev/blob' lands inside it. */
export function pgliteCopyTransaction(db: Kysely<{}>, pglite: PGlite): CopyTransaction {
  return (work) =>
    db.transaction().execute((tx) =>
      work(tx, async (table, columns, rows) => {
        await pglite.query(copyStatement(table, columns, "'/dev/blob'"), [], { blob: new Blob([rows]) });
      }),
    );
}

/**
 * `Database.copyTransaction` on PostgreSQL (see `copyTransactionOnPostgres`); `log` is Kysely's query log
 * of the transactions' statements (bench/bulk-intake.bench.ts times them).
 */
export function postgresCopyTransaction(pool: pg.Pool, log?: KyselyConfig['log']): CopyTransaction {
  return (work) => copyTransactionOnPostgres(pool, work, log);
}

/**
 * A transaction on one pooled connection that both Kysely and COPY use: Kysely sees a pool of that single
 * client, so its statements and the COPY streams share the transaction.
 */
async function copyTransactionOnPostgres<T>(
  pool: pg.Pool,
  work: (tx: Transaction<{}>, copy: CopyIn) => Promise<T>,
  log: KyselyConfig['log'],
): Promise<T> {
  const client = await pool.connect();
  let failure: Error | undefined;
  const single = new Kysely<{}>({
    dialect: new PostgresDialect({
      pool: {
        connect: async () => ({ query: client.query.bind(client), release: () => undefined }),
        end: async () => undefined,
      } as unknown as pg.Pool,
    }),
    log,
  });
  try {
    return await single.transaction().execute((tx) =>
      work(tx, async (table, columns, rows) => {
        await pipeline(Readable.from([rows]), client.query(copyFrom(copyStatement(table, columns, 'stdin'))));
      }),
    );
  } catch (error) {
    // A connection whose COPY broke off may be mid-protocol: it is closed rather than handed to someone else.
    if (!(error as { code?: unknown }).code) failure = error as Error;
    throw error;
  } finally {
    client.release(failure);
    await single.destroy();
  }
}

async function listenOnPostgres(
  url: string,
  channel: string,
  onNotification: (payload: string) => void,
  location: DatabaseLocation,
): Promise<() => Promise<void>> {
  let client: pg.Client | undefined;
  let stopped = false;
  let retry: NodeJS.Timeout | undefined;
  const connect = async (): Promise<void> => {
    const listener = new pg.Client({ connectionString: url });
    client = listener;
    listener.on('notification', (message) => {
      if (message.channel === channel) onNotification(message.payload ?? '');
    });
    // A dropped listening connection (a restart, an administrator) is opened again, so that a worker
    // goes back to delivering at each commit rather than at its poll only.
    const reopen = (error?: Error) => {
      if (error) location.onIdleConnectionError?.(error);
      if (stopped || client !== listener || retry) return;
      client = undefined;
      listener.end().catch(() => undefined);
      retry = setTimeout(() => {
        retry = undefined;
        connect().then(
          () => onNotification(''),
          (failure: Error) => reopen(failure),
        );
      }, 1000);
      retry.unref();
    };
    listener.on('error', reopen);
    listener.on('end', () => reopen());
    await listener.connect();
    await listener.query(`listen ${pg.escapeIdentifier(channel)}`);
  };
  await connect();
  return async () => {
    stopped = true;
    clearTimeout(retry);
    await client?.end().catch(() => undefined);
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
