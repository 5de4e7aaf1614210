import { sql } from 'kysely';
import type { AnalyticalModel, LocalisedText } from '../analytical-model.js';
import { column, commonParameters, num, numberParameter, rankingResult, round, text } from './model-kit.js';

interface BucketCount {
  feature: string;
  bucket: string | null;
  current: unknown;
  reference: unknown;
}

/** The features whose distribution is compared, as SQL over the window's parcels with their decision and assessment. */
const featureExpressions: Record<string, { sql: string; name: LocalisedText }> = {
  channel: { sql: 'channel', name: text('channel', '경로', 'canal') },
  carrier: { sql: 'carrier_code', name: text('carrier', '운송사', 'transporteur') },
  origin: { sql: 'origin_country', name: text('origin', '원산지', 'origine') },
  hs_chapter: { sql: 'hs_chapter', name: text('HS chapter', 'HS 류', 'chapitre SH') },
  value_band: {
    sql: "cast(floor(log(greatest(goods_price_krw, 1)) * 2) as text)",
    name: text('value band', '가격대', 'tranche de valeur'),
  },
  score_band: { sql: 'cast(floor(least(score, 0.999) * 10) as text)', name: text('risk score band', '위험 점수대', 'tranche de score') },
  lane: { sql: 'lane', name: text('lane', '검사 구분', 'circuit') },
};

/**
 * M3 Drift monitor: the population stability index (PSI) of each feature and of the risk score between a
 * reference window and the period, so that a shift in traffic or fraud prompts a review of models and rules.
 */
export const driftMonitor: AnalyticalModel = {
  id: 'M3',
  version: '1.0.0',
  group: 'operations',
  firstTwelve: false,
  name: text('Drift monitor', '분포 변화 감시', 'Surveillance de la dérive'),
  question: text(
    'Has traffic or fraud changed enough to review models and rules?',
    '모델과 규칙을 재검토할 만큼 물동량이나 위반 양상이 변했는가?',
    'Le trafic ou la fraude ont-ils assez changé pour revoir les modèles et les règles ?',
  ),
  method: text(
    'Parcels of the period and of a reference window just before it are counted per bucket of each feature (channel, carrier, origin, HS chapter, value band, risk score band, lane). The population stability index Σ (c − r)·ln(c / r) of each feature is reported and features at or above the alert level are flagged.',
    '기간과 그 직전 기준 구간의 화물을 특성(경로, 운송사, 원산지, HS 류, 가격대, 위험 점수대, 검사 구분)의 구간별로 센다. 특성마다 모집단 안정성 지수 Σ (c − r)·ln(c / r)를 보고하고 경보 수준 이상인 특성을 표시한다.',
    "Les colis de la période et d'une fenêtre de référence juste avant sont comptés par tranche de chaque caractéristique (canal, transporteur, origine, chapitre SH, tranche de valeur, tranche de score, circuit). L'indice de stabilité Σ (c − r)·ln(c / r) de chaque caractéristique est donné et celles au niveau d'alerte ou au-dessus sont signalées.",
  ),
  inputs: ['intake_analysis_parcel', 'targeting_analysis_decision', 'clearance_analysis_parcel'],
  parameters: [
    numberParameter('reference_days', text('Reference window (days before the period)', '기준 구간(기간 이전 일수)', 'Fenêtre de référence (jours avant la période)'), 28, 1, 366, 'integer'),
    numberParameter('psi_alert', text('PSI alert level', 'PSI 경보 수준', "Niveau d'alerte PSI"), 0.2, 0.01, 10),
    commonParameters.limit(50),
  ],
  async run(context) {
    const referenceDays = num(context.parameters.reference_days);
    const counts = await context.query<BucketCount>(sql`
      with parcels as (
        select p.*, d.score, d.lane, c.goods_price_krw,
          case when p.arrival_date >= ${context.from}::date then 1 else 0 end as in_period
        from intake_analysis_parcel p
        left join targeting_analysis_decision d on d.parcel_id = p.parcel_id
        left join clearance_analysis_parcel c on c.parcel_id = p.parcel_id
        where p.arrival_date between ${context.from}::date - ${referenceDays}::integer and ${context.to}::date
      )
      ${sql.join(
        Object.entries(featureExpressions).map(
          ([feature, expression]) => sql`
            select ${sql.lit(feature)} as feature, ${sql.raw(expression.sql)} as bucket,
              sum(in_period) as current, sum(1 - in_period) as reference
            from parcels p group by 2`,
        ),
        sql` union all `,
      )}
    `);
    context.progress(0.8);
    const totals = { current: 0, reference: 0 };
    const byFeature = new Map<string, BucketCount[]>();
    for (const row of counts) byFeature.set(row.feature, [...(byFeature.get(row.feature) ?? []), row]);
    const first = byFeature.values().next().value ?? [];
    for (const row of first) {
      totals.current += num(row.current);
      totals.reference += num(row.reference);
    }
    // Empty buckets get a floor share so that a bucket new in the period gives a large, finite index.
    const floor = 1e-4;
    const drifts = [...byFeature].map(([feature, buckets]) => {
      const terms = buckets.map((bucket) => {
        const c = Math.max(num(bucket.current) / Math.max(totals.current, 1), floor);
        const r = Math.max(num(bucket.reference) / Math.max(totals.reference, 1), floor);
        return { bucket: bucket.bucket ?? '?', c, r, term: (c - r) * Math.log(c / r) };
      });
      const top = [...terms].sort((a, b) => b.term - a.term)[0];
      return {
        feature,
        name: featureExpressions[feature]!.name[context.locale],
        psi: terms.reduce((sum, term) => sum + term.term, 0),
        bucket: top?.bucket ?? '',
        current_percent: round((top?.c ?? 0) * 100, 1),
        reference_percent: round((top?.r ?? 0) * 100, 1),
      };
    });
    const result = rankingResult({
      rows: drifts,
      kind: 'group',
      key: (row) => row.feature,
      score: (row) => row.psi,
      // Every feature is shown in the table; only those at the alert level become flagged entities.
      minScore: 0,
      limit: num(context.parameters.limit),
      evidence: text(
        'PSI {psi}; most shifted: {bucket} from {reference_percent}% to {current_percent}% of parcels',
        'PSI {psi}; 가장 크게 변한 구간 {bucket}: 화물의 {reference_percent}%에서 {current_percent}%로',
        'PSI {psi} ; tranche la plus déplacée : {bucket}, de {reference_percent} % à {current_percent} % des colis',
      ),
      columns: [
        column('name', 'entity', text('Feature', '특성', 'Caractéristique')),
        column('psi', 'number', text('PSI', 'PSI', 'PSI')),
        column('bucket', 'text', text('Most shifted bucket', '최대 변화 구간', 'Tranche la plus déplacée')),
        column('reference_percent', 'number', text('Reference (%)', '기준(%)', 'Référence (%)')),
        column('current_percent', 'number', text('Period (%)', '기간(%)', 'Période (%)')),
      ],
      cells: (row) => ({
        name: row.name,
        psi: round(row.psi, 3),
        bucket: row.bucket,
        reference_percent: row.reference_percent,
        current_percent: row.current_percent,
      }),
      chartTitle: text('Population stability index per feature', '특성별 모집단 안정성 지수', 'Indice de stabilité par caractéristique'),
      entityLabel: text('Feature', '특성', 'Caractéristique'),
    });
    result.entities = result.entities.filter((entity) => entity.score >= num(context.parameters.psi_alert));
    return result;
  },
};
