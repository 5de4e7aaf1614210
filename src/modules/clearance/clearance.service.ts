import { randomBytes } from 'node:crypto';
import { parse as parseCsv } from 'csv-parse/sync';
import pMap from 'p-map';
import {
  describeActor,
  isOfficer,
  systemActor,
  type Actor,
  type OfficerRole,
} from '../../platform/auth/actor.js';
import type { AuditTrail } from '../../platform/auth/audit-trail.js';
import { CommonError } from '../../platform/errors/module-error.js';
import type { EventOutbox } from '../../platform/events/event-outbox.js';
import { defineTopic } from '../../platform/events/topic.js';
import type { ParcelView } from '../intake/index.js';
import { ClearanceError } from './clearance.errors.js';
import { parcelViewToTaxable, previewBodyToParcel, type PreviewExtras } from './clearance.preview-input.js';
import type {
  ClearanceDb,
  ClearanceParcelRow,
  ClearanceRepository,
  NewClearanceParcel,
  NewNotification,
  NotificationRow,
  StoredAssessment,
} from './clearance.repository.js';
import { inspectionStatistics } from './clearance.repository.js';
import { toAssessmentView, type AssessmentView } from './clearance.views.js';
import { normaliseAddress } from './domain/address-normalisation.js';
import type { ClearanceRules } from './domain/clearance-rules.js';
import {
  allocateByWeight,
  formatDecimal,
  multiplyDecimals,
  parseDecimal,
  rescale,
  roundToWon,
} from './domain/decimal-amount.js';
import { ExchangeRateTable, validateExchangeRates } from './domain/exchange-rate-table.js';
import {
  labelOfOutcome,
  SEIZURE_LABEL,
  type InspectionLabel,
  type InspectionOutcome,
  type SeizureCategory,
} from './domain/inspection-outcome.js';
import { analyseParcelGrouping } from './domain/parcel-grouping.js';
import { checkTransition, type ParcelState, type ParcelTransition } from './domain/parcel-lifecycle.js';
import {
  MissingExchangeRateError,
  TaxCalculator,
  type TaxableParcel,
  type TaxAssessment,
} from './domain/tax-assessment.js';

/** Port: how clearance reads parcels (the composition root passes intake's `getParcel` as the system). */
export interface ParcelSource {
  getParcel(parcelId: number): Promise<ParcelView>;
}

/** A training label for the risk model: the outcome of one inspection of one declaration. */
export interface InspectionLabelRecord {
  parcelId: number;
  declarationId: number | null;
  fraud: boolean;
  criticalLevel: 0 | 1 | 2;
  /** `clearance_inspection:<id>` */
  source: string;
}

/**
 * Port: the intake module's label store (intake_inspection_outcome). Until the composition root
 * supplies one, labels wait in clearance_inspection (label_delivered_at null) and `deliverPendingLabels`
 * sends them once it exists.
 */
export interface InspectionLabelSink {
  recordInspectionOutcome(label: InspectionLabelRecord): Promise<void>;
}

/** Raised after a carrier reports a delivery address: the address's parcels, for targeting to re-decide. */
export interface AddressReanalysis {
  addressKey: string;
  reportedParcelId: number | null;
  parcelIds: number[];
  /** Distinct PCCCs delivered to the address: several buyers' codes at one door is a splitting sign. */
  distinctPcccs: number;
  goodsPriceKrw: number;
  overLimitIfCombined: boolean;
}
/** Published in the transaction that stores a carrier's delivery reports: targeting re-decides the parcels. */
export const ADDRESS_REANALYSED = defineTopic<AddressReanalysis>('clearance.address-reanalysed');

export interface InspectionInput {
  outcome: InspectionOutcome;
  /** Undervaluation: the true total price paid, in `correctedCurrency` (default: the declared currency). */
  correctedValue?: string;
  correctedCurrency?: string;
  correctedDescription?: string;
  correctedHsCode?: string;
  notes?: string;
}

export interface SeizureInput {
  inspectionId?: number;
  goodsCategory: SeizureCategory;
  goodsDescription: string;
  quantity: string;
  quantityUnit: string;
  concealmentMethod: string;
  route: {
    departureCountry: string;
    transitCountries: string[];
    destinationCountry: string;
    transport?: string;
  };
  parties: {
    role: 'sender' | 'addressee' | 'seller' | 'carrier' | 'other';
    name: string;
    country?: string;
    reference?: string;
  }[];
  images: { kind: 'photo' | 'xray'; reference: string; caption?: string }[];
}

export interface DeliveryReportInput {
  carrier?: string;
  trackingNumber: string;
  deliveredTo: string;
  deliveredAt?: string;
}

export type CarrierRequestKind = 'request_for_information' | 'request_for_amendment';

/** The clearance of one parcel as a caller may see it. */
export interface ParcelClearanceView {
  parcelId: number;
  channel: 'postal' | 'express';
  carrierCode: string;
  trackingNumber: string;
  state: ParcelState;
  assessment: AssessmentView | null;
  assessmentError: string | null;
  history: ParcelTransition[];
  /** Officers only. */
  inspections?: unknown[];
  seizures?: unknown[];
  deliveryAddressKey?: string | null;
}

const NOTIFIED_STATES: Partial<Record<ParcelState, NewNotification['kind']>> = {
  held: 'hold',
  released: 'release',
  seized: 'seizure',
  returned: 'return',
};
const MAX_GROUP = 50;
/** Parcels taken in at once: each waits on a few database round trips, so several overlap well. */
const TAKE_IN_CONCURRENCY = 8;
/** Weekly rates change once a week: a short cache saves a query per parcel during big imports. */
const RATE_CACHE_MS = 60_000;

