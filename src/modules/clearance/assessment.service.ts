import { historyLine } from './domain/clearance-messages.js';
import { describeActor, systemActor, type Actor } from '../../platform/auth/actor.js';
import type { AuditTrail } from '../../platform/auth/audit-trail.js';
import type { DeclaredParcelFacts } from '../intake/index.js';
import { recordAudit, requireOfficer, requireParcelRow } from './clearance.access.js';
import { ClearanceError } from './clearance.errors.js';
import {
  clearanceRecordOf,
  readParcel,
  readParcels,
  taxableOf,
  type ParcelSource,
} from './clearance.parcel-input.js';
import { previewBodyToParcel, type PreviewExtras } from './clearance.preview-input.js';
import type { ClearanceParcelRow, ClearanceRepository, StoredAssessment } from './clearance.repository.js';
import { toAssessmentView, type AssessmentView } from './clearance.views.js';
import { ExchangeRateFileError, exchangeRateRowsOfCsv } from './adapters/exchange-rate-file.js';
import type { ClearanceRules } from './domain/clearance-rules.js';
import { multiplyDecimals, parseDecimal, roundToWon } from './domain/decimal-amount.js';
import { ExchangeRateTable, validateExchangeRates } from './domain/exchange-rate-table.js';
import { describeCase, missingRateCase, type AdditionalTaxCase } from './domain/officer-cases.js';
import {
  MissingExchangeRateError,
  TaxCalculator,
  type TaxableParcel,
  type TaxAssessment,
} from './domain/tax-assessment.js';
import { findParcelGroups, MAX_GROUP } from './parcel-groups.js';

/**
 * Port: which PCCCs have list clearance suspended (the portal, through main.ts: clearance cannot depend
 * on the consumers' module). Without it no code is suspended.
 */
export type SuspendedPcccSource = (pcccs: readonly string[]) => Promise<Set<string>>;

/** A parcel of a take-in batch: its facts, its clearance record and its assessment on its own. */
interface TakeIn {
  parcelId: number;
  parcel: DeclaredParcelFacts;
  record: ReturnType<typeof clearanceRecordOf>;
  alone: boolean;
  first?: { stored: StoredAssessment; reason: string; missingRate?: ClearanceError };
}
/** Weekly rates change once a week: a short cache saves a query per parcel during big imports. */
const RATE_CACHE_MS = 60_000;
/** States in which an assessment may still change; after release a change is a case for an officer. */
const OPEN_STATES = ['received', 'assessed', 'held'];

/**
 * Assessment: list clearance, customs value, duty and VAT of a parcel, alone or with the parcels it must
 * be taxed with; the weekly exchange rates it needs; and the hold that waits for a missing week of rates.
 */
export class AssessmentService {
  private readonly calculator: TaxCalculator;
  private readonly rateTables = new Map<string, { table: ExchangeRateTable; loadedAt: number }>();

  constructor(
    private readonly repository: ClearanceRepository,
    private readonly parcels: ParcelSource,
    readonly rules: ClearanceRules,
    private readonly audit: AuditTrail | undefined,
    private readonly log: (message: string, detail?: unknown) => void,
    private readonly suspendedPcccs: SuspendedPcccSource = async () => new Set(),
  ) {
    this.calculator = new TaxCalculator(rules);
  }

  /** Assesses a parcel given in the intake JSON shape; stores nothing. Any signed-in caller may ask. */
  async preview(actor: Actor, body: unknown, extras: PreviewExtras): Promise<AssessmentView> {
    void actor;
    for (const [field, value] of Object.entries(extras)) {
      if (value !== undefined && field !== 'rateDate' && !/^\d+(\.\d{1,2})?$/.test(value)) {
        throw new ClearanceError(
          'invalid_request',
          `${field} must be a non-negative amount with at most 2 decimals`,
          {
            fieldErrors: [
              { path: `query/${field}`, value, rule: 'money', message: 'must be a non-negative amount' },
            ],
          },
        );
      }
    }
    const parsed = previewBodyToParcel(body, extras);
    if (!parsed.ok)
      throw new ClearanceError(
        'invalid_request',
        `The parcel is invalid: ${parsed.errors
          .slice(0, 5)
          .map((error) => `${error.path || '(root)'} ${error.message}`)
          .join('; ')}`,
        { fieldErrors: parsed.errors },
      );
    return toAssessmentView(await this.assessTaxable([parsed.parcel]));
  }

