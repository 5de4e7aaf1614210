import type { AnalyticalModel, EntityScore } from '../analytical-model.js';
import { limitParameters, limitParcels, type LimitParcel } from './limit-parcels.js';
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

const entityEvidence = text(
  '{inBand} of {n} parcels declared in the last {bandPercent}% under the limit, against {expected} expected (binomial z {z})',
  '화물 {n}건 중 {inBand}건이 한도 바로 아래 {bandPercent}% 구간에 신고됨, 기대값 {expected}건(이항 z {z})',
  '{inBand} colis sur {n} déclarés dans les derniers {bandPercent} % sous le seuil, pour {expected} attendus (z binomial {z})',
);

/**
 * V4 Threshold bunching: declared values that pile up just under the list-clearance limit. Each seller's
 * and carrier's share of parcels in [(1 − band)·T, T) is set against the whole period's share with a
 * binomial z, so that a seller ranks by how far its own pile-up exceeds chance, not by its size.
 */
export const thresholdBunching: AnalyticalModel = {
  id: 'V4',
  version: '1.0.0',
  group: 'valuation',
  firstTwelve: false,
  name: text('Threshold bunching', '한도 직하 신고 집중', 'Accumulation sous le seuil'),
  question: text(
    'Do declared values pile up just under the list-clearance limit, overall and per seller or carrier?',
    '신고가격이 목록통관 한도 바로 아래에 몰리는가? 전체와 판매자·운송사별로 본다.',
    'Les valeurs déclarées s’accumulent-elles juste sous le seuil, au total et par vendeur ou transporteur ?',
  ),
  method: text(
    'Each parcel’s goods price in dollars is divided by the limit that applies to it (USD 200 for express from the US, USD 150 otherwise), and the share of the period in the band just under 1 is the expected rate. Each seller and carrier with enough parcels gets the binomial z of its own count in the band; zero and one-dollar values are counted apart.',
    '각 화물의 달러 물품가격을 적용 한도(미국발 특송 USD 200, 그 밖 USD 150)로 나누고, 기간 전체에서 1 바로 아래 구간에 든 비율을 기대율로 삼는다. 화물이 충분한 판매자·운송사마다 그 구간 건수의 이항 z를 구하며, 0달러와 1달러 신고는 따로 센다.',
    'Le prix des marchandises de chaque colis en dollars est divisé par le seuil qui s’y applique (200 USD pour l’express des États-Unis, 150 USD sinon), et la part de la période dans la bande juste sous 1 est le taux attendu. Chaque vendeur et transporteur ayant assez de colis reçoit le z binomial de son propre compte dans la bande ; les valeurs de zéro et un dollar sont comptées à part.',
  ),
  inputs: ['intake_analysis_buyer_parcel', 'clearance_analysis_parcel'],
  parameters: [
    ...limitParameters,
    numberParameter('band', text('Band under the limit (share)', '한도 아래 구간(비율)', 'Bande sous le seuil (part)'), 0.1, 0.01, 0.5),
    commonParameters.minParcels(3),
    numberParameter('z_cutoff', text('Binomial z cut-off', '이항 z 기준값', 'Seuil du z binomial'), 3, 0, 50),
    commonParameters.limit(),
  ],
  async run(context) {
    const band = num(context.parameters.band);
    const minParcels = num(context.parameters.min_parcels);
    const zCutoff = num(context.parameters.z_cutoff);
    const parcels = (await context.query<LimitParcel>(limitParcels(context))).map((row) => {
      const ratio = num(row.goods_price_usd) / num(row.limit_usd);
      return { ...row, ratio, inBand: ratio >= 1 - band && ratio < 1 };
    });
    context.progress(0.7);
    const rate = parcels.filter((row) => row.inBand).length / Math.max(1, parcels.length);

    const entities: EntityScore[] = [];
    const table: Record<string, string | number>[] = [];
    for (const [kind, keyOf] of [
      ['seller', (row: LimitParcel) => row.seller_key],
      ['carrier', (row: LimitParcel) => row.carrier_code],
    ] as const) {
      const counts = new Map<string, { n: number; inBand: number }>();
      for (const row of parcels) {
        const key = keyOf(row);
        if (!key) continue;
        const count = counts.get(key) ?? { n: 0, inBand: 0 };
        count.n++;
        if (row.inBand) count.inBand++;
        counts.set(key, count);
      }
      for (const [key, count] of counts) {
        if (count.n < minParcels || count.inBand === 0) continue;
        const expected = count.n * rate;
        const z = (count.inBand - expected) / Math.sqrt(Math.max(expected * (1 - rate), 1e-9));
        if (z < zCutoff) continue;
        const figures = {
          inBand: count.inBand,
          n: count.n,
          bandPercent: Math.round(band * 100),
          expected: round(expected, 1),
          z: round(z, 1),
        };
        entities.push({ kind, key, score: round(z, 3), evidence: [say(entityEvidence, figures)] });
        table.push({ entity: key, kind, parcels: count.n, in_band: count.inBand, expected: round(expected, 2), z: round(z, 2) });
      }
    }
    entities.sort((a, b) => b.score - a.score);
    table.sort((a, b) => Number(b.z) - Number(a.z));
    const tokenValues = parcels.filter((row) => num(row.goods_price_usd) <= 1).length;
    return {
      columns: [
        column('entity', 'entity', text('Seller or carrier', '판매자 또는 운송사', 'Vendeur ou transporteur')),
        column('kind', 'text', text('Kind', '구분', 'Type')),
        column('parcels', 'number'),
        column('in_band', 'number', text('In the band', '구간 내', 'Dans la bande')),
        column('expected', 'number', text('Expected', '기대값', 'Attendus')),
        column('z', 'number', text('Binomial z', '이항 z', 'z binomial')),
      ],
      rows: table.slice(0, num(context.parameters.limit)),
      entities,
      chart: {
        kind: 'histogram',
        title: text('Goods price / limit, all parcels', '물품가격/한도 분포', 'Prix des marchandises / seuil, tous les colis'),
        x: { key: 'ratio', label: text('Goods price / limit', '물품가격/한도', 'Prix / seuil') },
        y: { key: 'parcels', label: labels.parcels },
        points: histogramPoints(
          parcels.map((row) => row.ratio),
          0,
          0.05,
          40,
        ),
      },
      summary: say(
        text(
          '{n} parcels; {percent}% in the band under the limit; {tokens} declared at one dollar or less',
          '화물 {n}건; 한도 아래 구간 {percent}%; 1달러 이하 신고 {tokens}건',
          '{n} colis ; {percent} % dans la bande sous le seuil ; {tokens} déclarés à un dollar ou moins',
        ),
        { n: parcels.length, percent: round(rate * 100, 1), tokens: tokenValues },
      ),
    };
  },
};
