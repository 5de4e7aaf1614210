import { sql } from 'kysely';
import type { AnalyticalModel } from '../analytical-model.js';
import { declaredLines } from './declared-lines.js';
import { column, commonParameters, labels, num, numberParameter, rankingResult, text } from './model-kit.js';

interface ClassifiedLine {
  tracking_number: string;
  description: string;
  hs6: string;
  suggested_hs6: string;
  support: unknown;
  agreement: unknown;
}

/**
 * C1 ★ HS classifier: the codes other lines with the same normalised description were declared under,
 * learnt from the period itself, suggest a code; a line whose declared code differs from a suggestion
 * that most of its look-alikes agree on is flagged.
 */
export const hsClassifier: AnalyticalModel = {
  id: 'C1',
  version: '1.0.1',
  group: 'classification',
  firstTwelve: true,
  name: text('HS classifier and misclassification flag', 'HS 분류기 및 오분류 표시', 'Classificateur SH et signalement des erreurs de classement'),
  question: text(
    'Does the declared HS code fit the description?',
    '신고된 HS 코드가 품명과 맞는가?',
    'Le code SH déclaré correspond-il à la désignation ?',
  ),
  method: text(
    'Descriptions are normalised (case, spaces, punctuation) and the HS6 codes declared for each description in the period are counted, the most frequent being the suggested code. A line is flagged when its declared code differs from a suggestion backed by at least min support lines and by at least the agreement share of them.',
    '품명을 정규화(대소문자·공백·문장부호)한 뒤 기간 중 각 품명에 신고된 HS6 코드를 세어 가장 많은 코드를 제안 코드로 한다. 제안 코드가 최소 지지 건수 이상이고 합의 비율 이상일 때 신고 코드가 다르면 표시한다.',
    "Les désignations sont normalisées (casse, espaces, ponctuation) et les codes SH6 déclarés pour chacune sur la période sont comptés, le plus fréquent devenant le code suggéré. Une ligne est signalée quand son code diffère d'une suggestion appuyée par au moins le support minimal de lignes et la part d'accord.",
  ),
  inputs: ['intake_analysis_parcel_line', 'intake_analysis_buyer_parcel', 'clearance_analysis_parcel'],
  parameters: [
    numberParameter('min_support', text('Minimum look-alike lines', '최소 유사 품목 수', 'Lignes semblables minimum'), 3, 1, 1000, 'integer'),
    numberParameter('agreement', text('Agreement share', '합의 비율', "Part d'accord"), 0.6, 0.3, 1),
    commonParameters.limit(),
  ],
  async run(context) {
    // Normalising a description is what costs, so each distinct text is normalised once, not each line.
    const lines = await context.query<ClassifiedLine>(sql`
      with lines as (
        select tracking_number, description, hs6 from (${declaredLines(context)}) declared
      ),
      texts as (
        select description, hs6, count(*) as n from lines group by description, hs6
      ),
      keyed as (
        select description, hs6, n, lower(regexp_replace(description, '[[:space:][:punct:]]', '', 'g')) as description_key
        from texts
      ),
      votes as (
        select description_key, hs6, cast(sum(n) as bigint) as n,
          sum(sum(n)) over (partition by description_key) as total,
          row_number() over (partition by description_key order by sum(n) desc, hs6) as rank
        from keyed group by description_key, hs6
      ),
      suggestions as (
        select distinct k.description, v.hs6, v.n, cast(v.n as double precision) / cast(v.total as double precision) as agreement
        from keyed k join votes v on v.description_key = k.description_key and v.rank = 1
        where v.n >= ${num(context.parameters.min_support)}
          and cast(v.n as double precision) / cast(v.total as double precision) >= ${num(context.parameters.agreement)}
      )
      select l.tracking_number, l.description, l.hs6, s.hs6 as suggested_hs6, s.n as support, s.agreement
      from lines l join suggestions s on s.description = l.description
      where l.hs6 <> s.hs6
    `);
    return rankingResult({
      rows: lines,
      kind: 'parcel',
      key: (line) => line.tracking_number,
      score: (line) => num(line.agreement),
      minScore: 0,
      limit: num(context.parameters.limit),
      evidence: text(
        '"{description}" declared under HS {hs6}; {support} other lines with this description were declared under HS {suggested}',
        '"{description}" HS {hs6}로 신고; 같은 품명의 다른 {support}건은 HS {suggested}로 신고됨',
        '« {description} » déclaré sous SH {hs6} ; {support} autres lignes de même désignation sous SH {suggested}',
      ),
      columns: [
        column('tracking_number', 'entity'),
        column('description', 'text'),
        column('hs6', 'text'),
        column('suggested', 'text', text('Suggested HS6', '제안 HS6', 'SH6 suggéré')),
        column('support', 'number', text('Support', '지지 건수', 'Support')),
      ],
      cells: (line) => ({
        tracking_number: line.tracking_number,
        description: line.description,
        hs6: line.hs6,
        suggested: line.suggested_hs6,
        support: num(line.support),
      }),
      chartTitle: text('Lines whose code disagrees with their look-alikes', '유사 품목과 코드가 다른 품목', 'Lignes en désaccord avec leurs semblables'),
      entityLabel: labels.tracking_number,
    });
  },
};
