import { z } from 'zod';
import type { FieldError } from '../../platform/errors/field-error.js';
import { postalItemSchema } from '../intake/index.js';
import { isDecimalText } from './domain/decimal-amount.js';
import type { TaxableParcel } from './domain/tax-assessment.js';

/**
 * Turns the body of `POST /api/v1/assessments/preview` into a taxable parcel. The body has the shape of
 * intake: a CN23 item (validated by intake's own schema, exported from its index), or one express house
 * with its manifest header fields (carrier, mawb, flight, arrivalDate, officeCode) at the top level.
 */

/** A decimal from a JSON number or string, kept as text; floats are accepted only when they print plainly. */
const decimalText = z.union([z.number(), z.string()]).transform((raw, context) => {
  const text = typeof raw === 'number' ? String(raw) : raw.trim();
  if (!isDecimalText(text) || text.startsWith('-')) {
    context.addIssue({
      code: 'custom',
      message: 'must be a non-negative decimal number',
      params: { rule: 'non-negative-decimal' },
    });
    return z.NEVER;
  }
  return text;
});

const partySchema = z.looseObject({
  country: z
    .string()
    .trim()
    .regex(/^[A-Za-z]{2}$/, 'must be an ISO country code')
    .transform((value) => value.toUpperCase()),
});
const lineSchema = z.looseObject({
  description: z.string().trim().min(1),
  quantity: decimalText,
  value: decimalText,
  currency: z
    .string()
    .trim()
    .regex(/^[A-Za-z]{3}$/)
    .transform((value) => value.toUpperCase()),
  hsCode: z
    .string()
    .trim()
    .regex(/^\d{4}(\.?\d{2}){0,3}$/, 'must be an HS code of 4 to 10 digits')
    .optional(),
});
const isoDate = z.string().regex(/^\d{4}-\d{2}-\d{2}$/, 'must be a date written YYYY-MM-DD');

/** One express house with its manifest header fields, as in `POST /api/v1/express/manifests` (one house, flattened). */
export const expressHousePreviewSchema = z.looseObject({
  carrier: z.string().trim().min(1),
  mawb: z.string().trim().optional(),
  arrivalDate: isoDate,
  hawb: z.string().trim().min(6),
  shipper: partySchema,
  consignee: z.looseObject({
    country: z.string().optional(),
    pccc: z
      .string()
      .trim()
      .regex(/^P\d{12}$/i, 'must be P followed by 12 digits')
      .optional(),
  }),
  currency: z
    .string()
    .trim()
    .regex(/^[A-Za-z]{3}$/)
    .transform((value) => value.toUpperCase()),
  freight: decimalText.optional(),
  insurance: decimalText.optional(),
  lines: z.array(lineSchema).min(1).max(999),
});

/** Query extras: parts of the goods price that the intake shapes do not carry. */
export interface PreviewExtras {
  domesticShipping?: string;
  localTax?: string;
  rateDate?: string;
}

function toFieldErrors(error: z.ZodError, input: unknown): FieldError[] {
  return error.issues.map((issue) => {
    let value: unknown = input;
    for (const key of issue.path)
      value =
        value !== null && typeof value === 'object'
          ? (value as Record<PropertyKey, unknown>)[key as PropertyKey]
          : undefined;
    const rule =
      (issue as { params?: { rule?: string } }).params?.rule ??
      (issue.code === 'invalid_type' ? 'required' : issue.code);
    return {
      path: issue.path.map(String).join('/'),
      value: value !== null && typeof value === 'object' ? undefined : value,
      rule,
      message: issue.message,
    };
  });
}

/** The taxable parcel of a preview body, or the field errors that make it unusable. */
export function previewBodyToParcel(
  body: unknown,
  extras: PreviewExtras,
): { ok: true; parcel: TaxableParcel } | { ok: false; errors: FieldError[] } {
  if (body === null || typeof body !== 'object' || Array.isArray(body)) {
    return {
      ok: false,
      errors: [
        {
          path: '',
          value: undefined,
          rule: 'type',
          message: 'must be one CN23 item or one express house with its manifest header fields',
        },
      ],
    };
  }
  const common = { domesticShipping: extras.domesticShipping, localTax: extras.localTax };
  if ('itemId' in body) {
    const parsed = postalItemSchema.safeParse(body);
    if (!parsed.success) return { ok: false, errors: toFieldErrors(parsed.error, body) };
    const item = parsed.data;
    return {
      ok: true,
      parcel: {
        reference: item.itemId,
        channel: 'postal',
        currency: item.currency,
        shippedFrom: item.sender.country,
        rateDate: extras.rateDate ?? item.expectedArrivalDate ?? item.postedOn,
        pccc: item.addressee.importerReference ?? null,
        lines: item.contents.map((line) => ({
          description: line.description,
          quantity: line.quantity,
          value: line.value,
          hsCode: line.hsCode ?? null,
        })),
        internationalFreight: item.postalCharges,
        insurance: item.insurance,
        ...common,
      },
    };
  }
  const parsed = expressHousePreviewSchema.safeParse(body);
  if (!parsed.success) return { ok: false, errors: toFieldErrors(parsed.error, body) };
  const house = parsed.data;
  const wrongCurrency = house.lines.findIndex((line) => line.currency !== house.currency);
  if (wrongCurrency >= 0) {
    return {
      ok: false,
      errors: [
        {
          path: `lines/${wrongCurrency}/currency`,
          value: house.lines[wrongCurrency]!.currency,
          rule: 'same-currency',
          message: `must be the house waybill's currency ${house.currency}`,
        },
      ],
    };
  }
  return {
    ok: true,
    parcel: {
      reference: house.hawb.toUpperCase(),
      channel: 'express',
      currency: house.currency,
      shippedFrom: house.shipper.country,
      rateDate: extras.rateDate ?? house.arrivalDate,
      pccc: house.consignee.pccc?.toUpperCase() ?? null,
      lines: house.lines.map((line) => ({
        description: line.description,
        quantity: line.quantity,
        value: line.value,
        hsCode: line.hsCode?.replace(/\./g, '') ?? null,
      })),
      internationalFreight: house.freight,
      insurance: house.insurance,
      ...common,
    },
  };
}
