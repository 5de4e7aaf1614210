import { sql, type Kysely, type Selectable, type Transaction } from 'kysely';
import type { Database } from '../../platform/db/database.js';
import { executePrepared } from '../../platform/db/prepared-statements.js';
import type { RegistryEntry } from './adapters/registry-file.js';
import type { PortalTables } from './portal.tables.js';

export type PortalDb = Kysely<PortalTables>;
export type PortalTx = Transaction<PortalTables>;
export type RegistryRow = Selectable<PortalTables['portal_pccc_registry']>;
export type MisuseReportRow = Selectable<PortalTables['portal_misuse_report']>;
export type AddressRow = Selectable<PortalTables['portal_delivery_address']>;
export type InquiryRow = Selectable<PortalTables['portal_inquiry']>;
export type InquiryMessageRow = Selectable<PortalTables['portal_inquiry_message']>;
export type AttachmentInfo = Omit<Selectable<PortalTables['portal_inquiry_attachment']>, 'content'>;
export type SuspensionRow = Selectable<PortalTables['portal_pccc_suspension']>;

/** A `date` column as `YYYY-MM-DD`: node-postgres reads dates as local midnight, PGlite may give text. */
function dateText(value: unknown): string {
  if (value instanceof Date) {
    const pad = (n: number) => String(n).padStart(2, '0');
    return `${value.getFullYear()}-${pad(value.getMonth() + 1)}-${pad(value.getDate())}`;
  }
  return String(value).slice(0, 10);
}

const withDates = (row: RegistryRow): RegistryRow => ({
  ...row,
  issued_on: dateText(row.issued_on),
  expires_on: dateText(row.expires_on),
  renewal_reminded_for: row.renewal_reminded_for ? dateText(row.renewal_reminded_for) : null,
});

/** bigint[] comes back as text from some drivers: parcel ids as numbers. */
const withParcelIds = (row: MisuseReportRow): MisuseReportRow => ({
  ...row,
  parcel_ids: row.parcel_ids.map(Number),
});

/** The only code that touches the portal's tables. */
export class PortalRepository {
  readonly db: PortalDb;

  constructor(database: Database) {
    this.db = database.db as unknown as PortalDb;
  }

  transaction<T>(work: (tx: PortalTx) => Promise<T>): Promise<T> {
    return this.db.transaction().execute(work);
  }

  // Registry

  /** Inserts or replaces entries (the issuing system's export is the truth); returns how many were new. */
  async upsertRegistry(entries: readonly RegistryEntry[]): Promise<{ inserted: number; updated: number }> {
    let inserted = 0;
    await this.transaction(async (tx) => {
      for (let start = 0; start < entries.length; start += 500) {
        const rows = await tx
          .insertInto('portal_pccc_registry')
          .values(
            entries.slice(start, start + 500).map((entry) => ({
              pccc: entry.pccc,
              holder_name: entry.holderName,
              email: entry.email,
              phone: entry.phone,
              issued_on: entry.issuedOn,
              expires_on: entry.expiresOn,
              status: entry.status,
            })),
          )
          .onConflict((conflict) =>
            conflict.column('pccc').doUpdateSet((eb) => ({
              holder_name: eb.ref('excluded.holder_name'),
              email: eb.ref('excluded.email'),
              phone: eb.ref('excluded.phone'),
              issued_on: eb.ref('excluded.issued_on'),
              expires_on: eb.ref('excluded.expires_on'),
              status: eb.ref('excluded.status'),
              imported_at: new Date(),
            })),
          )
          .returning(sql<boolean>`(xmax = 0)`.as('inserted'))
          .execute();
        inserted += rows.filter((row) => row.inserted).length;
      }
    });
    return { inserted, updated: entries.length - inserted };
  }

  async registryEntry(pccc: string): Promise<RegistryRow | undefined> {
    const row = await this.db
      .selectFrom('portal_pccc_registry')
      .selectAll()
      .where('pccc', '=', pccc)
      .executeTakeFirst();
    return row && withDates(row);
  }

