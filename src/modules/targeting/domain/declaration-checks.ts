/**
 * Checks that hold obvious fraud whatever the model says, from the first parcel on: weapon, narcotic and
 * counterfeit words; controlled HS codes; a value absurd for the goods named (product classes) or far
 * below the usual value of the HS code (value norms); a description that contradicts its HS code; a purchase split into parcels under the list-clearance limit
 * (per buyer, or per delivery address); a PCCC used under several names; X-ray findings.
 * Each finding names its lane and its evidence as a reason message. Pure: no I/O.
 */
import type { ParcelFacts } from './parcel-facts.js';
import { hsFitsClasses, readGoods, restrictedHsKind, type RecognisedClass } from './product-classes.js';
import { reason, type ReasonMessage } from './reason-messages.js';
import type { ListClearanceLimit } from './risk-scorer.js';
import type { ValueNorms } from './value-norms.js';

export type CheckLane = 'red' | 'yellow';

export interface CheckFinding {
  lane: CheckLane;
  /** `xray` when the scanner or its analyst found it; `check` for the declaration checks. */
  source: 'check' | 'xray';
  message: ReasonMessage;
}

/** Converts an amount into US dollars; undefined when the currency is unknown. */
export type UsdConverter = (amount: number, currency: string) => number | undefined;

/**
 * Units of each currency per US dollar, rounded: used only to place a declared value against product
 * price ranges that span a factor of ten or more, never for duty. The composition root can pass the
 * customs weekly rates instead.
 */
const approximateUnitsPerUsd: Record<string, number> = {
  USD: 1,
  KRW: 1350,
  EUR: 0.92,
  GBP: 0.79,
  JPY: 150,
  CNY: 7.2,
  HKD: 7.8,
  TWD: 32,
  SGD: 1.35,
  AUD: 1.5,
  NZD: 1.65,
  CAD: 1.36,
  CHF: 0.88,
  VND: 25_000,
  THB: 35,
  INR: 83,
  MYR: 4.6,
  PHP: 57,
  IDR: 16_000,
};

export const approximateUsd: UsdConverter = (amount, currency) => {
  const units = approximateUnitsPerUsd[currency.toUpperCase()];
  return units === undefined ? undefined : amount / units;
};

/** A unit value under this share of its product class's cheapest genuine price holds a branded parcel red. */
const BRAND_RED_SHARE = 0.2;
/** A unit value under this share of its HS code's median is held for a document check. */
const NORM_YELLOW_SHARE = 0.1;
/**
 * Different names on one PCCC's recent parcels from which the code looks borrowed or stolen: a holder
 * may appear in Hangul and in Latin letters (two names), a third is someone else.
 */
const PCCC_NAMES_YELLOW = 3;
/** A split purchase's parcels are each at least this share of the list-clearance limit. */
const SPLIT_PIECE_SHARE = 0.5;
/**
 * The marketplace order behind a parcel was paid at least this multiple of the declared value: more than
 * shipping and rounding explain (demo undervaluation declares 10-40 % of the price; real orders add freight
 * of a few dollars to a price that is declared whole).
 */
const PAID_OVER_DECLARED = 2;
/** ... and by at least this many US dollars, so that a USD 3 item with USD 4 of freight is left alone. */
const PAID_OVER_DECLARED_MIN_USD = 20;
/** Value per kilogram varies more within a code than unit value: the bar is lower. */
const PER_KG_YELLOW_SHARE = 0.05;

export interface CheckContext {
  norms: ValueNorms;
  /** Clearance's list-clearance limit for the parcel (its rules file), in USD. */
  listClearanceLimitUsd: ListClearanceLimit;
  toUsd?: UsdConverter;
}

/** Every finding of the declaration checks on one parcel, strictest first. */
export function checkDeclaration(facts: ParcelFacts, context: CheckContext): CheckFinding[] {
  // The customs weekly rates when loaded; the rounded table for a currency they do not cover.
  const weekly = context.toUsd;
  const toUsd: UsdConverter = weekly
    ? (amount, currency) => weekly(amount, currency) ?? approximateUsd(amount, currency)
    : approximateUsd;
  const findings: CheckFinding[] = [];
  for (const line of facts.lines) findings.push(...checkLine(line, context.norms, toUsd));
  const limit = context.listClearanceLimitUsd(facts);
  const split = splitSeries(facts, limit, toUsd) ?? splitAddressSeries(facts, limit, toUsd);
  if (split) findings.push(split);
  const paid = paidOverDeclared(facts, toUsd);
  if (paid) findings.push(paid);
  if (facts.buyerNamesUnderPccc !== null && facts.buyerNamesUnderPccc >= PCCC_NAMES_YELLOW)
    findings.push({
      lane: 'yellow',
      source: 'check',
      message: reason('check.pccc_many_names', { names: facts.buyerNamesUnderPccc }),
    });
  findings.push(...xrayFindings(facts));
  return findings.sort((a, b) => (a.lane === b.lane ? 0 : a.lane === 'red' ? -1 : 1));
}

