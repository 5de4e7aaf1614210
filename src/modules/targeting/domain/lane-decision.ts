import { reason, type ReasonMessage } from './reason-messages.js';
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

/**
 * Why the parcel is in its lane, the queue's "why selected" column: an officer's decision, a rule (or a
 * rule over a watchlist), a declaration check, an X-ray finding, the model, or one of the two samples
 * that keep the model honest (exploration, random control), which are no risk finding.
 */
export type SelectionSource =
  | 'override'
  | 'mandatory-rule'
  | 'xray'
  | 'check'
  | 'rule'
  | 'list'
  | 'random'
  | 'exploration'
  | 'model'
  | 'none';

/**
 * Class for capacity: a lane full of higher classes pushes lower ones down. The control samples rank
 * above model picks here so that a busy day cannot squeeze the random sample out (it would bias the
 * labels), while the queue shows them after every risk finding (see `queueRank`).
 */
const capacityClass: Record<SelectionSource, number> = {
  override: 6,
  'mandatory-rule': 5,
  xray: 4,
  check: 3,
  rule: 3,
  list: 3,
  random: 2,
  exploration: 2,
  model: 1,
  none: 0,
};

/** What an officer should look at first: findings, then the model's picks, then the control samples. */
const queueTier: Record<SelectionSource, number> = {
  override: 8,
  'mandatory-rule': 7,
  xray: 6,
  check: 5,
  rule: 5,
  list: 5,
  model: 3,
  exploration: 2,
  random: 1,
  none: 0,
};

/**
 * The queue's order: the selection tier first, then the lane (red before yellow before blue), then
 * the score. A random-control or exploration pick never ranks above a model pick.
 */
export function queueRank(source: SelectionSource, lane: Lane, score: number): number {
  return queueTier[source] * 10 + laneSeverity[lane] * 2 + Math.min(1, Math.max(0, score));
}

/** A finding that sets a lane by itself (declaration checks, X-ray). */
export interface LaneFinding {
  lane: 'red' | 'yellow';
  source: 'check' | 'xray';
  message: ReasonMessage;
}

export interface LaneInput {
  /** Stable key of the parcel for the deterministic draws (parcel or declaration id). */
  parcelKey: number;
  score: number;
  /** What the thresholds are compared with (the score with ties broken, see `tieBrokenScore`); default the score. */
  comparedScore?: number;
  hits: readonly RuleHit[];
  findings?: readonly LaneFinding[];
  thresholds: LaneThresholds;
  /** Share of recent parcels at or above each threshold, for the reason ("among the riskiest 2 %"). */
  shares?: LaneThresholds;
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
  reasons: ReasonMessage[];
}

/**
 * Combines rule hits, declaration-check and X-ray findings, the model score against the thresholds,
 * exploration and the minimum random rate into a lane, as ASYCUDA selectivity and the BACUDA research do:
 * 1. each rule hit applies its lane (to its selection share of hits); the strictest lane wins;
 * 2. each finding applies its lane (a check or X-ray finding is never sampled);
 * 3. the model score places the parcel by the thresholds; the stricter of that and the above wins;
 * 4. a parcel nothing held (green, or blue by the model) may be picked for exploration (probability
 *    proportional to the model's uncertainty, scaled so that the expected rate is `explorationRate`), and
 * 5. such a parcel is picked at random with probability `minimumRandomRate`.
 * Draws are deterministic per parcel, so re-deciding a parcel cannot re-roll its selection.
 */
export function decideLane(input: LaneInput): LaneOutcome {
  const { score, thresholds, policy } = input;
  const reasons: ReasonMessage[] = [];
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
        reason('lane.rule_not_selected', {
          rule: hit.name,
          version: hit.version,
          selectionPercent: hit.selectionPercent,
        }),
      );
      continue;
    }
    appliedHits.push(hit);
    reasons.push(
      reason('lane.rule_matched', {
        rule: hit.name,
        version: hit.version,
        lane: hit.lane,
        selectionPercent: hit.selectionPercent,
        mandatory: hit.mandatory,
      }),
    );
    lane = stricterLane(lane, hit.lane);
  }
  if (appliedHits.length > 0) {
    const deciding = appliedHits.filter((hit) => hit.lane === lane);
    source = deciding.some((hit) => hit.mandatory)
      ? 'mandatory-rule'
      : deciding.every((hit) => hit.usesLists)
        ? 'list'
        : 'rule';
  }

  for (const finding of input.findings ?? []) {
    reasons.push(finding.message);
    if (laneSeverity[finding.lane] > laneSeverity[lane]) {
      lane = finding.lane;
      source = finding.source;
    }
  }

  const compared = input.comparedScore ?? score;
  const modelLane: Lane =
    compared >= thresholds.red
      ? 'red'
      : compared >= thresholds.yellow
        ? 'yellow'
        : compared >= thresholds.blue
          ? 'blue'
          : 'green';
  if (modelLane !== 'green')
    reasons.push(
      reason('lane.model', {
        score: round3(score),
        lane: modelLane,
        topPercent: input.shares ? Math.round(input.shares[modelLane] * 1000) / 10 : null,
      }),
    );
  if (laneSeverity[modelLane] > laneSeverity[lane]) {
    lane = modelLane;
    // A parcel a rule or a check already holds stays selected by it (its queue place and its "why"):
    // the model makes the lane stricter, not the finding weaker.
    if (source === 'none') source = 'model';
  }

  // The samples are drawn among the parcels nothing held (green, or blue by the model alone): a parcel a
  // rule or a check holds keeps that reason, and its place in the queue, whatever the draws say.
  const sampleable = () =>
    (source === 'none' || source === 'model') && laneSeverity[lane] < laneSeverity.yellow;
  if (
    sampleable() &&
    laneSeverity[lane] < laneSeverity[policy.explorationLane] &&
    policy.explorationRate > 0
  ) {
    const weight = input.meanUncertainty > 0 ? uncertainty(score) / input.meanUncertainty : 1;
    if (draw(policy.seed, input.parcelKey, -1) < policy.explorationRate * weight) {
      lane = policy.explorationLane;
      source = 'exploration';
      reasons.push(reason('lane.exploration', { percent: policy.explorationRate * 100 }));
    }
  }
  if (
    sampleable() &&
    laneSeverity[lane] < laneSeverity[policy.randomLane] &&
    draw(policy.seed, input.parcelKey, -2) < policy.minimumRandomRate
  ) {
    lane = policy.randomLane;
    source = 'random';
    reasons.push(reason('lane.random_control', { percent: policy.minimumRandomRate * 100 }));
  }
  if (lane === 'green' && reasons.length === 0)
    reasons.push(reason('lane.nothing_holds', { score: round3(score) }));
  if (xrayReferral) reasons.push(reason('lane.xray_referral'));
  return {
    lane,
    xrayReferral,
    source,
    priority: capacityPriority(source, score),
    appliedHits,
    reasons,
  };
}

/** Rank for capacity: the selection class, then the score. */
export function capacityPriority(source: SelectionSource, score: number): number {
  return capacityClass[source] + Math.min(1, Math.max(0, score)) * 0.999;
}

function round3(value: number): number {
  return Math.round(value * 1000) / 1000;
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
