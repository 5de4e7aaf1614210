import { z } from 'zod';
import type { FieldError, Validated } from '../../../platform/errors/field-error.js';
import { fieldErrorOfIssue, valueAtPath } from '../../../platform/validation/issue-to-field-error.js';
import { textProblem } from '../../../platform/validation/text-rules.js';
import { calendarDate } from '../../../platform/validation/query-values.js';
import {
  countryProblem,
  currencyProblem,
  hsCodeProblem,
  masterAirWaybillProblem,
  normaliseHsCode,
  pcccProblem,
  s10Problem,
} from './identifiers.js';

/**
 * Zod building blocks shared by every intake format. CSV and XML records are mapped onto the same JSON
 * shapes and validated by the same schemas, so a rule is written once.
 */

/**
 * A string normalised in place (an overwrite, not a transform: no pipe to run for each of the many codes
 * of a file) and then checked.
 */
function refinedCode(
  check: (value: string) => string | undefined,
  rule: string,
  normalise: (value: string) => string = (v) => v,
) {
  return z
    .string()
    .overwrite((value) => normalise(value.trim()))
    .superRefine((value, context) => {
      const problem = check(value);
      if (problem) context.addIssue({ code: 'custom', message: problem, params: { rule } });
    });
}

export const countryCode = refinedCode(countryProblem, 'iso-country', (value) => value.toUpperCase());
export const currencyCode = refinedCode(currencyProblem, 'iso-currency', (value) => value.toUpperCase());
export const hsCode = refinedCode(hsCodeProblem, 'hs-code-shape', normaliseHsCode);
export const pccc = refinedCode(pcccProblem, 'pccc-shape', (value) => value.toUpperCase());
export const s10ItemId = refinedCode(s10Problem, 's10-item-id', (value) => value.toUpperCase());
export const masterAirWaybill = refinedCode(masterAirWaybillProblem, 'mawb');

/**
 * A non-negative decimal given as a JSON number or a string, kept as a canonical decimal string so that
 * money never passes through binary floating point after parsing. Shape, size and precision are told
 * apart, so that "too large" is never reported as "too many decimals".
 */
export function decimal(
  maxFractionDigits: number,
  max: number,
  rule = 'non-negative-decimal',
): z.ZodType<string, string | number> {
  const maxDigits = String(Math.trunc(max)).length;
  const plainText = (raw: string | number) =>
    typeof raw === 'number' ? numberToPlainString(raw) : raw.trim();
  // Checked, then rewritten in place rather than transformed: a transform is a pipe to run for each of
  // the many amounts of a file. The issue is fatal, as a transform's issue is, so later checks are skipped.
  // Files give strings, so the string option goes first: the union stops at the first option that fits.
  const schema = z
    .union([z.string(), z.number()])
    .superRefine((raw, context) => {
      const problem = decimalProblem(plainText(raw), maxFractionDigits, max, maxDigits);
      if (problem)
        context.addIssue({
          code: 'custom',
          message: problem.message,
          params: { rule: `${rule}${problem.suffix}`, max, decimals: maxFractionDigits },
          fatal: true,
        });
    })
    .overwrite((raw) => canonicalDecimal(plainText(raw)));
  // The overwrite makes every accepted value a string, which zod's types cannot follow.
  return schema as unknown as z.ZodType<string, string | number>;
}

const DECIMAL = /^(\d+)(?:\.(\d+))?$/;

function decimalProblem(
  text: string,
  maxFractionDigits: number,
  max: number,
  maxDigits: number,
): { suffix: string; message: string } | undefined {
  const match = DECIMAL.exec(text);
  if (!match) return { suffix: '', message: 'must be a non-negative number written with digits and a point' };
  const [, whole, fraction = ''] = match;
  const wholeDigits = whole!.replace(/^0+(?=\d)/, '');
  if (wholeDigits.length > maxDigits || Number(text) > max)
    return { suffix: '-range', message: `must be at most ${max.toLocaleString('en')}` };
  if (fraction.replace(/0+$/, '').length > maxFractionDigits)
    return { suffix: '-precision', message: `must have at most ${maxFractionDigits} decimals` };
  return undefined;
}

