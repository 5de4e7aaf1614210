import type { Clearway } from '../../src/main.js';
import type { DemoPattern } from '../../src/demo/demo-records.js';
import { systemActor } from '../../src/platform/auth/actor.js';
import { CATALOGUE_PERIOD, parcelKeys, plantedKeys, type PlantedTruth } from './catalogue-data.js';

/** The planted patterns whose seller (first) or buyer code (second) is the wrongdoer. */
export const PLANTED_SELLER_PATTERNS: DemoPattern[] = ['seller_ring', 'seller_pccc_theft'];
export const PLANTED_PCCC_PATTERNS: DemoPattern[] = [
  'pccc_many_names',
  'seller_pccc_theft',
  'commercial_volume',
  'undervaluation',
  'split_same_buyer_day',
  'split_same_seller_date',
  'split_same_awb',
  'split_same_delivery_address',
];

/**
 * Area under the ROC curve: the chance that a planted entity scores above a clean one (ties count half).
 * Computed by rank, so a score's scale does not matter.
 */
export function areaUnderCurve(
  scored: readonly { key: string; score: number }[],
  planted: ReadonlySet<string>,
) {
  const positives = scored.filter((entity) => planted.has(entity.key)).map((entity) => entity.score);
  const negatives = scored.filter((entity) => !planted.has(entity.key)).map((entity) => entity.score);
  if (positives.length === 0 || negatives.length === 0) return Number.NaN;
  let wins = 0;
  for (const positive of positives)
    for (const negative of negatives) wins += positive > negative ? 1 : positive === negative ? 0.5 : 0;
  return wins / (positives.length * negatives.length);
}

export interface ProfileEvaluation {
  entities: number;
  planted: number;
  auc: number;
  /** The simplest rule: more parcels, more suspect. */
  baselineAuc: number;
}

/** Every seller's and every PCCC's profile score over the catalogue's demo period, against the planted truth. */
export async function evaluateProfiles(
  app: Clearway,
  truth: PlantedTruth,
): Promise<{ sellers: ProfileEvaluation; pcccs: ProfileEvaluation }> {
  const parcels = await parcelKeys(app);
  const evaluate = async (kind: 'seller' | 'pccc', patterns: DemoPattern[]) => {
    const planted = plantedKeys(truth, parcels, kind === 'seller' ? 'seller_key' : 'pccc', ...patterns);
    const ranked = await app.analytics.profiles.rank(systemActor, kind, CATALOGUE_PERIOD);
    return {
      entities: ranked.length,
      planted: ranked.filter((entity) => planted.has(entity.key)).length,
      auc: areaUnderCurve(ranked, planted),
      baselineAuc: areaUnderCurve(
        ranked.map((entity) => ({ key: entity.key, score: entity.parcels })),
        planted,
      ),
    };
  };
  return {
    sellers: await evaluate('seller', PLANTED_SELLER_PATTERNS),
    pcccs: await evaluate('pccc', PLANTED_PCCC_PATTERNS),
  };
}
