import { describe, expect, it } from 'vitest';
import {
  buildTrainingFeatures,
  computeUnitValueNorms,
  entityKey,
  ENTITY_GROUPS,
  FEATURE_NAMES,
  unitValueNorm,
} from './risk-features.js';
import { syntheticHistory } from './synthetic-declarations.fixture.js';
import type { LabelledRiskDeclaration } from './risk-declaration.js';

function rowOf(training: ReturnType<typeof buildTrainingFeatures>, inputIndex: number): number[] {
  const row = Array.from(training.order).indexOf(inputIndex);
  const { columns, values } = training.features;
  return Array.from(values.subarray(row * columns, (row + 1) * columns));
}

describe('risk features', () => {
  const history = syntheticHistory(600, 5);

  it('never lets a declaration see its own label or labels of its own day (ordered target statistics)', () => {
    const baseline = buildTrainingFeatures(history);
    for (const index of [0, 17, 250, 599]) {
      const flipped: LabelledRiskDeclaration[] = history.map((row, i) =>
        i === index ? { ...row, label: { fraud: !row.label.fraud, critical: false } } : row,
      );
      const changed = buildTrainingFeatures(flipped);
      const day = history[index].declaration.date;
      history.forEach((row, i) => {
        if (row.declaration.date <= day) expect(rowOf(changed, i)).toEqual(rowOf(baseline, i));
      });
    }
  });

  it('does let later declarations learn from earlier outcomes', () => {
    const baseline = buildTrainingFeatures(history);
    const index = 10;
    const flipped = history.map((row, i) =>
      i === index ? { ...row, label: { fraud: !row.label.fraud, critical: false } } : row,
    );
    const changed = buildTrainingFeatures(flipped);
    const later = history.findIndex(
      (row) =>
        row.declaration.date > history[index].declaration.date &&
        row.declaration.importerId === history[index].declaration.importerId,
    );
    expect(later).toBeGreaterThan(index);
    expect(rowOf(changed, later)).not.toEqual(rowOf(baseline, later));
  });

  it('counts uninspected declarations as seen without giving them an outcome', () => {
    const importer = { date: '2020-01-01', importerId: 'I-NEW', hs6Code: '610910' };
    const inspected = [{ declaration: importer, label: { fraud: true, critical: false } }];
    const seenTwice = buildTrainingFeatures(inspected, [
      { ...importer, date: '2020-01-02' },
      { ...importer, date: '2019-12-31' },
    ]);
    expect(seenTwice.features.rows).toBe(1);
    const probe = seenTwice.encoder.encode([{ ...importer, date: '2020-02-01' }]).values;
    expect(probe[FEATURE_NAMES.indexOf('importer.history_count')]).toBe(3);
    // One inspection, one fraud: smoothed rate (1 + prior) / 2, not diluted by the uninspected two.
    expect(probe[FEATURE_NAMES.indexOf('importer.fraud_rate')]).toBeGreaterThan(0.6);
    // The earlier uninspected declaration was already seen when the inspected one was declared.
    expect(seenTwice.features.values[FEATURE_NAMES.indexOf('importer.history_count')]).toBe(1);
  });

  it('orders rows by date and keeps the labels aligned with them', () => {
    const shuffled = [...history].reverse();
    const training = buildTrainingFeatures(shuffled);
    expect(training.dates).toEqual([...training.dates].sort());
    training.order.forEach((inputIndex, row) =>
      expect(training.fraud[row]).toBe(shuffled[inputIndex].label.fraud ? 1 : 0),
    );
  });

  it('marks missing inputs as missing features instead of inventing values', () => {
    const training = buildTrainingFeatures(history);
    const matrix = training.encoder.encode([{ date: '2021-01-01' }]);
    const sellerRate = FEATURE_NAMES.indexOf('seller.fraud_rate');
    expect(Number.isNaN(matrix.values[sellerRate])).toBe(true);
    expect(Number.isNaN(matrix.values[FEATURE_NAMES.indexOf('unit_value_vs_hs6_norm')])).toBe(true);
    expect(
      entityKey(
        { date: '2021-01-01', hs6Code: '610910' },
        ENTITY_GROUPS.find((g) => g.name === 'hs6_origin')!,
      ),
    ).toBeUndefined();
  });

  it('compares unit values with the HS6 median, falling back to coarser codes', () => {
    const norms = computeUnitValueNorms([
      ...Array.from({ length: 5 }, (_, i) => ({
        date: '2020-01-01',
        hs6Code: '610910',
        netMassKg: 1,
        itemPriceKrw: 1000 * (i + 1),
      })),
      { date: '2020-01-01', hs6Code: '610990', netMassKg: 1, itemPriceKrw: 99 },
    ]);
    expect(unitValueNorm(norms, '610910')).toBe(3000);
    expect(unitValueNorm(norms, '610990')).toBe(2500); // one HS6 observation only: median of HS4 6109
  });
});
