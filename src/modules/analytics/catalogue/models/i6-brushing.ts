import { sql } from 'kysely';
import type { AnalyticalModel, EntityScore } from '../analytical-model.js';
import { column, commonParameters, inPeriod, labels, num, numberParameter, rankingChart, round, say, text } from './model-kit.js';

interface SenderParcel {
  tracking_number: string;
  seller_key: string;
  pccc: string | null;
  net_kg: unknown;
  goods_price_usd: unknown;
  ordered: boolean;
}

const sellerEvidence = text(
  '{unsolicited} of {parcels} parcels to {recipients} recipients with no order, under {floorKg} kg and USD {floorUsd}',
  '화물 {parcels}건 중 {unsolicited}건이 주문 없이 {floorKg}kg·USD {floorUsd} 미만으로 수취인 {recipients}명에게 발송됨',
  '{unsolicited} colis sur {parcels} envoyés sans commande à {recipients} destinataires, sous {floorKg} kg et {floorUsd} USD',
);
const parcelEvidence = text(
  'No order behind it; {grams} g of goods worth USD {usd}, from a sender of {recipients} unordered recipients',
  '주문 없음; 물품 {grams}g, USD {usd}, 주문 없는 수취인 {recipients}명에게 보낸 발송인',
  'Aucune commande derrière ; {grams} g de marchandises valant {usd} USD, d’un expéditeur à {recipients} destinataires sans commande',
);

/**
 * I6 Brushing and unsolicited parcels: a foreign sender that sends token items (a few grams, a dollar or
 * two) with no order behind them to many unrelated people, to create delivery records or fake reviews.
 * Each sender's share of such parcels ranks it; its parcels form the hold list.
 */
export const brushing: AnalyticalModel = {
  id: 'I6',
  version: '1.0.0',
  group: 'identity',
  firstTwelve: false,
  name: text('Brushing and unsolicited parcels', '브러싱·미주문 화물', 'Brushing et colis non sollicités'),
  question: text(
    'Are parcels being sent to people who never ordered them?',
    '주문하지 않은 사람에게 화물이 보내지는가?',
    'Des colis sont-ils envoyés à des personnes qui ne les ont jamais commandés ?',
  ),
  method: text(
    'A parcel is unsolicited-looking when no marketplace order names it and its goods weigh and are worth less than the floors. Senders with enough distinct recipients of such parcels are ranked by their share of them, and those parcels are listed for holding.',
    '오픈마켓 주문이 없고 물품 중량과 가격이 하한 미만인 화물을 미주문 의심 화물로 본다. 그런 화물의 서로 다른 수취인이 충분한 발송인을 그 비율로 순위를 매기고, 해당 화물을 보류 목록으로 낸다.',
    'Un colis a l’air non sollicité quand aucune commande en ligne ne le nomme et que ses marchandises pèsent et valent moins que les planchers. Les expéditeurs ayant assez de destinataires distincts de tels colis sont classés par leur part, et ces colis sont listés pour retenue.',
  ),
  inputs: ['intake_analysis_buyer_parcel', 'intake_analysis_parcel_line', 'intake_analysis_order_payment', 'clearance_analysis_parcel'],
  parameters: [
    numberParameter('weight_floor_kg', text('Weight floor (kg of goods)', '중량 하한(물품 kg)', 'Plancher de poids (kg de marchandises)'), 0.1, 0.001, 10),
    numberParameter('value_floor_usd', text('Value floor (USD)', '가격 하한(USD)', 'Plancher de valeur (USD)'), 5, 0, 1000),
    numberParameter('min_recipients', text('Recipients per sender at least', '발송인별 최소 수취인 수', 'Destinataires par expéditeur au moins'), 3, 1, 1000, 'integer'),
    commonParameters.minScore(0.5, 1),
    commonParameters.limit(),
  ],
  async run(context) {
    const floorKg = num(context.parameters.weight_floor_kg);
    const floorUsd = num(context.parameters.value_floor_usd);
    const parcels = await context.query<SenderParcel>(sql`
      select b.tracking_number, b.seller_key, b.pccc, coalesce(l.net_kg, b.gross_mass_kg) as net_kg, c.goods_price_usd,
        exists (select 1 from intake_analysis_order_payment o where o.tracking_number = b.tracking_number) as ordered
      from intake_analysis_buyer_parcel b
      join clearance_analysis_parcel c on c.parcel_id = b.parcel_id
      left join lateral (
        select sum(net_mass_kg) as net_kg from intake_analysis_parcel_line where parcel_id = b.parcel_id
      ) l on true
      where ${inPeriod('b.arrival_date', context)} and b.seller_key is not null
    `);
    context.progress(0.7);
    const unsolicited = (row: SenderParcel) =>
      !row.ordered && num(row.net_kg) < floorKg && num(row.goods_price_usd) < floorUsd;
    const bySeller = new Map<string, SenderParcel[]>();
    for (const row of parcels) bySeller.set(row.seller_key, [...(bySeller.get(row.seller_key) ?? []), row]);
    const sellers: (EntityScore & { parcels: SenderParcel[]; recipients: number; total: number })[] = [];
    for (const [seller, own] of bySeller) {
      const suspect = own.filter(unsolicited);
      const recipients = new Set(suspect.map((row) => row.pccc)).size;
      if (recipients < num(context.parameters.min_recipients)) continue;
      const score = round(suspect.length / own.length, 3);
      if (score < num(context.parameters.min_score)) continue;
      sellers.push({
        kind: 'seller',
        key: seller,
        score,
        evidence: [say(sellerEvidence, { unsolicited: suspect.length, parcels: own.length, recipients, floorKg, floorUsd })],
        parcels: suspect,
        recipients,
        total: own.length,
      });
    }
    sellers.sort((a, b) => b.score - a.score);
    const holdList: EntityScore[] = sellers.flatMap((seller) =>
      seller.parcels.map((row) => ({
        kind: 'parcel' as const,
        key: row.tracking_number,
        score: seller.score,
        evidence: [
          say(parcelEvidence, {
            grams: Math.round(num(row.net_kg) * 1000),
            usd: round(num(row.goods_price_usd), 2),
            recipients: seller.recipients,
          }),
        ],
      })),
    );
    return {
      columns: [
        column('seller_key', 'entity'),
        column('parcels', 'number'),
        column('unsolicited', 'number', text('Unordered token parcels', '미주문 소액 화물', 'Colis symboliques sans commande')),
        column('recipients', 'number', text('Recipients', '수취인', 'Destinataires')),
        column('score', 'number'),
      ],
      rows: sellers.slice(0, num(context.parameters.limit)).map((seller) => ({
        seller_key: seller.key,
        parcels: seller.total,
        unsolicited: seller.parcels.length,
        recipients: seller.recipients,
        score: seller.score,
      })),
      entities: [...sellers.map(({ kind, key, score, evidence }) => ({ kind, key, score, evidence })), ...holdList],
      chart: rankingChart(
        text('Senders by share of unordered token parcels', '미주문 소액 화물 비율 상위 발송인', 'Expéditeurs par part de colis symboliques sans commande'),
        labels.seller_key,
        sellers,
      ),
      summary: say(
        text('{parcels} parcels; {sellers} senders flagged; {held} parcels on the hold list', '화물 {parcels}건; 발송인 {sellers}명 표시; 보류 목록 {held}건', '{parcels} colis ; {sellers} expéditeurs signalés ; {held} colis à retenir'),
        { parcels: parcels.length, sellers: sellers.length, held: holdList.length },
      ),
    };
  },
};
