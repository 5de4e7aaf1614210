import { describe, expect, it } from 'vitest';
import { fuseViews, mirrorScan, unmirrorBox } from './box-fusion.js';

const box = (x: number, score: number, label = 'gun') => ({ label, score, x, y: 10, width: 40, height: 30 });

describe('fusion of mirrored views', () => {
  it('keeps the score of an object every view sees and cuts one a single view imagines', () => {
    const fused = fuseViews([[box(10, 0.9), box(200, 0.9)], [box(12, 0.6)], [box(8, 0.9)]]);
    expect(fused).toHaveLength(2);
    expect(fused[0].score).toBeCloseTo(0.8);
    expect(fused[0].x).toBeGreaterThan(8);
    expect(fused[0].x).toBeLessThan(12);
    expect(fused[1]).toMatchObject({ x: 200, score: expect.closeTo(0.3) });
  });

  it('keeps labels apart', () => {
    expect(fuseViews([[box(10, 0.9)], [box(10, 0.9, 'shuriken')]])).toHaveLength(2);
  });

  it('mirrors a scan and puts boxes back where they were', () => {
    const scan = {
      width: 3,
      height: 2,
      transmission: Float32Array.from([1, 2, 3, 4, 5, 6]),
      bitDepth: 8,
      pseudoColour: false,
    };
    expect([...mirrorScan(scan, 'horizontal').transmission]).toEqual([3, 2, 1, 6, 5, 4]);
    expect([...mirrorScan(scan, 'vertical').transmission]).toEqual([4, 5, 6, 1, 2, 3]);
    expect(unmirrorBox(box(10, 1), 'horizontal', 100, 80).x).toBe(50);
    expect(unmirrorBox(box(10, 1), 'vertical', 100, 80).y).toBe(40);
  });
});
