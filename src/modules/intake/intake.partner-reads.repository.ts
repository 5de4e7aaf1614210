import { sql } from 'kysely';
import { prepared } from '../../platform/db/prepared-statements.js';
import type { Database } from '../../platform/db/database.js';
import type { IntakeDb } from './intake.repository.js';
import type { IntakeTables } from './intake.tables.js';

/**
 * What the partners module needs from intake's records, read here so that no other module's SQL names
 * intake's tables: the product text of parcels and orders (product-safety matching), a carrier's data
 * quality per period (compliance), a foreign seller's parcels and orders, and its registration status.
 */

/** One thing a parcel or an order says about a product, with what identifies its seller and listing. */
export interface ProductLine {
  parcelId: number | null;
  orderId: number | null;
  /** The declaration line number, or 0 for an order's product title. */
  lineNumber: number;
  text: string;
  hsCode: string | null;
  sellerId: string | null;
  sellerRegistration: string | null;
  sellerRegistrationStatus: string | null;
  listingUrl: string | null;
  carrierCode: string | null;
  trackingNumber: string | null;
  receivedAt: string;
}

interface ProductLineRow {
  parcel_id: number | null;
  order_id: number | null;
  line_number: number;
  text: string;
  hs_code: string | null;
  seller_id: string | null;
  seller_registration: string | null;
  seller_status: string | null;
  listing_url: string | null;
  carrier_code: string | null;
  tracking_number: string | null;
  received_at: Date;
}

const toProductLine = (row: ProductLineRow): ProductLine => ({
  parcelId: row.parcel_id === null ? null : Number(row.parcel_id),
  orderId: row.order_id === null ? null : Number(row.order_id),
  lineNumber: row.line_number,
  text: row.text,
  hsCode: row.hs_code,
  sellerId: row.seller_id,
  sellerRegistration: row.seller_registration,
  sellerRegistrationStatus: row.seller_status,
  listingUrl: row.listing_url,
  carrierCode: row.carrier_code,
  trackingNumber: row.tracking_number,
  receivedAt: new Date(row.received_at).toISOString(),
});

/** Declaration lines of parcels, chosen by `where` over `p` (intake_parcel). */
function parcelLines(where: ReturnType<typeof sql>) {
  return sql<ProductLineRow>`
    select p.id as parcel_id, null::bigint as order_id, l.line_number, l.description as text, l.hs_code,
      s.party_key as seller_id, s.registration_number as seller_registration, s.registration_status as seller_status,
      null::text as listing_url, c.party_key as carrier_code, p.tracking_number, p.received_at
    from intake_parcel p
    -- Probed per parcel ("offset 0" keeps each a subquery of its own): joined, the prepared statement's
    -- plan (made for any number of parcels) hashed every party of a young database for each batch of a
    -- few parcels (0.60 -> 0.22 ms a call, generic plan, 6,300 parcels; see docs/operations.md).
    join lateral (select c.party_key from intake_party c where c.id = p.carrier_party_id offset 0) c on true
    left join lateral (select s.party_key, s.registration_number, s.registration_status from intake_party s
      where s.id = p.seller_party_id offset 0) s on true
    join lateral (select l.line_number, l.description, l.hs_code from intake_declaration d
      join intake_declaration_line l on l.declaration_id = d.id where d.parcel_id = p.id offset 0) l on true
    where ${where}`;
}

/** Orders (their product title and listing), chosen by `where` over `o`, with the parcel they travel in. */
function orderLines(where: ReturnType<typeof sql>) {
  return sql<ProductLineRow>`
    select p.id as parcel_id, o.id as order_id, 0 as line_number, o.product_title as text, null::text as hs_code,
      s.party_key as seller_id, s.registration_number as seller_registration, s.registration_status as seller_status,
      o.listing_url, c.party_key as carrier_code, o.tracking_number, o.received_at
    from intake_order o
    left join intake_party s on s.id = o.seller_party_id
    left join lateral (select id, carrier_party_id from intake_parcel where tracking_number = o.tracking_number
      order by id limit 1) p on true
    left join intake_party c on c.id = p.carrier_party_id
    where ${where}`;
}

