import { sql, type Kysely } from 'kysely';

/**
 * Saved questions: an officer keeps a question together with the understanding it corrected, and may
 * share it with every other asker (shared favourites are listed to all, edited only by their owner).
 */
export async function up(db: Kysely<any>): Promise<void> {
  await sql`
    create table questions_favourite (
      id bigint generated always as identity primary key,
      owner text not null,
      name text not null check (length(name) between 1 and 200),
      question text not null,
      language text not null check (language in ('ko', 'en', 'fr')),
      query jsonb not null,
      shared boolean not null default false,
      created_at timestamptz not null default now()
    );
    create index questions_favourite_owner on questions_favourite (owner);
    create index questions_favourite_shared on questions_favourite (shared) where shared;
  `.execute(db);
}
