import { sql } from 'kysely';
import type { AnalyticalModel, ModelRunContext, ModelResult } from '../analytical-model.js';

/**
 * M2 Random control and compliance measurement (catalogue §J): the parcels targeting picked at random
 * (whatever their score) are an unbiased sample of the traffic, so their seizure rate per stratum
 * estimates the true non-compliance rate; targeted picks are compared with it (lift).
 */

export interface StratumCounts {
  stratum: string;
  parcels: number;
  randomChecked: number;
  randomNonCompliant: number;
  targetedChecked: number;
  targetedNonCompliant: number;
}

export interface StratumEstimate extends StratumCounts {
  sampleRate: number;
  rate: number;
  low: number;
  high: number;
  /** Expected non-compliant parcels in the whole stratum. */
  estimatedNonCompliant: number;
  /** Targeted hit rate over the random rate; null without a random finding to compare with. */
  lift: number | null;
}

/** The two-sided normal quantile for common confidence levels (Acklam's rational approximation). */
export function normalQuantile(probability: number): number {
  const a = [-39.6968302866538, 220.946098424521, -275.928510446969, 138.357751867269, -30.6647980661472, 2.50662827745924];
  const b = [-54.4760987982241, 161.585836858041, -155.698979859887, 66.8013118877197, -13.2806815528857];
  const c = [-0.00778489400243029, -0.322396458041136, -2.40075827716184, -2.54973253934373, 4.37466414146497, 2.93816398269878];
  const d = [0.00778469570904146, 0.32246712907004, 2.445134137143, 3.75440866190742];
  const tail = Math.min(probability, 1 - probability);
  const q = Math.sqrt(-2 * Math.log(tail));
  const x =
    tail < 0.02425
      ? (((((c[0]! * q + c[1]!) * q + c[2]!) * q + c[3]!) * q + c[4]!) * q + c[5]!) /
        ((((d[0]! * q + d[1]!) * q + d[2]!) * q + d[3]!) * q + 1)
      : (() => {
          const r = (probability - 0.5) ** 2;
          const s = probability - 0.5;
          return (
            ((((((a[0]! * r + a[1]!) * r + a[2]!) * r + a[3]!) * r + a[4]!) * r + a[5]!) * s) /
            (((((b[0]! * r + b[1]!) * r + b[2]!) * r + b[3]!) * r + b[4]!) * r + 1)
          );
        })();
  return tail < 0.02425 && probability > 0.5 ? -x : x;
}

/** Wilson score interval of a proportion: stays inside 0..1 and honest for the small samples M2 has. */
export function wilsonInterval(hits: number, n: number, confidence: number): { low: number; high: number } {
  if (n === 0) return { low: 0, high: 1 };
  const z = normalQuantile(1 - (1 - confidence) / 2);
  const p = hits / n;
  const centre = (p + (z * z) / (2 * n)) / (1 + (z * z) / n);
  const half = (z * Math.sqrt((p * (1 - p)) / n + (z * z) / (4 * n * n))) / (1 + (z * z) / n);
  return { low: Math.max(0, centre - half), high: Math.min(1, centre + half) };
}

export function estimateStrata(counts: readonly StratumCounts[], confidence: number): StratumEstimate[] {
  return counts.map((stratum) => {
    const rate = stratum.randomChecked === 0 ? 0 : stratum.randomNonCompliant / stratum.randomChecked;
    const targetedRate =
      stratum.targetedChecked === 0 ? 0 : stratum.targetedNonCompliant / stratum.targetedChecked;
    return {
      ...stratum,
      sampleRate: stratum.parcels === 0 ? 0 : stratum.randomChecked / stratum.parcels,
      rate,
      ...wilsonInterval(stratum.randomNonCompliant, stratum.randomChecked, confidence),
      estimatedNonCompliant: Math.round(rate * stratum.parcels),
      lift: rate > 0 ? targetedRate / rate : null,
    };
  });
}

const text = (ko: string, en: string, fr: string) => ({ ko, en, fr });
const percent = (value: number) => `${(value * 100).toFixed(1)}%`;

