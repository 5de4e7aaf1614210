import { sql } from 'kysely';
import type { AnalyticalModel, LocalisedText } from '../analytical-model.js';
import { column, commonParameters, histogramPoints, inPeriod, num, numberParameter, round, say, text } from './model-kit.js';

interface ParcelFeatures {
  tracking_number: string;
  segment: string;
  value_krw: unknown;
  net_mass_kg: unknown;
  units: unknown;
  lines: unknown;
  gross_mass_kg: unknown;
  paid_krw: unknown;
}

/** The features X2 looks at, each on a log scale so that ratios, not differences, count. */
const features: {
  key: string;
  name: LocalisedText;
  /**
   * The smallest spread used for the feature (log units), for segments where most parcels share one value
   * (one line, one unit, declared = paid): counts need a wide one, or a second unit would be an anomaly.
   */
  minScale: number;
  value: (row: ParcelFeatures) => number | null;
}[] = [
  {
    key: 'value_per_kg',
    minScale: 0.5,
    name: text('value per kg', 'kg당 가격', 'valeur au kg'),
    value: (row) => (num(row.net_mass_kg) > 0 && num(row.value_krw) > 0 ? Math.log(num(row.value_krw) / num(row.net_mass_kg)) : null),
  },
  {
    key: 'value_per_unit',
    minScale: 0.5,
    name: text('value per unit', '단위당 가격', 'valeur unitaire'),
    value: (row) => (num(row.units) > 0 && num(row.value_krw) > 0 ? Math.log(num(row.value_krw) / num(row.units)) : null),
  },
  { key: 'units',
    minScale: 1, name: text('units', '수량', 'unités'), value: (row) => (num(row.units) > 0 ? Math.log(num(row.units)) : null) },
  { key: 'lines',
    minScale: 1, name: text('lines', '품목 수', 'lignes'), value: (row) => Math.log(Math.max(1, num(row.lines))) },
  {
    key: 'gross_mass',
    minScale: 0.5,
    name: text('gross mass', '총중량', 'masse brute'),
    value: (row) => (num(row.gross_mass_kg) > 0 ? Math.log(num(row.gross_mass_kg)) : null),
  },
  {
    key: 'declared_over_paid',
    minScale: 0.25,
    name: text('declared over paid', '신고/결제 비율', 'déclaré sur payé'),
    value: (row) => (num(row.paid_krw) > 0 && num(row.value_krw) > 0 ? Math.log(num(row.value_krw) / num(row.paid_krw)) : null),
  },
];

const median = (sorted: readonly number[]) =>
  sorted.length === 0 ? 0 : (sorted[Math.floor((sorted.length - 1) / 2)]! + sorted[Math.ceil((sorted.length - 1) / 2)]!) / 2;

/**
 * X2 Unsupervised anomaly score: where there are no labels yet (new sellers, new goods), how far each
 * parcel's features sit from its segment's, explained by the features that deviate most.
 */
