import { sql } from 'kysely';
import type { AnalyticalModel, EntityScore } from '../analytical-model.js';
import {
  column,
  commonParameters,
  labels,
  num,
  numberParameter,
  round,
  say,
  text,
} from './model-kit.js';
import { PARCEL_FACT, paidParcels } from './paid-parcels.js';

/** One row of V3's answer: a flagged parcel, a flagged seller (ratio = its median) or a histogram bin. */
interface ScoredRow {
  level: 'parcel' | 'seller' | 'bin';
  key: string;
  seller_key: string | null;
  arrival_date: string | null;
  order_number: string | null;
  declared_krw: unknown;
  paid_krw: unknown;
  parcels: unknown;
  ratio: unknown;
  n: unknown;
  below: unknown;
}

/** Bins of 0.1 in the declared / paid histogram, the last one taking everything from 1.4 up. */
const BINS = 15;
/**
 * The seller's median as it was read in Node, the element at floor(n / 2) of the sorted ratios:
 * `percentile_disc` just above one half gives that element for any seller under 500,000 orders.
 */
const UPPER_MEDIAN = 0.500001;


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
  version: '1.0.1',
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
  inputs: [PARCEL_FACT],
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
    // The engine scores: only the flagged parcels, the flagged sellers and the histogram's bins come back.
    const results = await context.query<ScoredRow>(sql`
      with matched as (${paidParcels(context)}),
      scored as (
        select matched.*, cast(declared_krw as double precision) / cast(paid_krw as double precision) as ratio
        from matched
      )
      select 'parcel' as level, tracking_number as key, seller_key, arrival_date, order_number, declared_krw,
        paid_krw, parcels, ratio, cast(null as bigint) as n, cast(null as bigint) as below
      from scored where ratio < ${k}
      union all
      select 'seller', seller_key, null, null, null, null, null, null,
        percentile_disc(${UPPER_MEDIAN}) within group (order by ratio), count(*), count(*) filter (where ratio < ${k})
      from scored where seller_key is not null
      group by seller_key
      having count(*) >= ${minOrders} and count(*) filter (where ratio < ${k}) > 0
      union all
      select 'bin', cast(least(${BINS - 1}, greatest(0, floor(ratio / cast(0.1 as double precision)))) as text),
        null, null, null, null, null, null, null, count(*), null
      from scored group by 2
    `);
    context.progress(0.8);

    const flagged = results
      .filter((row) => row.level === 'parcel')
      .map((row) => {
        const declared = num(row.declared_krw);
        const paid = num(row.paid_krw);
        return { ...row, tracking_number: row.key, declared, paid, ratio: num(row.ratio), gap: paid - declared };
      })
      .sort((a, b) => b.gap - a.gap || a.tracking_number.localeCompare(b.tracking_number));
    const bins = new Array<number>(BINS).fill(0);
    for (const row of results) if (row.level === 'bin') bins[Number(row.key)] = num(row.n);
    const matchedCount = bins.reduce((sum, count) => sum + count, 0);

    const sellers: EntityScore[] = results
      .filter((row) => row.level === 'seller')
      .map((row) => ({
        kind: 'seller' as const,
        key: row.key,
        score: round(num(row.below) / num(row.n), 3),
        evidence: [
          say(sellerEvidence, { below: num(row.below), orders: num(row.n), k, median: round(num(row.ratio), 2) }),
        ],
      }))
      .sort((a, b) => b.score - a.score || a.key.localeCompare(b.key));

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
        points: bins.map((count, index) => ({ x: round(index * 0.1, 3), y: count })),
      },
      summary: say(
        text(
          '{matched} parcels matched to a paid order; {flagged} declared under {k} of the price',
          '결제 주문과 연결된 화물 {matched}건; 그중 {flagged}건이 가격의 {k} 미만으로 신고됨',
          '{matched} colis rapprochés d’une commande payée ; {flagged} déclarés sous {k} du prix',
        ),
        { matched: matchedCount, flagged: flagged.length, k },
      ),
    };
  },
};
