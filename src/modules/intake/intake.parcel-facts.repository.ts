/**
 * Intake's parcels in bulk, in the one shape other modules read them (`ParcelFacts`): set-based queries
 * per batch, because targeting decides thousands of parcels per second and replays the last N days for
 * dry runs, where reading one parcel at a time would be far too slow. Read-only.
 */
import { sql, type Kysely } from 'kysely';
import type { Database } from '../../platform/db/database.js';
import { prepared } from '../../platform/db/prepared-statements.js';
import { addressOf } from '../../platform/text/address-text.js';
import type {
  CurrencyAmount,
  DeclaredParcelFacts,
  LineFacts,
  ParcelHistoryField,
  ParcelFacts,
  ParcelFactsReader,
  ReceivedParcelFacts,
  UnitValueNorm,
} from './domain/parcel-facts.js';

interface ParcelRow {
  id: number;
  channel: 'postal' | 'express';
  tracking_number: string;
  carrier_code: string;
  pccc: string | null;
  office_code: string | null;
  category: string | null;
  sender: Record<string, unknown>;
  addressee: Record<string, unknown>;
  seller_key: string | null;
  seller_country: string | null;
  seller_status: string | null;
  gross_mass_kg: string | null;
  pieces: number | null;
  declared_value: string;
  currency: string;
  freight_value: string | null;
  insurance_value: string | null;
  /** `documents.splitFromWaybill` when it is a string. */
  document_split_waybill: string | null;
  arrival_date: string | null;
  received_at: Date | string;
  declaration_id: number | null;
  declared_on: string | null;
  declarant_key: string | null;
  /** The declaration's lines, in line order. */
  lines: Omit<LineRow, 'declaration_id'>[] | null;
  /** The orders naming the parcel's tracking number, in the order they were stored. */
  orders:
    | {
        marketplace: string;
        price_paid: string;
        currency: string;
        ordered_at: string;
        split_from_waybill: string | null;
        seller_key: string | null;
      }[]
    | null;
  /** The payment methods of those orders, in the order they were stored. */
  payment_methods: string[] | null;
}

/** The columns of `HISTORY_COLUMNS`. */
interface HistoryRow {
  seller_prior: number | null;
  buyer_same_day: number | null;
  buyer_same_day_values: { currency: string; value: string }[] | null;
  buyer_names: number | null;
  sellers_sharing_contact: number | null;
  /** The parcels of its arrival day delivered to a street its orders deliver to (0 when none). */
  delivery_parcels: number;
  delivery_pcccs: number;
  delivery_values: { currency: string; value: string }[] | null;
}

interface LineRow {
  declaration_id: number;
  line_number: number;
  description: string;
  quantity: string;
  net_mass_kg: string | null;
  value: string;
  currency: string;
  hs_code: string | null;
  origin_country: string | null;
}

const num = (value: string | number | null): number | null => (value === null ? null : Number(value));
const text = (value: unknown): string | null => (typeof value === 'string' && value !== '' ? value : null);
/** Party codes are compared in upper case (watchlists store them so): normalised once, here. */
const code = (value: string | null): string | null => (value === null ? null : value.toUpperCase());

/**
 * Targeting's history features: reads of a parcel's neighbours (the seller's earlier parcels, the code's
 * same-day parcels and names, sellers sharing a contact, same-street deliveries), most of the facts
 * read's work. Risk scoring needs them; clearance, which reads every parcel too, does not
 * (`loadDeclaredParcels`). The two counts are capped so that a seller with a million parcels costs no
 * more than one with 100.
 */
