import { sql, type Kysely } from 'kysely';

/**
 * The big-data portal (issue 17): model runs stored with the model version, parameters and data window so
 * that each can be reproduced; schedules whose results are mailed; model requests with their timeline.
 * Two more published analysis views, owned by the modules whose tables they read, for models that need
 * the buyer and the selection reason: `intake_analysis_parcel_party` carries the PCCC (personal data, so
 * the questions module's guard does not know it; only catalogue models read it, inside officers' runs)
 * and `targeting_analysis_selection` says why a parcel was selected (the random control sample among others).
 */
export async function up(db: Kysely<any>): Promise<void> {
  await sql`
    create table analytics_run (
      id bigint generated always as identity primary key,
      model_id text not null,
      model_version text not null,
      parameters jsonb not null,
      date_from date not null,
      date_to date not null,
      status text not null default 'queued' check (status in ('queued', 'running', 'succeeded', 'failed')),
      progress real not null default 0,
      result jsonb,
      error text,
      requested_by text not null,
      schedule_id bigint,
      created_at timestamptz not null default now(),
      finished_at timestamptz
    );
    create index analytics_run_recent on analytics_run (id desc);
    create index analytics_run_model on analytics_run (model_id, id desc);

    create table analytics_schedule (
      id bigint generated always as identity primary key,
      model_id text not null,
      parameters jsonb not null,
      cadence text not null check (cadence in ('daily', 'weekly')),
      window_days int not null check (window_days between 1 and 366),
      recipient text not null,
      locale text not null check (locale in ('ko', 'en', 'fr')),
      owner text not null,
      next_run_at timestamptz not null,
      active boolean not null default true,
      created_at timestamptz not null default now()
    );
    create index analytics_schedule_due on analytics_schedule (next_run_at) where active;

    create table analytics_request (
      id bigint generated always as identity primary key,
      title text not null,
      question text not null,
      data_needed text not null,
      urgency text not null check (urgency in ('low', 'normal', 'high', 'urgent')),
      example_cases text not null,
      status text not null default 'filed'
        check (status in ('filed', 'triaged', 'estimated', 'delivered', 'declined')),
      requester text not null,
      requester_name text not null,
      estimate_days int,
      delivered_model_id text,
      delivered_model_version text,
      created_at timestamptz not null default now(),
      updated_at timestamptz not null default now()
    );
    create index analytics_request_status on analytics_request (status, id desc);

    create table analytics_request_event (
      id bigint generated always as identity primary key,
      request_id bigint not null references analytics_request (id),
      kind text not null check (kind in ('filed', 'comment', 'triaged', 'estimated', 'delivered', 'declined')),
      author text not null,
      author_name text not null,
      text text not null,
      status_after text not null,
      notified text,
      created_at timestamptz not null default now()
    );
    create index analytics_request_event_request on analytics_request_event (request_id, id);

    create view intake_analysis_parcel_party as
    select
      p.id as parcel_id,
      p.pccc,
      p.arrival_date,
      p.channel,
      seller.party_key as seller_key,
      mawb.mawb as master_waybill,
      p.declared_value,
      p.currency
    from intake_parcel p
    left join intake_party seller on seller.id = p.seller_party_id
    left join intake_master_waybill mawb on mawb.id = p.master_waybill_id;

    create view targeting_analysis_selection as
    select parcel_id, lane, why_selected, arrival_date, decision_day
    from targeting_parcel_state;
  `.execute(db);
}
