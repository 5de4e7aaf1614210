import { describe, expect, it } from 'vitest';
import type { LineFacts, ParcelFacts } from '../intake/index.js';
import { riskDeclarationsOfParcel, wonOnly } from './risk-input.mapper.js';

const line = (hsCode: string): LineFacts => ({
  lineNumber: 1,
  hs6: hsCode.slice(0, 6),
  hsCode,
  hsChapter: hsCode.slice(0, 2),
  originCountry: 'CN',
  description: 'goods',
  quantity: 1,
  value: 10,
  currency: 'USD',
  netMassKg: 0.2,
  unitValue: 10,
});

describe('risk input of a parcel', () => {
  it("gives each line the tariff's duty rate of its code, as the KCS history records a tax rate", () => {
    // Only what the mapper reads: a parcel of two lines.
    const parcel = {
      channel: 'postal',
      declaredOn: '2026-11-20',
      lines: [line('6109100000'), line('8517130000')],
    } as unknown as ParcelFacts;
    const dutyRateOf = (hsCode: string) => (hsCode.startsWith('61') ? 13 : 0);
    expect(riskDeclarationsOfParcel(parcel, wonOnly, dutyRateOf).map((row) => row.taxRate)).toEqual([13, 0]);
    // Without a tariff the rate stays unknown, never a made-up one.
    expect(riskDeclarationsOfParcel(parcel, wonOnly)[0]).not.toHaveProperty('taxRate');
  });
});
