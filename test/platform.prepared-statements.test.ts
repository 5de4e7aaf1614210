import { sql } from 'kysely';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Database } from '../src/platform/db/database.js';
import { prepared } from '../src/platform/db/prepared-statements.js';
import { availableEngines, createTestDatabase } from './support/test-database.js';

describe.each(await availableEngines())('statements marked prepared on %s', (engine) => {
  let database: Database;
  beforeAll(async () => {
    database = await createTestDatabase(engine);
    await sql`create table sample (id bigint primary key, label text)`.execute(database.db);
    await sql`insert into sample select n, 'label ' || n from generate_series(1, 50) n`.execute(database.db);
  });
  afterAll(async () => database?.close());

  const labelsOf = (tx: Database['db'], ids: number[]) =>
    sql<{ label: string }>`${prepared}
      select label from sample where id = any(${ids}::bigint[]) order by id`.execute(tx);

  it('answer as the same statement unmarked does, run after run, on one connection', async () => {
    await database.db.connection().execute(async (connection) => {
      // More runs than the server's five custom plans, with other values each time.
      for (let run = 1; run <= 8; run++) {
        const ids = [run, run + 10, 1000];
        const { rows } = await labelsOf(connection, ids);
        expect(rows.map((row) => row.label)).toEqual([`label ${run}`, `label ${run + 10}`]);
      }
    });
  });

  it.runIf(engine === 'postgres')(
    'are prepared once per connection on PostgreSQL, and only those marked',
    async () => {
      await database.db.connection().execute(async (connection) => {
        await labelsOf(connection, [1]);
        await labelsOf(connection, [2]);
        await sql`select label from sample where id = ${3}`.execute(connection);
        const { rows } = await sql<{ statement: string; generic_plans: number; custom_plans: number }>`
          select statement, generic_plans, custom_plans from pg_prepared_statements`.execute(connection);
        expect(rows).toHaveLength(1);
        expect(rows[0]!.statement).toMatch(/^\/\* prepared \*\/\s+select label from sample/);
        // The pool asks for generic plans of the marked statements: planned once, whatever the values.
        expect(Number(rows[0]!.generic_plans) + Number(rows[0]!.custom_plans)).toBeGreaterThanOrEqual(1);
        expect(Number(rows[0]!.custom_plans)).toBe(0);
      });
    },
  );
});
