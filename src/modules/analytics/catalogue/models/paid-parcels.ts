import { sql, type RawBuilder } from 'kysely';
import type { ModelRunContext } from '../analytical-model.js';
import { inPeriod } from './model-kit.js';

export interface MatchedParcel {
  tracking_number: string;
  seller_key: string | null;
  pccc: string | null;
  arrival_date: string;
  order_number: string;
  declared_krw: unknown;
  paid_krw: unknown;
  parcels: unknown;
}

/** The fact rows (analytics_parcel_fact, migration 0240) the models read instead of three joined views. */
export const PARCEL_FACT = 'analytics_parcel_fact';

/** The fact rows' columns the models read, besides their consignment's figures. */
const FACT_COLUMNS = sql.raw(
  'parcel_id, tracking_number, pccc, seller_key, consignee_name_key, arrival_date, parcel_row, assessed, order_number, paid_krw, code_day_parcels',
);

/**
 * Every fact row of the period (a parcel with each of its paid orders, or alone), with `declared_krw` and
 * `parcels` the declared goods price in won and the parcels of its consignment (same seller and invoice)
 * within the period, for assessed parcels. A consignment whose parcels all arrived within the period has
 * its total on every row already; only the few that straddle the period's ends are summed here, over
 * their parcels in the period, so the figures are those a sum over the period's parcels gives.
 */
export function periodFacts(context: Pick<ModelRunContext, 'from' | 'to'>): RawBuilder<unknown> {
  const inside = sql`consignment_first >= ${context.from}::date and consignment_last <= ${context.to}::date`;
  return sql`
    select ${FACT_COLUMNS}, consignment_declared_krw as declared_krw, consignment_parcels as parcels
    from ${sql.table(PARCEL_FACT)}
    where ${inPeriod('arrival_date', context)} and not (assessed and not (${inside}))
    union all
    select ${FACT_COLUMNS}, sum(declared_krw) filter (where parcel_row) over consignment,
      count(*) filter (where parcel_row) over consignment
    from ${sql.table(PARCEL_FACT)}
    where ${inPeriod('arrival_date', context)} and assessed and not (${inside})
    window consignment as (partition by consignment_key collate "C")
  `;
}

/** The period's assessed parcels that carry a paid marketplace order, with their consignment's figures. */
export function paidParcels(context: Pick<ModelRunContext, 'from' | 'to'>): RawBuilder<MatchedParcel> {
  return sql<MatchedParcel>`
    select tracking_number, seller_key, pccc, cast(arrival_date as text) as arrival_date, order_number,
      declared_krw, paid_krw, parcels
    from (${periodFacts(context)}) facts
    where assessed and paid_krw is not null
  `;
}