const HISTORY_COLUMNS = sql`
        case when p.seller_party_id is null then null else
          (select count(*) from (select 1 from intake_parcel p2 where p2.seller_party_id = p.seller_party_id and p2.id < p.id limit 100) prior) end as seller_prior,
        case when p.pccc is null or p.arrival_date is null then null else
          (select count(*) from (select 1 from intake_parcel p3 where p3.pccc = p.pccc and p3.arrival_date = p.arrival_date limit 100) same) end as buyer_same_day,
        case when p.pccc is null or p.arrival_date is null then null else
          (select json_agg(json_build_object('currency', per.currency, 'value', per.value::text) order by per.currency) from (
            select same.currency, sum(same.declared_value) as value from (select p4.currency, p4.declared_value from intake_parcel p4
              where p4.pccc = p.pccc and p4.arrival_date = p.arrival_date limit 100) same group by same.currency) per) end as buyer_same_day_values,
        case when p.pccc is null then null else
          (select count(distinct lower(regexp_replace(latest.addressee->>'name', '[[:space:]]+', ' ', 'g'))) from (select p5.addressee from intake_parcel p5
            where p5.pccc = p.pccc order by p5.arrival_date desc nulls last limit 50) latest) end as buyer_names,
        case when p.sender->>'phone' is null and p.sender->>'street' is null then null else
          (select count(distinct shared.seller_party_id) from (select p6.seller_party_id from intake_parcel p6
            where (p6.sender->>'phone' = p.sender->>'phone' or lower(p6.sender->>'street') = lower(p.sender->>'street'))
              and p6.seller_party_id is not null limit 200) shared) end as sellers_sharing_contact,
        delivery.parcels as delivery_parcels, delivery.pcccs as delivery_pcccs, delivery.vals as delivery_values,`;
const HISTORY_JOIN = sql`
      -- The parcels of the tracking number's arrival day whose orders deliver to a street its orders
      -- deliver to: their declared values per currency and their different PCCCs (split deliveries).
      cross join lateral (
        with mine as (
          select distinct p0.arrival_date, lower(o.deliver_to->>'street') as street
          from intake_parcel p0 join intake_order o on o.tracking_number = p0.tracking_number
          where p0.tracking_number = p.tracking_number and o.deliver_to->>'street' is not null
            and p0.arrival_date is not null),
        series as (
          select distinct other.id, other.currency, other.declared_value, other.pccc
          from mine
          cross join lateral (select o2.tracking_number from intake_order o2
            where lower(o2.deliver_to->>'street') = mine.street and o2.deliver_to->>'street' is not null limit 200) o2
          join intake_parcel other on other.tracking_number = o2.tracking_number and other.arrival_date = mine.arrival_date)
        select (select count(*) from series)::int as parcels,
          (select count(distinct series.pccc) from series)::int as pcccs,
          (select json_agg(json_build_object('currency', per.currency, 'value', per.value::text) order by per.currency)
            from (select series.currency, sum(series.declared_value) as value from series group by series.currency) per) as vals
      ) delivery`;

export class ParcelFactsRepository implements ParcelFactsReader {
  private readonly db: Kysely<{}>;

  constructor(database: Database) {
    this.db = database.db;
  }

  async loadParcelFacts(
    parcelIds: readonly number[],
    options: { outcomes?: boolean } = {},
  ): Promise<ReceivedParcelFacts[]> {
    const rows = await this.readParcels(parcelIds, true);
    if (rows.length === 0) return [];
    // Live decisions do not need outcomes (dry runs do): no statement at all for them.
    const outcomes = options.outcomes
      ? await this.outcomesOf(rows.map((row) => row.declaration_id).filter((id): id is number => id !== null))
      : new Map<number, { fraud: boolean; criticalLevel: number }>();
    return rows.map((row) => ({
      ...declaredFactsOf(row, outcomes),
      ...historyOf(row),
    }));
  }

  async loadDeclaredParcels(parcelIds: readonly number[]): Promise<DeclaredParcelFacts[]> {
    return (await this.readParcels(parcelIds, false)).map((row) => declaredFactsOf(row));
  }

