import type { Locale } from '../../../platform/i18n/locale.js';
import { renderMessage, type Message, type MessageCatalogue } from '../../../platform/i18n/messages.js';
import type { ParcelFacts } from './parcel-facts.js';

/**
 * A risk score in [0, 1] (probability-like: higher is riskier) with the signals that raised it, as
 * messages (code and parameters) that are put into the reader's language when read.
 */
export interface RiskScore {
  score: number;
  signals: Message[];
}

/** The heuristic scorer's signals in every language (the GBDT model's are the risk module's). */
export const heuristicSignalMessages = {
  'heuristic.value_below_norm': {
    en: 'unit value {percent} % of the usual price of HS {hsCode}',
    ko: '단가가 HS {hsCode} 통상 가격의 {percent} %',
    fr: 'valeur unitaire à {percent} % du prix habituel du SH {hsCode}',
  },
  'heuristic.line_without_hs': {
    en: 'a declaration line has no HS code',
    ko: 'HS 코드가 없는 신고 품목이 있음',
    fr: "une ligne de la déclaration n'a pas de code SH",
  },
  'heuristic.first_seller_parcel': {
    en: 'first parcel from this seller',
    ko: '이 판매자의 첫 물품',
    fr: 'premier colis de ce vendeur',
  },
  'heuristic.seller_not_registered': {
    en: 'seller registration is {status}',
    ko: '판매자 등록 상태: {status}',
    fr: 'enregistrement du vendeur : {status}',
  },
  'heuristic.buyer_parcels_same_day': {
    en: '{parcels} parcels for the same PCCC arrive the same day (possible splitting)',
    ko: '같은 개인통관고유부호의 물품 {parcels}건이 같은 날 도착 (분할 반입 의심)',
    fr: '{parcels} colis pour le même PCCC arrivent le même jour (fractionnement possible)',
  },
  'heuristic.same_delivery_address': {
    en: '{parcels} parcels were delivered to the same final address',
    ko: '물품 {parcels}건이 같은 최종 배송지로 배달됨',
    fr: '{parcels} colis ont été livrés à la même adresse finale',
  },
  'heuristic.just_under_limit': {
    en: 'declared value USD {declared} just under the USD {limit} list-clearance limit',
    ko: '신고가 USD {declared}가 목록통관 한도 USD {limit} 바로 아래',
    fr: 'valeur déclarée USD {declared} juste sous le seuil de USD {limit}',
  },
  'heuristic.paid_more_than_declared': {
    en: 'order price paid {currency} {paid} exceeds the declared value {currency} {declared}',
    ko: '주문 결제액 {currency} {paid}이(가) 신고가 {currency} {declared}보다 큼',
    fr: 'le prix payé {currency} {paid} dépasse la valeur déclarée {currency} {declared}',
  },
  'heuristic.xray_threat': {
    en: 'X-ray threat recognised: {labels}',
    ko: 'X-ray 위해물품 식별: {labels}',
    fr: 'menace reconnue à la radioscopie : {labels}',
  },
  'heuristic.xray_suspicious': {
    en: 'X-ray image marked suspicious',
    ko: 'X-ray 영상 의심 표시',
    fr: 'image radioscopique marquée suspecte',
  },
  'heuristic.xray_mismatch': {
    en: 'X-ray image does not match the declared goods',
    ko: 'X-ray 영상이 신고 물품과 불일치',
    fr: "l'image radioscopique ne correspond pas aux marchandises déclarées",
  },
  'heuristic.product_safety': {
    en: 'product-safety report #{report} matched',
    ko: '제품안전 신고 #{report}와 일치',
    fr: 'le signalement de sécurité n°{report} correspond',
  },
  'heuristic.no_lines': {
    en: 'no declaration lines to score',
    ko: '평가할 신고 품목 없음',
    fr: 'aucune ligne de déclaration à évaluer',
  },
} satisfies MessageCatalogue;

type HeuristicSignalCode = keyof typeof heuristicSignalMessages;

/** A heuristic signal in the reader's language. */
export function renderHeuristicSignal(message: Message, locale: Locale): string {
  return renderMessage(heuristicSignalMessages, message, locale);
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
  message: Message<HeuristicSignalCode>;
}

function signal(weight: number, code: HeuristicSignalCode, params: Message['params'] = {}): Signal {
  return { weight, message: { code, params } };
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
      signals.push(
        signal(lowest.ratio < 0.2 ? 2.2 : 1.2, 'heuristic.value_below_norm', {
          percent: Math.round(lowest.ratio * 100),
          hsCode: lowest.hs6,
        }),
      );
    }
    if (missingHs) signals.push(signal(0.4, 'heuristic.line_without_hs'));
    if (facts.sellerPriorParcels === 0) signals.push(signal(0.6, 'heuristic.first_seller_parcel'));
    if (
      facts.sellerRegistrationStatus !== null &&
      !['registered', 'active'].includes(facts.sellerRegistrationStatus.toLowerCase())
    ) {
      signals.push(
        signal(0.5, 'heuristic.seller_not_registered', { status: facts.sellerRegistrationStatus }),
      );
    }
    if (facts.buyerParcelsSameDay !== null && facts.buyerParcelsSameDay >= 3) {
      signals.push(
        signal(facts.buyerParcelsSameDay >= 5 ? 1.4 : 0.8, 'heuristic.buyer_parcels_same_day', {
          parcels: facts.buyerParcelsSameDay,
        }),
      );
    }
    if (facts.deliveryAddressParcels !== null && facts.deliveryAddressParcels >= 5) {
      signals.push(signal(0.9, 'heuristic.same_delivery_address', { parcels: facts.deliveryAddressParcels }));
    }
    if (facts.currency === 'USD' && facts.declaredValue !== null) {
      const limit = this.listClearanceLimitUsd(facts);
      if (facts.declaredValue >= limit * 0.9 && facts.declaredValue <= limit) {
        signals.push(signal(0.5, 'heuristic.just_under_limit', { declared: facts.declaredValue, limit }));
      }
    }
    if (
      facts.orderPricePaid !== null &&
      facts.declaredValue !== null &&
      facts.orderCurrency === facts.currency &&
      facts.orderPricePaid > facts.declaredValue * 1.2
    ) {
      signals.push(
        signal(1.6, 'heuristic.paid_more_than_declared', {
          paid: facts.orderPricePaid,
          declared: facts.declaredValue,
          currency: facts.orderCurrency,
        }),
      );
    }
    if (facts.xray) {
      if (facts.xray.finding === 'threat')
        signals.push(signal(4, 'heuristic.xray_threat', { labels: facts.xray.labels.join(', ') || null }));
      else if (facts.xray.finding === 'suspicious') signals.push(signal(1.8, 'heuristic.xray_suspicious'));
      if (facts.xray.mismatch) signals.push(signal(2, 'heuristic.xray_mismatch'));
    }
    if (facts.productSafety)
      signals.push(signal(3, 'heuristic.product_safety', { report: facts.productSafety.reportId }));
    let sum = HeuristicScorer.bias;
    for (const signal of signals) sum += signal.weight;
    signals.sort((a, b) => b.weight - a.weight);
    return { score: 1 / (1 + Math.exp(-sum)), signals: signals.map((fired) => fired.message) };
  }
}
