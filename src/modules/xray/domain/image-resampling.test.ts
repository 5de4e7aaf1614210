import { describe, expect, it } from 'vitest';
import { resampleRegion } from './image-resampling.js';
import { dihedralVariants } from './test-time-augmentation.js';

describe('resampling', () => {
  it('averages areas when shrinking', () => {
    const values = Float32Array.from([0, 1, 0, 1, 0, 1, 0, 1]);
    expect(Array.from(resampleRegion(values, 4, 2, { x: 0, y: 0, width: 4, height: 2 }, 2, 1))).toEqual([
      0.5, 0.5,
    ]);
  });

  it('fills what lies outside the image', () => {
    const values = Float32Array.from([1, 1, 1, 1]);
    const result = resampleRegion(values, 2, 2, { x: -2, y: 0, width: 4, height: 2 }, 2, 1, 0.25);
    expect(Array.from(result)).toEqual([0.25, 1]);
  });
});

describe('test-time poses', () => {
  it('produces the turned and mirrored copies', () => {
    const variants = dihedralVariants(Float32Array.from([1, 2, 3, 4]), 2);
    expect(Array.from(variants)).toEqual([1, 2, 3, 4, 3, 1, 4, 2, 4, 3, 2, 1, 2, 1, 4, 3]);
  });
});