  /**
   * Active codes linked to a portal account that expire from `from` to `until`, not yet reminded for
   * that expiry (a renewed code has a new expiry, so it is reminded again a year later).
   */
  async codesToRemind(range: { from: string; until: string }): Promise<RegistryRow[]> {
    const rows = await this.db
      .selectFrom('portal_pccc_registry as registry')
      .innerJoin('portal_pccc_link as link', 'link.pccc', 'registry.pccc')
      .selectAll('registry')
      .where('registry.status', '=', 'active')
      .where('registry.expires_on', '>=', range.from)
      .where('registry.expires_on', '<=', range.until)
      .where((eb) =>
        eb.or([
          eb('registry.renewal_reminded_for', 'is', null),
          eb('registry.renewal_reminded_for', '<>', eb.ref('registry.expires_on')),
        ]),
      )
      .orderBy('registry.expires_on')
      .limit(1000)
      .execute();
    return rows.map(withDates);
  }

  /**
   * Claims the reminder of a code's expiry before it is sent: false when another round claimed it
   * already, so two schedulers or a repeated round mail a holder once.
   */
  async claimReminder(pccc: string, expiresOn: string): Promise<boolean> {
    const claimed = await this.db
      .updateTable('portal_pccc_registry')
      .set({ renewal_reminded_for: expiresOn })
      .where('pccc', '=', pccc)
      .where('expires_on', '=', expiresOn)
      .where((eb) =>
        eb.or([eb('renewal_reminded_for', 'is', null), eb('renewal_reminded_for', '<>', expiresOn)]),
      )
      .executeTakeFirst();
    return Number(claimed.numUpdatedRows) === 1;
  }

  /** Gives a claimed reminder back when its mail could not be sent, so the next round tries again. */
  async releaseReminder(pccc: string, previous: string | null): Promise<void> {
    await this.db
      .updateTable('portal_pccc_registry')
      .set({ renewal_reminded_for: previous })
      .where('pccc', '=', pccc)
      .execute();
  }

  // Links and their codes

  async linkOfAccount(accountId: string): Promise<{ pccc: string; linked_at: Date } | undefined> {
    return this.db
      .selectFrom('portal_pccc_link')
      .select(['pccc', 'linked_at'])
      .where('account_id', '=', accountId)
      .executeTakeFirst();
  }

  async linkOfPccc(pccc: string): Promise<{ account_id: string } | undefined> {
    return this.db
      .selectFrom('portal_pccc_link')
      .select('account_id')
      .where('pccc', '=', pccc)
      .executeTakeFirst();
  }

  /** Link codes sent since `since`, to one account's asks or for one PCCC whoever asked. */
  async linkCodesSince(
    of: { accountId: string } | { pccc: string },
    since: Date,
  ): Promise<{ count: number; newest: Date | null }> {
    const row = await this.db
      .selectFrom('portal_link_code')
      .select((eb) => [eb.fn.countAll<number>().as('count'), eb.fn.max('created_at').as('newest')])
      .where((eb) => ('pccc' in of ? eb('pccc', '=', of.pccc) : eb('account_id', '=', of.accountId)))
      .where('created_at', '>=', since)
      .executeTakeFirstOrThrow();
    return { count: Number(row.count), newest: row.newest ? new Date(row.newest) : null };
  }

  async insertLinkCode(code: {
    accountId: string;
    pccc: string;
    codeHash: string;
    createdAt: Date;
    expiresAt: Date;
  }): Promise<void> {
    await this.transaction(async (tx) => {
      // One live code per account: asking again retires the previous one.
      await tx
        .updateTable('portal_link_code')
        .set({ consumed_at: code.createdAt })
        .where('account_id', '=', code.accountId)
        .where('consumed_at', 'is', null)
        .execute();
      await tx
        .insertInto('portal_link_code')
        .values({
          account_id: code.accountId,
          pccc: code.pccc,
          code_hash: code.codeHash,
          created_at: code.createdAt,
          expires_at: code.expiresAt,
        })
        .execute();
    });
  }

  async liveLinkCode(accountId: string, pccc: string, now: Date) {
    return this.db
      .selectFrom('portal_link_code')
      .select(['id', 'code_hash', 'attempts'])
      .where('account_id', '=', accountId)
      .where('pccc', '=', pccc)
      .where('consumed_at', 'is', null)
      .where('expires_at', '>', now)
      .orderBy('id', 'desc')
      .executeTakeFirst();
  }

  async countLinkAttempt(id: number): Promise<void> {
    await this.db
      .updateTable('portal_link_code')
      .set((eb) => ({ attempts: eb('attempts', '+', 1) }))
      .where('id', '=', id)
      .execute();
  }

