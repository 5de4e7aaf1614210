import { sql, type Kysely, type RawBuilder } from 'kysely';
import { prepared } from '../../platform/db/prepared-statements.js';

/**
 * What a refresh copied: the arrival days, the parcel and line fact rows written for them, how long it
 * took in all and how much of it went on the line rows.
 */
export interface ParcelFactRefresh {
  days: number;
  rows: number;
  lines: number;
  ms: number;
  linesMs: number;
}

/** Serialises refreshes (a model run's and another's): both would otherwise copy the same days. */
const REFRESH_LOCK = 170_240;

/**
 * The per-parcel fact rows of migration 0240 and the per-line fact rows of 0270, kept current per arrival
 * day: intake's events mark the days whose parcels, orders or payments changed (`markParcelsChanged`), and
 * `refresh` copies those days again from the published analysis views before a model run reads them, so a
 * run never reads stale facts. A day whose parcels clearance has not assessed yet (it takes parcels in on
 * the same event) stays marked until they are: its unassessed parcels have no line rows yet.
 */
export class ParcelFacts {
  // The analytics tables and the analysis views are in no Kysely table type: statements are raw SQL.
  constructor(private readonly db: Kysely<object>) {}

  /** Marks the arrival days of these parcels to be copied again. */
  async markParcelsChanged(parcelIds: readonly number[]): Promise<void> {
    if (parcelIds.length === 0) return;
    await this.markDays(
      sql`select arrival_date from intake_analysis_buyer_parcel where parcel_id = any(${[...parcelIds]}::bigint[])`,
    );
  }

  /** Marks the arrival days of the parcels shipped under these orders' tracking numbers. */
  async markOrdersChanged(orderIds: readonly number[]): Promise<void> {
    if (orderIds.length === 0) return;
    await this.markDays(sql`
      select b.arrival_date from intake_analysis_order_payment o
      join intake_analysis_buyer_parcel b on b.tracking_number = o.tracking_number
      where o.order_id = any(${[...orderIds]}::bigint[])`);
  }

  private async markDays(days: RawBuilder<unknown>): Promise<void> {
    await sql`${prepared}
      insert into analytics_parcel_fact_day (arrival_date)
      select distinct arrival_date from (${days}) changed where arrival_date is not null
      on conflict (arrival_date) do update set version = analytics_parcel_fact_day.version + 1
    `.execute(this.db);
  }

  /**
   * Copies every marked day again, parcel and line rows, in one transaction. The first refresh (no day
   * copied yet) builds each whole table in one statement, consignment totals included; later ones replace
   * the marked days' rows and recompute the totals of the consignments those rows belong to, on any day.
   */
  async refresh(): Promise<ParcelFactRefresh> {
    const started = Date.now();
    return this.db.transaction().execute(async (tx) => {
      await sql`select pg_advisory_xact_lock(${REFRESH_LOCK})`.execute(tx);
      const marked = (
        await sql<{ arrival_date: string; version: string; first: boolean }>`
          select cast(arrival_date as text) as arrival_date, version,
            not exists (select 1 from analytics_parcel_fact_day where refreshed_version is not null) as first
          from analytics_parcel_fact_day where refreshed_version is distinct from version`.execute(tx)
      ).rows;
      if (marked.length === 0) return { days: 0, rows: 0, lines: 0, ms: Date.now() - started, linesMs: 0 };
      const days = marked.map((row) => row.arrival_date);
      const inDays = sql`any(${days}::date[])`;
      let rows: number;
      if (marked[0]!.first) {
        await sql`truncate analytics_parcel_fact`.execute(tx);
        rows = await this.copyDays(tx, inDays, true);
      } else {
        // The consignments of the rows replaced and of the rows written: their totals change.
        await sql`
          create temporary table analytics_touched_consignment on commit drop as
          select distinct consignment_key from analytics_parcel_fact where arrival_date = ${inDays}`.execute(
          tx,
        );
        await sql`delete from analytics_parcel_fact where arrival_date = ${inDays}`.execute(tx);
        rows = await this.copyDays(tx, inDays, false);
        await sql`
          insert into analytics_touched_consignment
          select distinct consignment_key from analytics_parcel_fact where arrival_date = ${inDays}`.execute(
          tx,
        );
        await sql`
          update analytics_parcel_fact f set consignment_declared_krw = t.declared_krw,
            consignment_parcels = t.parcels, consignment_first = t.first_day, consignment_last = t.last_day
          from (
            select consignment_key, sum(declared_krw) filter (where parcel_row) as declared_krw,
              count(*) filter (where parcel_row) as parcels, min(arrival_date) as first_day,
              max(arrival_date) as last_day
            from analytics_parcel_fact
            where assessed and consignment_key in (select consignment_key from analytics_touched_consignment)
            group by consignment_key
          ) t
          where f.consignment_key = t.consignment_key and f.assessed`.execute(tx);
      }
      const linesStarted = Date.now();
      if (marked[0]!.first) await sql`truncate analytics_line_fact`.execute(tx);
      else await sql`delete from analytics_line_fact where arrival_date = ${inDays}`.execute(tx);
      const lines = await this.copyLines(tx, inDays);
      const linesMs = Date.now() - linesStarted;
      // A day with parcels not assessed yet keeps its mark; the others are current as of the version read.
      await sql`
        update analytics_parcel_fact_day d set refreshed_version = m.version
        from unnest(${days}::date[], ${marked.map((row) => row.version)}::bigint[]) as m(arrival_date, version)
        where d.arrival_date = m.arrival_date
          and not exists (select 1 from analytics_parcel_fact f where f.arrival_date = m.arrival_date and not f.assessed)`.execute(
        tx,
      );
      return { days: days.length, rows, lines, ms: Date.now() - started, linesMs };
    });
  }