function checkLine(
  line: ParcelFacts['lines'][number],
  norms: ValueNorms,
  toUsd: UsdConverter,
): CheckFinding[] {
  const findings: CheckFinding[] = [];
  const description = line.description;
  const hsCode = line.hs6 ?? (line.hsChapter && line.hsChapter.length >= 2 ? line.hsChapter : null);
  const { classes, restricted } = readGoods(description);
  for (const found of restricted) {
    if (found.kind === 'counterfeit') {
      const branded = classes.find((recognised) => recognised.productClass.brand);
      if (branded)
        findings.push({
          lane: 'red',
          source: 'check',
          message: reason('check.counterfeit_brand', {
            description,
            word: found.word,
            productClass: branded.productClass.id,
          }),
        });
      continue;
    }
    findings.push({
      lane: 'red',
      source: 'check',
      message: reason('check.restricted_words', { description, kind: found.kind, word: found.word }),
    });
  }
  const hsKind = restrictedHsKind(hsCode);
  if (hsKind && hsCode)
    findings.push({
      lane: 'red',
      source: 'check',
      message: reason('check.restricted_hs', { description, kind: hsKind, hsCode }),
    });
  if (classes.length > 0 && line.hs6 && !hsFitsClasses(line.hs6, classes)) {
    const named = classes[0]!.productClass;
    findings.push({
      lane: 'yellow',
      source: 'check',
      message: reason('check.description_contradicts_hs', {
        description,
        productClass: named.id,
        hsCode: line.hs6,
      }),
    });
  }
  const value = valueFinding(line, classes, norms, toUsd);
  if (value) findings.push(value);
  return findings;
}

/** One value finding per line: the product class first (no history needed), then the HS norms. */
function valueFinding(
  line: ParcelFacts['lines'][number],
  classes: readonly RecognisedClass[],
  norms: ValueNorms,
  toUsd: UsdConverter,
): CheckFinding | null {
  const description = line.description;
  const unitUsd = toUsd(line.unitValue, line.currency);
  const priced = classes[0]?.productClass;
  if (priced && unitUsd !== undefined && unitUsd < priced.priceUsd[0]) {
    return {
      lane: priced.brand && unitUsd < priced.priceUsd[0] * BRAND_RED_SHARE ? 'red' : 'yellow',
      source: 'check',
      message: reason('check.value_below_class', {
        description,
        productClass: priced.id,
        declared: round(line.unitValue),
        currency: line.currency,
        declaredUsd: round(unitUsd),
        low: priced.priceUsd[0],
        high: priced.priceUsd[1],
      }),
    };
  }
  const hsCode = line.hs6 ?? line.hsChapter;
  const unitNorm = norms.unitValueNorm(hsCode, line.currency);
  if (unitNorm && line.unitValue < unitNorm.median * NORM_YELLOW_SHARE) {
    return {
      lane: 'yellow',
      source: 'check',
      message: reason('check.value_below_norm', {
        description,
        declared: round(line.unitValue),
        currency: line.currency,
        norm: round(unitNorm.median),
        hsCode: unitNorm.code,
        lines: unitNorm.lines,
        percent: Math.round((line.unitValue / unitNorm.median) * 100),
      }),
    };
  }
  if (line.netMassKg !== null && line.netMassKg > 0) {
    const perKg = line.value / line.netMassKg;
    const kgNorm = norms.valuePerKgNorm(hsCode, line.currency);
    if (kgNorm && perKg < kgNorm.median * PER_KG_YELLOW_SHARE) {
      return {
        lane: 'yellow',
        source: 'check',
        message: reason('check.value_per_kg_below_norm', {
          description,
          declared: round(perKg),
          currency: line.currency,
          norm: round(kgNorm.median),
          hsCode: kgNorm.code,
          lines: kgNorm.lines,
          percent: Math.round((perKg / kgNorm.median) * 100),
        }),
      };
    }
  }
  return null;
}

/**
 * Several parcels for one buyer on one day that together exceed the list-clearance limit while this one
 * stays under it, this one and the others each worth at least half the limit: the pattern of a purchase
 * split to avoid duty (combined taxation, domain notes 4). The pieces may be declared in different
 * currencies: each is placed in USD.
 */
