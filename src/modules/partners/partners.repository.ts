import { sql, type Insertable, type Kysely, type Selectable } from 'kysely';
import type { Database } from '../../platform/db/database.js';
import { executePrepared } from '../../platform/db/prepared-statements.js';
import type { PartnersTables } from './partners.tables.js';

export type PartnersDb = Kysely<PartnersTables>;
export type AgreementRow = Selectable<PartnersTables['partners_agreement']>;
export type AlertRow = Selectable<PartnersTables['partners_alert']>;
export type ReceiptRow = Selectable<PartnersTables['partners_alert_receipt']>;
export type InspectionReportRow = Selectable<PartnersTables['partners_inspection_report']>;
export type SafetyReportRow = Selectable<PartnersTables['partners_safety_report']>;
export type SafetyHitRow = Selectable<PartnersTables['partners_safety_hit']>;
export type RegistrationRow = Selectable<PartnersTables['partners_seller_registration']>;
export type DecisionRow = Selectable<PartnersTables['partners_seller_decision']>;

/** A registration's columns, named for the prepared read (a prepared `select *` breaks when a column is added). */
const REGISTRATION_COLUMNS = [
  'id',
  'registration_number',
  'legal_name',
  'country',
  'address',
  'marketplaces',
  'contact',
  'documents',
  'status',
  'applicant_email',
  'created_at',
] as const satisfies readonly (keyof RegistrationRow)[];
export type PictureInfo = Omit<Selectable<PartnersTables['partners_picture']>, 'content'>;

export const dataSharingFields = ['tracking_number', 'carrier', 'hs_code'] as const;
export type DataSharing = (typeof dataSharingFields)[number];

export interface NewAgreement {
  organisationCode: string;
  organisationRole: AgreementRow['organisation_role'];
  name: string;
  startsOn: string;
  endsOn: string;
  offices: string[];
  contacts: unknown[];
  obligations: string[];
  /** What an agency's agreement lets it see of the parcels its reports hit. */
  dataSharing: DataSharing[];
  status: AgreementRow['status'];
  statusReason: string | null;
}

export interface NewHit {
  reportId: number;
  parcelId: number;
  lineNumber: number;
  orderId: number | null;
  lineText: string;
  carrierCode: string | null;
  trackingNumber: string | null;
  hsCode: string | null;
  matchedOn: string[];
  score: number;
}

/**
 * A `date` column as `YYYY-MM-DD`: node-postgres reads dates as local midnight, PGlite may give text.
 */
function dateText(value: unknown): string {
  if (value instanceof Date) {
    const pad = (n: number) => String(n).padStart(2, '0');
    return `${value.getFullYear()}-${pad(value.getMonth() + 1)}-${pad(value.getDate())}`;
  }
  return String(value).slice(0, 10);
}

const withDateTexts = (row: AgreementRow): AgreementRow => ({
  ...row,
  starts_on: dateText(row.starts_on),
  ends_on: dateText(row.ends_on),
});

/**
 * How long a process keeps an organisation's agreement it read: every submission checks it, and a post
 * sending hundreds of items a second then costs no query per item. A change saved through this process
 * applies at once; one saved through another process within this time.
 */
const AGREEMENT_CACHE_MS = 5000;

/** The only code that touches the partners_ tables. */
export class PartnersRepository {
  private readonly db: PartnersDb;
  /** Agreements read lately by organisation code, none (undefined) included: organisations are few. */
  private readonly agreementCache = new Map<string, { row: AgreementRow | undefined; until: number }>();

  constructor(database: Database) {
    this.db = database.db.withTables<PartnersTables>() as unknown as PartnersDb;
  }

  transaction<T>(work: (tx: PartnersDb) => Promise<T>): Promise<T> {
    return this.db.transaction().execute(work);
  }

  // ---- agreements

  async saveAgreement(agreement: NewAgreement, by: string): Promise<AgreementRow> {
    const values = {
      organisation_role: agreement.organisationRole,
      name: agreement.name,
      starts_on: agreement.startsOn,
      ends_on: agreement.endsOn,
      offices: agreement.offices,
      contacts: JSON.stringify(agreement.contacts),
      obligations: agreement.obligations,
      data_sharing: agreement.dataSharing,
      status: agreement.status,
      status_reason: agreement.statusReason,
      updated_by: by,
      updated_at: new Date(),
    };
    const saved = await this.db
      .insertInto('partners_agreement')
      .values({ organisation_code: agreement.organisationCode, ...values })
      .onConflict((conflict) => conflict.column('organisation_code').doUpdateSet(values))
      .returningAll()
      .executeTakeFirstOrThrow()
      .then(withDateTexts);
    this.agreementCache.clear();
    return saved;
  }

