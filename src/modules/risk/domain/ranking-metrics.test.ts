import { describe, expect, it } from 'vitest';
import { areaUnderRoc, evaluateRanking, precisionAt, recallAt, topCount } from './ranking-metrics.js';

describe('ranking metrics', () => {
  // 20 declarations, scores descending by index; frauds at ranks 1, 2, 4 and 15.
  const scores = Array.from({ length: 20 }, (_, i) => 1 - i / 20);
  const fraud = scores.map((_, i) => ([0, 1, 3, 14].includes(i) ? 1 : 0));

  it('counts the top n % with rounding, never less than one', () => {
    expect(topCount(20, 10)).toBe(2);
    expect(topCount(20, 1)).toBe(1);
    expect(topCount(1000, 5)).toBe(50);
    expect(topCount(0, 5)).toBe(0);
  });

  it('computes precision and recall of the top n %', () => {
    expect(precisionAt(scores, fraud, 10)).toBe(1); // top 2: both fraud
    expect(precisionAt(scores, fraud, 20)).toBe(0.75); // top 4: 3 frauds
    expect(recallAt(scores, fraud, 20)).toBe(0.75); // 3 of 4 frauds
    expect(recallAt(scores, fraud, 100)).toBe(1);
  });

  it('computes AUC, ties counting half', () => {
    expect(areaUnderRoc([0.9, 0.8, 0.2, 0.1], [1, 1, 0, 0])).toBe(1);
    expect(areaUnderRoc([0.1, 0.2, 0.8, 0.9], [1, 1, 0, 0])).toBe(0);
    expect(areaUnderRoc([0.5, 0.5], [1, 0])).toBe(0.5);
    expect(areaUnderRoc([0.9, 0.4, 0.6, 0.1], [1, 1, 0, 0])).toBe(0.75);
  });

  it('reports fraud and critical fraud at the standard shares', () => {
    const critical = fraud.map((f, i) => (i === 3 ? 1 : 0));
    const report = evaluateRanking(scores, fraud, critical);
    expect(report.rows).toBe(20);
    expect(Object.keys(report.precision_at)).toEqual(['1', '2', '5', '10']);
    expect(report.precision_at['10']).toBe(1);
    expect(report.critical_recall_at['10']).toBe(0);
    expect(report.critical_frauds).toBe(1);
    expect(report.critical_recall_at_fraud_score).toBeUndefined();
  });

  it('ranks critical fraud by a separate critical score when given', () => {
    const critical = fraud.map((_, i) => (i === 14 ? 1 : 0));
    const criticalScores = scores.map((_, i) => (i === 14 ? 2 : 0));
    const report = evaluateRanking(scores, fraud, critical, [5, 10], criticalScores);
    expect(report.critical_recall_at['5']).toBe(1);
    expect(report.critical_recall_at_fraud_score!['10']).toBe(0);
    expect(report.precision_at['10']).toBe(1);
  });
});