  /** Assesses parcels together (one parcel: alone); a missing weekly rate is a 422 that names the week. */
  async assessTaxable(unmarked: TaxableParcel[], known?: ReadonlySet<string>): Promise<TaxAssessment> {
    // The suspended codes, unless the caller asked for its whole batch at once.
    const suspended =
      known ?? (await this.suspendedPcccs(unmarked.flatMap((parcel) => (parcel.pccc ? [parcel.pccc] : []))));
    const parcels = unmarked.map((parcel) =>
      parcel.pccc && suspended.has(parcel.pccc) ? { ...parcel, pcccSuspended: true } : parcel,
    );
    const dates = parcels.map((parcel) => parcel.rateDate).sort();
    const table = await this.ratesFor(dates[0]!, dates[dates.length - 1]!);
    try {
      return parcels.length === 1
        ? this.calculator.assess(parcels[0]!, table)
        : this.calculator.assessTogether(parcels, table);
    } catch (error) {
      if (error instanceof MissingExchangeRateError) {
        const missing = missingRateCase(error.currency, error.date);
        throw new ClearanceError('exchange_rate_missing', describeCase(missing, 'en'), {
          currency: missing.currency,
          date: missing.date,
          weekStarting: missing.weekStarting,
          isoWeek: missing.isoWeek,
        });
      }
      throw error;
    }
  }

  /**
   * Takes newly stored parcels into clearance (state `received`) and assesses them. Wired to intake's
   * `onStored` (in the background, at least once: a parcel already taken in is only re-assessed);
   * failures are kept on the parcel (`assessmentError`) or logged, and never stop the other parcels.
   * The batch's records are written in one statement, those that stand alone already assessed (a few
   * statements per batch, not per parcel: the worker's cost under load); parcels that may be taxed
   * together with others are then assessed one by one, in order, so that each sees the partners taken in
   * before it.
   */
  async takeInParcels(parcelIds: readonly number[]): Promise<void> {
    // A failure that is not the parcel's own (the database restarting, a lost connection) fails the
    // delivery once the other parcels are done, so that the event comes back; logged and dropped, it
    // left the parcel out of clearance for good (the resilience suite lost 184 of 20,000 that way).
    let notTheParcels: unknown;
    const failed = (parcelId: number, error: unknown) => {
      this.log('clearance could not take in a parcel', { parcelId, error: (error as Error).message });
      if (!isTheParcelsOwnFailure(error)) notTheParcels ??= error;
    };
    // One read for the batch: intake's parcel facts, as targeting reads them.
    const parcels = new Map(
      (await this.parcels.loadDeclaredParcels(parcelIds)).map((facts) => [facts.parcelId, facts]),
    );
    const entries: TakeIn[] = [];
    for (const parcelId of parcelIds) {
      const parcel = parcels.get(parcelId);
      if (!parcel) {
        this.log('clearance could not take in a parcel', { parcelId, error: `No parcel ${parcelId}` });
        continue;
      }
      const record = clearanceRecordOf(parcel);
      // A parcel with no combined-taxation key stands alone: it is stored already assessed.
      const alone =
        record.importerKey === null ||
        (record.splitFromWaybill === null && (record.sellerKey === null || record.purchaseDate === null));
      entries.push({ parcelId, parcel, record, alone });
    }
    // The batch's suspended codes in one question, then every first assessment in memory.
    const suspended = await this.suspendedPcccs([
      ...new Set(entries.flatMap((entry) => (entry.record.pccc ? [entry.record.pccc] : []))),
    ]);
    for (const entry of entries) entry.first = await this.firstAssessment(entry.parcel, suspended);
    const created = await this.createRecords(entries, failed);
    for (const { parcelId, parcel, alone, first } of entries) {
      if (!alone) continue;
      try {
        if (!created.has(parcelId)) {
          // Taken in before (a redelivered event): only re-assessed; a failed insert was logged.
          if (!created.failed.has(parcelId)) await this.assessStored(systemActor, parcelId, parcel);
        } else if (first?.missingRate) await this.holdForRates(parcelId, first.missingRate);
      } catch (error) {
        failed(parcelId, error);
      }
    }
    // Parcels that may be taxed with others: most have no stored partner (asked once for the batch, after
    // their own records are committed, so that of two partners taken in at once the later sees the
    // earlier), and are assessed alone in one statement. The others are assessed one by one, in order,
    // with their group, so that each sees the partners taken in before it.
    const mayGroup = entries.filter((entry) => !entry.alone && !created.failed.has(entry.parcelId));
    let assessedAlone = new Set<number>();
    try {
      const partnered = await this.repository.parcelsWithPartners(
        mayGroup.filter((entry) => created.has(entry.parcelId)).map((entry) => entry.parcelId),
      );
      assessedAlone = await this.repository.saveFirstAssessments(
        mayGroup.flatMap(({ parcelId, first }) =>
          created.has(parcelId) && !partnered.has(parcelId) && first && first.stored.assessmentError === null
            ? [{ parcelId, stored: first.stored, reason: first.reason }]
            : [],
        ),
        'system',
      );
    } catch (error) {
      // Assessed one by one below instead; a lost connection fails them there as well.
      this.log('clearance could not assess a batch alone', { error: (error as Error).message });
    }
    for (const { parcelId, parcel } of mayGroup.filter((entry) => !assessedAlone.has(entry.parcelId))) {
      try {
        await this.assessStored(systemActor, parcelId, parcel);
      } catch (error) {
        failed(parcelId, error);
      }
    }
    if (notTheParcels !== undefined) throw notTheParcels;
  }

