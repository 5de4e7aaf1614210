import { z } from 'zod';
import type { Validated } from '../../../platform/errors/field-error.js';
import {
  currencyCode,
  isoDateTime,
  money,
  optionalText,
  originalWaybill,
  pccc,
  quantity,
  sellerSchema,
  text,
  validateWith,
} from './field-schemas.js';

/** A marketplace order: what the buyer paid, to whom, and the tracking number that links it to a parcel. */
export const marketplaceOrderSchema = z.strictObject({
  marketplace: text(100),
  orderNumber: text(100),
  seller: sellerSchema,
  listingUrl: z.string().trim().url('must be a URL').max(1000).optional(),
  productTitle: text(500),
  pricePaid: money,
  currency: currencyCode,
  quantity: quantity.optional(),
  buyer: z.strictObject({ pccc: pccc.optional(), name: optionalText(200) }).optional(),
  deliverTo: z
    .strictObject({
      name: optionalText(200),
      street: text(300),
      postcode: optionalText(20),
      city: text(100),
      country: text(2),
    })
    .optional(),
  trackingNumber: z
    .string()
    .trim()
    .regex(/^[A-Z0-9-]{6,20}$/i, 'must be 6 to 20 letters, digits or dashes')
    .optional(),
  /** The B/L or AWB the order's goods were split from, when the seller split one consignment. */
  splitFromWaybill: originalWaybill.optional(),
  orderedAt: isoDateTime,
});
export type MarketplaceOrder = z.output<typeof marketplaceOrderSchema>;

/** A payment for a marketplace order, with the amount in the currency the buyer's card was charged. */
export const paymentSchema = z
  .strictObject({
    marketplace: text(100),
    paymentReference: text(100),
    orderNumber: text(100),
    method: z.enum(['card', 'bank_transfer', 'wallet', 'cash_on_delivery', 'other']),
    amount: money,
    currency: currencyCode,
    foreignAmount: money.optional(),
    foreignCurrency: currencyCode.optional(),
    paidAt: isoDateTime,
    payerName: optionalText(200),
  })
  .refine((payment) => (payment.foreignAmount === undefined) === (payment.foreignCurrency === undefined), {
    message: 'foreignAmount and foreignCurrency go together',
    path: ['foreignCurrency'],
    params: { rule: 'foreign-amount-pair' },
  });
export type Payment = z.output<typeof paymentSchema>;

export function validateMarketplaceOrder(input: unknown, line?: number): Validated<MarketplaceOrder> {
  return validateWith(marketplaceOrderSchema, input, line);
}

export function validatePayment(input: unknown, line?: number): Validated<Payment> {
  return validateWith(paymentSchema, input, line);
}
