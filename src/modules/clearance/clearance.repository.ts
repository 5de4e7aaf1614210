import { sql, type Kysely, type Selectable } from 'kysely';
import { prepared } from '../../platform/db/prepared-statements.js';
import { historyLine } from './domain/clearance-messages.js';
import type { Database } from '../../platform/db/database.js';
import { unnestRows } from '../../platform/db/bulk-insert.js';
import {
  carrierRecords,
  type CarrierRecords,
  type CarrierRecordsQuery,
} from './clearance.carrier-records.repository.js';
import type { ClearanceTables } from './clearance.tables.js';
import type { WeeklyExchangeRate } from './domain/exchange-rate-table.js';
import type { GroupingParcel } from './domain/parcel-grouping.js';
import type { ParcelState, ParcelTransition } from './domain/parcel-lifecycle.js';

export type ClearanceDb = Kysely<ClearanceTables>;

/** A parcel's clearance record with dates as `YYYY-MM-DD` text. */
export type ClearanceParcelRow = Omit<
  Selectable<ClearanceTables['clearance_parcel']>,
  'purchase_date' | 'arrival_date'
> & {
  purchase_date: string | null;
  arrival_date: string | null;
};

export interface NewClearanceParcel {
  parcelId: number;
  channel: 'postal' | 'express';
  carrierCode: string;
  trackingNumber: string;
  pccc: string | null;
  sellerKey: string | null;
  purchaseDate: string | null;
  arrivalDate: string | null;
  splitFromWaybill: string | null;
  addresseeAddressKey: string | null;
  importerKey: string | null;
  addresseeNameKey: string | null;
}

/** The keys that tie a parcel to others: they change when a late order or a delivery report arrives. */
export type GroupingKeys = Pick<
  NewClearanceParcel,
  'sellerKey' | 'purchaseDate' | 'splitFromWaybill' | 'importerKey'
>;

/** A parcel as grouping sees it, with what the parcel view shows of each member. */
export interface GroupingMember extends GroupingParcel {
  trackingNumber: string;
  state: ParcelState;
  /** False while the parcel has no assessment (its goods price then counts as 0, its limit as none). */
  assessed: boolean;
}

export type OfficerCaseRow = Selectable<ClearanceTables['clearance_case']>;

export interface StoredAssessment {
  goodsPriceKrw: bigint | null;
  limitKrw: bigint | null;
  listClearance: boolean | null;
  taxable: boolean | null;
  totalTaxKrw: bigint | null;
  assessment: unknown;
  assessmentError: string | null;
}

export interface NewNotification {
  carrierCode: string;
  parcelId: number;
  trackingNumber: string;
  kind: 'hold' | 'request_for_information' | 'request_for_amendment' | 'release' | 'seizure' | 'return';
  payload: Record<string, unknown>;
}

export type NotificationRow = Selectable<ClearanceTables['clearance_notification']>;

const dateText = (column: string) => sql<string | null>`to_char(${sql.ref(column)}, 'YYYY-MM-DD')`;

const parcelColumns = [
  'parcel_id',
  'channel',
  'carrier_code',
  'tracking_number',
  'state',
  'pccc',
  'seller_key',
  'importer_key',
  'addressee_name_key',
  'split_from_waybill',
  'addressee_address_key',
  'delivery_address_key',
  'goods_price_krw',
  'limit_krw',
  'list_clearance',
  'taxable',
  'total_tax_krw',
  'assessment',
  'assessment_error',
  'assessed_at',
  'created_at',
  'updated_at',
] as const;

/** The only code that reads or writes the clearance tables. */
export class ClearanceRepository {
  private readonly db: ClearanceDb;

  constructor(database: Database) {
    this.db = database.db.withTables<ClearanceTables>() as unknown as ClearanceDb;
  }

  transaction<T>(work: (tx: ClearanceDb) => Promise<T>): Promise<T> {
    return this.db.transaction().execute(work);
  }

  /** A carrier's records in a period, as partners' compliance evaluation reads them. */
  carrierRecords(query: CarrierRecordsQuery): Promise<CarrierRecords> {
    return carrierRecords(this.db, query);
  }

  // --- exchange rates -------------------------------------------------------------------------------

