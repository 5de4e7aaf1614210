import { describe, expect, it } from 'vitest';
import { seededRandom } from '../../../platform/random/seeded-random.js';
import { driftLevel, driftReport, populationStabilityIndex } from './drift-indicators.js';

describe('drift indicators', () => {
  const random = seededRandom(4);
  const reference = Array.from({ length: 5000 }, () => random());

  it('sees no drift between samples of the same distribution', () => {
    const same = Array.from({ length: 5000 }, () => random());
    expect(populationStabilityIndex(reference, same)).toBeLessThan(0.02);
  });

  it('flags a shifted distribution as significant', () => {
    const shifted = Array.from({ length: 5000 }, () => 0.5 + random());
    const psi = populationStabilityIndex(reference, shifted);
    expect(driftLevel(psi)).toBe('significant');
  });

  it('counts a rise in missing values as drift', () => {
    const withMissing = reference.map((v, i) => (i % 3 === 0 ? NaN : v));
    expect(populationStabilityIndex(reference, withMissing)).toBeGreaterThan(0.25);
  });

  it('reports score and features, largest drift first', () => {
    const matrix = (values: number[]) => ({
      rows: values.length,
      columns: 1,
      values: Float64Array.from(values),
    });
    const report = driftReport(
      { scores: reference, features: matrix(reference) },
      { scores: reference, features: matrix(reference.map((v) => v * 3)) },
      ['unit_value_krw_per_kg'],
    );
    expect(report.map((r) => r.feature)).toEqual(['unit_value_krw_per_kg', 'score']);
    expect(report[1].psi).toBe(0);
  });
});
