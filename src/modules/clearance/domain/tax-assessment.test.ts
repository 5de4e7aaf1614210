import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { parseClearanceRules, type ClearanceRules } from './clearance-rules.js';
import { ExchangeRateTable } from './exchange-rate-table.js';
import { TaxCalculator, type TaxableLine, type TaxableParcel } from './tax-assessment.js';

/**
 * Worked tax cases, each computed by hand to the won in the comments. Rates of the week starting Sunday
 * 2026-11-15: USD 1,400.00, CNY 195.50, JPY 950.00 per 100 yen. Rules: the shipped defaults
 * (config/clearance-defaults/clearance-rules.json): list limit USD 150 (US express USD 200, postal 150),
 * duty-free limit for formal clearance USD 150, duty 13 % clothing and shoes, 0 % books (VAT-exempt),
 * 8 % otherwise, VAT 10 %, tax under KRW 10,000 not collected, amounts truncated below 1 won.
 */
const defaults = parseClearanceRules(
  JSON.parse(
    readFileSync(
      new URL('../../../../config/clearance-defaults/clearance-rules.json', import.meta.url),
      'utf8',
    ),
  ),
);
const rates = new ExchangeRateTable([
  { currency: 'USD', weekStarting: '2026-11-15', krwPerUnit: '1400.00', unit: 1 },
  { currency: 'CNY', weekStarting: '2026-11-15', krwPerUnit: '195.50', unit: 1 },
  { currency: 'JPY', weekStarting: '2026-11-15', krwPerUnit: '950.00', unit: 100 },
]);

const line = (description: string, value: string, hsCode: string | null): TaxableLine => ({
  description,
  quantity: '1',
  value,
  hsCode,
});
const parcel = (overrides: Partial<TaxableParcel> & Pick<TaxableParcel, 'lines'>): TaxableParcel => ({
  reference: 'P1',
  channel: 'express',
  currency: 'USD',
  shippedFrom: 'CN',
  rateDate: '2026-11-18',
  pccc: 'P123456789012',
  ...overrides,
});

interface WorkedCase {
  name: string;
  parcels: TaxableParcel[];
  rules?: Partial<ClearanceRules>;
  listClearance: boolean;
  reasons: string[];
  customsValueKrw: number;
  dutyKrw: number;
  vatKrw: number;
  totalTaxKrw: number;
  assessedTaxKrw?: number;
  lines?: { customsValueKrw: number; dutyKrw: number; vatKrw: number }[];
}

