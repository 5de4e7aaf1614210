/**
 * What intake knows about one parcel (or one historical KCS declaration), flattened into plain numbers
 * and strings: the one shape in which other modules read parcels (targeting decides on it, dry runs
 * replay it, clearance assesses and groups it). Party codes are in upper case (watchlists store them
 * so) and the addressee's address is normalised (`normaliseAddress` in platform/text), once, here.
 * Amounts are numbers: intake's limits (field-schemas.ts) keep them within 15 significant digits, so
 * `String(amount)` gives back the declared decimal exactly, as tax assessment needs.
 */
export interface ParcelFacts {
  /** Intake parcel id; null for historical declarations that never were parcels (KCS history). */
  parcelId: number | null;
  declarationId: number | null;
  channel: 'postal' | 'express' | 'kcs';
  trackingNumber: string | null;
  /** When intake committed the parcel (ms since epoch): the start of the receipt-to-decision clock. */
  receivedAtMs: number;
  /** `YYYY-MM-DD`. */
  arrivalDate: string | null;
  declaredOn: string | null;
  officeCode: string | null;
  carrierCode: string | null;
  declarantCode: string | null;
  category: string | null;
  senderName: string | null;
  senderCountry: string | null;
  buyerPccc: string | null;
  buyerName: string | null;
  /** Normalised addressee address (see `normaliseAddress`). */
  buyerAddress: string | null;
  /** The addressee's street and city as declared (clearance keys Korean addresses its own way). */
  addresseeStreet: string | null;
  addresseeCity: string | null;
  sellerId: string | null;
  sellerCountry: string | null;
  sellerRegistrationStatus: string | null;
  /** Parcels from the same seller received before this one. */
  sellerPriorParcels: number | null;
  /** Parcels for the same PCCC arriving on the same day (this one included): a splitting signal. */
  buyerParcelsSameDay: number | null;
  /**
   * Declared value of those parcels together, per currency (one entry per currency declared): the pieces
   * of one purchase may be declared in different currencies, so none is left out.
   */
  buyerValuesSameDay: CurrencyAmount[] | null;
  /**
   * Parcels arriving the same day whose marketplace orders deliver to the street this parcel's order
   * delivers to (this one included), whoever the addressees are, with their declared values per
   * currency and how many different PCCCs they carry; null without an order naming a street.
   */
  deliverySameDay: { parcels: number; pcccs: number; values: CurrencyAmount[] } | null;
  /**
   * Different sellers whose parcels carry this parcel's sender phone or sender street (this seller
   * included): sellers of one ring ship under several names from one warehouse with one phone.
   */
  sellersSharingContact: number | null;
  /** Different addressee names on the latest parcels under this PCCC (this one included): a stolen code shows many. */
  buyerNamesUnderPccc: number | null;
  declaredValue: number | null;
  currency: string | null;
  grossMassKg: number | null;
  pieces: number | null;
  freightValue: number | null;
  insuranceValue: number | null;
  /**
   * The B/L or air waybill the parcel was split from (combined taxation): the parcel's documents', else
   * the first order's that names one; dashes dropped, upper case.
   */
  splitFromWaybill: string | null;
  lines: LineFacts[];
  orderCount: number;
  marketplace: string | null;
  /** Sum of the prices paid on the parcel's orders, in `orderCurrency`. */
  orderPricePaid: number | null;
  orderCurrency: string | null;
  /** The earliest order's date (`YYYY-MM-DD`, UTC). */
  purchaseDate: string | null;
  /** The seller named on the first order that names one (an order may name a seller the parcel does not). */
  orderSellerId: string | null;
  paymentCount: number;
  paymentMethod: string | null;
  /** Inspection outcome, known for inspected declarations only (read when asked: dry runs count frauds with it). */
  outcome: { fraud: boolean; criticalLevel: number } | null;
}

/** An amount in one currency. */
export interface CurrencyAmount {
  currency: string;
  value: number;
}

export interface LineFacts {
  /** The line's number on its declaration (from 1). */
  lineNumber: number;
  /** First six digits of the HS code; null when the line has none. */
  hs6: string | null;
  /** The whole HS code as declared (tariff lines go beyond six digits). */
  hsCode: string | null;
  hsChapter: string | null;
  originCountry: string | null;
  description: string;
  quantity: number;
  value: number;
  currency: string;
  netMassKg: number | null;
  /** value / quantity. */
  unitValue: number;
}

/** Facts of a parcel intake received (not a historical declaration): what `loadParcelFacts` answers. */
export type ReceivedParcelFacts = ParcelFacts & {
  parcelId: number;
  channel: 'postal' | 'express';
  trackingNumber: string;
  carrierCode: string;
  currency: string;
};

/**
 * The facts that describe a parcel by its neighbours (other parcels of its seller, code, contact or
 * street) rather than by what was declared for it: risk targeting's features, the costliest part of the
 * read.
 */
export type ParcelHistoryField =
  | 'sellerPriorParcels'
  | 'buyerParcelsSameDay'
  | 'buyerValuesSameDay'
  | 'deliverySameDay'
  | 'sellersSharingContact'
  | 'buyerNamesUnderPccc';

/** A received parcel as declared, without its history features: what clearance reads. */
export type DeclaredParcelFacts = Omit<ReceivedParcelFacts, ParcelHistoryField>;

/** Median unit value of the lines of one HS6 code in one currency. */
export interface UnitValueNorm {
  hs6: string;
  currency: string;
  norm: number;
}

/** What intake offers other modules to read parcels in bulk (`createIntakeModule().parcelFacts`). */
export interface ParcelFactsReader {
  /** Facts of these parcels (any order; unknown ids are left out); inspection outcomes only when asked. */
  loadParcelFacts(
    parcelIds: readonly number[],
    options?: { outcomes?: boolean },
  ): Promise<ReceivedParcelFacts[]>;
  /**
   * The same parcels without their history features (`ParcelHistoryField`): the read for a module that
   * needs what was declared and not what the neighbours say, at a fraction of the cost.
   */
  loadDeclaredParcels(parcelIds: readonly number[]): Promise<DeclaredParcelFacts[]>;
  /** Parcels that the orders belong to (by tracking number). */
  parcelIdsOfOrders(orderIds: readonly number[]): Promise<number[]>;
  /** Parcels that the payments' orders belong to. */
  parcelIdsOfPayments(paymentIds: readonly number[]): Promise<number[]>;
  /** Parcels received in [from, to), a page at a time by id. */
  parcelIdsReceived(range: {
    fromMs: number;
    toMs: number;
    afterId: number;
    limit: number;
  }): Promise<number[]>;
  /**
   * Declarations (parcels and historical KCS declarations) declared in [fromDate, toDate], a page at a
   * time by declaration id, with their inspection outcome where one is known.
   */
  declarationFacts(range: {
    fromDate: string;
    toDate: string;
    afterDeclarationId: number;
    limit: number;
  }): Promise<ParcelFacts[]>;
  /** Median unit value per HS6 and currency over declarations in [fromDate, toDate] (at least 5 lines). */
  unitValueNorms(range: { fromDate: string; toDate: string }): Promise<UnitValueNorm[]>;
  /** The latest `limit` declaration lines, oldest first (they seed the value norms). */
  latestLines(limit: number): Promise<LineFacts[]>;
  /**
   * Other parcels of each of these parcels' series: the same buyer (PCCC), or orders delivering to the
   * same street, arriving on the same day.
   */
  sameDaySeries(parcelIds: readonly number[]): Promise<number[]>;
}
