import { sql, type Kysely } from 'kysely';
import { assertAdministrator, describeActor, type Actor } from '../../platform/auth/actor.js';
import type {
  AuditAppendOptions,
  AuditEntry,
  AuditEntryInput,
  AuditTrail,
} from '../../platform/auth/audit-trail.js';
import type { Database } from '../../platform/db/database.js';
import type { MonthlyPartitionedTable } from '../../platform/db/time-partitions.js';
import {
  checkChainSegment,
  entryHash,
  GENESIS_HASH,
  normaliseDetails,
  type ChainProblem,
} from './domain/audit-chain.js';
import type { IdentityTables } from './identity.tables.js';

/** Any number, the same in every process: the advisory lock that makes appends one at a time. */
const AUDIT_APPEND_LOCK = 7_310_421_003;
const VERIFY_BATCH = 1000;

export interface AuditQuery {
  action?: string;
  /** Exact actor (`officer:abc`, `carrier:DHL`) or a prefix ending in `:` (`carrier:`). */
  actor?: string;
  subject?: string;
  /** Entries with seq below this (paging backwards from the newest). */
  beforeSeq?: number;
  limit?: number;
}

export interface AuditVerification {
  ok: boolean;
  /** Entries checked and intact (all of them, or those before the problem). */
  entries: number;
  /** The last intact entry: write it down somewhere else to detect later removal of entries after it. */
  head: { seq: number; hash: string } | null;
  problem?: ChainProblem;
  /** Entries up to this one were dropped by retention; the chain is checked from the archive entry's record of it. */
  archivedThrough?: number;
}

/** The entry left when a month of the trail is dropped: the last dropped entry, for `verify` to start from. */
const ARCHIVED_ACTION = 'identity.audit_archived';

/**
 * The tamper-evident audit trail. Appends are serialised by an advisory lock so that each entry links
 * to the one before it; the table refuses UPDATE, DELETE and TRUNCATE (trigger), and `verify` recomputes
 * the chain to detect changes made around the application (by someone who disabled the trigger).
 */
export class AuditLog implements AuditTrail {
  private readonly db: Kysely<IdentityTables>;

  constructor(
    database: Database,
    private readonly clock: () => Date = () => new Date(),
  ) {
    this.db = database.db.withTables<IdentityTables>() as unknown as Kysely<IdentityTables>;
  }

  async append(input: AuditEntryInput, options: AuditAppendOptions = {}): Promise<AuditEntry> {
    if (!/^[a-z][a-z0-9_]*\.[a-z][a-z0-9_.]*$/.test(input.action))
      throw new Error(`Audit action must look like module.what_happened, got ${input.action}`);
    const given = options.transaction as Kysely<IdentityTables> | undefined;
    const write = (tx: Kysely<IdentityTables>) => this.appendIn(tx, input);
    if (given) return given.isTransaction ? write(given) : given.transaction().execute(write);
    return this.db.transaction().execute(write);
  }

  private async appendIn(tx: Kysely<IdentityTables>, input: AuditEntryInput): Promise<AuditEntry> {
    await sql`select pg_advisory_xact_lock(${AUDIT_APPEND_LOCK})`.execute(tx);
    const last = await tx
      .selectFrom('identity_audit_entry')
      .select(['seq', 'hash'])
      .orderBy('seq', 'desc')
      .limit(1)
      .executeTakeFirst();
    const fields = {
      seq: (last?.seq ?? 0) + 1,
      at: this.clock().toISOString(),
      actor: typeof input.actor === 'string' ? input.actor : describeActor(input.actor),
      via: typeof input.actor === 'string' ? null : credentialOf(input.actor),
      action: input.action,
      subject: input.subject ?? null,
      details: normaliseDetails(input.details),
      previousHash: last?.hash ?? GENESIS_HASH,
    };
    const hash = entryHash(fields);
    await tx
      .insertInto('identity_audit_entry')
      .values({
        seq: fields.seq,
        at: new Date(fields.at),
        actor: fields.actor,
        via: fields.via,
        action: fields.action,
        subject: fields.subject,
        details: JSON.stringify(fields.details),
        previous_hash: fields.previousHash,
        hash,
      })
      .execute();
    return { ...fields, hash };
  }

  /** Entries, newest first (administrators). */
  async list(actor: Actor, query: AuditQuery = {}): Promise<AuditEntry[]> {
    assertAdministrator(actor);
    let select = this.db
      .selectFrom('identity_audit_entry')
      .selectAll()
      .orderBy('seq', 'desc')
      .limit(Math.min(Math.max(query.limit ?? 100, 1), 1000));
    if (query.action) select = select.where('action', '=', query.action);
    if (query.subject) select = select.where('subject', '=', query.subject);
    if (query.actor)
      select = query.actor.endsWith(':')
        ? select.where('actor', 'like', `${query.actor.replace(/[%_\\]/g, '\\$&')}%`)
        : select.where('actor', '=', query.actor);
    if (query.beforeSeq) select = select.where('seq', '<', query.beforeSeq);
    return (await select.execute()).map(toEntry);
  }

