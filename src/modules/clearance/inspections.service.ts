import { describeActor, isOfficer, type Actor } from '../../platform/auth/actor.js';
import type { AuditTrail } from '../../platform/auth/audit-trail.js';
import { CommonError } from '../../platform/errors/module-error.js';
import type { EventOutbox } from '../../platform/events/event-outbox.js';
import { defineTopic } from '../../platform/events/topic.js';
import type { AssessmentService } from './assessment.service.js';
import { recordAudit, requireOfficer, requireParcelRow } from './clearance.access.js';
import { ClearanceError } from './clearance.errors.js';
import { readParcel, readParcels, taxableOf, type ParcelSource } from './clearance.parcel-input.js';
import type { ClearanceDb, ClearanceRepository } from './clearance.repository.js';
import { toAssessmentView, type AssessmentView } from './clearance.views.js';
import { allocateByWeight, formatDecimal, parseDecimal, rescale } from './domain/decimal-amount.js';
import {
  labelOfOutcome,
  SEIZURE_LABEL,
  type InspectionLabel,
  type InspectionOutcome,
  type SeizureCategory,
} from './domain/inspection-outcome.js';
import type { TaxableParcel } from './domain/tax-assessment.js';
import type { ParcelState } from './domain/parcel-lifecycle.js';
import { notificationFor } from './lifecycle.service.js';

/**
 * A training label for the risk model: the outcome of one inspection of one parcel's declaration.
 * Published in the transaction that records the inspection; intake's label store listens
 * (src/subscriptions.ts), so a label is delivered at least once even when the store fails for a while.
 */
export interface InspectionLabelRecord {
  inspectionId: number;
  parcelId: number;
  fraud: boolean;
  criticalLevel: 0 | 1 | 2;
}

export const INSPECTION_LABELLED = defineTopic<InspectionLabelRecord>('clearance.inspection-labelled');

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

