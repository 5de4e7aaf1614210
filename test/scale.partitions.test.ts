import { join } from 'node:path';
import { CompiledQuery, sql, type Kysely, type RawBuilder } from 'kysely';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Clearway } from '../src/main.js';
import { writeDemoData } from '../src/demo/index.js';
import { systemActor } from '../src/platform/auth/actor.js';
import {
  ensureMonthPartition,
  monthPartition,
  monthStart,
  TimePartitions,
} from '../src/platform/db/time-partitions.js';
import { migrations } from '../src/migrations/index.js';
import { AuditLog } from '../src/modules/identity/index.js';
import { parcelPartitioning } from '../src/modules/intake/index.js';
import { migrateToLatest } from '../src/platform/db/database.js';
import { createTestApp, testDataDir } from './support/test-app.js';
import { postalItem } from './support/sample-data.js';
import { availableEngines, createTestDatabase } from './support/test-database.js';

const PARTITIONED = {
  intake_parcel: 'received_at',
  targeting_decision: 'decided_at',
  platform_outbox: 'created_at',
  identity_audit_entry: 'at',
} as const;

interface PlanNode {
  'Node Type': string;
  'Relation Name'?: string;
  'Index Name'?: string;
  Plans?: PlanNode[];
}
const flatten = (node: PlanNode): PlanNode[] => [node, ...(node.Plans ?? []).flatMap(flatten)];

async function planOf(db: Kysely<{}>, query: string, parameters: unknown[] = []): Promise<PlanNode[]> {
  const { rows } = await db.transaction().execute(async (tx) => {
    // A few hundred rows are read whole faster than probed: with scans priced out the plan shows the
    // index a large table would take (scale.hot-query-plans.test.ts does the same).
    await sql`set local enable_seqscan = off`.execute(tx);
    return tx.executeQuery<Record<string, unknown>>(
      CompiledQuery.raw(`explain (format json) ${query}`, parameters),
    );
  });
  const cell = Object.values(rows[0]!)[0];
  const [plan] = (typeof cell === 'string' ? JSON.parse(cell) : cell) as { Plan: PlanNode }[];
  return flatten(plan!.Plan);
}

const relations = (nodes: PlanNode[]) =>
  [...new Set(nodes.flatMap((node) => (node['Relation Name'] ? [node['Relation Name']] : [])))].sort();

/** Moves the parcels `which` picks to another receipt time, with their keys (which hold it too). */
async function receiveEarlier(
  db: Kysely<{}>,
  at: Date,
  which: RawBuilder<unknown>,
): Promise<{ id: number }[]> {
  const { rows } = await sql<{ id: number }>`
    with moved as (update intake_parcel set received_at = ${at} where ${which} returning id, received_at)
    update intake_parcel_key k set received_at = moved.received_at from moved where k.parcel_id = moved.id
    returning moved.id`.execute(db);
  return rows;
}

