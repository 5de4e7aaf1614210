import { createHmac, randomInt, timingSafeEqual } from 'node:crypto';
import { assertAdministrator, describeActor, type Actor } from '../../platform/auth/actor.js';
import type { AuditTrail } from '../../platform/auth/audit-trail.js';
import type { Locale } from '../../platform/i18n/locale.js';
import { maskPersonalText } from '../../platform/logging/personal-data-mask.js';
import type { MailSender } from '../../platform/mail/mail-sender.js';
import { readRegistryCsv } from './adapters/registry-file.js';
import { say } from './domain/consumer-wording.js';
import { recordAudit, requireCaseOfficer, requireConsumer, requireLinkedPccc } from './portal.access.js';
import { PortalError } from './portal.errors.js';
import type { AddressKeyer, PortalParcelSource } from './portal.ports.js';
import type { AddressRow, MisuseReportRow, PortalRepository } from './portal.repository.js';

const LINK_CODE_TTL_MS = 10 * 60_000;
const LINK_CODE_ATTEMPTS = 5;
const LINK_CODES_PER_HOUR = 5;
const LINK_CODE_RESEND_MS = 60_000;
export const MAX_DELIVERY_ADDRESSES = 20;
/** Reminders go this many days before a code's one-year validity ends. */
export const RENEWAL_NOTICE_DAYS = 30;

export interface PortalSettings {
  /** Keys the one-time link codes' hashes (identity's session secret). */
  secret: string;
  /** Where mails point people to (the server's public URL). */
  publicUrl: string;
}

/** What a consumer sees of their code: validity, suspensions, addresses. */
export interface PcccStatus {
  /** The proved code; null until the consumer has proved one. */
  pccc: string | null;
  linked: boolean;
  expiresOn: string | null;
  renewalDue: boolean;
  listClearanceSuspended: boolean;
  suspensions: { source: 'holder' | 'misuse_report'; since: string }[];
  addresses: { id: number; label: string; address: string }[];
  maxAddresses: number;
}

export interface MisuseReportView {
  id: number;
  parcelIds: number[];
  statement: string;
  status: MisuseReportRow['status'];
  officerNote: string | null;
  createdAt: string;
  workedAt: string | null;
}

/**
 * Proving a PCCC is mine and protecting it: links through the registry (a code to the contact on file),
 * suspension of list clearance by the holder or on a misuse report, officers' work on reports,
 * registered delivery addresses, notices of parcels declared elsewhere, renewal reminders.
 */
export class PcccProtectionService {
  constructor(
    private readonly repository: PortalRepository,
    private readonly parcels: PortalParcelSource,
    private readonly mail: MailSender,
    private readonly addressKey: AddressKeyer,
    private readonly settings: PortalSettings,
    private readonly audit: AuditTrail | undefined,
    private readonly clock: () => Date = () => new Date(),
  ) {}

  /** Loads the issuing system's registry export (CSV); administrators or the system. All rows or none. */
  async importRegistry(actor: Actor, csv: string): Promise<{ inserted: number; updated: number }> {
    assertAdministrator(actor);
    const { entries, errors } = readRegistryCsv(csv);
    if (errors.length > 0)
      throw new PortalError(
        'registry_file_invalid',
        `The registry file has ${errors.length} problem(s): ${errors
          .slice(0, 5)
          .map((error) => `${error.line ? `line ${error.line} ` : ''}${error.path} ${error.message}`)
          .join('; ')}`,
        { fieldErrors: errors.slice(0, 100) },
      );
    const result = await this.repository.upsertRegistry(entries);
    await recordAudit(this.audit, {
      actor,
      action: 'portal.registry_imported',
      subject: 'pccc_registry',
      details: result,
    });
    return result;
  }

