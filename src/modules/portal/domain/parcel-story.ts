import type { Locale } from '../../../platform/i18n/locale.js';
import { say } from './consumer-wording.js';

/** What the portal knows of a parcel's clearance, gathered from intake, clearance and targeting. */
export interface ParcelFacts {
  parcelId: number;
  trackingNumber: string;
  carrierCode: string;
  channel: 'postal' | 'express';
  receivedAt: string;
  arrivalDate: string | null;
  sellerName: string | null;
  goods: { description: string; quantity: string; value: string; currency: string }[];
  /** Null while clearance has not taken the parcel in. */
  state: string | null;
  history: { to: string; at: string; reason: string }[];
  assessment: AssessmentFacts | null;
  /** Tracking numbers of the other parcels taxed together with this one. */
  combinedWith: string[];
  /** What the targeting lane means for the parcel, never the lane itself. */
  check: 'none' | 'documents' | 'inspection' | null;
}

export interface AssessmentFacts {
  listClearance: boolean | null;
  taxable: boolean | null;
  reasons: { code: string }[];
  goodsPriceUsd: string;
  listClearanceLimitUsd: string;
  totalTaxKrw: number;
  assessedTaxKrw: number;
  exchangeRates: { currency: string; krwPerUnit: string; unit: number; weekStarting: string }[];
  lines: {
    parcel: string;
    lineNumber: number;
    description: string;
    value: string;
    currency: string;
    customsValueKrw: number;
    dutyPercent: string;
    tariffPrefix: string | null;
    dutyKrw: number;
    vatPercent: string;
    vatKrw: number;
  }[];
}

export const timelineSteps = ['declared', 'arrived', 'assessed', 'held', 'inspected', 'released'] as const;
export type TimelineStep = (typeof timelineSteps)[number] | 'seized' | 'returned';

/** The parcel as its buyer reads it: where it is, why, what it costs and why, and what to do. */
export interface ParcelStory {
  timeline: { step: TimelineStep; label: string; at: string | null; done: boolean }[];
  status: TimelineStep;
  statusLabel: string;
  holdReason: string | null;
  check: string | null;
  tax: {
    rule: 'list_clearance' | 'duty_free' | 'taxed' | 'pending';
    explanation: string[];
    exchangeRates: string[];
    lines: {
      description: string;
      value: string;
      currency: string;
      customsValueKrw: number;
      dutyPercent: string;
      dutyRule: string;
      dutyKrw: number;
      vatPercent: string;
      vatKrw: number;
    }[];
    totalTaxKrw: number;
    combinedWith: string[];
    listClearanceSuspended: boolean;
  };
  nextSteps: string[];
}

const FINAL: Record<string, TimelineStep> = { released: 'released', seized: 'seized', returned: 'returned' };

/** The buyer's story of a parcel; `reported` says whether the buyer already reported it as not theirs. */
export function parcelStory(facts: ParcelFacts, locale: Locale, reported: boolean): ParcelStory {
  const firstAt = (state: string) => facts.history.find((entry) => entry.to === state)?.at ?? null;
  const state = facts.state ?? 'received';
  const final = FINAL[state];
  const reached: Record<TimelineStep, string | null> = {
    declared: facts.receivedAt,
    arrived: facts.arrivalDate,
    assessed: facts.assessment ? (firstAt('assessed') ?? firstAt('received')) : null,
    held: firstAt('held'),
    inspected: firstAt('under_inspection'),
    released: firstAt('released'),
    seized: firstAt('seized'),
    returned: firstAt('returned'),
  };
  // Held and inspected appear only for parcels that went through them; the end is the actual one.
  const steps: TimelineStep[] = ['declared', 'arrived', 'assessed'];
  if (reached.held || state === 'held') steps.push('held');
  if (reached.inspected || state === 'under_inspection') steps.push('inspected');
  steps.push(final ?? 'released');
  const timeline = steps.map((step) => ({
    step,
    label: say(`step.${step}`, locale),
    at: reached[step],
    done: reached[step] !== null,
  }));
  const status: TimelineStep =
    final ??
    (state === 'under_inspection'
      ? 'inspected'
      : state === 'held'
        ? 'held'
        : facts.assessment
          ? 'assessed'
          : facts.arrivalDate
            ? 'arrived'
            : 'declared');
  const tax = taxStory(facts, locale);
  return {
    timeline,
    status,
    statusLabel: say(`step.${status}`, locale),
    holdReason: holdReason(facts, state, locale),
    check:
      facts.check && facts.check !== 'none' && !final
        ? say(facts.check === 'documents' ? 'check.documents' : 'check.inspection', locale)
        : null,
    tax,
    nextSteps: nextSteps(state, tax, locale, reported),
  };
}

