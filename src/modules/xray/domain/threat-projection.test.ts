import { describe, expect, it } from 'vitest';
import { seededRandom } from '../../../platform/random/seeded-random.js';
import { intersectionOverSmaller } from './non-max-suppression.js';
import {
  isolatedObject,
  mirrored,
  objectBox,
  projectedTurns,
  projectObject,
  turned,
  turnedBox,
  type AttenuationImage,
} from './threat-projection.js';

function image(width: number, height: number, fill = 0): AttenuationImage {
  return { width, height, attenuation: new Float32Array(width * height).fill(fill) };
}

/** A bar of attenuation `level` on air, in a square crop of `side` px. */
function barCrop(side: number, level: number, air = 0.02): AttenuationImage {
  const crop = image(side, side, air);
  for (let y = side / 4; y < side / 2; y++)
    for (let x = side / 8; x < (side * 7) / 8; x++) crop.attenuation[y * side + x] = level;
  return crop;
}

describe('threat image projection', () => {
  it('takes the object of a crop on air above its border level, and no object from a crop cut from a bag', () => {
    const object = isolatedObject(barCrop(32, 0.6).attenuation, 32)!;
    expect(object.attenuation[0]).toBe(0);
    expect(object.attenuation[10 * 32 + 16]).toBeCloseTo(0.58, 5);
    expect(objectBox(object)).toEqual({ x: 4, y: 8, width: 24, height: 8 });
    expect(isolatedObject(barCrop(32, 0.6, 0.2).attenuation, 32)).toBeUndefined();
  });

  it('turns an image and its boxes by right angles alike', () => {
    const source = image(5, 3);
    source.attenuation[1 * 5 + 3] = 1;
    for (const quarterTurns of [0, 1, 2, 3]) {
      const result = turned(source, quarterTurns);
      const at = result.attenuation.indexOf(1);
      const box = turnedBox({ x: 3, y: 1, width: 1, height: 1 }, 5, 3, quarterTurns);
      expect({ x: at % result.width, y: Math.floor(at / result.width) }).toEqual({ x: box.x, y: box.y });
      expect([result.width, result.height]).toEqual(quarterTurns % 2 === 0 ? [5, 3] : [3, 5]);
    }
    expect(Array.from(mirrored(source).attenuation).indexOf(1)).toBe(1 * 5 + 1);
  });

  it('adds the object in attenuation (Beer-Lambert) and boxes its pixels; not when it mostly falls outside', () => {
    const scan = image(100, 80, 0.1);
    const object = isolatedObject(barCrop(32, 0.6).attenuation, 32)!;
    const projection = projectObject(scan, object, { x: 20, y: 10, side: 64 })!;
    // The bar doubled lies at x 28 to 76, y 26 to 42; enlarging interpolates a pixel more on each side.
    expect(projection.box).toEqual({ x: 27, y: 25, width: 50, height: 18 });
    expect(projection.attenuation[30 * 100 + 50]).toBeCloseTo(0.1 + 0.58, 5);
    expect(projection.attenuation[5 * 100 + 5]).toBeCloseTo(0.1, 5);
    expect(scan.attenuation[30 * 100 + 50]).toBeCloseTo(0.1, 5);
    expect(projectObject(scan, object, { x: 80, y: 10, side: 64 })).toBeUndefined();
  });

  it('turns a scan three ways, each with one threat projected into the bag away from its own threats', () => {
    // A bag (attenuation 0.2) in the middle of air, with a real threat in its top-left corner.
    const scan = image(120, 90);
    for (let y = 10; y < 80; y++) for (let x = 10; x < 110; x++) scan.attenuation[y * 120 + x] = 0.2;
    const real = { x: 12, y: 12, width: 30, height: 20 };
    const threats = [isolatedObject(barCrop(32, 0.6).attenuation, 32)!];
    const turns = projectedTurns(scan, [real], threats, seededRandom(7));

    expect(turns.map((entry) => [entry.image.width, entry.image.height])).toEqual([
      [90, 120],
      [120, 90],
      [90, 120],
    ]);
    turns.forEach((entry, index) => {
      expect(entry.projected).toBe(1);
      const [own, projected] = entry.truth;
      expect(own).toEqual(turnedBox(real, 120, 90, index + 1));
      expect(intersectionOverSmaller(own, projected)).toBeLessThan(0.1);
      // A handgun's extent: a quarter to nearly half of the scan's longer side.
      expect(Math.max(projected.width, projected.height)).toBeGreaterThanOrEqual(0.25 * 120 - 2);
      expect(Math.max(projected.width, projected.height)).toBeLessThanOrEqual(0.45 * 120 + 2);
    });
    expect(projectedTurns(scan, [real], threats, seededRandom(7))).toEqual(turns);
    expect(projectedTurns(scan, [real], [], seededRandom(7)).map((entry) => entry.projected)).toEqual([
      0, 0, 0,
    ]);
  });
});
