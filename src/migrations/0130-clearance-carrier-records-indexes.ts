import { sql, type Kysely } from 'kysely';

/**
 * Partners' compliance evaluation reads, per carrier and quarter, the parcels clearance took in and
 * whether a released parcel has its final-address report: both are looked up by carrier and day and by
 * parcel, which the existing indexes (state, arrival day, address) do not serve.
 */
export async function up(db: Kysely<any>): Promise<void> {
  await sql`create index clearance_parcel_carrier_taken_in on clearance_parcel (carrier_code, created_at)`.execute(
    db,
  );
  await sql`create index clearance_delivery_report_parcel on clearance_delivery_report (parcel_id)`.execute(
    db,
  );
}