  /**
   * One statement per batch, lines, orders and payments included (each a subquery per parcel off its
   * index), with or without the history features: a decision batch reads its facts in one round trip.
   */
  private readParcels(parcelIds: readonly number[], history: true): Promise<(ParcelRow & HistoryRow)[]>;
  private readParcels(parcelIds: readonly number[], history: false): Promise<ParcelRow[]>;
  private async readParcels(parcelIds: readonly number[], history: boolean): Promise<ParcelRow[]> {
    if (parcelIds.length === 0) return [];
    const ids = [...new Set(parcelIds)];
    const { rows } = await sql<ParcelRow>`${prepared}
      select p.id, p.channel, p.tracking_number, c.party_key as carrier_code, p.pccc, p.office_code, p.category, p.sender, p.addressee,
        s.party_key as seller_key, s.country as seller_country, s.registration_status as seller_status,
        p.gross_mass_kg::text, p.pieces, p.declared_value::text, p.currency, p.freight_value::text, p.insurance_value::text,
        case when jsonb_typeof(p.documents->'splitFromWaybill') = 'string' then p.documents->>'splitFromWaybill' end as document_split_waybill,
        to_char(p.arrival_date, 'YYYY-MM-DD') as arrival_date, p.received_at, d.id as declaration_id,
        to_char(d.declared_on, 'YYYY-MM-DD') as declared_on, d.declarant_key,
        ${history ? HISTORY_COLUMNS : sql``}
        (select json_agg(json_build_object('line_number', l.line_number, 'description', l.description, 'quantity', l.quantity::text,
            'net_mass_kg', l.net_mass_kg::text, 'value', l.value::text, 'currency', l.currency, 'hs_code', l.hs_code,
            'origin_country', l.origin_country) order by l.line_number)
          from intake_declaration_line l where l.declaration_id = d.id) as lines,
        (select json_agg(json_build_object('marketplace', mp.party_key, 'price_paid', o.price_paid::text, 'currency', o.currency,
            'ordered_at', o.ordered_at, 'split_from_waybill', o.split_from_waybill, 'seller_key', os.party_key) order by o.id)
          from intake_order o join intake_party mp on mp.id = o.marketplace_party_id
          left join intake_party os on os.id = o.seller_party_id
          where o.tracking_number = p.tracking_number) as orders,
        (select json_agg(pay.method order by pay.id)
          from intake_payment pay
          join intake_order o on o.marketplace_party_id = pay.marketplace_party_id and o.order_number = pay.order_number
          where o.tracking_number = p.tracking_number) as payment_methods
      from intake_parcel p
      -- Probed per parcel ("offset 0" keeps each a subquery of its own). Joined, the prepared statement's
      -- plan (made for any number of parcels) hashed every party and declaration of a young database for
      -- each batch of a few parcels: two sequential scans, most of this statement's time under load.
      join lateral (select c.party_key from intake_party c where c.id = p.carrier_party_id offset 0) c on true
      left join lateral (select s.party_key, s.country, s.registration_status from intake_party s
        where s.id = p.seller_party_id offset 0) s on true
      left join lateral (select d.id, d.declared_on, d.declarant_key from intake_declaration d
        where d.parcel_id = p.id offset 0) d on true
      ${history ? HISTORY_JOIN : sql``}
      where p.id = any(${ids}::bigint[])`.execute(this.db);
    return rows;
  }

  async parcelIdsOfOrders(orderIds: readonly number[]): Promise<number[]> {
    if (orderIds.length === 0) return [];
    const { rows } = await sql<{ id: number }>`
      select distinct p.id from intake_order o join intake_parcel p on p.tracking_number = o.tracking_number
      where o.id = any(${[...orderIds]}::bigint[]) order by p.id`.execute(this.db);
    return rows.map((row) => row.id);
  }

  async parcelIdsOfPayments(paymentIds: readonly number[]): Promise<number[]> {
    if (paymentIds.length === 0) return [];
    const { rows } = await sql<{ id: number }>`
      select distinct p.id from intake_payment pay
      join intake_order o on o.marketplace_party_id = pay.marketplace_party_id and o.order_number = pay.order_number
      join intake_parcel p on p.tracking_number = o.tracking_number
      where pay.id = any(${[...paymentIds]}::bigint[])`.execute(this.db);
    return rows.map((row) => row.id);
  }

  async parcelIdsReceived(range: {
    fromMs: number;
    toMs: number;
    afterId: number;
    limit: number;
  }): Promise<number[]> {
    const { rows } = await sql<{ id: number }>`
      select id from intake_parcel
      where received_at >= ${new Date(range.fromMs)} and received_at < ${new Date(range.toMs)} and id > ${range.afterId}
      order by id limit ${range.limit}`.execute(this.db);
    return rows.map((row) => row.id);
  }