const strataExpressions: Record<string, string> = {
  channel: 'parcel.channel',
  carrier: 'parcel.carrier_code',
  channel_and_value_band: `parcel.channel || ' / ' || case
      when clearance.goods_price_usd is null then '?'
      when clearance.goods_price_usd < 50 then '<50'
      when clearance.goods_price_usd < 150 then '50-150'
      else '150+' end`,
};

async function run(context: ModelRunContext): Promise<ModelResult> {
  const confidence = Number(context.parameters.confidence);
  const minSample = Number(context.parameters.min_sample);
  const stratumExpression = strataExpressions[String(context.parameters.strata)] ?? strataExpressions.channel!;
  const rows = await context.query(sql<{
    stratum: string | null;
    parcels: string | number;
    random_checked: string | number;
    random_non_compliant: string | number;
    targeted_checked: string | number;
    targeted_non_compliant: string | number;
  }>`
    select ${sql.raw(stratumExpression)} as stratum,
      count(*) as parcels,
      count(*) filter (where selection.why_selected = 'random') as random_checked,
      count(*) filter (where selection.why_selected = 'random' and clearance.seized) as random_non_compliant,
      count(*) filter (where selection.why_selected in ('rule', 'mandatory-rule', 'model', 'override')) as targeted_checked,
      count(*) filter (where selection.why_selected in ('rule', 'mandatory-rule', 'model', 'override') and clearance.seized)
        as targeted_non_compliant
    from intake_analysis_parcel parcel
    join targeting_analysis_selection selection on selection.parcel_id = parcel.parcel_id
    left join clearance_analysis_parcel clearance on clearance.parcel_id = parcel.parcel_id
    where coalesce(parcel.arrival_date, selection.decision_day) between ${context.from}::date and ${context.to}::date
    group by 1
    order by 1`);
  context.progress(0.8);
  const estimates = estimateStrata(
    rows.map((row) => ({
      stratum: row.stratum ?? '?',
      parcels: Number(row.parcels),
      randomChecked: Number(row.random_checked),
      randomNonCompliant: Number(row.random_non_compliant),
      targetedChecked: Number(row.targeted_checked),
      targetedNonCompliant: Number(row.targeted_non_compliant),
    })),
    confidence,
  );
  const measured = estimates.filter((estimate) => estimate.randomChecked >= minSample);
  const population = estimates.reduce((sum, estimate) => sum + estimate.parcels, 0);
  const expected = measured.reduce((sum, estimate) => sum + estimate.estimatedNonCompliant, 0);
  return {
    columns: [
      { key: 'stratum', label: text('층', 'Stratum', 'Strate'), type: 'entity' },
      { key: 'parcels', label: text('소포 수', 'Parcels', 'Colis'), type: 'number' },
      { key: 'random_checked', label: text('무작위 검사', 'Random checks', 'Contrôles aléatoires'), type: 'number' },
      { key: 'sample_rate', label: text('표본 비율', 'Sample rate', "Taux d'échantillonnage"), type: 'percent' },
      { key: 'rate', label: text('위반율', 'Non-compliance', 'Non-conformité'), type: 'percent' },
      { key: 'low', label: text('하한', 'Lower bound', 'Borne basse'), type: 'percent' },
      { key: 'high', label: text('상한', 'Upper bound', 'Borne haute'), type: 'percent' },
      { key: 'estimated', label: text('추정 위반 소포', 'Estimated non-compliant', 'Non conformes estimés'), type: 'number' },
      { key: 'lift', label: text('표적 검사 향상도', 'Targeting lift', 'Gain du ciblage'), type: 'number' },
    ],
    rows: measured.map((estimate) => ({
      stratum: estimate.stratum,
      parcels: estimate.parcels,
      random_checked: estimate.randomChecked,
      sample_rate: estimate.sampleRate,
      rate: estimate.rate,
      low: estimate.low,
      high: estimate.high,
      estimated: estimate.estimatedNonCompliant,
      lift: estimate.lift === null ? null : Math.round(estimate.lift * 100) / 100,
    })),
    entities: measured.map((estimate) => ({
      kind: 'group',
      key: estimate.stratum,
      score: estimate.rate,
      evidence: [
        text(
          `무작위 검사 ${estimate.randomChecked}건 중 ${estimate.randomNonCompliant}건 압수: ${percent(estimate.rate)} (${percent(estimate.low)}–${percent(estimate.high)})`,
          `${estimate.randomNonCompliant} seized of ${estimate.randomChecked} random checks: ${percent(estimate.rate)} (${percent(estimate.low)}–${percent(estimate.high)})`,
          `${estimate.randomNonCompliant} saisis sur ${estimate.randomChecked} contrôles aléatoires : ${percent(estimate.rate)} (${percent(estimate.low)}–${percent(estimate.high)})`,
        ),
        text(
          `표적 검사 ${estimate.targetedChecked}건 중 ${estimate.targetedNonCompliant}건 압수`,
          `${estimate.targetedNonCompliant} seized of ${estimate.targetedChecked} targeted checks`,
          `${estimate.targetedNonCompliant} saisis sur ${estimate.targetedChecked} contrôles ciblés`,
        ),
      ],
    })),
    chart: {
      kind: 'bar',
      title: text('층별 위반율 (무작위 표본)', 'Non-compliance per stratum (random sample)', 'Non-conformité par strate (échantillon aléatoire)'),
      x: { key: 'stratum', label: text('층', 'Stratum', 'Strate') },
      y: { key: 'rate', label: text('위반율 (%)', 'Non-compliance (%)', 'Non-conformité (%)') },
      points: measured.map((estimate) => ({ x: estimate.stratum, y: Math.round(estimate.rate * 1000) / 10 })),
    },
    summary: text(
      `소포 ${population}개, 무작위 표본으로 측정된 층 ${measured.length}개, 추정 위반 소포 ${expected}개`,
      `${population} parcels, ${measured.length} strata measured by the random sample, ${expected} non-compliant parcels estimated`,
      `${population} colis, ${measured.length} strates mesurées par l'échantillon aléatoire, ${expected} colis non conformes estimés`,
    ),
  };
}