  /** Consumes the code and links, in one transaction; false when the code or the PCCC was taken meanwhile. */
  async consumeCodeAndLink(codeId: number, accountId: string, pccc: string, now: Date): Promise<boolean> {
    return this.transaction(async (tx) => {
      const consumed = await tx
        .updateTable('portal_link_code')
        .set({ consumed_at: now })
        .where('id', '=', codeId)
        .where('consumed_at', 'is', null)
        .executeTakeFirst();
      if (Number(consumed.numUpdatedRows) !== 1) return false;
      const linked = await tx
        .insertInto('portal_pccc_link')
        .values({ pccc, account_id: accountId, linked_at: now })
        .onConflict((conflict) => conflict.doNothing())
        .returning('pccc')
        .executeTakeFirst();
      return linked !== undefined;
    });
  }

  // Suspensions and misuse reports

  async suspensions(pccc: string): Promise<SuspensionRow[]> {
    return this.db.selectFrom('portal_pccc_suspension').selectAll().where('pccc', '=', pccc).execute();
  }

  /** Which of the codes have list clearance suspended (one query for a batch of parcels). */
  async suspendedAmong(pcccs: readonly string[]): Promise<Set<string>> {
    if (pcccs.length === 0) return new Set();
    const rows = await executePrepared(
      this.db,
      this.db
        .selectFrom('portal_pccc_suspension')
        .select('pccc')
        .distinct()
        .where('pccc', '=', sql<string>`any(${[...new Set(pcccs)]}::text[])`),
    );
    return new Set(rows.map((row) => row.pccc));
  }

  async suspend(
    executor: PortalDb | PortalTx,
    suspension: { pccc: string; source: SuspensionRow['source']; reportId?: number; by: string },
  ): Promise<void> {
    await executor
      .insertInto('portal_pccc_suspension')
      .values({
        pccc: suspension.pccc,
        source: suspension.source,
        misuse_report_id: suspension.reportId ?? null,
        suspended_by: suspension.by,
      })
      .onConflict((conflict) =>
        conflict.columns(['pccc', 'source']).doUpdateSet({
          misuse_report_id: suspension.reportId ?? null,
          suspended_by: suspension.by,
        }),
      )
      .execute();
  }

  async lift(executor: PortalDb | PortalTx, pccc: string, source: SuspensionRow['source']): Promise<boolean> {
    const result = await executor
      .deleteFrom('portal_pccc_suspension')
      .where('pccc', '=', pccc)
      .where('source', '=', source)
      .executeTakeFirst();
    return Number(result.numDeletedRows) > 0;
  }

  async insertMisuseReport(
    tx: PortalTx,
    report: { pccc: string; accountId: string; parcelIds: number[]; statement: string },
  ): Promise<MisuseReportRow> {
    const row = await tx
      .insertInto('portal_misuse_report')
      .values({
        pccc: report.pccc,
        account_id: report.accountId,
        parcel_ids: report.parcelIds,
        statement: report.statement,
      })
      .returningAll()
      .executeTakeFirstOrThrow();
    return withParcelIds(row);
  }

  async misuseReport(id: number): Promise<MisuseReportRow | undefined> {
    const row = await this.db
      .selectFrom('portal_misuse_report')
      .selectAll()
      .where('id', '=', id)
      .executeTakeFirst();
    return row && withParcelIds(row);
  }

  async misuseReports(filter: {
    pccc?: string;
    status?: MisuseReportRow['status'];
    limit: number;
  }): Promise<MisuseReportRow[]> {
    let query = this.db.selectFrom('portal_misuse_report').selectAll();
    if (filter.pccc) query = query.where('pccc', '=', filter.pccc);
    if (filter.status) query = query.where('status', '=', filter.status);
    const rows = await query.orderBy('id', 'desc').limit(filter.limit).execute();
    return rows.map(withParcelIds);
  }

  /** Parcel ids the holder has reported, for marking them in the list. */
  async reportedParcelIds(pccc: string): Promise<Set<number>> {
    const rows = await this.db
      .selectFrom('portal_misuse_report')
      .select('parcel_ids')
      .where('pccc', '=', pccc)
      .execute();
    return new Set(rows.flatMap((row) => row.parcel_ids.map(Number)));
  }

  async workMisuseReport(
    tx: PortalTx,
    id: number,
    decision: { status: 'confirmed' | 'dismissed'; note: string; by: string; at: Date },
  ): Promise<boolean> {
    const result = await tx
      .updateTable('portal_misuse_report')
      .set({
        status: decision.status,
        officer_note: decision.note,
        worked_by: decision.by,
        worked_at: decision.at,
      })
      .where('id', '=', id)
      .where('status', '=', 'open')
      .executeTakeFirst();
    return Number(result.numUpdatedRows) === 1;
  }

