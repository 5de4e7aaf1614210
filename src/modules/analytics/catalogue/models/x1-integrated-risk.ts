import { sql } from 'kysely';
import type { AnalyticalModel, LocalisedText } from '../analytical-model.js';
import { column, commonParameters, inPeriod, labels, num, numberParameter, rankingChart, round, say, text } from './model-kit.js';
import { PARCEL_FACT, periodFacts } from './paid-parcels.js';

interface QueuedParcel {
  tracking_number: string;
  model_score: unknown;
  value_signal: unknown;
  declared_krw: unknown;
  paid_krw: unknown;
  names: unknown;
  seller_misuse: unknown;
  same_day_parcels: unknown;
  risk: unknown;
}

/** The signals X1 combines, each with its weight parameter and the sentence that explains it. */
const signals = [
  {
    weight: 'w_model',
    label: text('Weight of the active risk model', '운영 위험 모델 가중치', 'Poids du modèle de risque actif'),
    default: 0.5,
    strength: (row: QueuedParcel) => num(row.model_score),
    reason: text('risk model score {model_score}', '위험 모델 점수 {model_score}', 'score du modèle de risque {model_score}'),
  },
  {
    weight: 'w_value',
    label: text('Weight of declared under paid (V3)', '결제 대비 과소 신고 가중치(V3)', 'Poids du déclaré sous le payé (V3)'),
    default: 0.9,
    strength: (row: QueuedParcel) => num(row.value_signal),
    reason: text(
      'declared KRW {declared_krw} for KRW {paid_krw} paid',
      '결제 {paid_krw}원에 신고 {declared_krw}원',
      '{declared_krw} KRW déclarés pour {paid_krw} KRW payés',
    ),
  },
  {
    weight: 'w_identity',
    label: text('Weight of a PCCC under several names (I1)', '여러 성명 부호 가중치(I1)', "Poids d'un PCCC sous plusieurs noms (I1)"),
    default: 0.7,
    strength: (row: QueuedParcel) => (num(row.names) > 1 ? 1 : 0),
    reason: text('its PCCC is used under {names} names', '부호가 {names}개 성명으로 사용됨', 'son PCCC est utilisé sous {names} noms'),
  },
  {
    weight: 'w_seller',
    label: text('Weight of the seller’s misused codes (I2)', '판매자 도용 부호 가중치(I2)', 'Poids des codes usurpés du vendeur (I2)'),
    default: 0.6,
    strength: (row: QueuedParcel) => num(row.seller_misuse),
    reason: text(
      'its seller ships {seller_misuse_percent}% under misused codes',
      '판매자 화물의 {seller_misuse_percent}%가 도용 부호로 발송됨',
      'son vendeur expédie {seller_misuse_percent} % sous des codes usurpés',
    ),
  },
  {
    weight: 'w_split',
    label: text('Weight of several parcels a day to one buyer (S1)', '하루 동일 구매자 다수 화물 가중치(S1)', "Poids de plusieurs colis par jour à un acheteur (S1)"),
    default: 0.4,
    strength: (row: QueuedParcel) => (num(row.same_day_parcels) > 1 ? 1 : 0),
    reason: text(
      '{same_day_parcels} parcels to its buyer that day',
      '그날 같은 구매자에게 {same_day_parcels}개 화물',
      '{same_day_parcels} colis à son acheteur ce jour-là',
    ),
  },
] as const satisfies readonly {
  weight: string;
  label: LocalisedText;
  default: number;
  strength: (row: QueuedParcel) => number;
  reason: LocalisedText;
}[];

/**
 * X1 ★ Integrated risk score: one ranked queue from the active risk model's score and the catalogue's
 * signals (V3, I1, I2, S1), combined so that each adds to the others without any one being required.
 */