  /**
   * The batch's clearance records in one statement; when one parcel's own record is refused (a
   * constraint), each is written alone so that only that parcel fails.
   */
  private async createRecords(
    entries: readonly TakeIn[],
    failed: (parcelId: number, error: unknown) => void,
  ): Promise<Set<number> & { failed: Set<number> }> {
    // Parcels that may be taxed with others are stored `received`: their group decides their assessment.
    const toRecord = (entry: TakeIn) => ({
      parcel: entry.record,
      first: entry.alone ? entry.first : undefined,
    });
    const refused = new Set<number>();
    try {
      return Object.assign(await this.repository.createParcels(entries.map(toRecord), 'system'), {
        failed: refused,
      });
    } catch (error) {
      if (!isTheParcelsOwnFailure(error) || entries.length === 1) {
        for (const entry of entries) {
          failed(entry.parcelId, error);
          refused.add(entry.parcelId);
        }
        return Object.assign(new Set<number>(), { failed: refused });
      }
    }
    const created = new Set<number>();
    for (const entry of entries) {
      try {
        for (const id of await this.repository.createParcels([toRecord(entry)], 'system')) created.add(id);
      } catch (error) {
        failed(entry.parcelId, error);
        refused.add(entry.parcelId);
      }
    }
    return Object.assign(created, { failed: refused });
  }

  private async firstAssessment(
    parcel: DeclaredParcelFacts,
    suspended: ReadonlySet<string>,
  ): Promise<{ stored: StoredAssessment; reason: string; missingRate?: ClearanceError }> {
    const taxable = taxableOf(parcel);
    try {
      const assessment = await this.assessTaxable([taxable], suspended);
      return {
        stored: await this.storedAssessment(assessment, taxable, assessment.totalTaxKrw),
        reason: assessmentReason(assessment),
      };
    } catch (error) {
      if (!(error instanceof ClearanceError)) throw error;
      return {
        stored: failedAssessment(error),
        reason: '',
        missingRate: error.code === 'exchange_rate_missing' ? error : undefined,
      };
    }
  }

  private async storedAssessment(
    assessment: TaxAssessment,
    own: TaxableParcel,
    ownTaxKrw: bigint,
    ownAssessment: TaxAssessment = assessment,
  ): Promise<StoredAssessment> {
    return {
      goodsPriceKrw: ownAssessment.goodsPriceKrw,
      limitKrw: await this.limitKrw(own),
      listClearance: assessment.listClearance,
      taxable: assessment.taxable,
      totalTaxKrw: ownTaxKrw,
      assessment: toAssessmentView(assessment),
      assessmentError: null,
    };
  }

