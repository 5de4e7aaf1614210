import { describe, expect, it } from 'vitest';
import { defaultBudgetSettings } from './budget-policy.js';
import { defaultSelectionPolicy, draw } from './lane-decision.js';
import type { ParcelFacts } from './parcel-facts.js';
import { HeuristicScorer } from './risk-scorer.js';
import { RuleSet } from './rule-set.js';
import { sampleFacts } from './sample-facts.js';
import { TargetingEngine } from './targeting-engine.js';
import { WatchlistIndex } from './watchlist-index.js';

/** Clearance's limits (USD 150, USD 200 for express from the US), as its rules file sets them. */
const usdLimit = (parcel: { channel: string; senderCountry: string | null }) =>
  parcel.channel === 'express' && parcel.senderCountry === 'US' ? 200 : 150;
const DAY = Date.parse('2026-11-21T01:00:00Z');
const goods = [
  ['Cotton T-shirt', '610910', 4, 25],
  ['Wireless earbuds', '851830', 8, 350],
  ['Hydrating face serum', '330499', 5, 60],
  ['Leather handbag', '420221', 20, 300],
  ['Smartphone', '851713', 120, 1100],
] as const;

/** A seeded stream of ordinary parcels with a few signals: new sellers, several parcels per buyer. */
function stream(count: number): ParcelFacts[] {
  return Array.from({ length: count }, (_, index) => {
    const [description, hs6, low, high] = goods[Math.floor(draw(3, index, 1) * goods.length)]!;
    const value = Math.round((low + (high - low) * draw(3, index, 2)) * 100) / 100;
    return sampleFacts(
      {
        parcelId: index + 1,
        trackingNumber: `T${index}`,
        sellerId: `S${Math.floor(draw(3, index, 3) * 400)}`,
        sellerPriorParcels: draw(3, index, 4) < 0.15 ? 0 : 10,
        buyerParcelsSameDay: 1 + Math.floor(draw(3, index, 5) ** 6 * 4),
        buyerValuesSameDay: null,
        declaredValue: value,
      },
      [
        {
          description,
          hs6,
          hsChapter: hs6.slice(0, 2),
          quantity: 1,
          value,
          unitValue: value,
          netMassKg: 0.3,
        },
      ],
    );
  });
}

function decideAll(parcels: readonly ParcelFacts[]) {
  const scorer = new HeuristicScorer(usdLimit);
  const engine = new TargetingEngine(
    scorer,
    scorer,
    new RuleSet([], new WatchlistIndex()),
    defaultBudgetSettings,
    defaultSelectionPolicy,
    { listClearanceLimitUsd: usdLimit },
  );
  return parcels.map((facts, index) => {
    const { decision } = engine.decide(structuredClone(facts), {
      trigger: 'intake',
      receivedAtMs: DAY + index * 20,
      nowMs: DAY + index * 20,
    });
    return { lane: decision.lane, source: decision.source };
  });
}

describe('targeting engine', () => {
  it('gives the same lanes to the same stream, whenever it is fed', () => {
    const parcels = stream(3000);
    expect(decideAll(parcels)).toEqual(decideAll(parcels));
  });

  it('holds about the budgeted share by model from the first parcels on, not nothing and then a flood', () => {
    const lanes = decideAll(stream(3000));
    const modelShare = (from: number, to: number) =>
      lanes.slice(from, to).filter((lane) => lane.source === 'model').length / (to - from);
    // Budget: 7 % of parcels by model (2 % red, 3 % yellow, 2 % blue). Each stretch stays near it.
    for (const [from, to] of [
      [0, 300],
      [300, 1000],
      [1000, 3000],
    ] as const) {
      expect(modelShare(from, to)).toBeGreaterThan(0.02);
      expect(modelShare(from, to)).toBeLessThan(0.14);
    }
  });
});
