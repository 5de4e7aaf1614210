/**
 * Drift indicators: has the population being scored moved away from the one the model learned from?
 * Population Stability Index (PSI) over bins of the reference window: sum (a - e) ln(a / e), with e and a
 * the shares of reference and recent values in each bin. Rule of thumb used by credit and customs risk
 * teams: below 0.1 stable, 0.1 to 0.25 worth watching, above 0.25 retrain or investigate.
 */
import type { FeatureMatrix } from './gbdt.js';

export type DriftLevel = 'stable' | 'moderate' | 'significant';

export const PSI_MODERATE = 0.1;
export const PSI_SIGNIFICANT = 0.25;

/** Share floor for empty bins, so that the logarithm stays finite. */
const EMPTY_BIN_SHARE = 1e-4;

export function driftLevel(psi: number): DriftLevel {
  return psi >= PSI_SIGNIFICANT ? 'significant' : psi >= PSI_MODERATE ? 'moderate' : 'stable';
}

/**
 * Where a reference window's values fell: quantile bin edges and the share of values per bin, with a last
 * bin for missing values (NaN). Small enough to store inside a model file.
 */
export interface ReferenceDistribution {
  edges: number[];
  shares: number[];
}

function binShares(edges: readonly number[], values: ArrayLike<number>): number[] {
  const counts = new Array<number>(edges.length + 2).fill(0);
  for (let i = 0; i < values.length; i++) {
    const v = values[i];
    if (v !== v) {
      counts[edges.length + 1]++;
      continue;
    }
    let bin = 0;
    while (bin < edges.length && v >= edges[bin]) bin++;
    counts[bin]++;
  }
  return counts.map((count) => count / Math.max(1, values.length));
}

/** Summarises reference values into up to `binCount` quantile bins (plus the missing bin). */
export function referenceDistribution(values: ArrayLike<number>, binCount = 10): ReferenceDistribution {
  const present = Array.from(values)
    .filter((v) => v === v)
    .sort((a, b) => a - b);
  const edges: number[] = [];
  for (let q = 1; q < binCount; q++) {
    if (present.length === 0) break;
    const edge = present[Math.min(present.length - 1, Math.floor((q * present.length) / binCount))];
    if (edges.length === 0 || edge > edges[edges.length - 1]) edges.push(edge);
  }
  return { edges, shares: binShares(edges, values) };
}

/** PSI of recent values against a stored reference distribution. */
export function psiAgainstReference(reference: ReferenceDistribution, recent: ArrayLike<number>): number {
  const actual = binShares(reference.edges, recent);
  let psi = 0;
  for (let i = 0; i < actual.length; i++) {
    if (reference.shares[i] === 0 && actual[i] === 0) continue;
    const e = Math.max(reference.shares[i], EMPTY_BIN_SHARE);
    const a = Math.max(actual[i], EMPTY_BIN_SHARE);
    psi += (a - e) * Math.log(a / e);
  }
  return psi;
}

/**
 * PSI of `recent` against `reference`, with up to `binCount` quantile bins of the reference values and one
 * more bin for missing values (NaN).
 */
export function populationStabilityIndex(
  reference: ArrayLike<number>,
  recent: ArrayLike<number>,
  binCount = 10,
): number {
  return psiAgainstReference(referenceDistribution(reference, binCount), recent);
}

export interface FeatureDrift {
  feature: string;
  psi: number;
  level: DriftLevel;
}

/** Column `column` of a row-major matrix. */
export function matrixColumn(matrix: FeatureMatrix, column: number): Float64Array {
  const out = new Float64Array(matrix.rows);
  for (let r = 0; r < matrix.rows; r++) out[r] = matrix.values[r * matrix.columns + column];
  return out;
}

/**
 * PSI of the score and of selected feature columns between a reference window (usually the training
 * window's last weeks) and a recent one, largest drift first.
 */
export function driftReport(
  reference: { scores: ArrayLike<number>; features: FeatureMatrix },
  recent: { scores: ArrayLike<number>; features: FeatureMatrix },
  featureNames: readonly string[],
  watchedFeatures: readonly string[] = featureNames,
): FeatureDrift[] {
  const report: FeatureDrift[] = [];
  const scorePsi = populationStabilityIndex(reference.scores, recent.scores);
  report.push({ feature: 'score', psi: scorePsi, level: driftLevel(scorePsi) });
  for (const name of watchedFeatures) {
    const column = featureNames.indexOf(name);
    if (column < 0) throw new RangeError(`unknown feature ${name}`);
    const psi = populationStabilityIndex(
      matrixColumn(reference.features, column),
      matrixColumn(recent.features, column),
    );
    report.push({ feature: name, psi, level: driftLevel(psi) });
  }
  return report.sort((a, b) => b.psi - a.psi);
}
