import { expect } from 'vitest';

/**
 * A model beats its baseline: it reaches its floor of recall and precision, is more precise than the
 * baseline, and finds more in recall and precision together.
 */
export function expectBetter(
  measured: { recall: number; precision: number },
  baseline: { recall: number; precision: number },
  floor: { recall: number; precision: number },
): void {
  expect(measured.recall).toBeGreaterThanOrEqual(floor.recall);
  expect(measured.precision).toBeGreaterThanOrEqual(floor.precision);
  expect(measured.precision).toBeGreaterThan(baseline.precision);
  expect(measured.recall + measured.precision).toBeGreaterThan(baseline.recall + baseline.precision);
}
