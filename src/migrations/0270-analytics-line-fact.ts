import { sql, type Kysely } from 'kysely';

/**
 * The analytics module's per-line fact rows (src/modules/analytics/parcel-facts.ts): each declared line
 * of an assessed parcel that has an HS6, with its parcel's arrival day, tracking number and seller key and
 * the log of its unit value in won, per item and per kg (null where the declared value, assessed goods
 * price, line value or units give none). V1 reads these rows alone instead of joining intake's lines to
 * its parcels and clearance's assessments at run time (15 million lines at a year and a half of history),
 * and takes the flagged lines' descriptions and tracking numbers from them too.
 *
 * They are kept per arrival day with the per-parcel fact rows of 0240, by the same marks
 * (`analytics_parcel_fact_day`) in the same refresh. The days already copied are marked again, so that
 * the next refresh is a first one and builds both tables whole: the line rows of those days would
 * otherwise never be written (the parcel rows it rewrites are the ones already there).
 */
export async function up(db: Kysely<any>): Promise<void> {
  await sql`
    create table analytics_line_fact (
      parcel_id bigint not null,
      line_number integer not null,
      arrival_date date not null,
      tracking_number text not null,
      seller_key text,
      hs6 text not null,
      origin_country text,
      description text,
      unit_krw_log double precision,
      kg_krw_log double precision
    );
    create index analytics_line_fact_arrival on analytics_line_fact (arrival_date);

    update analytics_parcel_fact_day set refreshed_version = null;
  `.execute(db);
}