function holdReason(facts: ParcelFacts, state: string, locale: Locale): string | null {
  if (state === 'under_inspection') return say('hold.inspection', locale);
  if (state === 'seized') return say('hold.seized', locale);
  if (state === 'returned') return say('hold.returned', locale);
  if (state !== 'held') return null;
  // Officers' own words may name criteria: the buyer gets the kind of hold, never the text.
  const reason = [...facts.history].reverse().find((entry) => entry.to === 'held')?.reason ?? '';
  if (/exchange rate/i.test(reason)) return say('hold.exchange_rate', locale);
  if (/^request (for|of) (information|amendment)/i.test(reason)) return say('hold.information', locale);
  return say('hold.documents', locale);
}

function taxStory(facts: ParcelFacts, locale: Locale): ParcelStory['tax'] {
  const assessment = facts.assessment;
  const codes = new Set(assessment?.reasons.map((reason) => reason.code) ?? []);
  const suspended = codes.has('pccc_suspended');
  if (!assessment || assessment.listClearance === null)
    return {
      rule: 'pending',
      explanation: [say('rule.pending', locale)],
      exchangeRates: [],
      lines: [],
      totalTaxKrw: 0,
      combinedWith: facts.combinedWith,
      listClearanceSuspended: suspended,
    };
  const price = `USD ${assessment.goodsPriceUsd}`;
  const rule = assessment.listClearance ? 'list_clearance' : assessment.taxable ? 'taxed' : 'duty_free';
  const explanation = [
    rule === 'list_clearance'
      ? say('rule.list_clearance', locale, { price, limit: assessment.listClearanceLimitUsd })
      : say(rule === 'taxed' ? 'rule.taxed' : 'rule.duty_free', locale, { price }),
  ];
  if (suspended) explanation.push(say('rule.suspended', locale));
  if (codes.has('excluded_goods') || codes.has('mixed_parcel'))
    explanation.push(say('rule.excluded', locale));
  if (facts.combinedWith.length > 0)
    explanation.push(say('rule.combined', locale, { others: facts.combinedWith.join(', ') }));
  if (codes.has('below_minimum_collection')) explanation.push(say('rule.below_minimum', locale));
  return {
    rule,
    explanation,
    exchangeRates: assessment.exchangeRates.map((rate) =>
      say('rate.text', locale, {
        currency: rate.currency,
        rate: rate.unit === 1 ? rate.krwPerUnit : `${rate.krwPerUnit} / ${rate.unit}`,
        week: rate.weekStarting,
      }),
    ),
    lines: assessment.lines.map((line) => ({
      description: line.description,
      value: line.value,
      currency: line.currency,
      customsValueKrw: line.customsValueKrw,
      dutyPercent: line.dutyPercent,
      dutyRule: line.tariffPrefix
        ? say('duty.tariff', locale, { percent: line.dutyPercent, heading: line.tariffPrefix })
        : say('duty.default', locale, { percent: line.dutyPercent }),
      dutyKrw: line.dutyKrw,
      vatPercent: line.vatPercent,
      vatKrw: line.vatKrw,
    })),
    totalTaxKrw: assessment.totalTaxKrw,
    combinedWith: facts.combinedWith,
    listClearanceSuspended: suspended,
  };
}

function nextSteps(state: string, tax: ParcelStory['tax'], locale: Locale, reported: boolean): string[] {
  const steps: string[] = [];
  if (state === 'released') steps.push(say('next.nothing', locale));
  else if (state === 'seized' || state === 'returned') steps.push(say('next.seized', locale));
  else {
    if (tax.rule === 'taxed' && tax.totalTaxKrw > 0)
      steps.push(say('next.pay', locale, { amount: tax.totalTaxKrw }));
    if (state === 'held') steps.push(say('next.answer_carrier', locale));
    if (steps.length === 0) steps.push(say('next.wait', locale));
  }
  steps.push(say(reported ? 'next.reported' : 'next.not_mine', locale));
  return steps;
}