function actorName(actor: Actor): string {
  return describeActor(actor);
}

/** Clearance use cases: assess, move through the lifecycle, record inspections and seizures, notify carriers. */
export class ClearanceService {
  private readonly calculator: TaxCalculator;
  private readonly rateTables = new Map<string, { table: ExchangeRateTable; loadedAt: number }>();

  readonly rules: ClearanceRules;
  private readonly labels: InspectionLabelSink | undefined;
  private readonly events: EventOutbox;
  private readonly audit: AuditTrail | undefined;
  private readonly log: (message: string, detail?: unknown) => void;

  constructor(
    private readonly repository: ClearanceRepository,
    private readonly parcels: ParcelSource,
    options: {
      rules: ClearanceRules;
      labels?: InspectionLabelSink;
      /** Carries the address re-analyses to targeting. */
      events: EventOutbox;
      audit?: AuditTrail;
      log?: (message: string, detail?: unknown) => void;
    },
  ) {
    this.rules = options.rules;
    this.labels = options.labels;
    this.events = options.events;
    this.audit = options.audit;
    this.log = options.log ?? (() => {});
    this.calculator = new TaxCalculator(options.rules);
  }

  /** Appends to the audit trail inside the caller's transaction, so the entry and the change commit together. */
  private async record(
    actor: Actor,
    action: string,
    subject: string,
    details: Record<string, unknown>,
    transaction?: unknown,
  ): Promise<void> {
    if (this.audit)
      await this.audit.append(
        { actor, action, subject, details },
        transaction === undefined ? {} : { transaction },
      );
  }

  // --- assessment -----------------------------------------------------------------------------------

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

  private async assessTaxable(parcels: TaxableParcel[]): Promise<TaxAssessment> {
    const dates = parcels.map((parcel) => parcel.rateDate).sort();
    const table = await this.ratesFor(dates[0]!, dates[dates.length - 1]!);
    try {
      return parcels.length === 1
        ? this.calculator.assess(parcels[0]!, table)
        : this.calculator.assessTogether(parcels, table);
    } catch (error) {
      if (error instanceof MissingExchangeRateError) {
        throw new ClearanceError(
          'exchange_rate_missing',
          `${error.message}: load the weekly rates first (PUT /api/v1/clearance/exchange-rates)`,
          { currency: error.currency, date: error.date },
        );
      }
      throw error;
    }
  }

  /**
   * Takes newly stored parcels into clearance (state `received`) and assesses them. Wired to intake's
   * `onStored` (in the background, at least once: a parcel already taken in is only re-assessed);
   * failures are kept on the parcel (`assessmentError`) or logged, and never stop the other parcels.
   * Parcels that stand alone are taken in several at a time (each is a few round trips to the
   * database); parcels that may be taxed together with others go one by one, in order, so that each
   * sees the partners taken in before it.
   */
  async takeInParcels(parcelIds: readonly number[]): Promise<void> {
    const grouped: { position: number; parcelId: number; view: ParcelView; record: NewClearanceParcel }[] =
      [];
    await pMap(
      parcelIds,
      async (parcelId, position) => {
        try {
          const view = await this.parcels.getParcel(parcelId);
          const record = clearanceRecordOf(parcelId, view);
          // A parcel with no combined-taxation key stands alone: it is stored already assessed, in one transaction.
          const alone =
            record.splitFromWaybill === null && (record.sellerKey === null || record.purchaseDate === null);
          if (!alone) {
            grouped.push({ position, parcelId, view, record });
            return;
          }
          const created = await this.repository.createParcel(
            record,
            'system',
            await this.firstAssessment(view),
          );
          if (!created) await this.assessStored(systemActor, parcelId, view);
        } catch (error) {
          this.log('clearance could not take in a parcel', { parcelId, error: (error as Error).message });
        }
      },
      { concurrency: TAKE_IN_CONCURRENCY },
    );
    grouped.sort((a, b) => a.position - b.position);
    for (const { parcelId, view, record } of grouped) {
      try {
        await this.repository.createParcel(record, 'system');
        await this.assessStored(systemActor, parcelId, view);
      } catch (error) {
        this.log('clearance could not take in a parcel', { parcelId, error: (error as Error).message });
      }
    }
  }

  private async firstAssessment(view: ParcelView): Promise<{ stored: StoredAssessment; reason: string }> {
    const taxable = parcelViewToTaxable(view);
    try {
      const assessment = await this.assessTaxable([taxable]);
      return {
        stored: {
          goodsPriceKrw: assessment.goodsPriceKrw,
          limitKrw: await this.limitKrw(taxable),
          listClearance: assessment.listClearance,
          taxable: assessment.taxable,
          totalTaxKrw: assessment.totalTaxKrw,
          assessment: toAssessmentView(assessment),
          assessmentError: null,
        },
        reason: assessmentReason(assessment, 1),
      };
    } catch (error) {
      if (!(error instanceof ClearanceError)) throw error;
      return {
        stored: {
          goodsPriceKrw: null,
          limitKrw: null,
          listClearance: null,
          taxable: null,
          totalTaxKrw: null,
          assessment: null,
          assessmentError: error.message,
        },
        reason: '',
      };
    }
  }