  /** (Re-)assesses a stored parcel with the parcels it must be taxed with; targeting analysts and the system. */
  async assessParcel(actor: Actor, parcelId: number): Promise<void> {
    requireOfficer(actor, 'targeting_analyst');
    if (await this.repository.findParcel(parcelId)) return this.assessStored(actor, parcelId);
    // A parcel stored before clearance was listening (or while it failed) is taken in on demand.
    await readParcel(this.parcels, parcelId);
    await this.takeInParcels([parcelId]);
    await requireParcelRow(this.repository, parcelId);
  }

  /**
   * Assesses a stored parcel with its combined-taxation group: over the limit, every open member is
   * re-assessed as part of the group; a member already released is never changed, an officer gets an
   * additional-tax case instead. A missing weekly rate holds the parcel with a case to load it.
   */
  async assessStored(actor: Actor, parcelId: number, known?: DeclaredParcelFacts): Promise<void> {
    const row = await requireParcelRow(this.repository, parcelId);
    // A released parcel is assessed only to find what its group owes beyond its release (a case, never a change).
    if (!OPEN_STATES.includes(row.state) && row.state !== 'released') return;
    const parcel = known ?? (await readParcel(this.parcels, parcelId));
    const { group } = await findParcelGroups(this.repository, row, { signals: false });
    const partnerIds = (group?.parcelIds ?? []).filter((id) => id !== parcelId).slice(0, MAX_GROUP - 1);
    const partners = await readParcels(this.parcels, partnerIds);
    let assessment: TaxAssessment;
    let members = [parcel];
    try {
      assessment = await this.assessTaxable([taxableOf(parcel)]);
      if (partners.length > 0) {
        const together = await this.assessTaxable([parcel, ...partners].map(taxableOf));
        // Combined taxation only bites when the sum is over the limit; under it each parcel stands alone.
        if (together.reasons.some((reason) => reason.code === 'over_list_clearance_limit')) {
          assessment = together;
          members = [parcel, ...partners];
        }
      }
    } catch (error) {
      if (!(error instanceof ClearanceError)) throw error;
      await this.repository.saveAssessment(parcelId, failedAssessment(error));
      if (error.code === 'exchange_rate_missing' && row.state === 'received')
        await this.holdForRates(parcelId, error);
      return;
    }
    const memberIds = members.map((member) => member.parcelId);
    for (const member of members) {
      const memberRow =
        member.parcelId === parcelId ? row : await this.repository.findParcel(member.parcelId);
      if (!memberRow) continue;
      // Everything is computed before the transaction: the embedded database has a single connection.
      const own = taxableOf(member);
      const ownAssessment = members.length === 1 ? assessment : await this.assessTaxable([own]);
      const memberTax = taxOfMember(assessment, own.reference);
      if (!OPEN_STATES.includes(memberRow.state)) {
        if (
          memberRow.state === 'released' &&
          members.length > 1 &&
          memberTax > BigInt(memberRow.total_tax_krw ?? 0)
        )
          await this.openAdditionalTaxCase(memberRow, {
            kind: 'additional_tax',
            groupParcelIds: memberIds,
            triggers: group?.triggers ?? [],
            goodsPriceKrw: Number(assessment.goodsPriceKrw),
            limitKrw: Number(group?.limitKrw ?? 0n),
            additionalTaxKrw: Number(memberTax - BigInt(memberRow.total_tax_krw ?? 0)),
          });
        continue;
      }
      const stored = await this.storedAssessment(assessment, own, memberTax, ownAssessment);
      const reason =
        members.length > 1
          ? historyLine('history.combined', { parcels: memberIds.join(', ') })
          : assessmentReason(assessment);
      await this.repository.transaction(async (tx) => {
        await this.repository.saveAssessment(member.parcelId, stored, tx);
        const by = describeActor(actor);
        if (memberRow.state === 'received')
          await this.repository.transition(tx, member.parcelId, 'received', 'assessed', by, reason);
        else if (memberRow.state === 'assessed')
          await this.repository.transition(
            tx,
            member.parcelId,
            'assessed',
            'assessed',
            by,
            historyLine('history.reassessed', { outcome: reason }),
          );
      });
    }
  }

