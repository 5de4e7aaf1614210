import { sql, type RawBuilder } from 'kysely';
import type { Clearway } from '../../src/main.js';
import { demoPatterns } from '../../src/demo/demo-records.js';
import type { ModelResult, ParameterValues } from '../../src/modules/analytics/catalogue/analytical-model.js';
import { catalogueModels } from '../../src/modules/analytics/catalogue/models/index.js';
import {
  loadCatalogueData,
  parcelKeys,
  plantedKeys,
  plantedParcels,
  randomPick,
  recallPrecision,
  runContext,
  type ParcelKeys,
  type PlantedTruth,
} from './catalogue-data.js';
import {
  loadPlantedHistory,
  postSloppyItems,
  SLOPPY_CARRIER,
  SLOPPY_DAY,
  type OpsTruth,
} from './catalogue-ops-data.js';

/**
 * How each operations and cross-cutting model is measured on planted truth against its simplest baseline
 * in the same run: shared by test/analytics.catalogue-ops.test.ts (which asserts) and
 * bench/analytics.bench.ts (which prints the figures).
 */
export interface OpsData {
  app: Clearway;
  truth: PlantedTruth;
  ops: OpsTruth;
  parcels: ParcelKeys[];
}

export type Figures = ReturnType<typeof recallPrecision>;

export interface Evaluation {
  measured: Figures;
  baseline: Figures;
  result: ModelResult;
}

/** The catalogue's demo data, the planted history and the sloppy carrier, loaded through intake. */
export async function loadOpsData(app: Clearway): Promise<OpsData> {
  const truth = await loadCatalogueData(app);
  const ops = await loadPlantedHistory(app);
  await postSloppyItems(app, 40);
  return { app, truth, ops, parcels: await parcelKeys(app) };
}

export async function runModel(
  app: Clearway,
  id: string,
  parameters: ParameterValues = {},
  period?: { from: string; to: string },
): Promise<ModelResult> {
  const spec = catalogueModels.find((candidate) => candidate.id === id)!;
  const defaults = Object.fromEntries(
    spec.parameters.map((parameter) => [parameter.name, parameter.default]),
  );
  return spec.run(runContext(app, { ...defaults, ...parameters }, period));
}

export const flagged = (result: ModelResult, kind: string) =>
  result.entities.filter((entity) => entity.kind === kind).map((entity) => entity.key);

const query = async <Row>(app: Clearway, statement: RawBuilder<Row>) =>
  (await statement.execute(app.database.db)).rows;

/**
 * A random pick of as many carriers as a model flagged, as its expected recall and precision: with a
 * dozen carriers one seeded draw can hit the planted one by luck, the expectation cannot.
 */
async function randomCarrierBaseline(app: Clearway, count: number): Promise<Figures> {
  const rows = await query(
    app,
    sql<{
      carriers: string | number;
    }>`select count(distinct carrier_code) as carriers from intake_analysis_buyer_parcel`,
  );
  const population = Number(rows[0]!.carriers);
  return { recall: Math.min(1, count / population), precision: 1 / population, flagged: count };
}

/** The entities whose raw rate (irregular / checked) reaches `times` the population's: the unshrunk rule. */
async function rawRateRule(app: Clearway, groupBy: string, times: number): Promise<string[]> {
  const rows = await query(
    app,
    sql<{ entity: string; checks: string | number; hits: string | number }>`
      select ${sql.raw(groupBy)} as entity, count(*) filter (where inspected) as checks, count(*) filter (where fraud) as hits
      from intake_analysis_declaration group by 1`,
  );
  const checks = rows.reduce((sum, row) => sum + Number(row.checks), 0);
  const population = rows.reduce((sum, row) => sum + Number(row.hits), 0) / checks;
  return rows
    .filter(
      (row) =>
        row.entity && Number(row.checks) > 0 && Number(row.hits) / Number(row.checks) >= times * population,
    )
    .map((row) => row.entity);
}

/** Each model's measurement, with the baseline it is compared with named for the reader. */
export const opsEvaluations: Record<
  string,
  { baseline: string; evaluate: (data: OpsData) => Promise<Evaluation> }
