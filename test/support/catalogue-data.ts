import { sql, type RawBuilder } from 'kysely';
import { createSeededRandom } from '../../src/platform/random/seeded-random.js';
import type { Clearway } from '../../src/main.js';
import { generateDemoData, loadDemoData } from '../../src/demo/index.js';
import { defaultPatternRates } from '../../src/demo/demo-generator.js';
import { demoRecalls } from '../../src/demo/product-recalls.js';
import type { DemoPattern } from '../../src/demo/demo-records.js';
import type {
  ModelRunContext,
  ParameterValues,
} from '../../src/modules/analytics/catalogue/analytical-model.js';
import { systemActor } from '../../src/platform/auth/actor.js';
import { loadDemoExchangeRates } from './question-data.js';

/**
 * The demo period the catalogue's models are tested on: six days of 120 parcels with every pattern four
 * times as frequent as by default, so that each model meets enough planted cases in little data.
 */
export const CATALOGUE_DATA = {
  days: 6,
  parcelsPerDay: 120,
  startDate: '2026-11-09',
  seed: 2026,
  patternRates: Object.fromEntries(
    Object.entries(defaultPatternRates).map(([name, rate]) => [name, rate * 4]),
  ),
};
/**
 * The same period with the second wave's patterns turned on as well (test/analytics.catalogue-more.test.ts):
 * values bunched under the limit, round values, vague descriptions, tariff shifts, claimed origins, US
 * reshippers, gifts from marketplace sellers, brushing and address hubs.
 */
export const CATALOGUE_MORE_DATA = {
  ...CATALOGUE_DATA,
  patternRates: {
    ...CATALOGUE_DATA.patternRates,
    thresholdBunching: 0.04,
    roundValues: 0.04,
    vagueDescription: 0.02,
    tariffShift: 0.05,
    originMismatch: 0.02,
    usReshipper: 0.11,
    giftMisdeclaration: 0.1,
    brushing: 0.04,
    addressHub: 0.02,
  },
};
export const CATALOGUE_PERIOD = { from: '2026-11-01', to: '2026-11-30' } as const;

/** Planted truth: for each pattern, its parcels' tracking numbers and their group (buyer, seller, ring). */
export type PlantedTruth = Map<DemoPattern, Map<string, string>>;

/**
 * Loads the demo period and the recall reports its planted recalled
 * products come from, and returns the ground truth the generator wrote for it.
 */
export async function loadCatalogueData(
  app: Clearway,
  data: typeof CATALOGUE_DATA = CATALOGUE_DATA,
): Promise<PlantedTruth> {
  await loadDemoExchangeRates(app, data.startDate, data.days);
  // The generated files go to the app's own data folder (createTestApp gives each app one).
  await loadDemoData(app, { ...data, force: true });
  await app.partners.productSafety.file(
    systemActor,
    demoRecalls.map((recall) => ({ ...recall })),
  );
  await app.settle();
  // The models here run without the runner, which would bring the fact rows up to date first.
  await app.analytics.parcelFacts.refresh();
  const truth: PlantedTruth = new Map();
  for (const event of generateDemoData(data)) {
    if (event.kind !== 'truth') continue;
    const rows = truth.get(event.row.pattern) ?? new Map<string, string>();
    rows.set(event.row.trackingNumber, event.row.groupId);
    truth.set(event.row.pattern, rows);
  }
  return truth;
}

/** A run context over the test database, as the runner builds it (defaults filled in). */
export function runContext(
  app: Clearway,
  parameters: ParameterValues,
  period: { from: string; to: string } = CATALOGUE_PERIOD,
): ModelRunContext {
  return {
    ...period,
    parameters,
    locale: 'en',
    progress: () => undefined,
    query: async <Row>(statement: RawBuilder<Row>) => (await statement.execute(app.database.db)).rows,
  };
}

/** Recall and precision of a flagged set against the true set. */
export function recallPrecision(flagged: Iterable<string>, truth: ReadonlySet<string>) {
  const flaggedSet = new Set(flagged);
  const hits = [...flaggedSet].filter((key) => truth.has(key)).length;
  return {
    recall: truth.size === 0 ? 0 : hits / truth.size,
    precision: flaggedSet.size === 0 ? 0 : hits / flaggedSet.size,
    flagged: flaggedSet.size,
  };
}

export { sql };

/** The keys that tie each demo parcel to its buyer and seller, to turn planted parcels into planted parties. */
export interface ParcelKeys {
  parcel_id: number;
  tracking_number: string;
  pccc: string | null;
  seller_key: string | null;
}

export async function parcelKeys(app: Clearway): Promise<ParcelKeys[]> {
  return (
    await sql<ParcelKeys>`select parcel_id, tracking_number, pccc, seller_key from intake_analysis_buyer_parcel`.execute(
      app.database.db,
    )
  ).rows;
}

/** Tracking numbers of the planted patterns' parcels. */
export function plantedParcels(truth: PlantedTruth, ...patterns: DemoPattern[]): Set<string> {
  return new Set(patterns.flatMap((pattern) => [...(truth.get(pattern)?.keys() ?? [])]));
}

/** The PCCCs or sellers of the planted patterns' parcels. */
export function plantedKeys(
  truth: PlantedTruth,
  parcels: readonly ParcelKeys[],
  key: 'pccc' | 'seller_key',
  ...patterns: DemoPattern[]
): Set<string> {
  const tracking = plantedParcels(truth, ...patterns);
  return new Set(
    parcels.filter((parcel) => tracking.has(parcel.tracking_number)).map((parcel) => parcel[key]!),
  );
}

/** As many entities as a model flagged, drawn at random from the population (seeded): the random baseline. */
export function randomPick(population: readonly (string | null)[], count: number, seed = 17): string[] {
  const random = createSeededRandom(seed, 'catalogue-baseline');
  const pool = [...new Set(population.filter((value): value is string => value !== null))];
  const picked: string[] = [];
  while (picked.length < Math.min(count, pool.length))
    picked.push(...pool.splice(random.int(0, pool.length - 1), 1));
  return picked;
}
