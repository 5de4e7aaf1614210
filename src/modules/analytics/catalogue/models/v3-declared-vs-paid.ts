import type { AnalyticalModel, EntityScore } from '../analytical-model.js';
import {
  column,
  commonParameters,
  histogramPoints,
  labels,
  num,
  numberParameter,
  round,
  say,
  text,
} from './model-kit.js';
import { paidParcels, type MatchedParcel } from './paid-parcels.js';


const parcelEvidence = text(
  'Declared KRW {declared} for order {order} paid KRW {paid}: {percent}% of the price ({parcels} parcel(s))',
  '주문 {order} 결제금액 {paid}원에 대해 {declared}원 신고: 가격의 {percent}% (화물 {parcels}건)',
  'Déclaré {declared} KRW pour la commande {order} payée {paid} KRW : {percent} % du prix ({parcels} colis)',
);
const sellerEvidence = text(
  '{below} of {orders} paid orders declared under {k} of the price; median declared/paid {median}',
  '결제 주문 {orders}건 중 {below}건이 가격의 {k} 미만으로 신고됨; 신고/결제 중앙값 {median}',
  '{below} commandes payées sur {orders} déclarées sous {k} du prix ; médiane déclaré/payé {median}',
);

/**
 * V3 ★ Declared value against paid price: each parcel's declared goods price (the clearance assessment in
 * won, goods only) against the order's payment in won. Parcels of one consignment (same seller and invoice)
 * are summed first, so that an order shipped in several parcels is not taken for undervaluation.
 */
export const declaredVersusPaid: AnalyticalModel = {
  id: 'V3',
  version: '1.0.0',
  group: 'valuation',
  firstTwelve: true,
  name: text('Declared value vs paid price', '신고가격 대 실결제가격', 'Valeur déclarée contre prix payé'),
  question: text(
    'Does the customs value match what the buyer actually paid?',
    '세관 신고가격이 구매자가 실제로 결제한 금액과 일치하는가?',
    "La valeur en douane correspond-elle à ce que l'acheteur a réellement payé ?",
  ),
  method: text(
    "Each parcel is joined to its marketplace order and payment by tracking number, and r = declared goods price / price paid (both in won) is computed per consignment. Parcels with r under k are flagged, and each seller is ranked by its median r and its share of orders under k.",
    '각 화물을 운송장 번호로 오픈마켓 주문·결제와 연결하고, 적재 단위별로 r = 신고 물품가격 / 결제금액(원화)을 계산한다. r이 k 미만인 화물을 표시하고, 판매자별 r 중앙값과 k 미만 주문 비율로 판매자 순위를 매긴다.',
    "Chaque colis est relié à sa commande et à son paiement par le numéro de suivi, et r = prix déclaré des marchandises / prix payé (en wons) est calculé par envoi. Les colis dont r est inférieur à k sont signalés, et chaque vendeur est classé par son r médian et sa part de commandes sous k.",
  ),
  inputs: ['intake_analysis_buyer_parcel', 'intake_analysis_order_payment', 'clearance_analysis_parcel'],
  parameters: [
    numberParameter('k', text('Ratio cut-off k', '비율 기준 k', 'Seuil du ratio k'), 0.7, 0.05, 1),
    numberParameter(
      'min_orders',
      text('Minimum paid orders per seller', '판매자별 최소 결제 주문 수', 'Commandes payées minimum par vendeur'),
      3,
      1,
      1000,
      'integer',
    ),
    commonParameters.limit(),
  ],
  async run(context) {
    const k = num(context.parameters.k);
    const minOrders = num(context.parameters.min_orders);
    const matched = await context.query<MatchedParcel>(paidParcels(context));
    context.progress(0.7);

    const all = matched.map((row) => {
      const declared = num(row.declared_krw);
      const paid = num(row.paid_krw);
      return { ...row, declared, paid, ratio: declared / paid, gap: paid - declared };
    });
    const flagged = all.filter((row) => row.ratio < k).sort((a, b) => b.gap - a.gap);

    const bySeller = new Map<string, number[]>();
    for (const row of all) {
      if (!row.seller_key) continue;
      bySeller.set(row.seller_key, [...(bySeller.get(row.seller_key) ?? []), row.ratio]);
    }
    const sellers: EntityScore[] = [];
    for (const [seller, ratios] of bySeller) {
      const below = ratios.filter((ratio) => ratio < k).length;
      if (ratios.length < minOrders || below === 0) continue;
      const median = [...ratios].sort((a, b) => a - b)[Math.floor(ratios.length / 2)]!;
      sellers.push({
        kind: 'seller',
        key: seller,
        score: round(below / ratios.length, 3),
        evidence: [say(sellerEvidence, { below, orders: ratios.length, k, median: round(median, 2) })],
      });
    }
    sellers.sort((a, b) => b.score - a.score);

    const parcels: EntityScore[] = flagged.map((row) => ({
      kind: 'parcel',
      key: row.tracking_number,
      score: round(1 - row.ratio, 3),
      evidence: [
        say(parcelEvidence, {
          declared: Math.round(row.declared),
          paid: Math.round(row.paid),
          order: row.order_number,
          percent: Math.round(row.ratio * 100),
          parcels: num(row.parcels),
        }),
      ],
    }));
    return {
      columns: [
        column('tracking_number', 'entity'),
        column('seller_key', 'entity'),
        column('arrival_date', 'date'),
        column('declared_krw', 'money_krw'),
        column('paid_krw', 'money_krw'),
        column('ratio', 'number'),
        column('gap_krw', 'money_krw'),
      ],
      rows: flagged.slice(0, num(context.parameters.limit)).map((row) => ({
        tracking_number: row.tracking_number,
        seller_key: row.seller_key,
        arrival_date: row.arrival_date,
        declared_krw: Math.round(row.declared),
        paid_krw: Math.round(row.paid),
        ratio: round(row.ratio, 3),
        gap_krw: Math.round(row.gap),
      })),
      entities: [...parcels, ...sellers],
      chart: {
        kind: 'histogram',
        title: text('Declared / paid, all matched parcels', '신고/결제 비율 분포', 'Déclaré / payé, colis rapprochés'),
        x: { key: 'ratio', label: labels.ratio },
        y: { key: 'parcels', label: labels.parcels },
        points: histogramPoints(
          all.map((row) => row.ratio),
          0,
          0.1,
          15,
        ),
      },
      summary: say(
        text(
          '{matched} parcels matched to a paid order; {flagged} declared under {k} of the price',
          '결제 주문과 연결된 화물 {matched}건; 그중 {flagged}건이 가격의 {k} 미만으로 신고됨',
          '{matched} colis rapprochés d’une commande payée ; {flagged} déclarés sous {k} du prix',
        ),
        { matched: all.length, flagged: flagged.length, k },
      ),
    };
  },
};
