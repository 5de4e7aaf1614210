import { sql } from 'kysely';
import type { AnalyticalModel, EntityScore } from '../analytical-model.js';
import { column, commonParameters, num, numberParameter, rankingResult, round, text } from './model-kit.js';

interface SeriesCount {
  series: string | null;
  recent: unknown;
  earlier: unknown;
}

/** The ways traffic is split into series, as SQL over intake's parcels and clearance's assessment. */
const dimensions: Record<string, { sql: string; kind: EntityScore['kind'] }> = {
  carrier: { sql: 'p.carrier_code', kind: 'carrier' },
  office: { sql: 'p.office_code', kind: 'group' },
  origin: { sql: 'p.origin_country', kind: 'group' },
  hs_chapter: { sql: 'p.hs_chapter', kind: 'hs6' },
  value_band: {
    sql: "case when c.goods_price_usd is null then '?' when c.goods_price_usd < 50 then '<50' when c.goods_price_usd < 150 then '50-150' else '150+' end",
    kind: 'group',
  },
};

const twoProportionZ = text('Two-proportion z', '두 비율 z', 'z de deux proportions');

/**
 * M5 Flow and displacement monitor: the share of traffic each carrier, office, origin or value band takes
 * in the last days of the period against the days before, so that flows moving to a weaker entry point
 * after a control or a rule change are seen.
 */
export const flowDisplacement: AnalyticalModel = {
  id: 'M5',
  version: '1.0.0',
  group: 'operations',
  firstTwelve: false,
  name: text('Flow, displacement and trend monitor', '물동량 이동·추세 감시', 'Surveillance des flux et des déplacements'),
  question: text(
    'Where does traffic shift (carrier, entry office, origin, value band) after controls or rule changes?',
    '단속이나 규칙 변경 후 물동량이 어디로(운송사, 세관, 원산지, 가격대) 옮겨 가는가?',
    "Où le trafic se déplace-t-il (transporteur, bureau d'entrée, origine, tranche de valeur) après des contrôles ou des changements de règles ?",
  ),
  method: text(
    'The period is split into its last days (after the event) and the days before, and each series’ share of parcels is compared between them with a two-proportion z. Series whose share moved by at least the minimum shift with |z| at or above the cut-off are flagged as displacement, with their volume before and after.',
    '기간을 마지막 며칠(사건 이후)과 그 이전으로 나누고, 계열별 화물 비중을 두 비율 z 검정으로 비교한다. 비중이 최소 변화 이상 움직이고 |z|가 기준 이상인 계열을 이동으로 표시하고 전후 물량을 함께 보인다.',
    "La période est coupée en ses derniers jours (après l'événement) et les jours d'avant, et la part de colis de chaque série est comparée entre les deux par un z de deux proportions. Les séries dont la part a bougé d'au moins le déplacement minimal avec |z| au seuil ou au-dessus sont signalées, avec leur volume avant et après.",
  ),
  inputs: ['intake_analysis_parcel', 'clearance_analysis_parcel'],
  parameters: [
    { name: 'dimension', label: text('Series', '계열', 'Séries'), type: 'choice', default: 'carrier', choices: Object.keys(dimensions) },
    numberParameter('recent_days', text('Days after the event', '사건 이후 일수', "Jours après l'événement"), 1, 1, 180, 'integer'),
    numberParameter('min_shift', text('Minimum share shift (points)', '최소 비중 변화(%p)', 'Déplacement minimal de part (points)'), 2, 0, 100),
    commonParameters.minScore(3, 100),
    commonParameters.limit(50),
  ],
  async run(context) {
    const dimension = dimensions[String(context.parameters.dimension)] ?? dimensions.carrier!;
    const recentDays = num(context.parameters.recent_days);
    const rows = await context.query<SeriesCount>(sql`
      select ${sql.raw(dimension.sql)} as series,
        count(*) filter (where p.arrival_date > ${context.to}::date - ${recentDays}::integer) as recent,
        count(*) filter (where p.arrival_date <= ${context.to}::date - ${recentDays}::integer) as earlier
      from intake_analysis_parcel p
      left join clearance_analysis_parcel c on c.parcel_id = p.parcel_id
      where p.arrival_date between ${context.from}::date and ${context.to}::date
      group by 1
    `);
    context.progress(0.8);
    const recentTotal = rows.reduce((sum, row) => sum + num(row.recent), 0);
    const earlierTotal = rows.reduce((sum, row) => sum + num(row.earlier), 0);
    const shifts = rows.map((row) => {
      const after = recentTotal === 0 ? 0 : num(row.recent) / recentTotal;
      const before = earlierTotal === 0 ? 0 : num(row.earlier) / earlierTotal;
      const pooled = (num(row.recent) + num(row.earlier)) / Math.max(recentTotal + earlierTotal, 1);
      const spread = Math.sqrt(pooled * (1 - pooled) * (1 / Math.max(recentTotal, 1) + 1 / Math.max(earlierTotal, 1)));
      return {
        series: row.series ?? '?',
        recent: num(row.recent),
        earlier: num(row.earlier),
        before_percent: round(before * 100, 1),
        after_percent: round(after * 100, 1),
        shift: (after - before) * 100,
        z: spread === 0 ? 0 : (after - before) / spread,
      };
    });
    const minShift = num(context.parameters.min_shift);
    return rankingResult({
      rows: shifts.filter((row) => Math.abs(row.shift) >= minShift),
      kind: dimension.kind,
      key: (row) => row.series,
      score: (row) => Math.abs(row.z),
      minScore: num(context.parameters.min_score),
      limit: num(context.parameters.limit),
      evidence: text(
        'share {before_percent}% before, {after_percent}% after ({earlier} then {recent} parcels), z {z}',
        '비중 이전 {before_percent}%, 이후 {after_percent}%(화물 {earlier}건 → {recent}건), z {z}',
        'part {before_percent} % avant, {after_percent} % après ({earlier} puis {recent} colis), z {z}',
      ),
      columns: [
        column('series', 'entity', text('Series', '계열', 'Série')),
        column('earlier', 'number', text('Parcels before', '이전 화물', 'Colis avant')),
        column('recent', 'number', text('Parcels after', '이후 화물', 'Colis après')),
        column('before_percent', 'number', text('Share before (%)', '이전 비중(%)', 'Part avant (%)')),
        column('after_percent', 'number', text('Share after (%)', '이후 비중(%)', 'Part après (%)')),
        column('z', 'number', twoProportionZ),
      ],
      cells: (row) => ({
        series: row.series,
        earlier: row.earlier,
        recent: row.recent,
        before_percent: row.before_percent,
        after_percent: row.after_percent,
        z: round(row.z, 1),
      }),
      chartTitle: text('Series whose share moved most (|z|)', '비중 변화가 큰 계열(|z|)', 'Séries dont la part a le plus bougé (|z|)'),
      entityLabel: text('Series', '계열', 'Série'),
    });
  },
};

