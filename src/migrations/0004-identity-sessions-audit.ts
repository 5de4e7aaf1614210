import { sql, type Kysely } from 'kysely';

/**
 * Identity, part two: officer passwords and lockout, verified consumer e-mail addresses linked to one
 * PCCC, scoped and rotatable API keys, sessions, one-time codes, and the hash-chained audit trail that
 * the database itself refuses to change.
 */
export async function up(db: Kysely<any>): Promise<void> {
  await sql`
    alter table identity_account
      add column email_verified_at timestamptz,
      add column failed_logins int not null default 0,
      add column locked_until timestamptz,
      add column password_changed_at timestamptz,
      add column created_by text;
    -- One PCCC belongs to one verified consumer account: a second person cannot link it to their address.
    create unique index identity_account_consumer_pccc on identity_account (pccc)
      where kind = 'consumer' and email_verified_at is not null and disabled_at is null;

    alter table identity_api_key
      add column scopes text[] not null default '{*}',
      add column rotated_from text references identity_api_key (id),
      add column created_by text;
    create index identity_api_key_account on identity_api_key (account_id);

    create table identity_session (
      id text primary key,
      token_sha256 text not null unique,
      account_id text not null references identity_account (id),
      created_at timestamptz not null default now(),
      expires_at timestamptz not null,
      last_seen_at timestamptz not null default now(),
      revoked_at timestamptz
    );
    create index identity_session_account on identity_session (account_id);

    create table identity_one_time_code (
      id bigint generated always as identity primary key,
      account_id text not null references identity_account (id),
      purpose text not null check (purpose in ('sign_in', 'verify_email')),
      code_hash text not null,
      created_at timestamptz not null default now(),
      expires_at timestamptz not null,
      attempts int not null default 0,
      consumed_at timestamptz
    );
    create index identity_one_time_code_account on identity_one_time_code (account_id, created_at);

    create table identity_audit_entry (
      seq bigint primary key check (seq > 0),
      at timestamptz not null,
      actor text not null,
      -- The credential the actor used (api_key:<id>, session:<id>), never its secret.
      via text,
      action text not null,
      subject text,
      details jsonb not null default '{}',
      previous_hash text not null,
      hash text not null unique
    );
    create index identity_audit_entry_action on identity_audit_entry (action, seq);
    create index identity_audit_entry_subject on identity_audit_entry (subject, seq);

    create function identity_audit_entry_refuse_change() returns trigger language plpgsql as $$
    begin
      raise exception 'identity_audit_entry is append-only: % refused', tg_op using errcode = 'insufficient_privilege';
    end;
    $$;
    create trigger identity_audit_entry_append_only before update or delete on identity_audit_entry
      for each row execute function identity_audit_entry_refuse_change();
    create trigger identity_audit_entry_no_truncate before truncate on identity_audit_entry
      for each statement execute function identity_audit_entry_refuse_change();
  `.execute(db);
}