  /** (Re-)assesses a stored parcel with the parcels it must be taxed with; targeting analysts and the system. */
  async assessParcel(actor: Actor, parcelId: number): Promise<ParcelClearanceView> {
    this.requireOfficer(actor, 'targeting_analyst');
    if (!(await this.repository.findParcel(parcelId))) {
      // A parcel stored before clearance was listening (or while it failed) is taken in on demand.
      await this.parcels.getParcel(parcelId).catch(() => {
        throw new ClearanceError('parcel_not_tracked', `No parcel ${parcelId}`);
      });
      await this.takeInParcels([parcelId]);
      await this.requireRow(parcelId);
    } else {
      await this.assessStored(actor, parcelId);
    }
    return this.getParcelClearance(actor, parcelId);
  }

  private async assessStored(actor: Actor, parcelId: number, known?: ParcelView): Promise<void> {
    const row = await this.requireRow(parcelId);
    if (!['received', 'assessed', 'held'].includes(row.state)) return;
    const view = known ?? (await this.parcels.getParcel(parcelId));
    const relatedIds = (await this.repository.relatedParcelIds(row)).slice(0, MAX_GROUP - 1);
    const related = await Promise.all(relatedIds.map((id) => this.parcels.getParcel(id)));
    let assessment: TaxAssessment;
    let members = [view];
    try {
      assessment = await this.assessTaxable([parcelViewToTaxable(view)]);
      if (related.length > 0) {
        const together = await this.assessTaxable([view, ...related].map(parcelViewToTaxable));
        // Combined taxation only bites when the sum is over the limit; under it each parcel stands alone.
        if (together.reasons.some((reason) => reason.code === 'over_list_clearance_limit')) {
          assessment = together;
          members = [view, ...related];
        }
      }
    } catch (error) {
      if (!(error instanceof ClearanceError)) throw error;
      await this.repository.saveAssessment(parcelId, {
        goodsPriceKrw: null,
        limitKrw: null,
        listClearance: null,
        taxable: null,
        totalTaxKrw: null,
        assessment: null,
        assessmentError: error.message,
      });
      return;
    }
    const assessmentView = toAssessmentView(assessment);
    for (const member of members) {
      const memberRow = member.id === parcelId ? row : await this.repository.findParcel(member.id);
      if (!memberRow || !['received', 'assessed', 'held'].includes(memberRow.state)) continue;
      // Everything is computed before the transaction: the embedded database has a single connection.
      const own = parcelViewToTaxable(member);
      const ownAssessment = members.length === 1 ? assessment : await this.assessTaxable([own]);
      const ownLimit = await this.limitKrw(own);
      const memberTax =
        assessment.totalTaxKrw === 0n
          ? 0n
          : assessment.lines
              .filter((line) => line.parcel === own.reference)
              .reduce((sum, line) => sum + line.dutyKrw + line.exciseKrw + line.vatKrw, 0n);
      const reason =
        members.length > 1
          ? `assessed with parcels ${members.map((other) => other.id).join(', ')} (combined taxation)`
          : assessmentReason(assessment, 1);
      await this.repository.transaction(async (tx) => {
        await this.repository.saveAssessment(
          member.id,
          {
            goodsPriceKrw: ownAssessment.goodsPriceKrw,
            limitKrw: ownLimit,
            listClearance: assessment.listClearance,
            taxable: assessment.taxable,
            totalTaxKrw: memberTax,
            assessment: assessmentView,
            assessmentError: null,
          },
          tx,
        );
        if (memberRow.state === 'received')
          await this.repository.transition(tx, member.id, 'received', 'assessed', actorName(actor), reason);
        else if (memberRow.state === 'assessed')
          await this.repository.transition(
            tx,
            member.id,
            'assessed',
            'assessed',
            actorName(actor),
            `re-assessed: ${reason}`,
          );
      });
    }
  }

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

