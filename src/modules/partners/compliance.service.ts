import { stringify } from 'csv-stringify/sync';
import type { Actor } from '../../platform/auth/actor.js';
import { describeActor, systemActor } from '../../platform/auth/actor.js';
import type { AuditTrail } from '../../platform/auth/audit-trail.js';
import type { FieldError } from '../../platform/errors/field-error.js';
import type { CarrierRecords, CarrierRecordsQuery } from '../clearance/index.js';
import {
  clearanceIndicators,
  clearanceRecordRules,
  compareInspectionFigures,
  indicatorWeights,
  parseQuarter,
  quarterOf,
  quartersUpTo,
  scoreCompliance,
  share,
  type ComplianceLevel,
  type Indicator,
  type Quarter,
} from './domain/compliance.js';
import {
  indicatorExplanations,
  indicatorNames,
  levelNames,
  reportHeadings,
  type Language,
} from './domain/wording.js';
import { assertOfficerOrOwn, organisationOf } from './partners.access.js';
import { PartnersError } from './partners.errors.js';
import type { InspectionReportRow, PartnersRepository } from './partners.repository.js';

/** What compliance reads of a carrier's parcels (intake, through main.ts). */
export interface CarrierDataSource {
  carrierDataQuality(
    carrierCode: string,
    range: { from: string; to: string },
  ): Promise<{
    parcels: number;
    complete: number;
    beforeArrival: number;
    withArrivalDate: number;
    inspected: number;
    inspectedWithFindings: number;
    incompleteSamples: number[];
    lateSamples: number[];
    findingSamples: number[];
  }>;
}

/**
 * What compliance reads of clearance's records of a carrier (through main.ts): answers to requests for
 * information, corrected declarations, final-address reports and seizures.
 */
export interface CarrierRecordSource {
  carrierRecords(query: CarrierRecordsQuery): Promise<CarrierRecords>;
}

/** Where a carrier's level goes: targeting's per-carrier selection rate (through main.ts). */
export interface CarrierLevelSink {
  setCarrierLevel(carrierCode: string, level: ComplianceLevel, note: string): Promise<void>;
}

export interface InspectionFiguresInput {
  period: string;
  parcelsHandled: number;
  parcelsScreened: number;
  parcelsInspected: number;
  findings: number;
}

export interface ComplianceEvaluation {
  carrier: string;
  period: string;
  score: number | null;
  level: ComplianceLevel;
  levelName: string;
  indicators: (Indicator & { name: string; explanation: string })[];
}

const CARRIER_ROLES = ['carrier', 'postal_operator'] as const;

/**
 * Carriers' own inspection figures and their compliance evaluation per quarter. An evaluation of a
 * carrier's latest quarter sets its risk level in targeting at once (audited) when the level changes.
 */
export class ComplianceService {
  constructor(
    private readonly repository: PartnersRepository,
    private readonly parcels: CarrierDataSource,
    private readonly records: CarrierRecordSource,
    private readonly levels: CarrierLevelSink,
    private readonly audit: AuditTrail | undefined,
    private readonly now: () => Date = () => new Date(),
  ) {}

  /** A carrier's (or post's) screening and inspection figures for quarters; the latest per quarter counts. */
  async submitInspectionFigures(
    actor: Actor,
    carrierCode: string,
    rows: readonly InspectionFiguresInput[],
  ): Promise<{ periods: string[] }> {
    assertOfficerOrOwn(actor, 'partners.submit_inspection_figures', carrierCode, [...CARRIER_ROLES]);
    const code = carrierCode.toUpperCase();
    const fieldErrors: FieldError[] = rows.flatMap((row, index) => {
      const problems: FieldError[] = [];
      if (!parseQuarter(row.period))
        problems.push({
          path: `${index}/period`,
          value: row.period,
          rule: 'quarter',
          message: 'must be YYYY-Qn',
        });
      if (row.parcelsScreened > row.parcelsHandled)
        problems.push({
          path: `${index}/parcelsScreened`,
          value: row.parcelsScreened,
          rule: 'at-most-handled',
          message: 'cannot exceed parcelsHandled',
        });
      if (row.parcelsInspected > row.parcelsHandled)
        problems.push({
          path: `${index}/parcelsInspected`,
          value: row.parcelsInspected,
          rule: 'at-most-handled',
          message: 'cannot exceed parcelsHandled',
        });
      if (row.findings > row.parcelsInspected)
        problems.push({
          path: `${index}/findings`,
          value: row.findings,
          rule: 'at-most-inspected',
          message: 'cannot exceed parcelsInspected',
        });
      return problems.map((problem) => ({ ...problem, line: index + 1 }));
    });
    if (rows.length === 0)
      fieldErrors.push({
        path: '',
        value: null,
        rule: 'required',
        message: 'send at least one period',
        line: 0,
      });
    if (fieldErrors.length > 0)
      throw new PartnersError('invalid_request', 'The inspection figures are invalid', { fieldErrors });
    const by = describeActor(actor);
    await this.repository.transaction(async (tx) => {
      for (const row of rows)
        await this.repository.saveInspectionReport(
          {
            carrier_code: code,
            period: row.period,
            parcels_handled: row.parcelsHandled,
            parcels_screened: row.parcelsScreened,
            parcels_inspected: row.parcelsInspected,
            findings: row.findings,
            submitted_by: by,
          },
          tx,
        );
    });
    return { periods: rows.map((row) => row.period) };
  }

