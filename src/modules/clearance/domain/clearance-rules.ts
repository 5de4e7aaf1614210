import { z } from 'zod';
import { isDecimalText, percentToBasisPoints, type RoundingRule } from './decimal-amount.js';

/**
 * Every number of the Korean clearance rules, in one configurable object (docs/clearance.md explains
 * each). The defaults live in config/clearance-defaults/clearance-rules.json.
 */
export interface ClearanceRules {
  /** List clearance (목록통관) limit on the goods price, in USD. */
  listClearanceLimitUsd: string;
  /** Higher list-clearance limit for goods shipped from these countries (KORUS: US, USD 200). */
  listClearanceLimitByOrigin: Record<string, string>;
  /** Postal items: one limit whatever the origin. */
  postalListClearanceLimitUsd: string;
  /**
   * Duty-free limit for personal goods that go through formal clearance (excluded goods, lost list
   * clearance): at or under it no duty or VAT is due. The KORUS USD 200 applies to list clearance only.
   */
  formalDutyFreeLimitUsd: string;
  /** Whether a PCCC is required for list clearance (it is in Korea). */
  pcccRequiredForListClearance: boolean;
  vatBasisPoints: number;
  /** Tax totals strictly below this amount are not collected. */
  minimumCollectionKrw: bigint;
  rounding: RoundingRule;
  tariff: TariffSchedule;
  exclusions: ExclusionCategory[];
  /** Whole descriptions too vague for list clearance ("gift", "goods"): inaccurate description. */
  vagueDescriptions: string[];
}

export interface TariffEntry {
  /** HS digits: a chapter (2), heading (4), subheading (6) or national line (10). Longest prefix wins. */
  hsPrefix: string;
  dutyBasisPoints: number;
  /** Ad valorem excise (개별소비세) on customs value + duty, when the goods bear one. */
  exciseBasisPoints?: number;
  /** VAT rate of these goods when it differs from the general rate (imported books are VAT-exempt). */
  vatBasisPoints?: number;
  label: string;
}

export interface TariffSchedule {
  defaultDutyBasisPoints: number;
  entries: TariffEntry[];
}

/** A category of goods that can never be list-cleared, recognised by HS code or description keywords. */
export interface ExclusionCategory {
  code: string;
  label: string;
  hsPrefixes: string[];
  keywords: string[];
  /** HS prefixes that are NOT in the category although a wider prefix is (e.g. 2106 food vs 210690). */
  hsExceptions?: string[];
}

const usd = z.string().refine(isDecimalText, 'must be a decimal amount in USD');
const percent = z.union([z.string(), z.number()]).transform((value, context) => {
  try {
    return percentToBasisPoints(String(value));
  } catch (error) {
    context.addIssue({ code: 'custom', message: (error as Error).message });
    return z.NEVER;
  }
});
const hsDigits = z.string().regex(/^\d{2,10}$/, 'must be 2 to 10 HS digits');

/** The JSON form of the rules (percentages as text or numbers, money as decimal strings). */
export const clearanceRulesFileSchema = z.strictObject({
  listClearanceLimitUsd: usd,
  listClearanceLimitByOrigin: z.record(z.string().regex(/^[A-Z]{2}$/), usd),
  postalListClearanceLimitUsd: usd,
  formalDutyFreeLimitUsd: usd,
  pcccRequiredForListClearance: z.boolean(),
  vatPercent: percent,
  minimumCollectionKrw: z.number().int().min(0),
  rounding: z.strictObject({
    mode: z.enum(['truncate', 'half_up', 'ceiling']),
    unitKrw: z.number().int().positive(),
  }),
  tariff: z.strictObject({
    defaultDutyPercent: percent,
    entries: z.array(
      z.strictObject({
        hsPrefix: hsDigits,
        dutyPercent: percent,
        excisePercent: percent.optional(),
        vatPercent: percent.optional(),
        label: z.string(),
      }),
    ),
  }),
  exclusions: z.array(
    z.strictObject({
      code: z.string().regex(/^[a-z_]+$/),
      label: z.string(),
      hsPrefixes: z.array(hsDigits),
      hsExceptions: z.array(hsDigits).optional(),
      keywords: z.array(z.string().min(2)),
    }),
  ),
  vagueDescriptions: z.array(z.string()),
});
export type ClearanceRulesFile = z.input<typeof clearanceRulesFileSchema>;

