import { describe, expect, it } from 'vitest';
import { calendarDate, commaSeparated } from './query-values.js';

describe('query values', () => {
  it('takes dates that exist and refuses those that do not', () => {
    expect(calendarDate.safeParse('2028-02-29').success).toBe(true);
    expect(calendarDate.safeParse('2026-02-30').success).toBe(false);
    expect(calendarDate.safeParse('2026-13-01').success).toBe(false);
    expect(calendarDate.safeParse('20260101').success).toBe(false);
  });

  it('parses a comma-separated list from a closed set', () => {
    const lanes = commaSeparated(['green', 'red'] as const);
    expect(lanes.parse('red, green')).toEqual(['red', 'green']);
    expect(lanes.safeParse("x' OR 1=1--").success).toBe(false);
  });
});
