import { describe, expect, it } from 'vitest';
import { s10Problem } from '../modules/intake/index.js';
import {
  isValidMasterAirWaybill,
  masterAirWaybill,
  mawbCheckDigit,
  personalCustomsCode,
  s10ItemId,
} from './demo-identifiers.js';
import { formatKilograms, formatMinor, fromUsdCents, toUsdCents } from './demo-money.js';
import { createSeededRandom } from '../platform/random/seeded-random.js';

describe('demo identifiers', () => {
  it('computes the IATA mod-7 check digit of master air waybills', () => {
    expect(mawbCheckDigit('1234567')).toBe(5);
    expect(masterAirWaybill('180', 1234567)).toBe('180-12345675');
    expect(isValidMasterAirWaybill('180-12345675')).toBe(true);
    expect(isValidMasterAirWaybill('18012345675')).toBe(true);
    expect(isValidMasterAirWaybill('180-12345674')).toBe(false);
  });

  it('makes S10 ids that the intake check accepts', () => {
    for (const serial of [0, 1, 12345678, 99999999, 123456789])
      expect(s10Problem(s10ItemId('EE', serial, 'CN'))).toBeUndefined();
  });

  it('gives every buyer its own PCCC', () => {
    const codes = new Set<string>();
    for (let index = 0; index < 20_000; index++) codes.add(personalCustomsCode(index, 7));
    expect(codes.size).toBe(20_000);
    for (const code of [...codes].slice(0, 100)) expect(code).toMatch(/^P\d{12}$/);
  });
});

describe('demo money', () => {
  it('converts whole minor units with fixed rates, rounding half up', () => {
    expect(fromUsdCents(1990, 'USD')).toBe(1990);
    expect(fromUsdCents(1000, 'JPY')).toBe(1500);
    expect(fromUsdCents(1000, 'KRW')).toBe(13_800);
    expect(fromUsdCents(1, 'EUR')).toBe(1);
    expect(toUsdCents(1500, 'JPY')).toBe(1000);
  });
  it('formats decimals without floating point', () => {
    expect(formatMinor(1990, 'USD')).toBe('19.90');
    expect(formatMinor(5, 'EUR')).toBe('0.05');
    expect(formatMinor(1500, 'JPY')).toBe('1500');
    expect(formatKilograms(1250)).toBe('1.250');
    expect(formatKilograms(7)).toBe('0.007');
  });
});

describe('seeded random', () => {
  it('repeats itself for the same seed and stream and differs otherwise', () => {
    const draw = (seed: number, stream: string) => {
      const random = createSeededRandom(seed, stream);
      return Array.from({ length: 5 }, () => random.int(0, 1_000_000));
    };
    expect(draw(1, 'a')).toEqual(draw(1, 'a'));
    expect(draw(1, 'a')).not.toEqual(draw(2, 'a'));
    expect(draw(1, 'a')).not.toEqual(draw(1, 'b'));
  });
  it('stays in range and spreads over it', () => {
    const random = createSeededRandom(9);
    const counts = new Array(10).fill(0);
    for (let index = 0; index < 10_000; index++) counts[random.int(0, 9)]++;
    for (const count of counts) expect(count).toBeGreaterThan(850);
    for (let index = 0; index < 1000; index++) {
      const value = random.logUniformInt(100, 5000);
      expect(value).toBeGreaterThanOrEqual(100);
      expect(value).toBeLessThanOrEqual(5000);
    }
  });
});