  async declarationFacts(range: {
    fromDate: string;
    toDate: string;
    afterDeclarationId: number;
    limit: number;
  }): Promise<ParcelFacts[]> {
    const { rows } = await sql<{
      id: number;
      parcel_id: number | null;
      declared_on: string;
      office_code: string | null;
      declarant_key: string | null;
      importer_key: string | null;
      seller_key: string | null;
      courier_key: string | null;
      attributes: Record<string, unknown>;
    }>`
      select d.id, d.parcel_id, to_char(d.declared_on, 'YYYY-MM-DD') as declared_on, d.office_code, d.declarant_key, d.importer_key,
        d.seller_key, d.courier_key, d.attributes
      from intake_declaration d
      where d.declared_on >= ${range.fromDate}::date and d.declared_on <= ${range.toDate}::date and d.id > ${range.afterDeclarationId}
      order by d.id limit ${range.limit}`.execute(this.db);
    const parcelFacts = new Map(
      (
        await this.loadParcelFacts(
          rows.filter((row) => row.parcel_id !== null).map((row) => row.parcel_id!),
          { outcomes: true },
        )
      ).map((facts) => [facts.parcelId!, facts]),
    );
    const historical = rows.filter((row) => row.parcel_id === null).map((row) => row.id);
    const [lines, outcomes] = await Promise.all([this.linesOf(historical), this.outcomesOf(historical)]);
    const result: ParcelFacts[] = [];
    for (const row of rows) {
      if (row.parcel_id !== null) {
        const facts = parcelFacts.get(row.parcel_id);
        if (facts) result.push(facts);
        continue;
      }
      const declarationLines = lines.get(row.id) ?? [];
      const attributes = row.attributes ?? {};
      result.push({
        parcelId: null,
        declarationId: row.id,
        channel: 'kcs',
        trackingNumber: null,
        receivedAtMs: Date.parse(`${row.declared_on}T00:00:00Z`),
        arrivalDate: row.declared_on,
        declaredOn: row.declared_on,
        officeCode: row.office_code,
        carrierCode: code(row.courier_key),
        declarantCode: code(row.declarant_key),
        category: text(attributes.importUse),
        senderName: null,
        senderCountry: text(attributes.departureCountry),
        buyerPccc: code(row.importer_key),
        buyerName: null,
        buyerAddress: null,
        addresseeStreet: null,
        addresseeCity: null,
        sellerId: code(row.seller_key),
        sellerCountry: null,
        sellerRegistrationStatus: null,
        sellerPriorParcels: null,
        buyerParcelsSameDay: null,
        buyerValuesSameDay: null,
        deliverySameDay: null,
        sellersSharingContact: null,
        buyerNamesUnderPccc: null,
        declaredValue: declarationLines.reduce((sum, line) => sum + line.value, 0),
        currency: declarationLines[0]?.currency ?? null,
        grossMassKg: null,
        pieces: null,
        freightValue: null,
        insuranceValue: null,
        splitFromWaybill: null,
        lines: declarationLines,
        orderCount: 0,
        marketplace: null,
        orderPricePaid: null,
        orderCurrency: null,
        purchaseDate: null,
        orderSellerId: null,
        paymentCount: 0,
        paymentMethod: null,
        outcome: outcomes.get(row.id) ?? null,
      });
    }
    return result;
  }

  async unitValueNorms(range: { fromDate: string; toDate: string }): Promise<UnitValueNorm[]> {
    const { rows } = await sql<UnitValueNorm>`
      select substr(l.hs_code, 1, 6) as hs6, l.currency, percentile_cont(0.5) within group (order by l.value / l.quantity) as norm
      from intake_declaration_line l
      join intake_declaration d on d.id = l.declaration_id
      where l.hs_code is not null and l.quantity > 0 and d.declared_on >= ${range.fromDate}::date and d.declared_on <= ${range.toDate}::date
      group by 1, 2 having count(*) >= 5`.execute(this.db);
    return rows.map((row) => ({ ...row, norm: Number(row.norm) }));
  }

