import { z } from 'zod';
import type { DimensionId, FieldId, FlagId } from './semantic-model.js';

/**
 * What a question asks, independent of its wording: the offline parser, a language model and an
 * officer's correction all produce this, and only this is turned into SQL. The schema is the contract
 * for the language model's answer and for corrections sent back by the console.
 */
const dimensionIds = [
  'origin',
  'departure',
  'hs_chapter',
  'hs_heading',
  'hs6',
  'carrier',
  'office',
  'channel',
  'lane',
  'state',
  'seller',
  'importer',
  'declarant',
  'import_type',
  'transport_mode',
  'payment_type',
  'day',
  'week',
  'month',
  'quarter',
  'year',
  'weekday',
] as const satisfies readonly DimensionId[];
const fieldIds = [
  'value_krw',
  'value_usd',
  'duty_krw',
  'vat_krw',
  'tax_krw',
  'net_mass_kg',
  'tax_rate',
  'risk_score',
] as const satisfies readonly FieldId[];
const flagIds = [
  'held',
  'seized',
  'released',
  'fraud',
  'critical_fraud',
  'inspected',
  'taxable',
  'list_clearance',
  'xray_referral',
] as const satisfies readonly FlagId[];

const isoDate = z.string().regex(/^\d{4}-\d{2}-\d{2}$/, 'a date written YYYY-MM-DD');

export const periodSchema = z
  .object({ from: isoDate, to: isoDate })
  .refine((period) => period.from <= period.to, { message: 'from must not be after to' });

/** A condition on one row: a yes/no fact, or a dimension among (or outside) some values. */
export const conditionSchema = z.union([
  z.object({ flag: z.enum(flagIds), value: z.boolean().default(true) }),
  z.object({
    dimension: z.enum(dimensionIds),
    values: z.array(z.string().min(1).max(40)).min(1).max(50),
    negate: z.boolean().default(false),
  }),
]);

export const measureSchema = z.object({
  aggregate: z.enum(['count', 'sum', 'average', 'rate', 'share']),
  /** The summed or averaged field (sum, average). */
  field: z.enum(fieldIds).optional(),
  /** The rows counted in a rate's numerator (rate). */
  condition: conditionSchema.optional(),
});

export const structuredQuerySchema = z.object({
  subject: z.enum(['parcels', 'declarations']),
  measure: measureSchema,
  groupBy: z.array(z.enum(dimensionIds)).max(2).default([]),
  filters: z.array(conditionSchema).max(20).default([]),
  /** Comparisons of a numeric field with an amount ("over 150 dollars"). */
  amounts: z
    .array(
      z.object({
        field: z.enum(fieldIds),
        op: z.enum(['>', '>=', '<', '<=']),
        amount: z.number().finite(),
      }),
    )
    .max(4)
    .default([]),
  period: periodSchema.optional(),
  /** A second period to compare the first with ("compared with last year"). */
  comparePeriod: periodSchema.optional(),
  order: z.enum(['asc', 'desc']).optional(),
  limit: z.number().int().min(1).max(1000).optional(),
});

export type Condition = z.infer<typeof conditionSchema>;
export type Measure = z.infer<typeof measureSchema>;
export type Period = z.infer<typeof periodSchema>;
export type StructuredQuery = z.infer<typeof structuredQuerySchema>;
export type AmountCondition = StructuredQuery['amounts'][number];

export const measureKinds = measureSchema.shape.aggregate.options;
export { dimensionIds, fieldIds, flagIds };
