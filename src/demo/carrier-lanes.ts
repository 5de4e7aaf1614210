import type { SeededRandom } from '../platform/random/seeded-random.js';

/**
 * Who carries parcels from each origin to Korea: the postal operator (items declared to customs by
 * Korea Post, KPOST, under their UPU S10 ids) and express carriers (house air waybills consolidated
 * under the master air waybill of the flight that brings them to Incheon).
 */

export type ExpressCarrier = 'DHL' | 'FEDEX' | 'UPS' | 'CJ';

export const POSTAL_OPERATOR = 'KPOST';
/** Customs offices that clear the parcels (codes are illustrative, not KCS office numbers). */
export const EXPRESS_OFFICE = 'ICNEXP';
export const POSTAL_OFFICE = 'INTLPOST';

/** Share of parcels sent by post rather than express, by origin; the rest is split between carriers. */
const postalShareByOrigin: Readonly<Record<string, number>> = {
  CN: 0.35,
  US: 0.25,
  JP: 0.4,
  DE: 0.4,
  FR: 0.4,
  GB: 0.35,
  VN: 0.45,
  HK: 0.3,
  TW: 0.4,
  IT: 0.45,
};

const carrierWeightsByOrigin: Readonly<Record<string, readonly (readonly [ExpressCarrier, number])[]>> = {
  CN: [
    ['CJ', 35],
    ['DHL', 25],
    ['FEDEX', 15],
    ['UPS', 10],
  ],
  US: [
    ['FEDEX', 35],
    ['UPS', 35],
    ['DHL', 20],
    ['CJ', 10],
  ],
  JP: [
    ['CJ', 30],
    ['DHL', 30],
    ['FEDEX', 20],
    ['UPS', 20],
  ],
  HK: [
    ['DHL', 40],
    ['CJ', 25],
    ['FEDEX', 20],
    ['UPS', 15],
  ],
};
const defaultCarrierWeights: readonly (readonly [ExpressCarrier, number])[] = [
  ['DHL', 45],
  ['FEDEX', 25],
  ['UPS', 25],
  ['CJ', 5],
];

/** Flights into Incheon by origin: [IATA airline prefix of the air waybill, flight number]. */
const flightsByOrigin: Readonly<Record<string, readonly (readonly [string, string])[]>> = {
  CN: [
    ['180', 'KE0852'],
    ['988', 'OZ0362'],
    ['999', 'CA0123'],
    ['781', 'MU5041'],
    ['784', 'CZ0317'],
  ],
  US: [
    ['180', 'KE0018'],
    ['988', 'OZ0202'],
  ],
  JP: [
    ['180', 'KE0706'],
    ['988', 'OZ0101'],
    ['131', 'JL0091'],
    ['205', 'NH0863'],
  ],
  DE: [
    ['020', 'LH0712'],
    ['180', 'KE0906'],
  ],
  FR: [
    ['057', 'AF0264'],
    ['180', 'KE0902'],
  ],
  GB: [
    ['125', 'BA0017'],
    ['180', 'KE0908'],
  ],
  VN: [
    ['738', 'VN0416'],
    ['180', 'KE0680'],
  ],
  HK: [
    ['160', 'CX0416'],
    ['180', 'KE0608'],
  ],
  TW: [
    ['297', 'CI0160'],
    ['180', 'KE0692'],
  ],
  IT: [
    ['180', 'KE0932'],
    ['057', 'AF0264'],
  ],
};

/** Integrators fly their own aircraft; their air waybills carry their own prefixes. */
const integratorFlights: Partial<Record<ExpressCarrier, readonly [string, string]>> = {
  FEDEX: ['023', 'FX5230'],
  UPS: ['406', '5X0082'],
};

export function postalShareOf(origin: string, overall: number): number {
  if (overall >= 1) return 1;
  // Scale the per-origin shares so that their average follows the requested overall share.
  return Math.min(1, Math.max(0, (postalShareByOrigin[origin] ?? 0.35) * (overall / 0.35)));
}

export function drawExpressCarrier(random: SeededRandom, origin: string): ExpressCarrier {
  return random.weighted(carrierWeightsByOrigin[origin] ?? defaultCarrierWeights);
}

/** The flight (and air waybill prefix) that brings a carrier's consolidation from an origin. */
export function flightOf(
  carrier: ExpressCarrier,
  origin: string,
  consignmentIndex: number,
): readonly [string, string] {
  const own = integratorFlights[carrier];
  if (own) return own;
  const flights = flightsByOrigin[origin] ?? flightsByOrigin.CN!;
  return flights[(consignmentIndex + carrier.length) % flights.length]!;
}

/** House air waybill numbers in each carrier's own shape, unique by the running counter. */
export function houseWaybillNumber(carrier: ExpressCarrier, counter: number, accountCode: string): string {
  switch (carrier) {
    case 'DHL':
      return String(1_000_000_000 + (counter % 8_999_999_999));
    case 'FEDEX':
      return String(700_000_000_000 + (counter % 99_999_999_999));
    case 'UPS':
      return `1Z${accountCode}86${String(counter % 100_000_000).padStart(8, '0')}`;
    case 'CJ':
      return String(600_000_000_000 + (counter % 99_999_999_999));
  }
}

/** UPU S10 service indicators Korea Post sees on inbound items: EMS, registered, parcels, tracked packets. */
export const postalServiceIndicators: readonly (readonly [string, number])[] = [
  ['LP', 30],
  ['RB', 15],
  ['RR', 10],
  ['EE', 20],
  ['EA', 5],
  ['CP', 15],
  ['CA', 5],
];
