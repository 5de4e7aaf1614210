import { describe, expect, it } from 'vitest';
import { backOffDelayMs, PER_ADDRESS_AND_EMAIL, PER_EMAIL } from './sign-in-throttle.js';

describe('sign-in back-off', () => {
  it('lets the first failures pass, then doubles the wait up to its ceiling', () => {
    const delays = Array.from({ length: 16 }, (_, index) => backOffDelayMs(index + 1, PER_ADDRESS_AND_EMAIL));
    expect(delays.slice(0, 4)).toEqual([0, 0, 0, 0]);
    expect(delays.slice(4, 8)).toEqual([2_000, 4_000, 8_000, 16_000]);
    expect(delays[15]).toBe(15 * 60_000);
    expect(backOffDelayMs(10_000, PER_ADDRESS_AND_EMAIL)).toBe(15 * 60_000);
  });

  it('waits at most a minute per e-mail, however many addresses guess', () => {
    expect(backOffDelayMs(19, PER_EMAIL)).toBe(0);
    expect(backOffDelayMs(1_000_000, PER_EMAIL)).toBe(60_000);
  });
});
