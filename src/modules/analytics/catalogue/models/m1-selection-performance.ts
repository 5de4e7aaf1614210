import { sql } from 'kysely';
import type { AnalyticalModel, LocalisedText } from '../analytical-model.js';
import { wilsonInterval } from './m2-random-control-sample.js';
import { column, num, numberParameter, round, say, text } from './model-kit.js';

interface SelectorCounts {
  level: 'selector' | 'rule';
  selector: string;
  selected: unknown;
  inspected: unknown;
  hits: unknown;
}

interface RuleOverlap {
  first: string;
  second: string;
  both: unknown;
}

const verdicts = {
  keep: text('keep', '유지', 'garder'),
  review: text('review: no better than random', '검토: 무작위보다 낫지 않음', 'revoir : pas mieux que le hasard'),
  redundant: text('redundant with {other}', '{other}와(과) 중복', 'redondante avec {other}'),
  never: text('never fired: retire or renew', '발동 없음: 폐지 또는 갱신', 'jamais déclenchée : retirer ou renouveler'),
  unmeasured: text('too few inspections to judge', '판단할 검사 부족', 'trop peu de contrôles pour juger'),
} satisfies Record<string, LocalisedText>;

/**
 * M1 ★ Selection performance and rule audit: for each way a parcel is selected (random control, rules,
 * the model, officers) and for each rule, how often an inspection found something, against the random
 * control sample (M2), with the rules that never fire or always fire with another.
 */
