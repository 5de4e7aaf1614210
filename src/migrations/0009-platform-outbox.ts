import { sql, type Kysely } from 'kysely';

/** The transactional outbox: events recorded with the write that caused them, one row per subscriber. */
export async function up(db: Kysely<any>): Promise<void> {
  await sql`
    create table platform_outbox (
      id bigint generated always as identity primary key,
      subscriber text not null,
      topic text not null,
      payload jsonb not null,
      attempts int not null default 0,
      available_at timestamptz not null default now(),
      last_error text,
      created_at timestamptz not null default now()
    );
    create index platform_outbox_due on platform_outbox (subscriber, available_at, id);
  `.execute(db);
}
