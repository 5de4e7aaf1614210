import type { ParcelView } from '../intake/index.js';
import type { NewClearanceParcel } from './clearance.repository.js';
import { normaliseAddress, phoneticKey } from './domain/address-normalisation.js';
import { importerKeyOf } from './domain/parcel-grouping.js';
import type { TaxableParcel } from './domain/tax-assessment.js';

/** What clearance takes from a stored parcel, as intake shows it: the taxable parcel and the grouping keys. */

export function parcelViewToTaxable(view: ParcelView): TaxableParcel {
  const sender = view.sender as { country?: string };
  return {
    reference: String(view.id),
    channel: view.channel,
    currency: view.currency,
    shippedFrom: String(sender.country ?? ''),
    rateDate: view.arrivalDate ?? view.declaredOn ?? view.receivedAt.slice(0, 10),
    pccc: view.pccc,
    lines: view.lines.map((line) => ({
      description: line.description,
      quantity: line.quantity,
      value: line.value,
      hsCode: line.hsCode,
    })),
    internationalFreight: view.freightValue ?? undefined,
    insurance: view.insuranceValue ?? undefined,
  };
}

/**
 * The clearance record of a parcel: its grouping keys read from the declaration and its orders (the
 * original waybill from the parcel's documents, else from an order; the purchase date is the earliest
 * order's). `deliveryAddressKey` is the carrier's reported address when one arrived before.
 */
export function clearanceRecordOf(
  view: ParcelView,
  deliveryAddressKey: string | null = null,
): NewClearanceParcel {
  const addressee = view.addressee as { name?: string; street?: string; city?: string };
  const addresseeAddressKey = addressee.street
    ? normaliseAddress([addressee.street, addressee.city].filter(Boolean).join(', ')).key
    : null;
  const addresseeNameKey = addressee.name ? phoneticKey(addressee.name) || null : null;
  return {
    parcelId: view.id,
    channel: view.channel,
    carrierCode: view.carrierCode.toUpperCase(),
    trackingNumber: view.trackingNumber,
    pccc: view.pccc,
    sellerKey: view.seller?.id ?? view.orders.find((order) => order.sellerId)?.sellerId ?? null,
    purchaseDate: view.orders.map((order) => order.orderedAt.slice(0, 10)).sort()[0] ?? null,
    arrivalDate: view.arrivalDate ?? view.declaredOn,
    splitFromWaybill: splitFromWaybillOf(view),
    addresseeAddressKey,
    addresseeNameKey,
    importerKey: importerKeyOf({
      pccc: view.pccc,
      addresseeNameKey,
      addressKey: deliveryAddressKey ?? addresseeAddressKey,
    }),
  };
}

function splitFromWaybillOf(view: ParcelView): string | null {
  const declared = (view.documents as { splitFromWaybill?: unknown } | null)?.splitFromWaybill;
  const value =
    typeof declared === 'string' && declared.trim()
      ? declared
      : view.orders.find((order) => order.splitFromWaybill)?.splitFromWaybill;
  return value ? value.trim().toUpperCase().replace(/-/g, '') : null;
}
