import { s10CheckDigit } from '../modules/intake/index.js';

/**
 * Identifiers of demo data, valid by the same rules real ones follow, so that demo parcels exercise
 * the real validation and never collide within one generated data set.
 */

/** UPU S10 item id: service indicator, 8-digit serial, check digit, origin country (`EE123456785CN`). */
export function s10ItemId(serviceIndicator: string, serial: number, country: string): string {
  const digits = String(serial % 100_000_000).padStart(8, '0');
  return `${serviceIndicator}${digits}${s10CheckDigit(digits)}${country}`;
}

/**
 * IATA air waybill check digit: the 7-digit serial modulo 7, appended as the 8th digit
 * (`180-1234567` + `5`).
 */
export function mawbCheckDigit(serial7: string): number {
  return Number(serial7) % 7;
}

/** Master air waybill `PPP-SSSSSSSC`: airline prefix, 7-digit serial and its mod-7 check digit. */
export function masterAirWaybill(airlinePrefix: string, serial: number): string {
  const serial7 = String(serial % 10_000_000).padStart(7, '0');
  return `${airlinePrefix}-${serial7}${mawbCheckDigit(serial7)}`;
}

/** True when a master air waybill's last digit is the mod-7 check of its serial. */
export function isValidMasterAirWaybill(mawb: string): boolean {
  const match = /^(\d{3})-?(\d{7})(\d)$/.exec(mawb);
  return match !== null && Number(match[3]) === mawbCheckDigit(match[2]!);
}

// Multiplying by a number coprime with 10^12 permutes 0..10^12-1, so distinct buyers get distinct
// PCCCs that nonetheless look random rather than sequential.
const PCCC_SPACE = 1_000_000_000_000n;
const PCCC_MULTIPLIER = 736_481_592_617n;

/** PCCC `P` + 12 digits, unique for each buyer index and seed. */
export function personalCustomsCode(buyerIndex: number, seed: number): string {
  const offset = BigInt((seed >>> 0) % 1_000_000) * 1_000_003n;
  const value = (BigInt(buyerIndex) * PCCC_MULTIPLIER + offset) % PCCC_SPACE;
  return `P${value.toString().padStart(12, '0')}`;
}