  async upsertRates(rates: readonly WeeklyExchangeRate[], source: string, loadedBy: string): Promise<void> {
    if (rates.length === 0) return;
    await this.db
      .insertInto('clearance_exchange_rate')
      .values(
        rates.map((rate) => ({
          currency: rate.currency,
          week_starting: rate.weekStarting,
          krw_per_unit: rate.krwPerUnit,
          unit: rate.unit,
          source,
          loaded_by: loadedBy,
        })),
      )
      .onConflict((conflict) =>
        conflict.columns(['currency', 'week_starting']).doUpdateSet((eb) => ({
          krw_per_unit: eb.ref('excluded.krw_per_unit'),
          unit: eb.ref('excluded.unit'),
          source: eb.ref('excluded.source'),
          loaded_by: eb.ref('excluded.loaded_by'),
          loaded_at: sql`now()`,
        })),
      )
      .execute();
  }

  /** Every rate whose week can cover a date between `from` and `to` (weeks start up to 6 days before). */
  async ratesCovering(from: string, to: string): Promise<WeeklyExchangeRate[]> {
    const rows = await this.db
      .selectFrom('clearance_exchange_rate')
      .select([
        'currency',
        dateText('week_starting').as('week_starting'),
        sql<string>`krw_per_unit::text`.as('krw_per_unit'),
        'unit',
      ])
      .where('week_starting', '>', sql<string>`${from}::date - 7`)
      .where('week_starting', '<=', sql<string>`${to}::date`)
      .execute();
    return rows.map((row) => ({
      currency: row.currency,
      weekStarting: row.week_starting!,
      krwPerUnit: row.krw_per_unit,
      unit: row.unit,
    }));
  }

  async listRates(
    from: string | undefined,
    to: string | undefined,
  ): Promise<(WeeklyExchangeRate & { source: string; loadedAt: Date })[]> {
    let query = this.db
      .selectFrom('clearance_exchange_rate')
      .select([
        'currency',
        dateText('week_starting').as('week_starting'),
        sql<string>`krw_per_unit::text`.as('krw_per_unit'),
        'unit',
        'source',
        'loaded_at',
      ])
      .orderBy('week_starting', 'desc')
      .orderBy('currency')
      .limit(1000);
    if (from) query = query.where('week_starting', '>=', sql<string>`${from}::date`);
    if (to) query = query.where('week_starting', '<=', sql<string>`${to}::date`);
    const rows = await query.execute();
    return rows.map((row) => ({
      currency: row.currency,
      weekStarting: row.week_starting!,
      krwPerUnit: row.krw_per_unit.replace(/\.?0+$/, ''),
      unit: row.unit,
      source: row.source,
      loadedAt: new Date(row.loaded_at),
    }));
  }

  // --- parcels and their lifecycle ------------------------------------------------------------------

  private selectParcels(db: ClearanceDb = this.db) {
    return db
      .selectFrom('clearance_parcel')
      .select([
        ...parcelColumns,
        dateText('purchase_date').as('purchase_date'),
        dateText('arrival_date').as('arrival_date'),
      ]);
  }

  findParcel(parcelId: number, db: ClearanceDb = this.db): Promise<ClearanceParcelRow | undefined> {
    return this.selectParcels(db).where('parcel_id', '=', parcelId).executeTakeFirst() as Promise<
      ClearanceParcelRow | undefined
    >;
  }

  async findParcelIdsByTracking(
    carrierCode: string,
    trackingNumbers: readonly string[],
    db: ClearanceDb = this.db,
  ): Promise<Map<string, number>> {
    if (trackingNumbers.length === 0) return new Map();
    const rows = await db
      .selectFrom('clearance_parcel')
      .select(['tracking_number', 'parcel_id'])
      .where('carrier_code', '=', carrierCode)
      .where('tracking_number', 'in', [...trackingNumbers])
      .execute();
    return new Map(rows.map((row) => [row.tracking_number, row.parcel_id]));
  }

