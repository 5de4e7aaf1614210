import type { MonthlyPartitionedTable } from '../db/time-partitions.js';

/**
 * Outbox events' monthly partitions for the scheduler's round (RETAIN_OUTBOX_MONTHS). Delivered events
 * are deleted as they go, so a month past retention holds only events no subscriber ever accepted.
 */
export function outboxPartitioning(retainMonths: number): MonthlyPartitionedTable {
  return { table: 'platform_outbox', column: 'created_at', retainMonths };
}
