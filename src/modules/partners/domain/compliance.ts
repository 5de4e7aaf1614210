/**
 * Carrier compliance per quarter: measured indicators, each with the evidence behind its number, a
 * weighted score out of 100 and the risk level it gives (Customs Act: the level sets the share of the
 * carrier's parcels that targeting selects).
 */
import type { CarrierRecords } from '../../clearance/index.js';

export interface Quarter {
  /** `YYYY-Qn` */
  label: string;
  /** First and last day, `YYYY-MM-DD`. */
  from: string;
  to: string;
}

/** The quarter named `YYYY-Qn`, or null when the text is not one. */
export function parseQuarter(text: string): Quarter | null {
  const match = /^(\d{4})-Q([1-4])$/.exec(text);
  if (!match) return null;
  const year = Number(match[1]);
  const quarter = Number(match[2]);
  const first = new Date(Date.UTC(year, (quarter - 1) * 3, 1));
  const last = new Date(Date.UTC(year, quarter * 3, 0));
  return { label: text, from: first.toISOString().slice(0, 10), to: last.toISOString().slice(0, 10) };
}

/** The quarter holding an instant. */
export function quarterOf(date: Date): Quarter {
  return parseQuarter(`${date.getUTCFullYear()}-Q${Math.floor(date.getUTCMonth() / 3) + 1}`)!;
}

/** `count` quarters ending with `last`, oldest first. */
export function quartersUpTo(last: Quarter, count: number): Quarter[] {
  const [year, quarter] = [Number(last.label.slice(0, 4)), Number(last.label.slice(6))];
  const quarters: Quarter[] = [];
  for (let back = count - 1; back >= 0; back--) {
    const index = year * 4 + (quarter - 1) - back;
    quarters.push(parseQuarter(`${Math.floor(index / 4)}-Q${(index % 4) + 1}`)!);
  }
  return quarters;
}

export const indicatorCodes = [
  'data_completeness',
  'timeliness',
  'declaration_accuracy',
  'inspection_reporting',
  'rfi_answers',
  'declaration_corrections',
  'final_address_reports',
  'seizures',
] as const;
export type IndicatorCode = (typeof indicatorCodes)[number];

/** What a number was measured on: a share `numerator / denominator`, and parcels that lower it. */
export interface Evidence {
  numerator: number;
  denominator: number;
  /** Parcel ids that count against the carrier (the first few). */
  parcelSamples: number[];
  /** Other facts the number rests on (the carrier's own report, for example). */
  facts?: Record<string, number | string | null>;
}

export interface Indicator {
  code: IndicatorCode;
  /** 0..1, or null when there was nothing to measure (no parcels, no inspections). */
  value: number | null;
  weight: number;
  evidence: Evidence;
}

/** The data a carrier sends weighs most; its conduct towards customs after the data weighs the rest. */
export const indicatorWeights: Record<IndicatorCode, number> = {
  data_completeness: 0.2,
  timeliness: 0.15,
  declaration_accuracy: 0.2,
  inspection_reporting: 0.1,
  rfi_answers: 0.1,
  declaration_corrections: 0.1,
  final_address_reports: 0.1,
  seizures: 0.05,
};

/**
 * Deadlines and the seizure ceiling behind the indicators measured on clearance's records. A request
 * for information is answered on time when the carrier acknowledges it within a day (ICS2 expects
 * answers to referrals before loading, within hours); a released parcel's final address is due a week
 * after release (delivery plus reporting). Seizures are rare, so a plain share of parcels without one
 * would read about 1 for every carrier: the rate is set against a ceiling (1 parcel in 100 seized scores
 * 0) so that a carrier whose flow carries many seized goods stands out.
 */
export const clearanceRecordRules = {
  rfiAnswerHours: 24,
  finalAddressReportDays: 7,
  seizureRateCeiling: 0.01,
} as const;