  /** The carrier's figures and customs' figures for the same quarter, side by side, differences flagged. */
  async compareInspectionFigures(actor: Actor, carrierCode: string, period: string) {
    assertOfficerOrOwn(actor, 'partners.read_inspection_figures', carrierCode, [...CARRIER_ROLES]);
    const quarter = this.quarter(period);
    const code = carrierCode.toUpperCase();
    const [report] = await this.repository.inspectionReports(code, [quarter.label]);
    const quality = await this.parcels.carrierDataQuality(code, quarter);
    return {
      carrier: code,
      period: quarter.label,
      submittedAt: report ? new Date(report.submitted_at).toISOString() : null,
      revision: report?.revision ?? null,
      screened: report?.parcels_screened ?? null,
      figures: compareInspectionFigures({
        carrier: report ? carrierFigures(report) : null,
        customs: {
          parcelsReceived: quality.parcels,
          parcelsInspected: quality.inspected,
          findings: quality.inspectedWithFindings,
        },
      }),
    };
  }

  /** The evaluation of one quarter; for the carrier's latest quarter its level goes to targeting. */
  async evaluate(
    actor: Actor,
    carrierCode: string,
    period: string,
    language: Language,
  ): Promise<ComplianceEvaluation> {
    assertOfficerOrOwn(actor, 'partners.read_compliance', carrierCode, [...CARRIER_ROLES]);
    const quarter = this.quarter(period);
    const code = carrierCode.toUpperCase();
    const evaluation = await this.measure(code, quarter, language);
    const stored = await this.repository.evaluation(code, quarter.label);
    await this.repository.saveEvaluation({
      carrierCode: code,
      period: quarter.label,
      score: evaluation.score ?? 0,
      level: evaluation.level,
      indicators: evaluation.indicators,
    });
    const latest =
      quarter.label >= quarterOf(this.now()).label || quarter.label === (await this.latestPeriod(code));
    if (latest && stored?.level !== evaluation.level && evaluation.score !== null) {
      await this.levels.setCarrierLevel(
        code,
        evaluation.level,
        `compliance ${quarter.label}: score ${evaluation.score}`,
      );
      await this.audit?.append({
        actor: organisationOf(actor) ? systemActor : actor,
        action: 'partners.compliance_level_changed',
        subject: `carrier:${code}`,
        details: {
          period: quarter.label,
          score: evaluation.score,
          level: evaluation.level,
          previous: stored?.level ?? null,
        },
      });
    }
    return evaluation;
  }

  /** Score and level of each of `count` quarters up to `period`, for the trend chart (nothing is applied). */
  async trend(actor: Actor, carrierCode: string, period: string, count: number) {
    assertOfficerOrOwn(actor, 'partners.read_compliance', carrierCode, [...CARRIER_ROLES]);
    const code = carrierCode.toUpperCase();
    const points = [];
    for (const quarter of quartersUpTo(this.quarter(period), count)) {
      const evaluation = await this.measure(code, quarter, 'en');
      points.push({ period: quarter.label, score: evaluation.score, level: evaluation.level });
    }
    return { carrier: code, points };
  }

  /** The evaluation as a CSV file in the reader's language: one row per indicator, then the score. */
  async report(actor: Actor, carrierCode: string, period: string, language: Language): Promise<string> {
    assertOfficerOrOwn(actor, 'partners.read_compliance', carrierCode, [...CARRIER_ROLES]);
    const evaluation = await this.measure(carrierCode.toUpperCase(), this.quarter(period), language);
    const h = (key: keyof typeof reportHeadings) => reportHeadings[key][language];
    return stringify([
      [h('carrier'), evaluation.carrier, h('period'), evaluation.period],
      [
        h('indicator'),
        h('value'),
        h('weight'),
        h('numerator'),
        h('denominator'),
        h('samples'),
        h('measured'),
        h('facts'),
      ],
      ...evaluation.indicators.map((indicator) => [
        indicator.name,
        indicator.value === null ? '' : indicator.value.toFixed(3),
        indicator.weight,
        indicator.evidence.numerator,
        indicator.evidence.denominator,
        indicator.evidence.parcelSamples.join(' '),
        indicator.explanation,
        Object.entries(indicator.evidence.facts ?? {})
          .map(([fact, value]) => `${fact}=${value ?? ''}`)
          .join(' '),
      ]),
      [h('score'), evaluation.score ?? '', h('level'), evaluation.levelName],
    ]);
  }