const cases: WorkedCase[] = [
  {
    // 100 + 40 = USD 140 <= 150: list clearance, no tax. Customs value 140 x 1,400 = 196,000.
    name: 'non-US express under USD 150: list clearance',
    parcels: [
      parcel({ lines: [line('Cotton T-shirt', '100', '610910'), line('Baseball cap', '40', '650500')] }),
    ],
    listClearance: true,
    reasons: ['within_list_clearance_limit'],
    customsValueKrw: 196_000,
    dutyKrw: 0,
    vatKrw: 0,
    totalTaxKrw: 0,
  },
  {
    // USD 150.00 exactly is not over the limit.
    name: 'non-US express at exactly USD 150: list clearance',
    parcels: [parcel({ lines: [line('Wool sweater', '150.00', '611010')] })],
    listClearance: true,
    reasons: ['within_list_clearance_limit'],
    customsValueKrw: 210_000,
    dutyKrw: 0,
    vatKrw: 0,
    totalTaxKrw: 0,
  },
  {
    // USD 160 > 150: formal, taxed. CV = (160 + freight 20) x 1,400 = 252,000.
    // Duty 13 % = 32,760. VAT 10 % x (252,000 + 32,760) = 28,476. Total 61,236.
    name: 'non-US express over USD 150: whole value taxed, CIF',
    parcels: [parcel({ internationalFreight: '20', lines: [line('Cotton T-shirt', '160', '610910')] })],
    listClearance: false,
    reasons: ['over_list_clearance_limit', 'over_duty_free_limit'],
    customsValueKrw: 252_000,
    dutyKrw: 32_760,
    vatKrw: 28_476,
    totalTaxKrw: 61_236,
  },
  {
    // From the US USD 180 <= 200 (KORUS): list clearance.
    name: 'US express USD 180: list clearance under the USD 200 limit',
    parcels: [parcel({ shippedFrom: 'US', lines: [line('Running shoes', '180', '640411')] })],
    listClearance: true,
    reasons: ['within_list_clearance_limit'],
    customsValueKrw: 252_000,
    dutyKrw: 0,
    vatKrw: 0,
    totalTaxKrw: 0,
  },
  {
    name: 'US express at exactly USD 200: list clearance',
    parcels: [parcel({ shippedFrom: 'US', lines: [line('Running shoes', '200', '640411')] })],
    listClearance: true,
    reasons: ['within_list_clearance_limit'],
    customsValueKrw: 280_000,
    dutyKrw: 0,
    vatKrw: 0,
    totalTaxKrw: 0,
  },
  {
    // USD 210 > 200. CV = (210 + 15) x 1,400 = 315,000. Duty 13 % = 40,950.
    // VAT 10 % x 355,950 = 35,595. Total 76,545.
    name: 'US express over USD 200: taxed',
    parcels: [
      parcel({
        shippedFrom: 'US',
        internationalFreight: '15',
        lines: [line('Running shoes', '210', '640411')],
      }),
    ],
    listClearance: false,
    reasons: ['over_list_clearance_limit', 'over_duty_free_limit'],
    customsValueKrw: 315_000,
    dutyKrw: 40_950,
    vatKrw: 35_595,
    totalTaxKrw: 76_545,
  },
  {
    // Threshold basis = 180 + US sales tax 14.40 + US domestic shipping 10 = 204.40 > 200 (freight excluded).
    // CV = (204.40 + freight 25) x 1,400 = 321,160. Duty 8 % (default, HS 8471) = 25,692.8 -> 25,692.
    // VAT 10 % x (321,160 + 25,692) = 34,685.2 -> 34,685. Total 60,377.
    name: 'local tax and domestic shipping count toward the limit, international freight does not',
    parcels: [
      parcel({
        shippedFrom: 'US',
        localTax: '14.40',
        domesticShipping: '10',
        internationalFreight: '25',
        lines: [line('Laptop stand', '180', '847330')],
      }),
    ],
    listClearance: false,
    reasons: ['over_list_clearance_limit', 'over_duty_free_limit'],
    customsValueKrw: 321_160,
    dutyKrw: 25_692,
    vatKrw: 34_685,
    totalTaxKrw: 60_377,
  },
  {
    // Without the sales tax: 180 + 10 = 190 <= 200, freight 25 not counted: list clearance.
    name: 'international freight does not push a parcel over the limit',
    parcels: [
      parcel({
        shippedFrom: 'US',
        domesticShipping: '10',
        internationalFreight: '25',
        lines: [line('Laptop stand', '180', '847330')],
      }),
    ],
    listClearance: true,
    reasons: ['within_list_clearance_limit'],
    customsValueKrw: 301_000,
    dutyKrw: 0,
    vatKrw: 0,
    totalTaxKrw: 0,
  },
  {
    // Postal items have one USD 150 limit even from the US: 180 > 150. CV = 180 x 1,400 = 252,000.
    // Duty 8 % = 20,160. VAT 10 % x 272,160 = 27,216. Total 47,376.
    name: 'postal item from the US over USD 150: taxed (no KORUS limit for posts)',
    parcels: [
      parcel({ channel: 'postal', shippedFrom: 'US', lines: [line('Bluetooth speaker', '180', '851822')] }),
    ],
    listClearance: false,
    reasons: ['over_list_clearance_limit', 'over_duty_free_limit'],
    customsValueKrw: 252_000,
    dutyKrw: 20_160,
    vatKrw: 27_216,
    totalTaxKrw: 47_376,
  },
  {
    // Health supplement: excluded whatever the value; USD 60 <= duty-free 150, so formal clearance without tax.
    name: 'excluded goods under the limit: formal clearance, no tax',
    parcels: [parcel({ shippedFrom: 'US', lines: [line('Vitamin C tablets', '60', '210690')] })],
    listClearance: false,
    reasons: ['excluded_goods', 'within_duty_free_limit'],
    customsValueKrw: 84_000,
    dutyKrw: 0,
    vatKrw: 0,
    totalTaxKrw: 0,
  },
  {
    // Recognised by keyword without an HS code.
    name: 'excluded goods recognised by description: red wine',
    parcels: [parcel({ currency: 'CNY', lines: [line('Red wine 750ml', '300', null)] })],
    listClearance: false,
    reasons: ['excluded_goods', 'within_duty_free_limit'],
    customsValueKrw: 58_650,
    dutyKrw: 0,
    vatKrw: 0,
    totalTaxKrw: 0,
  },
  {
    // T-shirt 50 + vitamins 40 = USD 90: one excluded line sends the whole parcel to formal clearance.
    name: 'mixed parcel under the limit: formal clearance for all lines, no tax',
    parcels: [parcel({ lines: [line('Cotton T-shirt', '50', '610910'), line('Multivitamin', '40', null)] })],
    listClearance: false,
    reasons: ['excluded_goods', 'mixed_parcel', 'within_duty_free_limit'],
    customsValueKrw: 126_000,
    dutyKrw: 0,
    vatKrw: 0,
    totalTaxKrw: 0,
  },
  {
    // From the US: book 100 + supplement 80 = USD 180. Under the KORUS 200 list limit, but excluded goods ->
    // formal, and 180 > duty-free 150 -> taxed. CV = 180 x 1,400 = 252,000, split by value:
    // book 140,000 (duty 0 %, VAT-exempt) and supplement 112,000 (duty 8 % = 8,960; VAT 10 % x 120,960 = 12,096).
    // Total 8,960 + 12,096 = 21,056.
    name: 'mixed parcel from the US over the duty-free limit: taxed line by line',
    parcels: [
      parcel({
        shippedFrom: 'US',
        lines: [line('Paperback novel', '100', '490199'), line('Protein powder', '80', '210690')],
      }),
    ],
    listClearance: false,
    reasons: ['excluded_goods', 'mixed_parcel', 'over_duty_free_limit'],
    customsValueKrw: 252_000,
    dutyKrw: 8_960,
    vatKrw: 12_096,
    totalTaxKrw: 21_056,
    lines: [
      { customsValueKrw: 140_000, dutyKrw: 0, vatKrw: 0 },
      { customsValueKrw: 112_000, dutyKrw: 8_960, vatKrw: 12_096 },
    ],
  },
  {
    // Book 150 + phone case 10 = USD 160 > 150: taxed. CV 224,000: book 210,000 (0 %, VAT-exempt), case
    // 14,000: duty 8 % = 1,120, VAT 10 % x 15,120 = 1,512. Tax 2,632 < 10,000: not collected.
    name: 'tax under KRW 10,000 is not collected',
    parcels: [parcel({ lines: [line('Art book', '150', '490199'), line('Phone case', '10', '392690')] })],
    listClearance: false,
    reasons: ['over_list_clearance_limit', 'over_duty_free_limit', 'below_minimum_collection'],
    customsValueKrw: 224_000,
    dutyKrw: 0,
    vatKrw: 0,
    totalTaxKrw: 0,
    assessedTaxKrw: 2_632,
  },
  {
    // JPY 25,000 at 950.00 per 100 = 237,500 won = USD 169.64 > 150. CV = (25,000 + 1,500) x 9.5 = 251,750.
    // Duty 13 % = 32,727.5 -> 32,727 (truncated). VAT 10 % x (251,750 + 32,727) = 28,447.7 -> 28,447. Total 61,174.
    name: 'JPY quoted per 100 yen, fractions of a won truncated',
    parcels: [
      parcel({
        shippedFrom: 'JP',
        currency: 'JPY',
        internationalFreight: '1500',
        lines: [line('Denim jacket', '25000', '620332')],
      }),
    ],
    listClearance: false,
    reasons: ['over_list_clearance_limit', 'over_duty_free_limit'],
    customsValueKrw: 251_750,
    dutyKrw: 32_727,
    vatKrw: 28_447,
    totalTaxKrw: 61_174,
  },
  {
    // Same parcel with the 10-won treasury rule: duty 32,727.5 -> 32,720; VAT 10 % x 284,470 = 28,447 -> 28,440.
    name: 'rounding is configurable: drop amounts below 10 won',
    rules: { rounding: { mode: 'truncate', unitKrw: 10n } },
    parcels: [
      parcel({
        shippedFrom: 'JP',
        currency: 'JPY',
        internationalFreight: '1500',
        lines: [line('Denim jacket', '25000', '620332')],
      }),
    ],
    listClearance: false,
    reasons: ['over_list_clearance_limit', 'over_duty_free_limit'],
    customsValueKrw: 251_750,
    dutyKrw: 32_720,
    vatKrw: 28_440,
    totalTaxKrw: 61_160,
  },
  {
    name: 'no PCCC: no list clearance, formal without tax under the limit',
    parcels: [parcel({ pccc: null, lines: [line('Cotton T-shirt', '30', '610910')] })],
    listClearance: false,
    reasons: ['missing_pccc', 'within_duty_free_limit'],
    customsValueKrw: 42_000,
    dutyKrw: 0,
    vatKrw: 0,
    totalTaxKrw: 0,
  },
  {
    // Combined by AWB: 90 + 80 = USD 170 > 150, both lose list clearance and are taxed together.
    // CV 126,000 + 112,000 = 238,000. Duty 13 %: 16,380 + 14,560 = 30,940.
    // VAT 10 %: 14,238 (142,380) + 12,656 (126,560) = 26,894. Total 57,834.
    name: 'combined taxation: two parcels split from one AWB',
    parcels: [
      parcel({ reference: 'A', lines: [line('Hoodie', '90', '611020')] }),
      parcel({ reference: 'B', lines: [line('Jogger pants', '80', '610463')] }),
    ],
    listClearance: false,
    reasons: ['combined_taxation', 'over_list_clearance_limit', 'over_duty_free_limit'],
    customsValueKrw: 238_000,
    dutyKrw: 30_940,
    vatKrw: 26_894,
    totalTaxKrw: 57_834,
  },
  {
    // Combined by seller and date, from the US: 120 + 100 = USD 220 > 200. Toys 8 %.
    // CV 168,000 + 140,000 = 308,000. Duty 13,440 + 11,200 = 24,640. VAT 18,144 + 15,120 = 33,264. Total 57,904.
    name: 'combined taxation: same US seller, same date, over USD 200',
    parcels: [
      parcel({ reference: 'A', shippedFrom: 'US', lines: [line('Building blocks set', '120', '950300')] }),
      parcel({ reference: 'B', shippedFrom: 'US', lines: [line('Puzzle', '100', '950300')] }),
    ],
    listClearance: false,
    reasons: ['combined_taxation', 'over_list_clearance_limit', 'over_duty_free_limit'],
    customsValueKrw: 308_000,
    dutyKrw: 24_640,
    vatKrw: 33_264,
    totalTaxKrw: 57_904,
  },
  {
    // Together 90 + 100 = USD 190 <= 200 (all from the US): they keep list clearance.
    name: 'combined parcels under the limit keep list clearance',
    parcels: [
      parcel({ reference: 'A', shippedFrom: 'US', lines: [line('Building blocks set', '90', '950300')] }),
      parcel({ reference: 'B', shippedFrom: 'US', lines: [line('Puzzle', '100', '950300')] }),
    ],
    listClearance: true,
    reasons: ['within_list_clearance_limit', 'combined_taxation'],
    customsValueKrw: 266_000,
    dutyKrw: 0,
    vatKrw: 0,
    totalTaxKrw: 0,
  },
];

