import type { LineFacts as IntakeLineFacts, ParcelFacts as IntakeParcelFacts } from '../../intake/index.js';

export { addressOf, normaliseAddress } from '../../../platform/text/address-text.js';

/**
 * Everything targeting reads about one parcel (or one historical declaration), flattened into plain
 * numbers and strings so that compiled rules and scorers read fields without parsing anything: intake's
 * parcel facts, plus what targeting itself learned later (post-delivery address, X-ray findings,
 * product-safety hits) and the lines' value norms.
 */
export interface ParcelFacts extends Omit<IntakeParcelFacts, 'lines'> {
  lines: LineFacts[];
  /** Final delivery address reported by the express carrier after delivery, normalised. */
  deliveryAddress: string | null;
  /** Parcels delivered to the same final address (this one included), known after delivery. */
  deliveryAddressParcels: number | null;
  xray: XrayFacts | null;
  /** The latest product-safety report (partners) that one of the parcel's lines or orders matched. */
  productSafety: { reportId: number; hazard: string; matchedOn: string[] } | null;
}

export interface LineFacts extends IntakeLineFacts {
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
