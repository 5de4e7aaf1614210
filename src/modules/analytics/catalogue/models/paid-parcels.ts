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

/**
 * The period's assessed parcels that carry a paid marketplace order, with the declared goods price in won
 * of their whole consignment within the period (same seller and invoice: an order shipped in several
 * parcels is summed) and the order's payments in won. Read from the per-parcel fact rows: a consignment
 * whose parcels all arrived within the period has its total on every row already; only the few that
 * straddle the period's ends are summed here, over their parcels in the period, so that the answer is
 * the one a sum over the period's parcels gives.
 */
export function paidParcels(context: Pick<ModelRunContext, 'from' | 'to'>): RawBuilder<MatchedParcel> {
  const inside = sql`consignment_first >= ${context.from}::date and consignment_last <= ${context.to}::date`;
  return sql<MatchedParcel>`
    select tracking_number, seller_key, pccc, cast(arrival_date as text) as arrival_date, order_number,
      consignment_declared_krw as declared_krw, paid_krw, consignment_parcels as parcels
    from ${sql.table(PARCEL_FACT)}
    where ${inPeriod('arrival_date', context)} and assessed and paid_krw is not null and ${inside}
    union all
    select tracking_number, seller_key, pccc, arrival_date, order_number, declared_krw, paid_krw, parcels
    from (
      select tracking_number, seller_key, pccc, cast(arrival_date as text) as arrival_date, order_number, paid_krw,
        sum(declared_krw) filter (where parcel_row) over consignment as declared_krw,
        count(*) filter (where parcel_row) over consignment as parcels
      from ${sql.table(PARCEL_FACT)}
      where ${inPeriod('arrival_date', context)} and assessed and not (${inside})
      window consignment as (partition by consignment_key collate "C")
    ) straddling
    where paid_krw is not null
  `;
}
