import { sql, type Kysely } from 'kysely';

/**
 * Partners: agreements with carriers, posts and agencies; alerts and training material with their
 * readers; carriers' own inspection figures; compliance evaluations; product-safety reports, their
 * pictures and hits; foreign online seller registrations and their decisions.
 */
export async function up(db: Kysely<any>): Promise<void> {
  await sql`
    create table partners_agreement (
      organisation_code text primary key check (organisation_code = upper(organisation_code)),
      organisation_role text not null check (organisation_role in ('carrier', 'postal_operator', 'agency')),
      name text not null,
      starts_on date not null,
      ends_on date not null check (ends_on >= starts_on),
      offices text[] not null default '{}',
      contacts jsonb not null default '[]',
      obligations text[] not null default '{}',
      data_sharing text[] not null default '{}' check (data_sharing <@ array['tracking_number', 'carrier', 'hs_code']),
      status text not null check (status in ('active', 'suspended', 'terminated')),
      status_reason text,
      updated_by text not null,
      updated_at timestamptz not null default now()
    );

    create table partners_alert (
      id bigint generated always as identity primary key,
      kind text not null check (kind in ('alert', 'training')),
      category text not null check (category in ('narcotics', 'firearms', 'dangerous_goods', 'counterfeit', 'other')),
      title text not null,
      body text not null,
      concealment_method text,
      route text,
      indicators text[] not null default '{}',
      case_reference text,
      suspect_names text[] not null default '{}',
      audience text[],
      published_by text not null,
      published_at timestamptz not null default now()
    );

    create table partners_alert_receipt (
      alert_id bigint not null references partners_alert (id),
      account_id text not null,
      organisation_code text not null,
      read_at timestamptz not null default now(),
      acknowledged_at timestamptz,
      primary key (alert_id, account_id)
    );

    create table partners_picture (
      id bigint generated always as identity primary key,
      owner_kind text not null check (owner_kind in ('alert', 'safety_report')),
      owner_id bigint not null,
      media_type text not null,
      byte_size int not null,
      content_sha256 text not null,
      content bytea not null,
      uploaded_by text not null,
      uploaded_at timestamptz not null default now(),
      unique (owner_kind, owner_id, content_sha256)
    );

    create table partners_inspection_report (
      carrier_code text not null,
      period text not null check (period ~ '^[0-9]{4}-Q[1-4]$'),
      parcels_handled int not null check (parcels_handled >= 0),
      parcels_screened int not null check (parcels_screened >= 0),
      parcels_inspected int not null check (parcels_inspected >= 0),
      findings int not null check (findings >= 0),
      revision int not null default 1,
      submitted_by text not null,
      submitted_at timestamptz not null default now(),
      primary key (carrier_code, period)
    );

    create table partners_compliance_evaluation (
      carrier_code text not null,
      period text not null,
      score numeric(5, 1) not null,
      level text not null check (level in ('low', 'medium', 'high')),
      indicators jsonb not null,
      evaluated_at timestamptz not null default now(),
      primary key (carrier_code, period)
    );

    create table partners_safety_report (
      id bigint generated always as identity primary key,
      agency_code text not null,
      product_name text not null,
      brand text,
      model text,
      hs_code text,
      seller_id text,
      listing_url text,
      hazard text not null,
      recall_reference text,
      content_sha256 text not null,
      submitted_by text not null,
      created_at timestamptz not null default now(),
      backfilled_at timestamptz,
      unique (agency_code, content_sha256)
    );

    create table partners_safety_hit (
      report_id bigint not null references partners_safety_report (id),
      parcel_id bigint not null,
      line_number int not null,
      order_id bigint,
      line_text text not null,
      carrier_code text,
      tracking_number text,
      hs_code text,
      matched_on text[] not null,
      score real not null,
      found_at timestamptz not null default now(),
      primary key (report_id, parcel_id, line_number)
    );
    create index partners_safety_hit_parcel on partners_safety_hit (parcel_id);

    create table partners_seller_registration (
      id bigint generated always as identity primary key,
      registration_number text not null unique,
      legal_name text not null,
      country text not null,
      address jsonb not null,
      marketplaces text[] not null,
      contact jsonb not null,
      documents text[] not null default '{}',
      status text not null check (status in ('applied', 'approved', 'rejected', 'suspended')),
      applicant_email text not null,
      created_at timestamptz not null default now()
    );

    create table partners_seller_decision (
      id bigint generated always as identity primary key,
      registration_id bigint not null references partners_seller_registration (id),
      decision text not null check (decision in ('approved', 'rejected', 'suspended')),
      reason text,
      decided_by text not null,
      decided_at timestamptz not null default now()
    );
    create index partners_seller_decision_registration on partners_seller_decision (registration_id, id);
  `.execute(db);
}
