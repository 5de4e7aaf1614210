import { sql, type Kysely } from 'kysely';

/**
 * Every index on the parcels is one more insert for each parcel stored, and bulk intake's parcel merge
 * is bound by that per-row work (docs/operations.md, "Bulk intake"). `intake_parcel_master` (parcels by
 * master waybill id) is read by no query: parcels reach their master waybill by its primary key, and
 * nothing lists a master waybill's parcels. The other eight each serve a query named where they were
 * made (a parcel's key, tracking numbers met in the targeting facts, a buyer's and a seller's parcels,
 * sender phones and streets, arrival and receipt days).
 */
export async function up(db: Kysely<any>): Promise<void> {
  await sql`drop index intake_parcel_master`.execute(db);
}
