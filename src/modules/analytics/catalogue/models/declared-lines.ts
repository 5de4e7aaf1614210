import { sql, type RawBuilder } from 'kysely';
import type { ModelRunContext, ParameterSpec } from '../analytical-model.js';
import { inPeriod, text } from './model-kit.js';

/**
 * Every declared line of the period's parcels with its value in won: the clearance assessment's goods
 * price shared out by the line's part of the declared value (lines and parcel share one currency).
 */
export function declaredLines(context: Pick<ModelRunContext, 'from' | 'to'>): RawBuilder<unknown> {
  return sql`
    select b.parcel_id, b.tracking_number, b.seller_key, b.pccc, b.arrival_date, b.channel, b.carrier_code,
      l.line_number, l.description, l.quantity, l.net_mass_kg, l.hs6, l.hs_heading, l.hs_chapter, l.origin_country,
      c.goods_price_krw * l.value / b.declared_value as value_krw
    from intake_analysis_parcel_line l
    join intake_analysis_buyer_parcel b on b.parcel_id = l.parcel_id
    join clearance_analysis_parcel c on c.parcel_id = l.parcel_id
    where ${inPeriod('b.arrival_date', context)} and b.declared_value > 0 and l.hs6 is not null
  `;
}

/** The per-line fact rows (analytics_line_fact, migration 0270) V1 reads instead of three joined views. */
export const LINE_FACT = 'analytics_line_fact';

export const excludedHsParameter: ParameterSpec = {
  name: 'excluded_hs',
  label: text(
    'Excluded HS codes (comma-separated prefixes)',
    '제외 HS 코드(쉼표로 구분한 앞자리)',
    'Codes SH exclus (préfixes séparés par des virgules)',
  ),
  type: 'text',
  default: '',
  maxLength: 500,
};

/** `hs6 not like 'prefix%'` for each excluded prefix (digits only, so nothing but digits reaches SQL). */
export function excludedHsFilter(context: Pick<ModelRunContext, 'parameters'>): RawBuilder<unknown> {
  const prefixes = String(context.parameters.excluded_hs ?? '')
    .split(',')
    .map((prefix) => prefix.trim())
    .filter((prefix) => /^\d{2,6}$/.test(prefix));
  if (prefixes.length === 0) return sql`true`;
  return sql.join(
    prefixes.map((prefix) => sql`hs6 not like ${`${prefix}%`}`),
    sql` and `,
  );
}