  /**
   * Creates the records in state `received` with their first history entry, or, given a first
   * assessment, directly `assessed` with both history entries: one statement for the whole batch (atomic
   * without a transaction). Returns the parcels it created; those taken in before are left as they are.
   */
  async createParcels(
    entries: readonly { parcel: NewClearanceParcel; first?: { stored: StoredAssessment; reason: string } }[],
    actor: string,
  ): Promise<Set<number>> {
    if (entries.length === 0) return new Set();
    const rows = entries.map(({ parcel, first }) => {
      const assessed = first !== undefined && first.stored.assessmentError === null;
      const won = (amount: bigint | null | undefined) => (amount == null ? null : String(amount));
      return {
        parcel_id: parcel.parcelId,
        channel: parcel.channel,
        carrier_code: parcel.carrierCode,
        tracking_number: parcel.trackingNumber,
        state: assessed ? 'assessed' : 'received',
        pccc: parcel.pccc,
        seller_key: parcel.sellerKey,
        importer_key: parcel.importerKey,
        addressee_name_key: parcel.addresseeNameKey,
        purchase_date: parcel.purchaseDate,
        arrival_date: parcel.arrivalDate,
        split_from_waybill: parcel.splitFromWaybill,
        addressee_address_key: parcel.addresseeAddressKey,
        goods_price_krw: won(first?.stored.goodsPriceKrw),
        limit_krw: won(first?.stored.limitKrw),
        list_clearance: first?.stored.listClearance ?? null,
        taxable: first?.stored.taxable ?? null,
        total_tax_krw: won(first?.stored.totalTaxKrw),
        assessment: first?.stored.assessment ?? null,
        assessment_error: first?.stored.assessmentError ?? null,
        assessed,
      };
    });
    const history = entries.flatMap(({ parcel, first }) => [
      {
        parcel_id: parcel.parcelId,
        from_state: null,
        to_state: 'received',
        reason: historyLine('history.received'),
      },
      ...(first !== undefined && first.stored.assessmentError === null
        ? [{ parcel_id: parcel.parcelId, from_state: 'received', to_state: 'assessed', reason: first.reason }]
        : []),
    ]);
    const { rows: created } = await sql<{ parcel_id: number }>`${prepared}
      with inserted as (
        insert into clearance_parcel (
          parcel_id, channel, carrier_code, tracking_number, state, pccc, seller_key, importer_key, addressee_name_key, purchase_date,
          arrival_date, split_from_waybill, addressee_address_key, goods_price_krw, limit_krw, list_clearance, taxable, total_tax_krw, assessment,
          assessment_error, assessed_at)
        select parcel_id, channel, carrier_code, tracking_number, state, pccc, seller_key, importer_key, addressee_name_key, purchase_date,
          arrival_date, split_from_waybill, addressee_address_key, goods_price_krw, limit_krw, list_clearance, taxable, total_tax_krw, assessment,
          assessment_error, case when assessed then now() end
        from ${unnestRows(
          'input',
          {
            parcel_id: 'bigint',
            channel: 'text',
            carrier_code: 'text',
            tracking_number: 'text',
            state: 'text',
            pccc: 'text',
            seller_key: 'text',
            importer_key: 'text',
            addressee_name_key: 'text',
            purchase_date: 'date',
            arrival_date: 'date',
            split_from_waybill: 'text',
            addressee_address_key: 'text',
            goods_price_krw: 'bigint',
            limit_krw: 'bigint',
            list_clearance: 'boolean',
            taxable: 'boolean',
            total_tax_krw: 'bigint',
            assessment: 'jsonb',
            assessment_error: 'text',
            assessed: 'boolean',
          },
          rows,
        )}
        order by parcel_id
        on conflict (parcel_id) do nothing
        returning parcel_id),
      transitions as (
        insert into clearance_transition (parcel_id, from_state, to_state, actor, reason)
        select h.parcel_id, h.from_state, h.to_state, ${actor}, h.reason
        from ${unnestRows('h', { parcel_id: 'bigint', from_state: 'text', to_state: 'text', reason: 'text' }, history)}
        join inserted using (parcel_id)
        order by h.parcel_id, h.to_state <> 'received')
      select parcel_id from inserted`.execute(this.db);
    return new Set(created.map((row) => Number(row.parcel_id)));
  }

  /**
   * Of the given parcels, those that share a legal grouping key (split waybill and importer, or seller,
   * purchase date and importer) with another stored parcel: one question for a batch, so that the many
   * parcels with no partner are assessed alone without a group search each.
   */
  async parcelsWithPartners(parcelIds: readonly number[]): Promise<Set<number>> {
    if (parcelIds.length === 0) return new Set();
    const { rows } = await sql<{ parcel_id: number }>`
      select p.parcel_id from clearance_parcel p
      where p.parcel_id = any(${parcelIds}::bigint[]) and p.importer_key is not null and (
        (p.split_from_waybill is not null and exists (
          select from clearance_parcel o where o.split_from_waybill = p.split_from_waybill
            and o.importer_key = p.importer_key and o.parcel_id <> p.parcel_id))
        or (p.seller_key is not null and p.purchase_date is not null and exists (
          select from clearance_parcel o where o.seller_key = p.seller_key and o.purchase_date = p.purchase_date
            and o.importer_key = p.importer_key and o.parcel_id <> p.parcel_id)))`.execute(this.db);
    return new Set(rows.map((row) => Number(row.parcel_id)));
  }

