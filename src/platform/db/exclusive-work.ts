import { sql } from 'kysely';
import type { Database } from './database.js';

/**
 * Runs `work` only if no other process on the database is running work of the same name, and tells
 * whether it ran. On PostgreSQL a session advisory lock, held on one pooled connection for the duration,
 * decides; it is released when the work ends or the process dies (its connection closes), so a
 * standby process takes over at its next try. The embedded database has one process: the work runs.
 */
export async function runExclusively(
  database: Database,
  name: string,
  work: () => Promise<unknown>,
): Promise<boolean> {
  if (database.engine === 'embedded') {
    await work();
    return true;
  }
  return database.db.connection().execute(async (connection) => {
    const key = sql`hashtextextended(${`clearway-exclusive|${name}`}, 0)`;
    const { rows } = await sql<{ locked: boolean }>`select pg_try_advisory_lock(${key}) as locked`.execute(
      connection,
    );
    if (!rows[0]?.locked) return false;
    try {
      await work();
      return true;
    } finally {
      await sql`select pg_advisory_unlock(${key})`.execute(connection);
    }
  });
}