  findAgreement(organisationCode: string): Promise<AgreementRow | undefined> {
    return this.db
      .selectFrom('partners_agreement')
      .selectAll()
      .where('organisation_code', '=', organisationCode.toUpperCase())
      .executeTakeFirst()
      .then((row) => row && withDateTexts(row));
  }

  /** The agreement as read at most AGREEMENT_CACHE_MS ago, for the check of every submission. */
  async recentAgreement(organisationCode: string): Promise<AgreementRow | undefined> {
    const code = organisationCode.toUpperCase();
    const now = Date.now();
    const cached = this.agreementCache.get(code);
    if (cached && cached.until > now) return cached.row;
    const row = await this.findAgreement(code);
    this.agreementCache.set(code, { row, until: now + AGREEMENT_CACHE_MS });
    return row;
  }

  async listAgreements(): Promise<AgreementRow[]> {
    const rows = await this.db
      .selectFrom('partners_agreement')
      .selectAll()
      .orderBy('organisation_code')
      .execute();
    return rows.map(withDateTexts);
  }

  // ---- alerts

  insertAlert(alert: Omit<AlertRow, 'id' | 'published_at'>): Promise<AlertRow> {
    return this.db.insertInto('partners_alert').values(alert).returningAll().executeTakeFirstOrThrow();
  }

  findAlert(id: number): Promise<AlertRow | undefined> {
    return this.db.selectFrom('partners_alert').selectAll().where('id', '=', id).executeTakeFirst();
  }

  /** Every alert, or those addressed to all carriers or to this organisation; newest first. */
  listAlerts(addressedTo?: string): Promise<AlertRow[]> {
    let query = this.db.selectFrom('partners_alert').selectAll().orderBy('id', 'desc').limit(500);
    if (addressedTo !== undefined)
      query = query.where((eb) =>
        eb.or([eb('audience', 'is', null), sql<boolean>`${addressedTo} = any(audience)`]),
      );
    return query.execute();
  }

  /** Records that an account read the alert (first reading kept) and, when asked, acknowledged it. */
  async recordReceipt(
    alertId: number,
    accountId: string,
    organisationCode: string,
    acknowledged: boolean,
  ): Promise<ReceiptRow> {
    const now = new Date();
    return this.db
      .insertInto('partners_alert_receipt')
      .values({
        alert_id: alertId,
        account_id: accountId,
        organisation_code: organisationCode,
        read_at: now,
        acknowledged_at: acknowledged ? now : null,
      })
      .onConflict((conflict) =>
        conflict.columns(['alert_id', 'account_id']).doUpdateSet((eb) => ({
          acknowledged_at: acknowledged
            ? eb.fn.coalesce('partners_alert_receipt.acknowledged_at', eb.val(now))
            : eb.ref('partners_alert_receipt.acknowledged_at'),
        })),
      )
      .returningAll()
      .executeTakeFirstOrThrow();
  }

  receiptsOf(alertIds: readonly number[]): Promise<ReceiptRow[]> {
    if (alertIds.length === 0) return Promise.resolve([]);
    return this.db
      .selectFrom('partners_alert_receipt')
      .selectAll()
      .where('alert_id', 'in', [...alertIds])
      .orderBy('read_at')
      .execute();
  }

  // ---- pictures

  async savePicture(picture: {
    ownerKind: 'alert' | 'safety_report';
    ownerId: number;
    mediaType: string;
    content: Buffer;
    sha256: string;
    by: string;
  }): Promise<{ id: number; created: boolean }> {
    const inserted = await this.db
      .insertInto('partners_picture')
      .values({
        owner_kind: picture.ownerKind,
        owner_id: picture.ownerId,
        media_type: picture.mediaType,
        byte_size: picture.content.length,
        content_sha256: picture.sha256,
        content: picture.content,
        uploaded_by: picture.by,
      })
      .onConflict((conflict) => conflict.columns(['owner_kind', 'owner_id', 'content_sha256']).doNothing())
      .returning('id')
      .executeTakeFirst();
    if (inserted) return { id: Number(inserted.id), created: true };
    const existing = await this.db
      .selectFrom('partners_picture')
      .select('id')
      .where('owner_kind', '=', picture.ownerKind)
      .where('owner_id', '=', picture.ownerId)
      .where('content_sha256', '=', picture.sha256)
      .executeTakeFirstOrThrow();
    return { id: Number(existing.id), created: false };
  }

  picturesOf(ownerKind: 'alert' | 'safety_report', ownerIds: readonly number[]): Promise<PictureInfo[]> {
    if (ownerIds.length === 0) return Promise.resolve([]);
    return this.db
      .selectFrom('partners_picture')
      .select([
        'id',
        'owner_kind',
        'owner_id',
        'media_type',
        'byte_size',
        'content_sha256',
        'uploaded_by',
        'uploaded_at',
      ])
      .where('owner_kind', '=', ownerKind)
      .where('owner_id', 'in', [...ownerIds])
      .orderBy('id')
      .execute();
  }

