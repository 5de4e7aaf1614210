import { describe, expect, it } from 'vitest';
import { formatDecimal } from './decimal-amount.js';
import { ExchangeRateTable, validateExchangeRates } from './exchange-rate-table.js';

describe('weekly exchange-rate table', () => {
  const table = new ExchangeRateTable([
    { currency: 'USD', weekStarting: '2026-11-08', krwPerUnit: '1390.5', unit: 1 },
    { currency: 'USD', weekStarting: '2026-11-15', krwPerUnit: '1400', unit: 1 },
    { currency: 'JPY', weekStarting: '2026-11-15', krwPerUnit: '950', unit: 100 },
  ]);

  it('uses the rate of the week that contains the date, for seven days', () => {
    expect(table.rateOn('USD', '2026-11-14')?.krwPerUnit).toBe('1390.5');
    expect(table.rateOn('USD', '2026-11-15')?.krwPerUnit).toBe('1400');
    expect(table.rateOn('USD', '2026-11-21')?.krwPerUnit).toBe('1400');
    expect(table.rateOn('USD', '2026-11-22')).toBeUndefined();
    expect(table.rateOn('USD', '2026-11-07')).toBeUndefined();
  });

  it('divides rates quoted per 100 units exactly, and KRW is 1', () => {
    expect(formatDecimal(table.rateOn('jpy', '2026-11-16')!.krwPerOneUnit)).toBe('9.5');
    expect(formatDecimal(table.rateOn('KRW', '2026-11-16')!.krwPerOneUnit)).toBe('1');
  });

  it('validates every row of a rate file', () => {
    const { rates, problems } = validateExchangeRates([
      { currency: 'usd', weekStarting: '2026-11-15', krwPerUnit: '1,400.20' },
      { currency: 'EUR', weekStarting: '2026-11-15', krwPerUnit: 1512.3, unit: '1' },
      { currency: 'KRW', weekStarting: '2026-11-15', krwPerUnit: '1' },
      { currency: 'GBP', weekStarting: '15/11/2026', krwPerUnit: '1800' },
      { currency: 'CNY', weekStarting: '2026-11-15', krwPerUnit: '-1' },
      { currency: 'USD', weekStarting: '2026-11-15', krwPerUnit: '1401' },
    ]);
    expect(rates).toEqual([
      { currency: 'USD', weekStarting: '2026-11-15', krwPerUnit: '1400.20', unit: 1 },
      { currency: 'EUR', weekStarting: '2026-11-15', krwPerUnit: '1512.3', unit: 1 },
    ]);
    expect(problems.map((problem) => problem.row)).toEqual([3, 4, 5, 6]);
  });

  it('converts approximately for scoring: won on the date, dollars at the latest week', () => {
    const table = new ExchangeRateTable([
      { currency: 'USD', weekStarting: '2026-11-15', krwPerUnit: '1400', unit: 1 },
      { currency: 'USD', weekStarting: '2026-11-22', krwPerUnit: '1500', unit: 1 },
      { currency: 'JPY', weekStarting: '2026-11-22', krwPerUnit: '900', unit: 100 },
    ]);
    expect(table.approximateKrw(2, 'USD', '2026-11-16')).toBe(2800);
    expect(table.approximateKrw(2, 'USD', '2026-12-20')).toBeUndefined();
    expect(table.approximateUsd(15_000, 'KRW')).toBe(10);
    expect(table.approximateUsd(10_000, 'JPY')).toBe(60);
    expect(table.approximateUsd(1, 'EUR')).toBeUndefined();
  });
});
