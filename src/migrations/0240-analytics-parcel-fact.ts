import { sql, type Kysely } from 'kysely';

/**
 * The analytics module's per-parcel fact rows (src/modules/analytics/parcel-facts.ts): each parcel with
 * its buyer and seller keys, its assessed goods price, each paid order shipped under its tracking number,
 * and its consignment's (same seller and invoice) declared total, parcels and first and last arrival day.
 * V3, P1 and X1 read these rows instead of joining intake's parcels, clearance's assessments and intake's
 * orders at run time (three tables of 10,000,000 rows at a year and a half of history). They are copied
 * from the published analysis views only, so the owners may still change their tables.
 *
 * One row per parcel and paid order, or one row for a parcel without a paid order: the models' joins
 * had that multiplicity. `parcel_row` marks one row of each parcel, for counts of parcels.
 *
 * `analytics_parcel_fact_day` says which arrival days must be copied again: `version` goes up when
 * intake stores a parcel, order or payment of that day, `refreshed_version` is the version the last
 * refresh copied. Every day that already has parcels starts out to copy, so the first refresh builds
 * the whole table.
 */
export async function up(db: Kysely<any>): Promise<void> {
  await sql`
    create table analytics_parcel_fact (
      parcel_id bigint not null,
      arrival_date date not null,
      tracking_number text not null,
      pccc text,
      seller_key text,
      consignee_name_key text,
      consignment_key text not null,
      parcel_row boolean not null,
      assessed boolean not null,
      declared_krw bigint,
      order_number text,
      paid_krw numeric(18,2),
      consignment_declared_krw numeric,
      consignment_parcels integer,
      consignment_first date,
      consignment_last date
    );
    create index analytics_parcel_fact_arrival on analytics_parcel_fact (arrival_date);
    create index analytics_parcel_fact_consignment on analytics_parcel_fact (consignment_key);
    create index analytics_parcel_fact_unassessed on analytics_parcel_fact (arrival_date) where not assessed;

    create table analytics_parcel_fact_day (
      arrival_date date primary key,
      version bigint not null default 1,
      refreshed_version bigint
    );
    insert into analytics_parcel_fact_day (arrival_date)
      select distinct arrival_date from intake_analysis_buyer_parcel where arrival_date is not null;
  `.execute(db);
}