for (const engine of await availableEngines()) {
  describe(`monthly partitions on ${engine}`, () => {
    let app: Clearway;
    let db: Kysely<{}>;
    const now = new Date();
    const lastMonth = monthStart(now, -1);
    const twoMonthsAgo = monthStart(now, -2);

    beforeAll(async () => {
      app = await createTestApp(engine);
      db = app.database.db;
      const dataDir = testDataDir();
      const files = writeDemoData(
        join(dataDir, 'express'),
        { days: 1, parcelsPerDay: 90, seed: 7, postalShare: 0 },
        { only: ['express'] },
      );
      await app.intake.service.importFile(systemActor, 'express', join(files.directory, files.express!));
      await app.intake.service.receivePostalItem(systemActor, postalItem());
      // Both intake paths give a parcel and its key the same receipt time (migration 0225).
      const { rows: apart } = await sql<{ n: number }>`
        select count(*)::int as n from intake_parcel p join intake_parcel_key k on k.parcel_id = p.id
        where k.received_at <> p.received_at`.execute(db);
      expect(apart[0]!.n).toBe(0);
      // Parcels received over three months: a third each (the update moves rows between partitions).
      for (const month of [lastMonth, twoMonthsAgo])
        await ensureMonthPartition(db, 'intake_parcel', 'received_at', month);
      await receiveEarlier(db, new Date(lastMonth.getTime() + 86_400_000), sql`id % 3 = 1`);
      await receiveEarlier(db, new Date(twoMonthsAgo.getTime() + 86_400_000), sql`id % 3 = 2`);
      await sql`analyze`.execute(db);
    }, 300_000);
    afterAll(async () => app?.close());

    it('partitions parcels, decisions, outbox events and audit entries by month, each with a default partition', async () => {
      for (const [table, column] of Object.entries(PARTITIONED)) {
        const { rows } = await sql<{ strategy: string; key: string; partitions: string[] }>`
          select p.partstrat as strategy, pg_get_partkeydef(p.partrelid) as key,
            array(select c.relname::text from pg_inherits i join pg_class c on c.oid = i.inhrelid
                  where i.inhparent = p.partrelid order by 1) as partitions
          from pg_partitioned_table p where p.partrelid = to_regclass(${table})`.execute(db);
        expect(rows[0], table).toBeDefined();
        expect(rows[0]!.strategy).toBe('r');
        expect(rows[0]!.key).toBe(`RANGE (${column})`);
        expect(rows[0]!.partitions).toContain(`${table}_default`);
        expect(rows[0]!.partitions).toContain(monthPartition(table, now).name);
      }
    });

    it('stores a parcel sent again once, whichever month it came in (its key is claimed first)', async () => {
      const { rows } = await sql<{ id: number; tracking_number: string; carrier_party_id: number }>`
        select id, tracking_number, carrier_party_id from intake_parcel where id % 3 = 2 order by id limit 1`.execute(
        db,
      );
      const { rows: keys } = await sql<{ parcel_id: number }>`
        select parcel_id from intake_parcel_key
        where carrier_party_id = ${rows[0]!.carrier_party_id} and tracking_number = ${rows[0]!.tracking_number}`.execute(
        db,
      );
      expect(keys.map((key) => key.parcel_id)).toEqual([rows[0]!.id]);
      await expect(
        sql`insert into intake_parcel_key (carrier_party_id, tracking_number, parcel_id)
          values (${rows[0]!.carrier_party_id}, ${rows[0]!.tracking_number}, -1)`.execute(db),
      ).rejects.toThrow(/duplicate key|unique/i);
      const { rows: counts } = await sql<{ parcels: number; keys: number }>`
        select (select count(*) from intake_parcel)::int as parcels, (select count(*) from intake_parcel_key)::int as keys`.execute(
        db,
      );
      expect(counts[0]!.parcels).toBeGreaterThan(80);
      expect(counts[0]!.keys).toBe(counts[0]!.parcels);
    });

    it("reads only a month's partition for a query bounded by receipt time (pruning), through its index", async () => {
      const nodes = await planOf(
        db,
        'select id, tracking_number from intake_parcel where received_at >= $1 and received_at < $2 order by received_at limit 20',
        [lastMonth.toISOString(), monthStart(lastMonth, 1).toISOString()],
      );
      expect(relations(nodes)).toEqual([monthPartition('intake_parcel', lastMonth).name]);
      expect(nodes.some((node) => node['Node Type'].includes('Index'))).toBe(true);
    });

    it('finds a parcel by id and by tracking number in whichever month it was received', async () => {
      const { rows } = await sql<{ id: number; tracking_number: string }>`
        select distinct on (date_trunc('month', received_at)) id, tracking_number from intake_parcel
        order by date_trunc('month', received_at), id`.execute(db);
      expect(rows).toHaveLength(3);
      for (const { id, tracking_number } of rows) {
        expect((await app.intake.service.getParcel(systemActor, id)).id).toBe(id);
        const found = await app.intake.service.listParcels(systemActor, {
          trackingNumber: tracking_number.toLowerCase(),
          limit: 20,
        });
        expect(found.items.map((item) => item.id)).toEqual([id]);
      }
      await expect(app.intake.service.getParcel(systemActor, 99_999_999)).rejects.toThrow(/No parcel/);
      expect(
        (await app.intake.service.listParcels(systemActor, { trackingNumber: 'NONE', limit: 20 })).items,
      ).toEqual([]);
    });

    it('makes the months ahead, leaves a month whose rows wait in the default partition, and drops months past retention with their keys and declarations', async () => {
      const old = monthStart(now, -5);
      await ensureMonthPartition(db, 'intake_parcel', 'received_at', old);
      const moved = await receiveEarlier(
        db,
        new Date(old.getTime() + 3_600_000),
        sql`id in (select id from intake_parcel where id % 3 = 0 order by id limit 5)`,
      );
      // A stray row of a month not yet made (three years ahead) waits in the default partition.
      const stray = monthStart(now, 36);
      await receiveEarlier(
        db,
        new Date(stray.getTime() + 60_000),
        sql`id = (select max(id) from intake_parcel where id % 3 = 0)`,
      );

      const round = new TimePartitions(db, [parcelPartitioning(3)], 2);
      const report = await round.round();
      expect(report.dropped).toEqual([monthPartition('intake_parcel', old).name]);
      const { rows: left } = await sql<{ parcels: number; keys: number; declarations: number }>`
        select (select count(*) from intake_parcel where id = any(${moved.map((row) => row.id)}::bigint[]))::int as parcels,
          (select count(*) from intake_parcel_key where parcel_id = any(${moved.map((row) => row.id)}::bigint[]))::int as keys,
          (select count(*) from intake_declaration where parcel_id = any(${moved.map((row) => row.id)}::bigint[]))::int as declarations`.execute(
        db,
      );
      expect(left[0]).toEqual({ parcels: 0, keys: 0, declarations: 0 });
      for (const offset of [0, 1, 2])
        expect(
          (
            await sql<{
              found: boolean;
            }>`select to_regclass(${monthPartition('intake_parcel', monthStart(now, offset)).name}) is not null as found`.execute(
              db,
            )
          ).rows[0]!.found,
        ).toBe(true);

      const ahead = new TimePartitions(db, [parcelPartitioning(0)], 36);
      const later = await ahead.round();
      expect(later.blocked).toEqual([monthPartition('intake_parcel', stray).name]);
      expect(later.created).toContain(monthPartition('intake_parcel', monthStart(now, 35)).name);
      expect(later.dropped).toEqual([]);
    });

    it('drops a month of the audit trail past retention leaving an archive entry the chain verifies from', async () => {
      // A trail of its own, whose first entries were written fourteen months ago.
      const database = await createTestDatabase(engine);
      try {
        await migrateToLatest(database, migrations);
        const past = monthStart(now, -14);
        await ensureMonthPartition(database.db, 'identity_audit_entry', 'at', past);
        const backdated = new AuditLog(database, () => new Date(past.getTime() + 3_600_000));
        for (const subject of ['a', 'b', 'c'])
          await backdated.append({ actor: 'system', action: 'identity.test_entry', subject });
        const audit = new AuditLog(database);
        for (const subject of ['d', 'e'])
          await audit.append({ actor: 'system', action: 'identity.test_entry', subject });

        const report = await new TimePartitions(database.db, [audit.partitioning(12)], 1).round();
        expect(report.dropped).toEqual([monthPartition('identity_audit_entry', past).name]);
        expect(await audit.verify(systemActor)).toMatchObject({ ok: true, entries: 3, archivedThrough: 3 });
        const archive = await audit.list(systemActor, { action: 'identity.audit_archived' });
        expect(archive.map((entry) => entry.details)).toEqual([
          { throughSeq: 3, throughHash: expect.stringMatching(/^[0-9a-f]{64}$/) },
        ]);
        // Every partition stays append-only.
        await expect(sql`delete from identity_audit_entry`.execute(database.db)).rejects.toThrow(
          /append-only/,
        );
      } finally {
        await database.close();
      }
    });
  });
}
