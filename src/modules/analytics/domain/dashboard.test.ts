import { describe, expect, it } from 'vitest';
import { buildDashboard, daysBetween } from './dashboard.js';

describe('dashboard figures', () => {
  it('lays counts on a continuous day axis and computes hit rates and rankings', () => {
    const days = daysBetween('2026-11-01', '2026-11-03');
    expect(days).toEqual(['2026-11-01', '2026-11-02', '2026-11-03']);
    const dashboard = buildDashboard({
      days,
      volumes: [
        { day: '2026-11-01', channel: 'postal', carrier: 'KPOST', office: '040', parcels: 5 },
        { day: '2026-11-03', channel: 'express', carrier: 'DHL', office: '030', parcels: 7 },
        { day: '2026-10-31', channel: 'express', carrier: 'DHL', office: '030', parcels: 100 },
      ],
      lanes: [{ day: '2026-11-03', lane: 'red', parcels: 2 }],
      inspections: [{ day: '2026-11-03', inspected: 4, frauds: 1 }],
      seizures: [{ day: '2026-11-03', category: 'narcotics', carrier: 'DHL', office: '030' }],
    });
    expect(dashboard.volumesByChannel).toEqual({ postal: [5, 0, 0], express: [0, 0, 7] });
    expect(dashboard.lanes.red).toEqual([0, 0, 2]);
    expect(dashboard.hitRate).toEqual([null, null, 0.25]);
    expect(dashboard.seizuresByCategory).toEqual({ narcotics: 1 });
    expect(dashboard.byCarrier).toEqual([
      { carrier: 'DHL', parcels: 7, seizures: 1 },
      { carrier: 'KPOST', parcels: 5, seizures: 0 },
    ]);
    expect(dashboard.byOffice[0]).toEqual({ office: '030', parcels: 7, seizures: 1 });
  });
});
