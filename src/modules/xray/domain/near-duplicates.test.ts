import { describe, expect, it } from 'vitest';
import { seededRandom } from '../../../platform/random/seeded-random.js';
import { findNearDuplicates, layoutThumbnail } from './near-duplicates.js';

const size = 32;
/** A bright square at (x, y) on a dark, slightly noisy field. */
function picture(x: number, y: number, random: () => number): Float32Array {
  const values = Float32Array.from({ length: size * size }, () => 0.05 * random());
  for (let row = y; row < y + 10; row++)
    for (let column = x; column < x + 10; column++) values[row * size + column] = 1;
  return values;
}

describe('near-duplicate search', () => {
  it('flags a test picture that is a neighbouring frame of a training one, not a distinct one', () => {
    const random = seededRandom(3);
    const thumbnail = (x: number, y: number) => layoutThumbnail(picture(x, y, random), size);
    const train = [thumbnail(2, 2), thumbnail(3, 2), thumbnail(20, 20), thumbnail(21, 20)];
    const report = findNearDuplicates([thumbnail(2, 3), thumbnail(4, 18)], train, [
      [train[0], train[1]],
      [train[2], train[3]],
    ]);
    expect(report.nearDuplicates).toEqual([0]);
    expect(report.nearestDistances[1]).toBeGreaterThan(report.threshold);
  });
});
