/**
 * Metrics customs use to judge a targeting model: of the top n % declarations by score (what inspection
 * capacity allows), how many were fraudulent (precision@n %) and what share of all frauds they caught
 * (recall@n %). AUC is secondary: it rewards ordering the bottom of the list, which nobody inspects.
 */

/** The inspection shares customs plan with, in percent. */
export const STANDARD_PERCENTS = [1, 2, 5, 10] as const;

/** Number of declarations in the top `percent` % of `total` (at least one when total > 0). */
export function topCount(total: number, percent: number): number {
  if (total === 0) return 0;
  return Math.min(total, Math.max(1, Math.round((total * percent) / 100)));
}

/** Row indices by descending score; ties keep input order so results are reproducible. */
export function rankByScore(scores: ArrayLike<number>): Uint32Array {
  const order = Uint32Array.from({ length: scores.length }, (_, i) => i);
  order.sort((a, b) => scores[b] - scores[a] || a - b);
  return order;
}

/** Share of positives among the top `percent` % by score. */
export function precisionAt(
  scores: ArrayLike<number>,
  positives: ArrayLike<number>,
  percent: number,
  ranking = rankByScore(scores),
): number {
  const n = topCount(scores.length, percent);
  if (n === 0) return NaN;
  let hits = 0;
  for (let i = 0; i < n; i++) hits += positives[ranking[i]] ? 1 : 0;
  return hits / n;
}

/** Share of all positives that fall in the top `percent` % by score (NaN when there are none). */
export function recallAt(
  scores: ArrayLike<number>,
  positives: ArrayLike<number>,
  percent: number,
  ranking = rankByScore(scores),
): number {
  let total = 0;
  for (let i = 0; i < positives.length; i++) total += positives[i] ? 1 : 0;
  if (total === 0) return NaN;
  const n = topCount(scores.length, percent);
  let hits = 0;
  for (let i = 0; i < n; i++) hits += positives[ranking[i]] ? 1 : 0;
  return hits / total;
}

/** Area under the ROC curve (Mann-Whitney, ties count half); NaN when one class is absent. */
export function areaUnderRoc(scores: ArrayLike<number>, positives: ArrayLike<number>): number {
  const order = Uint32Array.from({ length: scores.length }, (_, i) => i).sort(
    (a, b) => scores[a] - scores[b],
  );
  let positiveCount = 0;
  let rankSum = 0;
  let i = 0;
  while (i < order.length) {
    let j = i + 1;
    while (j < order.length && scores[order[j]] === scores[order[i]]) j++;
    const averageRank = (i + j + 1) / 2; // 1-based average rank of the tie group
    for (let k = i; k < j; k++) {
      if (positives[order[k]]) {
        positiveCount++;
        rankSum += averageRank;
      }
    }
    i = j;
  }
  const negativeCount = order.length - positiveCount;
  if (positiveCount === 0 || negativeCount === 0) return NaN;
  return (rankSum - (positiveCount * (positiveCount + 1)) / 2) / (positiveCount * negativeCount);
}

export type PercentTable = Record<string, number>;

/** The evaluation report printed by `clearway model evaluate --json`. */
export interface RankingReport {
  rows: number;
  frauds: number;
  critical_frauds: number;
  precision_at: PercentTable;
  recall_at: PercentTable;
  critical_precision_at: PercentTable;
  critical_recall_at: PercentTable;
  /**
   * Critical recall when the single inspection list ranked by the fraud score is used; present when the
   * critical metrics above were computed on a separate critical-fraud score.
   */
  critical_recall_at_fraud_score?: PercentTable;
  auc: number;
  critical_auc: number;
}

/**
 * Every ranking metric at the standard inspection shares, for fraud and for critical fraud. Critical
 * metrics rank by `criticalScores` when given (a model trained for critical fraud), else by `scores`.
 */
export function evaluateRanking(
  scores: ArrayLike<number>,
  fraud: ArrayLike<number>,
  critical: ArrayLike<number>,
  percents: readonly number[] = STANDARD_PERCENTS,
  criticalScores?: ArrayLike<number> | null,
): RankingReport {
  const ranking = rankByScore(scores);
  const criticalRanking = criticalScores ? rankByScore(criticalScores) : ranking;
  const criticalBy = criticalScores ?? scores;
  const table = (metric: (percent: number) => number): PercentTable =>
    Object.fromEntries(percents.map((percent) => [String(percent), round(metric(percent))]));
  let frauds = 0;
  let criticalFrauds = 0;
  for (let i = 0; i < fraud.length; i++) {
    frauds += fraud[i] ? 1 : 0;
    criticalFrauds += critical[i] ? 1 : 0;
  }
  return {
    rows: scores.length,
    frauds,
    critical_frauds: criticalFrauds,
    precision_at: table((p) => precisionAt(scores, fraud, p, ranking)),
    recall_at: table((p) => recallAt(scores, fraud, p, ranking)),
    critical_precision_at: table((p) => precisionAt(criticalBy, critical, p, criticalRanking)),
    critical_recall_at: table((p) => recallAt(criticalBy, critical, p, criticalRanking)),
    ...(criticalScores
      ? { critical_recall_at_fraud_score: table((p) => recallAt(scores, critical, p, ranking)) }
      : {}),
    auc: round(areaUnderRoc(scores, fraud)),
    critical_auc: round(areaUnderRoc(criticalBy, critical)),
  };
}

function round(value: number): number {
  return Number.isFinite(value) ? Math.round(value * 10000) / 10000 : value;
}
