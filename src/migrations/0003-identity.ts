import { sql, type Kysely } from 'kysely';

/** Identity tables: accounts and API keys (secrets stored only as hashes). */
export async function up(db: Kysely<any>): Promise<void> {
  await sql`
    create table identity_account (
      id text primary key,
      kind text not null check (kind in ('officer', 'organisation', 'consumer')),
      display_name text not null,
      roles text[] not null default '{}',
      organisation text,
      email text,
      pccc text,
      password_hash text,
      disabled_at timestamptz,
      created_at timestamptz not null default now()
    );
    create unique index identity_account_email on identity_account (lower(email)) where email is not null;

    create table identity_api_key (
      id text primary key,
      account_id text not null references identity_account (id),
      secret_sha256 text not null unique,
      label text,
      created_at timestamptz not null default now(),
      expires_at timestamptz,
      revoked_at timestamptz,
      last_used_at timestamptz
    );
  `.execute(db);
}
