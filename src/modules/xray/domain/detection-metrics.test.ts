import { describe, expect, it } from 'vitest';
import { detectionFigures } from './detection-metrics.js';

const box = (x: number, y: number, score = 1) => ({ x, y, width: 100, height: 100, score });

describe('detection figures', () => {
  it('counts matches, false boxes and average precision', () => {
    const figures = detectionFigures(
      [
        { truth: [box(0, 0)], detected: [box(5, 5, 0.9), box(300, 300, 0.8)] },
        { truth: [box(0, 0), box(200, 0)], detected: [box(0, 10, 0.7)] },
      ],
      0.5,
    );
    expect(figures.recall).toBeCloseTo(2 / 3);
    expect(figures.precision).toBeCloseTo(2 / 3);
    expect(figures.falseBoxesPerScan).toBe(0.5);
    // Ranked: hit (P 1, R 1/3), miss, hit (P 2/3, R 2/3): area 1/3 * 1 + 1/3 * 2/3.
    expect(figures.averagePrecision).toBeCloseTo(1 / 3 + 2 / 9);
  });

  it('lets one true box be found once', () => {
    const figures = detectionFigures(
      [{ truth: [box(0, 0)], detected: [box(0, 0, 0.9), box(2, 2, 0.8)] }],
      0.5,
    );
    expect(figures.recall).toBe(1);
    expect(figures.falseBoxesPerScan).toBe(1);
  });
});