  async latestLines(limit: number): Promise<LineFacts[]> {
    if (limit <= 0) return [];
    const { rows } = await sql<LineRow>`
      select * from (
        select declaration_id, line_number, description, quantity::text, net_mass_kg::text, value::text, currency, hs_code, origin_country
        from intake_declaration_line order by declaration_id desc, line_number desc limit ${limit}) latest
      order by declaration_id, line_number`.execute(this.db);
    return rows.map(lineOf);
  }

  async sameDaySeries(parcelIds: readonly number[]): Promise<number[]> {
    if (parcelIds.length === 0) return [];
    const ids = [...parcelIds];
    // Prepared, and probed per parcel ("offset 0" keeps each a subquery of its own) so that its plan for
    // any number of parcels stays on the indexes: planned for each call, it took 2.0-4.4 ms to plan for
    // about 0.5 ms of execution, on the decision path of every batch holding a split series.
    const { rows } = await sql<{ id: number }>`${prepared}
      select other.id from intake_parcel p
      cross join lateral (select x.id from intake_parcel x
        where x.pccc = p.pccc and x.arrival_date = p.arrival_date and x.id <> p.id offset 0) other
      where p.id = any(${ids}::bigint[]) and p.pccc is not null and p.arrival_date is not null
      union
      select other.id from intake_parcel p
      cross join lateral (select lower(o.deliver_to->>'street') as street from intake_order o
        where o.tracking_number = p.tracking_number and o.deliver_to->>'street' is not null offset 0) mine
      cross join lateral (select o2.tracking_number from intake_order o2
        where lower(o2.deliver_to->>'street') = mine.street and o2.deliver_to->>'street' is not null offset 0) o2
      cross join lateral (select x.id from intake_parcel x
        where x.tracking_number = o2.tracking_number and x.arrival_date = p.arrival_date and x.id <> p.id offset 0) other
      where p.id = any(${ids}::bigint[])
      limit 1000`.execute(this.db);
    return rows.map((row) => Number(row.id));
  }

  private async linesOf(declarationIds: number[]): Promise<Map<number, LineFacts[]>> {
    const result = new Map<number, LineFacts[]>();
    if (declarationIds.length === 0) return result;
    const { rows } = await sql<LineRow>`
      select declaration_id, line_number, description, quantity::text, net_mass_kg::text, value::text, currency, hs_code, origin_country
      from intake_declaration_line where declaration_id = any(${declarationIds}::bigint[]) order by declaration_id, line_number`.execute(
      this.db,
    );
    for (const row of rows) {
      const line = lineOf(row);
      const list = result.get(row.declaration_id);
      if (list) list.push(line);
      else result.set(row.declaration_id, [line]);
    }
    return result;
  }

  private async outcomesOf(
    declarationIds: number[],
  ): Promise<Map<number, { fraud: boolean; criticalLevel: number }>> {
    if (declarationIds.length === 0) return new Map();
    const { rows } = await sql<{ declaration_id: number; fraud: boolean; critical_level: number }>`
      select declaration_id, fraud, critical_level from intake_inspection_outcome where declaration_id = any(${declarationIds}::bigint[])`.execute(
      this.db,
    );
    return new Map(
      rows.map((row) => [row.declaration_id, { fraud: row.fraud, criticalLevel: row.critical_level }]),
    );
  }
}

function lineOf(row: Omit<LineRow, 'declaration_id'>): LineFacts {
  const quantity = Number(row.quantity);
  const value = Number(row.value);
  return {
    lineNumber: row.line_number,
    hs6: row.hs_code && row.hs_code.length >= 6 ? row.hs_code.slice(0, 6) : null,
    hsCode: row.hs_code,
    hsChapter: row.hs_code ? row.hs_code.slice(0, 2) : null,
    originCountry: row.origin_country,
    description: row.description,
    quantity,
    value,
    currency: row.currency,
    netMassKg: num(row.net_mass_kg),
    unitValue: quantity > 0 ? value / quantity : value,
  };
}

