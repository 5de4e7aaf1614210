/**
 * Money for demo data, in integer minor units only: prices are drawn in US cents and converted with
 * fixed rates, so the same seed gives the same amounts to the cent on every machine.
 */

/** Units of a currency per US dollar, times 10,000 (fixed demo rates, roughly those of late 2025). */
const RATE_PER_USD_E4: Readonly<Record<string, number>> = {
  USD: 10_000,
  CNY: 72_000,
  JPY: 1_500_000,
  EUR: 9_200,
  GBP: 7_900,
  HKD: 78_000,
  KRW: 13_800_000,
};

const FRACTION_DIGITS: Readonly<Record<string, number>> = { JPY: 0, KRW: 0 };

export function fractionDigits(currency: string): number {
  return FRACTION_DIGITS[currency] ?? 2;
}

/** Integer division rounding half up, exact for integers below 2^53. */
function divideRounded(numerator: number, denominator: number): number {
  return Math.floor((2 * numerator + denominator) / (2 * denominator));
}

/** US cents -> minor units of `currency` (yen, won or cents), rounded half up. */
export function fromUsdCents(usdCents: number, currency: string): number {
  const rate = RATE_PER_USD_E4[currency];
  if (rate === undefined) throw new Error(`No demo exchange rate for ${currency}`);
  const scale = 10 ** fractionDigits(currency);
  return divideRounded(usdCents * rate * scale, 100 * 10_000);
}

/** Minor units of `currency` -> US cents, rounded half up. */
export function toUsdCents(minorUnits: number, currency: string): number {
  const rate = RATE_PER_USD_E4[currency];
  if (rate === undefined) throw new Error(`No demo exchange rate for ${currency}`);
  const scale = 10 ** fractionDigits(currency);
  return divideRounded(minorUnits * 100 * 10_000, rate * scale);
}

/** Won per unit of `currency` at the fixed demo rates (the weekly customs rates of the demo derive from it). */
export function krwPerUnit(currency: string): number {
  const rate = RATE_PER_USD_E4[currency];
  if (rate === undefined) throw new Error(`No demo exchange rate for ${currency}`);
  return RATE_PER_USD_E4.KRW! / rate;
}

/** The currencies demo data declares values in. */
export const DEMO_CURRENCIES: readonly string[] = Object.keys(RATE_PER_USD_E4).filter(
  (code) => code !== 'KRW',
);

/** Minor units as a decimal string: 1990 USD -> "19.90", 1500 JPY -> "1500". */
export function formatMinor(minorUnits: number, currency: string): string {
  const digits = fractionDigits(currency);
  if (digits === 0) return String(minorUnits);
  const whole = Math.floor(minorUnits / 100);
  const cents = minorUnits % 100;
  return `${whole}.${cents < 10 ? '0' : ''}${cents}`;
}

/** Grams as kilograms with three decimals: 1250 -> "1.250". */
export function formatKilograms(grams: number): string {
  const whole = Math.floor(grams / 1000);
  const rest = String(grams % 1000).padStart(3, '0');
  return `${whole}.${rest}`;
}