/** Parses the rules file; throws a readable error naming each bad field. */
export function parseClearanceRules(input: unknown): ClearanceRules {
  const parsed = clearanceRulesFileSchema.safeParse(input);
  if (!parsed.success) {
    throw new Error(
      `Invalid clearance rules: ${parsed.error.issues.map((issue) => `${issue.path.join('.')}: ${issue.message}`).join('; ')}`,
    );
  }
  const file = parsed.data;
  return {
    listClearanceLimitUsd: file.listClearanceLimitUsd,
    listClearanceLimitByOrigin: file.listClearanceLimitByOrigin,
    postalListClearanceLimitUsd: file.postalListClearanceLimitUsd,
    formalDutyFreeLimitUsd: file.formalDutyFreeLimitUsd,
    pcccRequiredForListClearance: file.pcccRequiredForListClearance,
    vatBasisPoints: file.vatPercent,
    minimumCollectionKrw: BigInt(file.minimumCollectionKrw),
    rounding: { mode: file.rounding.mode, unitKrw: BigInt(file.rounding.unitKrw) },
    tariff: {
      defaultDutyBasisPoints: file.tariff.defaultDutyPercent,
      entries: file.tariff.entries.map((entry) => ({
        hsPrefix: entry.hsPrefix,
        dutyBasisPoints: entry.dutyPercent,
        ...(entry.excisePercent !== undefined ? { exciseBasisPoints: entry.excisePercent } : {}),
        ...(entry.vatPercent !== undefined ? { vatBasisPoints: entry.vatPercent } : {}),
        label: entry.label,
      })),
    },
    exclusions: file.exclusions,
    vagueDescriptions: file.vagueDescriptions,
  };
}

/** The duty, excise and VAT rates of an HS code: the entry with the longest matching prefix, else the defaults. */
export function tariffRateFor(
  schedule: TariffSchedule,
  hsCode: string | null | undefined,
  generalVatBasisPoints: number,
): {
  dutyBasisPoints: number;
  exciseBasisPoints: number;
  vatBasisPoints: number;
  matchedPrefix: string | null;
  label: string;
} {
  const digits = (hsCode ?? '').replace(/\D/g, '');
  let best: TariffEntry | undefined;
  if (digits) {
    for (const entry of schedule.entries) {
      if (digits.startsWith(entry.hsPrefix) && (!best || entry.hsPrefix.length > best.hsPrefix.length))
        best = entry;
    }
  }
  return best
    ? {
        dutyBasisPoints: best.dutyBasisPoints,
        exciseBasisPoints: best.exciseBasisPoints ?? 0,
        vatBasisPoints: best.vatBasisPoints ?? generalVatBasisPoints,
        matchedPrefix: best.hsPrefix,
        label: best.label,
      }
    : {
        dutyBasisPoints: schedule.defaultDutyBasisPoints,
        exciseBasisPoints: 0,
        vatBasisPoints: generalVatBasisPoints,
        matchedPrefix: null,
        label: 'default rate',
      };
}

/**
 * The list-clearance limit in USD for one parcel: postal items have one limit, express goods from some
 * origins (KORUS: US) another. Targeting and the demo data read the limit through this function too.
 */
export function listClearanceLimitUsd(
  rules: Pick<
    ClearanceRules,
    'postalListClearanceLimitUsd' | 'listClearanceLimitByOrigin' | 'listClearanceLimitUsd'
  >,
  parcel: { channel: string; shippedFrom: string | null },
): string {
  if (parcel.channel === 'postal') return rules.postalListClearanceLimitUsd;
  return (
    (parcel.shippedFrom && rules.listClearanceLimitByOrigin[parcel.shippedFrom.toUpperCase()]) ||
    rules.listClearanceLimitUsd
  );
}
