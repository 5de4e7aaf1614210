import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import {
  addDecimals,
  allocateByWeight,
  applyBasisPoints,
  compareDecimals,
  divideTruncated,
  formatDecimal,
  multiplyDecimals,
  parseDecimal,
  percentToBasisPoints,
  roundToWon,
} from './decimal-amount.js';

describe('decimal amounts on bigint', () => {
  it('multiplies exactly where binary floating point does not', () => {
    // 0.1 + 0.2 and 19.99 x 1,398.2 are exact here.
    expect(formatDecimal(addDecimals(parseDecimal('0.1'), parseDecimal('0.2')))).toBe('0.3');
    expect(formatDecimal(multiplyDecimals(parseDecimal('19.99'), parseDecimal('1398.2')))).toBe('27950.018');
  });

  it('rounds won by the configured rule', () => {
    const value = parseDecimal('32727.5');
    expect(roundToWon(value, { mode: 'truncate', unitKrw: 1n })).toBe(32727n);
    expect(roundToWon(value, { mode: 'half_up', unitKrw: 1n })).toBe(32728n);
    expect(roundToWon(value, { mode: 'ceiling', unitKrw: 1n })).toBe(32728n);
    expect(roundToWon(value, { mode: 'truncate', unitKrw: 10n })).toBe(32720n);
    expect(roundToWon(parseDecimal('32725'), { mode: 'half_up', unitKrw: 10n })).toBe(32730n);
    expect(applyBasisPoints(251_750n, 1300, { mode: 'truncate', unitKrw: 1n })).toBe(32727n);
  });

  it('parses percentages to basis points and refuses finer rates', () => {
    expect(percentToBasisPoints('13')).toBe(1300);
    expect(percentToBasisPoints('6.5')).toBe(650);
    expect(() => percentToBasisPoints('6.505')).toThrow();
    expect(() => parseDecimal('1e3')).toThrow();
  });

  it('compares and divides across scales', () => {
    expect(compareDecimals(parseDecimal('150'), parseDecimal('150.00'))).toBe(0);
    expect(compareDecimals(parseDecimal('150.01'), parseDecimal('150'))).toBe(1);
    expect(formatDecimal(divideTruncated(parseDecimal('237500'), parseDecimal('1400'), 2))).toBe('169.64');
  });

  it('allocates a whole amount over weights with parts that add up exactly', () => {
    expect(allocateByWeight(100n, [1n, 1n, 1n])).toEqual([34n, 33n, 33n]);
    expect(allocateByWeight(10n, [0n, 0n])).toEqual([5n, 5n]);
    fc.assert(
      fc.property(
        fc.bigInt({ min: 0n, max: 10n ** 12n }),
        fc.array(fc.bigInt({ min: 0n, max: 10n ** 6n }), { minLength: 1, maxLength: 20 }),
        (amount, weights) => {
          const parts = allocateByWeight(amount, weights);
          expect(parts.reduce((sum, part) => sum + part, 0n)).toBe(amount);
          expect(parts.every((part) => part >= 0n)).toBe(true);
        },
      ),
    );
  });
});
