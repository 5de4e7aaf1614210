import { sql, type Kysely } from 'kysely';
import { convertToMonthlyPartitions } from './monthly-partitions.js';

/**
 * Parcels partitioned by month of receipt (`received_at`), so that years of history stay cheap to query
 * by time and a month past retention is dropped whole.
 *
 * A unique key of a partitioned table must hold the partition key, so `(carrier_party_id,
 * tracking_number)` can no longer be unique on the parcels themselves (a parcel re-sent a month later
 * would land in another partition unseen). `intake_parcel_key` holds that uniqueness instead: both
 * intake paths claim a parcel's key there, in the same statement, before the parcel row is written, and
 * only the claimant writes it. For the same reason the declarations' foreign key to the parcel goes:
 * intake writes a declaration only with the parcel it has just stored (same transaction), and the
 * parcel's id is drawn from the key it claimed.
 */
export async function up(db: Kysely<any>): Promise<void> {
  await convertToMonthlyPartitions(db, {
    table: 'intake_parcel',
    column: 'received_at',
    primaryKey: ['id', 'received_at'],
    droppedReferences: [{ table: 'intake_declaration', constraint: 'intake_declaration_parcel_id_fkey' }],
    monthsAhead: 1,
  });
  await sql`
    create table intake_parcel_key (
      carrier_party_id bigint not null,
      tracking_number text not null,
      parcel_id bigint not null,
      primary key (carrier_party_id, tracking_number)
    );
    insert into intake_parcel_key (carrier_party_id, tracking_number, parcel_id)
    select carrier_party_id, tracking_number, id from intake_parcel;
  `.execute(db);
}
