/**
 * Carrier compliance per quarter: measured indicators, each with the evidence behind its number, a
 * weighted score out of 100 and the risk level it gives (Customs Act: the level sets the share of the
 * carrier's parcels that targeting selects).
 */

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

export const indicatorWeights: Record<IndicatorCode, number> = {
  data_completeness: 0.3,
  timeliness: 0.2,
  declaration_accuracy: 0.3,
  inspection_reporting: 0.2,
};

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