function numberToPlainString(value: number): string {
  if (!Number.isFinite(value)) return String(value);
  // Up to 6 significant decimals is enough to detect "too many decimals" without exponent notation.
  return Number.isInteger(value) ? value.toFixed(0) : value.toFixed(6).replace(/0+$/, '');
}

/** Without leading zeros in the whole part or trailing zeros in the fraction; `text` matched the decimal pattern. */
function canonicalDecimal(text: string): string {
  const point = text.indexOf('.');
  const wholeEnd = point === -1 ? text.length : point;
  let wholeStart = 0;
  while (wholeStart < wholeEnd - 1 && text.charCodeAt(wholeStart) === 0x30) wholeStart++;
  let end = text.length;
  if (point !== -1) {
    while (text.charCodeAt(end - 1) === 0x30) end--; // stops at the point at the latest
    if (end - 1 === point) end = point;
  }
  return wholeStart === 0 && end === text.length ? text : text.slice(wholeStart, end);
}

/** Upper limits of amounts, masses and quantities: plausible for one parcel, and within the columns that store them. */
export const LIMITS = { money: 10_000_000_000, massKg: 100_000, quantity: 1_000_000 } as const;

export const money = decimal(2, LIMITS.money, 'money');
export const mass = decimal(3, LIMITS.massKg, 'mass');
export const quantity = decimal(3, LIMITS.quantity, 'quantity').refine((value) => Number(value) > 0, {
  message: 'must be greater than zero',
  params: { rule: 'positive-quantity' },
});

export const isoDate = calendarDate;

export const isoDateTime = z
  .string()
  .refine((value) => !Number.isNaN(Date.parse(value)) && /^\d{4}-\d{2}-\d{2}(T|\s|$)/.test(value), {
    message: 'must be an ISO 8601 date or date-time',
    params: { rule: 'date-time' },
  });

/** Text a person could have typed (see platform/validation/text-rules), of at most `max` characters. */
function safeText(max: number) {
  return z
    .string()
    .superRefine((value, context) => {
      const problem = textProblem(value);
      if (problem)
        context.addIssue({
          code: 'custom',
          message: problem.message,
          params: { rule: problem.rule },
          fatal: true,
        });
    })
    .trim()
    .max(max, `must be at most ${max} characters`);
}

export const text = (max: number) => safeText(max).min(1, 'must not be empty');
export const optionalText = (max: number) => safeText(max).optional();

export const addressSchema = z.strictObject({
  name: text(200),
  business: optionalText(200),
  street: text(300),
  postcode: optionalText(20),
  city: text(100),
  country: countryCode,
  phone: optionalText(40),
  email: z.string().trim().email('must be an e-mail address').max(200).optional(),
});
export type Address = z.output<typeof addressSchema>;

export const declarationLineSchema = z.strictObject({
  description: text(500),
  quantity,
  netMassKg: mass.optional(),
  value: money,
  currency: currencyCode,
  hsCode: hsCode.optional(),
  originCountry: countryCode.optional(),
});
export type DeclarationLineInput = z.output<typeof declarationLineSchema>;

export const sellerSchema = z.strictObject({
  /** The seller's id at its marketplace, or its foreign-seller registration number. */
  id: text(100),
  name: text(200),
  country: countryCode.optional(),
  registrationNumber: optionalText(50),
  marketplace: optionalText(100),
  url: z.string().trim().url().max(500).optional(),
});
export type SellerInput = z.output<typeof sellerSchema>;

/** Turns zod issues into field errors that name the path, the value received and the rule broken. */
export function toFieldErrors(
  error: z.ZodError,
  input: unknown,
  line?: number,
  pathPrefix = '',
): FieldError[] {
  return error.issues.map((issue) => {
    const path = [pathPrefix, ...issue.path.map(String)].filter(Boolean).join('/');
    const fieldError = fieldErrorOfIssue(issue, valueAtPath(input, issue.path), path);
    if (line !== undefined) fieldError.line = line;
    return fieldError;
  });
}

/** Runs a schema and returns a Validated result instead of throwing. */
export function validateWith<S extends z.ZodType>(
  schema: S,
  input: unknown,
  line?: number,
): Validated<z.output<S>> {
  const result = schema.safeParse(input);
  return result.success
    ? { ok: true, value: result.data }
    : { ok: false, errors: toFieldErrors(result.error, input, line) };
}