export const randomControlSampleModel: AnalyticalModel = {
  id: 'M2',
  version: '1.0.0',
  group: 'operations',
  firstTwelve: false,
  name: text('무작위 통제 표본과 준법 측정', 'Random control and compliance measurement', 'Échantillon de contrôle aléatoire et mesure de la conformité'),
  question: text(
    '표적이 아닌 일반 물동량의 실제 위반율은 얼마인가?',
    'What is the true non-compliance rate in untargeted traffic?',
    'Quel est le vrai taux de non-conformité du trafic non ciblé ?',
  ),
  method: text(
    '점수와 무관하게 무작위로 선별된 소포의 압수율을 층별로 계산하고 Wilson 신뢰구간을 붙입니다. 표적 선별의 적중률을 이 기준과 비교해 향상도를 보고합니다.',
    'Computes, per stratum, the seizure rate of the parcels selected at random whatever their score, with a Wilson confidence interval. Targeted selections are compared with this baseline and their lift reported.',
    "Calcule par strate le taux de saisie des colis tirés au hasard quel que soit leur score, avec un intervalle de Wilson. Les sélections ciblées sont comparées à cette référence et leur gain est indiqué.",
  ),
  inputs: ['intake_analysis_parcel', 'targeting_analysis_selection', 'clearance_analysis_parcel'],
  parameters: [
    {
      name: 'strata',
      label: text('층 기준', 'Strata', 'Strates'),
      type: 'choice',
      default: 'channel',
      choices: ['channel', 'carrier', 'channel_and_value_band'],
    },
    {
      name: 'confidence',
      label: text('신뢰수준', 'Confidence level', 'Niveau de confiance'),
      type: 'number',
      default: 0.95,
      min: 0.5,
      max: 0.999,
    },
    {
      name: 'min_sample',
      label: text('층별 최소 표본', 'Minimum sample per stratum', 'Échantillon minimal par strate'),
      type: 'integer',
      default: 1,
      min: 1,
      max: 10_000,
    },
  ],
  run,
};