  /**
   * The trail's monthly partitions for the scheduler's round (RETAIN_AUDIT_MONTHS). Before a month past
   * retention is dropped, an `identity.audit_archived` entry records its last entry and that entry's
   * hash, so that `verify` checks the rest of the chain from there. Entries are numbered in time order,
   * so the dropped month always holds the oldest entries.
   */
  partitioning(retainMonths: number): MonthlyPartitionedTable {
    return {
      table: 'identity_audit_entry',
      column: 'at',
      retainMonths,
      beforeDrop: async (tx, partition) => {
        const { rows } = await sql<{ seq: number; hash: string }>`
          select seq, hash from ${sql.table(partition.name)} order by seq desc limit 1`.execute(tx);
        if (!rows[0]) return;
        await this.appendIn(tx as unknown as Kysely<IdentityTables>, {
          actor: 'system',
          action: ARCHIVED_ACTION,
          subject: partition.name,
          details: { throughSeq: rows[0].seq, throughHash: rows[0].hash },
        });
      },
    };
  }

  /**
   * Recomputes the whole chain, oldest first, in batches (administrators; the command line runs as the
   * system). A trail whose oldest months were dropped is checked from the archive entry that records them.
   */
  async verify(actor: Actor): Promise<AuditVerification> {
    assertAdministrator(actor);
    let last: { seq: number; hash: string } | undefined;
    let entries = 0;
    const oldest = await this.db
      .selectFrom('identity_audit_entry')
      .select('seq')
      .orderBy('seq', 'asc')
      .limit(1)
      .executeTakeFirst();
    let archivedThrough: number | undefined;
    if (oldest && oldest.seq > 1) {
      archivedThrough = oldest.seq - 1;
      const anchor = await this.db
        .selectFrom('identity_audit_entry')
        .select('details')
        .where('action', '=', ARCHIVED_ACTION)
        .where(sql`(details ->> 'throughSeq')::bigint`, '=', archivedThrough)
        .executeTakeFirst();
      const throughHash = (anchor?.details as { throughHash?: unknown } | undefined)?.throughHash;
      if (typeof throughHash !== 'string')
        return {
          ok: false,
          entries: 0,
          head: null,
          problem: {
            seq: 1,
            problem: 'gap',
            message: `entries 1 to ${archivedThrough} are missing and no archive entry records them`,
          },
        };
      last = { seq: archivedThrough, hash: throughHash };
    }
    for (;;) {
      const rows = await this.db
        .selectFrom('identity_audit_entry')
        .selectAll()
        .where('seq', '>', last?.seq ?? 0)
        .orderBy('seq', 'asc')
        .limit(VERIFY_BATCH)
        .execute();
      if (rows.length === 0) break;
      const checked = checkChainSegment(rows.map(toEntry), last);
      if (!checked.ok)
        return {
          ok: false,
          entries: checked.last?.seq ?? 0,
          head: checked.last ?? null,
          problem: checked.problem,
        };
      entries += rows.length;
      last = checked.last;
    }
    return { ok: true, entries, head: last ?? null, ...(archivedThrough ? { archivedThrough } : {}) };
  }

  /** The entry at a position, to compare against an anchor kept elsewhere. */
  async entryAt(seq: number): Promise<AuditEntry | undefined> {
    const row = await this.db
      .selectFrom('identity_audit_entry')
      .selectAll()
      .where('seq', '=', seq)
      .executeTakeFirst();
    return row ? toEntry(row) : undefined;
  }
}

function credentialOf(actor: Actor): string | null {
  return actor.kind !== 'system' && actor.credential
    ? `${actor.credential.kind}:${actor.credential.id}`
    : null;
}

function toEntry(row: {
  seq: number;
  at: Date;
  actor: string;
  via: string | null;
  action: string;
  subject: string | null;
  details: Record<string, unknown>;
  previous_hash: string;
  hash: string;
}): AuditEntry {
  return {
    seq: Number(row.seq),
    at: new Date(row.at).toISOString(),
    actor: row.actor,
    via: row.via,
    action: row.action,
    subject: row.subject,
    details:
      typeof row.details === 'string' ? (JSON.parse(row.details) as Record<string, unknown>) : row.details,
    previousHash: row.previous_hash,
    hash: row.hash,
  };
}
