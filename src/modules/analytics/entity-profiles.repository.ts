import { sql, type Kysely, type RawBuilder } from 'kysely';
import type { Database } from '../../platform/db/database.js';
import { num } from './catalogue/models/model-kit.js';
import { paidParcels } from './catalogue/models/paid-parcels.js';
import type { OutcomeFacts } from './domain/entity-profile.js';

/** Days, inclusive; the whole history when absent. */
export interface ProfileWindow {
  from: string;
  to: string;
}

export const WHOLE_HISTORY: ProfileWindow = { from: '1900-01-01', to: '9999-12-31' };

/** One parcel on an entity's timeline. */
export interface TimelineParcel {
  parcelId: number;
  trackingNumber: string;
  arrivalDate: string | null;
  sellerKey: string | null;
  pccc: string | null;
  declaredKrw: number | null;
  inspected: boolean;
  violation: boolean;
  seized: boolean;
}

/** The paid consignments of the window, by tracking number: seller, code, declared and paid in won. */
export interface PaidRow {
  trackingNumber: string;
  sellerKey: string | null;
  pccc: string | null;
  declaredKrw: number;
  paidKrw: number;
}

type Keys = readonly string[] | null;

/**
 * What the per-seller and per-PCCC profiles read: the published analysis views of intake, clearance and
 * the portal only (docs/analytics-catalogue-views.md). Every query takes the keys it is asked about, or
 * null for every entity (the bench and the ranking tests score them all in one pass).
 */
export class EntityProfilesRepository {
  private readonly db: Kysely<unknown>;

  constructor(database: Database) {
    this.db = database.db as Kysely<unknown>;
  }

  private async rows<Row>(statement: RawBuilder<Row>): Promise<Row[]> {
    return (await statement.execute(this.db)).rows;
  }

  async sellerFacts(keys: Keys, window: ProfileWindow) {
    const parcels = this.outcomes('seller_key', keys, window);
    const [counts, split, names, network, registrations] = await Promise.all([
      this.rows<OutcomeRow & { seller_key: string; buyers: unknown }>(sql`
        with p as (${parcels})
        select key as seller_key, count(*) as parcels, count(distinct pccc) as buyers,
          cast(min(arrival_date) as text) as first_day, cast(max(arrival_date) as text) as last_day,
          count(*) filter (where inspected) as inspected, count(*) filter (where fraud) as violations,
          count(*) filter (where seized) as seized
        from p group by key`),
      this.rows<{ key: string; days: unknown }>(sql`
        with p as (${parcels})
        select key, count(*) as days from (
          select key, pccc, arrival_date from p where pccc is not null
          group by key, pccc, arrival_date having count(*) >= 2
        ) s group by key`),
      this.rows<{ key: string; codes: unknown }>(sql`
        with several as (
          select pccc from intake_analysis_buyer_parcel
          where pccc is not null and arrival_date between ${window.from}::date and ${window.to}::date
          group by pccc having count(distinct consignee_name_key) > 1
        )
        select b.seller_key as key, count(distinct b.pccc) as codes
        from intake_analysis_buyer_parcel b join several s on s.pccc = b.pccc
        where ${keyFilter('b.seller_key', keys)}
          and b.arrival_date between ${window.from}::date and ${window.to}::date
        group by b.seller_key`),
      this.rows<{ key: string; sellers: unknown }>(sql`
        with contacts as (
          select distinct seller_key, contact from intake_analysis_buyer_parcel
          cross join lateral (values (seller_phone_key), (seller_address_key)) as c(contact)
          where seller_key is not null and contact is not null and contact <> md5('')
            and arrival_date between ${window.from}::date and ${window.to}::date
        )
        select a.seller_key as key, count(distinct b.seller_key) as sellers
        from contacts a join contacts b on b.contact = a.contact and b.seller_key <> a.seller_key
        where ${keyFilter('a.seller_key', keys)}
        group by a.seller_key`),
      this.rows<{
        seller_key: string;
        name: string | null;
        country: string | null;
        registration_number: string | null;
        registration_status: string | null;
      }>(sql`
        select seller_key, name, country, registration_number, registration_status
        from intake_analysis_seller where ${keyFilter('seller_key', keys)}`),
    ]);
    return {
      counts: counts.map((row) => ({ ...outcomeOf(row), key: row.seller_key, buyers: num(row.buyers) })),
      splitDays: countsBy(split, 'days'),
      codesUnderSeveralNames: countsBy(names, 'codes'),
      sellersSharingContacts: countsBy(network, 'sellers'),
      registrations: new Map(registrations.map((row) => [row.seller_key, row])),
    };
  }

