import { sql, type Kysely, type RawBuilder } from 'kysely';

/** What a refresh copied: the arrival days, the fact rows written for them and how long it took. */
export interface ParcelFactRefresh {
  days: number;
  rows: number;
  ms: number;
}

/** Serialises refreshes (a model run's and another's): both would otherwise copy the same days. */
const REFRESH_LOCK = 170_240;

/**
 * The per-parcel fact rows of migration 0240, kept current per arrival day: intake's events mark the
 * days whose parcels, orders or payments changed (`markParcelsChanged`), and `refresh` copies those days
 * again from the published analysis views before a model run reads them, so a run never reads stale
 * facts. A day whose parcels clearance has not assessed yet (it takes parcels in on the same event) stays
 * marked until they are.
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
    await sql`
      insert into analytics_parcel_fact_day (arrival_date)
      select distinct arrival_date from (${days}) changed where arrival_date is not null
      on conflict (arrival_date) do update set version = analytics_parcel_fact_day.version + 1
    `.execute(this.db);
  }

  /**
   * Copies every marked day again, in one transaction. The first refresh (no day copied yet) builds the
   * whole table in one statement, consignment totals included; later ones replace the marked days' rows
   * and recompute the totals of the consignments those rows belong to, on any day.
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
      if (marked.length === 0) return { days: 0, rows: 0, ms: Date.now() - started };
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
      // A day with parcels not assessed yet keeps its mark; the others are current as of the version read.
      await sql`
        update analytics_parcel_fact_day d set refreshed_version = m.version
        from unnest(${days}::date[], ${marked.map((row) => row.version)}::bigint[]) as m(arrival_date, version)
        where d.arrival_date = m.arrival_date
          and not exists (select 1 from analytics_parcel_fact f where f.arrival_date = m.arrival_date and not f.assessed)`.execute(
        tx,
      );
      return { days: days.length, rows, ms: Date.now() - started };
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
}