  private async openAdditionalTaxCase(row: ClearanceParcelRow, details: AdditionalTaxCase): Promise<void> {
    await this.repository.transaction(async (tx) => {
      if (await this.repository.openCase(tx, row.parcel_id, 'additional_tax', { ...details }))
        await recordAudit(
          this.audit,
          {
            actor: systemActor,
            action: 'clearance.additional_tax_case_opened',
            subject: `parcel:${row.parcel_id}`,
            details: { ...details },
          },
          tx,
        );
    });
  }

  /** Holds a parcel that no loaded weekly rate covers, with a case asking an officer to load that week. */
  private async holdForRates(parcelId: number, error: ClearanceError): Promise<void> {
    const details = error.details as { currency?: string; date?: string } | undefined;
    if (!details?.currency || !details.date) return;
    const missing = missingRateCase(details.currency, details.date);
    await this.repository.transaction(async (tx) => {
      await this.repository.transition(
        tx,
        parcelId,
        'received',
        'held',
        'system',
        historyLine('history.waiting_for_rates', { week: missing.isoWeek, year: missing.isoYear }),
      );
      await this.repository.openCase(tx, parcelId, 'exchange_rate_missing', { ...missing });
    });
  }

  /** Assesses the parcels held for rates once rates are loaded; those now covered become assessed. */
  private async assessParcelsAwaitingRates(actor: Actor): Promise<number> {
    const waiting = await this.repository.listCases({
      status: 'open',
      kind: 'exchange_rate_missing',
      limit: 10_000,
    });
    const by = describeActor(actor);
    let assessed = 0;
    for (const { parcel_id: parcelId } of waiting) {
      try {
        await this.assessStored(actor, parcelId);
        const row = await requireParcelRow(this.repository, parcelId);
        if (row.state !== 'held' || row.assessment_error !== null) continue;
        await this.repository.transaction(async (tx) => {
          if (
            await this.repository.transition(
              tx,
              parcelId,
              'held',
              'assessed',
              by,
              historyLine('history.rates_loaded'),
            )
          )
            await this.repository.closeCases(tx, [parcelId], 'exchange_rate_missing', by, 'rates loaded');
        });
        assessed += 1;
      } catch (error) {
        this.log('clearance could not assess a parcel held for rates', {
          parcelId,
          error: (error as Error).message,
        });
      }
    }
    return assessed;
  }

  /**
   * Every loaded week in memory, for the synchronous conversions of scoring and value checks (a few
   * dozen currencies a week: small). Refreshed at start and whenever rates are loaded.
   */
  private allRates = new ExchangeRateTable([]);

  async refreshRateSnapshot(): Promise<void> {
    this.allRates = new ExchangeRateTable(await this.repository.ratesCovering('1900-01-08', '9999-12-31'));
  }

  /** Won at the customs weekly rate of the date; undefined when that week is not loaded. */
  readonly approximateKrw = (amount: number, currency: string, date: string): number | undefined =>
    this.allRates.approximateKrw(amount, currency, date);

  /** US dollars at the latest loaded weekly rates; undefined when the currency has none. */
  readonly approximateUsd = (amount: number, currency: string): number | undefined =>
    this.allRates.approximateUsd(amount, currency);

  private async ratesFor(from: string, to: string): Promise<ExchangeRateTable> {
    const key = `${from}/${to}`;
    const cached = this.rateTables.get(key);
    if (cached && Date.now() - cached.loadedAt < RATE_CACHE_MS) return cached.table;
    const table = new ExchangeRateTable(await this.repository.ratesCovering(from, to));
    if (this.rateTables.size > 1000) this.rateTables.clear();
    // An empty week is not cached: rates loaded by another process must show at once.
    if (table.size > 0) this.rateTables.set(key, { table, loadedAt: Date.now() });
    return table;
  }

  /** The parcel's own list-clearance limit in won at its weekly USD rate (stored for grouping). */
  private async limitKrw(parcel: TaxableParcel): Promise<bigint> {
    const table = await this.ratesFor(parcel.rateDate, parcel.rateDate);
    const usd = table.rateOn('USD', parcel.rateDate);
    if (!usd) return 0n;
    return roundToWon(
      multiplyDecimals(parseDecimal(this.calculator.listClearanceLimitUsd(parcel)), usd.krwPerOneUnit),
      { mode: 'truncate', unitKrw: 1n },
    );
  }

