import { sql } from 'kysely';
import type { AnalyticalModel } from '../analytical-model.js';
import { column, commonParameters, inPeriod, num, numberParameter, rankingResult, text } from './model-kit.js';

interface Hub {
  key: string;
  source: 'consignee_address' | 'consignee_phone' | 'delivery_address';
  pcccs: unknown;
  names: unknown;
  parcels: unknown;
  first_day: string;
  last_day: string;
}

const sourceText = {
  consignee_address: text('consignee address', '수하인 주소', 'adresse du destinataire'),
  consignee_phone: text('consignee phone', '수하인 전화', 'téléphone du destinataire'),
  delivery_address: text('final delivery address (orders)', '최종 배송지(주문)', 'adresse de livraison finale (commandes)'),
} as const;

/**
 * N4 Address and phone hubs: one address or phone that many different buyers' parcels go to, a
 * purchasing agent's drop point or a nominee network's mailbox. Addresses and phones are the views'
 * digests of their normalised form, so that a hub is found without any view showing where it is.
 */
export const addressPhoneHubs: AnalyticalModel = {
  id: 'N4',
  version: '1.0.0',
  group: 'parties',
  firstTwelve: false,
  name: text('Address and phone hubs', '주소·전화번호 허브', 'Adresses et téléphones carrefours'),
  question: text(
    'Which delivery addresses or phones serve unusually many buyers?',
    '어떤 배송지나 전화번호가 비정상적으로 많은 구매자에게 쓰이는가?',
    'Quelles adresses de livraison ou quels téléphones servent un nombre inhabituel d’acheteurs ?',
  ),
  method: text(
    'For each consignee address, consignee phone and final delivery address of the orders, the distinct PCCCs and names behind its parcels in the period are counted. Those reaching the degree cut-off are ranked by their number of distinct PCCCs, with their parcels and the days they were used.',
    '수하인 주소, 수하인 전화번호, 주문의 최종 배송지마다 기간 중 화물 뒤의 서로 다른 개인통관고유부호와 성명 수를 센다. 기준 차수에 이른 것을 서로 다른 부호 수로 순위를 매기고, 화물 수와 사용 기간을 함께 보인다.',
    'Pour chaque adresse et téléphone de destinataire et chaque adresse de livraison finale des commandes, les PCCC et noms distincts derrière ses colis de la période sont comptés. Ceux qui atteignent le seuil de degré sont classés par nombre de PCCC distincts, avec leurs colis et les jours d’usage.',
  ),
  inputs: ['intake_analysis_buyer_parcel', 'intake_analysis_order_payment'],
  parameters: [
    numberParameter('min_degree', text('Distinct PCCCs at least', '최소 서로 다른 부호 수', 'PCCC distincts au moins'), 3, 2, 10_000, 'integer'),
    commonParameters.limit(),
  ],
  async run(context) {
    const minDegree = num(context.parameters.min_degree);
    // md5('') is the digest of a missing value: never a hub.
    const hubs = await context.query<Hub>(sql`
      with period as (
        select b.*, o.deliver_to_key from intake_analysis_buyer_parcel b
        left join intake_analysis_order_payment o on o.tracking_number = b.tracking_number
        where ${inPeriod('b.arrival_date', context)} and b.pccc is not null
      ),
      uses as (
        select consignee_address_key as key, 'consignee_address' as source, pccc, consignee_name_key, tracking_number, arrival_date from period
        union all
        select consignee_phone_key, 'consignee_phone', pccc, consignee_name_key, tracking_number, arrival_date from period
        union all
        select deliver_to_key, 'delivery_address', pccc, consignee_name_key, tracking_number, arrival_date from period
        where deliver_to_key is not null
      )
      select key, source, count(distinct pccc) as pcccs, count(distinct consignee_name_key) as names,
        count(distinct tracking_number) as parcels, cast(min(arrival_date) as text) as first_day,
        cast(max(arrival_date) as text) as last_day
      from uses where key <> md5('')
      group by key, source having count(distinct pccc) >= ${minDegree}
    `);
    return rankingResult({
      rows: hubs,
      kind: 'address',
      key: (row) => row.key,
      score: (row) => num(row.pcccs),
      minScore: minDegree,
      limit: num(context.parameters.limit),
      evidence: text(
        '{pcccs} PCCCs and {names} names on {parcels} parcels to one {source_en}, {first_day} to {last_day}',
        '하나의 {source_ko}로 {first_day}~{last_day} 화물 {parcels}건, 부호 {pcccs}개, 성명 {names}개',
        '{pcccs} PCCC et {names} noms sur {parcels} colis vers une même {source_fr}, du {first_day} au {last_day}',
      ),
      columns: [
        column('key', 'entity', text('Address or phone (digest)', '주소·전화(해시)', 'Adresse ou téléphone (empreinte)')),
        column('source', 'text', text('Kind', '구분', 'Type')),
        column('pcccs', 'number', text('Distinct PCCCs', '서로 다른 부호', 'PCCC distincts')),
        column('names', 'number', text('Distinct names', '서로 다른 성명', 'Noms distincts')),
        column('parcels', 'number'),
      ],
      cells: (row) => ({
        key: row.key,
        source: row.source,
        source_en: sourceText[row.source].en,
        source_ko: sourceText[row.source].ko,
        source_fr: sourceText[row.source].fr,
        pcccs: num(row.pcccs),
        names: num(row.names),
        parcels: num(row.parcels),
        first_day: row.first_day,
        last_day: row.last_day,
      }),
      chartTitle: text('Hubs by distinct PCCCs', '서로 다른 부호 수 상위 허브', 'Carrefours par PCCC distincts'),
      entityLabel: text('Address or phone', '주소·전화', 'Adresse ou téléphone'),
    });
  },
};
