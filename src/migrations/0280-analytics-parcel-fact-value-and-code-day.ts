import { sql, type Kysely } from 'kysely';

/**
 * Two more columns on the fact rows of migration 0240, for S2 and X1 at 10,000,000 parcels:
 * - `declared_value`, the parcel's declared value in its own currency, so that S2 shares the assessed
 *   goods price out over a parcel's lines (by each line's part of the declared value) from the fact rows
 *   alone: joining intake's parcels to clearance's assessments for every declared line took half of S2's
 *   run on PostgreSQL.
 * - `code_day_parcels`, the parcels of the row's PCCC that arrived the same day (null without a PCCC),
 *   X1's same-day signal. A day is copied whole, so the count is exact on every refresh and the same for
 *   any period that includes the day; counting and joining it back at run time took a third of X1's run.
 *
 * The rows already copied lack the value: every day is marked to copy again, and the first refresh
 * after this migration (before a model run that reads the rows) rebuilds the whole table.
 */
export async function up(db: Kysely<any>): Promise<void> {
  await sql`
    alter table analytics_parcel_fact add column declared_value numeric(18,2), add column code_day_parcels integer;
    update analytics_parcel_fact_day set refreshed_version = null;
  `.execute(db);
}
