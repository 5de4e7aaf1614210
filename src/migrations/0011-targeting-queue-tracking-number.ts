import { sql, type Kysely } from 'kysely';

/** The queue shows each parcel's tracking number (S10 id or house waybill), as officers name parcels. */
export async function up(db: Kysely<any>): Promise<void> {
  await sql`alter table targeting_parcel_state add column tracking_number text`.execute(db);
}
