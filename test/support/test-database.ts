import { randomBytes } from 'node:crypto';
import pg from 'pg';
import { openDatabase, type Database } from '../../src/platform/db/database.js';

/**
 * Databases for integration tests. Every test file gets its own database: an in-memory PGlite, and a
 * fresh database on the PostgreSQL server named by TEST_DATABASE_URL (or the local default), dropped
 * afterwards. PostgreSQL is skipped, loudly, only outside CI when no server answers.
 */
export type Engine = 'embedded' | 'postgres';

const DEFAULT_URL = 'postgres://postgres:postgres@127.0.0.1:5432/postgres';
const adminUrl = process.env.TEST_DATABASE_URL ?? DEFAULT_URL;

let postgresAvailable: boolean | undefined;

export async function isPostgresAvailable(): Promise<boolean> {
  if (postgresAvailable !== undefined) return postgresAvailable;
  const client = new pg.Client({ connectionString: adminUrl, connectionTimeoutMillis: 2000 });
  try {
    await client.connect();
    await client.query('select 1');
    postgresAvailable = true;
  } catch (error) {
    if (process.env.CI)
      throw new Error(
        `PostgreSQL is required in CI but ${maskUrl(adminUrl)} did not answer: ${(error as Error).message}`,
        { cause: error },
      );
    console.warn(
      `\n*** PostgreSQL tests SKIPPED: no server at ${maskUrl(adminUrl)} (${(error as Error).message}) ***\n`,
    );
    postgresAvailable = false;
  } finally {
    await client.end().catch(() => undefined);
  }
  return postgresAvailable;
}

/** The engines to run integration tests on: always the embedded one, PostgreSQL when a server answers. */
export async function availableEngines(): Promise<Engine[]> {
  return (await isPostgresAvailable()) ? ['embedded', 'postgres'] : ['embedded'];
}

export async function createTestDatabase(engine: Engine): Promise<Database> {
  if (engine === 'embedded') return openDatabase({ embeddedDir: 'memory://' });
  const server = await createPostgresTestDatabase();
  const database = await openDatabase({ databaseUrl: server.url });
  return {
    ...database,
    async close() {
      await database.close();
      await server.drop();
    },
  };
}

/**
 * A fresh, empty database on a PostgreSQL server (by default the test server), for tests that hand its
 * URL to another process and for benchmarks, dropped by `drop`.
 */
export async function createPostgresTestDatabase(
  serverUrl = adminUrl,
  prefix = 'clearway_test',
): Promise<{ url: string; drop(): Promise<void> }> {
  const name = `${prefix}_${randomBytes(5).toString('hex')}`;
  const admin = new pg.Client({ connectionString: serverUrl });
  await admin.connect();
  await admin.query(`create database ${name}`);
  await admin.end();
  const url = new URL(serverUrl);
  url.pathname = `/${name}`;
  return {
    url: url.toString(),
    async drop() {
      const cleanup = new pg.Client({ connectionString: serverUrl });
      await cleanup.connect();
      await cleanup.query(`drop database if exists ${name} with (force)`);
      await cleanup.end();
    },
  };
}

function maskUrl(url: string): string {
  return url.replace(/:\/\/([^:]+):[^@]*@/, '://$1:***@');
}
