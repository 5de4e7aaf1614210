import { sql } from 'kysely';
import type { AnalyticalModel } from '../analytical-model.js';
import { commonParameters, labels, text } from './model-kit.js';
import { checkedEntities, shrinkageParameters, shrunkRateRanking, type CheckedEntity } from './shrunk-rates.js';

/** What a carrier's traffic is split by: its origins, its goods, or the carrier as a whole. */
const cellExpressions: Record<string, string> = {
  carrier: 'carrier_code',
  carrier_and_origin: "carrier_code || ' / ' || coalesce(origin_country, '?')",
  carrier_and_chapter: "carrier_code || ' / HS ' || coalesce(hs_chapter, '?')",
};

/**
 * K2 Carrier and forwarder risk profile: how often each carrier's traffic (per origin or goods chapter) was
 * found irregular when checked, shrunk so that a lane with two checks does not outrank one with two hundred.
 */
export const carrierRisk: AnalyticalModel = {
  id: 'K2',
  version: '1.0.0',
  group: 'carriers',
  firstTwelve: false,
  name: text('Carrier and forwarder risk profile', '운송사·포워더 위험 프로파일', 'Profil de risque des transporteurs'),
  question: text(
    'How risky is the traffic of each carrier, forwarder or consolidator, by origin and lane?',
    '운송사·포워더·혼재업체별, 원산지와 경로별 물동량의 위험은 어느 정도인가?',
    'Quel est le risque du trafic de chaque transporteur ou groupeur, par origine et par voie ?',
  ),
  method: text(
    'The labelled declarations are grouped by carrier and origin (or goods chapter), each check weighted by a half-life. Each cell’s irregularity rate is shrunk towards the population’s with a Beta-binomial prior, and cells are ranked by that rate over the population’s, a weight X1 and the rules can use.',
    '검사 결과가 있는 신고를 운송사와 원산지(또는 품목 류)별로 묶고 검사마다 반감기 가중을 둔다. 칸별 위반율을 베타-이항 사전분포로 전체 위반율 쪽으로 축소하고, 전체 대비 배수로 순위를 매겨 X1과 규칙이 가중치로 쓸 수 있게 한다.',
    "Les déclarations étiquetées sont regroupées par transporteur et origine (ou chapitre), chaque contrôle pondéré par une demi-vie. Le taux d'irrégularité de chaque case est réduit vers celui de la population par un a priori bêta-binomial, et les cases sont classées par ce taux rapporté à la population, un poids que X1 et les règles peuvent utiliser.",
  ),
  inputs: ['intake_analysis_declaration'],
  parameters: [
    {
      name: 'cells',
      label: text('Cells', '구분 단위', 'Cases'),
      type: 'choice',
      default: 'carrier_and_origin',
      choices: Object.keys(cellExpressions),
    },
    ...shrinkageParameters,
    commonParameters.minScore(1.5, 1000),
    commonParameters.limit(),
  ],
  async run(context) {
    const cell = cellExpressions[String(context.parameters.cells)] ?? cellExpressions.carrier_and_origin!;
    const entities = await context.query<CheckedEntity>(sql`
      select * from (${checkedEntities(context, sql.raw(cell))}) checked where key is not null
    `);
    context.progress(0.8);
    return shrunkRateRanking(context, entities, {
      kind: 'carrier',
      entityLabel: labels.carrier_code,
      evidence: text(
        '{hits} irregular of {checks} checks ({raw_percent}%); shrunk rate {rate_percent}% against {population_percent}% for all carriers',
        '검사 {checks}건 중 위반 {hits}건({raw_percent}%); 축소 위반율 {rate_percent}%, 전체 운송사 {population_percent}%',
        '{hits} irréguliers sur {checks} contrôles ({raw_percent} %) ; taux réduit {rate_percent} % contre {population_percent} % pour tous les transporteurs',
      ),
      chartTitle: text(
        'Carrier lanes by shrunk irregularity over the average',
        '평균 대비 축소 위반율 상위 운송 경로',
        'Voies par taux réduit rapporté à la moyenne',
      ),
      summary: text(
        '{entities} carrier cells with checks; population irregularity {population_percent}%',
        '검사 이력 운송 구분 {entities}개; 전체 위반율 {population_percent}%',
        '{entities} cases de transporteurs contrôlées ; irrégularité de la population {population_percent} %',
      ),
    });
  },
};
