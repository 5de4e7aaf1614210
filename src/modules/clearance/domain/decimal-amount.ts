/**
 * Exact decimal arithmetic on bigint for money, exchange rates and tax rates. A decimal is an integer
 * `units` scaled by 10^-scale; nothing here ever passes through binary floating point.
 */
export interface Decimal {
  readonly units: bigint;
  readonly scale: number;
}

const DECIMAL_PATTERN = /^(-)?(\d+)(?:\.(\d+))?$/;

/** Parses a plain decimal string (`"1398.2"`, `"-0.05"`, `"150"`); throws on anything else. */
export function parseDecimal(text: string): Decimal {
  const match = DECIMAL_PATTERN.exec(text.trim());
  if (!match) throw new RangeError(`Not a plain decimal number: ${JSON.stringify(text)}`);
  const [, sign, whole, fraction = ''] = match;
  const units = BigInt(whole! + fraction);
  return { units: sign ? -units : units, scale: fraction.length };
}

export function isDecimalText(text: string): boolean {
  return DECIMAL_PATTERN.test(text.trim());
}

export const ZERO: Decimal = Object.freeze({ units: 0n, scale: 0 });

export function decimalFromInteger(value: bigint): Decimal {
  return { units: value, scale: 0 };
}

function pow10(exponent: number): bigint {
  return 10n ** BigInt(exponent);
}

/** Same value with a larger scale (more fraction digits); never loses precision. */
export function rescale(value: Decimal, scale: number): Decimal {
  if (scale < value.scale) throw new RangeError('rescale would drop digits; use roundToUnit');
  return { units: value.units * pow10(scale - value.scale), scale };
}

export function addDecimals(...values: Decimal[]): Decimal {
  const scale = Math.max(0, ...values.map((value) => value.scale));
  return { units: values.reduce((sum, value) => sum + rescale(value, scale).units, 0n), scale };
}

export function multiplyDecimals(left: Decimal, right: Decimal): Decimal {
  return { units: left.units * right.units, scale: left.scale + right.scale };
}

/** -1, 0 or 1 as `left` is below, equal to or above `right`. */
export function compareDecimals(left: Decimal, right: Decimal): -1 | 0 | 1 {
  const scale = Math.max(left.scale, right.scale);
  const a = rescale(left, scale).units;
  const b = rescale(right, scale).units;
  return a < b ? -1 : a > b ? 1 : 0;
}

/** `numerator / denominator` to `scale` fraction digits, truncated (for display only, never for tax). */
export function divideTruncated(numerator: Decimal, denominator: Decimal, scale: number): Decimal {
  if (denominator.units === 0n) throw new RangeError('division by zero');
  // n/10^a / (d/10^b) * 10^scale = n * 10^(b + scale) / (d * 10^a)
  const top = numerator.units * pow10(denominator.scale + scale);
  const bottom = denominator.units * pow10(numerator.scale);
  return { units: top / bottom, scale };
}

/** Canonical text: no padding zeros (`"1398.20"` -> `"1398.2"`). */
export function formatDecimal(value: Decimal): string {
  const negative = value.units < 0n;
  const digits = (negative ? -value.units : value.units).toString().padStart(value.scale + 1, '0');
  const whole = value.scale === 0 ? digits : digits.slice(0, -value.scale);
  const fraction = value.scale === 0 ? '' : digits.slice(-value.scale).replace(/0+$/, '');
  return `${negative ? '-' : ''}${whole}${fraction ? `.${fraction}` : ''}`;
}

/**
 * How amounts in won are rounded. Korean customs drop the fraction of a won (`truncate`, unit 1); the
 * national treasury rule drops amounts below 10 won on payment (unit 10). Both are configurable.
 */
export type RoundingMode = 'truncate' | 'half_up' | 'ceiling';
export interface RoundingRule {
  mode: RoundingMode;
  /** Smallest amount kept, in won: 1 keeps every won, 10 drops the last digit. */
  unitKrw: bigint;
}

/** Divides exactly-scaled units by a positive divisor with the rounding mode (amounts are non-negative). */
function divideRounded(numerator: bigint, divisor: bigint, mode: RoundingMode): bigint {
  if (divisor <= 0n) throw new RangeError('divisor must be positive');
  const negative = numerator < 0n;
  const magnitude = negative ? -numerator : numerator;
  let quotient = magnitude / divisor;
  const remainder = magnitude % divisor;
  if (remainder !== 0n) {
    if (mode === 'ceiling' && !negative) quotient += 1n;
    else if (mode === 'half_up' && remainder * 2n >= divisor) quotient += 1n;
  }
  return negative ? -quotient : quotient;
}

/** Rounds a decimal amount of won to a whole multiple of the rule's unit, as a bigint of won. */
export function roundToWon(value: Decimal, rule: RoundingRule): bigint {
  const divisor = pow10(value.scale) * rule.unitKrw;
  return divideRounded(value.units, divisor, rule.mode) * rule.unitKrw;
}

/** `amount x basisPoints / 10,000`, rounded by the rule: tax rates are kept as basis points (8 % = 800). */
export function applyBasisPoints(amountKrw: bigint, basisPoints: number, rule: RoundingRule): bigint {
  return roundToWon({ units: amountKrw * BigInt(basisPoints), scale: 4 }, rule);
}

/** Parses `"8"`, `"13"`, `"6.5"` (per cent) into basis points; refuses finer rates than 0.01 %. */
export function percentToBasisPoints(percent: string): number {
  const value = parseDecimal(percent);
  if (value.scale > 2) throw new RangeError(`Rate ${percent} % has more than two decimals`);
  return Number(rescale(value, 2).units);
}

/**
 * Splits a whole amount over weights so that the parts sum exactly to the amount (largest-remainder
 * method): freight shared by value over the lines of a parcel, for example. Equal weights when all are 0.
 */
export function allocateByWeight(amount: bigint, weights: readonly bigint[]): bigint[] {
  if (weights.length === 0) return [];
  const total = weights.reduce((sum, weight) => sum + weight, 0n);
  const effective = total === 0n ? weights.map(() => 1n) : weights;
  const effectiveTotal = total === 0n ? BigInt(weights.length) : total;
  const parts = effective.map((weight) => (amount * weight) / effectiveTotal);
  let left = amount - parts.reduce((sum, part) => sum + part, 0n);
  const order = effective
    .map((weight, index) => ({ index, remainder: (amount * weight) % effectiveTotal }))
    .sort((a, b) => (a.remainder === b.remainder ? a.index - b.index : a.remainder > b.remainder ? -1 : 1));
  for (const { index } of order) {
    if (left === 0n) break;
    parts[index]! += 1n;
    left -= 1n;
  }
  return parts;
}
