import { sql } from 'kysely';
import type { AnalyticalModel, EntityScore } from '../analytical-model.js';
import { column, commonParameters, inPeriod, labels, num, numberParameter, rankingChart, round, say, text } from './model-kit.js';

interface SenderGifts {
  seller_key: string;
  parcels: unknown;
  gifts: unknown;
  recipients: unknown;
  paid_gifts: unknown;
}

interface GiftParcel {
  tracking_number: string;
  seller_key: string;
  category: string;
  paid_krw: unknown;
}

const sellerEvidence = text(
  '{gifts} of {parcels} parcels declared as gifts or samples, to {recipients} recipients; {paidGifts} of them paid for as orders',
  '화물 {parcels}건 중 {gifts}건을 선물·견본으로 신고, 수취인 {recipients}명; 그중 {paidGifts}건은 주문으로 결제됨',
  '{gifts} colis sur {parcels} déclarés cadeaux ou échantillons, à {recipients} destinataires ; {paidGifts} payés comme commandes',
);
const parcelEvidence = {
  gift: text(
    'Declared as a gift by a marketplace seller; the buyer paid KRW {paid} for it',
    '오픈마켓 판매자가 선물로 신고; 구매자가 {paid}원을 결제함',
    'Déclaré cadeau par un vendeur en ligne ; l’acheteur l’a payé {paid} KRW',
  ),
  commercial_sample: text(
    'Declared as a commercial sample by a marketplace seller; the buyer paid KRW {paid} for it',
    '오픈마켓 판매자가 상업용 견본으로 신고; 구매자가 {paid}원을 결제함',
    'Déclaré échantillon commercial par un vendeur en ligne ; l’acheteur l’a payé {paid} KRW',
  ),
};

/**
 * S3 Gift and sample misdeclaration: a gift is sent by a person, not sold. Parcels declared as gifts or
 * commercial samples that carry a paid marketplace order are flagged, and each sender is ranked by its
 * share of gifts when it "gives" to several unrelated recipients.
 */