  picture(id: number) {
    return this.db.selectFrom('partners_picture').selectAll().where('id', '=', id).executeTakeFirst();
  }

  // ---- inspection figures and compliance

  /** Stores a carrier's figures for a quarter; a new submission for the same quarter replaces the last. */
  saveInspectionReport(
    report: Omit<InspectionReportRow, 'revision' | 'submitted_at'>,
    tx: PartnersDb = this.db,
  ): Promise<InspectionReportRow> {
    const { carrier_code: _carrier, period: _period, ...figures } = report;
    return tx
      .insertInto('partners_inspection_report')
      .values(report)
      .onConflict((conflict) =>
        conflict.columns(['carrier_code', 'period']).doUpdateSet((eb) => ({
          ...figures,
          revision: eb('partners_inspection_report.revision', '+', 1),
          submitted_at: new Date(),
        })),
      )
      .returningAll()
      .executeTakeFirstOrThrow();
  }

  inspectionReports(carrierCode: string, periods: readonly string[]): Promise<InspectionReportRow[]> {
    if (periods.length === 0) return Promise.resolve([]);
    return this.db
      .selectFrom('partners_inspection_report')
      .selectAll()
      .where('carrier_code', '=', carrierCode)
      .where('period', 'in', [...periods])
      .execute();
  }

  evaluation(carrierCode: string, period: string) {
    return this.db
      .selectFrom('partners_compliance_evaluation')
      .selectAll()
      .where('carrier_code', '=', carrierCode)
      .where('period', '=', period)
      .executeTakeFirst();
  }

  saveEvaluation(evaluation: {
    carrierCode: string;
    period: string;
    score: number;
    level: 'low' | 'medium' | 'high';
    indicators: unknown;
  }): Promise<void> {
    const values = {
      score: evaluation.score,
      level: evaluation.level,
      indicators: JSON.stringify(evaluation.indicators),
      evaluated_at: new Date(),
    };
    return this.db
      .insertInto('partners_compliance_evaluation')
      .values({ carrier_code: evaluation.carrierCode, period: evaluation.period, ...values })
      .onConflict((conflict) => conflict.columns(['carrier_code', 'period']).doUpdateSet(values))
      .execute()
      .then(() => undefined);
  }

  // ---- product safety

  /** Stores a report, or finds the same report sent before by the same agency. */
  async saveSafetyReport(
    report: Omit<SafetyReportRow, 'id' | 'created_at' | 'backfilled_at'>,
  ): Promise<{ id: number; created: boolean }> {
    const inserted = await this.db
      .insertInto('partners_safety_report')
      .values(report)
      .onConflict((conflict) => conflict.columns(['agency_code', 'content_sha256']).doNothing())
      .returning('id')
      .executeTakeFirst();
    if (inserted) return { id: Number(inserted.id), created: true };
    const existing = await this.db
      .selectFrom('partners_safety_report')
      .select('id')
      .where('agency_code', '=', report.agency_code)
      .where('content_sha256', '=', report.content_sha256)
      .executeTakeFirstOrThrow();
    return { id: Number(existing.id), created: false };
  }

  findSafetyReport(id: number): Promise<SafetyReportRow | undefined> {
    return this.db.selectFrom('partners_safety_report').selectAll().where('id', '=', id).executeTakeFirst();
  }

  listSafetyReports(agencyCode?: string): Promise<(SafetyReportRow & { hits: number })[]> {
    let query = this.db
      .selectFrom('partners_safety_report as r')
      .selectAll('r')
      .select((eb) =>
        eb
          .selectFrom('partners_safety_hit as h')
          .select(eb.fn.countAll<number>().as('count'))
          .whereRef('h.report_id', '=', 'r.id')
          .as('hits'),
      )
      .orderBy('r.id', 'desc')
      .limit(1000);
    if (agencyCode) query = query.where('r.agency_code', '=', agencyCode);
    return query.execute() as Promise<(SafetyReportRow & { hits: number })[]>;
  }

  async lastSafetyReportId(): Promise<number> {
    // Asked before every batch of stored lines (is the watchlist current?): prepared.
    const [row] = await executePrepared(
      this.db,
      this.db.selectFrom('partners_safety_report').select((eb) => eb.fn.max('id').as('last')),
    );
    return row?.last === null || row?.last === undefined ? 0 : Number(row.last);
  }

  allSafetyReports(): Promise<SafetyReportRow[]> {
    return this.db.selectFrom('partners_safety_report').selectAll().orderBy('id').execute();
  }

