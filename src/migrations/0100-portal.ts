import { sql, type Kysely } from 'kysely';

/**
 * Portal: the PCCC registry imported from the issuing system, the links between a registry entry and a
 * verified consumer account (proved by a code sent to the contact on file), suspensions of list
 * clearance under a code, misuse reports, registered delivery addresses, notices already sent, and
 * consumers' inquiries with their messages and attachments.
 */
export async function up(db: Kysely<any>): Promise<void> {
  await sql`
    create table portal_pccc_registry (
      pccc text primary key check (pccc ~ '^P[0-9]{12}$'),
      holder_name text not null,
      email text,
      phone text,
      issued_on date not null,
      expires_on date not null check (expires_on >= issued_on),
      status text not null check (status in ('active', 'cancelled')),
      renewal_reminded_for date,
      imported_at timestamptz not null default now(),
      check (email is not null or phone is not null)
    );

    create table portal_pccc_link (
      pccc text primary key references portal_pccc_registry (pccc),
      account_id text not null unique,
      linked_at timestamptz not null default now()
    );

    create table portal_link_code (
      id bigint generated always as identity primary key,
      account_id text not null,
      pccc text not null references portal_pccc_registry (pccc),
      code_hash text not null,
      attempts int not null default 0,
      created_at timestamptz not null default now(),
      expires_at timestamptz not null,
      consumed_at timestamptz
    );
    create index portal_link_code_account on portal_link_code (account_id, created_at);

    create table portal_misuse_report (
      id bigint generated always as identity primary key,
      pccc text not null references portal_pccc_registry (pccc),
      account_id text not null,
      parcel_ids bigint[] not null check (cardinality(parcel_ids) between 1 and 100),
      statement text not null,
      status text not null default 'open' check (status in ('open', 'confirmed', 'dismissed')),
      officer_note text,
      worked_by text,
      worked_at timestamptz,
      created_at timestamptz not null default now()
    );
    create index portal_misuse_report_pccc on portal_misuse_report (pccc, created_at desc);
    create index portal_misuse_report_open on portal_misuse_report (status, created_at);

    -- One row per reason list clearance is suspended under a code; lifting deletes the row.
    create table portal_pccc_suspension (
      pccc text not null references portal_pccc_registry (pccc),
      source text not null check (source in ('holder', 'misuse_report')),
      misuse_report_id bigint references portal_misuse_report (id),
      suspended_by text not null,
      suspended_at timestamptz not null default now(),
      primary key (pccc, source)
    );

    create table portal_delivery_address (
      id bigint generated always as identity primary key,
      pccc text not null references portal_pccc_registry (pccc),
      label text not null,
      address text not null,
      address_key text not null,
      created_at timestamptz not null default now(),
      unique (pccc, address_key)
    );

    -- Notices mailed about a parcel, so that a re-delivered event never mails twice.
    create table portal_parcel_notice (
      parcel_id bigint not null,
      kind text not null check (kind in ('unregistered_address')),
      pccc text not null,
      sent_at timestamptz not null default now(),
      primary key (parcel_id, kind)
    );

    create table portal_inquiry (
      id bigint generated always as identity primary key,
      pccc text not null references portal_pccc_registry (pccc),
      account_id text not null,
      parcel_id bigint,
      subject text not null,
      status text not null default 'open' check (status in ('open', 'answered', 'closed')),
      language text not null check (language in ('ko', 'en', 'fr')),
      created_at timestamptz not null default now(),
      answer_due_at timestamptz not null,
      answered_at timestamptz
    );
    create index portal_inquiry_account on portal_inquiry (account_id, created_at desc);
    create index portal_inquiry_status on portal_inquiry (status, answer_due_at);

    create table portal_inquiry_message (
      id bigint generated always as identity primary key,
      inquiry_id bigint not null references portal_inquiry (id),
      author_kind text not null check (author_kind in ('consumer', 'officer')),
      author text not null,
      body text not null,
      created_at timestamptz not null default now()
    );
    create index portal_inquiry_message_inquiry on portal_inquiry_message (inquiry_id, id);

    create table portal_inquiry_attachment (
      id bigint generated always as identity primary key,
      inquiry_id bigint not null references portal_inquiry (id),
      file_name text not null,
      media_type text not null,
      byte_size int not null,
      content_sha256 text not null,
      content bytea not null,
      created_at timestamptz not null default now()
    );
    create index portal_inquiry_attachment_inquiry on portal_inquiry_attachment (inquiry_id);
  `.execute(db);
}
