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

/**
 * The period's parcels that carry a paid marketplace order, with the declared goods price in won of their
 * whole consignment (same seller and invoice: an order shipped in several parcels is summed) and the
 * order's payments in won.
 */
export function paidParcels(context: Pick<ModelRunContext, 'from' | 'to'>): RawBuilder<MatchedParcel> {
  return sql<MatchedParcel>`
    with parcels as (
      select b.tracking_number, b.seller_key, b.pccc, b.arrival_date, c.goods_price_krw as declared_krw,
        sum(c.goods_price_krw) over (partition by b.seller_key, coalesce(b.invoice_number, b.tracking_number))
          as consignment_declared_krw,
        count(*) over (partition by b.seller_key, coalesce(b.invoice_number, b.tracking_number)) as parcels
      from intake_analysis_buyer_parcel b
      join clearance_analysis_parcel c on c.parcel_id = b.parcel_id
      where ${inPeriod('b.arrival_date', context)}
    )
    select p.tracking_number, p.seller_key, p.pccc, cast(p.arrival_date as text) as arrival_date, o.order_number,
      p.consignment_declared_krw as declared_krw, o.paid_krw, p.parcels
    from parcels p
    join intake_analysis_order_payment o on o.tracking_number = p.tracking_number
    where o.paid_krw > 0
  `;
}
