import { s10CheckDigit } from '../../src/modules/intake/index.js';

/** A valid S10 id for a serial number. */
export function s10(serial: number, prefix = 'RR', country = 'CN'): string {
  const digits = String(serial).padStart(8, '0');
  return `${prefix}${digits}${s10CheckDigit(digits)}${country}`;
}

/** A valid CN23 item as a postal operator would send it. */
export function postalItem(overrides: Record<string, unknown> = {}): Record<string, unknown> {
  return {
    itemId: s10(12345678, 'RR', 'KR').replace(/KR$/, 'CN'),
    postalOperator: 'KPOST',
    category: 'sale_of_goods',
    sender: { name: 'Shenzhen Gadget Co', street: '12 Huaqiang Rd', city: 'Shenzhen', country: 'CN' },
    addressee: {
      name: 'Kim Minji',
      street: '123 Teheran-ro, Gangnam-gu',
      postcode: '06234',
      city: 'Seoul',
      country: 'KR',
      importerReference: 'P123456789012',
    },
    contents: [
      {
        description: 'Cotton T-shirt',
        quantity: 2,
        netMassKg: 0.4,
        value: 18.5,
        currency: 'USD',
        hsCode: '610910',
        originCountry: 'CN',
      },
      {
        description: 'Phone case',
        quantity: 1,
        netMassKg: 0.1,
        value: 6,
        currency: 'USD',
        hsCode: '392690',
        originCountry: 'CN',
      },
    ],
    grossMassKg: 0.6,
    currency: 'USD',
    postedOn: '2026-11-20',
    ...overrides,
  };
}

export function expressManifest(
  houses: number,
  overrides: Record<string, unknown> = {},
): Record<string, unknown> {
  return {
    carrier: 'DHL',
    mawb: '180-12345675',
    flight: 'KE0852',
    arrivalDate: '2026-11-21',
    houses: Array.from({ length: houses }, (_, index) => ({
      hawb: `DHL${String(1000000 + index)}`,
      shipper: { name: 'Amazing Store LLC', street: '1 Market St', city: 'San Francisco', country: 'US' },
      consignee: {
        name: 'Lee Jihoon',
        street: '45 Sejong-daero',
        city: 'Seoul',
        country: 'KR',
        pccc: 'P987654321098',
      },
      pieces: 1,
      grossMassKg: 1.2,
      currency: 'USD',
      seller: { id: 'AMZ-STORE-1', name: 'Amazing Store', country: 'US' },
      lines: [
        {
          description: 'Vitamin C tablets',
          quantity: 3,
          netMassKg: 0.9,
          value: 45,
          currency: 'USD',
          hsCode: '210690',
          originCountry: 'US',
        },
      ],
    })),
    ...overrides,
  };
}
