import { z } from 'zod';
import type { Validated } from '../../../platform/errors/field-error.js';
import {
  addressSchema,
  countryCode,
  currencyCode,
  declarationLineSchema,
  isoDate,
  mass,
  money,
  optionalText,
  originalWaybill,
  pccc,
  s10ItemId,
  sellerSchema,
  text,
  validateWith,
} from './field-schemas.js';
import { sumMoney, type ParcelRecord } from './parcel-record.js';

export const postalCategories = [
  'gift',
  'documents',
  'commercial_sample',
  'returned_goods',
  'sale_of_goods',
  'other',
] as const;

/**
 * One electronic CN22/CN23 item (UPU ITMATT / CUSITM content) as JSON. Field names follow the CN23 form;
 * the addressee's importer reference is the Korean PCCC.
 */
export const postalItemSchema = z
  .strictObject({
    itemId: s10ItemId,
    /** Designated postal operator that sends the data; defaults to the caller's organisation. */
    postalOperator: text(20).optional(),
    form: z.enum(['CN22', 'CN23']).default('CN23'),
    category: z.enum(postalCategories),
    sender: addressSchema,
    addressee: addressSchema.extend({ importerReference: pccc.optional() }),
    contents: z.array(declarationLineSchema).min(1, 'must list at least one content line').max(999),
    grossMassKg: mass,
    totalValue: money.optional(),
    currency: currencyCode,
    postalCharges: money.optional(),
    /** Insurance to the Korean border: part of the customs value (CIF). */
    insurance: money.optional(),
    /** The B/L or AWB the item was split from, when one consignment was split into several items. */
    splitFromWaybill: originalWaybill.optional(),
    licenceNumber: optionalText(50),
    certificateNumber: optionalText(50),
    invoiceNumber: optionalText(50),
    postedOn: isoDate,
    expectedArrivalDate: isoDate.optional(),
    officeCode: optionalText(10),
    seller: sellerSchema.optional(),
    originCountry: countryCode.optional(),
  })
  .superRefine((item, context) => {
    item.contents.forEach((line, index) => {
      if (line.currency !== item.currency) {
        context.addIssue({
          code: 'custom',
          path: ['contents', index, 'currency'],
          message: `must be the item's currency ${item.currency}`,
          params: { rule: 'same-currency' },
        });
      }
    });
    if (
      item.totalValue !== undefined &&
      item.totalValue !== sumMoney(item.contents.map((line) => line.value))
    ) {
      context.addIssue({
        code: 'custom',
        path: ['totalValue'],
        message: `must equal the sum of the content values (${sumMoney(item.contents.map((line) => line.value))})`,
        params: { rule: 'total-equals-lines' },
      });
    }
    if (item.category === 'sale_of_goods' && item.contents.some((line) => !line.hsCode)) {
      const index = item.contents.findIndex((line) => !line.hsCode);
      context.addIssue({
        code: 'custom',
        path: ['contents', index, 'hsCode'],
        message: 'is required for goods sold (WCO-UPU guidelines: HS6 for commercial items)',
        params: { rule: 'hs-required-for-sale' },
      });
    }
  });

export type PostalItemInput = z.input<typeof postalItemSchema>;
export type PostalItem = z.output<typeof postalItemSchema>;

export function validatePostalItem(input: unknown, line?: number): Validated<PostalItem> {
  return validateWith(postalItemSchema, input, line);
}

/** Maps a valid CN23 item onto the channel-independent parcel record. */
export function postalItemToParcel(item: PostalItem, defaultOperator: string): ParcelRecord {
  const { importerReference, ...addressee } = item.addressee;
  return {
    channel: 'postal',
    trackingNumber: item.itemId,
    carrierCode: item.postalOperator ?? defaultOperator,
    carrierKind: 'postal_operator',
    arrivalDate: item.expectedArrivalDate,
    officeCode: item.officeCode,
    category: item.category,
    sender: item.sender,
    addressee,
    pccc: importerReference,
    seller: item.seller,
    grossMassKg: item.grossMassKg,
    declaredValue: item.totalValue ?? sumMoney(item.contents.map((line) => line.value)),
    currency: item.currency,
    freightValue: item.postalCharges,
    insuranceValue: item.insurance,
    documents: dropEmpty({
      licenceNumber: item.licenceNumber,
      certificateNumber: item.certificateNumber,
      invoiceNumber: item.invoiceNumber,
      splitFromWaybill: item.splitFromWaybill,
    }),
    declaredOn: item.postedOn,
    lines: item.contents,
  };
}

function dropEmpty<T extends Record<string, string | undefined>>(value: T): T | undefined {
  return Object.values(value).some((inner) => inner !== undefined) ? value : undefined;
}
