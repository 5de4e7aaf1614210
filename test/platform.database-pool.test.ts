import { sql } from 'kysely';
import { describe, expect, it } from 'vitest';
import { openDatabase } from '../src/platform/db/database.js';
import { ConfigError, loadConfig } from '../src/platform/config/config.js';
import { createPostgresTestDatabase, isPostgresAvailable } from './support/test-database.js';

const postgres = await isPostgresAvailable();

describe('DATABASE_POOL_SIZE', () => {
  it('defaults to 10 connections and refuses a size below one, naming the variable', () => {
    expect(loadConfig({ NODE_ENV: 'test' }).DATABASE_POOL_SIZE).toBe(10);
    expect(loadConfig({ NODE_ENV: 'test', DATABASE_POOL_SIZE: '4' }).DATABASE_POOL_SIZE).toBe(4);
    expect(() => loadConfig({ NODE_ENV: 'test', DATABASE_POOL_SIZE: '0' })).toThrow(ConfigError);
    expect(() => loadConfig({ NODE_ENV: 'test', DATABASE_POOL_SIZE: '0' })).toThrow(/DATABASE_POOL_SIZE/);
  });

  it.runIf(postgres)('runs no more statements at once than the pool has connections', async () => {
    const server = await createPostgresTestDatabase();
    const database = await openDatabase({ databaseUrl: server.url, poolSize: 2 });
    try {
      // Six slow statements asked at once: two run, the others wait in the process for a connection.
      const started = performance.now();
      const backends = await Promise.all(
        Array.from({ length: 6 }, () =>
          sql<{ pid: number }>`select pg_backend_pid() as pid, pg_sleep(0.1)`.execute(database.db),
        ),
      );
      expect(new Set(backends.map(({ rows }) => rows[0]!.pid)).size).toBe(2);
      expect(performance.now() - started).toBeGreaterThanOrEqual(290);
    } finally {
      await database.close();
      await server.drop();
    }
  });
});
