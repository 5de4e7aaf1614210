import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { intersectionOverUnion, nonMaxSuppression } from './non-max-suppression.js';

const box = (x: number, y: number, width: number, height: number, score: number, label = 'gun') => ({
  x,
  y,
  width,
  height,
  score,
  label,
});

describe('non-maximum suppression', () => {
  it('computes intersection over union', () => {
    expect(intersectionOverUnion(box(0, 0, 10, 10, 1), box(0, 0, 10, 10, 1))).toBe(1);
    expect(intersectionOverUnion(box(0, 0, 10, 10, 1), box(5, 0, 10, 10, 1))).toBeCloseTo(50 / 150);
    expect(intersectionOverUnion(box(0, 0, 10, 10, 1), box(20, 20, 5, 5, 1))).toBe(0);
  });

  it('keeps the best of overlapping boxes and boxes elsewhere', () => {
    const kept = nonMaxSuppression([
      box(0, 0, 10, 10, 0.8),
      box(1, 1, 10, 10, 0.9),
      box(50, 50, 10, 10, 0.5),
    ]);
    expect(kept.map((detection) => detection.score)).toEqual([0.9, 0.5]);
  });

  it('suppresses per label unless told otherwise', () => {
    const detections = [box(0, 0, 10, 10, 0.9, 'gun'), box(0, 0, 10, 10, 0.8, 'knife')];
    expect(nonMaxSuppression(detections)).toHaveLength(2);
    expect(nonMaxSuppression(detections, { perLabel: false })).toHaveLength(1);
  });

  it('drops a box nested in a better one when containment is set', () => {
    const detections = [box(0, 0, 100, 100, 0.9), box(10, 10, 20, 20, 0.8)];
    expect(nonMaxSuppression(detections)).toHaveLength(2);
    expect(nonMaxSuppression(detections, { containmentThreshold: 0.7 })).toHaveLength(1);
  });

  it('never keeps two same-label boxes above the IoU threshold', () => {
    const arbitraryBox = fc.record({
      x: fc.integer({ min: 0, max: 100 }),
      y: fc.integer({ min: 0, max: 100 }),
      width: fc.integer({ min: 1, max: 50 }),
      height: fc.integer({ min: 1, max: 50 }),
      score: fc.double({ min: 0, max: 1, noNaN: true }),
      label: fc.constantFrom('gun', 'knife'),
    });
    fc.assert(
      fc.property(fc.array(arbitraryBox, { maxLength: 30 }), (detections) => {
        const kept = nonMaxSuppression(detections, { iouThreshold: 0.4 });
        for (const a of kept)
          for (const b of kept)
            if (a !== b && a.label === b.label) expect(intersectionOverUnion(a, b)).toBeLessThanOrEqual(0.4);
        for (let index = 1; index < kept.length; index++)
          expect(kept[index - 1].score).toBeGreaterThanOrEqual(kept[index].score);
      }),
    );
  });
});
