import { describe, expect, it } from 'vitest';
import { describeCase, missingRateCase } from './officer-cases.js';

describe('officer cases', () => {
  it('names the customs week of a missing rate (Sunday to Saturday) and its ISO week number', () => {
    expect(missingRateCase('usd', '2026-12-01')).toEqual({
      kind: 'exchange_rate_missing',
      currency: 'USD',
      date: '2026-12-01',
      weekStarting: '2026-11-29',
      isoYear: 2026,
      isoWeek: 49,
    });
    expect(missingRateCase('EUR', '2027-01-01')).toMatchObject({
      weekStarting: '2026-12-27',
      isoYear: 2026,
      isoWeek: 53,
    });
  });

  it('words each case for an officer in Korean, English and French, without an API path', () => {
    const rates = missingRateCase('USD', '2026-12-01');
    const tax = {
      kind: 'additional_tax' as const,
      groupParcelIds: [3, 4],
      triggers: ['same_seller_same_date'],
      goodsPriceKrw: 320_000,
      limitKrw: 210_000,
      additionalTaxKrw: 41_600,
    };
    for (const language of ['ko', 'en', 'fr'] as const) {
      for (const details of [rates, tax]) {
        const sentence = describeCase(details, language);
        expect(sentence).not.toMatch(/\/api\//);
        expect(sentence.length).toBeGreaterThan(40);
      }
    }
    expect(describeCase(rates, 'en')).toContain('week 49 of 2026');
    expect(describeCase(rates, 'ko')).toContain('49주차');
    expect(describeCase(rates, 'fr')).toContain('semaine 49');
    expect(describeCase(tax, 'en')).toContain('KRW 41,600');
  });
});