  /**
   * Step 1 of linking: a code goes to the e-mail on file for the PCCC in the registry, never to an address
   * the consumer types, so typing somebody else's PCCC gets the typist nothing. One code per account.
   */
  async requestLink(actor: Actor | undefined, pccc: string, locale: Locale): Promise<{ sentTo: string }> {
    const consumer = requireConsumer(actor, 'portal.link_pccc');
    const own = await this.repository.linkOfAccount(consumer.accountId);
    if (own && own.pccc !== pccc)
      throw new PortalError(
        'account_already_linked',
        'Your account already holds a proved personal customs clearance code; one code per account',
      );
    const entry = await this.repository.registryEntry(pccc);
    if (!entry || entry.status !== 'active' || !entry.email)
      throw new PortalError(
        'pccc_not_in_registry',
        'No code can be sent for this PCCC: check it, or renew it with the customs service',
      );
    const holder = await this.repository.linkOfPccc(pccc);
    if (holder && holder.account_id !== consumer.accountId)
      throw new PortalError('pccc_already_linked', 'This PCCC is linked to another account');
    const sentTo = maskPersonalText(entry.email);
    if (holder) return { sentTo };
    const now = this.clock();
    const hourAgo = new Date(now.getTime() - 3_600_000);
    const [recent, toHolder] = await Promise.all([
      this.repository.linkCodesSince({ accountId: consumer.accountId }, hourAgo),
      // Anybody may ask for any code, so the holder's mailbox is limited too, whatever the accounts asking.
      this.repository.linkCodesSince({ pccc }, hourAgo),
    ]);
    // Within the limits the previous code stays valid; the answer is the same either way.
    if (
      recent.count >= LINK_CODES_PER_HOUR ||
      toHolder.count >= LINK_CODES_PER_HOUR ||
      (recent.newest && now.getTime() - recent.newest.getTime() < LINK_CODE_RESEND_MS)
    )
      return { sentTo };
    const code = String(randomInt(0, 1_000_000)).padStart(6, '0');
    await this.repository.insertLinkCode({
      accountId: consumer.accountId,
      pccc,
      codeHash: this.codeHash(code, consumer.accountId, pccc),
      createdAt: now,
      expiresAt: new Date(now.getTime() + LINK_CODE_TTL_MS),
    });
    await this.mail.send({
      to: entry.email,
      subject: say('mail.link.subject', locale),
      text: say('mail.link.text', locale, { pccc: maskPersonalText(pccc), code }),
    });
    return { sentTo };
  }

  /** Step 2 of linking: the code from the contact on file proves the PCCC is the consumer's. */
  async confirmLink(actor: Actor | undefined, pccc: string, code: string): Promise<PcccStatus> {
    const consumer = requireConsumer(actor, 'portal.link_pccc');
    const now = this.clock();
    const invalid = () =>
      new PortalError('link_code_invalid', 'The code is wrong or has expired; ask for a new one');
    const live = await this.repository.liveLinkCode(consumer.accountId, pccc, now);
    if (!live || live.attempts >= LINK_CODE_ATTEMPTS) throw invalid();
    const expected = Buffer.from(live.code_hash, 'hex');
    const given = Buffer.from(this.codeHash(code.trim(), consumer.accountId, pccc), 'hex');
    if (expected.length !== given.length || !timingSafeEqual(expected, given)) {
      await this.repository.countLinkAttempt(live.id);
      throw invalid();
    }
    if (!(await this.repository.consumeCodeAndLink(live.id, consumer.accountId, pccc, now)))
      throw new PortalError('pccc_already_linked', 'This PCCC is linked to another account');
    await recordAudit(this.audit, {
      actor: consumer,
      action: 'portal.pccc_linked',
      subject: `account:${consumer.accountId}`,
    });
    return this.status(consumer);
  }

