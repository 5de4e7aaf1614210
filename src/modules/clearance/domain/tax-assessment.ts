import { listClearanceLimitUsd, tariffRateFor, type ClearanceRules } from './clearance-rules.js';
import type { MessageParams } from '../../../platform/i18n/messages.js';
import { storedCategories } from './clearance-messages.js';
import {
  addDecimals,
  allocateByWeight,
  applyBasisPoints,
  compareDecimals,
  divideTruncated,
  formatDecimal,
  multiplyDecimals,
  parseDecimal,
  rescale,
  roundToWon,
  ZERO,
  type Decimal,
} from './decimal-amount.js';
import type { ExchangeRateTable, ResolvedRate } from './exchange-rate-table.js';
import { ExclusionMatcher, type LineExclusion } from './list-clearance-exclusions.js';

/** One declaration line as the tax computation needs it; amounts are decimal strings in the parcel currency. */
export interface TaxableLine {
  description: string;
  quantity: string;
  value: string;
  hsCode: string | null;
}

/** A parcel reduced to what list clearance and tax depend on (built from a CN23 item or an express house). */
export interface TaxableParcel {
  /** Caller's reference (parcel id, tracking number); echoed in group results. */
  reference: string;
  channel: 'postal' | 'express';
  currency: string;
  /** Country the goods were shipped from (sender's country): decides the KORUS limit. */
  shippedFrom: string;
  /** Date whose weekly exchange rate applies (arrival date, else declaration date), `YYYY-MM-DD`. */
  rateDate: string;
  pccc: string | null;
  /** List clearance under the PCCC is suspended (its holder reported misuse, or asked for it). */
  pcccSuspended?: boolean;
  lines: TaxableLine[];
  /** Part of the goods price: shipping inside the seller's country and local sales tax. */
  domesticShipping?: string;
  localTax?: string;
  /** Dutiable freight and insurance to the Korean border: in the customs value (CIF), not in the goods price. */
  internationalFreight?: string;
  insurance?: string;
}

export type ReasonCode =
  | 'within_list_clearance_limit'
  | 'over_list_clearance_limit'
  | 'excluded_goods'
  | 'mixed_parcel'
  | 'vague_description'
  | 'missing_pccc'
  | 'pccc_suspended'
  | 'combined_taxation'
  | 'within_duty_free_limit'
  | 'over_duty_free_limit'
  | 'below_minimum_collection'
  | 'default_duty_rate';

export interface AssessmentReason {
  code: ReasonCode;
  /** The sentence in English; `params` let a reader's language be rendered (clearance-messages.ts). */
  message: string;
  params?: MessageParams;
  /** 1-based line number (and parcel reference in a group) the reason is about. */
  line?: number;
  parcel?: string;
}

export interface LineAssessment {
  parcel: string;
  lineNumber: number;
  description: string;
  hsCode: string | null;
  value: string;
  currency: string;
  exclusions: LineExclusion[];
  customsValueKrw: bigint;
  dutyPercent: string;
  /** HS prefix of the tariff entry used, null for the default rate. */
  tariffPrefix: string | null;
  dutyKrw: bigint;
  excisePercent: string;
  exciseKrw: bigint;
  vatPercent: string;
  vatKrw: bigint;
}

export interface RateUsed {
  currency: string;
  krwPerUnit: string;
  unit: number;
  weekStarting: string;
}

export interface TaxAssessment {
  listClearance: boolean;
  /** Duty and VAT are due (formal clearance above the duty-free limit). */
  taxable: boolean;
  reasons: AssessmentReason[];
  /** Goods price (threshold basis) in won, truncated to the won for display; the test itself is exact. */
  goodsPriceKrw: bigint;
  /** The same in USD at the weekly rate, to the cent (truncated), for display. */
  goodsPriceUsd: string;
  listClearanceLimitUsd: string;
  customsValueKrw: bigint;
  /** Amounts to collect: zero when not taxable or below the minimum-collection amount. */
  dutyKrw: bigint;
  exciseKrw: bigint;
  vatKrw: bigint;
  totalTaxKrw: bigint;
  /** Tax as computed before the minimum-collection rule (0 when not taxable). */
  assessedTaxKrw: bigint;
  rates: RateUsed[];
  lines: LineAssessment[];
}

