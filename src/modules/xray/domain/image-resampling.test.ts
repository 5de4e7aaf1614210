import { describe, expect, it } from 'vitest';
import { dataSplitFixture } from './image-resampling.test-data.js';
import { resampleRegion } from './image-resampling.js';
import { isHeldOut, seriesAndNumber, splitBySeriesBlocks } from './dataset-split.js';
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

describe('series-block split', () => {
  it('reads series and number from GDXray names', () => {
    expect(seriesAndNumber('B0049_0012.jpg', 'gun', 3)).toEqual({ series: 'B0049', number: 12 });
    expect(seriesAndNumber('photo.png', 'gun', 3)).toEqual({ series: 'gun', number: 3 });
  });

  it('keeps consecutive views of one object on the same side', () => {
    for (let block = 0; block < 20; block++) {
      const sides = new Set(
        Array.from({ length: 10 }, (_, offset) =>
          isHeldOut({ series: 'B0049', number: block * 10 + offset }),
        ),
      );
      expect(sides.size).toBe(1);
    }
  });

  it('holds out about a fifth of every series', () => {
    const { train, heldOut } = splitBySeriesBlocks(dataSplitFixture);
    expect(heldOut.length / (train.length + heldOut.length)).toBeCloseTo(0.2, 1);
    expect(new Set(heldOut.map((image) => image.series))).toEqual(new Set(['B0049', 'B0050']));
  });
});

describe('test-time poses', () => {
  it('produces the turned and mirrored copies', () => {
    const variants = dihedralVariants(Float32Array.from([1, 2, 3, 4]), 2);
    expect(Array.from(variants)).toEqual([1, 2, 3, 4, 3, 1, 4, 2, 4, 3, 2, 1, 2, 1, 4, 3]);
  });
});
