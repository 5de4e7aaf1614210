import type { Kysely } from 'kysely';
import { convertToMonthlyPartitions } from './monthly-partitions.js';

/**
 * Audit entries partitioned by month (`at`). `seq` stays unique without a unique key of its own: every
 * append takes the audit's advisory lock and numbers after the last entry. The append-only triggers move
 * to the partitioned table (and so to every partition).
 */
export async function up(db: Kysely<any>): Promise<void> {
  await convertToMonthlyPartitions(db, {
    table: 'identity_audit_entry',
    column: 'at',
    primaryKey: ['seq', 'at'],
    monthsAhead: 1,
  });
}