> = {
  N2: {
    baseline: 'raw hit rate ≥ 2 × the population’s',
    evaluate: async ({ app, ops }) => {
      const result = await runModel(app, 'N2');
      return {
        result,
        measured: recallPrecision(flagged(result, 'seller'), ops.offenders),
        baseline: recallPrecision(await rawRateRule(app, 'seller_key', 2), ops.offenders),
      };
    },
  },
  K2: {
    baseline: 'raw irregularity rate ≥ 1.5 × the population’s',
    evaluate: async ({ app, ops }) => {
      const result = await runModel(app, 'K2');
      return {
        result,
        measured: recallPrecision(flagged(result, 'carrier'), ops.riskyCells),
        baseline: recallPrecision(
          await rawRateRule(app, "carrier_code || ' / ' || coalesce(origin_country, '?')", 1.5),
          ops.riskyCells,
        ),
      };
    },
  },
  I5: {
    baseline: 'random pick of as many sellers',
    evaluate: async ({ app, truth, parcels }) => {
      const result = await runModel(app, 'I5');
      const planted = plantedKeys(truth, parcels, 'seller_key', 'seller_ring');
      const found = flagged(result, 'seller');
      return {
        result,
        measured: recallPrecision(found, planted),
        baseline: recallPrecision(
          randomPick(parcels.map((parcel) => parcel.seller_key!).filter(Boolean), found.length),
          planted,
        ),
      };
    },
  },
  PS3: {
    baseline: 'the same classes screened on words only',
    evaluate: async ({ app, truth }) => {
      const classes = 'weapon,knife,narcotic,tobacco,quarantine';
      const planted = plantedParcels(truth, 'prohibited_goods');
      const result = await runModel(app, 'PS3', { classes });
      const words = await runModel(app, 'PS3', { classes, use_hs: false, use_ingredients: false });
      return {
        result,
        measured: recallPrecision(flagged(result, 'parcel'), planted),
        baseline: recallPrecision(flagged(words, 'parcel'), planted),
      };
    },
  },
  X1: {
    baseline: 'the active risk model’s score alone, same queue length',
    evaluate: async ({ app, truth }) => {
      const result = await runModel(app, 'X1', { limit: 60, min_score: 0 });
      const planted = plantedParcels(truth, ...demoPatterns);
      const queue = flagged(result, 'parcel');
      const byScore = await query(
        app,
        sql<{ tracking_number: string }>`
          select b.tracking_number from intake_analysis_buyer_parcel b
          join targeting_analysis_decision d on d.parcel_id = b.parcel_id
          order by d.score desc, b.tracking_number limit ${queue.length}`,
      );
      return {
        result,
        measured: recallPrecision(queue, planted),
        baseline: recallPrecision(
          byScore.map((row) => row.tracking_number),
          planted,
        ),
      };
    },
  },
  X2: {
    baseline: 'random pick of as many parcels',
    evaluate: async ({ app, truth }) => {
      // Before the sloppy carrier's day: its token-valued items are anomalies too, but no planted pattern.
      const result = await runModel(app, 'X2', {}, { from: '2026-11-01', to: '2026-11-13' });
      const planted = plantedParcels(truth, ...demoPatterns);
      const found = flagged(result, 'parcel');
      const population = await query(
        app,
        sql<{ tracking_number: string }>`
          select tracking_number from intake_analysis_buyer_parcel where arrival_date <= '2026-11-13'::date`,
      );
      return {
        result,
        measured: recallPrecision(found, planted),
        baseline: recallPrecision(
          randomPick(
            population.map((row) => row.tracking_number),
            found.length,
          ),
          planted,
        ),
      };
    },
  },
  K1: {
    baseline: 'random pick of as many carriers (expected)',
    evaluate: async ({ app }) => {
      const result = await runModel(app, 'K1', { include_timeliness: false });
      const found = flagged(result, 'carrier');
      return {
        result,
        measured: recallPrecision(found, new Set([SLOPPY_CARRIER])),
        baseline: await randomCarrierBaseline(app, Math.max(1, found.length)),
      };
    },
  },
  M5: {
    baseline: 'random pick of as many carriers (expected)',
    evaluate: async ({ app }) => {
      const result = await runModel(app, 'M5', { recent_days: 1 }, { from: '2026-11-09', to: SLOPPY_DAY });
      return {
        result,
        measured: recallPrecision(flagged(result, 'carrier'), new Set([SLOPPY_CARRIER])),
        baseline: await randomCarrierBaseline(app, Math.max(1, result.entities.length)),
      };
    },
  },
};
