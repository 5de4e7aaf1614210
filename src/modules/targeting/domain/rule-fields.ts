import type { LineFacts, ParcelFacts } from './parcel-facts.js';

/** Value types of the rule language. Missing values are `undefined` at run time, of any type. */
export type ValueType = 'number' | 'string' | 'boolean';

/** What a watchlist holds; a list can be matched only by fields of the same kind. */
export const listKinds = ['seller', 'buyer', 'address', 'declarant', 'carrier', 'hs', 'country'] as const;
export type ListKind = (typeof listKinds)[number];

export type FieldValue = number | string | boolean | undefined;

/** One field that rules can test. Line fields make a rule existential over the parcel's lines. */
export interface FieldDefinition {
  name: string;
  type: ValueType;
  scope: 'parcel' | 'line';
  /** The kind of list the field can be matched against with `in list`, if any. */
  listKind?: ListKind;
  description: string;
  read(facts: ParcelFacts, line: LineFacts | undefined): FieldValue;
}

const orUndefined = <T>(value: T | null): T | undefined => (value === null ? undefined : value);

function parcelField(
  name: string,
  type: ValueType,
  description: string,
  read: (facts: ParcelFacts) => FieldValue,
  listKind?: ListKind,
): FieldDefinition {
  return { name, type, scope: 'parcel', description, read: (facts) => read(facts), listKind };
}

function lineField(
  name: string,
  type: ValueType,
  description: string,
  read: (line: LineFacts) => FieldValue,
  listKind?: ListKind,
): FieldDefinition {
  return {
    name,
    type,
    scope: 'line',
    description,
    read: (_facts, line) => (line ? read(line) : undefined),
    listKind,
  };
}