  /**
   * Writes the fact rows of the days given, read from the published views. The consignment totals are
   * those of the parcels clearance assessed (the models' consignment was the assessed parcels of one
   * seller and invoice); `withTotals` computes them here, over the days written, which is right only
   * when those are all the days.
   */
  private async copyDays(
    tx: Kysely<object>,
    inDays: RawBuilder<unknown>,
    withTotals: boolean,
  ): Promise<number> {
    const totals = withTotals
      ? sql`sum(declared_krw) filter (where assessed) over consignment as consignment_declared_krw,
          count(*) filter (where assessed) over consignment as consignment_parcels,
          min(arrival_date) filter (where assessed) over consignment as consignment_first,
          max(arrival_date) filter (where assessed) over consignment as consignment_last`
      : sql`cast(null as numeric) as consignment_declared_krw, cast(null as integer) as consignment_parcels,
          cast(null as date) as consignment_first, cast(null as date) as consignment_last`;
    const result = await sql`
      insert into analytics_parcel_fact (parcel_id, arrival_date, tracking_number, pccc, seller_key,
        consignee_name_key, consignment_key, parcel_row, assessed, declared_krw, declared_value, order_number,
        paid_krw, code_day_parcels, consignment_declared_krw, consignment_parcels, consignment_first,
        consignment_last)
      with parcels as (
        select b.parcel_id, b.arrival_date, b.tracking_number, b.pccc, b.seller_key, b.consignee_name_key,
          coalesce(b.seller_key, '') || chr(31) || coalesce(b.invoice_number, b.tracking_number) as consignment_key,
          c.parcel_id is not null as assessed, c.goods_price_krw as declared_krw, b.declared_value
        from intake_analysis_buyer_parcel b
        left join clearance_analysis_parcel c on c.parcel_id = b.parcel_id
        where b.arrival_date = ${inDays}
      ),
      totalled as (
        select parcels.*, ${totals},
          case when pccc is not null then count(*) over code_day end as code_day_parcels
        from parcels
        window consignment as (partition by consignment_key collate "C"),
          code_day as (partition by pccc collate "C", arrival_date)
      )
      select t.parcel_id, t.arrival_date, t.tracking_number, t.pccc, t.seller_key, t.consignee_name_key,
        t.consignment_key, o.order_id is null or o.order_id = min(o.order_id) over (partition by t.parcel_id),
        t.assessed, t.declared_krw, t.declared_value, o.order_number, o.paid_krw, t.code_day_parcels,
        case when t.assessed then t.consignment_declared_krw end,
        case when t.assessed then t.consignment_parcels end,
        case when t.assessed then t.consignment_first end,
        case when t.assessed then t.consignment_last end
      from totalled t
      left join intake_analysis_order_payment o on o.tracking_number = t.tracking_number and o.paid_krw > 0
    `.execute(tx);
    return Number(result.numAffectedRows ?? 0);
  }

  /**
   * Writes the line rows of the days given: the lines with an HS6 of the parcels clearance assessed, with
   * the log of their value in won (the assessed goods price shared out by the line's part of the declared
   * value) per item and per kg. The logs are computed in double precision from the start, in the order
   * V1 computed them from the views, so that it flags the same lines with the same figures.
   */
  private async copyLines(tx: Kysely<object>, inDays: RawBuilder<unknown>): Promise<number> {
    const double = (column: string) => sql`cast(${sql.ref(column)} as double precision)`;
    const logPer = (units: string) => sql`
      case when b.declared_value > 0 and c.goods_price_krw > 0 and l.value > 0 and ${double(units)} > 0
        then ln(${double('c.goods_price_krw')} * ${double('l.value')} / (${double('b.declared_value')} * ${double(units)}))
      end`;
    const result = await sql`
      insert into analytics_line_fact (parcel_id, line_number, arrival_date, tracking_number, seller_key, hs6,
        origin_country, description, unit_krw_log, kg_krw_log)
      select l.parcel_id, l.line_number, b.arrival_date, b.tracking_number, b.seller_key, l.hs6,
        l.origin_country, l.description, ${logPer('l.quantity')}, ${logPer('l.net_mass_kg')}
      from intake_analysis_parcel_line l
      join intake_analysis_buyer_parcel b on b.parcel_id = l.parcel_id
      join clearance_analysis_parcel c on c.parcel_id = l.parcel_id
      where b.arrival_date = ${inDays} and l.hs6 is not null
    `.execute(tx);
    return Number(result.numAffectedRows ?? 0);
  }
}