function amountOf(row: { currency: string; value: string }): CurrencyAmount {
  return { currency: row.currency, value: Number(row.value) };
}

/** A waybill number as a grouping key: `180-12345675` and `18012345675` name one waybill. */
function waybillKey(value: string | null | undefined): string | null {
  return value ? value.trim().toUpperCase().replace(/-/g, '') : null;
}

/** A parcel's facts as intake recorded it: its declaration, lines, orders and payments. */
function declaredFactsOf(
  row: ParcelRow,
  outcomes: ReadonlyMap<number, { fraud: boolean; criticalLevel: number }> = new Map(),
): DeclaredParcelFacts {
  const parcelOrders = row.orders ?? [];
  const paymentMethods = row.payment_methods ?? [];
  const orderCurrency = parcelOrders[0]?.currency ?? null;
  const sameCurrency = parcelOrders.every((order) => order.currency === orderCurrency);
  return {
    parcelId: row.id,
    declarationId: row.declaration_id,
    channel: row.channel,
    trackingNumber: row.tracking_number,
    receivedAtMs: new Date(row.received_at).getTime(),
    arrivalDate: row.arrival_date,
    declaredOn: row.declared_on,
    officeCode: row.office_code,
    carrierCode: row.carrier_code.toUpperCase(),
    declarantCode: code(row.declarant_key ?? row.carrier_code),
    category: row.category,
    senderName: text(row.sender?.name),
    senderCountry: text(row.sender?.country),
    buyerPccc: code(row.pccc),
    buyerName: text(row.addressee?.name),
    buyerAddress: addressOf(row.addressee),
    addresseeStreet: text(row.addressee?.street),
    addresseeCity: text(row.addressee?.city),
    sellerId: code(row.seller_key),
    sellerCountry: row.seller_country,
    sellerRegistrationStatus: row.seller_status,
    declaredValue: num(row.declared_value),
    currency: row.currency,
    grossMassKg: num(row.gross_mass_kg),
    pieces: row.pieces,
    freightValue: num(row.freight_value),
    insuranceValue: num(row.insurance_value),
    splitFromWaybill: waybillKey(
      row.document_split_waybill?.trim()
        ? row.document_split_waybill
        : parcelOrders.find((order) => order.split_from_waybill)?.split_from_waybill,
    ),
    lines: row.declaration_id === null ? [] : (row.lines ?? []).map(lineOf),
    orderCount: parcelOrders.length,
    marketplace: parcelOrders[0]?.marketplace ?? null,
    orderPricePaid:
      parcelOrders.length > 0 && sameCurrency
        ? parcelOrders.reduce((sum, order) => sum + Number(order.price_paid), 0)
        : null,
    orderCurrency: sameCurrency ? orderCurrency : null,
    purchaseDate:
      parcelOrders.map((order) => new Date(order.ordered_at).toISOString().slice(0, 10)).sort()[0] ?? null,
    orderSellerId: code(parcelOrders.find((order) => order.seller_key)?.seller_key ?? null),
    paymentCount: paymentMethods.length,
    paymentMethod: paymentMethods[0] ?? null,
    outcome: row.declaration_id === null ? null : (outcomes.get(row.declaration_id) ?? null),
  };
}

/** Targeting's history features of a parcel (`HISTORY_COLUMNS`). */
function historyOf(row: HistoryRow): Pick<ReceivedParcelFacts, ParcelHistoryField> {
  return {
    sellerPriorParcels: num(row.seller_prior),
    buyerParcelsSameDay: num(row.buyer_same_day),
    buyerValuesSameDay: row.buyer_same_day_values?.map(amountOf) ?? null,
    deliverySameDay:
      row.delivery_parcels > 0
        ? {
            parcels: row.delivery_parcels,
            pcccs: row.delivery_pcccs,
            values: (row.delivery_values ?? []).map(amountOf),
          }
        : null,
    sellersSharingContact: num(row.sellers_sharing_contact),
    buyerNamesUnderPccc: num(row.buyer_names),
  };
}
