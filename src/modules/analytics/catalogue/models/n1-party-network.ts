import { sql } from 'kysely';
import type { AnalyticalModel } from '../analytical-model.js';
import { connectedGroups } from './connected-groups.js';
import { column, commonParameters, inPeriod, labels, num, rankingResult, text } from './model-kit.js';

interface SellerLink {
  seller_key: string;
  seller_phone_key: string;
  seller_address_key: string;
  buyers: unknown;
  parcels: unknown;
}

/**
 * N1 ★ Party network: sellers that share a phone or a sender address are one party behind several seller
 * ids; the communities (connected components of that graph) are ranked by their number of sellers.
 */
export const partyNetwork: AnalyticalModel = {
  id: 'N1',
  version: '1.0.0',
  group: 'parties',
  firstTwelve: true,
  name: text('Party network and communities', '당사자 네트워크 및 커뮤니티', 'Réseau des parties et communautés'),
  question: text(
    'Which sellers form a ring behind different seller ids?',
    '어떤 판매자들이 서로 다른 판매자 ID 뒤에서 하나의 조직을 이루는가?',
    'Quels vendeurs forment un réseau derrière des identifiants différents ?',
  ),
  method: text(
    'Sellers are linked when their parcels carry the same sender phone or sender address (normalised keys), and the connected communities of that graph are found. Communities with at least the minimum number of sellers are listed with their buyers and parcels, every member scored by its community’s size.',
    '발송 화물의 발송인 전화번호나 주소(정규화 키)가 같은 판매자를 연결하고, 그래프의 연결 커뮤니티를 찾는다. 최소 판매자 수 이상인 커뮤니티를 구매자·화물 수와 함께 표시하고, 각 구성원은 커뮤니티 크기로 점수를 받는다.',
    "Les vendeurs sont reliés quand leurs colis portent le même téléphone ou la même adresse d'expéditeur (clés normalisées), et les communautés connexes de ce graphe sont trouvées. Les communautés d'au moins le nombre minimal de vendeurs sont listées avec leurs acheteurs et colis, chaque membre noté par la taille de sa communauté.",
  ),
  inputs: ['intake_analysis_buyer_parcel'],
  parameters: [commonParameters.minScore(2, 1000), commonParameters.limit()],
  async run(context) {
    const links = await context.query<SellerLink>(sql`
      select seller_key, seller_phone_key, seller_address_key,
        count(distinct pccc) as buyers, count(*) as parcels
      from intake_analysis_buyer_parcel
      where seller_key is not null and ${inPeriod('arrival_date', context)}
      group by seller_key, seller_phone_key, seller_address_key
    `);
    const groups = connectedGroups(
      links.map((link) => [link.seller_key, [`phone:${link.seller_phone_key}`, `address:${link.seller_address_key}`]]),
    );
    // Each community's parcels and buyers summed once (a community is one Set, shared by its members).
    const totals = new Map<Set<string>, { parcels: number; buyers: number }>();
    for (const link of links) {
      const group = groups.get(link.seller_key)!;
      const total = totals.get(group) ?? { parcels: 0, buyers: 0 };
      total.parcels += num(link.parcels);
      total.buyers += num(link.buyers);
      totals.set(group, total);
    }
    const members = [...new Set(links.map((link) => link.seller_key))].map((seller) => {
      const group = groups.get(seller)!;
      return {
        seller,
        sellers: group.size,
        ...totals.get(group)!,
        others: [...group].filter((other) => other !== seller).slice(0, 5).join(', '),
      };
    });
    return rankingResult({
      rows: members,
      kind: 'seller',
      key: (member) => member.seller,
      score: (member) => member.sellers,
      minScore: num(context.parameters.min_score),
      limit: num(context.parameters.limit),
      evidence: text(
        'Shares a phone or address with {sellers} seller ids ({others}); {parcels} parcels to {buyers} buyers',
        '판매자 ID {sellers}개({others})와 전화번호 또는 주소 공유; 구매자 {buyers}명에게 화물 {parcels}건',
        'Partage un téléphone ou une adresse avec {sellers} identifiants ({others}) ; {parcels} colis pour {buyers} acheteurs',
      ),
      columns: [
        column('seller', 'entity', labels.seller_key),
        column('sellers', 'number', text('Sellers in community', '커뮤니티 판매자 수', 'Vendeurs de la communauté')),
        column('others', 'text', text('Linked sellers', '연결 판매자', 'Vendeurs liés')),
        column('parcels', 'number'),
        column('buyers', 'number', text('Buyers', '구매자 수', 'Acheteurs')),
      ],
      cells: (member) => member,
      chartTitle: text('Sellers by size of their community', '커뮤니티 크기별 판매자', 'Vendeurs par taille de communauté'),
      entityLabel: labels.seller_key,
    });
  },
};