  /**
   * Stores the first assessments of parcels still `received` and moves them to `assessed` with their
   * history entry, in one statement; a parcel another worker has assessed meanwhile (as part of its
   * group) is left as it is. Returns the parcels it assessed.
   */
  async saveFirstAssessments(
    entries: readonly { parcelId: number; stored: StoredAssessment; reason: string }[],
    actor: string,
  ): Promise<Set<number>> {
    if (entries.length === 0) return new Set();
    const won = (amount: bigint | null) => (amount === null ? null : String(amount));
    const rows = entries.map(({ parcelId, stored, reason }) => ({
      parcel_id: parcelId,
      goods_price_krw: won(stored.goodsPriceKrw),
      limit_krw: won(stored.limitKrw),
      list_clearance: stored.listClearance,
      taxable: stored.taxable,
      total_tax_krw: won(stored.totalTaxKrw),
      assessment: stored.assessment,
      reason,
    }));
    const { rows: assessed } = await sql<{ parcel_id: number }>`${prepared}
      with input as (
        select * from ${unnestRows(
          'input',
          {
            parcel_id: 'bigint',
            goods_price_krw: 'bigint',
            limit_krw: 'bigint',
            list_clearance: 'boolean',
            taxable: 'boolean',
            total_tax_krw: 'bigint',
            assessment: 'jsonb',
            reason: 'text',
          },
          rows,
        )}),
      updated as (
        update clearance_parcel p set state = 'assessed', goods_price_krw = input.goods_price_krw,
          limit_krw = input.limit_krw, list_clearance = input.list_clearance, taxable = input.taxable,
          total_tax_krw = input.total_tax_krw, assessment = input.assessment, assessment_error = null,
          assessed_at = now(), updated_at = now()
        from input where p.parcel_id = input.parcel_id and p.state = 'received'
        returning p.parcel_id),
      transitions as (
        insert into clearance_transition (parcel_id, from_state, to_state, actor, reason)
        select input.parcel_id, 'received', 'assessed', ${actor}, input.reason
        from input join updated using (parcel_id) order by input.parcel_id)
      select parcel_id from updated`.execute(this.db);
    return new Set(assessed.map((row) => Number(row.parcel_id)));
  }

  async saveAssessment(parcelId: number, stored: StoredAssessment, db: ClearanceDb = this.db): Promise<void> {
    await db
      .updateTable('clearance_parcel')
      .set({
        goods_price_krw: stored.goodsPriceKrw,
        limit_krw: stored.limitKrw,
        list_clearance: stored.listClearance,
        taxable: stored.taxable,
        total_tax_krw: stored.totalTaxKrw,
        assessment: stored.assessment === null ? null : JSON.stringify(stored.assessment),
        assessment_error: stored.assessmentError,
        assessed_at: stored.assessmentError === null ? sql`now()` : null,
        updated_at: sql`now()`,
      })
      .where('parcel_id', '=', parcelId)
      .execute();
  }

  /**
   * Moves a parcel from `from` to `to` only if it is still in `from` (optimistic check: two officers
   * acting at once cannot both win) and records who, when and why. False when the state had changed.
   */
  async transition(
    db: ClearanceDb,
    parcelId: number,
    from: ParcelState,
    to: ParcelState,
    actor: string,
    reason: string,
  ): Promise<boolean> {
    const updated = await db
      .updateTable('clearance_parcel')
      .set({ state: to, updated_at: sql`now()` })
      .where('parcel_id', '=', parcelId)
      .where('state', '=', from)
      .returning('parcel_id')
      .executeTakeFirst();
    if (!updated) return false;
    await db
      .insertInto('clearance_transition')
      .values({ parcel_id: parcelId, from_state: from, to_state: to, actor, reason })
      .execute();
    return true;
  }

