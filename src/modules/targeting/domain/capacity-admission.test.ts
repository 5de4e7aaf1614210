import { describe, expect, it } from 'vitest';
import { admitDecisions, ledgerOf } from './capacity-admission.js';
import type { DecisionDraft } from './targeting-engine.js';

const DAY = '2026-12-07';
const NOW = Date.parse('2026-12-07T10:00:00Z');

function draft(parcelId: number, lane: DecisionDraft['lane'], priority: number): DecisionDraft {
  return {
    parcelId,
    lane,
    xrayReferral: false,
    score: priority,
    modelVersion: 'test',
    ruleHits: [],
    reasons: [],
    source: 'model',
    priority,
    trigger: 'intake',
    officeCode: 'ICN',
    carrierCode: 'KPOST',
    hsChapters: [],
    arrivalDate: DAY,
    day: DAY,
    receivedAtMs: NOW,
    decidedAtMs: NOW,
  };
}

/** One place a day in every held lane, at every office. */
const oneEach = () => 1;

describe('capacity admission', () => {
  it('moves a parcel of the batch down in its own decision when a higher-ranked one of the batch takes its place', () => {
    const low = draft(1, 'red', 0.4);
    const high = draft(2, 'red', 0.9);
    const moved = admitDecisions(ledgerOf([], oneEach), [low, high], NOW);
    // One record per parcel: the lower one ends in yellow with the reason, not red then yellow.
    expect(moved).toEqual([]);
    expect([low.lane, high.lane]).toEqual(['yellow', 'red']);
    expect(low.reasons.some((text) => text.includes('capacity.displaced'))).toBe(true);
  });

  it('gives a stored parcel a new capacity decision when a new one takes its place', () => {
    const stored = draft(1, 'red', 0.4);
    const high = draft(2, 'red', 0.9);
    const moved = admitDecisions(ledgerOf([{ decision: stored, displaceable: true }], oneEach), [high], NOW);
    expect(moved.map((decision) => [decision.parcelId, decision.lane, decision.trigger])).toEqual([
      [1, 'yellow', 'capacity'],
    ]);
    expect(high.lane).toBe('red');
  });

  it('moves a stored parcel once even when it is displaced twice in one batch', () => {
    const stored = draft(1, 'red', 0.3);
    const held = draft(3, 'yellow', 0.2);
    const moved = admitDecisions(
      ledgerOf(
        [
          { decision: stored, displaceable: true },
          { decision: held, displaceable: true },
        ],
        oneEach,
      ),
      [draft(2, 'red', 0.9)],
      NOW,
    );
    // Parcel 1 goes red -> yellow and there displaces parcel 3 (yellow -> blue): one new decision each.
    expect(moved.map((decision) => [decision.parcelId, decision.lane])).toEqual([
      [1, 'yellow'],
      [3, 'blue'],
    ]);
  });
});
