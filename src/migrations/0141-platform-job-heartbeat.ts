import { sql, type Kysely } from 'kysely';

/**
 * Several worker processes share the job queue. A worker that runs a job stamps `heartbeat_at` while it
 * runs; a job whose stamp is older than the staleness limit belonged to a worker that died (kill -9, a
 * lost machine) and is taken over by another, instead of staying 'running' for ever.
 */
export async function up(db: Kysely<any>): Promise<void> {
  await sql`
    alter table platform_job add column heartbeat_at timestamptz;
    update platform_job set heartbeat_at = started_at where state = 'running';
    create index platform_job_running on platform_job (heartbeat_at) where state = 'running';
  `.execute(db);
}
