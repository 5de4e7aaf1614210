import { sql } from 'kysely';
import type { AnalyticalModel, EntityScore } from '../analytical-model.js';
import { limitParameters, limitParcels, type LimitParcel } from './limit-parcels.js';
import { column, commonParameters, labels, num, numberParameter, rankingChart, round, say, text } from './model-kit.js';

interface UsParcel extends LimitParcel {
  lines: unknown;
  foreign_lines: unknown;
  foreign_origins: string | null;
}

const parcelEvidence = text(
  'Sent from the US at USD {usd}, over the USD {limit} limit of other goods, with {foreign} of {lines} line(s) made in {origins}',
  '미국에서 USD {usd}로 발송, 다른 물품 한도 USD {limit} 초과, 품목 {lines}건 중 {foreign}건이 {origins}산',
  'Expédié des États-Unis à {usd} USD, au-dessus du seuil de {limit} USD des autres marchandises, avec {foreign} ligne(s) sur {lines} fabriquée(s) en {origins}',
);
const sellerEvidence = text(
  '{foreign} of {parcels} US-sent parcels carry goods made elsewhere; {benefiting} over USD {limit}',
  '미국발 화물 {parcels}건 중 {foreign}건이 타국산 물품; {benefiting}건이 USD {limit} 초과',
  '{foreign} colis sur {parcels} expédiés des États-Unis portent des marchandises fabriquées ailleurs ; {benefiting} au-dessus de {limit} USD',
);

/**
 * O3 Higher-threshold origin claims: the USD 200 limit is for US goods shipped from the US. Express parcels
 * from the US that are worth more than the general limit and carry lines made elsewhere are flagged, and
 * each US sender (a reshipper or forwarder) is ranked by its share of such parcels.
 */
