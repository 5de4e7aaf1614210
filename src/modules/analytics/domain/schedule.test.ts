import { describe, expect, it } from 'vitest';
import { nextRunAfter, scheduledWindow } from './schedule.js';

describe('schedules', () => {
  it('runs over the whole days before the run and comes back a day or a week later', () => {
    const at = new Date('2026-12-04T06:00:00Z');
    expect(scheduledWindow(at, 7)).toEqual({ from: '2026-11-27', to: '2026-12-03' });
    expect(nextRunAfter(at, 'daily').toISOString()).toBe('2026-12-05T06:00:00.000Z');
    expect(nextRunAfter(at, 'weekly').toISOString()).toBe('2026-12-11T06:00:00.000Z');
  });
});