export const giftMisdeclaration: AnalyticalModel = {
  id: 'S3',
  version: '1.0.0',
  group: 'splitting',
  firstTwelve: false,
  name: text('Gift and sample misdeclaration', '선물·견본 위장 신고', 'Fausse déclaration de cadeau ou d’échantillon'),
  question: text(
    'Are commercial goods declared as gifts or samples to get relief?',
    '상업용 물품을 감면받으려고 선물이나 견본으로 신고하는가?',
    'Des marchandises commerciales sont-elles déclarées cadeaux ou échantillons pour obtenir une franchise ?',
  ),
  method: text(
    'Parcels whose declared category is gift or commercial sample are counted per sender with their distinct recipients and the ones paid for as marketplace orders. A sender is flagged when its gift share and recipients reach the cut-offs, and each gift with a paid order is listed as a flagged item.',
    '신고 분류가 선물이나 상업용 견본인 화물을 발송인별로 세고, 서로 다른 수취인 수와 오픈마켓 주문으로 결제된 건수를 함께 센다. 선물 비율과 수취인 수가 기준에 이르면 발송인을 표시하고, 결제 주문이 있는 선물은 화물별로 표시한다.',
    'Les colis dont la catégorie déclarée est cadeau ou échantillon commercial sont comptés par expéditeur avec leurs destinataires distincts et ceux payés comme commandes en ligne. Un expéditeur est signalé quand sa part de cadeaux et ses destinataires atteignent les seuils, et chaque cadeau avec une commande payée est listé.',
  ),
  inputs: ['intake_analysis_buyer_parcel', 'intake_analysis_order_payment'],
  parameters: [
    numberParameter('min_share', text('Gift share cut-off', '선물 비율 기준값', 'Seuil de part de cadeaux'), 0.5, 0, 1),
    numberParameter('min_recipients', text('Recipients per sender at least', '발송인별 최소 수취인 수', 'Destinataires par expéditeur au moins'), 3, 1, 1000, 'integer'),
    commonParameters.limit(),
  ],
  async run(context) {
    const period = sql`
      select b.tracking_number, b.seller_key, b.pccc, b.category, o.paid_krw
      from intake_analysis_buyer_parcel b
      left join intake_analysis_order_payment o on o.tracking_number = b.tracking_number
      where ${inPeriod('b.arrival_date', context)} and b.seller_key is not null
    `;
    const senders = await context.query<SenderGifts>(sql`
      select seller_key, count(*) as parcels,
        count(*) filter (where category in ('gift', 'commercial_sample')) as gifts,
        count(distinct pccc) filter (where category in ('gift', 'commercial_sample')) as recipients,
        count(*) filter (where category in ('gift', 'commercial_sample') and paid_krw > 0) as paid_gifts
      from (${period}) p group by seller_key
      having count(*) filter (where category in ('gift', 'commercial_sample')) > 0
    `);
    const gifts = await context.query<GiftParcel>(sql`
      select tracking_number, seller_key, category, paid_krw from (${period}) p
      where category in ('gift', 'commercial_sample') and paid_krw > 0
    `);
    context.progress(0.8);
    const sellers: EntityScore[] = senders
      .map((row) => ({ row, share: num(row.gifts) / num(row.parcels) }))
      .filter(
        ({ row, share }) =>
          share >= num(context.parameters.min_share) &&
          num(row.recipients) >= num(context.parameters.min_recipients),
      )
      .map(({ row, share }) => ({
        kind: 'seller' as const,
        key: row.seller_key,
        score: round(share, 3),
        evidence: [
          say(sellerEvidence, {
            gifts: num(row.gifts),
            parcels: num(row.parcels),
            recipients: num(row.recipients),
            paidGifts: num(row.paid_gifts),
          }),
        ],
      }))
      .sort((a, b) => b.score - a.score);
    const parcels: EntityScore[] = gifts.map((row) => ({
      kind: 'parcel' as const,
      key: row.tracking_number,
      score: 1,
      evidence: [
        say(parcelEvidence[row.category === 'gift' ? 'gift' : 'commercial_sample'], {
          paid: Math.round(num(row.paid_krw)),
        }),
      ],
    }));
    return {
      columns: [
        column('seller_key', 'entity'),
        column('parcels', 'number'),
        column('gifts', 'number', text('Gifts and samples', '선물·견본', 'Cadeaux et échantillons')),
        column('recipients', 'number', text('Recipients', '수취인', 'Destinataires')),
        column('paid_gifts', 'number', text('Paid as orders', '주문 결제', 'Payés comme commandes')),
        column('share', 'percent'),
      ],
      rows: senders
        .map((row) => ({
          seller_key: row.seller_key,
          parcels: num(row.parcels),
          gifts: num(row.gifts),
          recipients: num(row.recipients),
          paid_gifts: num(row.paid_gifts),
          share: round(num(row.gifts) / num(row.parcels), 3),
        }))
        .sort((a, b) => b.share - a.share || b.gifts - a.gifts)
        .slice(0, num(context.parameters.limit)),
      entities: [...sellers, ...parcels],
      chart: rankingChart(
        text('Senders by share of gifts and samples', '선물·견본 비율 상위 발송인', 'Expéditeurs par part de cadeaux et d’échantillons'),
        labels.seller_key,
        sellers,
      ),
      summary: say(
        text(
          '{senders} senders declared gifts or samples; {flagged} above the cut-offs; {paid} gifts were paid for as orders',
          '선물·견본을 신고한 발송인 {senders}명; 기준 초과 {flagged}명; 주문으로 결제된 선물 {paid}건',
          '{senders} expéditeurs ont déclaré des cadeaux ou échantillons ; {flagged} au-dessus des seuils ; {paid} cadeaux payés comme commandes',
        ),
        { senders: senders.length, flagged: sellers.length, paid: gifts.length },
      ),
    };
  },
};
