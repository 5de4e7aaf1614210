import { isDecimalText, parseDecimal, type Decimal } from './decimal-amount.js';

/**
 * The customs weekly exchange rates (KCS 과세환율): one rate per currency per week, used for every
 * declaration of that week, both for the list-clearance threshold test and for the customs value.
 */
export interface WeeklyExchangeRate {
  /** ISO 4217 code. */
  currency: string;
  /** First day the rate applies (KCS publishes Sunday to Saturday rates), `YYYY-MM-DD`. */
  weekStarting: string;
  /** Won per `unit` units of the currency, as a decimal string (`"1398.2"`). */
  krwPerUnit: string;
  /** Quotation unit: 1 for most currencies, 100 for JPY and a few others. */
  unit: number;
}

export const RATE_VALIDITY_DAYS = 7;

/** A rate resolved for one date: the exact won value of one unit of the currency. */
export interface ResolvedRate {
  currency: string;
  weekStarting: string;
  /** Won for ONE unit of the currency (already divided by the quotation unit). */
  krwPerOneUnit: Decimal;
  /** As published, for display. */
  krwPerUnit: string;
  unit: number;
}

function addDays(isoDate: string, days: number): string {
  const date = new Date(`${isoDate}T00:00:00Z`);
  date.setUTCDate(date.getUTCDate() + days);
  return date.toISOString().slice(0, 10);
}

/** Looks up the rate of the week that contains a date; KRW is always 1. */
export class ExchangeRateTable {
  private readonly byCurrency = new Map<string, WeeklyExchangeRate[]>();

  constructor(rates: readonly WeeklyExchangeRate[]) {
    for (const rate of rates) {
      const list = this.byCurrency.get(rate.currency) ?? [];
      list.push(rate);
      this.byCurrency.set(rate.currency, list);
    }
    for (const list of this.byCurrency.values())
      list.sort((a, b) => a.weekStarting.localeCompare(b.weekStarting));
  }

  /** The rate in force on `date`, or undefined when no published week covers it. */
  rateOn(currency: string, date: string): ResolvedRate | undefined {
    const code = currency.toUpperCase();
    if (code === 'KRW')
      return {
        currency: 'KRW',
        weekStarting: date,
        krwPerOneUnit: { units: 1n, scale: 0 },
        krwPerUnit: '1',
        unit: 1,
      };
    const list = this.byCurrency.get(code);
    if (!list) return undefined;
    for (let index = list.length - 1; index >= 0; index -= 1) {
      const rate = list[index]!;
      if (rate.weekStarting > date) continue;
      if (addDays(rate.weekStarting, RATE_VALIDITY_DAYS) <= date) return undefined;
      return resolve(rate);
    }
    return undefined;
  }

  /**
   * Won for an amount at the week's rate, as a float: for scoring and plausibility checks, never for
   * duty (the assessment multiplies exact decimals). Undefined when no week covers the date.
   */
  approximateKrw(amount: number, currency: string, date: string): number | undefined {
    const rate = this.rateOn(currency, date);
    return rate && (amount * Number(rate.krwPerUnit)) / rate.unit;
  }

  /** US dollars for an amount at the latest week loaded for both currencies (value checks need no date). */
  approximateUsd(amount: number, currency: string): number | undefined {
    const latest = (code: string) =>
      code === 'KRW' ? { krwPerUnit: '1', unit: 1 } : this.byCurrency.get(code)?.at(-1);
    const from = latest(currency.toUpperCase());
    const usd = latest('USD');
    if (!from || !usd) return undefined;
    return (amount * Number(from.krwPerUnit)) / from.unit / (Number(usd.krwPerUnit) / usd.unit);
  }

  get size(): number {
    let count = 0;
    for (const list of this.byCurrency.values()) count += list.length;
    return count;
  }
}

function resolve(rate: WeeklyExchangeRate): ResolvedRate {
  const published = parseDecimal(rate.krwPerUnit);
  // Dividing by the quotation unit (1 or 100) is exact in decimal: shift the scale.
  const shift = rate.unit === 1 ? 0 : String(rate.unit).length - 1;
  if (rate.unit !== 1 && 10 ** shift !== rate.unit)
    throw new RangeError(`Quotation unit ${rate.unit} must be a power of ten`);
  return {
    currency: rate.currency,
    weekStarting: rate.weekStarting,
    krwPerOneUnit: { units: published.units, scale: published.scale + shift },
    krwPerUnit: rate.krwPerUnit,
    unit: rate.unit,
  };
}

/** A problem in one row of a rate file. */
export interface RateRowProblem {
  row: number;
  message: string;
}

/**
 * Validates rows from a JSON array or CSV file (`currency,weekStarting,krwPerUnit[,unit]`). Every row
 * is checked; the caller stores nothing when any row is wrong.
 */
export function validateExchangeRates(rows: readonly Record<string, unknown>[]): {
  rates: WeeklyExchangeRate[];
  problems: RateRowProblem[];
} {
  const rates: WeeklyExchangeRate[] = [];
  const problems: RateRowProblem[] = [];
  const seen = new Set<string>();
  rows.forEach((row, index) => {
    const number = index + 1;
    const currency = String(row.currency ?? '')
      .trim()
      .toUpperCase();
    const weekStarting = String(row.weekStarting ?? '').trim();
    const rawRate = row.krwPerUnit;
    const krwPerUnit =
      typeof rawRate === 'number'
        ? String(rawRate)
        : String(rawRate ?? '')
            .trim()
            .replace(/,/g, '');
    const unit = row.unit === undefined || row.unit === '' || row.unit === null ? 1 : Number(row.unit);
    if (!/^[A-Z]{3}$/.test(currency) || currency === 'KRW')
      problems.push({
        row: number,
        message: `currency ${JSON.stringify(row.currency)} must be a foreign ISO 4217 code`,
      });
    else if (
      !/^\d{4}-\d{2}-\d{2}$/.test(weekStarting) ||
      Number.isNaN(Date.parse(`${weekStarting}T00:00:00Z`))
    )
      problems.push({
        row: number,
        message: `weekStarting ${JSON.stringify(row.weekStarting)} must be a date YYYY-MM-DD`,
      });
    else if (
      !isDecimalText(krwPerUnit) ||
      parseDecimal(krwPerUnit).units <= 0n ||
      parseDecimal(krwPerUnit).scale > 4
    )
      problems.push({
        row: number,
        message: `krwPerUnit ${JSON.stringify(rawRate)} must be a positive decimal with at most 4 decimals`,
      });
    else if (![1, 10, 100, 1000].includes(unit))
      problems.push({ row: number, message: `unit ${JSON.stringify(row.unit)} must be 1, 10, 100 or 1000` });
    else if (seen.has(`${currency}/${weekStarting}`))
      problems.push({ row: number, message: `${currency} for the week of ${weekStarting} is given twice` });
    else {
      seen.add(`${currency}/${weekStarting}`);
      rates.push({ currency, weekStarting, krwPerUnit: krwPerUnit.replace(/^0+(?=\d)/, ''), unit });
    }
  });
  return { rates, problems };
}
