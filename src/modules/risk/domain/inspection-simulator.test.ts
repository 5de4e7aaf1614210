import { describe, expect, it } from 'vitest';
import { simulateTargeting } from './inspection-simulator.js';
import { syntheticHistory } from './synthetic-declarations.fixture.js';

describe('inspection simulator', () => {
  const history = syntheticHistory(4000, 6, '2020-01-06', 56);

  it('trains only on what was inspected and beats random inspection after a few weeks', () => {
    const report = simulateTargeting(history, {
      budgetPercent: 10,
      weeks: 8,
      explorationShare: 0.1,
      strategy: 'random',
      seed: 1,
      params: { maxTrees: 40 },
    });
    expect(report.weeks.length).toBe(8);
    let inspectedSoFar = 0;
    for (const week of report.weeks) {
      expect(week.trainedOn === 0 || week.trainedOn === inspectedSoFar).toBe(true);
      expect(week.inspected).toBe(Math.round(week.declarations * 0.1));
      inspectedSoFar += week.inspected;
    }
    const fraudRate = history.filter((r) => r.label.fraud).length / history.length;
    const lateWeeks = report.weeks.slice(4);
    const latePrecision =
      lateWeeks.reduce((s, w) => s + w.fraudsDetected, 0) / lateWeeks.reduce((s, w) => s + w.inspected, 0);
    expect(latePrecision).toBeGreaterThan(fraudRate * 1.5);
    expect(report.totals.inspected).toBe(inspectedSoFar);
  });
});