  async openReportsOf(tx: PortalTx, pccc: string): Promise<number> {
    const row = await tx
      .selectFrom('portal_misuse_report')
      .select((eb) => eb.fn.countAll<number>().as('count'))
      .where('pccc', '=', pccc)
      .where('status', '=', 'open')
      .executeTakeFirstOrThrow();
    return Number(row.count);
  }

  // Delivery addresses and notices

  async addresses(pccc: string): Promise<AddressRow[]> {
    return this.db
      .selectFrom('portal_delivery_address')
      .selectAll()
      .where('pccc', '=', pccc)
      .orderBy('id')
      .execute();
  }

  /** The registered addresses of several codes in one read (a batch of parcels), by code. */
  async addressesOfCodes(pcccs: readonly string[]): Promise<Map<string, AddressRow[]>> {
    const byCode = new Map<string, AddressRow[]>();
    if (pcccs.length === 0) return byCode;
    const rows = await this.db
      .selectFrom('portal_delivery_address')
      .selectAll()
      .where('pccc', 'in', [...new Set(pcccs)])
      .orderBy('id')
      .execute();
    for (const row of rows) byCode.set(row.pccc, [...(byCode.get(row.pccc) ?? []), row]);
    return byCode;
  }

  /** Adds an address unless the code already has `max` (counted under a row lock on the registry entry). */
  async addAddress(
    address: { pccc: string; label: string; address: string; addressKey: string },
    max: number,
  ): Promise<AddressRow | 'limit' | 'duplicate'> {
    return this.transaction(async (tx) => {
      await tx
        .selectFrom('portal_pccc_registry')
        .select('pccc')
        .where('pccc', '=', address.pccc)
        .forUpdate()
        .execute();
      const { count } = await tx
        .selectFrom('portal_delivery_address')
        .select((eb) => eb.fn.countAll<number>().as('count'))
        .where('pccc', '=', address.pccc)
        .executeTakeFirstOrThrow();
      if (Number(count) >= max) return 'limit' as const;
      const row = await tx
        .insertInto('portal_delivery_address')
        .values({
          pccc: address.pccc,
          label: address.label,
          address: address.address,
          address_key: address.addressKey,
        })
        .onConflict((conflict) => conflict.columns(['pccc', 'address_key']).doNothing())
        .returningAll()
        .executeTakeFirst();
      return row ?? ('duplicate' as const);
    });
  }

  async removeAddress(pccc: string, id: number): Promise<boolean> {
    const result = await this.db
      .deleteFrom('portal_delivery_address')
      .where('pccc', '=', pccc)
      .where('id', '=', id)
      .executeTakeFirst();
    return Number(result.numDeletedRows) === 1;
  }

  /** Registered address keys and the link of each code among `pcccs` that has a verified holder. */
  async linkedHolders(pcccs: readonly string[]) {
    if (pcccs.length === 0) return [];
    return executePrepared(
      this.db,
      this.db
        .selectFrom('portal_pccc_link as link')
        .innerJoin('portal_pccc_registry as registry', 'registry.pccc', 'link.pccc')
        .select(['link.pccc', 'link.account_id', 'registry.email'])
        .where('link.pccc', '=', sql<string>`any(${[...new Set(pcccs)]}::text[])`),
    );
  }

  /** Records a notice; false when it was sent already (so an event delivered twice mails once). */
  async recordNotice(parcelId: number, kind: 'unregistered_address', pccc: string): Promise<boolean> {
    const result = await this.db
      .insertInto('portal_parcel_notice')
      .values({ parcel_id: parcelId, kind, pccc })
      .onConflict((conflict) => conflict.doNothing())
      .returning('parcel_id')
      .executeTakeFirst();
    return result !== undefined;
  }

  async forgetNotice(parcelId: number, kind: 'unregistered_address'): Promise<void> {
    await this.db
      .deleteFrom('portal_parcel_notice')
      .where('parcel_id', '=', parcelId)
      .where('kind', '=', kind)
      .execute();
  }

  // Inquiries

