import { sql } from 'kysely';
import type { AnalyticalModel, EntityScore } from '../analytical-model.js';
import { connectedGroups } from './connected-groups.js';
import { column, inPeriod, labels, num, numberParameter, rankingResult, round, text, commonParameters } from './model-kit.js';

interface PartyRecord {
  id: string;
  first_key: string | null;
  second_key: string | null;
  parcels: unknown;
}

/**
 * How the records of each kind of party are keyed: sellers by sender phone and address; buyers (PCCCs) by
 * consignee name with phone, and name with address, so that one person under several codes is one entity.
 * Empty values hash to md5(''), which would link strangers, so they never count as a shared key.
 */
const recordQueries = {
  seller: (context: Parameters<AnalyticalModel['run']>[0]) => sql<PartyRecord>`
    select seller_key as id, nullif(seller_phone_key, md5('')) as first_key,
      nullif(seller_address_key, md5('')) as second_key, count(*) as parcels
    from intake_analysis_buyer_parcel
    where seller_key is not null and ${inPeriod('arrival_date', context)}
    group by 1, 2, 3`,
  buyer: (context: Parameters<AnalyticalModel['run']>[0]) => sql<PartyRecord>`
    select pccc as id,
      case when consignee_phone_key <> md5('') then consignee_name_key || ':' || consignee_phone_key end as first_key,
      case when consignee_address_key <> md5('') then consignee_name_key || ':' || consignee_address_key end as second_key,
      count(*) as parcels
    from intake_analysis_buyer_parcel
    where pccc is not null and consignee_name_key <> md5('') and ${inPeriod('arrival_date', context)}
    group by 1, 2, 3`,
};

/**
 * I5 Entity resolution: party ids (seller ids, PCCCs) that share contact keys are one entity with a
 * canonical id; the confidence grows with the kinds of key that link a record to the others.
 */
export const entityResolution: AnalyticalModel = {
  id: 'I5',
  version: '1.0.0',
  group: 'identity',
  firstTwelve: false,
  name: text('Entity resolution', '개체 식별 통합', 'Résolution des entités'),
  question: text(
    'Which seller ids or buyer codes belong to the same party, and how sure is that?',
    '어떤 판매자 ID나 구매자 부호가 같은 당사자에 속하며, 그 확신은 어느 정도인가?',
    'Quels identifiants de vendeurs ou codes acheteurs appartiennent à la même partie, et avec quelle certitude ?',
  ),
  method: text(
    'Records are linked when they share a normalised key (sellers: sender phone or address; buyers: consignee name with phone or with address), and the connected groups become entities named by their smallest id. Each record’s confidence is 1 − Π(1 − w) over the kinds of key it shares with the rest of its entity.',
    '정규화한 키(판매자: 발송인 전화 또는 주소, 구매자: 수하인 성명과 전화 또는 주소)를 공유하는 기록을 연결하고, 연결된 묶음을 가장 작은 ID로 이름 붙인 개체로 본다. 각 기록의 신뢰도는 개체의 다른 기록과 공유하는 키 종류별 가중치 w에 대해 1 − Π(1 − w)이다.',
    "Les enregistrements sont reliés quand ils partagent une clé normalisée (vendeurs : téléphone ou adresse d'expédition ; acheteurs : nom avec téléphone ou avec adresse), et les groupes connexes deviennent des entités nommées par leur plus petit identifiant. La confiance de chaque enregistrement vaut 1 − Π(1 − w) sur les sortes de clés qu'il partage avec le reste de son entité.",
  ),
  inputs: ['intake_analysis_buyer_parcel'],
  parameters: [
    { name: 'party', label: text('Party', '당사자', 'Partie'), type: 'choice', default: 'seller', choices: ['seller', 'buyer'] },
    numberParameter('phone_weight', text('Weight of a shared phone', '전화 공유 가중치', "Poids d'un téléphone partagé"), 0.7, 0, 1),
    numberParameter('address_weight', text('Weight of a shared address', '주소 공유 가중치', "Poids d'une adresse partagée"), 0.6, 0, 1),
    commonParameters.minScore(0.5, 1),
    commonParameters.limit(),
  ],
  async run(context) {
    const party = context.parameters.party === 'buyer' ? 'buyer' : 'seller';
    const records = await context.query(recordQueries[party](context));
    context.progress(0.6);
    const keysOf = (record: PartyRecord) =>
      [record.first_key && `first:${record.first_key}`, record.second_key && `second:${record.second_key}`].filter(
        (key): key is string => Boolean(key),
      );
    const groups = connectedGroups(records.map((record) => [record.id, keysOf(record)]));
    // How many distinct ids carry each key: a key carried by one id links nothing.
    const idsPerKey = new Map<string, Set<string>>();
    for (const record of records)
      for (const key of keysOf(record)) idsPerKey.set(key, (idsPerKey.get(key) ?? new Set()).add(record.id));
    const weights = { first: num(context.parameters.phone_weight), second: num(context.parameters.address_weight) };
    const members = [...new Set(records.map((record) => record.id))]
      .filter((id) => groups.get(id)!.size > 1)
      .map((id) => {
        const own = records.filter((record) => record.id === id);
        const shared = new Set<'first' | 'second'>();
        for (const record of own)
          for (const key of keysOf(record))
            if (idsPerKey.get(key)!.size > 1) shared.add(key.startsWith('first:') ? 'first' : 'second');
        const group = [...groups.get(id)!].sort();
        return {
          id,
          canonical: `E-${group[0]}`,
          members: group.length,
          others: group.filter((other) => other !== id).slice(0, 5).join(', '),
          shared: [...shared].map((kind) => (kind === 'first' ? '☎' : '⌂')).join(' '),
          parcels: own.reduce((sum, record) => sum + num(record.parcels), 0),
          confidence: 1 - [...shared].reduce((product, kind) => product * (1 - weights[kind]), 1),
        };
      });
    const kind: EntityScore['kind'] = party === 'buyer' ? 'pccc' : 'seller';
    return rankingResult({
      rows: members,
      kind,
      key: (row) => row.id,
      score: (row) => row.confidence,
      minScore: num(context.parameters.min_score),
      limit: num(context.parameters.limit),
      evidence: text(
        'one entity {canonical} with {members} ids (also {others}), linked by {shared}; confidence {confidence_percent}%',
        '개체 {canonical}: ID {members}개({others} 포함), {shared} 공유로 연결; 신뢰도 {confidence_percent}%',
        'une entité {canonical} de {members} identifiants (aussi {others}), reliés par {shared} ; confiance {confidence_percent} %',
      ),
      columns: [
        column('id', 'entity', party === 'buyer' ? labels.pccc : labels.seller_key),
        column('canonical', 'text', text('Canonical id', '대표 ID', 'Identifiant canonique')),
        column('members', 'number', text('Ids in the entity', '개체 내 ID 수', "Identifiants de l'entité")),
        column('shared', 'text', text('Linked by', '연결 키', 'Relié par')),
        column('others', 'text', text('Other ids', '다른 ID', 'Autres identifiants')),
        column('parcels', 'number'),
      ],
      cells: (row) => ({
        id: row.id,
        canonical: row.canonical,
        members: row.members,
        shared: row.shared,
        others: row.others,
        parcels: row.parcels,
        confidence_percent: round(row.confidence * 100, 0),
      }),
      chartTitle: text('Resolved ids by confidence', '신뢰도순 통합 ID', 'Identifiants résolus par confiance'),
      entityLabel: party === 'buyer' ? labels.pccc : labels.seller_key,
    });
  },
};