export const selectionPerformance: AnalyticalModel = {
  id: 'M1',
  version: '1.0.0',
  group: 'operations',
  firstTwelve: true,
  name: text('Selection performance and rule audit', '선별 성과 및 규칙 점검', 'Performance de la sélection et audit des règles'),
  question: text(
    'Which rules, models and selections find irregularities, and which rules are redundant?',
    '어떤 규칙·모델·선별이 위반을 찾아내며, 어떤 규칙이 중복인가?',
    'Quelles règles, quels modèles et quelles sélections trouvent des irrégularités, et quelles règles sont redondantes ?',
  ),
  method: text(
    'For each selector (random control, rule, mandatory rule, model, officer) and each rule, the inspected parcels and the irregular findings give a hit rate with its Wilson interval and a lift against the random control sample. Rules whose interval stays under the random rate, that never fired, or whose hits overlap another rule’s almost entirely (Jaccard) are listed for review.',
    '선별 주체(무작위 통제, 규칙, 필수 규칙, 모델, 직원)와 규칙마다 검사 화물과 위반 적발로 Wilson 구간이 있는 적중률과 무작위 통제 표본 대비 향상도를 구한다. 구간이 무작위 적중률보다 낮거나, 발동한 적이 없거나, 다른 규칙과 거의 같은 화물에 발동하는(Jaccard) 규칙을 검토 대상으로 표시한다.',
    "Pour chaque sélecteur (contrôle aléatoire, règle, règle obligatoire, modèle, agent) et chaque règle, les colis contrôlés et les irrégularités donnent un taux de réussite avec son intervalle de Wilson et un gain face à l'échantillon aléatoire. Les règles dont l'intervalle reste sous le taux aléatoire, qui ne se sont jamais déclenchées ou qui recouvrent presque entièrement une autre (Jaccard) sont listées pour révision.",
  ),
  inputs: ['targeting_analysis_selection', 'targeting_analysis_rule_hit', 'targeting_analysis_rule', 'clearance_analysis_inspection'],
  parameters: [
    numberParameter('min_n', text('Minimum inspections to judge', '판단 최소 검사 수', 'Contrôles minimum pour juger'), 5, 1, 100_000, 'integer'),
    numberParameter('confidence', text('Confidence level', '신뢰수준', 'Niveau de confiance'), 0.95, 0.5, 0.999),
    numberParameter('max_jaccard', text('Overlap that makes a rule redundant (Jaccard)', '중복 판정 겹침(Jaccard)', 'Recouvrement rendant une règle redondante (Jaccard)'), 0.9, 0.1, 1),
  ],
  async run(context) {
    const selected = sql`
      select parcel_id, why_selected from targeting_analysis_selection
      where why_selected <> 'none'
        and coalesce(arrival_date, decision_day) between ${context.from}::date and ${context.to}::date`;
    const found = sql`
      select parcel_id, max(case when fraud then 1 else 0 end) as fraud from clearance_analysis_inspection group by parcel_id`;
    const counts = await context.query<SelectorCounts>(sql`
      with selected as (${selected}), found as (${found})
      select 'selector' as level, s.why_selected as selector, count(*) as selected, count(f.parcel_id) as inspected,
        coalesce(sum(f.fraud), 0) as hits
      from selected s left join found f on f.parcel_id = s.parcel_id group by s.why_selected
      union all
      select 'rule' as level, h.rule_name as selector, count(*) as selected, count(f.parcel_id) as inspected,
        coalesce(sum(f.fraud), 0) as hits
      from targeting_analysis_rule_hit h left join found f on f.parcel_id = h.parcel_id
      where coalesce(h.arrival_date, h.decision_day) between ${context.from}::date and ${context.to}::date
      group by h.rule_name
    `);
    const overlaps = await context.query<RuleOverlap>(sql`
      with hits as (
        select parcel_id, rule_name from targeting_analysis_rule_hit
        where coalesce(arrival_date, decision_day) between ${context.from}::date and ${context.to}::date
      )
      select a.rule_name as first, b.rule_name as second, count(*) as both
      from hits a join hits b on a.parcel_id = b.parcel_id and a.rule_name < b.rule_name
      group by a.rule_name, b.rule_name
    `);
    const activeRules = await context.query<{ rule_name: string }>(
      sql`select rule_name from targeting_analysis_rule where status = 'active'`,
    );
    context.progress(0.8);
    const confidence = num(context.parameters.confidence);
    const minN = num(context.parameters.min_n);
    const random = counts.find((row) => row.level === 'selector' && row.selector === 'random');
    const randomRate = random && num(random.inspected) > 0 ? num(random.hits) / num(random.inspected) : null;
    const ruleSize = new Map(counts.filter((row) => row.level === 'rule').map((row) => [row.selector, num(row.selected)]));
    const redundantWith = new Map<string, string>();
    for (const overlap of overlaps) {
      const union = ruleSize.get(overlap.first)! + ruleSize.get(overlap.second)! - num(overlap.both);
      if (union > 0 && num(overlap.both) / union >= num(context.parameters.max_jaccard)) {
        // The smaller (or later-named) of the two is the one to retire.
        const smaller = ruleSize.get(overlap.first)! < ruleSize.get(overlap.second)! ? overlap.first : overlap.second;
        redundantWith.set(smaller, smaller === overlap.first ? overlap.second : overlap.first);
      }
    }
    const fired = new Set(ruleSize.keys());
    const measured = [
      ...counts.map((row) => ({ level: row.level, selector: row.selector, selected: num(row.selected), inspected: num(row.inspected), hits: num(row.hits) })),
      ...activeRules
        .filter((rule) => !fired.has(rule.rule_name))
        .map((rule) => ({ level: 'rule' as const, selector: rule.rule_name, selected: 0, inspected: 0, hits: 0 })),
    ].map((row) => {
      const rate = row.inspected === 0 ? 0 : row.hits / row.inspected;
      const interval = wilsonInterval(row.hits, row.inspected, confidence);
      const lift = randomRate ? rate / randomRate : null;
      const verdict =
        row.level === 'rule' && row.selected === 0
          ? verdicts.never
          : redundantWith.has(row.selector) && row.level === 'rule'
            ? say(verdicts.redundant, { other: redundantWith.get(row.selector) })
            : row.inspected < minN || randomRate === null
              ? verdicts.unmeasured
              : interval.high < randomRate
                ? verdicts.review
                : verdicts.keep;
      return { ...row, rate, ...interval, lift, verdict };
    });
    const name = (row: { level: string; selector: string }) => (row.level === 'rule' ? `rule: ${row.selector}` : row.selector);
    return {
      columns: [
        column('selector', 'entity', text('Selector', '선별 주체', 'Sélecteur')),
        column('selected', 'number', text('Selected', '선별', 'Sélectionnés')),
        column('inspected', 'number', text('Inspected', '검사', 'Contrôlés')),
        column('hits', 'number', text('Irregular', '위반', 'Irréguliers')),
        column('rate', 'percent', text('Hit rate', '적중률', 'Taux de réussite')),
        column('low', 'percent', text('Lower bound', '하한', 'Borne basse')),
        column('high', 'percent', text('Upper bound', '상한', 'Borne haute')),
        column('lift', 'number', text('Lift over random', '무작위 대비 향상도', 'Gain sur le hasard')),
        column('verdict', 'text', text('Verdict', '판정', 'Verdict')),
      ],
      rows: measured.map((row) => ({
        selector: name(row),
        selected: row.selected,
        inspected: row.inspected,
        hits: row.hits,
        rate: round(row.rate, 4),
        low: round(row.low, 4),
        high: round(row.high, 4),
        lift: row.lift === null ? null : round(row.lift, 2),
        verdict: row.verdict[context.locale],
      })),
      entities: measured.map((row) => ({
        kind: 'group',
        key: name(row),
        score: row.lift === null ? 0 : round(row.lift, 3),
        evidence: [
          say(
            text(
              '{hits} irregular of {inspected} inspected ({rate_percent}%, {low_percent}–{high_percent}%) among {selected} selected',
              '선별 {selected}건 중 검사 {inspected}건, 위반 {hits}건({rate_percent}%, {low_percent}–{high_percent}%)',
              '{hits} irréguliers sur {inspected} contrôlés ({rate_percent} %, {low_percent}–{high_percent} %) parmi {selected} sélectionnés',
            ),
            {
              ...row,
              rate_percent: round(row.rate * 100, 1),
              low_percent: round(row.low * 100, 1),
              high_percent: round(row.high * 100, 1),
            },
          ),
          row.verdict,
        ],
      })),
      chart: {
        kind: 'bar',
        title: text('Hit rate per selector and rule', '선별 주체·규칙별 적중률', 'Taux de réussite par sélecteur et règle'),
        x: { key: 'selector', label: text('Selector', '선별 주체', 'Sélecteur') },
        y: { key: 'rate', label: text('Hit rate (%)', '적중률(%)', 'Taux de réussite (%)') },
        points: measured.map((row) => ({ x: name(row), y: round(row.rate * 100, 1), series: row.level })),
      },
      summary: say(
        text(
          'Random control hit rate: {random_percent}% ({random_n} inspections)',
          '무작위 통제 적중률: {random_percent}%(검사 {random_n}건)',
          'Taux du contrôle aléatoire : {random_percent} % ({random_n} contrôles)',
        ),
        { random_percent: randomRate === null ? '—' : round(randomRate * 100, 1), random_n: random ? num(random.inspected) : 0 },
      ),
    };
  },
};
