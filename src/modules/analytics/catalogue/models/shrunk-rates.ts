import { sql, type RawBuilder } from 'kysely';
import type { EntityScore, LocalisedText, ModelResult, ModelRunContext, ParameterSpec } from '../analytical-model.js';
import { column, inPeriod, num, numberParameter, rankingResult, round, say, text } from './model-kit.js';

/** An entity's inspections: how many were checked and found irregular, raw and time-decayed. */
export interface CheckedEntity {
  key: string;
  declarations: unknown;
  checks: unknown;
  hits: unknown;
  weighted_checks: unknown;
  weighted_hits: unknown;
}

export interface ShrunkRate {
  key: string;
  declarations: number;
  checks: number;
  hits: number;
  /** The raw hit rate, hits / checks. */
  raw: number;
  /** The Beta-binomial posterior mean of the decayed counts. */
  rate: number;
  /** The shrunk rate over the population's rate: 2 means twice as often irregular as the average. */
  relative: number;
}

/** The parameters every shrunk-rate profile takes (N2, K2), worded once. */
export const shrinkageParameters: readonly ParameterSpec[] = [
  numberParameter(
    'prior_strength',
    text('Prior strength (checks)', '사전분포 강도(검사 건수)', "Force de l'a priori (contrôles)"),
    10,
    0,
    10_000,
  ),
  numberParameter(
    'half_life_days',
    text('Half-life of a check (days)', '검사 반감기(일)', "Demi-vie d'un contrôle (jours)"),
    180,
    1,
    3650,
    'integer',
  ),
  numberParameter(
    'min_checks',
    text('Minimum checks per entity', '개체별 최소 검사 수', 'Contrôles minimum par entité'),
    1,
    1,
    10_000,
    'integer',
  ),
];

/**
 * Checks and irregular findings per group of the period's declarations (the labels inspections gave),
 * each weighted by 0.5^(age / half-life) so that an old finding counts less than a recent one.
 */
export function checkedEntities(
  context: Pick<ModelRunContext, 'from' | 'to' | 'parameters'>,
  groupBy: RawBuilder<unknown>,
): RawBuilder<CheckedEntity> {
  const halfLife = num(context.parameters.half_life_days);
  const decay = sql`power(0.5, (${context.to}::date - declared_on) / ${halfLife}::double precision)`;
  return sql<CheckedEntity>`
    select ${groupBy} as key, count(*) as declarations,
      count(*) filter (where inspected) as checks, count(*) filter (where fraud) as hits,
      sum(case when inspected then ${decay} else 0 end) as weighted_checks,
      sum(case when fraud then ${decay} else 0 end) as weighted_hits
    from intake_analysis_declaration
    where ${inPeriod('declared_on', context)}
    group by 1
    having count(*) filter (where inspected) >= ${num(context.parameters.min_checks)}
  `;
}

/**
 * Beta-binomial shrinkage towards the population's rate p: prior α = s·p, β = s·(1 − p) with s the prior
 * strength in checks, so an entity with 1 finding in 1 check stays near p while one with 8 in 20 does not.
 */
export function shrunkRates(
  entities: readonly CheckedEntity[],
  priorStrength: number,
): { rates: ShrunkRate[]; population: number } {
  const checks = entities.reduce((sum, entity) => sum + num(entity.weighted_checks), 0);
  const hits = entities.reduce((sum, entity) => sum + num(entity.weighted_hits), 0);
  const population = checks === 0 ? 0 : hits / checks;
  const alpha = priorStrength * population;
  const beta = priorStrength * (1 - population);
  const rates = entities.map((entity) => {
    const denominator = num(entity.weighted_checks) + alpha + beta;
    const rate = denominator === 0 ? 0 : (num(entity.weighted_hits) + alpha) / denominator;
    return {
      key: entity.key,
      declarations: num(entity.declarations),
      checks: num(entity.checks),
      hits: num(entity.hits),
      raw: num(entity.checks) === 0 ? 0 : num(entity.hits) / num(entity.checks),
      rate,
      relative: population === 0 ? 0 : rate / population,
    };
  });
  return { rates, population };
}

/** What differs between the shrunk-rate profiles (N2 parties, K2 carrier lanes): the words and the kind. */
export interface ShrunkRankingSpec {
  kind: EntityScore['kind'];
  entityLabel: LocalisedText;
  /** One entity's evidence; `{hits}`, `{checks}`, `{raw_percent}`, `{rate_percent}`, `{population_percent}` are filled. */
  evidence: LocalisedText;
  chartTitle: LocalisedText;
  /** The run's summary; `{entities}` and `{population_percent}` are filled. */
  summary: LocalisedText;
}

/** Shrinks the checked entities' rates and ranks those at or above the cut-off (times the population's rate). */
export function shrunkRateRanking(
  context: Pick<ModelRunContext, 'parameters'>,
  entities: readonly CheckedEntity[],
  spec: ShrunkRankingSpec,
): ModelResult {
  const { rates, population } = shrunkRates(entities, num(context.parameters.prior_strength));
  const populationPercent = round(population * 100, 1);
  const result = rankingResult({
    rows: rates,
    kind: spec.kind,
    key: (row) => row.key,
    score: (row) => row.relative,
    minScore: num(context.parameters.min_score),
    limit: num(context.parameters.limit),
    evidence: spec.evidence,
    columns: [
      column('entity', 'entity', spec.entityLabel),
      column('declarations', 'number', text('Declarations', '신고 건수', 'Déclarations')),
      column('checks', 'number', text('Checks', '검사', 'Contrôles')),
      column('hits', 'number', text('Irregular', '위반', 'Irréguliers')),
      column('raw_percent', 'number', text('Raw rate (%)', '단순 비율(%)', 'Taux brut (%)')),
      column('rate_percent', 'number', text('Shrunk rate (%)', '축소 비율(%)', 'Taux réduit (%)')),
    ],
    cells: (row) => ({
      entity: row.key,
      declarations: row.declarations,
      checks: row.checks,
      hits: row.hits,
      raw_percent: round(row.raw * 100, 1),
      rate_percent: round(row.rate * 100, 1),
      population_percent: populationPercent,
    }),
    chartTitle: spec.chartTitle,
    entityLabel: spec.entityLabel,
  });
  result.columns = result.columns.map((resultColumn) =>
    resultColumn.key === 'score'
      ? column('score', 'number', text('Times the average', '평균 대비 배수', 'Fois la moyenne'))
      : resultColumn,
  );
  result.summary = say(spec.summary, { entities: rates.length, population_percent: populationPercent });
  return result;
}
