import { describe, expect, it } from 'vitest';
import { calibrateThresholds, crossFittedLabels, decideLabel } from './threat-thresholds.js';

const labels = ['gun', 'other', 'razor_blade'];

describe('threat thresholds', () => {
  it('takes the most likely label without thresholds', () => {
    expect(labels[decideLabel([0.2, 0.5, 0.3], labels)]).toBe('other');
  });

  it('calls a threat above its threshold even when no threat is more likely, and not below it', () => {
    expect(labels[decideLabel([0.35, 0.6, 0.05], labels, { gun: 0.3, razor_blade: 0.8 })]).toBe('gun');
    expect(labels[decideLabel([0.05, 0.25, 0.7], labels, { gun: 0.3, razor_blade: 0.8 })]).toBe('other');
  });

  it('sets each threshold just above the clutter scores its share of the false-alarm budget allows', () => {
    const clutter = Array.from({ length: 100 }, (_, index) => [index / 200, 1 - index / 200 - 0.1, 0.1]);
    const threats = [
      [0.9, 0.05, 0.05],
      [0.1, 0.1, 0.8],
    ];
    const rows = [...clutter, ...threats];
    const truths = [...clutter.map(() => 'other'), 'gun', 'razor_blade'];
    const thresholds = calibrateThresholds(rows, truths, labels, {
      falseAlarmBudget: 0.04,
      lowest: 0.05,
      highest: 0.9,
    });
    // 100 clutter crops, 4 % over two threat labels: 2 may pass as guns (scores 0.495 and 0.49).
    expect(thresholds.gun).toBeCloseTo(0.4851, 3);
    expect(thresholds.razor_blade).toBeCloseTo(0.1001, 3);
    const called = rows.map((row) => labels[decideLabel(row, labels, thresholds)]);
    expect(called.slice(0, 100).filter((label) => label !== 'other')).toHaveLength(2);
    expect(called.slice(100)).toEqual(['gun', 'razor_blade']);
  });
});

describe('cross-fitted thresholds', () => {
  it('decides each group of rows with thresholds fit on the other groups', () => {
    // One clutter crop scores 0.6 as a gun. Fit on its own half, the gun threshold would rise above it;
    // fit on the other half (clutter up to 0.25) it stays a false alarm, as it would on unseen crops, and
    // that half's gun at 0.45 is missed under the threshold its own half's 0.6 clutter set.
    const clutter = [0.6, 0.1, 0.2, 0.25].map((gun) => [gun, 1 - gun, 0]);
    const rows = [...clutter, [0.5, 0.5, 0], [0.45, 0.55, 0]];
    const truths = ['other', 'other', 'other', 'other', 'gun', 'gun'];
    const options = { falseAlarmBudget: 0, lowest: 0.05, highest: 0.9 };
    expect(crossFittedLabels(rows, truths, labels, [0, 1, 0, 1, 0, 1], options)).toEqual([
      'gun',
      'other',
      'other',
      'other',
      'gun',
      'other',
    ]);
  });
});
