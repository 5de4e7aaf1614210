import { sql, type Kysely } from 'kysely';

/**
 * Intake tables: every electronic parcel datum as received. Each record keeps the message it came from
 * (`message_id`, `source_line`) and is unique by its natural key, so re-sending changes nothing.
 */
export async function up(db: Kysely<any>): Promise<void> {
  await sql`
    create table intake_message (
      id bigint generated always as identity primary key,
      channel text not null check (channel in ('postal', 'express', 'orders', 'payments', 'kcs', 'sellers')),
      format text not null check (format in ('json', 'xml', 'csv')),
      transport text not null check (transport in ('http', 'file')),
      file_name text,
      content_sha256 text not null,
      byte_size bigint not null,
      body text,
      idempotency_key text,
      submitted_by text,
      received_at timestamptz not null default now(),
      summary jsonb
    );
    create unique index intake_message_idempotency on intake_message (submitted_by, idempotency_key)
      where idempotency_key is not null;

    create table intake_party (
      id bigint generated always as identity primary key,
      kind text not null check (kind in ('seller', 'marketplace', 'buyer', 'carrier', 'postal_operator', 'declarant')),
      party_key text not null,
      name text,
      country text,
      address jsonb,
      email text,
      phone text,
      registration_number text,
      registration_status text,
      registered_at timestamptz,
      created_at timestamptz not null default now(),
      unique (kind, party_key)
    );

    create table intake_master_waybill (
      id bigint generated always as identity primary key,
      carrier_party_id bigint not null references intake_party (id),
      mawb text not null,
      flight text,
      arrival_date date,
      unique (carrier_party_id, mawb)
    );

    -- One house-level shipment: a postal item (S10 id) or an express house air waybill.
    create table intake_parcel (
      id bigint generated always as identity primary key,
      channel text not null check (channel in ('postal', 'express')),
      tracking_number text not null,
      carrier_party_id bigint not null references intake_party (id),
      master_waybill_id bigint references intake_master_waybill (id),
      seller_party_id bigint references intake_party (id),
      buyer_party_id bigint references intake_party (id),
      pccc text,
      office_code text,
      category text,
      sender jsonb not null,
      addressee jsonb not null,
      gross_mass_kg numeric(14, 3),
      pieces int,
      declared_value numeric(18, 2) not null,
      currency char(3) not null,
      freight_value numeric(18, 2),
      arrival_date date,
      documents jsonb,
      content_sha256 text not null,
      message_id bigint not null references intake_message (id),
      source_line int,
      received_at timestamptz not null default now(),
      unique (carrier_party_id, tracking_number)
    );
    create index intake_parcel_tracking on intake_parcel (tracking_number);
    create index intake_parcel_pccc on intake_parcel (pccc, arrival_date);
    create index intake_parcel_received on intake_parcel (received_at);
    create index intake_parcel_master on intake_parcel (master_waybill_id);
    create index intake_parcel_seller on intake_parcel (seller_party_id, arrival_date);

    -- A declaration: for parcels, the CN23 or express declaration; for history imports, a KCS row.
    create table intake_declaration (
      id bigint generated always as identity primary key,
      parcel_id bigint references intake_parcel (id),
      source text not null check (source in ('postal', 'express', 'kcs')),
      external_id text not null,
      declared_on date not null,
      office_code text,
      declarant_key text,
      importer_key text,
      seller_key text,
      courier_key text,
      attributes jsonb not null default '{}',
      message_id bigint not null references intake_message (id),
      source_line int,
      unique (source, external_id)
    );
    create index intake_declaration_date on intake_declaration (declared_on);
    create index intake_declaration_parcel on intake_declaration (parcel_id);

    create table intake_declaration_line (
      declaration_id bigint not null references intake_declaration (id) on delete cascade,
      line_number int not null,
      description text not null,
      quantity numeric(14, 3) not null,
      net_mass_kg numeric(14, 3),
      value numeric(18, 2) not null,
      currency char(3) not null,
      hs_code text,
      origin_country char(2),
      primary key (declaration_id, line_number)
    );
    create index intake_declaration_line_hs6 on intake_declaration_line (substr(hs_code, 1, 6));

    -- Outcomes of past inspections (history imports and inspectors' results): the risk model's labels.
    create table intake_inspection_outcome (
      declaration_id bigint primary key references intake_declaration (id),
      fraud boolean not null,
      critical_level smallint not null check (critical_level between 0 and 2),
      source text not null,
      recorded_at timestamptz not null default now()
    );

    create table intake_order (
      id bigint generated always as identity primary key,
      marketplace_party_id bigint not null references intake_party (id),
      order_number text not null,
      seller_party_id bigint references intake_party (id),
      listing_url text,
      product_title text not null,
      price_paid numeric(18, 2) not null,
      currency char(3) not null,
      quantity numeric(14, 3),
      buyer_pccc text,
      buyer_name text,
      deliver_to jsonb,
      tracking_number text,
      ordered_at timestamptz not null,
      content_sha256 text not null,
      message_id bigint not null references intake_message (id),
      source_line int,
      received_at timestamptz not null default now(),
      unique (marketplace_party_id, order_number)
    );
    create index intake_order_tracking on intake_order (tracking_number);

    create table intake_payment (
      id bigint generated always as identity primary key,
      marketplace_party_id bigint not null references intake_party (id),
      payment_reference text not null,
      order_number text not null,
      method text not null,
      amount numeric(18, 2) not null,
      currency char(3) not null,
      foreign_amount numeric(18, 2),
      foreign_currency char(3),
      paid_at timestamptz not null,
      payer_name text,
      content_sha256 text not null,
      message_id bigint not null references intake_message (id),
      source_line int,
      received_at timestamptz not null default now(),
      unique (marketplace_party_id, payment_reference)
    );
    create index intake_payment_order on intake_payment (marketplace_party_id, order_number);
  `.execute(db);
}
