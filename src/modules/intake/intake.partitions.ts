import { sql } from 'kysely';
import type { MonthlyPartitionedTable } from '../../platform/db/time-partitions.js';

/**
 * Parcels' monthly partitions for the scheduler's round (RETAIN_PARCEL_MONTHS). A month past retention
 * takes with it what intake keeps only for those parcels: their keys (so that a tracking number may be
 * used again), their declarations with lines and inspection outcomes. Other modules keep their own
 * records of the parcels under their own retention.
 */
export function parcelPartitioning(retainMonths: number): MonthlyPartitionedTable {
  return {
    table: 'intake_parcel',
    column: 'received_at',
    retainMonths,
    beforeDrop: async (tx, partition) => {
      const month = sql.table(partition.name);
      await sql`
        delete from intake_parcel_key k using ${month} p where k.parcel_id = p.id`.execute(tx);
      await sql`
        delete from intake_inspection_outcome o using intake_declaration d, ${month} p
        where o.declaration_id = d.id and d.parcel_id = p.id`.execute(tx);
      await sql`delete from intake_declaration d using ${month} p where d.parcel_id = p.id`.execute(tx);
    },
  };
}
