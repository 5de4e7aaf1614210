import { sql, type Kysely } from 'kysely';
import { convertToMonthlyPartitions } from './monthly-partitions.js';

/**
 * Decision records partitioned by month of decision (`decided_at`). `(parcel_id, sequence)` can no
 * longer be unique on the partitioned records (two deciders racing on a parcel's first decision write at
 * different instants), so `targeting_decision_key` holds it: every decision claims its number there in
 * the statement that records it, and a second claim of one number fails the batch as before.
 */
export async function up(db: Kysely<any>): Promise<void> {
  await convertToMonthlyPartitions(db, {
    table: 'targeting_decision',
    column: 'decided_at',
    primaryKey: ['id', 'decided_at'],
    monthsAhead: 1,
  });
  await sql`
    create index targeting_decision_parcel on targeting_decision (parcel_id, sequence);
    create table targeting_decision_key (
      parcel_id bigint not null,
      sequence int not null,
      primary key (parcel_id, sequence)
    );
    insert into targeting_decision_key (parcel_id, sequence) select parcel_id, sequence from targeting_decision;
  `.execute(db);
}