/** Raised when no weekly exchange rate covers the rate date of a parcel. */
export class MissingExchangeRateError extends Error {
  constructor(
    readonly currency: string,
    readonly date: string,
  ) {
    super(`No weekly exchange rate for ${currency} on ${date}`);
  }
}

function optionalDecimal(text: string | undefined): Decimal {
  return text === undefined || text === '' ? ZERO : parseDecimal(text);
}

function percentText(basisPoints: number): string {
  return formatDecimal({ units: BigInt(basisPoints), scale: 2 });
}

/** The rules with their matcher compiled once; assessments are pure functions of these and the rates. */
export class TaxCalculator {
  private readonly matcher: ExclusionMatcher;

  constructor(readonly rules: ClearanceRules) {
    this.matcher = new ExclusionMatcher(rules.exclusions, rules.vagueDescriptions);
  }

  /** The list-clearance limit in USD for one parcel: postal items have one limit, express goods from the US another. */
  listClearanceLimitUsd(parcel: Pick<TaxableParcel, 'channel' | 'shippedFrom'>): string {
    return listClearanceLimitUsd(this.rules, parcel);
  }

  /** Assesses one parcel. */
  assess(parcel: TaxableParcel, rates: ExchangeRateTable): TaxAssessment {
    return this.assessTogether([parcel], rates, false);
  }

