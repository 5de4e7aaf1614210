import { sql } from 'kysely';
import type { AnalyticalModel } from '../analytical-model.js';
import { commonParameters, text } from './model-kit.js';
import { checkedEntities, shrinkageParameters, shrunkRateRanking, type CheckedEntity } from './shrunk-rates.js';

/** The party a profile is drawn for, as the declarations name it. */
const partyColumns: Record<string, string> = {
  seller: 'seller_key',
  declarant: 'declarant_key',
  importer: 'importer_key',
};

/**
 * N2 Party compliance profile: each seller's (declarant's, importer's) record of inspections, corrected
 * for how often it was checked, so that the watchlist holds persistent offenders rather than the unlucky.
 */
export const partyCompliance: AnalyticalModel = {
  id: 'N2',
  version: '1.0.0',
  group: 'parties',
  firstTwelve: false,
  name: text('Party compliance profile', '당사자 준법 프로파일', 'Profil de conformité des parties'),
  question: text(
    "What is this seller's or declarant's record, corrected for how often it was checked?",
    '검사 빈도를 감안하면 이 판매자나 신고인의 준법 이력은 어떠한가?',
    'Quel est le dossier de ce vendeur ou déclarant, corrigé de la fréquence de ses contrôles ?',
  ),
  method: text(
    'Inspections and irregular findings are counted per party, each weighted by a half-life so that recent checks count more. The hit rate is shrunk towards the population’s rate with a Beta-binomial prior of the chosen strength, and parties are ranked by their shrunk rate over the population’s.',
    '당사자별 검사와 위반 적발을 세되, 최근 검사가 더 크게 반영되도록 반감기로 가중한다. 적발률을 정한 강도의 베타-이항 사전분포로 전체 적발률 쪽으로 축소하고, 축소 적발률을 전체 적발률로 나눈 값으로 순위를 매긴다.',
    'Les contrôles et les irrégularités sont comptés par partie, pondérés par une demi-vie pour que les contrôles récents comptent davantage. Le taux est réduit vers celui de la population par un a priori bêta-binomial de la force choisie, et les parties sont classées par leur taux réduit rapporté à celui de la population.',
  ),
  inputs: ['intake_analysis_declaration'],
  parameters: [
    {
      name: 'party',
      label: text('Party', '당사자', 'Partie'),
      type: 'choice',
      default: 'seller',
      choices: Object.keys(partyColumns),
    },
    ...shrinkageParameters,
    commonParameters.minScore(1.5, 1000),
    commonParameters.limit(),
  ],
  async run(context) {
    const party = partyColumns[String(context.parameters.party)] ?? partyColumns.seller!;
    const entities = await context.query<CheckedEntity>(sql`
      select * from (${checkedEntities(context, sql.ref(party))}) checked where key is not null and key <> ''
    `);
    context.progress(0.8);
    return shrunkRateRanking(context, entities, {
      kind: party === 'seller_key' ? 'seller' : party === 'importer_key' ? 'pccc' : 'group',
      entityLabel: text('Party', '당사자', 'Partie'),
      evidence: text(
        '{hits} irregular of {checks} checks ({raw_percent}%); shrunk rate {rate_percent}% against {population_percent}% for all',
        '검사 {checks}건 중 위반 {hits}건({raw_percent}%); 축소 적발률 {rate_percent}%, 전체 {population_percent}%',
        '{hits} irréguliers sur {checks} contrôles ({raw_percent} %) ; taux réduit {rate_percent} % contre {population_percent} % pour tous',
      ),
      chartTitle: text(
        'Parties by shrunk hit rate over the average',
        '평균 대비 축소 적발률 상위 당사자',
        'Parties par taux réduit rapporté à la moyenne',
      ),
      summary: text(
        '{entities} parties with checks; population hit rate {population_percent}%',
        '검사 이력 당사자 {entities}명; 전체 적발률 {population_percent}%',
        '{entities} parties contrôlées ; taux de la population {population_percent} %',
      ),
    });
  },
};
