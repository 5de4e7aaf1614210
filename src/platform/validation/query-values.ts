import { z } from 'zod';

/** A calendar date written YYYY-MM-DD that exists (2026-02-30 does not), for bodies and query strings alike. */
export const calendarDate = z
  .string()
  .regex(/^\d{4}-\d{2}-\d{2}$/, 'must be a date written YYYY-MM-DD')
  .refine(
    (value) => {
      const date = new Date(`${value}T00:00:00Z`);
      return !Number.isNaN(date.getTime()) && date.toISOString().startsWith(value);
    },
    { message: 'is not a real calendar date', params: { rule: 'date' } },
  );

/**
 * A comma-separated list of values from a closed set (`?lane=red,yellow`), parsed into an array; any
 * other value is a 400 that names the accepted ones.
 */
export function commaSeparated<const Values extends readonly [string, ...string[]]>(values: Values) {
  const allowed = new Set<string>(values);
  return z
    .string()
    .transform((text) => text.split(',').map((value) => value.trim()))
    .refine((list) => list.every((value) => allowed.has(value)), {
      message: `must be one or more of ${values.join(', ')}, separated by commas`,
      params: { rule: 'one-of' },
    })
    .transform((list) => list as unknown as Values[number][]);
}