function splitSeries(facts: ParcelFacts, limit: number, toUsd: UsdConverter): CheckFinding | null {
  const { buyerParcelsSameDay: parcels, buyerValuesSameDay: values } = facts;
  if (parcels === null || parcels < 2 || values === null) return null;
  const series = seriesOver(facts, values, limit, toUsd);
  // Pieces of one purchase are each a good part of the limit: a USD 20 T-shirt bought the same day as a
  // USD 140 jacket is two purchases, not a split.
  if (
    !series ||
    series.ownUsd < limit * SPLIT_PIECE_SHARE ||
    series.totalUsd - series.ownUsd < limit * SPLIT_PIECE_SHARE
  )
    return null;
  return {
    lane: 'yellow',
    source: 'check',
    message: reason('check.split_series', { parcels, ...series.total, limit, day: facts.arrivalDate }),
  };
}

/**
 * Parcels of one day whose marketplace orders all deliver to one street, under two PCCCs or more,
 * together over the list-clearance limit while this one stays under it: one purchase split over several
 * names and codes, delivered to one door (a forwarder's or the buyer's). Different codes at one address
 * on one day are rare enough in themselves that the pieces need not each be half the limit.
 */
function splitAddressSeries(facts: ParcelFacts, limit: number, toUsd: UsdConverter): CheckFinding | null {
  const delivery = facts.deliverySameDay;
  if (delivery === null || delivery.parcels < 2 || delivery.pcccs < 2) return null;
  const series = seriesOver(facts, delivery.values, limit, toUsd);
  if (!series) return null;
  return {
    lane: 'yellow',
    source: 'check',
    message: reason('check.split_address_series', {
      parcels: delivery.parcels,
      pcccs: delivery.pcccs,
      ...series.total,
      limit,
      day: facts.arrivalDate,
    }),
  };
}

/**
 * A same-day series in USD when it exceeds the limit while this parcel stays under it; its total as
 * declared when one currency, else in USD.
 */
function seriesOver(
  facts: ParcelFacts,
  values: readonly { currency: string; value: number }[],
  limit: number,
  toUsd: UsdConverter,
): { totalUsd: number; ownUsd: number; total: { total: number; currency: string } } | null {
  const { declaredValue, currency } = facts;
  if (declaredValue === null || currency === null || values.length === 0) return null;
  const ownUsd = toUsd(declaredValue, currency);
  let totalUsd = 0;
  for (const amount of values) {
    const usd = toUsd(amount.value, amount.currency);
    if (usd === undefined) return null;
    totalUsd += usd;
  }
  if (ownUsd === undefined || totalUsd <= limit || ownUsd > limit) return null;
  const total =
    values.length === 1
      ? { total: round(values[0]!.value), currency: values[0]!.currency }
      : { total: round(totalUsd), currency: 'USD' };
  return { totalUsd, ownUsd, total };
}

/** The buyer paid the marketplace far more than the parcel declares: the declared value is not the price. */
function paidOverDeclared(facts: ParcelFacts, toUsd: UsdConverter): CheckFinding | null {
  const { orderPricePaid: paid, orderCurrency, declaredValue: declared, currency } = facts;
  if (paid === null || orderCurrency === null || declared === null || currency === null) return null;
  const paidUsd = toUsd(paid, orderCurrency);
  const declaredUsd = toUsd(declared, currency);
  if (paidUsd === undefined || declaredUsd === undefined) return null;
  if (paidUsd < declaredUsd * PAID_OVER_DECLARED || paidUsd - declaredUsd < PAID_OVER_DECLARED_MIN_USD)
    return null;
  return {
    lane: 'yellow',
    source: 'check',
    message: reason('check.paid_over_declared', {
      paid: round(paid),
      paidCurrency: orderCurrency,
      declared: round(declared),
      currency,
    }),
  };
}

function xrayFindings(facts: ParcelFacts): CheckFinding[] {
  const xray = facts.xray;
  if (!xray) return [];
  const findings: CheckFinding[] = [];
  if (xray.finding === 'threat')
    findings.push({
      lane: 'red',
      source: 'xray',
      message: reason('check.xray_threat', { labels: xray.labels.join(', ') }),
    });
  else if (xray.finding === 'suspicious')
    findings.push({ lane: 'yellow', source: 'xray', message: reason('check.xray_suspicious') });
  if (xray.mismatch)
    findings.push({ lane: 'yellow', source: 'xray', message: reason('check.xray_mismatch') });
  return findings;
}

function round(value: number): number {
  return value >= 100 ? Math.round(value) : Math.round(value * 100) / 100;
}
