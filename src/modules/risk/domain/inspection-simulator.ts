/**
 * Replays history week by week the way targeting really runs: at the start of each week the model is
 * retrained on the declarations inspected so far (the only ones with known outcomes), the week's
 * declarations are scored, the budget (top n % plus an exploration share) is inspected, and only those
 * outcomes are revealed. Declarations that were not inspected still count as seen (declaration counts
 * per importer, seller ... need no inspection). The first week has no model, so its whole budget is random.
 */
import type { GbdtParams } from './gbdt.js';
import { seededRandom } from '../../../platform/random/seeded-random.js';
import { selectForInspection, type ExplorationStrategy } from './inspection-selection.js';
import type { LabelledRiskDeclaration } from './risk-declaration.js';
import { scoreDeclarations, trainRiskModel } from './risk-model.js';
import { topCount } from './ranking-metrics.js';

export interface SimulationOptions {
  /** Share of each week's declarations that can be inspected, in percent. */
  budgetPercent: number;
  /** Weeks to replay from the start of the data (default: all). */
  weeks?: number;
  explorationShare: number;
  strategy: ExplorationStrategy;
  seed: number;
  params?: Partial<GbdtParams>;
  /** Called after each simulated week (for progress display). */
  onWeek?: (week: SimulatedWeek, weekCount: number) => void;
}

export interface SimulatedWeek {
  week: number;
  /** First date of the week. */
  from: string;
  declarations: number;
  inspected: number;
  /** Frauds found among all inspections of the week. */
  fraudsDetected: number;
  criticalDetected: number;
  /** fraudsDetected / inspected. */
  precision: number;
  /** Precision of the score-driven picks only. */
  scorePrecision: number;
  /** Frauds found by exploration picks. */
  explorationFrauds: number;
  /** Share of the week's frauds that were caught (known only because this is a replay). */
  recall: number;
  /** Labelled declarations the model of this week was trained on (0: no model yet). */
  trainedOn: number;
}

export interface SimulationReport {
  weeks: SimulatedWeek[];
  totals: {
    declarations: number;
    inspected: number;
    fraudsDetected: number;
    criticalDetected: number;
    precision: number;
    recall: number;
  };
}

/** Parameters for weekly retraining on small, growing label sets. */
export const SIMULATION_GBDT_PARAMS: Partial<GbdtParams> = {
  maxTrees: 200,
  minDataInLeaf: 5,
  earlyStoppingRounds: 20,
};

const DAY_MS = 86_400_000;

/** Replays `history` (labelled, any order) under an inspection budget. */
export function simulateTargeting(
  history: readonly LabelledRiskDeclaration[],
  options: SimulationOptions,
): SimulationReport {
  const sorted = [...history].sort((a, b) =>
    a.declaration.date < b.declaration.date ? -1 : a.declaration.date > b.declaration.date ? 1 : 0,
  );
  if (sorted.length === 0)
    return {
      weeks: [],
      totals: {
        declarations: 0,
        inspected: 0,
        fraudsDetected: 0,
        criticalDetected: 0,
        precision: NaN,
        recall: NaN,
      },
    };
  const start = Date.parse(`${sorted[0].declaration.date}T00:00:00Z`);
  const byWeek: LabelledRiskDeclaration[][] = [];
  for (const row of sorted) {
    const week = Math.floor((Date.parse(`${row.declaration.date}T00:00:00Z`) - start) / (7 * DAY_MS));
    (byWeek[week] ??= []).push(row);
  }
  const weekCount = Math.min(options.weeks ?? byWeek.length, byWeek.length);
  const random = seededRandom(options.seed);
  const revealed: LabelledRiskDeclaration[] = [];
  // Declarations of past weeks that were not inspected: no outcome, but they were seen.
  const uninspected: LabelledRiskDeclaration['declaration'][] = [];
  const weeks: SimulatedWeek[] = [];
  let totalFrauds = 0;

  for (let w = 0; w < weekCount; w++) {
    const rows = byWeek[w] ?? [];
    const budget = topCount(rows.length, options.budgetPercent);
    const hasBothClasses = revealed.some((r) => r.label.fraud) && revealed.some((r) => !r.label.fraud);
    const canTrain = revealed.length >= 20 && hasBothClasses;
    let scores: Float64Array;
    if (canTrain) {
      const model = trainRiskModel(revealed, {
        uninspected,
        criticalModel: false,
        params: { ...SIMULATION_GBDT_PARAMS, seed: options.seed, ...options.params },
      });
      scores = scoreDeclarations(
        model,
        rows.map((r) => r.declaration),
      );
    } else {
      scores = new Float64Array(rows.length).fill(0.5);
    }
    const selection = selectForInspection(scores, budget, {
      explorationShare: canTrain ? options.explorationShare : 1,
      strategy: canTrain ? options.strategy : 'random',
      random,
    });
    let frauds = 0;
    let critical = 0;
    let scorePicks = 0;
    let scoreFrauds = 0;
    let explorationFrauds = 0;
    selection.indices.forEach((index, k) => {
      const row = rows[index];
      revealed.push(row);
      if (row.label.fraud) frauds++;
      if (row.label.critical) critical++;
      if (selection.reasons[k] === 'score') {
        scorePicks++;
        if (row.label.fraud) scoreFrauds++;
      } else if (row.label.fraud) explorationFrauds++;
    });
    const inspectedThisWeek = new Set(selection.indices);
    rows.forEach((row, index) => {
      if (!inspectedThisWeek.has(index)) uninspected.push(row.declaration);
    });
    const weekFrauds = rows.filter((r) => r.label.fraud).length;
    totalFrauds += weekFrauds;
    const report: SimulatedWeek = {
      week: w + 1,
      from: rows[0]?.declaration.date ?? '',
      declarations: rows.length,
      inspected: selection.indices.length,
      fraudsDetected: frauds,
      criticalDetected: critical,
      precision: selection.indices.length > 0 ? frauds / selection.indices.length : NaN,
      scorePrecision: scorePicks > 0 ? scoreFrauds / scorePicks : NaN,
      explorationFrauds,
      recall: weekFrauds > 0 ? frauds / weekFrauds : NaN,
      trainedOn: canTrain ? revealed.length - selection.indices.length : 0,
    };
    weeks.push(report);
    options.onWeek?.(report, weekCount);
  }
  const inspected = weeks.reduce((s, w) => s + w.inspected, 0);
  const fraudsDetected = weeks.reduce((s, w) => s + w.fraudsDetected, 0);
  return {
    weeks,
    totals: {
      declarations: weeks.reduce((s, w) => s + w.declarations, 0),
      inspected,
      fraudsDetected,
      criticalDetected: weeks.reduce((s, w) => s + w.criticalDetected, 0),
      precision: inspected > 0 ? fraudsDetected / inspected : NaN,
      recall: totalFrauds > 0 ? fraudsDetected / totalFrauds : NaN,
    },
  };
}
