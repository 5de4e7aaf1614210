/**
 * Everything targeting reads about one parcel (or one historical declaration), flattened into plain
 * numbers and strings so that compiled rules and scorers read fields without parsing anything.
 * Built by the intake read model from stored parcels, orders and payments, plus what targeting itself
 * learned later (post-delivery address, X-ray findings).
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
  sellerId: string | null;
  sellerCountry: string | null;
  sellerRegistrationStatus: string | null;
  /** Parcels from the same seller received before this one. */
  sellerPriorParcels: number | null;
  /** Parcels for the same PCCC arriving on the same day (this one included): a splitting signal. */
  buyerParcelsSameDay: number | null;
  /** Declared value of those parcels together, in this parcel's currency (parcels in others left out). */
  buyerValueSameDay: number | null;
  /** Different addressee names on the latest parcels under this PCCC (this one included): a stolen code shows many. */
  buyerNamesUnderPccc: number | null;
  declaredValue: number | null;
  currency: string | null;
  grossMassKg: number | null;
  pieces: number | null;
  freightValue: number | null;
  lines: LineFacts[];
  orderCount: number;
  marketplace: string | null;
  /** Sum of the prices paid on the parcel's orders, in `orderCurrency`. */
  orderPricePaid: number | null;
  orderCurrency: string | null;
  paymentCount: number;
  paymentMethod: string | null;
  /** Final delivery address reported by the express carrier after delivery, normalised. */
  deliveryAddress: string | null;
  /** Parcels delivered to the same final address (this one included), known after delivery. */
  deliveryAddressParcels: number | null;
  xray: XrayFacts | null;
  /** Inspection outcome, known for inspected historical declarations only (dry runs count frauds with it). */
  outcome: { fraud: boolean; criticalLevel: number } | null;
}

export interface LineFacts {
  /** First six digits of the HS code; null when the line has none. */
  hs6: string | null;
  hsChapter: string | null;
  originCountry: string | null;
  description: string;
  quantity: number;
  value: number;
  currency: string;
  netMassKg: number | null;
  /** value / quantity. */
  unitValue: number;
  /**
   * Median unit value in this currency over recent declarations of the line's HS6 code (or, with too
   * few of those, of its HS4 heading or HS2 chapter), when known.
   */
  hs6Norm: number | null;
  /** unitValue / hs6Norm: 0.2 means a fifth of the usual price. */
  unitValueRatio: number | null;
}

export interface XrayFacts {
  /** `clear`: nothing of interest; `suspicious`: analyst should look; `threat`: a recognised threat. */
  finding: 'clear' | 'suspicious' | 'threat';
  /** Threat or material labels named on the image (e.g. `knife`, `organic-mass`). */
  labels: string[];
  /** The image does not match the declared lines. */
  mismatch: boolean;
}

/** Lower case, punctuation as spaces, single spaces: two spellings of one address compare equal. */
export function normaliseAddress(parts: readonly (string | null | undefined)[]): string | null {
  const text = parts
    .filter((part): part is string => typeof part === 'string' && part.trim() !== '')
    .join(' ')
    .toLowerCase()
    .normalize('NFKC')
    .replace(/[\p{P}\p{S}]+/gu, ' ')
    .replace(/\s+/g, ' ')
    .trim();
  return text === '' ? null : text;
}

/** Address of a CN23/manifest party object (`street`, `postcode`, `city`, `country`). */
export function addressOf(party: Record<string, unknown> | null | undefined): string | null {
  if (!party) return null;
  const pick = (key: string) => (typeof party[key] === 'string' ? (party[key] as string) : null);
  return normaliseAddress([pick('street'), pick('postcode'), pick('city'), pick('country')]);
}

/** Unit-value norms: median unit value per HS6 and currency, `${hs6}:${currency}` -> value. */
export type UnitValueNorms = ReadonlyMap<string, number>;

export function normKey(hs6: string, currency: string): string {
  return `${hs6}:${currency}`;
}

/** Fills `hs6Norm` and `unitValueRatio` of every line from the norms, in place; returns the facts. */
export function applyUnitValueNorms(facts: ParcelFacts, norms: UnitValueNorms): ParcelFacts {
  for (const line of facts.lines) {
    const norm = line.hs6 ? norms.get(normKey(line.hs6, line.currency)) : undefined;
    line.hs6Norm = norm ?? null;
    line.unitValueRatio = norm && norm > 0 ? line.unitValue / norm : null;
  }
  return facts;
}