  async status(actor: Actor | undefined): Promise<PcccStatus> {
    const consumer = requireConsumer(actor, 'portal.pccc_status');
    const link = await this.repository.linkOfAccount(consumer.accountId);
    if (!link)
      return {
        pccc: null,
        linked: false,
        expiresOn: null,
        renewalDue: false,
        listClearanceSuspended: false,
        suspensions: [],
        addresses: [],
        maxAddresses: MAX_DELIVERY_ADDRESSES,
      };
    const [entry, suspensions, addresses] = await Promise.all([
      this.repository.registryEntry(link.pccc),
      this.repository.suspensions(link.pccc),
      this.repository.addresses(link.pccc),
    ]);
    const renewalFrom = new Date(this.clock().getTime() + RENEWAL_NOTICE_DAYS * 86_400_000)
      .toISOString()
      .slice(0, 10);
    return {
      pccc: link.pccc,
      linked: true,
      expiresOn: entry?.expires_on ?? null,
      renewalDue: entry ? entry.expires_on <= renewalFrom : false,
      listClearanceSuspended: suspensions.length > 0,
      suspensions: suspensions.map((row) => ({
        source: row.source,
        since: new Date(row.suspended_at).toISOString(),
      })),
      addresses: addresses.map(addressView),
      maxAddresses: MAX_DELIVERY_ADDRESSES,
    };
  }

  /** The holder suspends list clearance under their code (e.g. after losing it). */
  async suspend(actor: Actor | undefined): Promise<PcccStatus> {
    const { consumer, pccc } = await requireLinkedPccc(this.repository, actor, 'portal.suspend');
    await this.repository.transaction(async (tx) => {
      await this.repository.suspend(tx, { pccc, source: 'holder', by: describeActor(consumer) });
      await recordAudit(
        this.audit,
        { actor: consumer, action: 'portal.pccc_suspended', subject: `account:${consumer.accountId}` },
        tx,
      );
    });
    return this.status(consumer);
  }

  /**
   * The holder lifts suspension: their own, and one that came from misuse reports once officers have
   * worked every report (while a report is open, list clearance stays suspended).
   */
  async lift(actor: Actor | undefined): Promise<PcccStatus> {
    const { consumer, pccc } = await requireLinkedPccc(this.repository, actor, 'portal.lift_suspension');
    await this.repository.transaction(async (tx) => {
      await this.repository.lift(tx, pccc, 'holder');
      if ((await this.repository.openReportsOf(tx, pccc)) === 0)
        await this.repository.lift(tx, pccc, 'misuse_report');
      await recordAudit(
        this.audit,
        {
          actor: consumer,
          action: 'portal.pccc_suspension_lifted',
          subject: `account:${consumer.accountId}`,
        },
        tx,
      );
    });
    return this.status(consumer);
  }

  /** Which of these codes have list clearance suspended: clearance asks before assessing (main.ts). */
  suspendedAmong(pcccs: readonly string[]): Promise<Set<string>> {
    return this.repository.suspendedAmong(pcccs);
  }

  /** One step: the parcels go to officers with the statement, and list clearance under the code stops. */
  async reportMisuse(
    actor: Actor | undefined,
    report: { parcelIds: number[]; statement: string },
  ): Promise<MisuseReportView> {
    const { consumer, pccc } = await requireLinkedPccc(this.repository, actor, 'portal.report_misuse');
    const parcelIds = [...new Set(report.parcelIds)];
    for (const parcelId of parcelIds) {
      const parcel = await this.parcels.parcel(parcelId);
      if (!parcel || parcel.pccc !== pccc)
        throw new PortalError('not_your_parcel', `No parcel ${parcelId} under your code`).answeredAs(
          'parcel_not_found',
        );
    }
    const row = await this.repository.transaction(async (tx) => {
      const inserted = await this.repository.insertMisuseReport(tx, {
        pccc,
        accountId: consumer.accountId,
        parcelIds,
        statement: report.statement.trim(),
      });
      await this.repository.suspend(tx, {
        pccc,
        source: 'misuse_report',
        reportId: inserted.id,
        by: describeActor(consumer),
      });
      await recordAudit(
        this.audit,
        {
          actor: consumer,
          action: 'portal.misuse_reported',
          subject: `misuse_report:${inserted.id}`,
          details: { parcelIds },
        },
        tx,
      );
      return inserted;
    });
    return reportView(row);
  }