  // --- exchange rates -------------------------------------------------------------------------------

  /**
   * Loads weekly rates from JSON rows or a CSV table (our header or the customs service's published
   * one; docs/clearance.md), all or nothing; then assesses the parcels that were held waiting for them.
   */
  async loadExchangeRates(
    actor: Actor,
    body: unknown,
    source: string,
  ): Promise<{ loaded: number; weeks: string[]; parcelsAssessed: number }> {
    requireOfficer(actor, 'data_analyst');
    let rows: Record<string, unknown>[];
    if (typeof body === 'string') {
      try {
        rows = exchangeRateRowsOfCsv(body);
      } catch (error) {
        if (error instanceof ExchangeRateFileError)
          throw new ClearanceError('invalid_request', error.message);
        throw error;
      }
    } else if (Array.isArray(body)) rows = body as Record<string, unknown>[];
    else if (body && typeof body === 'object' && Array.isArray((body as { rates?: unknown }).rates))
      rows = (body as { rates: Record<string, unknown>[] }).rates;
    else
      throw new ClearanceError(
        'invalid_request',
        'Send an array of {currency, weekStarting, krwPerUnit, unit?}, {"rates": [...]}, or CSV',
      );
    if (rows.length === 0) throw new ClearanceError('invalid_request', 'The rate file holds no rates');
    const { rates, problems } = validateExchangeRates(rows);
    if (problems.length > 0) {
      throw new ClearanceError(
        'invalid_request',
        `${problems.length} rate rows are invalid; nothing was loaded`,
        {
          fieldErrors: problems.map((problem) => ({
            path: `rates/${problem.row - 1}`,
            value: undefined,
            rule: 'exchange-rate',
            message: problem.message,
            line: problem.row,
          })),
        },
      );
    }
    await this.repository.upsertRates(rates, source, describeActor(actor));
    await this.refreshRateSnapshot();
    this.rateTables.clear();
    const weeks = [...new Set(rates.map((rate) => rate.weekStarting))].sort();
    await recordAudit(this.audit, {
      actor,
      action: 'clearance.exchange_rates_loaded',
      subject: `rates:${weeks[0]}`,
      details: { source, count: rates.length, weeks },
    });
    const parcelsAssessed = await this.assessParcelsAwaitingRates(actor);
    return { loaded: rates.length, weeks, parcelsAssessed };
  }

  async listExchangeRates(actor: Actor, from?: string, to?: string) {
    void actor; // The customs rates are public information; any signed-in caller may read them.
    const rates = await this.repository.listRates(from, to);
    return rates.map((rate) => ({ ...rate, loadedAt: rate.loadedAt.toISOString() }));
  }
}

/** This parcel's share of a (combined) assessment's tax: the tax of its own lines. */
function taxOfMember(assessment: TaxAssessment, reference: string): bigint {
  if (assessment.totalTaxKrw === 0n) return 0n;
  return assessment.lines
    .filter((line) => line.parcel === reference)
    .reduce((sum, line) => sum + line.dutyKrw + line.exciseKrw + line.vatKrw, 0n);
}

function failedAssessment(error: ClearanceError): StoredAssessment {
  return {
    goodsPriceKrw: null,
    limitKrw: null,
    listClearance: null,
    taxable: null,
    totalTaxKrw: null,
    assessment: null,
    assessmentError: error.message,
  };
}

/** The history line of an assessment of one parcel. */
function assessmentReason(assessment: TaxAssessment): string {
  return assessment.listClearance
    ? historyLine('history.list_clearance')
    : assessment.taxable
      ? historyLine('history.formal_taxed', { taxKrw: Number(assessment.totalTaxKrw) })
      : historyLine('history.formal_untaxed');
}

/** The parcel's own failure (kept or logged, never retried): clearance refused it, or the database refused its data (SQLSTATE classes 22, 23). */
function isTheParcelsOwnFailure(error: unknown): boolean {
  if (error instanceof ClearanceError) return true;
  const code = (error as { code?: unknown } | null)?.code;
  return typeof code === 'string' && /^2[23]/.test(code);
}
