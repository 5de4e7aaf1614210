import { sql } from 'kysely';
import type { MonthlyPartitionedTable } from '../../platform/db/time-partitions.js';

/**
 * Decision records' monthly partitions for the scheduler's round (RETAIN_DECISION_MONTHS). A month past
 * retention takes its records' numbers from `targeting_decision_key`; a parcel's current state
 * (`targeting_parcel_state`, the queue) stays, naming a decision record no longer kept.
 */
export function decisionPartitioning(retainMonths: number): MonthlyPartitionedTable {
  return {
    table: 'targeting_decision',
    column: 'decided_at',
    retainMonths,
    beforeDrop: async (tx, partition) => {
      await sql`
        delete from targeting_decision_key k using ${sql.table(partition.name)} d
        where k.parcel_id = d.parcel_id and k.sequence = d.sequence`.execute(tx);
    },
  };
}
