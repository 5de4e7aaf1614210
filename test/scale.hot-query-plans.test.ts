import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { CompiledQuery, sql } from 'kysely';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createClearway, type Clearway } from '../src/main.js';
import { QUEUE_COUNT_CAP } from '../src/modules/targeting/index.js';
import { writeDemoData } from '../src/demo/index.js';
import { systemActor, type Actor } from '../src/platform/auth/actor.js';
import { loadConfig } from '../src/platform/config/config.js';
import { monthPartition } from '../src/platform/db/time-partitions.js';
import { availableEngines, createTestDatabase } from './support/test-database.js';
import { StatementRecorder } from './support/statement-recorder.js';

/** Parcels the plans are taken over: enough for an index to beat a scan by far, few enough for a test. */
const PARCELS = 6000;

interface PlanNode {
  'Node Type': string;
  'Relation Name'?: string;
  'Index Name'?: string;
  Plans?: PlanNode[];
}

function flatten(node: PlanNode): PlanNode[] {
  return [node, ...(node.Plans ?? []).flatMap(flatten)];
}

const officer: Actor = {
  kind: 'officer',
  accountId: 'plans',
  name: 'Plan Reader',
  roles: ['targeting_analyst'],
};

/**
 * The hot queries (the targeting queue, a parcel's view, tracking-number search, a seller's history)
 * use their indexes: each is run through its service while its statements are recorded, and each
 * statement's plan (EXPLAIN) must reach the parcel and decision tables through an index, never by
 * reading them whole. At 10,000,000 parcels a scan is minutes; bench/ measures that size.
 */
