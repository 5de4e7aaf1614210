import { describe, expect, it } from 'vitest';
import {
  CapacityLedger,
  ThresholdLearner,
  defaultBudgetSettings,
  tieBrokenScore,
  type BudgetSettings,
} from './budget-policy.js';
import {
  decideLane,
  defaultSelectionPolicy,
  draw,
  queueRank,
  type SelectionPolicy,
} from './lane-decision.js';
import { renderReason } from './reason-messages.js';
import type { RuleHit } from './rule-set.js';

const thresholds = { red: 0.8, yellow: 0.6, blue: 0.45 };
const quiet: SelectionPolicy = { ...defaultSelectionPolicy, explorationRate: 0, minimumRandomRate: 0 };
const hit = (overrides: Partial<RuleHit> = {}): RuleHit => ({
  ruleId: 1,
  version: 2,
  name: 'textiles',
  lane: 'yellow',
  xrayReferral: false,
  selectionPercent: 100,
  mandatory: false,
  usesLists: false,
  ...overrides,
});

describe('lane decision', () => {
  it('takes the stricter of rule lane and model lane, with reasons', () => {
    expect(
      decideLane({ parcelKey: 1, score: 0.1, hits: [], thresholds, meanUncertainty: 0.5, policy: quiet }),
    ).toMatchObject({ lane: 'green', source: 'none' });
    expect(
      decideLane({
        parcelKey: 1,
        score: 0.85,
        hits: [hit()],
        thresholds,
        meanUncertainty: 0.5,
        policy: quiet,
      }),
      // The model makes the rule's lane stricter; the rule still says why the parcel was selected.
    ).toMatchObject({ lane: 'red', source: 'rule' });
    const ruled = decideLane({
      parcelKey: 1,
      score: 0.5,
      hits: [hit({ lane: 'red', xrayReferral: true })],
      thresholds,
      meanUncertainty: 0.5,
      policy: quiet,
    });
    expect(ruled).toMatchObject({ lane: 'red', source: 'rule', xrayReferral: true });
    expect(renderReason(ruled.reasons[0]!, 'en').text).toBe(
      'Rule "textiles" (v2) matched: red (physical inspection).',
    );
    expect(ruled.reasons.map((item) => renderReason(item, 'ko').text)).toContain(
      '위험 점수 0.5은(는) 이 세관 최근 물품 중 상위 – %에 속합니다: 청색(사후 심사).',
    );
  });

  it('names a rule over a watchlist "list" and lets a declaration check set the lane', () => {
    const listed = decideLane({
      parcelKey: 1,
      score: 0,
      hits: [hit({ usesLists: true })],
      thresholds,
      meanUncertainty: 0.5,
      policy: quiet,
    });
    expect(listed).toMatchObject({ lane: 'yellow', source: 'list' });
    const checked = decideLane({
      parcelKey: 1,
      score: 0.01,
      hits: [hit()],
      findings: [{ lane: 'red', source: 'check', message: { code: 'check.xray_mismatch', params: {} } }],
      thresholds,
      meanUncertainty: 0.5,
      policy: quiet,
    });
    expect(checked).toMatchObject({ lane: 'red', source: 'check' });
  });

  it('queues findings before model picks, and model picks before random-control and exploration picks', () => {
    const model = queueRank('model', 'yellow', 0.4);
    expect(queueRank('check', 'yellow', 0.01)).toBeGreaterThan(model);
    expect(queueRank('rule', 'blue', 0)).toBeGreaterThan(queueRank('model', 'red', 0.99));
    expect(queueRank('random', 'red', 0.12)).toBeLessThan(model);
    expect(queueRank('exploration', 'red', 0.5)).toBeLessThan(queueRank('model', 'blue', 0.01));
    expect(queueRank('model', 'red', 0.3)).toBeGreaterThan(queueRank('model', 'yellow', 0.9));
  });

  it('applies a rule with a selection share to that share of hits, deterministically', () => {
    let selected = 0;
    for (let parcel = 0; parcel < 10_000; parcel++) {
      const outcome = decideLane({
        parcelKey: parcel,
        score: 0,
        hits: [hit({ selectionPercent: 30 })],
        thresholds,
        meanUncertainty: 0.5,
        policy: quiet,
      });
      if (outcome.lane === 'yellow') selected++;
    }
    expect(selected / 10_000).toBeCloseTo(0.3, 1);
    expect(draw(1, 42, 7)).toBe(draw(1, 42, 7));
  });

  it('keeps the minimum random rate and the exploration rate on average', () => {
    const policy: SelectionPolicy = {
      ...defaultSelectionPolicy,
      explorationRate: 0.02,
      minimumRandomRate: 0.01,
    };
    const counts = { random: 0, exploration: 0 };
    for (let parcel = 0; parcel < 50_000; parcel++) {
      const score = (parcel % 100) / 250; // scores 0..0.4, all green by the thresholds; mean uncertainty 0.4
      const outcome = decideLane({
        parcelKey: parcel,
        score,
        hits: [],
        thresholds,
        meanUncertainty: 0.396,
        policy,
      });
      if (outcome.source === 'random') counts.random++;
      if (outcome.source === 'exploration') counts.exploration++;
    }
    expect(counts.exploration / 50_000).toBeGreaterThan(0.016);
    expect(counts.exploration / 50_000).toBeLessThan(0.024);
    expect(counts.random / 50_000).toBeGreaterThan(0.007);
    expect(counts.random / 50_000).toBeLessThan(0.013);
  });
});

