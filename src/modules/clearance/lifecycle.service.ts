import { describeActor, isOfficer, type Actor } from '../../platform/auth/actor.js';
import type { AuditTrail } from '../../platform/auth/audit-trail.js';
import type { AssessmentService } from './assessment.service.js';
import { officerCaseView, type OfficerCaseView } from './cases.service.js';
import { mayReadParcelRow, recordAudit, requireOfficer, requireParcelRow } from './clearance.access.js';
import { ClearanceError } from './clearance.errors.js';
import type { ClearanceParcelRow, ClearanceRepository, NewNotification } from './clearance.repository.js';
import { assessmentForReader, type AssessmentView } from './clearance.views.js';
import { historyLine, historyText } from './domain/clearance-messages.js';
import type { OfficerLanguage } from './domain/officer-cases.js';
import { checkTransition, type ParcelState, type ParcelTransition } from './domain/parcel-lifecycle.js';
import type { CombinedGroupView, GroupingService, SplittingSignalView } from './grouping.service.js';

export type CarrierRequestKind = 'request_for_information' | 'request_for_amendment';

/** The clearance of one parcel as a caller may see it. */
type InspectionRow = Awaited<ReturnType<ClearanceRepository['inspections']>>[number];
type SeizureRow = Awaited<ReturnType<ClearanceRepository['seizures']>>[number];
/** A row whose timestamps are shown as ISO text. */
type WithIsoTimes<Row, Key extends keyof Row> = Omit<Row, Key> & {
  [K in Key]: null extends Row[K] ? string | null : string;
};

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
  inspections?: WithIsoTimes<InspectionRow, 'recorded_at' | 'label_delivered_at'>[];
  seizures?: WithIsoTimes<SeizureRow, 'recorded_at'>[];
  deliveryAddressKey?: string | null;
  /** Officers only: the combined-taxation group, with its members and the facts that tie them. */
  group?: CombinedGroupView | null;
  /** Officers only: the splitting signals the parcel belongs to, with their evidence. */
  signals?: SplittingSignalView[];
  /** Officers only: cases opened on the parcel (additional tax, a missing week of rates). */
  cases?: OfficerCaseView[];
}

const NOTIFIED_STATES: Partial<Record<ParcelState, NewNotification['kind']>> = {
  held: 'hold',
  released: 'release',
  seized: 'seizure',
  returned: 'return',
};

/** The lifecycle: what a parcel's clearance looks like, moves between states, requests to carriers. */
export class LifecycleService {
  constructor(
    private readonly repository: ClearanceRepository,
    private readonly assessment: AssessmentService,
    private readonly grouping: GroupingService,
    private readonly audit: AuditTrail | undefined,
  ) {}

  async getParcelClearance(
    actor: Actor,
    parcelId: number,
    language: OfficerLanguage = 'en',
  ): Promise<ParcelClearanceView> {
    const row = await requireParcelRow(this.repository, parcelId);
    const officer = isOfficer(actor);
    if (!mayReadParcelRow(actor, row))
      throw new ClearanceError('not_your_parcel', `No clearance record for parcel ${parcelId}`).answeredAs(
        'parcel_not_tracked',
      );
    // Every consumer access to a parcel is audited (officers' and carriers' reads are their daily work).
    if (actor.kind === 'consumer')
      await recordAudit(this.audit, {
        actor,
        action: 'clearance.parcel_viewed',
        subject: `parcel:${parcelId}`,
        details: {},
      });
    const view: ParcelClearanceView = {
      parcelId,
      channel: row.channel,
      carrierCode: row.carrier_code,
      trackingNumber: row.tracking_number,
      state: row.state as ParcelState,
      assessment: row.assessment ? assessmentForReader(row.assessment as AssessmentView, language) : null,
      assessmentError: row.assessment_error,
      history: (await this.repository.history(parcelId)).map((line) => ({
        ...line,
        reason: historyText(line.reason, language),
      })),
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
      const { group, signals } = await this.grouping.parcelGroups(row);
      view.group = group;
      view.signals = signals;
      view.cases = (await this.repository.listCases({ parcelId, limit: 100 })).map((found) =>
        officerCaseView(found, language),
      );
    }
    return view;
  }

  /** Moves a parcel to another state; refuses illegal moves, checks the role, records who/when/why, notifies the carrier. */
  async transition(actor: Actor, parcelId: number, to: ParcelState, reason: string): Promise<void> {
    requireOfficer(actor);
    const row = await requireParcelRow(this.repository, parcelId);
    const from = row.state as ParcelState;
    const refusal = checkTransition(from, to, reason, (roles) => isOfficer(actor, ...roles));
    if (refusal?.kind === 'illegal')
      throw new ClearanceError('illegal_transition', refusal.message, { from, to });
    if (refusal?.kind === 'role')
      throw new ClearanceError('role_required', refusal.message, { roles: refusal.roles });
    if (refusal?.kind === 'reason_required') throw new ClearanceError('reason_required', refusal.message);
    if (to === 'assessed' && from !== 'held') {
      // Assessing is computing: the parcel becomes assessed only with an assessment (or keeps the error).
      await this.assessment.assessStored(actor, parcelId);
      return;
    }
    await this.repository.transaction(async (tx) => {
      if (!(await this.repository.transition(tx, parcelId, from, to, describeActor(actor), reason.trim()))) {
        throw new ClearanceError(
          'state_changed',
          `Parcel ${parcelId} changed state meanwhile; reload it and try again`,
        );
      }
      const kind = NOTIFIED_STATES[to];
      if (kind) await this.repository.insertNotification(tx, notificationFor(row, kind, to, reason.trim()));
      await recordAudit(
        this.audit,
        {
          actor,
          action: 'clearance.state_changed',
          subject: `parcel:${parcelId}`,
          details: { from, to, reason: reason.trim() },
        },
        tx,
      );
    });
  }

  /** Sends a request for information or amendment to the carrier (ICS2 referral); holds an assessed parcel. */
  async requestFromCarrier(
    actor: Actor,
    parcelId: number,
    kind: CarrierRequestKind,
    message: string,
    fields: string[],
  ): Promise<{ notificationId: number; state: ParcelState }> {
    requireOfficer(actor, 'targeting_analyst', 'xray_analyst', 'inspector');
    const row = await requireParcelRow(this.repository, parcelId);
    if (!message.trim())
      throw new ClearanceError('reason_required', 'Say what the carrier must provide or amend');
    let state = row.state as ParcelState;
    const notificationId = await this.repository.transaction(async (tx) => {
      if (state === 'assessed') {
        const reason = historyLine('history.carrier_request', { kind, text: message.trim() });
        if (
          !(await this.repository.transition(tx, parcelId, 'assessed', 'held', describeActor(actor), reason))
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
      const notification = notificationFor({ ...row, state }, kind, state, message.trim());
      await recordAudit(
        this.audit,
        {
          actor,
          action: 'clearance.carrier_request',
          subject: `parcel:${parcelId}`,
          details: { kind, fields, state },
        },
        tx,
      );
      return this.repository.insertNotification(tx, {
        ...notification,
        payload: { ...notification.payload, fields },
      });
    });
    return { notificationId, state };
  }
}

/** The notification a carrier or post receives about a parcel (UPU CUSRSP-like for posts, ICS2-like for carriers). */
export function notificationFor(
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