for (const engine of await availableEngines()) {
  describe(`hot query plans on ${engine}`, () => {
    let clearway: Clearway;
    const recorder = new StatementRecorder();
    let monthPartitions = 0;
    const largeTables = [
      'intake_party',
      'intake_parcel',
      'intake_parcel_key',
      'intake_declaration',
      'intake_declaration_line',
      'targeting_parcel_state',
    ];

    /**
     * A few thousand rows are read whole faster than probed: with sequential scans priced out, the plan
     * shows the index the query takes once the table is large, and a query without one still has to scan
     * (the planner never refuses a plan). `{ generic: true }` shows instead the plan a prepared statement
     * keeps for any parameters (the worker's statements are prepared), at the planner's own prices.
     */
    const plansOf = async (work: () => Promise<unknown>, { generic = false } = {}) => {
      const statements = await recorder.during(work);
      expect(statements.length).toBeGreaterThan(0);
      return Promise.all(
        statements.map(async (statement) => {
          const { rows } = await clearway.database.db.transaction().execute(async (tx) => {
            if (!generic) {
              await sql`set local enable_seqscan = off`.execute(tx);
              return tx.executeQuery<Record<string, unknown>>(
                CompiledQuery.raw(`explain (format json) ${statement.sql}`, [...statement.parameters]),
              );
            }
            await sql`set local plan_cache_mode = force_generic_plan`.execute(tx);
            await tx.executeQuery(CompiledQuery.raw(`prepare plans_generic as ${statement.sql}`));
            // EXPLAIN EXECUTE takes no bound parameters: the values are written in (numbers and arrays of
            // numbers, as the statements planned this way have).
            const literal = (value: unknown) =>
              `'${Array.isArray(value) ? `{${value.join(',')}}` : String(value)}'`;
            const explained = await tx.executeQuery<Record<string, unknown>>(
              CompiledQuery.raw(
                `explain (format json) execute plans_generic(${statement.parameters.map(literal).join(', ')})`,
              ),
            );
            await tx.executeQuery(CompiledQuery.raw('deallocate plans_generic'));
            return explained;
          });
          const cell = Object.values(rows[0]!)[0];
          const [plan] = (typeof cell === 'string' ? JSON.parse(cell) : cell) as { Plan: PlanNode }[];
          return { sql: statement.sql.replace(/\s+/g, ' ').trim(), nodes: flatten(plan!.Plan) };
        }),
      );
    };
    // A monthly partition's tables and indexes are named after their month: plans are read under the
    // names of the partitioned table and index they belong to.
    const parentOf = new Map<string, string>();
    const named = (name: string | undefined) => (name ? (parentOf.get(name) ?? name) : undefined);
    const indexesUsed = (plans: Awaited<ReturnType<typeof plansOf>>) =>
      new Set(plans.flatMap((plan) => plan.nodes.map((node) => named(node['Index Name'])).filter(Boolean)));
    /** The tables (or partitions, by their own names) a plan reads whole. */
    const sequentialScans = (plans: Awaited<ReturnType<typeof plansOf>>) =>
      plans.flatMap((plan) =>
        plan.nodes.filter((node) => node['Node Type'] === 'Seq Scan').map((node) => node['Relation Name']),
      );
    const scansOfLargeTables = (plans: Awaited<ReturnType<typeof plansOf>>) =>
      plans.flatMap((plan) =>
        plan.nodes
          .filter(
            (node) =>
              node['Node Type'] === 'Seq Scan' && largeTables.includes(named(node['Relation Name']) ?? ''),
          )
          .map((node) => `${node['Relation Name']} in: ${plan.sql.slice(0, 120)}`),
      );

    beforeAll(async () => {
      const database = await createTestDatabase(engine);
      const dataDir = mkdtempSync(join(tmpdir(), 'clearway-plans-'));
      clearway = await createClearway(
        loadConfig({ NODE_ENV: 'test', LOG_LEVEL: 'silent', DATA_DIR: dataDir }),
        {
          ...database,
          db: database.db.withPlugin(recorder),
        },
      );
      const files = writeDemoData(
        join(dataDir, 'express'),
        { days: 1, parcelsPerDay: PARCELS, seed: 31, postalShare: 0 },
        { only: ['express'] },
      );
      await clearway.intake.service.importFile(systemActor, 'express', join(files.directory, files.express!));
      // Targeting's current state of each parcel, as deciding would leave it, without deciding 6,000
      // parcels: ranks spread so that the queue's order means something, one parcel in fifty red.
      await sql`
        insert into targeting_parcel_state (parcel_id, decision_id, sequence, lane, xray_referral, score, priority,
          model_version, office_code, carrier_code, hs_chapters, rule_ids, arrival_date, decision_day, decided_at,
          queue_rank)
        select id, id, 1, case when id % 50 = 0 then 'red' else 'green' end, false, (id * 7919 % 1000) / 1000.0,
          (id * 7919 % 1000) / 1000.0, 'plans', office_code, 'DHL', array['64'], array[]::bigint[], arrival_date,
          current_date, now(), (id * 104729 % 10007) / 10007.0
        from intake_parcel`.execute(clearway.database.db);
      await sql`analyze`.execute(clearway.database.db);
      const { rows: partitions } = await sql<{ child: string; parent: string }>`
        select c.relname as child, p.relname as parent from pg_inherits i
        join pg_class c on c.oid = i.inhrelid join pg_class p on p.oid = i.inhparent`.execute(
        clearway.database.db,
      );
      for (const { child, parent } of partitions) parentOf.set(child, parent);
      monthPartitions = partitions.filter(({ parent }) => parent === 'intake_parcel').length;
    }, 600_000);
    afterAll(async () => clearway?.close());

    it('stores the parcels the plans are taken over', async () => {
      const { rows } = await sql<{ n: number }>`select count(*)::int as n from intake_parcel`.execute(
        clearway.database.db,
      );
      expect(rows[0]!.n).toBeGreaterThan(PARCELS * 0.9);
    });

    // The parcels' monthly partitions a set of plans reads.
    const parcelMonthsRead = (plans: Awaited<ReturnType<typeof plansOf>>) =>
      new Set(
        plans.flatMap((plan) =>
          plan.nodes
            .map((node) => node['Relation Name'])
            .filter((name) => name?.startsWith('intake_parcel_p') || name === 'intake_parcel_default'),
        ),
      );

    it("answers a parcel's view through the parcel's primary key, in the one month holding it", async () => {
      const plans = await plansOf(() =>
        clearway.intake.service.getParcel(systemActor, Math.floor(PARCELS / 2)),
      );
      expect(scansOfLargeTables(plans)).toEqual([]);
      expect(indexesUsed(plans)).toContain('intake_parcel_key_parcel');
      expect(indexesUsed(plans)).toContain('intake_parcel_pkey');
      // The receipt time read from the parcel's key prunes the other months (and the default partition).
      expect(monthPartitions).toBeGreaterThanOrEqual(3);
      expect(parcelMonthsRead(plans)).toEqual(new Set([monthPartition('intake_parcel', new Date()).name]));
    });

    it('finds a tracking number through its index', async () => {
      const { rows } = await sql<{ tracking_number: string }>`
        select tracking_number from intake_parcel order by id desc limit 1`.execute(clearway.database.db);
      const trackingNumber = rows[0]!.tracking_number;
      let found = 0;
      const plans = await plansOf(async () => {
        found = (await clearway.intake.service.listParcels(systemActor, { trackingNumber, limit: 20 })).items
          .length;
      });
      expect(found).toBe(1);
      expect(scansOfLargeTables(plans)).toEqual([]);
      expect(indexesUsed(plans)).toContain('intake_parcel_key_pkey');
      expect(parcelMonthsRead(plans)).toEqual(new Set([monthPartition('intake_parcel', new Date()).name]));
    });

    it("counts a seller's earlier parcels through the seller index", async () => {
      const { rows } = await sql<{ id: number }>`
        select id from intake_parcel where seller_party_id is not null order by id desc limit 50`.execute(
        clearway.database.db,
      );
      const plans = await plansOf(() =>
        clearway.intake.parcelFacts.loadParcelFacts(rows.map((row) => row.id)),
      );
      expect(scansOfLargeTables(plans)).toEqual([]);
      expect(indexesUsed(plans)).toContain('intake_parcel_seller');
    });

    /** The plans a prepared read keeps for any parameters, reading the three latest parcels with a seller. */
    const genericPlansOfThreeParcels = async (read: (ids: number[]) => Promise<unknown>) => {
      const { rows } = await sql<{ id: number }>`
        select id from intake_parcel where seller_party_id is not null order by id desc limit 3`.execute(
        clearway.database.db,
      );
      return plansOf(() => read(rows.map((row) => row.id)), { generic: true });
    };

    it("reads a few parcels' parties and declaration by their indexes in the plan its prepared statement keeps", async () => {
      // A decision batch under load is a handful of parcels, and the prepared statement's plan is made for
      // any number of them: hashing every party and declaration for each batch was most of the facts
      // read's time in the load bench (docs/operations.md, "Reads planned for a few parcels").
      const plans = await genericPlansOfThreeParcels((ids) =>
        clearway.intake.parcelFacts.loadParcelFacts(ids),
      );
      const scanned = sequentialScans(plans).map(named);
      expect(scanned).not.toContain('intake_party');
      expect(scanned).not.toContain('intake_declaration');
      expect(indexesUsed(plans)).toContain('intake_party_pkey');
      expect(indexesUsed(plans)).toContain('intake_declaration_parcel');
    });

    it("reads a few declared parcels (clearance's read) by their indexes, without the history reads", async () => {
      const plans = await genericPlansOfThreeParcels((ids) =>
        clearway.intake.parcelFacts.loadDeclaredParcels(ids),
      );
      const scanned = sequentialScans(plans).map(named);
      expect(scanned).not.toContain('intake_party');
      expect(scanned).not.toContain('intake_declaration');
      expect(indexesUsed(plans)).toContain('intake_declaration_parcel');
      // The seller's earlier parcels are one of the history features that only targeting reads.
      expect(indexesUsed(plans)).not.toContain('intake_parcel_seller');
    });

    it("reads a few parcels' product lines by their indexes in the plan its prepared statement keeps", async () => {
      // Product-safety matching reads the lines of every decision batch's parcels (same section).
      const { rows } = await sql<{ id: number }>`
        select id from intake_parcel where seller_party_id is not null order by id desc limit 3`.execute(
        clearway.database.db,
      );
      let lines = 0;
      const plans = await plansOf(
        async () => {
          lines = (
            await clearway.intake.partnerReads.productLinesOfParcels(
              systemActor,
              rows.map((row) => row.id),
            )
          ).length;
        },
        { generic: true },
      );
      expect(lines).toBeGreaterThanOrEqual(3);
      const scanned = sequentialScans(plans).map(named);
      expect(scanned).not.toContain('intake_party');
      expect(scanned).not.toContain('intake_declaration');
      expect(scanned).not.toContain('intake_declaration_line');
      expect(indexesUsed(plans)).toContain('intake_declaration_parcel');
    });

    it("finds a few parcels' same-day series by their indexes in the plan its prepared statement keeps", async () => {
      // Targeting reads it for every decision batch holding a split series (same section as above).
      const { rows } = await sql<{ id: number }>`
        select p.id from intake_parcel p where exists (select 1 from intake_parcel o
          where o.pccc = p.pccc and o.arrival_date = p.arrival_date and o.id <> p.id)
        order by p.id desc limit 3`.execute(clearway.database.db);
      let siblings = 0;
      const plans = await plansOf(
        async () => {
          siblings = (await clearway.intake.parcelFacts.sameDaySeries(rows.map((row) => row.id))).length;
        },
        { generic: true },
      );
      expect(siblings).toBeGreaterThan(0);
      const filled = monthPartition('intake_parcel', new Date()).name;
      const scanned = sequentialScans(plans);
      expect(scanned).not.toContain(filled);
      expect(indexesUsed(plans)).toContain('intake_parcel_pccc');
    });

    it('pages the targeting queue along its rank index, whole and by lane', async () => {
      // The first page also counts the queue, up to a cap (the next test); here the page itself.
      const pageOnly = (plans: Awaited<ReturnType<typeof plansOf>>) =>
        plans.filter((plan) => /targeting_parcel_state .*order by queue_rank desc.*limit/i.test(plan.sql));
      const whole = pageOnly(
        await plansOf(() => clearway.targeting.service.queue(officer, {}, { limit: 50 })),
      );
      const red = pageOnly(
        await plansOf(() => clearway.targeting.service.queue(officer, { lanes: ['red'] }, { limit: 50 })),
      );
      expect(whole.length).toBe(1);
      expect(scansOfLargeTables(whole)).toEqual([]);
      expect(indexesUsed(whole)).toContain('targeting_parcel_state_rank');
      expect(scansOfLargeTables(red)).toEqual([]);
      expect(indexesUsed(red)).toContain('targeting_parcel_state_lane_rank');
      // The lane's index gives the page in queue order: no sort of the lane's parcels.
      expect(red.flatMap((plan) => plan.nodes.map((node) => node['Node Type']))).not.toContain('Sort');
    });

    it('counts the queue on its first page up to the cap, and says when it stopped there', async () => {
      const { rows: before } = await sql<{ n: number; red: number }>`
        select count(*)::int as n, (count(*) filter (where lane = 'red'))::int as red
        from targeting_parcel_state`.execute(clearway.database.db);
      // Current decisions past the cap (parcel ids beyond the stored ones: the count reads only this table).
      await sql`
        insert into targeting_parcel_state (parcel_id, decision_id, sequence, lane, xray_referral, score, priority,
          model_version, office_code, carrier_code, hs_chapters, rule_ids, arrival_date, decision_day, decided_at,
          queue_rank)
        select 1000000 + g, 1000000 + g, 1, 'green', false, 0.1, 0.1, 'plans', 'ICN', 'DHL', array['64'],
          array[]::bigint[], current_date, current_date, now(), 0.1
        from generate_series(1, ${QUEUE_COUNT_CAP + 1 - before[0]!.n}) g`.execute(clearway.database.db);
      let whole: Awaited<ReturnType<Clearway['targeting']['service']['queue']>> | undefined;
      const statements = await recorder.during(async () => {
        whole = await clearway.targeting.service.queue(officer, {}, { limit: 50 });
      });
      expect(whole).toMatchObject({ total: QUEUE_COUNT_CAP, totalCapped: true });
      expect(whole!.items).toHaveLength(50);
      // The count reads at most one row past the cap, whatever the queue's size.
      const count = statements.find((statement) => /count\(\*\)/.test(statement.sql));
      expect(count?.sql.replace(/\s+/g, ' ')).toMatch(/limit \$\d+ \) as capped/);
      expect(count?.parameters).toContain(QUEUE_COUNT_CAP + 1);
      // Under the cap, the count is exact; later pages carry none.
      const red = await clearway.targeting.service.queue(officer, { lanes: ['red'] }, { limit: 50 });
      expect(red).toMatchObject({ total: before[0]!.red, totalCapped: false });
      const next = await clearway.targeting.service.queue(
        officer,
        {},
        { limit: 50, cursor: whole!.nextCursor! },
      );
      expect(next.total).toBeUndefined();
      expect(next.totalCapped).toBeUndefined();
    });
  });
}