  async history(parcelId: number): Promise<ParcelTransition[]> {
    const rows = await this.db
      .selectFrom('clearance_transition')
      .selectAll()
      .where('parcel_id', '=', parcelId)
      .orderBy('id')
      .execute();
    return rows.map((row) => ({
      from: row.from_state as ParcelState | null,
      to: row.to_state as ParcelState,
      actor: row.actor,
      at: new Date(row.at).toISOString(),
      reason: row.reason,
    }));
  }

  /** Sets the keys that tie a parcel to others (a late or corrected order, a delivery report changed them). */
  async updateGroupingKeys(parcelId: number, keys: GroupingKeys): Promise<void> {
    await this.db
      .updateTable('clearance_parcel')
      .set({
        seller_key: keys.sellerKey,
        purchase_date: keys.purchaseDate,
        split_from_waybill: keys.splitFromWaybill,
        importer_key: keys.importerKey,
        updated_at: sql`now()`,
      })
      .where('parcel_id', '=', parcelId)
      .execute();
  }

  /**
   * Parcels that share a grouping key with one of `parcels`: a legal key (same split waybill and importer,
   * same seller, purchase date and importer) and, when `withSignals`, a splitting signal (same PCCC and
   * arrival day, same delivery address). At most 500, lowest ids first.
   */
  async groupingNeighbours(
    parcels: readonly ClearanceParcelRow[],
    withSignals: boolean,
  ): Promise<GroupingMember[]> {
    const conditions = parcels.flatMap((parcel) => {
      const keys = [];
      if (parcel.split_from_waybill && parcel.importer_key)
        keys.push(
          sql<boolean>`(split_from_waybill = ${parcel.split_from_waybill} and importer_key = ${parcel.importer_key})`,
        );
      if (parcel.seller_key && parcel.purchase_date && parcel.importer_key)
        keys.push(
          sql<boolean>`(seller_key = ${parcel.seller_key} and purchase_date = ${parcel.purchase_date}::date and importer_key = ${parcel.importer_key})`,
        );
      if (withSignals && parcel.pccc && parcel.arrival_date)
        keys.push(sql<boolean>`(pccc = ${parcel.pccc} and arrival_date = ${parcel.arrival_date}::date)`);
      if (withSignals && parcel.delivery_address_key)
        keys.push(sql<boolean>`delivery_address_key = ${parcel.delivery_address_key}`);
      return keys;
    });
    if (conditions.length === 0) return [];
    const rows = await this.selectGroupingRows()
      .where(sql<boolean>`(${sql.join(conditions, sql` or `)})`)
      .orderBy('parcel_id')
      .limit(500)
      .execute();
    return rows.map(groupingMemberOf);
  }

  /** Grouping tuples of the parcels that arrived between two dates (inclusive), assessed ones only. */
  async groupingParcels(from: string, to: string): Promise<GroupingMember[]> {
    const rows = await this.selectGroupingRows()
      .where('arrival_date', '>=', sql<string>`${from}::date`)
      .where('arrival_date', '<=', sql<string>`${to}::date`)
      .where('goods_price_krw', 'is not', null)
      .orderBy('parcel_id')
      .execute();
    return rows.map(groupingMemberOf);
  }

  /** Only what grouping reads: the analysis of a period may read a million rows. */
  private selectGroupingRows() {
    return this.db
      .selectFrom('clearance_parcel')
      .select([
        'parcel_id',
        'tracking_number',
        'state',
        'split_from_waybill',
        'seller_key',
        'importer_key',
        dateText('purchase_date').as('purchase_date'),
        'pccc',
        dateText('arrival_date').as('arrival_date'),
        'delivery_address_key',
        'goods_price_krw',
        'limit_krw',
      ]);
  }

  async parcelsDeliveredTo(
    addressKey: string,
    db: ClearanceDb = this.db,
  ): Promise<
    { parcelId: number; pccc: string | null; goodsPriceKrw: bigint | null; limitKrw: bigint | null }[]
  > {
    const rows = await db
      .selectFrom('clearance_parcel')
      .select(['parcel_id', 'pccc', 'goods_price_krw', 'limit_krw'])
      .where('delivery_address_key', '=', addressKey)
      .orderBy('parcel_id')
      .execute();
    return rows.map((row) => ({
      parcelId: row.parcel_id,
      pccc: row.pccc,
      goodsPriceKrw: row.goods_price_krw === null ? null : BigInt(row.goods_price_krw),
      limitKrw: row.limit_krw === null ? null : BigInt(row.limit_krw),
    }));
  }

  // --- inspections and seizures ---------------------------------------------------------------------