/** The four indicators other modules' records give: answers, corrections, final addresses, seizures. */
export function clearanceIndicators(records: CarrierRecords): Indicator[] {
  const { parcels, requestsForInformation: rfi, corrections, finalAddressReports: reports } = records;
  const seized = records.seizures.seizedParcels;
  const uncorrected = Math.max(0, parcels - corrections.correctedParcels);
  const seizureRate = parcels > 0 ? seized / parcels : null;
  return [
    {
      code: 'rfi_answers',
      value: share(rfi.answeredOnTime, rfi.due),
      weight: indicatorWeights.rfi_answers,
      evidence: {
        numerator: rfi.answeredOnTime,
        denominator: rfi.due,
        parcelSamples: rfi.lateSamples,
        facts: {
          answered_late: rfi.answeredLate,
          unanswered: rfi.unanswered,
          pending: rfi.pending,
          deadline_hours: clearanceRecordRules.rfiAnswerHours,
        },
      },
    },
    {
      code: 'declaration_corrections',
      value: share(uncorrected, parcels),
      weight: indicatorWeights.declaration_corrections,
      evidence: {
        numerator: uncorrected,
        denominator: parcels,
        parcelSamples: corrections.samples,
        facts: {
          corrected_parcels: corrections.correctedParcels,
          amendment_requests: corrections.amendmentRequests,
          corrected_at_inspection: corrections.correctedAtInspection,
        },
      },
    },
    {
      code: 'final_address_reports',
      value: share(reports.reported, reports.due),
      weight: indicatorWeights.final_address_reports,
      evidence: {
        numerator: reports.reported,
        denominator: reports.due,
        parcelSamples: reports.missingSamples,
        facts: { pending: reports.pending, due_after_days: clearanceRecordRules.finalAddressReportDays },
      },
    },
    {
      code: 'seizures',
      value:
        seizureRate === null ? null : 1 - Math.min(1, seizureRate / clearanceRecordRules.seizureRateCeiling),
      weight: indicatorWeights.seizures,
      evidence: {
        numerator: parcels - seized,
        denominator: parcels,
        parcelSamples: records.seizures.samples,
        facts: {
          seized_parcels: seized,
          ceiling_rate: clearanceRecordRules.seizureRateCeiling,
          ...Object.fromEntries(
            Object.entries(records.seizures.byCategory).map(([category, count]) => [
              `category_${category}`,
              count,
            ]),
          ),
        },
      },
    },
  ];
}

export type ComplianceLevel = 'low' | 'medium' | 'high';

/** Score thresholds: at or above `low` the carrier is low risk; below `medium` it is high risk. */
export const levelThresholds = { low: 85, medium: 65 } as const;

/** Numerator over denominator, null when there is nothing to divide. */
export function share(numerator: number, denominator: number): number | null {
  return denominator > 0 ? numerator / denominator : null;
}

/**
 * The weighted mean of the measured indicators, out of 100 (indicators without a value leave the
 * weighting), and its level. Without any measured indicator the carrier stays at medium risk.
 */
export function scoreCompliance(indicators: readonly Indicator[]): {
  score: number | null;
  level: ComplianceLevel;
} {
  const measured = indicators.filter((indicator) => indicator.value !== null);
  const weight = measured.reduce((sum, indicator) => sum + indicator.weight, 0);
  if (weight === 0) return { score: null, level: 'medium' };
  const score = Math.round((measured.reduce((sum, i) => sum + i.weight * i.value!, 0) / weight) * 1000) / 10;
  const level: ComplianceLevel =
    score >= levelThresholds.low ? 'low' : score >= levelThresholds.medium ? 'medium' : 'high';
  return { score, level };
}

/** The carrier's own figures for a quarter and customs' figures for the same parcels. */
export interface InspectionFigures {
  carrier: {
    parcelsHandled: number;
    parcelsScreened: number;
    parcelsInspected: number;
    findings: number;
  } | null;
  customs: { parcelsReceived: number; parcelsInspected: number; findings: number };
}

/** Relative gap above which the two sides are shown as differing. */
export const DIFFERENCE_TOLERANCE = 0.1;

/** Each figure side by side, with the gap and whether it is beyond the tolerance. */
export function compareInspectionFigures(figures: InspectionFigures) {
  const pairs = [
    ['parcels', figures.carrier?.parcelsHandled, figures.customs.parcelsReceived],
    ['inspected', figures.carrier?.parcelsInspected, figures.customs.parcelsInspected],
    ['findings', figures.carrier?.findings, figures.customs.findings],
  ] as const;
  return pairs.map(([figure, carrier, customs]) => {
    const gap = carrier === undefined ? null : carrier - customs;
    const base = Math.max(carrier ?? 0, customs, 1);
    return {
      figure,
      carrier: carrier ?? null,
      customs,
      difference: gap,
      differs: gap !== null && Math.abs(gap) / base > DIFFERENCE_TOLERANCE,
    };
  });
}