  async pcccFacts(keys: Keys, window: ProfileWindow) {
    const parcels = this.outcomes('pccc', keys, window);
    const [counts, split, shared, registry] = await Promise.all([
      this.rows<
        OutcomeRow & { pccc: string; sellers: unknown; names: unknown; phones: unknown; addresses: unknown }
      >(sql`
        with p as (${parcels})
        select key as pccc, count(*) as parcels, count(distinct seller_key) as sellers,
          count(distinct consignee_name_key) as names, count(distinct consignee_phone_key) as phones,
          count(distinct consignee_address_key) as addresses,
          cast(min(arrival_date) as text) as first_day, cast(max(arrival_date) as text) as last_day,
          count(*) filter (where inspected) as inspected, count(*) filter (where fraud) as violations,
          count(*) filter (where seized) as seized
        from p group by key`),
      this.rows<{ key: string; days: unknown }>(sql`
        with p as (${parcels})
        select key, count(*) as days from (
          select key, arrival_date from p group by key, arrival_date having count(*) >= 2
        ) s group by key`),
      this.rows<{ key: string; codes: unknown }>(sql`
        with at_address as (
          select consignee_address_key, count(distinct pccc) as codes from intake_analysis_buyer_parcel
          where pccc is not null and consignee_address_key <> md5('')
            and arrival_date between ${window.from}::date and ${window.to}::date
          group by consignee_address_key
        )
        select b.pccc as key, max(a.codes) as codes
        from intake_analysis_buyer_parcel b
        join at_address a on a.consignee_address_key = b.consignee_address_key
        where ${keyFilter('b.pccc', keys)} and b.arrival_date between ${window.from}::date and ${window.to}::date
        group by b.pccc`),
      this.rows<{
        pccc: string;
        status: string;
        suspended: boolean;
        open_misuse_reports: unknown;
        confirmed_misuse_reports: unknown;
      }>(sql`
        select pccc, status, suspended, open_misuse_reports, confirmed_misuse_reports
        from portal_analysis_pccc where ${keyFilter('pccc', keys)}`),
    ]);
    return {
      counts: counts.map((row) => ({
        ...outcomeOf(row),
        key: row.pccc,
        sellers: num(row.sellers),
        names: num(row.names),
        phones: num(row.phones),
        addresses: num(row.addresses),
      })),
      splitDays: countsBy(split, 'days'),
      codesAtOneAddress: countsBy(shared, 'codes'),
      registry: new Map(
        registry.map((row) => [
          row.pccc,
          {
            status: row.status,
            suspended: Boolean(row.suspended),
            openMisuseReports: num(row.open_misuse_reports),
            confirmedMisuseReports: num(row.confirmed_misuse_reports),
          },
        ]),
      ),
    };
  }

  /** The window's consignments with a paid order (V3's matching: a split order is summed first). */
  async paidRows(window: ProfileWindow): Promise<PaidRow[]> {
    return (await this.rows(paidParcels(window))).map((row) => ({
      trackingNumber: row.tracking_number,
      sellerKey: row.seller_key,
      pccc: row.pccc,
      declaredKrw: num(row.declared_krw),
      paidKrw: num(row.paid_krw),
    }));
  }

  /** One entity's parcels, newest first, with what clearance found. */
  async timeline(
    column: 'seller_key' | 'pccc',
    key: string,
    window: ProfileWindow,
    limit: number,
  ): Promise<TimelineParcel[]> {
    const rows = await this.rows<{
      parcel_id: unknown;
      tracking_number: string;
      arrival_date: string | null;
      seller_key: string | null;
      pccc: string | null;
      declared_krw: unknown;
      inspected: boolean;
      fraud: boolean;
      seized: boolean;
    }>(sql`
      with p as (${this.outcomes(column, [key], window)})
      select parcel_id, tracking_number, cast(arrival_date as text) as arrival_date, seller_key, pccc,
        declared_krw, inspected, fraud, seized
      from p order by arrival_date desc nulls last, parcel_id desc limit ${limit}`);
    return rows.map((row) => ({
      parcelId: num(row.parcel_id),
      trackingNumber: row.tracking_number,
      arrivalDate: row.arrival_date,
      sellerKey: row.seller_key,
      pccc: row.pccc,
      declaredKrw: row.declared_krw === null ? null : num(row.declared_krw),
      inspected: Boolean(row.inspected),
      violation: Boolean(row.fraud),
      seized: Boolean(row.seized),
    }));
  }

  /** The window's parcels of the keys (`key` is the seller or the code), with inspection and seizure. */
  private outcomes(column: 'seller_key' | 'pccc', keys: Keys, window: ProfileWindow): RawBuilder<unknown> {
    return sql`
      select b.${sql.ref(column)} as key, b.parcel_id, b.tracking_number, b.arrival_date, b.seller_key,
        b.pccc, b.consignee_name_key, b.consignee_phone_key, b.consignee_address_key,
        c.goods_price_krw as declared_krw, coalesce(c.seized, false) as seized,
        (i.parcel_id is not null) as inspected, coalesce(i.fraud, false) as fraud
      from intake_analysis_buyer_parcel b
      left join clearance_analysis_parcel c on c.parcel_id = b.parcel_id
      left join (
        select parcel_id, bool_or(fraud) as fraud from clearance_analysis_inspection group by parcel_id
      ) i on i.parcel_id = b.parcel_id
      where b.${sql.ref(column)} is not null and ${keyFilter(`b.${column}`, keys)}
        and b.arrival_date between ${window.from}::date and ${window.to}::date`;
  }
}

interface OutcomeRow {
  parcels: unknown;
  first_day: string | null;
  last_day: string | null;
  inspected: unknown;
  violations: unknown;
  seized: unknown;
}

function outcomeOf(
  row: OutcomeRow,
): OutcomeFacts & { parcels: number; firstDay: string | null; lastDay: string | null } {
  return {
    parcels: num(row.parcels),
    firstDay: row.first_day,
    lastDay: row.last_day,
    inspected: num(row.inspected),
    violations: num(row.violations),
    seized: num(row.seized),
  };
}

function keyFilter(column: string, keys: Keys): RawBuilder<unknown> {
  return keys === null ? sql`true` : sql`${sql.ref(column)} = any(${keys as string[]}::text[])`;
}

function countsBy<Field extends string>(
  rows: readonly ({ key: string } & Record<Field, unknown>)[],
  field: Field,
): Map<string, number> {
  return new Map(rows.map((row) => [row.key, num(row[field])]));
}