  async insertInspection(
    db: ClearanceDb,
    row: Omit<
      ClearanceTables['clearance_inspection'],
      'id' | 'recorded_at' | 'label_delivered_at' | 'label_error'
    >,
  ): Promise<number> {
    const inserted = await db
      .insertInto('clearance_inspection')
      .values({
        ...row,
        corrected_assessment:
          row.corrected_assessment === null ? null : JSON.stringify(row.corrected_assessment),
      })
      .returning('id')
      .executeTakeFirstOrThrow();
    return inserted.id;
  }

  /** Inspections, frauds found and seizures per day of a period (the dashboard). */
  inspectionStatistics(range: Parameters<typeof inspectionStatistics>[1]) {
    return inspectionStatistics(this.db, range);
  }

  /** Marks an inspection's label delivered (no error) or still pending with the reason. */
  async markLabel(inspectionId: number, error: string | null, tx: ClearanceDb = this.db): Promise<void> {
    await tx
      .updateTable('clearance_inspection')
      .set(error === null ? { label_delivered_at: sql`now()`, label_error: null } : { label_error: error })
      .where('id', '=', inspectionId)
      .execute();
  }

  /** Inspections whose label the risk model has not received yet (no label store, or it failed). */
  pendingLabels(limit: number) {
    return this.db
      .selectFrom('clearance_inspection')
      .select(['id', 'parcel_id', 'outcome', 'label_fraud', 'label_critical_level'])
      .where('label_delivered_at', 'is', null)
      .orderBy('id')
      .limit(limit)
      .execute();
  }

  inspections(parcelId: number) {
    return this.db
      .selectFrom('clearance_inspection')
      .selectAll()
      .where('parcel_id', '=', parcelId)
      .orderBy('id')
      .execute();
  }

  async insertSeizure(
    db: ClearanceDb,
    row: Omit<ClearanceTables['clearance_seizure'], 'id' | 'recorded_at'>,
  ): Promise<number> {
    const inserted = await db
      .insertInto('clearance_seizure')
      .values({
        ...row,
        route: JSON.stringify(row.route),
        parties: JSON.stringify(row.parties),
        images: JSON.stringify(row.images),
      })
      .returning('id')
      .executeTakeFirstOrThrow();
    return inserted.id;
  }

  seizures(parcelId: number) {
    return this.db
      .selectFrom('clearance_seizure')
      .selectAll()
      .where('parcel_id', '=', parcelId)
      .orderBy('id')
      .execute();
  }

  // --- delivery address reports ---------------------------------------------------------------------

  /** Stores (or corrects) the delivery report of a parcel and sets its delivery address key, in `tx`. */
  async saveDeliveryReport(
    tx: ClearanceDb,
    report: {
      carrierCode: string;
      trackingNumber: string;
      parcelId: number | null;
      deliveredTo: string;
      addressKey: string;
      deliveredAt: string | null;
      reportedBy: string;
    },
  ): Promise<void> {
    {
      await tx
        .insertInto('clearance_delivery_report')
        .values({
          carrier_code: report.carrierCode,
          tracking_number: report.trackingNumber,
          parcel_id: report.parcelId,
          delivered_to: report.deliveredTo,
          address_key: report.addressKey,
          delivered_at: report.deliveredAt,
          reported_by: report.reportedBy,
        })
        .onConflict((conflict) =>
          conflict.columns(['carrier_code', 'tracking_number']).doUpdateSet((eb) => ({
            parcel_id: eb.ref('excluded.parcel_id'),
            delivered_to: eb.ref('excluded.delivered_to'),
            address_key: eb.ref('excluded.address_key'),
            delivered_at: eb.ref('excluded.delivered_at'),
            reported_by: eb.ref('excluded.reported_by'),
            reported_at: sql`now()`,
          })),
        )
        .execute();
      if (report.parcelId !== null) {
        await tx
          .updateTable('clearance_parcel')
          .set({ delivery_address_key: report.addressKey, updated_at: sql`now()` })
          .where('parcel_id', '=', report.parcelId)
          .execute();
      }
    }
  }

  // --- officer cases ---------------------------------------------------------------------------------