  /**
   * Assesses parcels taxed together (combined taxation, 합산과세): their goods prices are summed for the
   * limit test, and when the sum is over it they all lose list clearance and are taxed as one parcel.
   * The limit of the group is the strictest of its members' limits.
   */
  assessTogether(
    parcels: readonly TaxableParcel[],
    rates: ExchangeRateTable,
    combined = parcels.length > 1,
  ): TaxAssessment {
    if (parcels.length === 0) throw new RangeError('nothing to assess');
    const rules = this.rules;
    const reasons: AssessmentReason[] = [];
    const rateDate = parcels.map((parcel) => parcel.rateDate).sort()[0]!;
    const usd = rates.rateOn('USD', rateDate);
    if (!usd) throw new MissingExchangeRateError('USD', rateDate);
    const ratesUsed = new Map<string, RateUsed>();
    const note = (rate: ResolvedRate) =>
      ratesUsed.set(`${rate.currency}/${rate.weekStarting}`, {
        currency: rate.currency,
        krwPerUnit: rate.krwPerUnit,
        unit: rate.unit,
        weekStarting: rate.weekStarting,
      });

    let goodsPriceKrwExact: Decimal = ZERO;
    const perParcel = parcels.map((parcel) => {
      const rate = rates.rateOn(parcel.currency, parcel.rateDate);
      if (!rate) throw new MissingExchangeRateError(parcel.currency, parcel.rateDate);
      note(rate);
      const lineValues = parcel.lines.map((line) => parseDecimal(line.value));
      const goodsPrice = addDecimals(
        ...lineValues,
        optionalDecimal(parcel.domesticShipping),
        optionalDecimal(parcel.localTax),
      );
      goodsPriceKrwExact = addDecimals(goodsPriceKrwExact, multiplyDecimals(goodsPrice, rate.krwPerOneUnit));
      const cif = addDecimals(
        goodsPrice,
        optionalDecimal(parcel.internationalFreight),
        optionalDecimal(parcel.insurance),
      );
      // Customs value of the parcel, dropped below 1 won, then shared over its lines by value so that the
      // line values add up exactly to the parcel's.
      const customsValueKrw = roundToWon(multiplyDecimals(cif, rate.krwPerOneUnit), {
        mode: rules.rounding.mode,
        unitKrw: 1n,
      });
      const scale = Math.max(0, ...lineValues.map((value) => value.scale));
      const lineCustomsValues = allocateByWeight(
        customsValueKrw,
        lineValues.map((value) => rescale(value, scale).units),
      );
      return { parcel, customsValueKrw, lineCustomsValues };
    });

    const limitUsd = parcels
      .map((parcel) => this.listClearanceLimitUsd(parcel))
      .reduce((lowest, limit) =>
        compareDecimals(parseDecimal(limit), parseDecimal(lowest)) < 0 ? limit : lowest,
      );
    const limitKrwExact = multiplyDecimals(parseDecimal(limitUsd), usd.krwPerOneUnit);
    const dutyFreeKrwExact = multiplyDecimals(parseDecimal(rules.formalDutyFreeLimitUsd), usd.krwPerOneUnit);
    const overListLimit = compareDecimals(goodsPriceKrwExact, limitKrwExact) > 0;
    const overDutyFreeLimit = compareDecimals(goodsPriceKrwExact, dutyFreeKrwExact) > 0;
    const goodsPriceUsd = formatDecimal(divideTruncated(goodsPriceKrwExact, usd.krwPerOneUnit, 2));
    const usdText = `USD ${goodsPriceUsd}`;

    if (combined) {
      reasons.push({
        code: 'combined_taxation',
        message: `${parcels.length} parcels are assessed together (split from one B/L or AWB, or bought from one seller on one date): goods price ${usdText} in total`,
        params: { parcels: parcels.length, usd: goodsPriceUsd },
      });
    }
    if (overListLimit)
      reasons.push({
        code: 'over_list_clearance_limit',
        message: `Goods price ${usdText} is over the list-clearance limit of USD ${limitUsd}`,
        params: { usd: goodsPriceUsd, limit: limitUsd },
      });

    // Exclusions and vague descriptions, line by line.
    let excludedLines = 0;
    let totalLines = 0;
    const exclusionsByLine = perParcel.map(({ parcel }) =>
      parcel.lines.map((line, index) => {
        totalLines += 1;
        const exclusions = this.matcher.exclusionsOf(line.description, line.hsCode);
        if (exclusions.length > 0) {
          excludedLines += 1;
          reasons.push({
            code: 'excluded_goods',
            message: `Line ${index + 1} "${line.description}" is excluded from list clearance: ${exclusions.map((exclusion) => `${exclusion.label} (${exclusion.evidence})`).join(', ')}`,
            params: {
              line: index + 1,
              description: line.description,
              categories: storedCategories(exclusions),
            },
            line: index + 1,
            parcel: parcel.reference,
          });
        }
        if (this.matcher.isVague(line.description)) {
          reasons.push({
            code: 'vague_description',
            message: `Line ${index + 1} "${line.description}" does not describe the goods`,
            params: { line: index + 1, description: line.description },
            line: index + 1,
            parcel: parcel.reference,
          });
        }
        return exclusions;
      }),
    );
    if (excludedLines > 0 && excludedLines < totalLines) {
      reasons.push({
        code: 'mixed_parcel',
        message: `${excludedLines} of ${totalLines} lines are excluded goods: the whole parcel goes to formal clearance`,
        params: { excluded: excludedLines, total: totalLines },
      });
    }
    const missingPccc = rules.pcccRequiredForListClearance ? parcels.filter((parcel) => !parcel.pccc) : [];
    for (const parcel of missingPccc)
      reasons.push({
        code: 'missing_pccc',
        message: 'No PCCC (personal customs clearance code): list clearance needs one',
        params: {},
        parcel: parcel.reference,
      });

    const suspended = parcels.filter((parcel) => parcel.pccc && parcel.pcccSuspended);
    for (const parcel of suspended)
      reasons.push({
        code: 'pccc_suspended',
        message: 'List clearance is suspended under this PCCC (misuse reported or suspended by its holder)',
        params: {},
        parcel: parcel.reference,
      });
    const listClearance =
      !overListLimit &&
      excludedLines === 0 &&
      missingPccc.length === 0 &&
      suspended.length === 0 &&
      !reasons.some((reason) => reason.code === 'vague_description');
    if (listClearance)
      reasons.unshift({
        code: 'within_list_clearance_limit',
        message: `Goods price ${usdText} is within the list-clearance limit of USD ${limitUsd}`,
        params: { usd: goodsPriceUsd, limit: limitUsd },
      });
    const taxable = !listClearance && overDutyFreeLimit;
    if (!listClearance) {
      reasons.push(
        taxable
          ? {
              code: 'over_duty_free_limit',
              message: `Formal clearance: goods price ${usdText} is over the duty-free limit of USD ${rules.formalDutyFreeLimitUsd}, the whole value is taxed`,
              params: { usd: goodsPriceUsd, limit: rules.formalDutyFreeLimitUsd },
            }
          : {
              code: 'within_duty_free_limit',
              message: `Formal clearance without tax: goods price ${usdText} is within the duty-free limit of USD ${rules.formalDutyFreeLimitUsd}`,
              params: { usd: goodsPriceUsd, limit: rules.formalDutyFreeLimitUsd },
            },
      );
    }

    const lines: LineAssessment[] = [];
    perParcel.forEach(({ parcel, lineCustomsValues }, parcelIndex) => {
      parcel.lines.forEach((line, index) => {
        const customsValueKrw = lineCustomsValues[index]!;
        const tariff = tariffRateFor(rules.tariff, line.hsCode, rules.vatBasisPoints);
        if (taxable && tariff.matchedPrefix === null) {
          reasons.push({
            code: 'default_duty_rate',
            message: `Line ${index + 1}: ${line.hsCode ? `no tariff entry for HS ${line.hsCode}` : 'no HS code'}, default duty rate ${percentText(tariff.dutyBasisPoints)} %`,
            params: { line: index + 1, hsCode: line.hsCode, percent: percentText(tariff.dutyBasisPoints) },
            line: index + 1,
            parcel: parcel.reference,
          });
        }
        const dutyKrw = taxable
          ? applyBasisPoints(customsValueKrw, tariff.dutyBasisPoints, rules.rounding)
          : 0n;
        const exciseKrw = taxable
          ? applyBasisPoints(customsValueKrw + dutyKrw, tariff.exciseBasisPoints, rules.rounding)
          : 0n;
        const vatKrw = taxable
          ? applyBasisPoints(customsValueKrw + dutyKrw + exciseKrw, tariff.vatBasisPoints, rules.rounding)
          : 0n;
        lines.push({
          parcel: parcel.reference,
          lineNumber: index + 1,
          description: line.description,
          hsCode: line.hsCode,
          value: line.value,
          currency: parcel.currency,
          exclusions: exclusionsByLine[parcelIndex]![index]!,
          customsValueKrw,
          dutyPercent: percentText(tariff.dutyBasisPoints),
          tariffPrefix: tariff.matchedPrefix,
          dutyKrw,
          excisePercent: percentText(tariff.exciseBasisPoints),
          exciseKrw,
          vatPercent: percentText(tariff.vatBasisPoints),
          vatKrw,
        });
      });
    });

    const sum = (pick: (line: LineAssessment) => bigint) =>
      lines.reduce((total, line) => total + pick(line), 0n);
    const assessedDuty = sum((line) => line.dutyKrw);
    const assessedExcise = sum((line) => line.exciseKrw);
    const assessedVat = sum((line) => line.vatKrw);
    const assessedTaxKrw = assessedDuty + assessedExcise + assessedVat;
    const waived = taxable && assessedTaxKrw < rules.minimumCollectionKrw;
    if (waived) {
      reasons.push({
        code: 'below_minimum_collection',
        message: `Tax of KRW ${assessedTaxKrw} is under the minimum collected amount of KRW ${rules.minimumCollectionKrw}: not collected`,
        params: { taxKrw: Number(assessedTaxKrw), minimumKrw: Number(rules.minimumCollectionKrw) },
      });
    }
    return {
      listClearance,
      taxable,
      reasons,
      goodsPriceKrw: roundToWon(goodsPriceKrwExact, { mode: 'truncate', unitKrw: 1n }),
      goodsPriceUsd,
      listClearanceLimitUsd: limitUsd,
      customsValueKrw: perParcel.reduce((total, entry) => total + entry.customsValueKrw, 0n),
      dutyKrw: waived ? 0n : assessedDuty,
      exciseKrw: waived ? 0n : assessedExcise,
      vatKrw: waived ? 0n : assessedVat,
      totalTaxKrw: waived ? 0n : assessedTaxKrw,
      assessedTaxKrw,
      rates: [...ratesUsed.values()],
      lines,
    };
  }
}