/** Inspections and seizures: what inspectors found, the training labels it gives, statistics. */
export class InspectionsService {
  constructor(
    private readonly repository: ClearanceRepository,
    private readonly parcels: ParcelSource,
    private readonly assessment: AssessmentService,
    private readonly events: EventOutbox,
    private readonly audit: AuditTrail | undefined,
  ) {}

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
    requireOfficer(actor, 'inspector');
    const row = await requireParcelRow(this.repository, parcelId);
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
    const parcel = await readParcel(this.parcels, parcelId);
    let corrected: AssessmentView | null = null;
    if (input.outcome === 'undervaluation' && input.correctedValue !== undefined) {
      const taxable = withCorrectedValue(taxableOf(parcel), input.correctedValue, input.correctedCurrency);
      corrected = toAssessmentView(await this.assessment.assessTaxable([taxable]));
    }
    const label = labelOfOutcome(input.outcome);
    const inspectionId = await this.repository.transaction(async (tx) => {
      const id = await this.repository.insertInspection(tx, {
        parcel_id: parcelId,
        outcome: input.outcome,
        corrected_value: input.correctedValue ?? null,
        corrected_currency:
          input.correctedValue !== undefined
            ? (input.correctedCurrency ?? parcel.currency).toUpperCase()
            : null,
        corrected_description: input.correctedDescription ?? null,
        corrected_hs_code: input.correctedHsCode ?? null,
        corrected_assessment: corrected,
        notes: input.notes ?? null,
        inspector: describeActor(actor),
        label_fraud: label.fraud,
        label_critical_level: label.criticalLevel,
      });
      await recordAudit(
        this.audit,
        {
          actor,
          action: 'clearance.inspection_recorded',
          subject: `parcel:${parcelId}`,
          details: { inspectionId: id, outcome: input.outcome, correctedValue: input.correctedValue ?? null },
        },
        tx,
      );
      await this.publishLabel(tx, id, parcelId, parcel.declarationId, label);
      return id;
    });
    const labelDelivered = parcel.declarationId !== null;
    return { inspectionId, label, labelDelivered, correctedAssessment: corrected };
  }

  /** Records a seizure (WCO CEN fields), moves the parcel to `seized` and alerts the carrier. */
  async recordSeizure(
    actor: Actor,
    parcelId: number,
    input: SeizureInput,
  ): Promise<{ seizureId: number; inspectionId: number }> {
    requireOfficer(actor, 'inspector');
    const row = await requireParcelRow(this.repository, parcelId);
    if (!['held', 'under_inspection', 'seized'].includes(row.state)) {
      throw new ClearanceError(
        'wrong_state_for_inspection',
        `Parcel ${parcelId} is ${row.state}: goods are seized while it is held or under inspection`,
      );
    }
    const parcel = await readParcel(this.parcels, parcelId);
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
    const { seizureId, inspectionId } = await this.repository.transaction(async (tx) => {
      let inspectionId =
        input.inspectionId ?? existing.find((inspection) => inspection.outcome === 'prohibited_goods')?.id;
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
          inspector: describeActor(actor),
          label_fraud: SEIZURE_LABEL.fraud,
          label_critical_level: SEIZURE_LABEL.criticalLevel,
        });
        await this.publishLabel(tx, inspectionId, parcelId, parcel.declarationId, SEIZURE_LABEL);
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
        recorded_by: describeActor(actor),
      });
      if (row.state !== 'seized') {
        if (
          !(await this.repository.transition(
            tx,
            parcelId,
            row.state as ParcelState,
            'seized',
            describeActor(actor),
            reason,
          ))
        ) {
          throw new ClearanceError(
            'state_changed',
            `Parcel ${parcelId} changed state meanwhile; reload it and try again`,
          );
        }
      }
      const notification = notificationFor(row, 'seizure', 'seized', reason);
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
      await recordAudit(
        this.audit,
        {
          actor,
          action: 'clearance.seizure_recorded',
          subject: `parcel:${parcelId}`,
          details: {
            seizureId,
            inspectionId,
            category: input.goodsCategory,
            quantity: input.quantity,
            unit: input.quantityUnit,
          },
        },
        tx,
      );
      return { seizureId, inspectionId };
    });
    return { seizureId, inspectionId };
  }

  /**
   * Hands the label to intake's label store through the outbox, in the inspection's transaction. A parcel
   * without a declaration has nothing to label: the label stays pending with the reason.
   */
  private async publishLabel(
    tx: ClearanceDb,
    inspectionId: number,
    parcelId: number,
    declarationId: number | null,
    label: InspectionLabel,
  ): Promise<void> {
    if (declarationId === null) {
      await this.repository.markLabel(inspectionId, 'the parcel has no declaration to label', tx);
      return;
    }
    await this.events.publish(tx, INSPECTION_LABELLED, {
      inspectionId,
      parcelId,
      fraud: label.fraud,
      criticalLevel: label.criticalLevel,
    });
  }

  /** Intake stored these labels (the outbox delivered them): their inspections say so. */
  async labelsDelivered(inspectionIds: readonly number[]): Promise<void> {
    for (const inspectionId of inspectionIds) await this.repository.markLabel(inspectionId, null);
  }

  /**
   * Hands again the labels recorded before they went through the outbox, or whose parcel had no
   * declaration then (it may have one now).
   */
  async deliverPendingLabels(actor: Actor, limit = 1000): Promise<{ delivered: number; pending: number }> {
    requireOfficer(actor, 'data_analyst');
    const pending = await this.repository.pendingLabels(limit);
    const parcels = await readParcels(
      this.parcels,
      pending.map((inspection) => inspection.parcel_id),
    );
    let delivered = 0;
    await this.repository.transaction(async (tx) => {
      for (const [index, inspection] of pending.entries()) {
        const { declarationId } = parcels[index]!;
        await this.publishLabel(tx, inspection.id, inspection.parcel_id, declarationId, {
          fraud: inspection.label_fraud,
          criticalLevel: inspection.label_critical_level as 0 | 1 | 2,
        });
        if (declarationId !== null) delivered += 1;
      }
    });
    return { delivered, pending: pending.length - delivered };
  }

  /** Inspections, frauds found and seizures of a period, for the dashboard; officers only. */
  async inspectionStatistics(actor: Actor, range: { from: string; to: string; utcOffsetMinutes: number }) {
    if (!isOfficer(actor)) throw new CommonError('forbidden', 'Statistics are for customs officers');
    return this.repository.inspectionStatistics(range);
  }
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
