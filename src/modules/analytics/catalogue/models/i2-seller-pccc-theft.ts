import { sql } from 'kysely';
import type { AnalyticalModel } from '../analytical-model.js';
import { column, commonParameters, inPeriod, labels, num, numberParameter, rankingResult, text } from './model-kit.js';

interface SellerUse {
  seller_key: string;
  parcels: unknown;
  misused: unknown;
}

/**
 * I2 ★ Seller × PCCC theft (the KCS per-seller model): the share of a seller's parcels sent under codes
 * that the period shows under more than one consignee name, shrunk towards zero for small sellers.
 */
export const sellerPcccTheft: AnalyticalModel = {
  id: 'I2',
  version: '1.0.1',
  group: 'identity',
  firstTwelve: true,
  name: text('Seller × PCCC-theft model', '판매자 × 개인통관고유부호 도용 모델', 'Modèle vendeur × vol de PCCC'),
  question: text(
    'Which online sellers ship under PCCCs that their holders did not use, and how risky is each seller?',
    '어떤 온라인 판매자가 명의자가 사용하지 않은 개인통관고유부호로 발송하며, 판매자별 위험은 얼마인가?',
    "Quels vendeurs en ligne expédient sous des PCCC que leurs titulaires n'ont pas utilisés, et quel est le risque de chacun ?",
  ),
  method: text(
    'A PCCC is taken as misused when its parcels in the period carry more than one consignee name, and each seller’s parcels under such codes are counted. The score is the Beta-binomial shrunk share (misused + α) / (parcels + α + β), so that a seller with one unlucky parcel is not ranked above a persistent one.',
    '기간 중 화물에 둘 이상의 수하인 성명이 나타난 부호를 도용된 것으로 보고, 판매자별로 그런 부호로 보낸 화물을 센다. 점수는 베타-이항 축소 비율 (도용 + α) / (화물 + α + β)로, 우연히 한 건이 걸린 판매자가 반복 판매자보다 높게 오르지 않게 한다.',
    "Un PCCC est tenu pour usurpé quand ses colis de la période portent plus d'un nom de destinataire, et les colis de chaque vendeur sous de tels codes sont comptés. Le score est la part réduite bêta-binomiale (usurpés + α) / (colis + α + β), pour qu'un vendeur avec un seul colis malchanceux ne passe pas devant un vendeur récidiviste.",
  ),
  inputs: ['intake_analysis_buyer_parcel'],
  parameters: [
    commonParameters.minParcels(1),
    numberParameter('alpha', text('Prior α', '사전 α', 'A priori α'), 0.5, 0, 100),
    numberParameter('beta', text('Prior β', '사전 β', 'A priori β'), 5, 0, 1000),
    commonParameters.minScore(0.1, 1),
    commonParameters.limit(),
  ],
  async run(context) {
    const alpha = num(context.parameters.alpha);
    const beta = num(context.parameters.beta);
    const rows = await context.query<SellerUse>(sql`
      with period as (
        select pccc, seller_key, consignee_name_key from intake_analysis_buyer_parcel
        where ${inPeriod('arrival_date', context)}
      ),
      -- Two names exactly when the smallest differs from the largest: a hash aggregate, no sort. Compared
      -- bytewise, as only inequality matters (the database's collation would call strcoll on every row).
      misused as (
        select pccc from period where pccc is not null
        group by pccc having min(consignee_name_key collate "C") <> max(consignee_name_key collate "C")
      )
      select p.seller_key, count(*) as parcels, count(m.pccc) as misused
      from period p left join misused m on m.pccc = p.pccc
      where p.seller_key is not null
      group by p.seller_key
      having count(*) >= ${num(context.parameters.min_parcels)} and count(m.pccc) > 0
    `);
    return rankingResult({
      rows,
      kind: 'seller',
      key: (row) => row.seller_key,
      score: (row) => (num(row.misused) + alpha) / (num(row.parcels) + alpha + beta),
      minScore: num(context.parameters.min_score),
      limit: num(context.parameters.limit),
      evidence: text(
        '{misused} of {parcels} parcels sent under PCCCs used by several names',
        '화물 {parcels}건 중 {misused}건이 여러 성명이 사용한 부호로 발송됨',
        '{misused} colis sur {parcels} envoyés sous des PCCC utilisés par plusieurs noms',
      ),
      columns: [
        column('seller_key', 'entity'),
        column('parcels', 'number'),
        column('misused', 'number', text('Under misused PCCCs', '도용 부호 화물', 'Sous PCCC usurpés')),
      ],
      cells: (row) => ({ seller_key: row.seller_key, parcels: num(row.parcels), misused: num(row.misused) }),
      chartTitle: text('Sellers by shrunk share of misused codes', '도용 부호 축소 비율 상위 판매자', 'Vendeurs par part réduite de codes usurpés'),
      entityLabel: labels.seller_key,
    });
  },
};
