import { describe, expect, it } from 'vitest';
import { evaluateThreatPredictions } from './threat-metrics.js';

describe('threat evaluation metrics', () => {
  const truth = ['gun', 'gun', 'gun', 'gun', 'razor_blade', 'razor_blade', 'other', 'other'];
  const predicted = ['gun', 'gun', 'gun', 'other', 'razor_blade', 'gun', 'other', 'shuriken'];
  const evaluation = evaluateThreatPredictions(truth, predicted);

  it('counts images and plain accuracy', () => {
    expect(evaluation.images).toBe(8);
    expect(evaluation.accuracy).toBeCloseTo(5 / 8);
  });

  it('averages recall over true labels for balanced accuracy', () => {
    expect(evaluation.recall).toEqual({ gun: 0.75, razor_blade: 0.5, other: 0.5 });
    expect(evaluation.balanced_accuracy).toBeCloseTo((0.75 + 0.5 + 0.5) / 3);
  });

  it('counts a threat called "other" as missed, a wrong threat name as not missed', () => {
    expect(evaluation.threat_miss_rate).toBeCloseTo(1 / 6);
  });

  it('counts "other" called a threat as a false alarm', () => {
    expect(evaluation.false_alarm_rate).toBeCloseTo(1 / 2);
  });

  it('fills the confusion matrix with truth rows and predicted columns', () => {
    expect(evaluation.confusion.gun).toEqual({ gun: 3, other: 1, razor_blade: 0, shuriken: 0 });
    expect(evaluation.confusion.other.shuriken).toBe(1);
  });

  it('reports zero rates rather than NaN when a side is empty', () => {
    const onlyThreats = evaluateThreatPredictions(['gun'], ['gun']);
    expect(onlyThreats.false_alarm_rate).toBe(0);
    expect(onlyThreats.balanced_accuracy).toBe(1);
  });
});
