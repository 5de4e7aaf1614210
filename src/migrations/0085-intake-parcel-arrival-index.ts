import { sql, type Kysely } from 'kysely';

/**
 * The dashboard counts parcels on the day they arrive (the day an officer sees them), not the day a file
 * brought them in: a week of parcels imported at once used to show as one day. The arrival day is read
 * in date ranges, so it gets an index of its own.
 */
export async function up(db: Kysely<any>): Promise<void> {
  await sql`create index intake_parcel_arrival on intake_parcel (arrival_date)`.execute(db);
}
