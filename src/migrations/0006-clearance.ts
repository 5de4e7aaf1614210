import { sql, type Kysely } from 'kysely';

/**
 * Clearance tables: weekly exchange rates, the clearance state of each parcel with its assessment and
 * history, inspection results (the risk model's labels), seizures (WCO CEN fields), delivery addresses
 * reported by carriers, and the outbox of notifications to carriers and posts with their webhooks.
 * Parcels are referred to by the intake parcel id without a foreign key: modules never share tables.
 */
export async function up(db: Kysely<any>): Promise<void> {
  await sql`
    create table clearance_exchange_rate (
      currency char(3) not null,
      week_starting date not null,
      krw_per_unit numeric(18, 4) not null check (krw_per_unit > 0),
      unit int not null default 1,
      source text not null,
      loaded_by text not null,
      loaded_at timestamptz not null default now(),
      primary key (currency, week_starting)
    );

    create table clearance_parcel (
      parcel_id bigint primary key,
      channel text not null check (channel in ('postal', 'express')),
      carrier_code text not null,
      tracking_number text not null,
      state text not null check (state in ('received', 'assessed', 'held', 'under_inspection', 'released', 'seized', 'returned')),
      pccc text,
      seller_key text,
      purchase_date date,
      arrival_date date,
      split_from_waybill text,
      addressee_address_key text,
      delivery_address_key text,
      goods_price_krw bigint,
      limit_krw bigint,
      list_clearance boolean,
      taxable boolean,
      total_tax_krw bigint,
      assessment jsonb,
      assessment_error text,
      assessed_at timestamptz,
      created_at timestamptz not null default now(),
      updated_at timestamptz not null default now(),
      unique (carrier_code, tracking_number)
    );
    create index clearance_parcel_state on clearance_parcel (state);
    create index clearance_parcel_arrival on clearance_parcel (arrival_date);
    create index clearance_parcel_pccc on clearance_parcel (pccc, arrival_date);
    create index clearance_parcel_seller on clearance_parcel (seller_key, purchase_date);
    create index clearance_parcel_waybill on clearance_parcel (split_from_waybill);
    create index clearance_parcel_delivery on clearance_parcel (delivery_address_key);

    create table clearance_transition (
      id bigint generated always as identity primary key,
      parcel_id bigint not null references clearance_parcel (parcel_id),
      from_state text,
      to_state text not null,
      actor text not null,
      reason text not null,
      at timestamptz not null default now()
    );
    create index clearance_transition_parcel on clearance_transition (parcel_id, id);

    create table clearance_inspection (
      id bigint generated always as identity primary key,
      parcel_id bigint not null references clearance_parcel (parcel_id),
      outcome text not null check (outcome in ('no_finding', 'undervaluation', 'misdeclared_goods', 'prohibited_goods')),
      corrected_value numeric(18, 2),
      corrected_currency char(3),
      corrected_description text,
      corrected_hs_code text,
      corrected_assessment jsonb,
      notes text,
      inspector text not null,
      recorded_at timestamptz not null default now(),
      label_fraud boolean not null,
      label_critical_level smallint not null check (label_critical_level between 0 and 2),
      label_delivered_at timestamptz,
      label_error text
    );
    create index clearance_inspection_parcel on clearance_inspection (parcel_id);
    create index clearance_inspection_label_pending on clearance_inspection (id) where label_delivered_at is null;

    create table clearance_seizure (
      id bigint generated always as identity primary key,
      parcel_id bigint not null references clearance_parcel (parcel_id),
      inspection_id bigint references clearance_inspection (id),
      goods_category text not null,
      goods_description text not null,
      quantity numeric(14, 3) not null,
      quantity_unit text not null,
      concealment_method text not null,
      route jsonb not null,
      parties jsonb not null,
      images jsonb not null,
      recorded_by text not null,
      recorded_at timestamptz not null default now()
    );
    create index clearance_seizure_parcel on clearance_seizure (parcel_id);

    create table clearance_delivery_report (
      id bigint generated always as identity primary key,
      carrier_code text not null,
      tracking_number text not null,
      parcel_id bigint,
      delivered_to text not null,
      address_key text not null,
      delivered_at timestamptz,
      reported_by text not null,
      reported_at timestamptz not null default now(),
      unique (carrier_code, tracking_number)
    );
    create index clearance_delivery_report_address on clearance_delivery_report (address_key);

    create table clearance_webhook (
      carrier_code text primary key,
      url text not null,
      secret text not null,
      active boolean not null default true,
      updated_by text not null,
      updated_at timestamptz not null default now()
    );

    -- The outbox: every message to a carrier is written here in the same transaction as the decision,
    -- then pulled by the carrier or pushed to its webhook by the delivery loop.
    create table clearance_notification (
      id bigint generated always as identity primary key,
      carrier_code text not null,
      parcel_id bigint not null,
      tracking_number text not null,
      kind text not null check (kind in ('hold', 'request_for_information', 'request_for_amendment', 'release', 'seizure', 'return')),
      payload jsonb not null,
      created_at timestamptz not null default now(),
      delivery_status text not null default 'pending' check (delivery_status in ('pending', 'delivered', 'failed')),
      attempts int not null default 0,
      next_attempt_at timestamptz not null default now(),
      last_error text,
      delivered_at timestamptz,
      acknowledged_at timestamptz
    );
    create index clearance_notification_carrier on clearance_notification (carrier_code, id);
    create index clearance_notification_due on clearance_notification (next_attempt_at) where delivery_status = 'pending';
  `.execute(db);
}
