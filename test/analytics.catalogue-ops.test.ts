import { sql, type RawBuilder } from 'kysely';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Clearway } from '../src/main.js';
import { demoPatterns } from '../src/demo/demo-records.js';
import type { ModelResult } from '../src/modules/analytics/catalogue/analytical-model.js';
import { systemActor } from '../src/platform/auth/actor.js';
import { availableEngines } from './support/test-database.js';
import { createTestApp } from './support/test-app.js';
import { plantedParcels } from './support/catalogue-data.js';
import { expectBetter } from './support/expect-better.js';
import { SLOPPY_CARRIER, SLOPPY_DAY } from './support/catalogue-ops-data.js';
import {
  flagged,
  loadOpsData,
  opsEvaluations,
  runModel,
  type Evaluation,
  type OpsData,
} from './support/catalogue-ops-evaluation.js';

const engines = await availableEngines();

/**
 * The operations and cross-cutting models of the catalogue (I5, N2, K1, K2, PS3, X1, X2, M1, M3, M5) on
 * the catalogue's demo data plus planted history and a sloppy carrier (test/support/catalogue-ops-data.ts),
 * on both engines: each model's flagged entities against the planted truth, and against the simplest
 * baseline for it (test/support/catalogue-ops-evaluation.ts) in the same run.
 */
describe.each(engines)(
  'the catalogue’s operations and cross-cutting models on planted data (%s)',
  (engine) => {
    let app: Clearway;
    let data: OpsData;

    const query = async <Row>(statement: RawBuilder<Row>) => (await statement.execute(app.database.db)).rows;
    /** Measures a model against its baseline, and prints the figures beside the assertions. */
    const evaluate = async (id: string): Promise<Evaluation> => {
      const evaluation = await opsEvaluations[id]!.evaluate(data);
      console.info(
        `${engine} ${id}: ${JSON.stringify({ measured: evaluation.measured, baseline: evaluation.baseline })}`,
      );
      return evaluation;
    };

    beforeAll(async () => {
      app = await createTestApp(engine);
      data = await loadOpsData(app);
    }, 600_000);
    afterAll(async () => app?.close());

    it('N2 ranks the repeat offenders above sellers unlucky once, better than the raw hit rate', async () => {
      const { measured, baseline, result } = await evaluate('N2');
      expectBetter(measured, baseline, { recall: 0.8, precision: 0.8 });
      expect(result.entities[0]!.evidence[0]!.ko).toMatch(/축소 적발률/);
    });

    it('K2 finds the risky carrier lane, better than the raw irregularity rate per lane', async () => {
      const { measured, baseline } = await evaluate('K2');
      expectBetter(measured, baseline, { recall: 1, precision: 0.5 });
    });

    it('I5 resolves the ring’s seller ids into entities, better than a random pick of sellers', async () => {
      const { measured, baseline, result } = await evaluate('I5');
      expectBetter(measured, baseline, { recall: 0.9, precision: 0.9 });
      expect(result.rows[0]!.canonical).toMatch(/^E-/);
    });

    it('PS3 finds the restricted goods sent under innocent names, better than a keyword screen', async () => {
      const { measured, baseline } = await evaluate('PS3');
      // Misclassified lines that land on a restricted code are flagged too (rightly, by their HS code), which
      // the prohibited-goods truth counts as false alarms.
      expectBetter(measured, baseline, { recall: 0.9, precision: 0.3 });
    });

    it('X1 puts planted parcels at the head of the queue, better than the risk model’s score alone', async () => {
      const { measured, baseline, result } = await evaluate('X1');
      expect(measured.flagged).toBe(60);
      expectBetter(measured, baseline, { recall: 0.1, precision: 0.6 });
      expect(result.entities[0]!.evidence.length).toBeGreaterThan(0);
    });

    it('X2 flags unusual parcels richer in planted patterns than a random pick', async () => {
      const { measured, baseline } = await evaluate('X2');
      expectBetter(measured, baseline, { recall: 0.05, precision: 0.3 });
    });

    it('K1 ranks the carrier that sends incomplete data first, better than a random pick of carriers', async () => {
      const { measured, baseline, result } = await evaluate('K1');
      expectBetter(measured, baseline, { recall: 1, precision: 1 });
      expect(result.rows[0]!.carrier_code).toBe(SLOPPY_CARRIER);
    });

    it('M5 sees traffic move to the new carrier on its first day, better than a random pick of carriers', async () => {
      const { measured, baseline } = await evaluate('M5');
      expectBetter(measured, baseline, { recall: 1, precision: 0.5 });
    });

    it('M3 reports the carrier mix of the sloppy carrier’s day as drift, far above the day before', async () => {
      const drifted = await runModel(app, 'M3', { reference_days: 5 }, { from: SLOPPY_DAY, to: SLOPPY_DAY });
      const control = await runModel(
        app,
        'M3',
        { reference_days: 4 },
        { from: '2026-11-13', to: '2026-11-13' },
      );
      const psi = (result: ModelResult) => Number(result.rows.find((row) => row.name === 'carrier')!.psi);
      console.info(
        `${engine} M3: carrier PSI ${psi(drifted)} on the planted day, ${psi(control)} the day before`,
      );
      expect(flagged(drifted, 'group')).toContain('carrier');
      expect(psi(drifted)).toBeGreaterThan(0.2);
      expect(psi(drifted)).toBeGreaterThan(4 * psi(control));
    });

    // Last: the inspections it records become labels that N2 and K2 would read.
    it('M1 measures each selector’s hit rate from the recorded inspections', async () => {
      // Officers hold and inspect every parcel targeting selected, and record what the planted truth says.
      const selected = await query(sql<{ parcel_id: number }>`
      select parcel_id from targeting_analysis_selection where why_selected <> 'none'`);
      const planted = plantedParcels(data.truth, ...demoPatterns);
      const trackingOf = new Map(
        data.parcels.map((parcel) => [Number(parcel.parcel_id), parcel.tracking_number]),
      );
      for (const { parcel_id } of selected) {
        const irregular = planted.has(trackingOf.get(Number(parcel_id)) ?? '');
        await app.clearance.lifecycle.transition(
          systemActor,
          Number(parcel_id),
          'held',
          'selected for inspection',
        );
        await app.clearance.inspections.recordInspection(systemActor, Number(parcel_id), {
          outcome: irregular ? 'misdeclared_goods' : 'no_finding',
        });
      }
      await app.settle();
      const result = await runModel(app, 'M1', { min_n: 1 });
      // The truth per selector, counted straight from the planted patterns of the inspected parcels.
      const selections = await query(sql<{ parcel_id: number; why_selected: string }>`
      select s.parcel_id, s.why_selected from targeting_analysis_selection s
      join clearance_analysis_inspection i on i.parcel_id = s.parcel_id where s.why_selected <> 'none'`);
      const expected = new Map<string, { inspected: number; hits: number }>();
      for (const selection of selections) {
        const counts = expected.get(selection.why_selected) ?? { inspected: 0, hits: 0 };
        counts.inspected++;
        if (planted.has(trackingOf.get(Number(selection.parcel_id)) ?? '')) counts.hits++;
        expected.set(selection.why_selected, counts);
      }
      expect(expected.size).toBeGreaterThan(0);
      for (const [selector, counts] of expected) {
        const row = result.rows.find((candidate) => candidate.selector === selector)!;
        expect(row, selector).toBeDefined();
        expect(row.inspected).toBe(counts.inspected);
        expect(row.hits).toBe(counts.hits);
      }
      expect(result.chart?.points.length).toBeGreaterThan(0);
    });
  },
);
