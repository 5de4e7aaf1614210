import type { ParcelFacts } from './parcel-facts.js';

/** A risk score in [0, 1] (probability-like: higher is riskier) with its reasons in words. */
export interface RiskScore {
  score: number;
  reasons: string[];
}

/**
 * The port through which targeting asks a risk model for a score. The risk module's GBDT model is
 * plugged in by the composition root; `HeuristicScorer` runs when no model is active.
 */
export interface RiskScorer {
  readonly modelVersion: string;
  score(facts: ParcelFacts): RiskScore;
}

/**
 * The list-clearance limit in USD for a parcel (domain notes section 4). Clearance's rules file sets it;
 * the composition root hands clearance's reading of it to targeting, so both use the same number.
 */
export type ListClearanceLimit = (parcel: Pick<ParcelFacts, 'channel' | 'senderCountry'>) => number;

interface Signal {
  weight: number;
  reason: string;
}

/**
 * Transparent heuristics, labelled `heuristic-v1`, for when no trained model is active: a logistic
 * sum of named signals (undervaluation against the HS6 norm, first-time or unregistered seller,
 * splitting patterns, value just under the de minimis, paid more than declared, X-ray findings).
 * Each signal that fires is one reason, strongest first.
 */
export class HeuristicScorer implements RiskScorer {
  readonly modelVersion = 'heuristic-v1';
  private static readonly bias = -3.2;

  constructor(private readonly listClearanceLimitUsd: ListClearanceLimit) {}

  score(facts: ParcelFacts): RiskScore {
    const signals: Signal[] = [];
    let lowest: { ratio: number; hs6: string } | undefined;
    let missingHs = false;
    for (const line of facts.lines) {
      if (line.hs6 === null) missingHs = true;
      if (line.unitValueRatio !== null && line.hs6 && (!lowest || line.unitValueRatio < lowest.ratio))
        lowest = { ratio: line.unitValueRatio, hs6: line.hs6 };
    }
    if (lowest && lowest.ratio < 0.5) {
      signals.push({
        weight: lowest.ratio < 0.2 ? 2.2 : 1.2,
        reason: `unit value ${(lowest.ratio * 100).toFixed(0)} % of the usual price of HS ${lowest.hs6}`,
      });
    }
    if (missingHs) signals.push({ weight: 0.4, reason: 'a declaration line has no HS code' });
    if (facts.sellerPriorParcels === 0)
      signals.push({ weight: 0.6, reason: 'first parcel from this seller' });
    if (
      facts.sellerRegistrationStatus !== null &&
      !['registered', 'active'].includes(facts.sellerRegistrationStatus.toLowerCase())
    ) {
      signals.push({ weight: 0.5, reason: `seller registration is ${facts.sellerRegistrationStatus}` });
    }
    if (facts.buyerParcelsSameDay !== null && facts.buyerParcelsSameDay >= 3) {
      signals.push({
        weight: facts.buyerParcelsSameDay >= 5 ? 1.4 : 0.8,
        reason: `${facts.buyerParcelsSameDay} parcels for the same PCCC arrive the same day (possible splitting)`,
      });
    }
    if (facts.deliveryAddressParcels !== null && facts.deliveryAddressParcels >= 5) {
      signals.push({
        weight: 0.9,
        reason: `${facts.deliveryAddressParcels} parcels were delivered to the same final address`,
      });
    }
    if (facts.currency === 'USD' && facts.declaredValue !== null) {
      const limit = this.listClearanceLimitUsd(facts);
      if (facts.declaredValue >= limit * 0.9 && facts.declaredValue <= limit) {
        signals.push({
          weight: 0.5,
          reason: `declared value USD ${facts.declaredValue} just under the USD ${limit} list-clearance limit`,
        });
      }
    }
    if (
      facts.orderPricePaid !== null &&
      facts.declaredValue !== null &&
      facts.orderCurrency === facts.currency &&
      facts.orderPricePaid > facts.declaredValue * 1.2
    ) {
      signals.push({
        weight: 1.6,
        reason: `order price paid ${facts.orderPricePaid} ${facts.orderCurrency} exceeds the declared value ${facts.declaredValue}`,
      });
    }
    if (facts.xray) {
      if (facts.xray.finding === 'threat')
        signals.push({
          weight: 4,
          reason: `X-ray threat recognised${facts.xray.labels.length ? `: ${facts.xray.labels.join(', ')}` : ''}`,
        });
      else if (facts.xray.finding === 'suspicious')
        signals.push({ weight: 1.8, reason: 'X-ray image marked suspicious' });
      if (facts.xray.mismatch)
        signals.push({ weight: 2, reason: 'X-ray image does not match the declared goods' });
    }
    if (facts.productSafety)
      signals.push({ weight: 3, reason: `product-safety report #${facts.productSafety.reportId} matched` });
    let sum = HeuristicScorer.bias;
    for (const signal of signals) sum += signal.weight;
    signals.sort((a, b) => b.weight - a.weight);
    return { score: 1 / (1 + Math.exp(-sum)), reasons: signals.map((signal) => signal.reason) };
  }
}