  /** Opens a case unless the parcel already has an open one of this kind; true when it opened one. */
  async openCase(
    db: ClearanceDb,
    parcelId: number,
    kind: OfficerCaseRow['kind'],
    details: Record<string, unknown>,
  ): Promise<boolean> {
    const { rows } = await sql<{ id: number }>`
      insert into clearance_case (parcel_id, kind, details) values (${parcelId}, ${kind}, ${JSON.stringify(details)}::jsonb)
      on conflict (parcel_id, kind) where status = 'open' do nothing
      returning id`.execute(db);
    return rows.length > 0;
  }

  /** Closes the open case of this kind of each parcel; the parcels whose case it closed. */
  async closeCases(
    db: ClearanceDb,
    parcelIds: readonly number[],
    kind: OfficerCaseRow['kind'],
    closedBy: string,
    resolution: string,
  ): Promise<number[]> {
    if (parcelIds.length === 0) return [];
    const rows = await db
      .updateTable('clearance_case')
      .set({ status: 'closed', closed_at: sql`now()`, closed_by: closedBy, resolution })
      .where('parcel_id', 'in', [...parcelIds])
      .where('kind', '=', kind)
      .where('status', '=', 'open')
      .returning('parcel_id')
      .execute();
    return rows.map((row) => row.parcel_id);
  }

  async closeCase(id: number, closedBy: string, resolution: string): Promise<OfficerCaseRow | undefined> {
    return this.db
      .updateTable('clearance_case')
      .set({ status: 'closed', closed_at: sql`now()`, closed_by: closedBy, resolution })
      .where('id', '=', id)
      .where('status', '=', 'open')
      .returningAll()
      .executeTakeFirst();
  }

  listCases(filter: {
    status?: 'open' | 'closed';
    kind?: OfficerCaseRow['kind'];
    parcelId?: number;
    limit: number;
  }): Promise<OfficerCaseRow[]> {
    let query = this.db.selectFrom('clearance_case').selectAll().orderBy('id').limit(filter.limit);
    if (filter.status) query = query.where('status', '=', filter.status);
    if (filter.kind) query = query.where('kind', '=', filter.kind);
    if (filter.parcelId !== undefined) query = query.where('parcel_id', '=', filter.parcelId);
    return query.execute();
  }

  // --- notifications (outbox) and webhooks ----------------------------------------------------------

  async insertNotification(db: ClearanceDb, notification: NewNotification): Promise<number> {
    const row = await db
      .insertInto('clearance_notification')
      .values({
        carrier_code: notification.carrierCode,
        parcel_id: notification.parcelId,
        tracking_number: notification.trackingNumber,
        kind: notification.kind,
        payload: JSON.stringify(notification.payload),
      })
      .returning('id')
      .executeTakeFirstOrThrow();
    return row.id;
  }

  listNotifications(
    carrierCode: string | null,
    afterId: number,
    limit: number,
    unacknowledgedOnly: boolean,
  ): Promise<NotificationRow[]> {
    let query = this.db
      .selectFrom('clearance_notification')
      .selectAll()
      .where('id', '>', afterId)
      .orderBy('id')
      .limit(limit);
    if (carrierCode !== null) query = query.where('carrier_code', '=', carrierCode);
    if (unacknowledgedOnly) query = query.where('acknowledged_at', 'is', null);
    return query.execute();
  }

  findNotification(id: number): Promise<NotificationRow | undefined> {
    return this.db.selectFrom('clearance_notification').selectAll().where('id', '=', id).executeTakeFirst();
  }

  async acknowledgeNotification(id: number): Promise<void> {
    await this.db
      .updateTable('clearance_notification')
      .set({ acknowledged_at: sql`coalesce(acknowledged_at, now())` })
      .where('id', '=', id)
      .execute();
  }

  async upsertWebhook(carrierCode: string, url: string, secret: string, updatedBy: string): Promise<void> {
    await this.db
      .insertInto('clearance_webhook')
      .values({ carrier_code: carrierCode, url, secret, active: true, updated_by: updatedBy })
      .onConflict((conflict) =>
        conflict.column('carrier_code').doUpdateSet((eb) => ({
          url: eb.ref('excluded.url'),
          secret: eb.ref('excluded.secret'),
          active: true,
          updated_by: eb.ref('excluded.updated_by'),
          updated_at: sql`now()`,
        })),
      )
      .execute();
  }

