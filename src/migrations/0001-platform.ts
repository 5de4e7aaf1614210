import { sql, type Kysely } from 'kysely';

/** Technical kernel tables: the database-backed job queue. */
export async function up(db: Kysely<any>): Promise<void> {
  await sql`
    create table platform_job (
      id bigint generated always as identity primary key,
      kind text not null,
      payload jsonb not null,
      state text not null default 'queued' check (state in ('queued', 'running', 'succeeded', 'failed')),
      progress_done bigint not null default 0,
      progress_total bigint,
      result jsonb,
      error text,
      attempts int not null default 0,
      created_by text,
      created_at timestamptz not null default now(),
      started_at timestamptz,
      finished_at timestamptz,
      run_after timestamptz not null default now()
    );
    create index platform_job_queued on platform_job (run_after) where state = 'queued';
  `.execute(db);
}
