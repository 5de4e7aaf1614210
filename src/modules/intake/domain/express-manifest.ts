import { z } from 'zod';
import type { Validated } from '../../../platform/errors/field-error.js';
import {
  addressSchema,
  currencyCode,
  declarationLineSchema,
  isoDate,
  masterAirWaybill,
  mass,
  money,
  optionalText,
  pccc,
  sellerSchema,
  text,
  validateWith,
} from './field-schemas.js';
import { sumMoney, type ParcelRecord } from './parcel-record.js';

/** Manifest-level data shared by every house air waybill under one master air waybill. */
export const manifestHeaderSchema = z.strictObject({
  carrier: text(20),
  mawb: masterAirWaybill,
  flight: optionalText(10),
  arrivalDate: isoDate,
  officeCode: optionalText(10),
});
export type ManifestHeader = z.output<typeof manifestHeaderSchema>;

/** One house air waybill with its declaration lines. */
export const houseWaybillSchema = z
  .strictObject({
    hawb: z
      .string()
      .trim()
      .regex(/^[A-Z0-9-]{6,20}$/i, 'must be 6 to 20 letters, digits or dashes'),
    shipper: addressSchema,
    consignee: addressSchema.extend({ pccc: pccc.optional() }),
    pieces: z.number().int().min(1).max(9999).default(1),
    grossMassKg: mass,
    declaredValue: money.optional(),
    currency: currencyCode,
    freight: money.optional(),
    seller: sellerSchema.optional(),
    invoiceNumber: optionalText(50),
    lines: z.array(declarationLineSchema).min(1, 'must list at least one declaration line').max(999),
  })
  .superRefine((house, context) => {
    house.lines.forEach((line, index) => {
      if (line.currency !== house.currency) {
        context.addIssue({
          code: 'custom',
          path: ['lines', index, 'currency'],
          message: `must be the house waybill's currency ${house.currency}`,
          params: { rule: 'same-currency' },
        });
      }
    });
    const lineTotal = sumMoney(house.lines.map((line) => line.value));
    if (house.declaredValue !== undefined && house.declaredValue !== lineTotal) {
      context.addIssue({
        code: 'custom',
        path: ['declaredValue'],
        message: `must equal the sum of the line values (${lineTotal})`,
        params: { rule: 'total-equals-lines' },
      });
    }
  });
export type HouseWaybill = z.output<typeof houseWaybillSchema>;

/** A whole manifest as JSON: the header and its houses, each house validated on its own. */
export const expressManifestEnvelopeSchema = manifestHeaderSchema.extend({
  houses: z.array(z.unknown()).min(1, 'must hold at least one house waybill').max(10_000),
});

/**
 * Each house of a manifest file carries the same header, so the last valid header is remembered and the
 * next identical one is not validated again. Only headers of string fields are remembered: their JSON
 * text then identifies them exactly.
 */
let lastValidHeader: { json: string; value: ManifestHeader } | undefined;

export function validateManifestHeader(input: unknown, line?: number): Validated<ManifestHeader> {
  const json = isStringRecord(input) ? JSON.stringify(input) : undefined;
  if (json !== undefined && json === lastValidHeader?.json) return { ok: true, value: lastValidHeader.value };
  const validated = validateWith(manifestHeaderSchema, input, line);
  if (validated.ok && json !== undefined) lastValidHeader = { json, value: Object.freeze(validated.value) };
  return validated;
}

function isStringRecord(input: unknown): input is Record<string, string> {
  if (input === null || typeof input !== 'object' || Object.getPrototypeOf(input) !== Object.prototype)
    return false;
  for (const key in input) if (typeof (input as Record<string, unknown>)[key] !== 'string') return false;
  return true;
}

export function validateHouseWaybill(input: unknown, line?: number): Validated<HouseWaybill> {
  return validateWith(houseWaybillSchema, input, line);
}

export function houseWaybillToParcel(header: ManifestHeader, house: HouseWaybill): ParcelRecord {
  const { pccc: consigneePccc, ...addressee } = house.consignee;
  return {
    channel: 'express',
    trackingNumber: house.hawb.toUpperCase(),
    carrierCode: header.carrier.toUpperCase(),
    carrierKind: 'carrier',
    masterWaybill: header.mawb.replace('-', ''),
    flight: header.flight,
    arrivalDate: header.arrivalDate,
    officeCode: header.officeCode,
    category: 'sale_of_goods',
    sender: house.shipper,
    addressee,
    pccc: consigneePccc,
    seller: house.seller,
    grossMassKg: house.grossMassKg,
    pieces: house.pieces,
    declaredValue: house.declaredValue ?? sumMoney(house.lines.map((line) => line.value)),
    currency: house.currency,
    freightValue: house.freight,
    documents: house.invoiceNumber ? { invoiceNumber: house.invoiceNumber } : undefined,
    declaredOn: header.arrivalDate,
    lines: house.lines,
  };
}
