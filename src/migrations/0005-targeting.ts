import { sql, type Kysely } from 'kysely';

/**
 * Targeting tables: watchlists, versioned rules, budgets, carrier risk levels, the append-only
 * decision records, the current decision per parcel (the queue reads it), and information that
 * arrives after intake (post-delivery address, X-ray findings).
 */
export async function up(db: Kysely<any>): Promise<void> {
  await sql`
    create table targeting_watchlist (
      id bigint generated always as identity primary key,
      name text not null unique check (name ~ '^[a-z0-9][a-z0-9_-]{0,62}$'),
      kind text not null check (kind in ('seller', 'buyer', 'address', 'declarant', 'carrier', 'hs', 'country')),
      description text,
      owner text not null,
      created_at timestamptz not null default now()
    );

    -- value is stored normalised (upper-case codes, HS digits, normalised addresses).
    create table targeting_watchlist_entry (
      watchlist_id bigint not null references targeting_watchlist (id) on delete cascade,
      value text not null,
      expires_at timestamptz,
      note text,
      added_by text not null,
      added_at timestamptz not null default now(),
      primary key (watchlist_id, value)
    );

    create table targeting_rule (
      id bigint generated always as identity primary key,
      name text not null unique,
      owner text not null,
      status text not null default 'draft' check (status in ('draft', 'active', 'disabled')),
      current_version int not null,
      hit_count bigint not null default 0,
      last_hit_at timestamptz,
      created_at timestamptz not null default now(),
      updated_at timestamptz not null default now()
    );

    -- Every saved text of a rule; decisions name the version that hit.
    create table targeting_rule_version (
      rule_id bigint not null references targeting_rule (id),
      version int not null,
      expression text not null,
      description text,
      lane text not null check (lane in ('yellow', 'red', 'blue')),
      xray_referral boolean not null default false,
      selection_percent smallint not null default 100 check (selection_percent between 1 and 100),
      mandatory boolean not null default false,
      valid_from timestamptz,
      valid_to timestamptz,
      fields text[] not null,
      lists text[] not null,
      created_by text not null,
      created_at timestamptz not null default now(),
      primary key (rule_id, version),
      check (valid_to is null or valid_from is null or valid_to > valid_from)
    );

    create table targeting_budget (
      office_code text not null,
      lane text not null check (lane in ('red', 'yellow', 'blue')),
      expected_rate double precision not null check (expected_rate between 0 and 1),
      daily_capacity int check (daily_capacity >= 0),
      updated_by text not null,
      updated_at timestamptz not null default now(),
      primary key (office_code, lane)
    );

    create table targeting_carrier_risk (
      carrier_code text primary key,
      level text not null check (level in ('low', 'medium', 'high')),
      note text,
      updated_by text not null,
      updated_at timestamptz not null default now()
    );

    -- One record per decision, never changed: a re-decision or an override is a new record.
    create table targeting_decision (
      id bigint generated always as identity primary key,
      parcel_id bigint not null,
      sequence int not null,
      lane text not null check (lane in ('green', 'yellow', 'red', 'blue')),
      xray_referral boolean not null,
      score double precision not null,
      model_version text not null,
      rule_ids bigint[] not null,
      rule_versions int[] not null,
      rule_names text[] not null,
      reasons text[] not null,
      selection text not null,
      priority double precision not null,
      trigger text not null,
      office_code text,
      carrier_code text,
      received_at timestamptz not null,
      decided_at timestamptz not null,
      decided_in_ms double precision not null,
      override_by text,
      override_reason text,
      unique (parcel_id, sequence)
    );
    create index targeting_decision_decided on targeting_decision (decided_at);

    create function targeting_decision_immutable() returns trigger language plpgsql as $$
    begin
      raise exception 'targeting decisions are immutable: record a new decision instead';
    end $$;
    create trigger targeting_decision_immutable before update or delete on targeting_decision
      for each row execute function targeting_decision_immutable();

    -- The current decision of each parcel, denormalised for the risk-ordered queue.
    create table targeting_parcel_state (
      parcel_id bigint primary key,
      decision_id bigint not null,
      sequence int not null,
      lane text not null,
      xray_referral boolean not null,
      score double precision not null,
      priority double precision not null,
      model_version text not null,
      office_code text,
      carrier_code text,
      hs_chapters text[] not null,
      rule_ids bigint[] not null,
      arrival_date date,
      decision_day date not null,
      decided_at timestamptz not null,
      settled boolean not null default false
    );
    create index targeting_parcel_state_queue on targeting_parcel_state (priority desc, parcel_id desc);
    create index targeting_parcel_state_lane on targeting_parcel_state (lane, priority desc, parcel_id desc);
    create index targeting_parcel_state_day on targeting_parcel_state (decision_day, lane);
    -- No index per office, carrier, HS chapter or rule: each filter walks the priority order above and
    -- stops after one page, which stays fast on 100,000s of rows, while GIN indexes on the array columns
    -- would cost more at every decision write than they save the console.

    create table targeting_parcel_information (
      id bigint generated always as identity primary key,
      parcel_id bigint not null,
      kind text not null check (kind in ('post_delivery_address', 'xray')),
      payload jsonb not null,
      address text,
      submitted_by text not null,
      received_at timestamptz not null default now()
    );
    create index targeting_parcel_information_parcel on targeting_parcel_information (parcel_id, id);
    create index targeting_parcel_information_address on targeting_parcel_information (address) where address is not null;
  `.execute(db);
}