  async myReports(actor: Actor | undefined): Promise<MisuseReportView[]> {
    const { pccc } = await requireLinkedPccc(this.repository, actor, 'portal.list_reports');
    return (await this.repository.misuseReports({ pccc, limit: 200 })).map(reportView);
  }

  // Officers

  async listReports(
    actor: Actor | undefined,
    status: MisuseReportRow['status'] | undefined,
  ): Promise<(MisuseReportView & { pccc: string })[]> {
    requireCaseOfficer(actor);
    return (await this.repository.misuseReports({ status, limit: 500 })).map((row) => ({
      ...reportView(row),
      pccc: row.pccc,
    }));
  }

  /**
   * An officer's finding: confirmed misuse keeps list clearance suspended until the holder lifts it;
   * a dismissed report lifts the suspension it caused unless other reports are still open.
   */
  async decideReport(
    actor: Actor | undefined,
    reportId: number,
    decision: { status: 'confirmed' | 'dismissed'; note: string },
  ): Promise<MisuseReportView> {
    requireCaseOfficer(actor);
    const report = await this.repository.misuseReport(reportId);
    if (!report) throw new PortalError('report_not_found', `No misuse report ${reportId}`);
    await this.repository.transaction(async (tx) => {
      const worked = await this.repository.workMisuseReport(tx, reportId, {
        ...decision,
        note: decision.note.trim(),
        by: describeActor(actor!),
        at: this.clock(),
      });
      if (!worked)
        throw new PortalError('report_already_worked', `Misuse report ${reportId} was already worked`);
      if (decision.status === 'dismissed' && (await this.repository.openReportsOf(tx, report.pccc)) === 0)
        await this.repository.lift(tx, report.pccc, 'misuse_report');
      await recordAudit(
        this.audit,
        {
          actor: actor!,
          action: 'portal.misuse_report_decided',
          subject: `misuse_report:${reportId}`,
          details: { status: decision.status },
        },
        tx,
      );
    });
    return reportView((await this.repository.misuseReport(reportId))!);
  }

  // Delivery addresses

  async addAddress(actor: Actor | undefined, input: { label: string; address: string }): Promise<PcccStatus> {
    const { consumer, pccc } = await requireLinkedPccc(this.repository, actor, 'portal.add_address');
    const added = await this.repository.addAddress(
      {
        pccc,
        label: input.label.trim(),
        address: input.address.trim(),
        addressKey: this.addressKey(input.address),
      },
      MAX_DELIVERY_ADDRESSES,
    );
    if (added === 'limit')
      throw new PortalError(
        'address_limit_reached',
        `Up to ${MAX_DELIVERY_ADDRESSES} delivery addresses can be registered; remove one first`,
      );
    return this.status(consumer);
  }

  async removeAddress(actor: Actor | undefined, id: number): Promise<PcccStatus> {
    const { consumer, pccc } = await requireLinkedPccc(this.repository, actor, 'portal.remove_address');
    if (!(await this.repository.removeAddress(pccc, id)))
      throw new PortalError('address_not_found', `No delivery address ${id}`);
    return this.status(consumer);
  }

