import type { Locale } from '../../platform/i18n/locale.js';
import { assessmentReasonText } from './domain/clearance-messages.js';
import type { TaxAssessment } from './domain/tax-assessment.js';

/** Won as a JSON number: bigint amounts are exact integers far below 2^53, so the number is exact too. */
function won(value: bigint): number {
  if (value > BigInt(Number.MAX_SAFE_INTEGER) || value < -BigInt(Number.MAX_SAFE_INTEGER))
    throw new RangeError(`amount ${value} too large for JSON`);
  return Number(value);
}

/** What clients see of an assessment: won as integers, rates as decimal strings, one entry per line. */
export type AssessmentView = ReturnType<typeof toAssessmentView>;

export function toAssessmentView(assessment: TaxAssessment) {
  return {
    listClearance: assessment.listClearance,
    taxable: assessment.taxable,
    reasons: assessment.reasons,
    goodsPriceKrw: won(assessment.goodsPriceKrw),
    goodsPriceUsd: assessment.goodsPriceUsd,
    listClearanceLimitUsd: assessment.listClearanceLimitUsd,
    customsValueKrw: won(assessment.customsValueKrw),
    dutyKrw: won(assessment.dutyKrw),
    exciseKrw: won(assessment.exciseKrw),
    vatKrw: won(assessment.vatKrw),
    totalTaxKrw: won(assessment.totalTaxKrw),
    assessedTaxKrw: won(assessment.assessedTaxKrw),
    exchangeRates: assessment.rates,
    lines: assessment.lines.map((line) => ({
      parcel: line.parcel,
      lineNumber: line.lineNumber,
      description: line.description,
      hsCode: line.hsCode,
      value: line.value,
      currency: line.currency,
      excludedAs: line.exclusions,
      customsValueKrw: won(line.customsValueKrw),
      dutyPercent: line.dutyPercent,
      tariffPrefix: line.tariffPrefix,
      dutyKrw: won(line.dutyKrw),
      excisePercent: line.excisePercent,
      exciseKrw: won(line.exciseKrw),
      vatPercent: line.vatPercent,
      vatKrw: won(line.vatKrw),
    })),
  };
}

/** The assessment with its reasons in the reader's language (the stored view keeps code and parameters). */
export function assessmentForReader(view: AssessmentView, locale: Locale): AssessmentView {
  return {
    ...view,
    reasons: view.reasons.map((reason) => ({ ...reason, message: assessmentReasonText(reason, locale) })),
  };
}