export const integratedRisk: AnalyticalModel = {
  id: 'X1',
  version: '1.0.3',
  group: 'integrated',
  firstTwelve: true,
  name: text('Integrated risk score', '통합 위험 점수', 'Score de risque intégré'),
  question: text(
    'How likely is this parcel to be irregular, all signals together, and which parcels come first?',
    '모든 신호를 합쳤을 때 이 화물이 위반일 가능성은 얼마이며, 어떤 화물을 먼저 볼 것인가?',
    "Quelle est la probabilité que ce colis soit irrégulier, tous signaux réunis, et lesquels passent en premier ?",
  ),
  method: text(
    'Each parcel gets the active risk model’s score (from its targeting decision) and the strength of four catalogue signals: declared under paid (V3), a PCCC under several names (I1), its seller’s share of misused codes (I2) and several parcels to its buyer that day (S1). They are combined as a noisy-OR, 1 − Π(1 − weight × strength), and the queue is ranked by it with the signals that contributed most as reasons.',
    '화물마다 운영 위험 모델 점수(선별 결정)와 네 가지 신호의 강도, 즉 결제 대비 과소 신고(V3), 여러 성명의 부호(I1), 판매자의 도용 부호 비율(I2), 같은 날 같은 구매자의 다수 화물(S1)을 구한다. 이를 noisy-OR, 1 − Π(1 − 가중치 × 강도)로 합쳐 순위를 매기고, 가장 크게 기여한 신호를 사유로 표시한다.',
    "Chaque colis reçoit le score du modèle de risque actif (sa décision de ciblage) et la force de quatre signaux du catalogue : déclaré sous le payé (V3), un PCCC sous plusieurs noms (I1), la part de codes usurpés de son vendeur (I2) et plusieurs colis à son acheteur ce jour-là (S1). Ils sont combinés en OU bruité, 1 − Π(1 − poids × force), et la file est classée ainsi, avec pour motifs les signaux qui ont le plus pesé.",
  ),
  inputs: [PARCEL_FACT, 'targeting_analysis_decision'],
  parameters: [
    ...signals.map((signal) => numberParameter(signal.weight, signal.label, signal.default, 0, 1)),
    numberParameter('k', text('Declared / paid below which value counts', '신고/결제 비율 기준', 'Seuil déclaré / payé'), 0.7, 0.05, 1),
    commonParameters.minScore(0.3, 1),
    commonParameters.limit(),
  ],
  async run(context) {
    // Cast, so that PostgreSQL does not type a weight of 1 as an integer and then refuse 0.7.
    const weight = (name: string) => sql`cast(${num(context.parameters[name])} as float8)`;
    const k = sql`cast(${num(context.parameters.k)} as float8)`;
    const rows = await context.query<QueuedParcel>(sql`
      with
      -- Each parcel once, for the signals counted over parcels: the few columns they read, from the fact
      -- rows themselves (every part of periodFacts has the period's parcels), read again by each rather
      -- than kept: 10,000,000 kept rows went to disk, and a kept set keeps the plan off parallel workers.
      period as not materialized (
        select pccc, seller_key, consignee_name_key from ${sql.table(PARCEL_FACT)}
        where ${inPeriod('arrival_date', context)} and parcel_row
      ),
      -- The codes used under several names, with their names: distinct names counted by two hash aggregates
      -- (code and name, then code) rather than a sort. Only these 15,000 of 2.4 million codes are joined
      -- below: every other code has exactly one name (intake's name key is an md5, never null), and probing
      -- all 2.4 million for each of 10,000,000 rows, or hashing the parcels to join them, took 11 s.
      several_names as (
        select pccc, count(consignee_name_key) as names
        from (select pccc, consignee_name_key from period where pccc is not null group by pccc, consignee_name_key) named
        group by pccc having count(consignee_name_key) > 1
      ),
      -- The seller's share of parcels under such a code, from two counts (a numeric average added up
      -- 9,000,000 numerics; the quotient is the same).
      seller_misuse as (
        select p.seller_key, cast(count(n.pccc) as numeric) / count(*) as misuse_share
        from period p left join several_names n on n.pccc = p.pccc where p.seller_key is not null group by p.seller_key
      ),
      -- A parcel's row per paid order carries that order: the value signal needs no join by tracking number.
      -- Its buyer's parcels that day are on the row (a day's parcels are copied together, so the count is
      -- the period's), where counting them per code and day and joining them back took a third of the run.
      paid as (
        select facts.*, case when assessed then paid_krw end as paid,
          case when assessed and paid_krw is not null then declared_krw end as paid_declared
        from (${periodFacts(context)}) facts
      ),
      signals as (
        select f.tracking_number, coalesce(d.score, 0) as model_score, f.paid_declared as declared_krw,
          f.paid as paid_krw,
          case when f.paid > 0
            then greatest(0, least(1, (${k} - f.paid_declared / f.paid) / ${k})) else 0 end as value_signal,
          case when f.pccc is null then 0 else coalesce(n.names, 1) end as names,
          coalesce(sm.misuse_share, 0) as seller_misuse,
          coalesce(f.code_day_parcels, 1) as same_day_parcels
        from paid f
        left join targeting_analysis_decision d on d.parcel_id = f.parcel_id
        left join several_names n on n.pccc = f.pccc
        left join seller_misuse sm on sm.seller_key = f.seller_key
      )
      select * from (
        select s.*, 1 - (1 - ${weight('w_model')} * least(1, s.model_score))
          * (1 - ${weight('w_value')} * s.value_signal)
          * (1 - ${weight('w_identity')} * case when s.names > 1 then 1 else 0 end)
          * (1 - ${weight('w_seller')} * s.seller_misuse)
          * (1 - ${weight('w_split')} * case when s.same_day_parcels > 1 then 1 else 0 end) as risk
        from signals s
      ) scored
      where risk >= cast(${num(context.parameters.min_score)} as float8)
      order by risk desc, tracking_number
      limit ${num(context.parameters.limit)}
    `);
    context.progress(0.9);
    const entities = rows.map((row) => {
      const figures = {
        model_score: round(num(row.model_score), 2),
        declared_krw: Math.round(num(row.declared_krw)),
        paid_krw: Math.round(num(row.paid_krw)),
        names: num(row.names),
        seller_misuse_percent: round(num(row.seller_misuse) * 100, 0),
        same_day_parcels: num(row.same_day_parcels),
      };
      const reasons = signals
        .map((signal) => ({ signal, contribution: num(context.parameters[signal.weight]) * signal.strength(row) }))
        .filter((entry) => entry.contribution > 0.05)
        .sort((a, b) => b.contribution - a.contribution)
        .map((entry) => say(entry.signal.reason, figures));
      return { kind: 'parcel' as const, key: row.tracking_number, score: round(num(row.risk), 3), evidence: reasons, figures };
    });
    return {
      columns: [
        column('tracking_number', 'entity'),
        column('score', 'number'),
        column('model_score', 'number', text('Risk model score', '위험 모델 점수', 'Score du modèle')),
        column('declared_krw', 'money_krw'),
        column('paid_krw', 'money_krw'),
        column('names', 'number', text('Names on the PCCC', '부호의 성명 수', 'Noms sur le PCCC')),
        column('seller_misuse_percent', 'percent', text('Seller’s misused codes (%)', '판매자 도용 부호(%)', 'Codes usurpés du vendeur (%)')),
        column('same_day_parcels', 'number', text('Parcels to the buyer that day', '당일 구매자 화물 수', "Colis à l'acheteur ce jour")),
        column('reasons', 'text'),
      ],
      rows: entities.map((entity) => ({
        tracking_number: entity.key,
        score: entity.score,
        ...entity.figures,
        reasons: entity.evidence.map((reason) => reason[context.locale]).join('; '),
      })),
      entities: entities.map(({ figures: _figures, ...entity }) => entity),
      chart: rankingChart(
        text('Queue by integrated risk', '통합 위험 순 대기열', 'File par risque intégré'),
        labels.tracking_number,
        entities,
      ),
    };
  },
};