describe('budget policy', () => {
  it('learns thresholds so that the model selects the budgeted share of parcels', () => {
    const settings: BudgetSettings = { ...defaultBudgetSettings, minimumSamples: 100 };
    const learner = new ThresholdLearner(settings);
    for (let index = 0; index < 10_000; index++)
      learner.record('ICN', ((index * 7919) % 10_000) / 10_000, 'green', true);
    const learned = learner.thresholds('ICN', null);
    expect(learned.red).toBeCloseTo(0.98, 2);
    expect(learned.yellow).toBeCloseTo(0.95, 2);
    expect(learned.blue).toBeCloseTo(0.93, 2);
    // A high-risk carrier has twice the rate, so a lower red threshold.
    const high = new ThresholdLearner({ ...settings, carrierLevels: { RISKY: 'high' } });
    for (let index = 0; index < 10_000; index++)
      high.record('ICN', ((index * 7919) % 10_000) / 10_000, 'green', true);
    expect(high.thresholds('ICN', 'risky').red).toBeCloseTo(0.96, 2);
    // Before any score is seen, the starting thresholds apply.
    const fresh = new ThresholdLearner(settings).thresholds('PUS', null);
    expect(fresh.red).toBeCloseTo(settings.fallbackThresholds.red, 2);
    expect(fresh.yellow).toBeCloseTo(settings.fallbackThresholds.yellow, 2);
    expect(fresh.blue).toBeCloseTo(settings.fallbackThresholds.blue, 2);
  });

  it('slides from the starting thresholds to the learned ones without a jump', () => {
    const learner = new ThresholdLearner(defaultBudgetSettings);
    let previous = learner.thresholds('ICN', null).red;
    let largestStep = 0;
    // Scores of a scorer whose top 2 % lies near 0.2, far below the starting red threshold of 0.6.
    for (let index = 0; index < 5000; index++) {
      learner.record('ICN', 0.2 * draw(7, index, 1) ** 8 + 0.02, 'green', true);
      const red = learner.thresholds('ICN', null).red;
      if (index > 20) largestStep = Math.max(largestStep, Math.abs(red - previous));
      previous = red;
    }
    expect(previous).toBeLessThan(0.2);
    expect(largestStep).toBeLessThan(0.02);
  });

  it('selects the budgeted share of a scorer with few distinct scores, not every parcel of a tie', () => {
    const learner = new ThresholdLearner(defaultBudgetSettings);
    const scores = [0.039, 0.039, 0.039, 0.039, 0.069, 0.039, 0.039, 0.12, 0.039, 0.069];
    let held = 0;
    const decided = 20_000;
    for (let index = 0; index < decided; index++) {
      const score = scores[index % scores.length]!;
      const outcome = decideLane({
        parcelKey: index,
        score,
        comparedScore: tieBrokenScore(score, draw(1, index, -3)),
        hits: [],
        thresholds: learner.thresholds('ICN', null),
        meanUncertainty: 0.1,
        policy: quiet,
      });
      learner.record('ICN', score, outcome.lane, true);
      if (index >= decided / 2 && outcome.lane !== 'green') held++;
    }
    // Budget: 2 % red + 3 % yellow + 2 % blue = 7 %, although 30 % of the parcels score 0.069 or more.
    expect(held / (decided / 2)).toBeGreaterThan(0.06);
    expect(held / (decided / 2)).toBeLessThan(0.08);
  });

  it('moves the lower-ranked parcel down when a lane is full, never the higher-ranked one', () => {
    const ledger = new CapacityLedger((_office, lane) => (lane === 'red' ? 2 : lane === 'yellow' ? 1 : null));
    const day = '2026-11-21';
    expect(ledger.admit('ICN', day, 'red', { parcelKey: 1, priority: 1.5, displaceable: true }).lane).toBe(
      'red',
    );
    expect(ledger.admit('ICN', day, 'red', { parcelKey: 2, priority: 1.9, displaceable: true }).lane).toBe(
      'red',
    );
    // Lower than both held parcels: goes to yellow.
    expect(
      ledger.admit('ICN', day, 'red', { parcelKey: 3, priority: 1.2, displaceable: true }),
    ).toMatchObject({ lane: 'yellow', displaced: [] });
    // Higher than parcel 1: takes its place; parcel 1 is the one that moves down.
    const admission = ledger.admit('ICN', day, 'red', { parcelKey: 4, priority: 1.7, displaceable: true });
    expect(admission.lane).toBe('red');
    expect(admission.displaced.map((place) => place.parcelKey)).toEqual([1]);
    expect(admission.movedDown).toEqual(['red']);
    // Once an officer acted on parcel 2, it is not displaced even by a higher-ranked parcel; parcel 4 is.
    ledger.settle('ICN', day, 'red', 2);
    const next = ledger.admit('ICN', day, 'red', { parcelKey: 5, priority: 2.5, displaceable: true });
    expect(next.displaced.map((place) => place.parcelKey)).toEqual([4]);
    expect(ledger.used('ICN', 'red', day)).toBe(2);
    // Mandatory hits take a place whatever the capacity.
    expect(ledger.admit('ICN', day, 'red', { parcelKey: 6, priority: 4.1, displaceable: false }).lane).toBe(
      'red',
    );
    expect(ledger.used('ICN', 'red', day)).toBe(3);
    // A new day starts empty.
    expect(
      ledger.admit('ICN', '2026-11-22', 'red', { parcelKey: 7, priority: 1, displaceable: true }).lane,
    ).toBe('red');
  });
});
