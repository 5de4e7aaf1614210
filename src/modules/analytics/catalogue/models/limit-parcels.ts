import { sql, type RawBuilder } from 'kysely';
import type { ModelRunContext, ParameterSpec } from '../analytical-model.js';
import { inPeriod, num, numberParameter, text } from './model-kit.js';

export interface LimitParcel {
  parcel_id: string;
  tracking_number: string;
  seller_key: string | null;
  pccc: string | null;
  carrier_code: string;
  channel: string;
  departure_country: string | null;
  invoice_number: string | null;
  arrival_date: string;
  goods_price_usd: unknown;
  limit_usd: unknown;
}

/** The list-clearance limits an officer may set: USD 150, and USD 200 for express parcels from the US. */
export const limitParameters: readonly ParameterSpec[] = [
  numberParameter(
    'limit_usd',
    text('List-clearance limit (USD)', '목록통관 한도(USD)', 'Seuil de dédouanement simplifié (USD)'),
    150,
    1,
    10_000,
  ),
  numberParameter(
    'us_limit_usd',
    text('Limit for express parcels from the US (USD)', '미국발 특송 한도(USD)', 'Seuil des envois express des États-Unis (USD)'),
    200,
    1,
    10_000,
  ),
];

/**
 * The period's parcels with their own goods price in dollars and the list-clearance limit that applies
 * to each: the US one for express parcels that leave from the US (KORUS), the general one otherwise (post
 * included), as clearance's rules apply them. Clearance's assessment gives parcels taxed together their
 * combined price, so a parcel's own price is its declared value at the day's dollar rate for its currency
 * (the median rate of that day's assessments, most of which are of single parcels).
 */
export function limitParcels(context: Pick<ModelRunContext, 'from' | 'to' | 'parameters'>): RawBuilder<LimitParcel> {
  return sql<LimitParcel>`
    with assessed as (
      select b.*, c.goods_price_usd as assessed_usd
      from intake_analysis_buyer_parcel b
      join clearance_analysis_parcel c on c.parcel_id = b.parcel_id
      where ${inPeriod('b.arrival_date', context)} and c.goods_price_usd is not null and b.declared_value > 0
    ),
    rates as (
      select currency, arrival_date,
        percentile_cont(0.5) within group (order by assessed_usd / declared_value) as usd_per_unit
      from assessed group by currency, arrival_date
    )
    select a.parcel_id, a.tracking_number, a.seller_key, a.pccc, a.carrier_code, a.channel,
      a.seller_country as departure_country, a.invoice_number, cast(a.arrival_date as text) as arrival_date,
      a.declared_value * r.usd_per_unit as goods_price_usd,
      case when a.channel = 'express' and a.seller_country = 'US'
        then cast(${num(context.parameters.us_limit_usd)} as numeric)
        else cast(${num(context.parameters.limit_usd)} as numeric) end as limit_usd
    from assessed a join rates r on r.currency = a.currency and r.arrival_date = a.arrival_date
  `;
}