describe('worked tax cases (to the won)', () => {
  it.each(cases)('$name', (worked) => {
    const calculator = new TaxCalculator({ ...defaults, ...worked.rules });
    const result =
      worked.parcels.length === 1
        ? calculator.assess(worked.parcels[0]!, rates)
        : calculator.assessTogether(worked.parcels, rates);
    expect(result.listClearance).toBe(worked.listClearance);
    expect(
      result.reasons.map((reason) => reason.code).filter((code) => code !== 'default_duty_rate'),
    ).toEqual(worked.reasons);
    expect(result.customsValueKrw).toBe(BigInt(worked.customsValueKrw));
    expect(result.dutyKrw).toBe(BigInt(worked.dutyKrw));
    expect(result.vatKrw).toBe(BigInt(worked.vatKrw));
    expect(result.totalTaxKrw).toBe(BigInt(worked.totalTaxKrw));
    expect(result.totalTaxKrw).toBe(result.dutyKrw + result.exciseKrw + result.vatKrw);
    if (worked.assessedTaxKrw !== undefined)
      expect(result.assessedTaxKrw).toBe(BigInt(worked.assessedTaxKrw));
    if (worked.lines) {
      expect(
        result.lines.map((entry) => ({
          customsValueKrw: Number(entry.customsValueKrw),
          dutyKrw: Number(entry.dutyKrw),
          vatKrw: Number(entry.vatKrw),
        })),
      ).toEqual(worked.lines);
    }
    expect(result.lines.reduce((sum, entry) => sum + entry.customsValueKrw, 0n)).toBe(result.customsValueKrw);
  });

  it('refuses to guess a missing weekly rate', () => {
    const calculator = new TaxCalculator(defaults);
    expect(() =>
      calculator.assess(parcel({ currency: 'EUR', lines: [line('Scarf', '10', '611710')] }), rates),
    ).toThrow(/No weekly exchange rate for EUR/);
    expect(() =>
      calculator.assess(parcel({ rateDate: '2026-11-22', lines: [line('Scarf', '10', '611710')] }), rates),
    ).toThrow(/USD on 2026-11-22/);
  });

  it('names the excluded category and the evidence line by line', () => {
    const result = new TaxCalculator(defaults).assess(
      parcel({
        lines: [line('Replica designer handbag', '40', '420221'), line('Ginseng extract', '20', '130219')],
      }),
      rates,
    );
    expect(
      result.lines.map((entry) =>
        entry.exclusions.map((exclusion) => `${exclusion.category}:${exclusion.evidence}`),
      ),
    ).toEqual([['ipr_suspect:keyword:replica'], ['medicinal_herb:keyword:ginseng']]);
  });

  it('treats a vague description as an inaccurate declaration', () => {
    const result = new TaxCalculator(defaults).assess(parcel({ lines: [line('Gift', '20', null)] }), rates);
    expect(result.listClearance).toBe(false);
    expect(result.reasons.map((reason) => reason.code)).toContain('vague_description');
  });

  it('refuses list clearance under a suspended PCCC, whatever the price', () => {
    const calculator = new TaxCalculator(defaults);
    const cheap = parcel({ lines: [line('Cotton T-shirt', '20', '610910')] });
    expect(calculator.assess(cheap, rates).listClearance).toBe(true);
    const suspended = calculator.assess({ ...cheap, pcccSuspended: true }, rates);
    expect(suspended.listClearance).toBe(false);
    expect(suspended.reasons.map((reason) => reason.code)).toContain('pccc_suspended');
  });
});
