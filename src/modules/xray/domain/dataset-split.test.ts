import { describe, expect, it } from 'vitest';
import {
  crossFitFolds,
  crossFitSides,
  farSplitSides,
  leaveOneSeriesOutSides,
  seriesAndNumber,
  seriesOf,
} from './dataset-split.js';

/** Two series numbered like GDXray: B0049 1..100, B0078 with gaps (213, 216, ...). */
const images = [
  ...Array.from({ length: 100 }, (_, index) => ({ series: 'B0049', number: index + 1 })),
  ...Array.from({ length: 50 }, (_, index) => ({ series: 'B0078', number: 213 + index * 3 })),
];

describe('data splits', () => {
  it('reads series and number from GDXray names', () => {
    expect(seriesAndNumber('B0049_0012.jpg', 'gun', 3)).toEqual({ series: 'B0049', number: 12 });
    expect(seriesAndNumber('photo.png', 'gun', 3)).toEqual({ series: 'gun', number: 3 });
  });

  it('tests on the last fifth of every series and keeps a gap of image numbers before it', () => {
    const sides = farSplitSides(images);
    const test = images.filter((_, index) => sides[index] === 'test');
    expect(test.filter((image) => image.series === 'B0049').map((image) => image.number)).toEqual(
      Array.from({ length: 20 }, (_, index) => 81 + index),
    );
    expect(test.filter((image) => image.series === 'B0078')).toHaveLength(10);
    for (const image of images.filter((_, index) => sides[index] === 'train')) {
      const nearest = Math.min(
        ...test.filter((other) => other.series === image.series).map((other) => other.number - image.number),
      );
      expect(nearest).toBeGreaterThanOrEqual(10);
    }
    expect(sides.filter((side) => side === 'gap').length).toBeGreaterThan(0);
  });

  it('leaves one whole series out per fold', () => {
    expect(seriesOf(images)).toEqual(['B0049', 'B0078']);
    const sides = leaveOneSeriesOutSides(images, 'B0078');
    expect(sides.filter((side) => side === 'test')).toHaveLength(50);
    expect(
      images.filter((_, index) => sides[index] === 'test').every((image) => image.series === 'B0078'),
    ).toBe(true);
  });

  it('cross-fits on contiguous blocks of every series, with a gap of numbers left out of training', () => {
    const folds = crossFitFolds(images);
    for (let fold = 0; fold < 5; fold++) {
      const members = images.filter((_, index) => folds[index] === fold);
      expect(members.filter((image) => image.series === 'B0049')).toHaveLength(20);
      expect(members.filter((image) => image.series === 'B0078')).toHaveLength(10);
      const sides = crossFitSides(images, folds, fold);
      expect(images.filter((_, index) => sides[index] === 'test')).toEqual(members);
      for (const image of images.filter((_, index) => sides[index] === 'train')) {
        const nearest = Math.min(
          ...members
            .filter((other) => other.series === image.series)
            .map((other) => Math.abs(other.number - image.number)),
        );
        expect(nearest).toBeGreaterThanOrEqual(5);
      }
    }
    // Every image is held out by exactly one fold.
    expect(new Set(folds)).toEqual(new Set([0, 1, 2, 3, 4]));
    expect(crossFitSides(images, folds, 2).filter((side) => side === 'gap').length).toBeGreaterThan(0);
  });
});
