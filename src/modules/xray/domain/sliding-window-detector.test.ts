import { describe, expect, it } from 'vitest';
import { regionModelInput } from './model-input.js';
import {
  defaultWindowDetectorOptions,
  tightenToDensePixels,
  windowDetections,
  windowInputs,
  windowProposals,
} from './sliding-window-detector.js';

const width = 200;
const height = 160;
const attenuation = new Float32Array(width * height);
// A dense 60 x 40 block (a metal object) on an empty background.
for (let y = 50; y < 90; y++) for (let x = 70; x < 130; x++) attenuation[y * width + x] = 0.8;

describe('window detector', () => {
  it('skips windows that hold only air', () => {
    const windows = windowProposals(attenuation, width, height);
    expect(windows.length).toBeGreaterThan(0);
    for (const window of windows)
      expect(
        window.x + window.width > 70 && window.x < 130 && window.y + window.height > 50 && window.y < 90,
      ).toBe(true);
  });

  it('cuts window inputs like a direct resampling of each window', () => {
    const windows = windowProposals(attenuation, width, height).slice(0, 5);
    const packed = windowInputs(attenuation, width, height, windows, 32);
    windows.forEach((window, index) => {
      const direct = regionModelInput(attenuation, width, height, window, 32, 0);
      const fromPyramid = packed.subarray(index * 32 * 32, (index + 1) * 32 * 32);
      let difference = 0;
      for (let pixel = 0; pixel < direct.length; pixel++)
        difference += Math.abs(direct[pixel] - fromPyramid[pixel]);
      expect(difference / direct.length).toBeLessThan(0.05);
    });
  });

  it('tightens a window to the dense object inside it', () => {
    expect(
      tightenToDensePixels(attenuation, width, height, { x: 40, y: 20, width: 120, height: 120 }, 0.45),
    ).toEqual({ x: 70, y: 50, width: 60, height: 40 });
  });

  it('reports threat windows above the threshold and merges nested ones', () => {
    const windows = [
      { x: 40, y: 20, width: 120, height: 120 },
      { x: 60, y: 40, width: 80, height: 80 },
      { x: 0, y: 0, width: 40, height: 40 },
    ];
    const labels = ['gun', 'other'];
    const probabilities = Float32Array.from([0.9, 0.1, 0.8, 0.2, 0.3, 0.7]);
    const detections = windowDetections(
      windows,
      probabilities,
      labels,
      attenuation,
      width,
      height,
      defaultWindowDetectorOptions,
    );
    expect(detections).toEqual([
      { label: 'gun', score: expect.closeTo(0.9, 5), x: 70, y: 50, width: 60, height: 40 },
    ]);
  });

  it('does not name a window without dense metal a gun', () => {
    const empty = { x: 0, y: 100, width: 60, height: 60 };
    expect(
      windowDetections(
        [empty],
        Float32Array.from([0.95, 0.05]),
        ['gun', 'other'],
        attenuation,
        width,
        height,
      ),
    ).toEqual([]);
    expect(
      windowDetections(
        [empty],
        Float32Array.from([0.95, 0.05]),
        ['razor_blade', 'other'],
        attenuation,
        width,
        height,
      ),
    ).toHaveLength(1);
  });
});
