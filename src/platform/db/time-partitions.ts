import { sql, type Kysely } from 'kysely';

/**
 * Monthly RANGE partitions of the tables that grow without end (parcels, decisions, outbox events, audit
 * entries): each month is a partition `<table>_pYYYYMM` covering [first of the month, first of the next)
 * in UTC, and `<table>_default` takes a row no month covers yet, so an insert never fails for want of a
 * partition. Queries that name the partition key read only the months they need (partition pruning), and
 * retention drops a whole month at once instead of deleting its rows one by one.
 */
export interface MonthlyPartitionedTable {
  table: string;
  /** The timestamptz column the table is partitioned by. */
  column: string;
  /** Months kept before the current one; 0 keeps every month. */
  retainMonths: number;
  /**
   * Runs before a month past retention is dropped, in the transaction that drops it: the owner records
   * what must outlive the rows (the audit trail's anchor), or refuses by throwing.
   */
  beforeDrop?: (tx: Kysely<{}>, partition: PartitionRange) => Promise<void>;
}

export interface PartitionRange {
  name: string;
  /** First instant in the partition. */
  from: Date;
  /** First instant after it. */
  to: Date;
}

/** The first instant of the month `offset` months after the one `at` is in (UTC). */
export function monthStart(at: Date, offset = 0): Date {
  return new Date(Date.UTC(at.getUTCFullYear(), at.getUTCMonth() + offset, 1));
}

export function monthPartition(table: string, month: Date): PartitionRange {
  const from = monthStart(month);
  const stamp = `${from.getUTCFullYear()}${String(from.getUTCMonth() + 1).padStart(2, '0')}`;
  return { name: `${table}_p${stamp}`, from, to: monthStart(from, 1) };
}

/**
 * Creates the month's partition unless it exists. A month some of whose rows already sit in the default
 * partition is left alone (`blocked`): creating it would have to move them, and moving rows is a delete
 * the append-only tables refuse; they stay readable there, only unpruned.
 */
export async function ensureMonthPartition(
  db: Kysely<{}>,
  table: string,
  column: string,
  month: Date,
): Promise<'created' | 'exists' | 'blocked'> {
  const partition = monthPartition(table, month);
  const { rows: existing } = await sql<{ found: boolean }>`
    select to_regclass(${partition.name}) is not null as found`.execute(db);
  if (existing[0]!.found) return 'exists';
  const { rows: stray } = await sql<{ found: boolean }>`
    select exists (select 1 from ${sql.table(`${table}_default`)}
      where ${sql.ref(column)} >= ${partition.from} and ${sql.ref(column)} < ${partition.to}) as found`.execute(
    db,
  );
  if (stray[0]!.found) return 'blocked';
  await sql`
    create table if not exists ${sql.table(partition.name)} partition of ${sql.table(table)}
      for values from (${sql.lit(partition.from.toISOString())}) to (${sql.lit(partition.to.toISOString())})`.execute(
    db,
  );
  return 'created';
}

/** The month partitions a table has now, oldest first (the default partition is not one). */
export async function monthPartitions(db: Kysely<{}>, table: string): Promise<PartitionRange[]> {
  const { rows } = await sql<{ name: string }>`
    select c.relname as name from pg_inherits i
    join pg_class c on c.oid = i.inhrelid
    where i.inhparent = to_regclass(${table})
    order by c.relname`.execute(db);
  const pattern = new RegExp(`^${table}_p(\\d{4})(\\d{2})$`);
  return rows.flatMap(({ name }) => {
    const match = pattern.exec(name);
    return match
      ? [monthPartition(table, new Date(Date.UTC(Number(match[1]), Number(match[2]) - 1, 1)))]
      : [];
  });
}

export interface PartitionRoundReport {
  created: string[];
  dropped: string[];
  /** Months left uncreated because rows of theirs sit in the default partition. */
  blocked: string[];
}

/**
 * The scheduler's `scheduler.partitions` round: makes sure the current month and `monthsAhead` months
 * after it have their partitions before rows arrive, and drops each month past its table's retention.
 * Each table's work is its own transaction with a short lock wait: creating a partition locks the parent
 * briefly, and a busy table is simply tried again at the next round.
 */
export class TimePartitions {
  constructor(
    private readonly db: Kysely<{}>,
    private readonly tables: readonly MonthlyPartitionedTable[],
    private readonly monthsAhead: number,
    private readonly clock: () => number = Date.now,
  ) {}

  async round(): Promise<PartitionRoundReport> {
    const now = new Date(this.clock());
    const report: PartitionRoundReport = { created: [], dropped: [], blocked: [] };
    for (const spec of this.tables) {
      for (let offset = 0; offset <= this.monthsAhead; offset += 1) {
        const month = monthStart(now, offset);
        const outcome = await this.db.transaction().execute(async (tx) => {
          await sql`set local lock_timeout = '5s'`.execute(tx);
          return ensureMonthPartition(tx, spec.table, spec.column, month);
        });
        const name = monthPartition(spec.table, month).name;
        if (outcome === 'created') report.created.push(name);
        if (outcome === 'blocked') report.blocked.push(name);
      }
      if (spec.retainMonths <= 0) continue;
      const keepFrom = monthStart(now, -spec.retainMonths);
      for (const partition of await monthPartitions(this.db, spec.table)) {
        if (partition.to > keepFrom) continue;
        await this.db.transaction().execute(async (tx) => {
          await sql`set local lock_timeout = '5s'`.execute(tx);
          await spec.beforeDrop?.(tx, partition);
          await sql`drop table ${sql.table(partition.name)}`.execute(tx);
        });
        report.dropped.push(partition.name);
      }
    }
    return report;
  }
}
