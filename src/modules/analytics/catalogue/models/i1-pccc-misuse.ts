import { sql } from 'kysely';
import type { AnalyticalModel, EntityScore } from '../analytical-model.js';
import {
  column,
  commonParameters,
  inPeriod,
  labels,
  num,
  numberParameter,
  rankingChart,
  say,
  text,
} from './model-kit.js';

interface PcccUse {
  pccc: string;
  parcels: unknown;
  names: unknown;
  phones: unknown;
  addresses: unknown;
  seller_countries: unknown;
  sellers: unknown;
  first_day: string;
  last_day: string;
}

const identityLabels = {
  names: text('Names', '성명 수', 'Noms'),
  phones: text('Phones', '전화번호 수', 'Téléphones'),
  addresses: text('Addresses', '주소 수', 'Adresses'),
};

/**
 * I1 ★ PCCC misuse: a code used under several names, phones or addresses in one period is being used by
 * someone other than its holder. Names weigh most (a holder may move or change phone; a holder does not
 * change name between parcels), and sellers from several countries add a novelty point.
 */
export const pcccMisuse: AnalyticalModel = {
  id: 'I1',
  version: '1.0.1',
  group: 'identity',
  firstTwelve: true,
  name: text('PCCC misuse anomaly', '개인통관고유부호 도용 이상징후', 'Usage abusif du PCCC'),
  question: text(
    'Is this PCCC being used by someone other than its holder?',
    '이 개인통관고유부호를 명의자가 아닌 다른 사람이 사용하고 있는가?',
    "Ce PCCC est-il utilisé par quelqu'un d'autre que son titulaire ?",
  ),
  method: text(
    'For each PCCC used in the period, the parcels are compared on the consignee name, phone and address (normalised keys) and on the sellers’ countries. The score weighs extra names twice, extra phones, addresses and seller countries once, and codes at or above the cut-off are listed with their figures.',
    '기간 중 사용된 개인통관고유부호마다 화물의 수하인 성명·전화번호·주소(정규화 키)와 판매자 국가를 비교한다. 추가 성명은 2점, 추가 전화번호·주소·판매자 국가는 1점으로 점수를 매기고 기준 이상인 부호를 수치와 함께 표시한다.',
    "Pour chaque PCCC utilisé sur la période, les colis sont comparés sur le nom, le téléphone et l'adresse du destinataire (clés normalisées) et sur le pays des vendeurs. Le score compte double les noms supplémentaires, simple les téléphones, adresses et pays de vendeurs supplémentaires, et les codes au-dessus du seuil sont listés avec leurs chiffres.",
  ),
  inputs: ['intake_analysis_buyer_parcel'],
  parameters: [
    commonParameters.minScore(3, 50),
    numberParameter(
      'name_weight',
      text('Weight of each extra name', '추가 성명 가중치', 'Poids de chaque nom supplémentaire'),
      2,
      0,
      10,
    ),
    commonParameters.limit(),
  ],
  async run(context) {
    const nameWeight = num(context.parameters.name_weight);
    const period = sql`
      select pccc, consignee_name_key, consignee_phone_key, consignee_address_key, seller_country, seller_key,
        arrival_date
      from intake_analysis_buyer_parcel
      where pccc is not null and ${inPeriod('arrival_date', context)}`;
    // Two distinct values exist exactly when the smallest differs from the largest, which a hash
    // aggregate finds in one pass (compared bytewise: the database's collation would call strcoll on
    // every row, and only inequality matters here); the costly distinct counts then run on those codes'
    // parcels only, read by a second scan that keeps them through a hash of the codes (an index probe
    // per code would read the table's pages at random), and the score is applied by the engine so only
    // the codes at the cut-off come back.
    const differs = (column: string) =>
      sql`min(${sql.ref(column)} collate "C") <> max(${sql.ref(column)} collate "C")`;
    const rows = await context.query<PcccUse & { level: 'pccc' | 'varied' }>(sql`
      with uses as (
        select pccc, count(*) as parcels,
          count(distinct consignee_name_key) as names,
          count(distinct consignee_phone_key) as phones,
          count(distinct consignee_address_key) as addresses,
          count(distinct seller_country) as seller_countries,
          count(distinct seller_key) as sellers,
          cast(min(arrival_date) as text) as first_day,
          cast(max(arrival_date) as text) as last_day
        from (${period}) parcels
        where pccc in (
          select pccc from (${period}) all_parcels
          group by pccc
          having ${differs('consignee_name_key')} or ${differs('consignee_phone_key')}
            or ${differs('consignee_address_key')}
        )
        group by pccc
      )
      select 'pccc' as level, uses.* from uses
      where ${nameWeight} * (names - 1) + (phones - 1) + (addresses - 1) + (seller_countries - 1)
        >= ${num(context.parameters.min_score)}
      union all
      select 'varied', null, count(*), null, null, null, null, null, null, null from uses
    `);
    context.progress(0.8);
    const varied = num(rows.find((row) => row.level === 'varied')?.parcels);
    const scored = rows
      .filter((row) => row.level === 'pccc')
      .map((use) => {
        const [names, phones, addresses, countries] = [use.names, use.phones, use.addresses, use.seller_countries].map(num);
        const score = nameWeight * (names! - 1) + (phones! - 1) + (addresses! - 1) + (countries! - 1);
        return { ...use, names: names!, phones: phones!, addresses: addresses!, parcels: num(use.parcels), score };
      })
      .sort((a, b) => b.score - a.score || a.pccc.localeCompare(b.pccc));
    const entities: EntityScore[] = scored.map((use) => ({
      kind: 'pccc',
      key: use.pccc,
      score: use.score,
      evidence: [
        say(
          text(
            '{names} names, {phones} phones and {addresses} addresses on {parcels} parcels from {first} to {last}',
            '{first}~{last} 화물 {parcels}건에 성명 {names}개, 전화번호 {phones}개, 주소 {addresses}개',
            '{names} noms, {phones} téléphones et {addresses} adresses sur {parcels} colis du {first} au {last}',
          ),
          { ...use, first: use.first_day, last: use.last_day },
        ),
      ],
    }));
    return {
      columns: [
        column('pccc', 'entity'),
        column('parcels', 'number'),
        column('names', 'number', identityLabels.names),
        column('phones', 'number', identityLabels.phones),
        column('addresses', 'number', identityLabels.addresses),
        column('score', 'number'),
      ],
      rows: scored.slice(0, num(context.parameters.limit)).map((use) => ({
        pccc: use.pccc,
        parcels: use.parcels,
        names: use.names,
        phones: use.phones,
        addresses: use.addresses,
        score: use.score,
      })),
      entities,
      chart: rankingChart(
        text('PCCCs by misuse score', '도용 점수 상위 부호', 'PCCC par score d’usage abusif'),
        labels.pccc,
        entities,
      ),
      summary: say(
        text(
          '{varied} codes show more than one identity; {flagged} reach the cut-off',
          '둘 이상의 신원이 나타난 부호 {varied}개; 기준 도달 {flagged}개',
          '{varied} codes montrent plus d’une identité ; {flagged} atteignent le seuil',
        ),
        { varied, flagged: scored.length },
      ),
    };
  },
};