  /** Loads weekly rates from JSON rows or CSV text (`currency,weekStarting,krwPerUnit[,unit]`); all or nothing. */
  async loadExchangeRates(actor: Actor, body: unknown, source: string): Promise<{ loaded: number }> {
    this.requireOfficer(actor, 'data_analyst');
    let rows: Record<string, unknown>[];
    if (typeof body === 'string') {
      try {
        rows = parseCsv(body, { columns: true, skip_empty_lines: true, trim: true, bom: true }) as Record<
          string,
          unknown
        >[];
      } catch (error) {
        throw new ClearanceError(
          'invalid_request',
          `The rate file is not valid CSV: ${(error as Error).message}`,
        );
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
    await this.repository.upsertRates(rates, source, actorName(actor));
    this.rateTables.clear();
    await this.record(actor, 'clearance.exchange_rates_loaded', `rates:${rates[0]!.weekStarting}`, {
      source,
      count: rates.length,
      weeks: [...new Set(rates.map((rate) => rate.weekStarting))],
    });
    return { loaded: rates.length };
  }

  async listExchangeRates(actor: Actor, from?: string, to?: string) {
    void actor; // The customs rates are public information; any signed-in caller may read them.
    const rates = await this.repository.listRates(from, to);
    return rates.map((rate) => ({ ...rate, loadedAt: rate.loadedAt.toISOString() }));
  }

  // --- lifecycle ------------------------------------------------------------------------------------

  async getParcelClearance(actor: Actor, parcelId: number): Promise<ParcelClearanceView> {
    const row = await this.requireRow(parcelId);
    const officer = isOfficer(actor);
    if (!officer && !this.isOwnParcel(actor, row))
      throw new ClearanceError('not_your_parcel', `No clearance record for parcel ${parcelId}`).answeredAs(
        'parcel_not_tracked',
      );
    const view: ParcelClearanceView = {
      parcelId,
      channel: row.channel,
      carrierCode: row.carrier_code,
      trackingNumber: row.tracking_number,
      state: row.state as ParcelState,
      assessment: row.assessment as AssessmentView | null,
      assessmentError: row.assessment_error,
      history: await this.repository.history(parcelId),
    };
    if (officer) {
      view.inspections = (await this.repository.inspections(parcelId)).map((inspection) => ({
        ...inspection,
        recorded_at: new Date(inspection.recorded_at).toISOString(),
        label_delivered_at: inspection.label_delivered_at
          ? new Date(inspection.label_delivered_at).toISOString()
          : null,
      }));
      view.seizures = (await this.repository.seizures(parcelId)).map((seizure) => ({
        ...seizure,
        recorded_at: new Date(seizure.recorded_at).toISOString(),
      }));
      view.deliveryAddressKey = row.delivery_address_key;
    }
    return view;
  }

  /** Moves a parcel to another state; refuses illegal moves, checks the role, records who/when/why, notifies the carrier. */
  async transition(
    actor: Actor,
    parcelId: number,
    to: ParcelState,
    reason: string,
  ): Promise<ParcelClearanceView> {
    this.requireOfficer(actor);
    const row = await this.requireRow(parcelId);
    const from = row.state as ParcelState;
    const refusal = checkTransition(from, to, reason, (roles) => isOfficer(actor, ...roles));
    if (refusal?.kind === 'illegal')
      throw new ClearanceError('illegal_transition', refusal.message, { from, to });
    if (refusal?.kind === 'role')
      throw new ClearanceError('role_required', refusal.message, { roles: refusal.roles });
    if (refusal?.kind === 'reason_required') throw new ClearanceError('reason_required', refusal.message);
    if (to === 'assessed' && from !== 'held') {
      // Assessing is computing: the parcel becomes assessed only with an assessment (or keeps the error).
      await this.assessStored(actor, parcelId);
      return this.getParcelClearance(actor, parcelId);
    }
    await this.repository.transaction(async (tx) => {
      if (!(await this.repository.transition(tx, parcelId, from, to, actorName(actor), reason.trim()))) {
        throw new ClearanceError(
          'state_changed',
          `Parcel ${parcelId} changed state meanwhile; reload it and try again`,
        );
      }
      const kind = NOTIFIED_STATES[to];
      if (kind)
        await this.repository.insertNotification(tx, this.notificationFor(row, kind, to, reason.trim()));
      await this.record(
        actor,
        'clearance.state_changed',
        `parcel:${parcelId}`,
        { from, to, reason: reason.trim() },
        tx,
      );
    });
    return this.getParcelClearance(actor, parcelId);
  }

  /** Sends a request for information or amendment to the carrier (ICS2 referral); holds an assessed parcel. */
  async requestFromCarrier(
    actor: Actor,
    parcelId: number,
    kind: CarrierRequestKind,
    message: string,
    fields: string[],
  ): Promise<{ notificationId: number; state: ParcelState }> {
    this.requireOfficer(actor, 'targeting_analyst', 'xray_analyst', 'inspector');
    const row = await this.requireRow(parcelId);
    if (!message.trim())
      throw new ClearanceError('reason_required', 'Say what the carrier must provide or amend');
    let state = row.state as ParcelState;
    const notificationId = await this.repository.transaction(async (tx) => {
      if (state === 'assessed') {
        if (
          !(await this.repository.transition(
            tx,
            parcelId,
            'assessed',
            'held',
            actorName(actor),
            `${kind.replace(/_/g, ' ')}: ${message.trim()}`,
          ))
        ) {
          throw new ClearanceError(
            'state_changed',
            `Parcel ${parcelId} changed state meanwhile; reload it and try again`,
          );
        }
        state = 'held';
      } else if (!['held', 'under_inspection'].includes(state)) {
        throw new ClearanceError(
          'illegal_transition',
          `A parcel that is ${state} cannot be the subject of a ${kind.replace(/_/g, ' ')}`,
        );
      }
      const notification = this.notificationFor({ ...row, state }, kind, state, message.trim());
      await this.record(
        actor,
        'clearance.carrier_request',
        `parcel:${parcelId}`,
        { kind, fields, state },
        tx,
      );
      return this.repository.insertNotification(tx, {
        ...notification,
        payload: { ...notification.payload, fields },
      });
    });
    return { notificationId, state };
  }

  private notificationFor(
    row: ClearanceParcelRow,
    kind: NewNotification['kind'],
    state: ParcelState,
    reason: string,
  ): NewNotification {
    const assessment = row.assessment as AssessmentView | null;
    return {
      carrierCode: row.carrier_code,
      parcelId: row.parcel_id,
      trackingNumber: row.tracking_number,
      kind,
      payload: {
        kind,
        // UPU CUSRSP-like status for posts, ICS2-like referral for express carriers.
        responseCode: {
          hold: 'HOLD',
          request_for_information: 'RFI',
          request_for_amendment: 'RFA',
          release: 'ACCEPTED',
          seizure: 'SEIZED',
          return: 'RETURN',
        }[kind],
        parcelId: row.parcel_id,
        trackingNumber: row.tracking_number,
        carrier: row.carrier_code,
        state,
        reason,
        listClearance: assessment?.listClearance ?? null,
        totalTaxKrw: assessment?.totalTaxKrw ?? null,
        decidedAt: new Date().toISOString(),
      },
    };
  }

  // --- inspections and seizures ---------------------------------------------------------------------

  /** Records what an inspector found; the outcome becomes the parcel's training label. */
  async recordInspection(
    actor: Actor,
    parcelId: number,
    input: InspectionInput,
  ): Promise<{
    inspectionId: number;
    label: InspectionLabel;
    labelDelivered: boolean;
    correctedAssessment: AssessmentView | null;
  }> {
    this.requireOfficer(actor, 'inspector');
    const row = await this.requireRow(parcelId);
    if (!['held', 'under_inspection'].includes(row.state)) {
      throw new ClearanceError(
        'wrong_state_for_inspection',
        `Parcel ${parcelId} is ${row.state}: inspections are recorded while it is held or under inspection`,
      );
    }
    if (input.outcome === 'undervaluation' && input.correctedValue === undefined) {
      throw new ClearanceError('invalid_request', 'An undervaluation needs the corrected value', {
        fieldErrors: [
          {
            path: 'correctedValue',
            value: undefined,
            rule: 'required',
            message: 'is required for an undervaluation',
          },
        ],
      });
    }
    const view = await this.parcels.getParcel(parcelId);
    let corrected: AssessmentView | null = null;
    if (input.outcome === 'undervaluation' && input.correctedValue !== undefined) {
      const taxable = withCorrectedValue(
        parcelViewToTaxable(view),
        input.correctedValue,
        input.correctedCurrency,
      );
      corrected = toAssessmentView(await this.assessTaxable([taxable]));
    }
    const label = labelOfOutcome(input.outcome);
    const inspectionId = await this.repository.transaction(async (tx) => {
      const id = await this.repository.insertInspection(tx, {
        parcel_id: parcelId,
        outcome: input.outcome,
        corrected_value: input.correctedValue ?? null,
        corrected_currency:
          input.correctedValue !== undefined
            ? (input.correctedCurrency ?? view.currency).toUpperCase()
            : null,
        corrected_description: input.correctedDescription ?? null,
        corrected_hs_code: input.correctedHsCode ?? null,
        corrected_assessment: corrected,
        notes: input.notes ?? null,
        inspector: actorName(actor),
        label_fraud: label.fraud,
        label_critical_level: label.criticalLevel,
      });
      await this.record(
        actor,
        'clearance.inspection_recorded',
        `parcel:${parcelId}`,
        { inspectionId: id, outcome: input.outcome, correctedValue: input.correctedValue ?? null },
        tx,
      );
      return id;
    });
    const labelDelivered = await this.deliverLabel(inspectionId, parcelId, view.declarationId, label);
    return { inspectionId, label, labelDelivered, correctedAssessment: corrected };
  }

  /** Records a seizure (WCO CEN fields), moves the parcel to `seized` and alerts the carrier. */
  async recordSeizure(
    actor: Actor,
    parcelId: number,
    input: SeizureInput,
  ): Promise<{ seizureId: number; inspectionId: number }> {
    this.requireOfficer(actor, 'inspector');
    const row = await this.requireRow(parcelId);
    if (!['held', 'under_inspection', 'seized'].includes(row.state)) {
      throw new ClearanceError(
        'wrong_state_for_inspection',
        `Parcel ${parcelId} is ${row.state}: goods are seized while it is held or under inspection`,
      );
    }
    const view = await this.parcels.getParcel(parcelId);
    const existing = await this.repository.inspections(parcelId);
    if (
      input.inspectionId !== undefined &&
      !existing.some((inspection) => inspection.id === input.inspectionId)
    ) {
      throw new ClearanceError(
        'invalid_request',
        `Inspection ${input.inspectionId} is not an inspection of parcel ${parcelId}`,
      );
    }
    const reason = `seizure: ${input.goodsCategory.replace(/_/g, ' ')}, ${input.quantity} ${input.quantityUnit} ${input.goodsDescription}`;
    const { seizureId, inspectionId, createdInspection } = await this.repository.transaction(async (tx) => {
      let inspectionId =
        input.inspectionId ?? existing.find((inspection) => inspection.outcome === 'prohibited_goods')?.id;
      let createdInspection = false;
      if (inspectionId === undefined) {
        // A seizure is a finding of prohibited goods: it is recorded as that inspection outcome.
        inspectionId = await this.repository.insertInspection(tx, {
          parcel_id: parcelId,
          outcome: 'prohibited_goods',
          corrected_value: null,
          corrected_currency: null,
          corrected_description: null,
          corrected_hs_code: null,
          corrected_assessment: null,
          notes: `recorded with the seizure of ${input.goodsDescription}`,
          inspector: actorName(actor),
          label_fraud: SEIZURE_LABEL.fraud,
          label_critical_level: SEIZURE_LABEL.criticalLevel,
        });
        createdInspection = true;
      }
      const seizureId = await this.repository.insertSeizure(tx, {
        parcel_id: parcelId,
        inspection_id: inspectionId,
        goods_category: input.goodsCategory,
        goods_description: input.goodsDescription,
        quantity: input.quantity,
        quantity_unit: input.quantityUnit,
        concealment_method: input.concealmentMethod,
        route: input.route,
        parties: input.parties,
        images: input.images,
        recorded_by: actorName(actor),
      });
      if (row.state !== 'seized') {
        if (
          !(await this.repository.transition(
            tx,
            parcelId,
            row.state as ParcelState,
            'seized',
            actorName(actor),
            reason,
          ))
        ) {
          throw new ClearanceError(
            'state_changed',
            `Parcel ${parcelId} changed state meanwhile; reload it and try again`,
          );
        }
      }
      const notification = this.notificationFor(row, 'seizure', 'seized', reason);
      await this.repository.insertNotification(tx, {
        ...notification,
        payload: {
          ...notification.payload,
          seizure: {
            category: input.goodsCategory,
            description: input.goodsDescription,
            quantity: input.quantity,
            unit: input.quantityUnit,
            concealmentMethod: input.concealmentMethod,
          },
        },
      });
      await this.record(
        actor,
        'clearance.seizure_recorded',
        `parcel:${parcelId}`,
        {
          seizureId,
          inspectionId,
          category: input.goodsCategory,
          quantity: input.quantity,
          unit: input.quantityUnit,
        },
        tx,
      );
      return { seizureId, inspectionId, createdInspection };
    });
    if (createdInspection) await this.deliverLabel(inspectionId, parcelId, view.declarationId, SEIZURE_LABEL);
    return { seizureId, inspectionId };
  }

  private async deliverLabel(
    inspectionId: number,
    parcelId: number,
    declarationId: number | null,
    label: InspectionLabel,
  ): Promise<boolean> {
    if (!this.labels) return false;
    try {
      await this.labels.recordInspectionOutcome({
        parcelId,
        declarationId,
        fraud: label.fraud,
        criticalLevel: label.criticalLevel,
        source: `clearance_inspection:${inspectionId}`,
      });
      await this.repository.markLabel(inspectionId, null);
      return true;
    } catch (error) {
      await this.repository.markLabel(inspectionId, (error as Error).message);
      return false;
    }
  }

  /** Sends the labels that could not be delivered when recorded (no label store yet, or it failed). */
  async deliverPendingLabels(actor: Actor, limit = 1000): Promise<{ delivered: number; pending: number }> {
    this.requireOfficer(actor, 'data_analyst');
    const pending = await this.repository.pendingLabels(limit);
    let delivered = 0;
    for (const inspection of pending) {
      const view = await this.parcels.getParcel(inspection.parcel_id);
      const ok = await this.deliverLabel(inspection.id, inspection.parcel_id, view.declarationId, {
        fraud: inspection.label_fraud,
        criticalLevel: inspection.label_critical_level as 0 | 1 | 2,
      });
      if (ok) delivered += 1;
    }
    return { delivered, pending: pending.length - delivered };
  }

  // --- delivery addresses and anti-splitting --------------------------------------------------------

  /**
   * Takes delivery reports from an express carrier (JSON rows or CSV `trackingNumber,deliveredTo,deliveredAt`),
   * normalises each address, and re-analyses every parcel delivered to it.
   */
  async reportDeliveries(
    actor: Actor,
    body: unknown,
  ): Promise<{ received: number; matched: number; unmatched: string[]; reanalysed: AddressReanalysis[] }> {
    const rows = this.deliveryRows(body);
    const carrierOf = (row: DeliveryReportInput): string => {
      if (actor.kind === 'organisation' && (actor.role === 'carrier' || actor.role === 'postal_operator')) {
        if (row.carrier && row.carrier.toUpperCase() !== actor.organisation.toUpperCase()) {
          throw new ClearanceError(
            'not_your_organisation',
            `You may only report deliveries of ${actor.organisation}`,
          );
        }
        return actor.organisation.toUpperCase();
      }
      if (!isOfficer(actor))
        throw new CommonError(
          'forbidden',
          'Delivery addresses are reported by carriers (or customs officers)',
        );
      if (!row.carrier)
        throw new ClearanceError('invalid_request', 'Say which carrier delivered the parcel (carrier)');
      return row.carrier.toUpperCase();
    };
    const unmatched: string[] = [];
    const touchedKeys = new Map<string, number | null>();
    let matched = 0;
    const carriers = rows.map(carrierOf);
    // The reports and the re-analyses they trigger commit together: none is lost between the two.
    const reanalysed = await this.repository.transaction(async (tx) => {
      for (const [index, row] of rows.entries()) {
        const carrier = carriers[index]!;
        const parcelId =
          (await this.repository.findParcelIdsByTracking(carrier, [row.trackingNumber], tx)).get(
            row.trackingNumber,
          ) ?? null;
        const address = normaliseAddress(row.deliveredTo);
        await this.repository.saveDeliveryReport(tx, {
          carrierCode: carrier,
          trackingNumber: row.trackingNumber,
          parcelId,
          deliveredTo: row.deliveredTo,
          addressKey: address.key,
          deliveredAt: row.deliveredAt ?? null,
          reportedBy: actorName(actor),
        });
        if (parcelId === null) unmatched.push(row.trackingNumber);
        else {
          matched += 1;
          touchedKeys.set(address.key, parcelId);
        }
      }
      const events: AddressReanalysis[] = [];
      for (const [addressKey, reportedParcelId] of touchedKeys) {
        const event = await this.reanalyseAddress(tx, addressKey, reportedParcelId);
        await this.events.publish(tx, ADDRESS_REANALYSED, event);
        events.push(event);
      }
      return events;
    });
    return { received: rows.length, matched, unmatched, reanalysed };
  }

  private async reanalyseAddress(
    tx: ClearanceDb,
    addressKey: string,
    reportedParcelId: number | null,
  ): Promise<AddressReanalysis> {
    const parcels = await this.repository.parcelsDeliveredTo(addressKey, tx);
    const sum = parcels.reduce((total, parcel) => total + (parcel.goodsPriceKrw ?? 0n), 0n);
    const limits = parcels
      .map((parcel) => parcel.limitKrw)
      .filter((limit): limit is bigint => limit !== null && limit > 0n);
    const lowest = limits.length ? limits.reduce((a, b) => (b < a ? b : a)) : null;
    return {
      addressKey,
      reportedParcelId,
      parcelIds: parcels.map((parcel) => parcel.parcelId),
      distinctPcccs: new Set(parcels.map((parcel) => parcel.pccc).filter(Boolean)).size,
      goodsPriceKrw: Number(sum),
      overLimitIfCombined: parcels.length > 1 && lowest !== null && sum > lowest,
    };
  }

  private deliveryRows(body: unknown): DeliveryReportInput[] {
    let raw: unknown[];
    if (typeof body === 'string') {
      try {
        raw = parseCsv(body, { columns: true, skip_empty_lines: true, trim: true, bom: true }) as unknown[];
      } catch (error) {
        throw new ClearanceError(
          'invalid_request',
          `The delivery report is not valid CSV: ${(error as Error).message}`,
        );
      }
    } else raw = Array.isArray(body) ? body : [body];
    if (raw.length === 0 || raw.length > 10_000)
      throw new ClearanceError('invalid_request', 'Send 1 to 10,000 delivery reports');
    const errors: { path: string; value: unknown; rule: string; message: string; line: number }[] = [];
    const rows = raw.map((entry, index) => {
      const record = (entry ?? {}) as Record<string, unknown>;
      const trackingNumber =
        typeof record.trackingNumber === 'string' ? record.trackingNumber.trim().toUpperCase() : '';
      const deliveredTo = typeof record.deliveredTo === 'string' ? record.deliveredTo.trim() : '';
      const deliveredAt =
        typeof record.deliveredAt === 'string' && record.deliveredAt.trim()
          ? record.deliveredAt.trim()
          : undefined;
      if (!trackingNumber)
        errors.push({
          path: `${index}/trackingNumber`,
          value: record.trackingNumber,
          rule: 'required',
          message: 'is required',
          line: index + 1,
        });
      if (!deliveredTo || deliveredTo.length > 500)
        errors.push({
          path: `${index}/deliveredTo`,
          value: record.deliveredTo,
          rule: 'address',
          message: 'must be the delivery address (1 to 500 characters)',
          line: index + 1,
        });
      if (deliveredAt !== undefined && Number.isNaN(Date.parse(deliveredAt)))
        errors.push({
          path: `${index}/deliveredAt`,
          value: deliveredAt,
          rule: 'date-time',
          message: 'must be an ISO 8601 date-time',
          line: index + 1,
        });
      return {
        carrier:
          typeof record.carrier === 'string' && record.carrier.trim() ? record.carrier.trim() : undefined,
        trackingNumber,
        deliveredTo,
        deliveredAt,
      };
    });
    if (errors.length > 0)
      throw new ClearanceError(
        'invalid_request',
        `${errors.length} problems in the delivery report; nothing was stored`,
        { fieldErrors: errors },
      );
    return rows;
  }

  /** Combined-taxation groups and splitting risk clusters among the parcels that arrived between two dates. */
  /** Inspections, frauds found and seizures of a period, for the dashboard; officers only. */
  async inspectionStatistics(actor: Actor, range: { from: string; to: string; utcOffsetMinutes: number }) {
    if (!isOfficer(actor)) throw new CommonError('forbidden', 'Statistics are for customs officers');
    return inspectionStatistics(this.repository.db, range);
  }

  async analyseGrouping(actor: Actor, from: string, to: string) {
    this.requireOfficer(actor, 'targeting_analyst', 'data_analyst');
    const analysis = analyseParcelGrouping(await this.repository.groupingParcels(from, to));
    return {
      combinedGroups: analysis.combinedGroups.map((group) => ({
        ...group,
        goodsPriceKrw: Number(group.goodsPriceKrw),
        limitKrw: Number(group.limitKrw),
      })),
      riskClusters: analysis.riskClusters.map((cluster) => ({
        ...cluster,
        goodsPriceKrw: Number(cluster.goodsPriceKrw),
      })),
    };
  }

  // --- notifications --------------------------------------------------------------------------------

  /** The pull API: a carrier reads its own notifications after a cursor; officers may read any carrier's. */
  async listNotifications(
    actor: Actor,
    options: { after: number; limit: number; carrier?: string; unacknowledgedOnly: boolean },
  ): Promise<{ notifications: ReturnType<typeof notificationView>[]; nextAfter: number }> {
    let carrier: string | null;
    if (isOfficer(actor)) carrier = options.carrier?.toUpperCase() ?? null;
    else if (
      actor.kind === 'organisation' &&
      (actor.role === 'carrier' || actor.role === 'postal_operator')
    ) {
      if (options.carrier && options.carrier.toUpperCase() !== actor.organisation.toUpperCase())
        throw new ClearanceError('not_your_organisation', 'You may only read your own notifications');
      carrier = actor.organisation.toUpperCase();
    } else throw new CommonError('forbidden', 'Notifications are for carriers, posts and customs officers');
    const rows = await this.repository.listNotifications(
      carrier,
      options.after,
      options.limit,
      options.unacknowledgedOnly,
    );
    return {
      notifications: rows.map(notificationView),
      nextAfter: rows.length ? rows[rows.length - 1]!.id : options.after,
    };
  }

  async acknowledgeNotification(actor: Actor, notificationId: number): Promise<void> {
    const row = await this.repository.findNotification(notificationId);
    const own =
      actor.kind === 'organisation' &&
      row !== undefined &&
      row.carrier_code === actor.organisation.toUpperCase();
    if (!row || !(own || actor.kind === 'system'))
      throw new ClearanceError('notification_not_found', `No notification ${notificationId}`);
    await this.repository.acknowledgeNotification(notificationId);
  }

  /** Sets the webhook of a carrier (the carrier itself or an administrator); answers the new signing secret once. */
  async setWebhook(
    actor: Actor,
    carrier: string,
    url: string,
  ): Promise<{ carrier: string; url: string; secret: string }> {
    const code = carrier.toUpperCase();
    const own =
      actor.kind === 'organisation' &&
      (actor.role === 'carrier' || actor.role === 'postal_operator') &&
      actor.organisation.toUpperCase() === code;
    const administrator =
      actor.kind === 'system' || (actor.kind === 'officer' && actor.roles.includes('administrator'));
    if (!own && !administrator)
      throw new ClearanceError(
        'not_your_organisation',
        `Only ${code} or an administrator may set its webhook`,
      );
    let parsed: URL;
    try {
      parsed = new URL(url);
    } catch {
      throw new ClearanceError('invalid_request', 'url must be an absolute https URL');
    }
    if (parsed.protocol !== 'https:' && parsed.protocol !== 'http:')
      throw new ClearanceError('invalid_request', 'url must be an http(s) URL');
    const secret = randomBytes(32).toString('hex');
    await this.repository.upsertWebhook(code, parsed.toString(), secret, actorName(actor));
    await this.record(actor, 'clearance.webhook_set', `carrier:${code}`, { url: parsed.toString() });
    return { carrier: code, url: parsed.toString(), secret };
  }

  // --- helpers --------------------------------------------------------------------------------------

  private requireOfficer(actor: Actor, ...roles: OfficerRole[]): void {
    if (!isOfficer(actor, ...roles)) {
      throw new ClearanceError(
        'role_required',
        roles.length
          ? `This needs a customs officer with the role ${roles.join(' or ')}`
          : 'This needs a customs officer',
        { roles },
      );
    }
  }

  private async requireRow(parcelId: number): Promise<ClearanceParcelRow> {
    const row = await this.repository.findParcel(parcelId);
    if (!row) throw new ClearanceError('parcel_not_tracked', `No clearance record for parcel ${parcelId}`);
    return row;
  }

  private isOwnParcel(actor: Actor, row: ClearanceParcelRow): boolean {
    if (actor.kind === 'organisation')
      return (
        (actor.role === 'carrier' || actor.role === 'postal_operator') &&
        actor.organisation.toUpperCase() === row.carrier_code
      );
    if (actor.kind === 'consumer') return row.pccc !== null && row.pccc === actor.pccc;
    return false;
  }
}

/** The history line of an assessment. */
function assessmentReason(assessment: TaxAssessment, members: number): string {
  if (members > 1) return `assessed with ${members} parcels (combined taxation)`;
  return assessment.listClearance
    ? 'list clearance'
    : assessment.taxable
      ? `formal clearance, tax KRW ${assessment.totalTaxKrw}`
      : 'formal clearance without tax';
}

function notificationView(row: NotificationRow) {
  return {
    id: row.id,
    carrier: row.carrier_code,
    parcelId: row.parcel_id,
    trackingNumber: row.tracking_number,
    kind: row.kind,
    payload: row.payload as Record<string, unknown>,
    createdAt: new Date(row.created_at).toISOString(),
    deliveryStatus: row.delivery_status,
    attempts: row.attempts,
    acknowledgedAt: row.acknowledged_at ? new Date(row.acknowledged_at).toISOString() : null,
  };
}

/** Intake carries no "split from" field yet; a parcel document may name it (see docs/clearance.md). */
function clearanceRecordOf(parcelId: number, view: ParcelView): NewClearanceParcel {
  return {
    parcelId,
    channel: view.channel,
    carrierCode: view.carrierCode.toUpperCase(),
    trackingNumber: view.trackingNumber,
    pccc: view.pccc,
    sellerKey: view.seller?.id ?? view.orders.find((order) => order.sellerId)?.sellerId ?? null,
    purchaseDate: view.orders.map((order) => order.orderedAt.slice(0, 10)).sort()[0] ?? null,
    arrivalDate: view.arrivalDate ?? view.declaredOn,
    splitFromWaybill: splitFromWaybillOf(view),
    addresseeAddressKey: addresseeKey(view),
  };
}

function splitFromWaybillOf(view: ParcelView): string | null {
  const value = (view.documents as Record<string, unknown> | null)?.splitFromWaybill;
  return typeof value === 'string' && value.trim() ? value.trim().toUpperCase() : null;
}

function addresseeKey(view: ParcelView): string | null {
  const addressee = view.addressee as { street?: string; city?: string };
  if (!addressee.street) return null;
  return normaliseAddress([addressee.street, addressee.city].filter(Boolean).join(', ')).key;
}

/** The parcel with its lines scaled to a corrected total price (undervaluation found at inspection). */
function withCorrectedValue(
  parcel: TaxableParcel,
  correctedValue: string,
  correctedCurrency: string | undefined,
): TaxableParcel {
  const currency = (correctedCurrency ?? parcel.currency).toUpperCase();
  const cents = rescale(parseDecimal(correctedValue), 2).units;
  const weights = parcel.lines.map((line) => rescale(parseDecimal(line.value), 2).units);
  const parts = allocateByWeight(cents, weights);
  return {
    ...parcel,
    currency,
    // Freight declared in another currency than the corrected value cannot be kept as is.
    internationalFreight: currency === parcel.currency ? parcel.internationalFreight : undefined,
    lines: parcel.lines.map((line, index) => ({
      ...line,
      value: formatDecimal({ units: parts[index]!, scale: 2 }),
    })),
  };
}
