import { sql, type Kysely } from 'kysely';

/**
 * A job's progress names its stage (a code such as `training`, which the console words in the reader's
 * language) beside the count, so that a long job says what it is doing and not only how far it is.
 */
export async function up(db: Kysely<any>): Promise<void> {
  await sql`alter table platform_job add column progress_stage text`.execute(db);
}
