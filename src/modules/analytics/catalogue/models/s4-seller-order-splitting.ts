import { sql } from 'kysely';
import type { AnalyticalModel } from '../analytical-model.js';
import { limitParameters, limitParcels } from './limit-parcels.js';
import { column, commonParameters, labels, num, rankingResult, round, text } from './model-kit.js';

interface SplitOrders {
  seller_key: string;
  orders: unknown;
  split_orders: unknown;
  split_parcels: unknown;
  largest_usd: unknown;
  example: string | null;
}

/**
 * S4 Seller-side order splitting: one purchase from one seller to one buyer, sent as several parcels that
 * each stay under the list-clearance limit while together they pass it. A purchase is the seller's
 * invoice, or the buyer's orders from the seller on one order date (KCS's "same supplier, same date").
 */
export const sellerOrderSplitting: AnalyticalModel = {
  id: 'S4',
  version: '1.0.0',
  group: 'splitting',
  firstTwelve: false,
  name: text('Seller-side order splitting', '판매자 측 주문 분할', 'Fractionnement des commandes par le vendeur'),
  question: text(
    'Which sellers split one order into several parcels to stay under the limit?',
    '어떤 판매자가 한도 아래에 머물려고 한 주문을 여러 화물로 나누는가?',
    'Quels vendeurs scindent une commande en plusieurs colis pour rester sous le seuil ?',
  ),
  method: text(
    'Parcels are grouped into purchases: same seller, same buyer and either the same invoice or orders placed on the same day. A purchase is split when it has several parcels, each under its limit and together at or over it; sellers are ranked by their number of split purchases, with their share of all purchases.',
    '화물을 구매 단위로 묶는다: 같은 판매자, 같은 구매자이며 송장이 같거나 같은 날 주문한 경우. 화물이 여럿이고 각각은 한도 미만이나 합계가 한도 이상이면 분할 구매이며, 판매자는 분할 구매 수와 전체 구매 대비 비율로 순위를 매긴다.',
    'Les colis sont regroupés en achats : même vendeur, même acheteur et soit la même facture, soit des commandes passées le même jour. Un achat est fractionné quand il compte plusieurs colis, chacun sous son seuil et ensemble au seuil ou au-dessus ; les vendeurs sont classés par nombre d’achats fractionnés, avec leur part de tous les achats.',
  ),
  inputs: ['intake_analysis_buyer_parcel', 'intake_analysis_order_payment', 'clearance_analysis_parcel'],
  parameters: [...limitParameters, commonParameters.minScore(1, 1000), commonParameters.limit()],
  async run(context) {
    const rows = await context.query<SplitOrders>(sql`
      with parcels as (
        select p.*, cast(o.ordered_at as date) as order_day
        from (${limitParcels(context)}) p
        left join intake_analysis_order_payment o on o.tracking_number = p.tracking_number
        where p.seller_key is not null and p.pccc is not null
      ),
      purchases as (
        select seller_key, 'invoice:' || invoice_number as purchase, tracking_number, goods_price_usd, limit_usd
        from parcels where invoice_number is not null
        union
        select seller_key, 'day:' || pccc || ':' || cast(order_day as text), tracking_number, goods_price_usd, limit_usd
        from parcels where order_day is not null
      ),
      grouped as (
        select seller_key, purchase, count(distinct tracking_number) as parcels,
          sum(goods_price_usd) as total_usd, bool_and(goods_price_usd < limit_usd) as each_under,
          min(limit_usd) as limit_usd, min(tracking_number) as example
        from purchases group by seller_key, purchase
      )
      select seller_key, count(*) as orders,
        count(*) filter (where parcels > 1 and each_under and total_usd >= limit_usd) as split_orders,
        coalesce(sum(parcels) filter (where parcels > 1 and each_under and total_usd >= limit_usd), 0) as split_parcels,
        max(total_usd) filter (where parcels > 1 and each_under and total_usd >= limit_usd) as largest_usd,
        min(example) filter (where parcels > 1 and each_under and total_usd >= limit_usd) as example
      from grouped group by seller_key
    `);
    return rankingResult({
      rows,
      kind: 'seller',
      key: (row) => row.seller_key,
      score: (row) => num(row.split_orders),
      minScore: num(context.parameters.min_score),
      limit: num(context.parameters.limit),
      evidence: text(
        '{split_orders} of {orders} purchases split into {split_parcels} parcels each under the limit, together up to USD {largest_usd} (e.g. {example})',
        '구매 {orders}건 중 {split_orders}건을 각각 한도 미만인 화물 {split_parcels}건으로 분할, 합계 최대 USD {largest_usd}(예: {example})',
        '{split_orders} achats sur {orders} scindés en {split_parcels} colis chacun sous le seuil, ensemble jusqu’à {largest_usd} USD (par ex. {example})',
      ),
      columns: [
        column('seller_key', 'entity'),
        column('orders', 'number', text('Purchases', '구매 수', 'Achats')),
        column('split_orders', 'number', text('Split purchases', '분할 구매', 'Achats fractionnés')),
        column('split_parcels', 'number', text('Parcels in them', '분할 화물', 'Colis concernés')),
        column('largest_usd', 'number', text('Largest total (USD)', '최대 합계(USD)', 'Plus gros total (USD)')),
        column('example', 'entity', text('Example parcel', '예시 화물', 'Colis exemple')),
      ],
      cells: (row) => ({
        seller_key: row.seller_key,
        orders: num(row.orders),
        split_orders: num(row.split_orders),
        split_parcels: num(row.split_parcels),
        largest_usd: round(num(row.largest_usd), 2),
        example: row.example,
      }),
      chartTitle: text('Sellers by split purchases', '분할 구매 상위 판매자', 'Vendeurs par achats fractionnés'),
      entityLabel: labels.seller_key,
    });
  },
};