export const usLimitClaims: AnalyticalModel = {
  id: 'O3',
  version: '1.0.0',
  group: 'origin',
  firstTwelve: false,
  name: text('US USD 200 limit claims', '미국 USD 200 한도 적용 검증', 'Seuil de 200 USD des États-Unis'),
  question: text(
    'Are the parcels that get the US USD 200 list-clearance limit really US goods shipped from the US?',
    '미국 USD 200 목록통관 한도를 받은 화물이 정말 미국에서 발송된 미국산 물품인가?',
    'Les colis qui bénéficient du seuil de 200 USD des États-Unis sont-ils vraiment des marchandises américaines expédiées des États-Unis ?',
  ),
  method: text(
    'Express parcels sent from the US get the higher limit; those worth more than the general limit (so that only the higher one keeps them list-cleared) whose lines declare a non-US origin are flagged. Each US sender is ranked by its share of US-sent parcels carrying goods made elsewhere.',
    '미국발 특송 화물은 높은 한도를 받는다. 일반 한도를 넘어 높은 한도 덕분에만 목록통관되는 화물 가운데 품목 원산지가 미국이 아닌 것을 표시하고, 미국 발송인별로 타국산 물품을 실은 미국발 화물 비율로 순위를 매긴다.',
    'Les colis express expédiés des États-Unis reçoivent le seuil le plus haut ; ceux qui valent plus que le seuil général (seul le plus haut les garde en dédouanement simplifié) et dont les lignes déclarent une origine non américaine sont signalés. Chaque expéditeur américain est classé par sa part de colis portant des marchandises fabriquées ailleurs.',
  ),
  inputs: ['intake_analysis_buyer_parcel', 'intake_analysis_parcel_line', 'clearance_analysis_parcel'],
  parameters: [
    ...limitParameters,
    numberParameter('min_share', text('Seller share cut-off', '판매자 비율 기준값', 'Seuil de part du vendeur'), 0.5, 0, 1),
    commonParameters.minParcels(1),
    commonParameters.limit(),
  ],
  async run(context) {
    const limit = num(context.parameters.limit_usd);
    const parcels = await context.query<UsParcel>(sql`
      select p.*, count(l.line_number) as lines,
        count(l.line_number) filter (where l.origin_country <> 'US') as foreign_lines,
        string_agg(distinct l.origin_country, ', ') filter (where l.origin_country <> 'US') as foreign_origins
      from (${limitParcels(context)}) p
      join intake_analysis_parcel_line l on l.parcel_id = p.parcel_id
      where p.channel = 'express' and p.departure_country = 'US'
      group by p.parcel_id, p.tracking_number, p.seller_key, p.pccc, p.carrier_code, p.channel, p.departure_country,
        p.invoice_number, p.arrival_date, p.goods_price_usd, p.limit_usd
    `);
    context.progress(0.7);
    const flagged = parcels
      .filter((row) => num(row.foreign_lines) > 0 && num(row.goods_price_usd) > limit)
      .map((row) => ({ row, score: round(num(row.foreign_lines) / num(row.lines), 3) }))
      .sort((a, b) => num(b.row.goods_price_usd) - num(a.row.goods_price_usd));
    const bySeller = new Map<string, { parcels: number; foreign: number; benefiting: number }>();
    for (const row of parcels) {
      if (!row.seller_key) continue;
      const entry = bySeller.get(row.seller_key) ?? { parcels: 0, foreign: 0, benefiting: 0 };
      entry.parcels++;
      if (num(row.foreign_lines) > 0) entry.foreign++;
      if (num(row.foreign_lines) > 0 && num(row.goods_price_usd) > limit) entry.benefiting++;
      bySeller.set(row.seller_key, entry);
    }
    const sellers: EntityScore[] = [...bySeller]
      .filter(
        ([, entry]) =>
          entry.benefiting > 0 &&
          entry.parcels >= num(context.parameters.min_parcels) &&
          entry.foreign / entry.parcels >= num(context.parameters.min_share),
      )
      .map(([seller, entry]) => ({
        kind: 'seller' as const,
        key: seller,
        score: round(entry.foreign / entry.parcels, 3),
        evidence: [say(sellerEvidence, { ...entry, limit })],
      }))
      .sort((a, b) => b.score - a.score);
    const parcelEntities: EntityScore[] = flagged.map(({ row, score }) => ({
      kind: 'parcel',
      key: row.tracking_number,
      score,
      evidence: [
        say(parcelEvidence, {
          usd: round(num(row.goods_price_usd), 2),
          limit,
          foreign: num(row.foreign_lines),
          lines: num(row.lines),
          origins: row.foreign_origins ?? '',
        }),
      ],
    }));
    return {
      columns: [
        column('tracking_number', 'entity'),
        column('seller_key', 'entity'),
        column('goods_usd', 'number', text('Goods (USD)', '물품가격(USD)', 'Marchandises (USD)')),
        column('origins', 'text', text('Origins other than US', '미국 외 원산지', 'Origines hors États-Unis')),
      ],
      rows: flagged.slice(0, num(context.parameters.limit)).map(({ row }) => ({
        tracking_number: row.tracking_number,
        seller_key: row.seller_key,
        goods_usd: round(num(row.goods_price_usd), 2),
        origins: row.foreign_origins,
      })),
      entities: [...parcelEntities, ...sellers],
      chart: rankingChart(
        text('US senders by share of goods made elsewhere', '타국산 물품 비율 상위 미국 발송인', 'Expéditeurs américains par part de marchandises d’ailleurs'),
        labels.seller_key,
        sellers,
      ),
      summary: say(
        text(
          '{parcels} express parcels sent from the US; {flagged} over USD {limit} with goods made elsewhere',
          '미국발 특송 화물 {parcels}건; USD {limit} 초과 타국산 {flagged}건',
          '{parcels} colis express expédiés des États-Unis ; {flagged} au-dessus de {limit} USD avec des marchandises d’ailleurs',
        ),
        { parcels: parcels.length, flagged: flagged.length, limit },
      ),
    };
  },
};
