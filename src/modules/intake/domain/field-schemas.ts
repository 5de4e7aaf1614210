import { z } from 'zod';
import type { FieldError, Validated } from '../../../platform/errors/field-error.js';
import {
  countryProblem,
  currencyProblem,
  hsCodeProblem,
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
/**
 * The B/L or air waybill a consignment was split from (combined taxation, docs/clearance.md); dashes
 * dropped and upper-cased, so `180-12345675` and `18012345675` name one waybill.
 */
export const originalWaybill = refinedCode(
  (value) =>
    /^[A-Z0-9]{6,35}$/.test(value)
      ? undefined
      : 'must be the B/L or air waybill number: 6 to 35 letters or digits (dashes allowed)',
  'waybill-number',
  (value) => value.toUpperCase().replace(/-/g, ''),
);

/**
 * A non-negative decimal given as a JSON number or a string, kept as a canonical decimal string so that
 * money never passes through binary floating point after parsing.
 */
export function decimal(
  maxFractionDigits: number,
  rule = 'non-negative-decimal',
): z.ZodType<string, string | number> {
  const pattern = new RegExp(`^\\d{1,15}(\\.\\d{1,${maxFractionDigits}})?$`);
  const message = `must be a non-negative number with at most ${maxFractionDigits} decimals`;
  const plainText = (raw: string | number) =>
    typeof raw === 'number' ? numberToPlainString(raw) : raw.trim();
  // Checked, then rewritten in place rather than transformed: a transform is a pipe to run for each of
  // the many amounts of a file. The issue is fatal, as a transform's issue is, so later checks are skipped.
  // Files give strings, so the string option goes first: the union stops at the first option that fits.
  const schema = z
    .union([z.string(), z.number()])
    .superRefine((raw, context) => {
      if (!pattern.test(plainText(raw)))
        context.addIssue({ code: 'custom', message, params: { rule }, fatal: true });
    })
    .overwrite((raw) => canonicalDecimal(plainText(raw)));
  // The overwrite makes every accepted value a string, which zod's types cannot follow.
  return schema as unknown as z.ZodType<string, string | number>;
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

export const money = decimal(2, 'money');
export const mass = decimal(3, 'mass');
export const quantity = decimal(3, 'quantity').refine((value) => Number(value) > 0, {
  message: 'must be greater than zero',
  params: { rule: 'positive-quantity' },
});

export const isoDate = z
  .string()
  .regex(/^\d{4}-\d{2}-\d{2}$/, 'must be a date written YYYY-MM-DD')
  .refine(
    (value) => {
      const date = new Date(`${value}T00:00:00Z`);
      return !Number.isNaN(date.getTime()) && date.toISOString().startsWith(value);
    },
    {
      message: 'is not a real calendar date',
      params: { rule: 'date' },
    },
  );

export const isoDateTime = z
  .string()
  .refine((value) => !Number.isNaN(Date.parse(value)) && /^\d{4}-\d{2}-\d{2}(T|\s|$)/.test(value), {
    message: 'must be an ISO 8601 date or date-time',
    params: { rule: 'date-time' },
  });

export const text = (max: number) =>
  z.string().trim().min(1, 'must not be empty').max(max, `must be at most ${max} characters`);
export const optionalText = (max: number) =>
  z.string().trim().max(max, `must be at most ${max} characters`).optional();

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
    const params = (issue as { params?: { rule?: string } }).params;
    const rule = params?.rule ?? ruleFromIssue(issue);
    const fieldError: FieldError = {
      path,
      value: valueAt(input, issue.path),
      rule,
      message: humanMessage(issue),
    };
    if (line !== undefined) fieldError.line = line;
    return fieldError;
  });
}

function ruleFromIssue(issue: z.core.$ZodIssue): string {
  if (issue.code === 'invalid_type')
    return (issue as { input?: unknown }).input === undefined ? 'required' : 'type';
  if (issue.code === 'unrecognized_keys') return 'unknown-field';
  return issue.code;
}

function humanMessage(issue: z.core.$ZodIssue): string {
  if (issue.code === 'invalid_type' && (issue as { input?: unknown }).input === undefined)
    return 'is required';
  if (issue.code === 'unrecognized_keys') return `unknown field(s): ${issue.keys.join(', ')}`;
  return issue.message;
}

function valueAt(input: unknown, path: readonly PropertyKey[]): unknown {
  let current: unknown = input;
  for (const key of path) {
    if (current === null || typeof current !== 'object') return undefined;
    current = (current as Record<PropertyKey, unknown>)[key];
  }
  if (typeof current === 'string' && current.length > 200) return `${current.slice(0, 200)}...`;
  if (current !== null && typeof current === 'object') return undefined;
  return current;
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