  private async measure(code: string, quarter: Quarter, language: Language): Promise<ComplianceEvaluation> {
    const [quality, [report], records] = await Promise.all([
      this.parcels.carrierDataQuality(code, quarter),
      this.repository.inspectionReports(code, [quarter.label]),
      this.records.carrierRecords({
        carrierCode: code,
        from: quarter.from,
        to: quarter.to,
        answerWithinHours: clearanceRecordRules.rfiAnswerHours,
        deliveryReportDays: clearanceRecordRules.finalAddressReportDays,
        asOf: this.now(),
      }),
    ]);
    const quarterEnded = quarter.to < this.now().toISOString().slice(0, 10);
    const comparison = compareInspectionFigures({
      carrier: report ? carrierFigures(report) : null,
      customs: {
        parcelsReceived: quality.parcels,
        parcelsInspected: quality.inspected,
        findings: quality.inspectedWithFindings,
      },
    });
    const differing = comparison.filter((row) => row.differs).length;
    const indicators: Indicator[] = [
      {
        code: 'data_completeness',
        value: share(quality.complete, quality.parcels),
        weight: indicatorWeights.data_completeness,
        evidence: {
          numerator: quality.complete,
          denominator: quality.parcels,
          parcelSamples: quality.incompleteSamples,
        },
      },
      {
        code: 'timeliness',
        value: share(quality.beforeArrival, quality.withArrivalDate),
        weight: indicatorWeights.timeliness,
        evidence: {
          numerator: quality.beforeArrival,
          denominator: quality.withArrivalDate,
          parcelSamples: quality.lateSamples,
        },
      },
      {
        code: 'declaration_accuracy',
        value: share(quality.inspected - quality.inspectedWithFindings, quality.inspected),
        weight: indicatorWeights.declaration_accuracy,
        evidence: {
          numerator: quality.inspected - quality.inspectedWithFindings,
          denominator: quality.inspected,
          parcelSamples: quality.findingSamples,
        },
      },
      {
        code: 'inspection_reporting',
        // Reported and consistent with customs' figures: 1; reported with differences: 0.5; a finished
        // quarter without a report: 0; a running quarter without one yet: not measured.
        value: report ? (differing === 0 ? 1 : 0.5) : quarterEnded ? 0 : null,
        weight: indicatorWeights.inspection_reporting,
        evidence: {
          numerator: report ? comparison.length - differing : 0,
          denominator: comparison.length,
          parcelSamples: [],
          facts: Object.fromEntries(
            comparison.flatMap((row) => [
              [`carrier_${row.figure}`, row.carrier],
              [`customs_${row.figure}`, row.customs],
            ]),
          ),
        },
      },
      ...clearanceIndicators(records),
    ];
    const { score, level } = scoreCompliance(indicators);
    return {
      carrier: code,
      period: quarter.label,
      score,
      level,
      levelName: levelNames[level][language],
      indicators: indicators.map((indicator) => ({
        ...indicator,
        name: indicatorNames[indicator.code][language],
        explanation: indicatorExplanations[indicator.code][language],
      })),
    };
  }

  private async latestPeriod(code: string): Promise<string | undefined> {
    const current = quarterOf(this.now());
    for (const quarter of quartersUpTo(current, 8).reverse())
      if (await this.repository.evaluation(code, quarter.label)) return quarter.label;
    return undefined;
  }

  private quarter(period: string): Quarter {
    const quarter = parseQuarter(period);
    if (!quarter)
      throw new PartnersError('invalid_request', `period must be a quarter such as 2026-Q1, not ${period}`, {
        fieldErrors: [{ path: 'period', value: period, rule: 'quarter', message: 'must be YYYY-Qn' }],
      });
    return quarter;
  }
}

function carrierFigures(report: InspectionReportRow) {
  return {
    parcelsHandled: report.parcels_handled,
    parcelsScreened: report.parcels_screened,
    parcelsInspected: report.parcels_inspected,
    findings: report.findings,
  };
}
