/**
 * Choosing what to inspect. Most of the budget goes to the highest scores; a share is kept for
 * exploration, because labels exist only for what was inspected: without exploration a model never learns
 * that an unseen trader is risky, and its own blind spots stay blind.
 */

export type ExplorationStrategy = 'random' | 'uncertainty';

/** Why a declaration was selected. */
export type SelectionReason = 'score' | 'exploration';

export interface InspectionSelection {
  /** Indices of selected declarations, score picks first (by descending score), then exploration picks. */
  indices: Uint32Array;
  reasons: SelectionReason[];
}

export interface SelectionOptions {
  /** Share of the budget kept for exploration, 0..1 (customs practice: about 0.1). */
  explorationShare: number;
  strategy: ExplorationStrategy;
  /** Uniform [0, 1) generator; pass a seeded one for reproducible selections. */
  random: () => number;
}

export const DEFAULT_EXPLORATION_SHARE = 0.1;

/**
 * Selects `budget` declarations: the top scores for (1 - explorationShare) of the budget, the rest either
 * uniformly at random among the others or, with `uncertainty`, those whose score is closest to a coin toss
 * (largest p(1 - p)), where an inspection teaches the model most.
 */
export function selectForInspection(
  scores: ArrayLike<number>,
  budget: number,
  options: SelectionOptions,
): InspectionSelection {
  const total = scores.length;
  const size = Math.max(0, Math.min(total, Math.floor(budget)));
  const share = Math.min(1, Math.max(0, options.explorationShare));
  const explorationCount = Math.min(size, Math.round(size * share));
  const scoreCount = size - explorationCount;
  const order = Uint32Array.from({ length: total }, (_, i) => i).sort(
    (a, b) => scores[b] - scores[a] || a - b,
  );
  const indices: number[] = Array.from(order.subarray(0, scoreCount));
  const reasons: SelectionReason[] = indices.map(() => 'score');
  const rest = Array.from(order.subarray(scoreCount));
  if (options.strategy === 'uncertainty') {
    const uncertainty = (i: number) => scores[i] * (1 - scores[i]);
    rest.sort((a, b) => uncertainty(b) - uncertainty(a) || a - b);
  } else {
    // Partial Fisher-Yates: the first explorationCount entries become a uniform sample.
    for (let i = 0; i < explorationCount; i++) {
      const j = i + Math.floor(options.random() * (rest.length - i));
      [rest[i], rest[j]] = [rest[j], rest[i]];
    }
  }
  for (let i = 0; i < explorationCount; i++) {
    indices.push(rest[i]);
    reasons.push('exploration');
  }
  return { indices: Uint32Array.from(indices), reasons };
}