/** Every field of the rule language, documented in docs/rule-language.md. */
export const ruleFields: readonly FieldDefinition[] = [
  parcelField('channel', 'string', 'postal, express or kcs (historical declaration)', (f) => f.channel),
  parcelField('trackingNumber', 'string', 'S10 item id or house air waybill', (f) =>
    orUndefined(f.trackingNumber),
  ),
  parcelField('office', 'string', 'customs office code', (f) => orUndefined(f.officeCode)),
  parcelField(
    'carrier',
    'string',
    'express carrier or postal operator code',
    (f) => orUndefined(f.carrierCode),
    'carrier',
  ),
  parcelField(
    'declarant',
    'string',
    'declarant code (the carrier for postal and express parcels)',
    (f) => orUndefined(f.declarantCode),
    'declarant',
  ),
  parcelField(
    'category',
    'string',
    'CN23 category: gift, documents, commercial_sample, returned_goods, sale_of_goods, other',
    (f) => orUndefined(f.category),
  ),
  parcelField('arrivalDate', 'string', 'arrival date YYYY-MM-DD (compare as text)', (f) =>
    orUndefined(f.arrivalDate),
  ),
  parcelField('declaredOn', 'string', 'declaration date YYYY-MM-DD', (f) => orUndefined(f.declaredOn)),
  parcelField('declaredValue', 'number', 'total declared value in `currency`', (f) =>
    orUndefined(f.declaredValue),
  ),
  parcelField('currency', 'string', 'currency of the declared value (ISO 4217)', (f) =>
    orUndefined(f.currency),
  ),
  parcelField('grossMassKg', 'number', 'gross mass in kg', (f) => orUndefined(f.grossMassKg)),
  parcelField('pieces', 'number', 'number of pieces', (f) => orUndefined(f.pieces)),
  parcelField('freightValue', 'number', 'declared international freight', (f) => orUndefined(f.freightValue)),
  parcelField('lineCount', 'number', 'number of declaration lines', (f) => f.lines.length),
  parcelField('sender.name', 'string', 'sender name', (f) => orUndefined(f.senderName)),
  parcelField(
    'sender.country',
    'string',
    'sender (departure) country, ISO 3166 alpha-2',
    (f) => orUndefined(f.senderCountry),
    'country',
  ),
  parcelField(
    'buyer.pccc',
    'string',
    'Personal Customs Clearance Code of the addressee',
    (f) => orUndefined(f.buyerPccc),
    'buyer',
  ),
  parcelField('buyer.name', 'string', 'addressee name', (f) => orUndefined(f.buyerName)),
  parcelField(
    'buyer.address',
    'string',
    'addressee address, normalised (lower case, no punctuation)',
    (f) => orUndefined(f.buyerAddress),
    'address',
  ),
  parcelField(
    'buyer.parcelsSameDay',
    'number',
    'parcels for the same PCCC arriving the same day, this one included',
    (f) => orUndefined(f.buyerParcelsSameDay),
  ),
  parcelField('seller.id', 'string', 'seller id', (f) => orUndefined(f.sellerId), 'seller'),
  parcelField('seller.country', 'string', 'seller country', (f) => orUndefined(f.sellerCountry), 'country'),
  parcelField('seller.registrationStatus', 'string', 'seller registration status with customs', (f) =>
    orUndefined(f.sellerRegistrationStatus),
  ),
  parcelField(
    'seller.priorParcels',
    'number',
    'parcels from the seller received before this one (0: first-time seller)',
    (f) => orUndefined(f.sellerPriorParcels),
  ),
  parcelField(
    'seller.sharingContact',
    'number',
    "sellers whose parcels carry this parcel's sender phone or street, this one included (a ring shows several)",
    (f) => orUndefined(f.sellersSharingContact),
  ),
  parcelField('order.count', 'number', 'marketplace orders linked to the parcel', (f) => f.orderCount),
  parcelField('order.marketplace', 'string', 'marketplace of the first linked order', (f) =>
    orUndefined(f.marketplace),
  ),
  parcelField('order.pricePaid', 'number', 'sum of prices paid on linked orders', (f) =>
    orUndefined(f.orderPricePaid),
  ),
  parcelField('order.currency', 'string', 'currency of the orders', (f) => orUndefined(f.orderCurrency)),
  parcelField('payment.count', 'number', 'payments linked to the parcel', (f) => f.paymentCount),
  parcelField('payment.method', 'string', 'method of the first linked payment', (f) =>
    orUndefined(f.paymentMethod),
  ),
  parcelField(
    'delivery.address',
    'string',
    'final delivery address reported after delivery, normalised',
    (f) => orUndefined(f.deliveryAddress),
    'address',
  ),
  parcelField('delivery.addressParcels', 'number', 'parcels delivered to the same final address', (f) =>
    orUndefined(f.deliveryAddressParcels),
  ),
  parcelField('xray.finding', 'string', 'X-ray finding: clear, suspicious or threat', (f) => f.xray?.finding),
  parcelField(
    'xray.mismatch',
    'boolean',
    'the X-ray image does not match the declared lines',
    (f) => f.xray?.mismatch,
  ),
  parcelField(
    'productSafety.reported',
    'boolean',
    'a product-safety report of an agency matched one of the lines or orders',
    (f) => f.productSafety !== null,
  ),
  parcelField(
    'productSafety.reportId',
    'number',
    'the product-safety report that matched (the latest)',
    (f) => f.productSafety?.reportId,
  ),
  lineField(
    'line.hs6',
    'string',
    'six-digit HS code of a line; `in list` also matches chapter and heading entries',
    (l) => orUndefined(l.hs6),
    'hs',
  ),
  lineField('line.hsChapter', 'string', 'two-digit HS chapter of a line', (l) => orUndefined(l.hsChapter)),
  lineField(
    'line.origin',
    'string',
    'country of origin of a line',
    (l) => orUndefined(l.originCountry),
    'country',
  ),
  lineField('line.description', 'string', 'goods description of a line', (l) => l.description),
  lineField('line.quantity', 'number', 'quantity of a line', (l) => l.quantity),
  lineField('line.value', 'number', 'value of a line in its currency', (l) => l.value),
  lineField('line.currency', 'string', 'currency of a line', (l) => l.currency),
  lineField('line.netMassKg', 'number', 'net mass of a line in kg', (l) => orUndefined(l.netMassKg)),
  lineField('line.unitValue', 'number', 'value / quantity', (l) => l.unitValue),
  lineField(
    'line.hs6Norm',
    'number',
    'median unit value of the HS6 code in the line currency over recent declarations',
    (l) => orUndefined(l.hs6Norm),
  ),
  lineField('line.unitValueRatio', 'number', 'unitValue / hs6Norm (0.2 = a fifth of the usual price)', (l) =>
    orUndefined(l.unitValueRatio),
  ),
];

export const fieldsByName: ReadonlyMap<string, FieldDefinition> = new Map(
  ruleFields.map((field) => [field.name, field]),
);