  /**
   * Told of newly stored parcels (intake.stored): the holder of a linked code with registered addresses
   * is mailed when a parcel under the code is declared for delivery elsewhere. A notice is recorded
   * before it is sent and forgotten if sending fails, so a redelivered event mails once.
   */
  async onParcelsStored(parcelIds: readonly number[]): Promise<void> {
    // Codes first, then holders and addresses, each one read for the whole batch; the declarations only
    // of the parcels whose code has a holder to mail: under load the worker meets every parcel here, and
    // almost none has one.
    const pcccs = await this.parcels.pcccsOfParcels(parcelIds);
    if (pcccs.size === 0) return;
    const holders = new Map<string, { email: string | null }>();
    for (const holder of await this.repository.linkedHolders([...new Set(pcccs.values())]))
      if (!holders.has(holder.pccc)) holders.set(holder.pccc, holder);
    const mailable = [...holders].filter(([, holder]) => holder.email).map(([pccc]) => pccc);
    const addressesOf = await this.repository.addressesOfCodes(mailable);
    const toCheck = [...pcccs].filter(([, pccc]) => addressesOf.has(pccc)).map(([parcelId]) => parcelId);
    if (toCheck.length === 0) return;
    const parcels = await this.parcels.parcels(toCheck);
    for (const parcel of parcels) {
      const parcelId = parcel.id;
      const email = holders.get(parcel.pccc!)!.email!;
      const addresses = addressesOf.get(parcel.pccc!)!;
      const addressee = parcel.addressee as { street?: string; city?: string };
      const declared = this.addressKey([addressee.street, addressee.city].filter(Boolean).join(', '));
      if (addresses.some((address) => address.address_key === declared)) continue;
      if (!(await this.repository.recordNotice(parcelId, 'unregistered_address', parcel.pccc!))) continue;
      try {
        await this.mail.send({
          to: email,
          subject: say('mail.address.subject', 'ko') + ' / ' + say('mail.address.subject', 'en'),
          text: [
            say('mail.address.text', 'ko', this.noticeParams(parcel)),
            say('mail.address.text', 'en', this.noticeParams(parcel)),
          ].join('\n'),
        });
      } catch (error) {
        await this.repository.forgetNotice(parcelId, 'unregistered_address');
        throw error;
      }
    }
  }

  /**
   * Mails the holder of every linked code that expires within RENEWAL_NOTICE_DAYS, once per expiry
   * date, at the contact on file. The scheduler runs it every hour as the system (cli/serve.command.ts);
   * administrators may run it at once. A reminder is claimed before it is sent and given back if the
   * mail fails, so no round mails twice and a failed one is tried again.
   */
  async sendRenewalReminders(actor: Actor): Promise<{ reminded: number }> {
    assertAdministrator(actor);
    const now = this.clock().getTime();
    const day = (offsetDays: number) => new Date(now + offsetDays * 86_400_000).toISOString().slice(0, 10);
    let reminded = 0;
    for (const entry of await this.repository.codesToRemind({
      from: day(0),
      until: day(RENEWAL_NOTICE_DAYS),
    })) {
      if (!entry.email) continue;
      if (!(await this.repository.claimReminder(entry.pccc, entry.expires_on))) continue;
      const params = { date: entry.expires_on };
      try {
        await this.mail.send({
          to: entry.email,
          subject: (['ko', 'en', 'fr'] as const)
            .map((locale) => say('mail.renewal.subject', locale, params))
            .join(' / '),
          text: (['ko', 'en', 'fr'] as const)
            .map((locale) => say('mail.renewal.text', locale, params))
            .join('\n'),
        });
      } catch (error) {
        await this.repository.releaseReminder(entry.pccc, entry.renewal_reminded_for);
        throw error;
      }
      reminded += 1;
    }
    return { reminded };
  }

  private noticeParams(parcel: { trackingNumber: string; carrierCode: string }) {
    return { tracking: parcel.trackingNumber, carrier: parcel.carrierCode, url: this.settings.publicUrl };
  }

  private codeHash(code: string, accountId: string, pccc: string): string {
    return createHmac('sha256', this.settings.secret)
      .update(`portal-link:${accountId}:${pccc}:${code}`)
      .digest('hex');
  }
}

function addressView(row: AddressRow) {
  return { id: Number(row.id), label: row.label, address: row.address };
}

function reportView(row: MisuseReportRow): MisuseReportView {
  return {
    id: Number(row.id),
    parcelIds: row.parcel_ids,
    statement: row.statement,
    status: row.status,
    officerNote: row.officer_note,
    createdAt: new Date(row.created_at).toISOString(),
    workedAt: row.worked_at ? new Date(row.worked_at).toISOString() : null,
  };
}
