import { sql, type Kysely } from 'kysely';

/**
 * Undoes migration 0225: reading a parcel's receipt time from its key before the parcel made a lookup
 * prune to one month, but measured slower at 10,000,000 parcels over 13 months (tracking number 2.3 ms
 * against 0.83 ms for 13 per-month index probes, by id 1.15 against 0.68 ms, medians of 1,000 each,
 * interleaved): the key table's indexes are one large random read where the months' indexes are small.
 * The column and its index would only cost every intake write.
 */
export async function up(db: Kysely<any>): Promise<void> {
  await sql`
    drop index intake_parcel_key_parcel;
    alter table intake_parcel_key drop column received_at;
  `.execute(db);
}
