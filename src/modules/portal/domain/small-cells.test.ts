import { describe, expect, it } from 'vitest';
import { suppressCounts, suppressRates } from './small-cells.js';

describe('small cells in public statistics', () => {
  it('hides counts under ten parcels and keeps the others', () => {
    expect(
      suppressCounts([
        { key: 'CN', parcels: 9 },
        { key: 'US', parcels: 10 },
      ]),
    ).toEqual([
      { key: 'CN', parcels: null, suppressed: true },
      { key: 'US', parcels: 10, suppressed: false },
    ]);
  });

  it('hides a rate whose base or whose few held parcels could single someone out', () => {
    const [small, fewHeld, none, fine] = suppressRates([
      { key: 'a', parcels: 5, held: 0 },
      { key: 'b', parcels: 200, held: 3 },
      { key: 'c', parcels: 200, held: 0 },
      { key: 'd', parcels: 200, held: 30 },
    ]);
    expect(small!.suppressed).toBe(true);
    expect(fewHeld).toEqual({ key: 'b', parcels: null, held: null, percent: null, suppressed: true });
    expect(none!.percent).toBe(0);
    expect(fine!.percent).toBe(15);
  });
});
