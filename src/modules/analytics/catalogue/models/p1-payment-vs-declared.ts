import { sql } from 'kysely';
import type { AnalyticalModel } from '../analytical-model.js';
import { column, commonParameters, labels, num, numberParameter, rankingResult, text } from './model-kit.js';
import { PARCEL_FACT, paidParcels } from './paid-parcels.js';

interface BuyerMonth {
  pccc: string;
  month: string;
  parcels: unknown;
  declared_krw: unknown;
  paid_krw: unknown;
}

/**
 * P1 ★ Payment against declared value, per buyer and month: what a PCCC paid for its parcels' orders
 * against what the parcels declared. A buyer whose gap exceeds the tolerance and the minimum amount
 * declares low and pays the difference.
 */
export const paymentVersusDeclared: AnalyticalModel = {
  id: 'P1',
  version: '1.0.1',
  group: 'payments',
  firstTwelve: true,
  name: text('Payment vs declared-value reconciliation', '결제 대 신고가격 대사', 'Rapprochement paiements / valeurs déclarées'),
  question: text(
    "Across a buyer's flows, does the money paid match the value declared?",
    '구매자의 전체 거래에서 결제한 금액이 신고한 가격과 일치하는가?',
    "Sur l'ensemble des flux d'un acheteur, l'argent payé correspond-il à la valeur déclarée ?",
  ),
  method: text(
    'Parcels are matched to their paid orders and, per PCCC and month, the payments in won are summed against the declared goods prices. Buyer-months whose unexplained share of the payments exceeds the tolerance and whose gap exceeds the minimum amount are ranked by gap.',
    '화물을 결제된 주문과 연결하고, 개인통관고유부호·월별로 원화 결제액 합계와 신고 물품가격 합계를 비교한다. 결제액 중 설명되지 않는 비율이 허용치를 넘고 차액이 최소 금액을 넘는 구매자-월을 차액 순으로 표시한다.',
    "Les colis sont rapprochés de leurs commandes payées et, par PCCC et par mois, les paiements en wons sont additionnés face aux prix déclarés. Les mois-acheteurs dont la part inexpliquée des paiements dépasse la tolérance et dont l'écart dépasse le montant minimal sont classés par écart.",
  ),
  inputs: [PARCEL_FACT],
  parameters: [
    numberParameter('tolerance', text('Tolerated unexplained share', '허용 미설명 비율', 'Part inexpliquée tolérée'), 0.3, 0, 1),
    numberParameter('min_gap_krw', text('Minimum gap (KRW)', '최소 차액(원)', 'Écart minimal (KRW)'), 50_000, 0, 100_000_000, 'integer'),
    commonParameters.limit(),
  ],
  async run(context) {
    // The engine sums and filters: only the buyer-months over the tolerance and the minimum gap come back.
    const months = await context.query<BuyerMonth>(sql`
      select * from (
        select pccc, substr(arrival_date, 1, 7) as month, count(*) as parcels,
          sum(declared_krw) as declared_krw, sum(paid_krw) as paid_krw
        from (${paidParcels(context)}) matched
        where pccc is not null
        group by pccc, substr(arrival_date, 1, 7)
      ) months
      where paid_krw - declared_krw >= ${num(context.parameters.min_gap_krw)}
        and cast(paid_krw - declared_krw as double precision) / cast(paid_krw as double precision)
          > ${num(context.parameters.tolerance)}
    `);
    const gaps = months.map((row) => ({ ...row, declared: num(row.declared_krw), paid: num(row.paid_krw) }));
    return rankingResult({
      rows: gaps,
      kind: 'pccc',
      key: (row) => row.pccc,
      score: (row) => row.paid - row.declared,
      minScore: 0,
      limit: num(context.parameters.limit),
      evidence: text(
        '{month}: paid KRW {paid_krw} for {parcels} parcels declared at KRW {declared_krw}',
        '{month}: 화물 {parcels}건에 {paid_krw}원 결제, 신고 {declared_krw}원',
        '{month} : {paid_krw} KRW payés pour {parcels} colis déclarés {declared_krw} KRW',
      ),
      columns: [
        column('pccc', 'entity'),
        column('month', 'text', text('Month', '월', 'Mois')),
        column('parcels', 'number'),
        column('declared_krw', 'money_krw'),
        column('paid_krw', 'money_krw'),
      ],
      cells: (row) => ({
        pccc: row.pccc,
        month: row.month,
        parcels: num(row.parcels),
        declared_krw: Math.round(row.declared),
        paid_krw: Math.round(row.paid),
      }),
      chartTitle: text('Buyers by payment gap (KRW)', '결제 차액 상위 구매자(원)', 'Acheteurs par écart de paiement (KRW)'),
      entityLabel: labels.pccc,
    });
  },
};
