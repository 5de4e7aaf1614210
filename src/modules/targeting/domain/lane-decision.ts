import type { RuleHit } from './rule-set.js';

export const lanes = ['green', 'yellow', 'red', 'blue'] as const;
export type Lane = (typeof lanes)[number];

/** How strict a lane is: red > yellow > blue > green. Capacity moves parcels down this order. */
export const laneSeverity: Record<Lane, number> = { green: 0, blue: 1, yellow: 2, red: 3 };

/** The next, less strict lane a parcel moves to when a lane is full. */
export function nextLane(lane: Lane): Lane {
  return lane === 'red' ? 'yellow' : lane === 'yellow' ? 'blue' : 'green';
}

export function stricterLane(a: Lane, b: Lane): Lane {
  return laneSeverity[a] >= laneSeverity[b] ? a : b;
}

/** Score cut-offs: a score at or above `red` goes red, and so on; below `blue` is green. */
export interface LaneThresholds {
  red: number;
  yellow: number;
  blue: number;
}

export interface SelectionPolicy {
  /** Share of parcels picked for exploration (uncertainty sampling), e.g. 0.01. */
  explorationRate: number;
  explorationLane: 'yellow' | 'red';
  /** Share of parcels picked uniformly at random whatever their score, e.g. 0.005. */
  minimumRandomRate: number;
  randomLane: 'yellow' | 'red';
  /** Seeds the deterministic draws, so that a re-decision of a parcel draws the same numbers. */
  seed: number;
}

export const defaultSelectionPolicy: SelectionPolicy = Object.freeze({
  explorationRate: 0.01,
  explorationLane: 'red',
  minimumRandomRate: 0.005,
  randomLane: 'red',
  seed: 20_251_127,
});

/** Why the parcel is in its lane; orders capacity: higher classes are never displaced by lower ones. */
export type SelectionSource =
  'override' | 'mandatory-rule' | 'rule' | 'random' | 'exploration' | 'model' | 'none';

const sourceClass: Record<SelectionSource, number> = {
  override: 5,
  'mandatory-rule': 4,
  rule: 3,
  random: 2,
  exploration: 2,
  model: 1,
  none: 0,
};

export interface LaneInput {
  /** Stable key of the parcel for the deterministic draws (parcel or declaration id). */
  parcelKey: number;
  score: number;
  hits: readonly RuleHit[];
  thresholds: LaneThresholds;
  /** Mean uncertainty of recent scores at the office (see `uncertainty`), to keep exploration at its rate. */
  meanUncertainty: number;
  policy: SelectionPolicy;
}

export interface LaneOutcome {
  lane: Lane;
  xrayReferral: boolean;
  source: SelectionSource;
  /** Rank for capacity: selection class first, then score. Higher ranks keep their place. */
  priority: number;
  /** Rule hits whose lane was applied (a hit with selection under 100 % may not be). */
  appliedHits: RuleHit[];
  reasons: string[];
}

/**
 * Combines rule hits, the model score against the thresholds, exploration and the minimum random
 * rate into a lane, as ASYCUDA selectivity and the BACUDA research do:
 * 1. each rule hit applies its lane (to its selection share of hits); the strictest lane wins;
 * 2. the model score places the parcel by the thresholds; the stricter of rule and model lane wins;
 * 3. a parcel still green or blue may be picked for exploration (probability proportional to the
 *    model's uncertainty, scaled so that the expected rate is `explorationRate`), and
 * 4. any parcel still green or blue is picked at random with probability `minimumRandomRate`.
 * Draws are deterministic per parcel, so re-deciding a parcel cannot re-roll its selection.
 */
export function decideLane(input: LaneInput): LaneOutcome {
  const { score, thresholds, policy } = input;
  const reasons: string[] = [];
  const appliedHits: RuleHit[] = [];
  let lane: Lane = 'green';
  let source: SelectionSource = 'none';
  let xrayReferral = false;

  for (const hit of input.hits) {
    if (hit.xrayReferral) xrayReferral = true;
    if (
      hit.selectionPercent < 100 &&
      draw(policy.seed, input.parcelKey, hit.ruleId) * 100 >= hit.selectionPercent
    ) {
      reasons.push(
        `rule "${hit.name}" (v${hit.version}) matched; not among its ${hit.selectionPercent} % selected share`,
      );
      continue;
    }
    appliedHits.push(hit);
    reasons.push(
      `rule "${hit.name}" (v${hit.version}) matched: ${hit.lane}${hit.selectionPercent < 100 ? ` (${hit.selectionPercent} % selection)` : ''}${hit.mandatory ? ', mandatory' : ''}`,
    );
    lane = stricterLane(lane, hit.lane);
  }
  if (appliedHits.length > 0)
    source = appliedHits.some((hit) => hit.mandatory && hit.lane === lane) ? 'mandatory-rule' : 'rule';

  const modelLane: Lane =
    score >= thresholds.red
      ? 'red'
      : score >= thresholds.yellow
        ? 'yellow'
        : score >= thresholds.blue
          ? 'blue'
          : 'green';
  if (modelLane !== 'green')
    reasons.push(
      `risk score ${score.toFixed(3)} at or above the ${modelLane} threshold ${thresholds[modelLane].toFixed(3)}`,
    );
  if (laneSeverity[modelLane] > laneSeverity[lane]) {
    lane = modelLane;
    source = 'model';
  }

  if (laneSeverity[lane] < laneSeverity[policy.explorationLane] && policy.explorationRate > 0) {
    const weight = input.meanUncertainty > 0 ? uncertainty(score) / input.meanUncertainty : 1;
    if (draw(policy.seed, input.parcelKey, -1) < policy.explorationRate * weight) {
      lane = policy.explorationLane;
      source = 'exploration';
      reasons.push(
        `picked for exploration (${(policy.explorationRate * 100).toFixed(1)} % of parcels, weighted to uncertain scores) so that the model keeps learning`,
      );
    }
  }
  if (
    laneSeverity[lane] < laneSeverity[policy.randomLane] &&
    draw(policy.seed, input.parcelKey, -2) < policy.minimumRandomRate
  ) {
    lane = policy.randomLane;
    source = 'random';
    reasons.push(`picked at random (minimum random rate ${(policy.minimumRandomRate * 100).toFixed(1)} %)`);
  }
  if (lane === 'green' && reasons.length === 0)
    reasons.push(`risk score ${score.toFixed(3)} below every threshold; no rule matched`);
  if (xrayReferral) reasons.push('referred to X-ray by a rule');
  return {
    lane,
    xrayReferral,
    source,
    priority: sourceClass[source] + Math.min(1, Math.max(0, score)) * 0.999,
    appliedHits,
    reasons,
  };
}

/** 1 at a score of 0.5, 0 at 0 or 1: how unsure the model is about a parcel. */
export function uncertainty(score: number): number {
  return 1 - Math.abs(2 * score - 1);
}

/** A uniform number in [0, 1) from (seed, parcel, salt): the same inputs always draw the same number. */
export function draw(seed: number, parcelKey: number, salt: number): number {
  let h =
    Math.imul(seed ^ 0x9e3779b9, 0x85ebca6b) ^
    Math.imul(parcelKey | 0, 0xc2b2ae35) ^
    Math.imul(Math.floor(parcelKey / 0x100000000) + salt * 0x27d4eb2f, 0x165667b1);
  h ^= h >>> 16;
  h = Math.imul(h, 0x85ebca6b);
  h ^= h >>> 13;
  h = Math.imul(h, 0xc2b2ae35);
  h ^= h >>> 16;
  return (h >>> 0) / 0x100000000;
}
