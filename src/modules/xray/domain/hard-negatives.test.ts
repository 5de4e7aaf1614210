import { describe, expect, it } from 'vitest';
import { seededRandom } from '../../../platform/random/seeded-random.js';
import { backgroundWindows, defaultBackgroundWindows } from './hard-negatives.js';

describe('background windows', () => {
  it('cuts windows of bag clutter that leave the threats out', () => {
    const width = 200;
    const height = 100;
    const attenuation = new Float32Array(width * height).fill(0.2);
    const threat = { x: 120, y: 20, width: 40, height: 40 };
    const windows = backgroundWindows(attenuation, width, height, [threat], seededRandom(1));
    expect(windows.length).toBe(defaultBackgroundWindows.count);
    for (const window of windows) {
      expect(window.x + window.width).toBeLessThanOrEqual(width);
      const overlapX = Math.min(window.x + window.width, 160) - Math.max(window.x, 120);
      const overlapY = Math.min(window.y + window.height, 60) - Math.max(window.y, 20);
      expect(Math.max(0, overlapX) * Math.max(0, overlapY)).toBeLessThanOrEqual(0.1 * 1600);
    }
  });

  it('skips windows of air', () => {
    expect(backgroundWindows(new Float32Array(100 * 100), 100, 100, [], seededRandom(1))).toEqual([]);
  });
});
