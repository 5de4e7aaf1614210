/**
 * The shapes demo data is written in: exactly the input fields of the intake schemas (postal-item.ts,
 * express-manifest.ts, marketplace-records.ts), with decimals as strings so that no amount passes
 * through binary floating point on its way to the files.
 */

export interface DemoAddress {
  name: string;
  business?: string;
  street: string;
  postcode?: string;
  city: string;
  country: string;
  phone?: string;
  email?: string;
}

export interface DemoSeller {
  id: string;
  name: string;
  country?: string;
  registrationNumber?: string;
  marketplace?: string;
  url?: string;
}

export interface DemoLine {
  description: string;
  quantity: string;
  netMassKg?: string;
  value: string;
  currency: string;
  hsCode?: string;
  originCountry?: string;
}

/** One CN22/CN23 item (postal-item.ts `postalItemSchema`). */
export interface DemoPostalItem {
  itemId: string;
  postalOperator: string;
  form: 'CN22' | 'CN23';
  category: 'gift' | 'documents' | 'commercial_sample' | 'returned_goods' | 'sale_of_goods' | 'other';
  sender: DemoAddress;
  addressee: DemoAddress & { importerReference?: string };
  contents: DemoLine[];
  grossMassKg: string;
  totalValue: string;
  currency: string;
  postalCharges?: string;
  invoiceNumber?: string;
  postedOn: string;
  expectedArrivalDate: string;
  officeCode: string;
  seller?: DemoSeller;
  originCountry: string;
}

/** Header of an express manifest (express-manifest.ts `manifestHeaderSchema`). */
export interface DemoManifestHeader {
  carrier: string;
  mawb: string;
  flight: string;
  arrivalDate: string;
  officeCode: string;
}

/** One house air waybill (express-manifest.ts `houseWaybillSchema`). */
export interface DemoHouseWaybill {
  hawb: string;
  shipper: DemoAddress;
  consignee: DemoAddress & { pccc?: string };
  pieces: number;
  grossMassKg: string;
  declaredValue: string;
  currency: string;
  freight?: string;
  seller?: DemoSeller;
  invoiceNumber?: string;
  lines: DemoLine[];
}

/** A marketplace order (marketplace-records.ts `marketplaceOrderSchema`). */
export interface DemoOrder {
  marketplace: string;
  orderNumber: string;
  seller: DemoSeller;
  listingUrl?: string;
  productTitle: string;
  pricePaid: string;
  currency: string;
  quantity?: string;
  buyer?: { pccc?: string; name?: string };
  deliverTo?: { name?: string; street: string; postcode?: string; city: string; country: string };
  trackingNumber?: string;
  orderedAt: string;
}

/** A payment (marketplace-records.ts `paymentSchema`). */
export interface DemoPayment {
  marketplace: string;
  paymentReference: string;
  orderNumber: string;
  method: 'card' | 'bank_transfer' | 'wallet' | 'cash_on_delivery' | 'other';
  amount: string;
  currency: string;
  foreignAmount?: string;
  foreignCurrency?: string;
  paidAt: string;
  payerName?: string;
}

/**
 * Patterns of the catalogue's second wave of models (V4, V5, C2, C3, O1, O3, S3, I6, N4); rate 0 by
 * default, so that the default demo data, and every figure measured on it, stay as they were.
 */
export const secondWavePatterns = [
  'threshold_bunching',
  'round_values',
  'vague_description',
  'tariff_shift',
  'origin_mismatch',
  'us_reshipper',
  'gift_misdeclaration',
  'brushing',
  'address_hub',
] as const;

/** Injected risk patterns whose parcels are listed in the ground-truth file. */
export const demoPatterns = [
  'undervaluation',
  'misdeclared_goods',
  'prohibited_goods',
  'split_same_awb',
  'split_same_seller_date',
  'split_same_buyer_day',
  'split_same_delivery_address',
  'pccc_many_names',
  'commercial_volume',
  'seller_ring',
  'seller_pccc_theft',
  'recalled_product',
  'misclassified_line',
  ...secondWavePatterns,
] as const;
export type DemoPattern = (typeof demoPatterns)[number];

/** One row of ground-truth.csv: a parcel that belongs to an injected pattern. */
export interface GroundTruthRow {
  trackingNumber: string;
  pattern: DemoPattern;
  groupId: string;
}

/** What the generator emits, in the order the writer should write it. */
export type DemoEvent =
  | { kind: 'postal'; item: DemoPostalItem }
  | { kind: 'manifest-start'; header: DemoManifestHeader }
  | { kind: 'house'; header: DemoManifestHeader; house: DemoHouseWaybill }
  | { kind: 'manifest-end'; header: DemoManifestHeader }
  | { kind: 'order'; order: DemoOrder }
  | { kind: 'payment'; payment: DemoPayment }
  | { kind: 'truth'; row: GroundTruthRow };