  markBackfilled(reportId: number): Promise<void> {
    return this.db
      .updateTable('partners_safety_report')
      .set({ backfilled_at: new Date() })
      .where('id', '=', reportId)
      .execute()
      .then(() => undefined);
  }

  /** Stores hits not stored before; returns the new ones (a line matched twice is one hit). */
  async saveHits(hits: readonly NewHit[], db: PartnersDb = this.db): Promise<NewHit[]> {
    if (hits.length === 0) return [];
    const rows = await db
      .insertInto('partners_safety_hit')
      .values(
        hits.map((hit) => ({
          report_id: hit.reportId,
          parcel_id: hit.parcelId,
          line_number: hit.lineNumber,
          order_id: hit.orderId,
          line_text: hit.lineText,
          carrier_code: hit.carrierCode,
          tracking_number: hit.trackingNumber,
          hs_code: hit.hsCode,
          matched_on: hit.matchedOn,
          score: hit.score,
        })),
      )
      .onConflict((conflict) => conflict.columns(['report_id', 'parcel_id', 'line_number']).doNothing())
      .returning(['report_id', 'parcel_id', 'line_number'])
      .execute();
    const created = new Set(rows.map((row) => `${row.report_id}:${row.parcel_id}:${row.line_number}`));
    return hits.filter((hit) => created.has(`${hit.reportId}:${hit.parcelId}:${hit.lineNumber}`));
  }

  hitsOfReport(reportId: number, limit: number): Promise<SafetyHitRow[]> {
    return this.db
      .selectFrom('partners_safety_hit')
      .selectAll()
      .where('report_id', '=', reportId)
      .orderBy('score', 'desc')
      .orderBy('parcel_id')
      .limit(limit)
      .execute();
  }

  hitsOfParcels(parcelIds: readonly number[]): Promise<SafetyHitRow[]> {
    if (parcelIds.length === 0) return Promise.resolve([]);
    return this.db
      .selectFrom('partners_safety_hit')
      .selectAll()
      .where('parcel_id', 'in', [...parcelIds])
      .orderBy('found_at', 'desc')
      .execute();
  }

  // ---- foreign sellers

  insertRegistration(
    registration: Omit<Insertable<PartnersTables['partners_seller_registration']>, 'status'>,
  ): Promise<RegistrationRow> {
    return this.db
      .insertInto('partners_seller_registration')
      .values({ ...registration, status: 'applied' })
      .returningAll()
      .executeTakeFirstOrThrow();
  }

  findRegistration(id: number): Promise<RegistrationRow | undefined> {
    return this.db
      .selectFrom('partners_seller_registration')
      .selectAll()
      .where('id', '=', id)
      .executeTakeFirst();
  }

  findRegistrationByNumber(registrationNumber: string): Promise<RegistrationRow | undefined> {
    return this.db
      .selectFrom('partners_seller_registration')
      .selectAll()
      .where(sql`upper(registration_number)`, '=', registrationNumber.toUpperCase())
      .executeTakeFirst();
  }

  /** Registrations of several numbers in one read (a batch of stored lines), by upper-cased number. */
  async findRegistrationsByNumbers(
    registrationNumbers: readonly string[],
  ): Promise<Map<string, RegistrationRow>> {
    if (registrationNumbers.length === 0) return new Map();
    const rows = await executePrepared(
      this.db,
      this.db
        .selectFrom('partners_seller_registration')
        .select(REGISTRATION_COLUMNS)
        .where(
          sql`upper(registration_number)`,
          '=',
          sql`any(${registrationNumbers.map((number) => number.toUpperCase())}::text[])`,
        ),
    );
    return new Map(rows.map((row) => [row.registration_number.toUpperCase(), row]));
  }

  listRegistrations(status?: RegistrationRow['status']): Promise<RegistrationRow[]> {
    let query = this.db
      .selectFrom('partners_seller_registration')
      .selectAll()
      .orderBy('id', 'desc')
      .limit(1000);
    if (status) query = query.where('status', '=', status);
    return query.execute();
  }

  /** Applies a decision and keeps it in the registration's history, in one transaction. */
  decide(
    registrationId: number,
    decision: DecisionRow['decision'],
    reason: string | null,
    by: string,
  ): Promise<DecisionRow> {
    return this.transaction(async (tx) => {
      await tx
        .updateTable('partners_seller_registration')
        .set({ status: decision })
        .where('id', '=', registrationId)
        .execute();
      return tx
        .insertInto('partners_seller_decision')
        .values({ registration_id: registrationId, decision, reason, decided_by: by })
        .returningAll()
        .executeTakeFirstOrThrow();
    });
  }

  decisionsOf(registrationId: number): Promise<DecisionRow[]> {
    return this.db
      .selectFrom('partners_seller_decision')
      .selectAll()
      .where('registration_id', '=', registrationId)
      .orderBy('id')
      .execute();
  }
}