  async insertInquiry(inquiry: {
    pccc: string;
    accountId: string;
    parcelId: number | null;
    subject: string;
    body: string;
    language: InquiryRow['language'];
    answerDueAt: Date;
    attachments: { fileName: string; mediaType: string; content: Buffer; sha256: string }[];
  }): Promise<InquiryRow> {
    return this.transaction(async (tx) => {
      const row = await tx
        .insertInto('portal_inquiry')
        .values({
          pccc: inquiry.pccc,
          account_id: inquiry.accountId,
          parcel_id: inquiry.parcelId,
          subject: inquiry.subject,
          language: inquiry.language,
          answer_due_at: inquiry.answerDueAt,
        })
        .returningAll()
        .executeTakeFirstOrThrow();
      await tx
        .insertInto('portal_inquiry_message')
        .values({
          inquiry_id: row.id,
          author_kind: 'consumer',
          author: inquiry.accountId,
          body: inquiry.body,
        })
        .execute();
      for (const attachment of inquiry.attachments)
        await tx
          .insertInto('portal_inquiry_attachment')
          .values({
            inquiry_id: row.id,
            file_name: attachment.fileName,
            media_type: attachment.mediaType,
            byte_size: attachment.content.length,
            content_sha256: attachment.sha256,
            content: attachment.content,
          })
          .execute();
      return row;
    });
  }

  async inquiry(id: number): Promise<InquiryRow | undefined> {
    return this.db.selectFrom('portal_inquiry').selectAll().where('id', '=', id).executeTakeFirst();
  }

  async inquiries(filter: {
    accountId?: string;
    status?: InquiryRow['status'];
    limit: number;
  }): Promise<InquiryRow[]> {
    let query = this.db.selectFrom('portal_inquiry').selectAll();
    if (filter.accountId) query = query.where('account_id', '=', filter.accountId);
    if (filter.status) query = query.where('status', '=', filter.status);
    // Officers work the oldest due first; consumers see their newest first.
    query = filter.accountId ? query.orderBy('id', 'desc') : query.orderBy('answer_due_at').orderBy('id');
    return query.limit(filter.limit).execute();
  }

  async messages(inquiryId: number): Promise<InquiryMessageRow[]> {
    return this.db
      .selectFrom('portal_inquiry_message')
      .selectAll()
      .where('inquiry_id', '=', inquiryId)
      .orderBy('id')
      .execute();
  }

  async attachments(inquiryId: number): Promise<AttachmentInfo[]> {
    return this.db
      .selectFrom('portal_inquiry_attachment')
      .select(['id', 'inquiry_id', 'file_name', 'media_type', 'byte_size', 'content_sha256', 'created_at'])
      .where('inquiry_id', '=', inquiryId)
      .orderBy('id')
      .execute();
  }

  async attachment(inquiryId: number, id: number) {
    return this.db
      .selectFrom('portal_inquiry_attachment')
      .select(['file_name', 'media_type', 'content'])
      .where('inquiry_id', '=', inquiryId)
      .where('id', '=', id)
      .executeTakeFirst();
  }

  /** Adds a message and moves the inquiry: an officer's answer marks it answered (first answer time kept). */
  async addMessage(
    inquiryId: number,
    message: { authorKind: 'consumer' | 'officer'; author: string; body: string; at: Date },
  ): Promise<void> {
    await this.transaction(async (tx) => {
      await tx
        .insertInto('portal_inquiry_message')
        .values({
          inquiry_id: inquiryId,
          author_kind: message.authorKind,
          author: message.author,
          body: message.body,
          created_at: message.at,
        })
        .execute();
      await tx
        .updateTable('portal_inquiry')
        .set((eb) =>
          message.authorKind === 'officer'
            ? { status: 'answered', answered_at: eb.fn.coalesce('answered_at', sql<Date>`${message.at}`) }
            : { status: 'open' },
        )
        .where('id', '=', inquiryId)
        .execute();
    });
  }

  async closeInquiry(inquiryId: number): Promise<void> {
    await this.db
      .updateTable('portal_inquiry')
      .set({ status: 'closed' })
      .where('id', '=', inquiryId)
      .execute();
  }

  // Public statistics: the analysis views intake and clearance publish (migration 0050), never their tables.

  async volumes(range: { from: string; to: string }) {
    const { rows } = await sql<{
      channel: string;
      origin: string | null;
      parcels: number;
      held: number;
      seized: number;
    }>`
      select p.channel, p.origin_country as origin, count(*)::int as parcels,
        count(*) filter (where c.held)::int as held, count(*) filter (where c.seized)::int as seized
      from intake_analysis_parcel p
      left join clearance_analysis_parcel c on c.parcel_id = p.parcel_id
      where p.arrival_date between ${range.from}::date and ${range.to}::date
      group by 1, 2`.execute(this.db);
    return rows;
  }
}
