import { sql, type Kysely } from 'kysely';

/**
 * The parcel's declared value in its own currency on the fact rows of migration 0240, so that S2 shares
 * the assessed goods price out over a parcel's lines (by each line's part of the declared value) from
 * the fact rows alone: at 10,000,000 parcels joining intake's parcels to clearance's assessments for
 * every declared line took half of S2's run on PostgreSQL.
 *
 * The rows already copied lack the value: every day is marked to copy again, and the first refresh
 * after this migration (before a model run that reads the rows) rebuilds the whole table.
 */
export async function up(db: Kysely<any>): Promise<void> {
  await sql`
    alter table analytics_parcel_fact add column declared_value numeric(18,2);
    update analytics_parcel_fact_day set refreshed_version = null;
  `.execute(db);
}
