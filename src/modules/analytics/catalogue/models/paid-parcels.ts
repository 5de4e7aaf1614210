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
 * order's payments in won. The consignment's parcels are brought together by sorting every parcel of the
 * period on two text keys, compared bytewise: under the database's collation each comparison calls
 * strcoll, which made that sort most of V3's, P1's and X1's time on 10,000,000 parcels (only equality
 * matters to a partition, and it is the same either way).
 */
export function paidParcels(context: Pick<ModelRunContext, 'from' | 'to'>): RawBuilder<MatchedParcel> {
  return sql<MatchedParcel>`
    with parcels as (
      select b.tracking_number, b.seller_key, b.pccc, b.arrival_date, c.goods_price_krw as declared_krw,
        sum(c.goods_price_krw) over consignment as consignment_declared_krw,
        count(*) over consignment as parcels
      from intake_analysis_buyer_parcel b
      join clearance_analysis_parcel c on c.parcel_id = b.parcel_id
      where ${inPeriod('b.arrival_date', context)}
      window consignment as (
        partition by b.seller_key collate "C", coalesce(b.invoice_number, b.tracking_number) collate "C"
      )
    )
    select p.tracking_number, p.seller_key, p.pccc, cast(p.arrival_date as text) as arrival_date, o.order_number,
      p.consignment_declared_krw as declared_krw, o.paid_krw, p.parcels
    from parcels p
    join intake_analysis_order_payment o on o.tracking_number = p.tracking_number
    where o.paid_krw > 0
  `;
}