  /** Pending notifications whose next attempt is due and whose carrier has an active webhook. */
  dueDeliveries(now: Date, limit: number) {
    return this.db
      .selectFrom('clearance_notification as n')
      .innerJoin('clearance_webhook as w', 'w.carrier_code', 'n.carrier_code')
      .select([
        'n.id',
        'n.carrier_code',
        'n.kind',
        'n.payload',
        'n.attempts',
        'n.created_at',
        'n.tracking_number',
        'n.parcel_id',
        'w.url',
        'w.secret',
      ])
      .where('n.delivery_status', '=', 'pending')
      .where('w.active', '=', true)
      .where('n.next_attempt_at', '<=', now)
      .orderBy('n.id')
      .limit(limit)
      .execute();
  }

  async markDelivered(id: number): Promise<void> {
    await this.db
      .updateTable('clearance_notification')
      .set({
        delivery_status: 'delivered',
        delivered_at: sql`now()`,
        attempts: sql`attempts + 1`,
        last_error: null,
      })
      .where('id', '=', id)
      .execute();
  }

  async markAttemptFailed(id: number, error: string, nextAttemptAt: Date | null): Promise<void> {
    await this.db
      .updateTable('clearance_notification')
      .set({
        attempts: sql`attempts + 1`,
        last_error: error.slice(0, 500),
        ...(nextAttemptAt === null
          ? { delivery_status: 'failed' as const }
          : { next_attempt_at: nextAttemptAt }),
      })
      .where('id', '=', id)
      .execute();
  }
}

/** Above any real limit: the limit of a parcel that has none yet. */
export const UNKNOWN_LIMIT_KRW = 1n << 62n;

type GroupingRow = Pick<
  ClearanceParcelRow,
  | 'parcel_id'
  | 'tracking_number'
  | 'state'
  | 'split_from_waybill'
  | 'seller_key'
  | 'importer_key'
  | 'purchase_date'
  | 'pccc'
  | 'arrival_date'
  | 'delivery_address_key'
  | 'goods_price_krw'
  | 'limit_krw'
>;

function groupingMemberOf(row: GroupingRow): GroupingMember {
  const assessed = row.goods_price_krw !== null && row.limit_krw !== null;
  return {
    id: row.parcel_id,
    trackingNumber: row.tracking_number,
    state: row.state as ParcelState,
    assessed,
    splitFromWaybill: row.split_from_waybill,
    sellerKey: row.seller_key,
    importerKey: row.importer_key,
    purchaseDate: row.purchase_date,
    pccc: row.pccc,
    arrivalDate: row.arrival_date,
    deliveryAddressKey: row.delivery_address_key,
    goodsPriceKrw: assessed ? BigInt(row.goods_price_krw!) : 0n,
    // An unassessed parcel adds nothing to a sum and must not tighten the group's strictest limit.
    limitKrw: assessed ? BigInt(row.limit_krw!) : UNKNOWN_LIMIT_KRW,
  };
}

/** Inspections (and frauds found) per day, and each seizure with its category and carrier: for statistics. */
export async function inspectionStatistics(
  db: ClearanceDb,
  range: { from: string; to: string; utcOffsetMinutes: number },
) {
  // Office calendar days: an instant belongs to the day it has in the office's time.
  const shift = sql`make_interval(mins => ${range.utcOffsetMinutes})`;
  const inspections = await sql<{ day: string; inspected: number; frauds: number }>`
    select to_char((recorded_at at time zone 'UTC') + ${shift}, 'YYYY-MM-DD') as day, count(*)::int as inspected, count(*) filter (where label_fraud)::int as frauds
    from clearance_inspection
    where (recorded_at at time zone 'UTC') + ${shift} >= ${range.from}::date
      and (recorded_at at time zone 'UTC') + ${shift} < ${range.to}::date + 1
    group by 1 order by 1`.execute(db);
  const seizures = await sql<{ day: string; category: string; carrier: string; parcel_id: number }>`
    select to_char((s.recorded_at at time zone 'UTC') + ${shift}, 'YYYY-MM-DD') as day, s.goods_category as category, p.carrier_code as carrier, s.parcel_id
    from clearance_seizure s join clearance_parcel p on p.parcel_id = s.parcel_id
    where (s.recorded_at at time zone 'UTC') + ${shift} >= ${range.from}::date
      and (s.recorded_at at time zone 'UTC') + ${shift} < ${range.to}::date + 1`.execute(db);
  return {
    inspections: inspections.rows,
    seizures: seizures.rows.map((row) => ({
      day: row.day,
      category: row.category,
      carrier: row.carrier,
      parcelId: row.parcel_id,
    })),
  };
}
