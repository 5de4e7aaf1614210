import type { Kysely } from 'kysely';
import { convertToMonthlyPartitions } from './monthly-partitions.js';

/**
 * Outbox events partitioned by month of recording (`created_at`): delivered events are deleted, so old
 * months empty out, and a month past retention (events that never could be delivered) goes whole.
 */
export async function up(db: Kysely<any>): Promise<void> {
  await convertToMonthlyPartitions(db, {
    table: 'platform_outbox',
    column: 'created_at',
    primaryKey: ['id', 'created_at'],
    monthsAhead: 1,
  });
}
