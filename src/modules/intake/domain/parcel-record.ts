import { hash } from 'node:crypto';
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
  insuranceValue?: string;
  documents?: {
    licenceNumber?: string;
    certificateNumber?: string;
    invoiceNumber?: string;
    /** The B/L or AWB the consignment was split from (combined taxation). */
    splitFromWaybill?: string;
  };
  declaredOn: string;
  lines: DeclarationLineInput[];
}

/**
 * Stable JSON: keys sorted, so the same content always hashes the same whatever the key order. Keys whose
 * value is undefined are left out. Stored hashes depend on every byte, so this writes exactly what
 * `JSON.stringify` wrote for a copy of the value with sorted keys (the test keeps that definition):
 * including its order for integer-like keys, which JavaScript objects always list first, ascending.
 */
export function canonicalJson(value: unknown): string {
  return writeCanonical(value)!;
}

/** The JSON text of a value, or undefined where JSON has none (undefined, functions, symbols). */
function writeCanonical(value: unknown): string | undefined {
  if (typeof value === 'string') return jsonString(value);
  if (typeof value !== 'object' || value === null) return JSON.stringify(value);
  if (Array.isArray(value)) {
    let json = '[';
    for (let index = 0; index < value.length; index++) {
      if (index > 0) json += ',';
      json += writeCanonical(value[index]) ?? 'null';
    }
    return `${json}]`;
  }
  const record = value as Record<string, unknown>;
  let json = '{';
  for (const key of sortedKeys(record)) {
    const inner = record[key];
    if (inner === undefined) continue;
    const innerJson = writeCanonical(inner);
    if (innerJson === undefined) continue;
    json += `${json.length > 1 ? ',' : ''}${jsonString(key)}:${innerJson}`;
  }
  return `${json}}`;
}

/** Characters that JSON escapes in strings: quote, backslash, controls and UTF-16 surrogates. */
const NEEDS_ESCAPING = /["\\\u0000-\u001f\ud800-\udfff]/;

/** Most strings need no escaping, and quoting them directly is much cheaper than a call to JSON.stringify. */
function jsonString(text: string): string {
  return NEEDS_ESCAPING.test(text) ? JSON.stringify(text) : `"${text}"`;
}

/** Integer-like keys first in ascending order, as objects list them; then the others sorted. */
function sortedKeys(record: Record<string, unknown>): string[] {
  const keys = Object.keys(record);
  // Objects list integer-like keys before all others: if the first key cannot be one, none is.
  const first = keys[0]?.charCodeAt(0) ?? 0;
  if (first < 0x30 || first > 0x39) return keys.sort();
  const integerLike = keys.filter(isArrayIndex);
  return [...integerLike, ...keys.filter((key) => !isArrayIndex(key)).sort()];
}

function isArrayIndex(key: string): boolean {
  const index = Number(key);
  return index >= 0 && index < 4294967295 && Number.isInteger(index) && String(index) === key;
}

export function contentHash(value: unknown): string {
  // The one-shot digest: a Hash object per record cost more than the digest itself (2.4x the time,
  // measured side by side over 65,484 express parcels).
  return hash('sha256', canonicalJson(value), 'hex');
}

/** Sum of line values in minor units of 1/100, exact for values with at most 2 decimals. */
export function sumMoney(values: readonly string[]): string {
  // Cents of up to 13-digit amounts are exact in a double while the sum stays a safe integer, and
  // adding doubles is much cheaper than BigInt; larger sums take the BigInt path.
  let cents = 0;
  for (const value of values) {
    if (!SMALL_MONEY.test(value)) return sumMoneyWithBigInt(values);
    const point = value.indexOf('.');
    cents +=
      point === -1
        ? Number(value) * 100
        : Number(value.slice(0, point)) * 100 + Number(`${value.slice(point + 1)}0`.slice(0, 2));
    if (cents > Number.MAX_SAFE_INTEGER) return sumMoneyWithBigInt(values);
  }
  const fraction = cents % 100;
  return formatCents(`${(cents - fraction) / 100}`, fraction);
}

const SMALL_MONEY = /^\d{1,13}(\.\d{1,2})?$/;

function sumMoneyWithBigInt(values: readonly string[]): string {
  let cents = 0n;
  for (const value of values) {
    const [whole, fraction = ''] = value.split('.');
    cents += BigInt(whole!) * 100n + BigInt((fraction + '00').slice(0, 2));
  }
  return formatCents(`${cents / 100n}`, Number(cents % 100n));
}

function formatCents(whole: string, fraction: number): string {
  if (fraction === 0) return whole;
  return fraction % 10 === 0 ? `${whole}.${fraction / 10}` : `${whole}.${`${fraction}`.padStart(2, '0')}`;
}