/** A carrier's parcels in a period and what they show of its data quality; the ids are samples. */
export interface CarrierDataQuality {
  parcels: number;
  /** Parcels whose every declaration line has an HS code and that carry the importer's PCCC. */
  complete: number;
  /** Parcels received before their arrival day. */
  beforeArrival: number;
  /** Parcels with an arrival date (the base of timeliness). */
  withArrivalDate: number;
  /** Parcels inspected, and those whose inspection found the declaration false. */
  inspected: number;
  inspectedWithFindings: number;
  incompleteSamples: number[];
  lateSamples: number[];
  findingSamples: number[];
}

/**
 * Intake's records as the partners module reads them (product-safety matching, carrier compliance,
 * foreign seller registration): set-wise queries on intake's own tables.
 */
export class PartnerReadsRepository {
  private readonly db: IntakeDb;

  constructor(database: Database) {
    this.db = database.db.withTables<IntakeTables>() as unknown as IntakeDb;
  }

  /** The product lines of these parcels: their declaration lines and the orders they carry. */
  async productLinesOfParcels(parcelIds: readonly number[]): Promise<ProductLine[]> {
    if (parcelIds.length === 0) return [];
    const ids = [...parcelIds];
    const { rows } = await sql<ProductLineRow>`${prepared}
      ${parcelLines(sql`p.id = any(${ids}::bigint[])`)}
      union all
      ${orderLines(sql`o.tracking_number in (select tracking_number from intake_parcel where id = any(${ids}::bigint[]))`)}
      order by parcel_id, order_id nulls first, line_number`.execute(this.db);
    return rows.map(toProductLine);
  }

  /** The product titles of these orders, with the parcel each travels in when it has arrived. */
  async productLinesOfOrders(orderIds: readonly number[]): Promise<ProductLine[]> {
    if (orderIds.length === 0) return [];
    const { rows } = await orderLines(sql`o.id = any(${[...orderIds]}::bigint[])`).execute(this.db);
    return rows.map(toProductLine);
  }

  /**
   * Product lines of parcels received since `since`, a page at a time in parcel order (`afterParcelId`
   * continues a page): what a new report is matched against.
   */
  async productLinesReceivedSince(
    since: Date,
    page: { afterParcelId: number; parcels: number },
  ): Promise<{ lines: ProductLine[]; lastParcelId: number | null }> {
    const { rows: parcels } = await sql<{ id: number }>`
      select id from intake_parcel where received_at >= ${since} and id > ${page.afterParcelId}
      order by id limit ${page.parcels}`.execute(this.db);
    if (parcels.length === 0) return { lines: [], lastParcelId: null };
    const ids = parcels.map((parcel) => Number(parcel.id));
    return { lines: await this.productLinesOfParcels(ids), lastParcelId: ids[ids.length - 1]! };
  }

