import { createHash } from 'node:crypto';
import type { Address, DeclarationLineInput, SellerInput } from './field-schemas.js';

/**
 * One house-level shipment with its declaration, as every channel delivers it after validation:
 * a postal item (CN22/CN23, keyed by its S10 id) or an express house air waybill.
 */
export interface ParcelRecord {
  channel: 'postal' | 'express';
  trackingNumber: string;
  /** Code of the carrier or postal operator that declared it (DHL, KPOST, ...). */
  carrierCode: string;
  carrierKind: 'carrier' | 'postal_operator';
  masterWaybill?: string;
  flight?: string;
  arrivalDate?: string;
  officeCode?: string;
  category?: string;
  sender: Address;
  addressee: Address;
  pccc?: string;
  seller?: SellerInput;
  grossMassKg?: string;
  pieces?: number;
  declaredValue: string;
  currency: string;
  freightValue?: string;
  documents?: { licenceNumber?: string; certificateNumber?: string; invoiceNumber?: string };
  declaredOn: string;
  lines: DeclarationLineInput[];
}

/** Stable JSON: keys sorted, so the same content always hashes the same whatever the key order. */
export function canonicalJson(value: unknown): string {
  return JSON.stringify(sortKeys(value));
}

function sortKeys(value: unknown): unknown {
  if (Array.isArray(value)) return value.map(sortKeys);
  if (value && typeof value === 'object') {
    return Object.fromEntries(
      Object.keys(value as object)
        .filter((key) => (value as Record<string, unknown>)[key] !== undefined)
        .sort()
        .map((key) => [key, sortKeys((value as Record<string, unknown>)[key])]),
    );
  }
  return value;
}

export function contentHash(value: unknown): string {
  return createHash('sha256').update(canonicalJson(value)).digest('hex');
}

/** Sum of line values in minor units of 1/100, exact for values with at most 2 decimals. */
export function sumMoney(values: readonly string[]): string {
  let cents = 0n;
  for (const value of values) {
    const [whole, fraction = ''] = value.split('.');
    cents += BigInt(whole!) * 100n + BigInt((fraction + '00').slice(0, 2));
  }
  const whole = cents / 100n;
  const fraction = (cents % 100n).toString().padStart(2, '0').replace(/0+$/, '');
  return fraction ? `${whole}.${fraction}` : `${whole}`;
}