export const anomalyScore: AnalyticalModel = {
  id: 'X2',
  version: '1.0.0',
  group: 'integrated',
  firstTwelve: false,
  name: text('Unsupervised anomaly score', '비지도 이상 점수', "Score d'anomalie non supervisé"),
  question: text(
    'What looks unusual where there are no labels (new sellers, new goods)?',
    '라벨이 없는 곳(신규 판매자, 신규 물품)에서 무엇이 이상해 보이는가?',
    "Qu'est-ce qui paraît inhabituel là où il n'y a pas d'étiquettes (nouveaux vendeurs, nouvelles marchandises) ?",
  ),
  method: text(
    'Each parcel’s log features (value per kg and per unit, units, lines, gross mass, declared over paid) get a robust z against the median and MAD of its segment (channel and HS chapter of its first line). The score is the root mean square of its two largest |z|, the top contamination share is flagged, and the deviating features are its explanation.',
    '화물마다 로그 특성(kg당·단위당 가격, 수량, 품목 수, 총중량, 신고/결제 비율)의 로버스트 z를 구간(경로와 첫 품목의 HS 류)의 중앙값과 MAD로 구한다. 점수는 가장 큰 |z| 두 개의 제곱평균제곱근이며, 상위 오염 비율을 표시하고 벗어난 특성을 설명으로 붙인다.',
    "Les caractéristiques logarithmiques de chaque colis (valeur au kg et unitaire, unités, lignes, masse brute, déclaré sur payé) reçoivent un z robuste face à la médiane et au MAD de son segment (canal et chapitre SH de sa première ligne). Le score est la moyenne quadratique de ses deux plus grands |z|, la part de contamination la plus haute est signalée, et les caractéristiques déviantes l'expliquent.",
  ),
  inputs: ['intake_analysis_buyer_parcel', 'intake_analysis_parcel_line', 'intake_analysis_order_payment', 'clearance_analysis_parcel'],
  parameters: [
    numberParameter('contamination', text('Share flagged (%)', '표시 비율(%)', 'Part signalée (%)'), 5, 0.1, 50),
    numberParameter('min_segment', text('Minimum parcels per segment', '구간별 최소 화물 수', 'Colis minimum par segment'), 20, 5, 100_000, 'integer'),
    commonParameters.limit(),
  ],
  async run(context) {
    const rows = await context.query<ParcelFeatures>(sql`
      with parcels as (
        select b.parcel_id, b.tracking_number, b.channel, b.gross_mass_kg, c.goods_price_krw as value_krw
        from intake_analysis_buyer_parcel b join clearance_analysis_parcel c on c.parcel_id = b.parcel_id
        where ${inPeriod('b.arrival_date', context)}
      ),
      lines as (
        select l.parcel_id, count(*) as lines, sum(l.quantity) as units, sum(l.net_mass_kg) as net_mass_kg,
          min(case when l.line_number = 1 then l.hs_chapter end) as hs_chapter
        from intake_analysis_parcel_line l join parcels p on p.parcel_id = l.parcel_id group by l.parcel_id
      )
      select p.tracking_number, p.channel || ' / ' || coalesce(l.hs_chapter, '?') as segment, p.value_krw,
        l.net_mass_kg, l.units, l.lines, p.gross_mass_kg, o.paid_krw
      from parcels p
      left join lines l on l.parcel_id = p.parcel_id
      left join intake_analysis_order_payment o on o.tracking_number = p.tracking_number
    `);
    context.progress(0.6);
    // Segments too small for a median fall back to their channel.
    const segmentSizes = new Map<string, number>();
    for (const row of rows) segmentSizes.set(row.segment, (segmentSizes.get(row.segment) ?? 0) + 1);
    const segmentOf = (row: ParcelFeatures) =>
      (segmentSizes.get(row.segment) ?? 0) >= num(context.parameters.min_segment) ? row.segment : row.segment.split(' / ')[0]!;
    const values = rows.map((row) => features.map((feature) => feature.value(row)));
    const norms = new Map<string, { median: number; scale: number }[]>();
    for (const segment of new Set(rows.map(segmentOf))) {
      const members = rows.flatMap((row, index) => (segmentOf(row) === segment ? [values[index]!] : []));
      norms.set(
        segment,
        features.map((feature, f) => {
          const column = members.map((member) => member[f]).filter((value): value is number => value !== null).sort((a, b) => a - b);
          const centre = median(column);
          const mad = median(column.map((value) => Math.abs(value - centre)).sort((a, b) => a - b));
          return { median: centre, scale: Math.max(1.4826 * mad, feature.minScale) };
        }),
      );
    }
    const scored = rows.map((row, index) => {
      const norm = norms.get(segmentOf(row))!;
      const deviations = features
        .map((feature, f) => ({ feature, z: values[index]![f] === null ? 0 : (values[index]![f]! - norm[f]!.median) / norm[f]!.scale }))
        .sort((a, b) => Math.abs(b.z) - Math.abs(a.z));
      const top = deviations.slice(0, 2);
      return { row, segment: segmentOf(row), top, score: Math.sqrt(top.reduce((sum, entry) => sum + entry.z * entry.z, 0) / 2) };
    });
    scored.sort((a, b) => b.score - a.score);
    const flagged = scored.slice(0, Math.ceil((scored.length * num(context.parameters.contamination)) / 100));
    const describe = (entry: (typeof scored)[number]): LocalisedText =>
      say(
        text('{first} z {first_z}; {second} z {second_z} in segment {segment}', '{segment} 구간에서 {first} z {first_z}; {second} z {second_z}', '{first} z {first_z} ; {second} z {second_z} dans le segment {segment}'),
        {
          first: entry.top[0]!.feature.key,
          first_z: round(entry.top[0]!.z, 1),
          second: entry.top[1]!.feature.key,
          second_z: round(entry.top[1]!.z, 1),
          segment: entry.segment,
        },
      );
    return {
      columns: [
        column('tracking_number', 'entity'),
        column('segment', 'text', text('Segment', '구간', 'Segment')),
        column('score', 'number'),
        column('reasons', 'text'),
      ],
      rows: flagged.slice(0, num(context.parameters.limit)).map((entry) => ({
        tracking_number: entry.row.tracking_number,
        segment: entry.segment,
        score: round(entry.score, 2),
        reasons: entry.top.map((deviation) => `${deviation.feature.name[context.locale]} z ${round(deviation.z, 1)}`).join('; '),
      })),
      entities: flagged.map((entry) => ({ kind: 'parcel', key: entry.row.tracking_number, score: round(entry.score, 3), evidence: [describe(entry)] })),
      chart: {
        kind: 'histogram',
        title: text('Anomaly scores of the period', '기간 이상 점수 분포', 'Scores d’anomalie de la période'),
        x: { key: 'score', label: text('Score', '점수', 'Score') },
        y: { key: 'parcels', label: text('Parcels', '화물 수', 'Colis') },
        points: histogramPoints(scored.map((entry) => entry.score), 0, 1, 12),
      },
    };
  },
};