  async carrierDataQuality(
    carrierCode: string,
    range: { from: string; to: string },
  ): Promise<CarrierDataQuality> {
    const { rows } = await sql<{
      parcels: number;
      complete: number;
      before_arrival: number;
      with_arrival_date: number;
      inspected: number;
      with_findings: number;
      incomplete_samples: number[] | null;
      late_samples: number[] | null;
      finding_samples: number[] | null;
    }>`
      with carrier_parcels as (
        select p.id, p.pccc, p.arrival_date, p.received_at,
          not exists (select 1 from intake_declaration d join intake_declaration_line l on l.declaration_id = d.id
            where d.parcel_id = p.id and (l.hs_code is null or l.hs_code = '')) as lines_complete,
          o.fraud
        from intake_parcel p
        join intake_party c on c.id = p.carrier_party_id and upper(c.party_key) = upper(${carrierCode})
        left join intake_declaration d on d.parcel_id = p.id
        left join intake_inspection_outcome o on o.declaration_id = d.id
        where p.received_at >= ${range.from}::date and p.received_at < ${range.to}::date + 1
      )
      select count(*)::int as parcels,
        count(*) filter (where lines_complete and pccc is not null)::int as complete,
        count(*) filter (where arrival_date is not null and received_at < arrival_date::timestamptz)::int as before_arrival,
        count(*) filter (where arrival_date is not null)::int as with_arrival_date,
        count(*) filter (where fraud is not null)::int as inspected,
        count(*) filter (where fraud)::int as with_findings,
        (array_agg(id order by id) filter (where not (lines_complete and pccc is not null)))[1:5] as incomplete_samples,
        (array_agg(id order by id) filter (where arrival_date is not null and received_at >= arrival_date::timestamptz))[1:5] as late_samples,
        (array_agg(id order by id) filter (where fraud))[1:5] as finding_samples
      from carrier_parcels`.execute(this.db);
    const row = rows[0]!;
    const ids = (list: number[] | null) => (list ?? []).map(Number);
    return {
      parcels: row.parcels,
      complete: row.complete,
      beforeArrival: row.before_arrival,
      withArrivalDate: row.with_arrival_date,
      inspected: row.inspected,
      inspectedWithFindings: row.with_findings,
      incompleteSamples: ids(row.incomplete_samples),
      lateSamples: ids(row.late_samples),
      findingSamples: ids(row.finding_samples),
    };
  }

  /** Marks the sellers that name this registration number (a decision, or a number customs do not know). */
  async setSellerRegistrationStatus(registrationNumber: string, status: string): Promise<number> {
    const result = await sql`
      update intake_party set registration_status = ${status}
      where kind = 'seller' and upper(registration_number) = upper(${registrationNumber})
        and registration_status is distinct from ${status}`.execute(this.db);
    return Number(result.numAffectedRows ?? 0);
  }

  /** The parcels and orders of the sellers that name this registration number, newest first. */
  async sellerActivity(
    registrationNumber: string,
    limit: number,
  ): Promise<{
    parcels: {
      id: number;
      trackingNumber: string;
      carrierCode: string;
      receivedAt: string;
      inspected: boolean;
      fraud: boolean | null;
    }[];
    orders: {
      id: number;
      orderNumber: string;
      productTitle: string;
      listingUrl: string | null;
      orderedAt: string;
    }[];
  }> {
    const { rows: parcels } = await sql<{
      id: number;
      tracking_number: string;
      carrier_code: string;
      received_at: Date;
      fraud: boolean | null;
    }>`
      select p.id, p.tracking_number, c.party_key as carrier_code, p.received_at, o.fraud
      from intake_party s
      join intake_parcel p on p.seller_party_id = s.id
      join intake_party c on c.id = p.carrier_party_id
      left join intake_declaration d on d.parcel_id = p.id
      left join intake_inspection_outcome o on o.declaration_id = d.id
      where s.kind = 'seller' and upper(s.registration_number) = upper(${registrationNumber})
      order by p.id desc limit ${limit}`.execute(this.db);
    const { rows: orders } = await sql<{
      id: number;
      order_number: string;
      product_title: string;
      listing_url: string | null;
      ordered_at: Date;
    }>`
      select o.id, o.order_number, o.product_title, o.listing_url, o.ordered_at
      from intake_party s join intake_order o on o.seller_party_id = s.id
      where s.kind = 'seller' and upper(s.registration_number) = upper(${registrationNumber})
      order by o.id desc limit ${limit}`.execute(this.db);
    return {
      parcels: parcels.map((row) => ({
        id: Number(row.id),
        trackingNumber: row.tracking_number,
        carrierCode: row.carrier_code,
        receivedAt: new Date(row.received_at).toISOString(),
        inspected: row.fraud !== null,
        fraud: row.fraud,
      })),
      orders: orders.map((row) => ({
        id: Number(row.id),
        orderNumber: row.order_number,
        productTitle: row.product_title,
        listingUrl: row.listing_url,
        orderedAt: new Date(row.ordered_at).toISOString(),
      })),
    };
  }
}
