import {
  describeActor,
  isOfficer,
  isParcelOperator,
  systemActor,
  type Actor,
} from '../../platform/auth/actor.js';
import { CommonError } from '../../platform/errors/module-error.js';
import type { EventOutbox } from '../../platform/events/event-outbox.js';
import { defineTopic } from '../../platform/events/topic.js';
import { requireOfficer } from './clearance.access.js';
import { ClearanceError } from './clearance.errors.js';
import { clearanceRecordOf, readParcel, type ParcelSource } from './clearance.parcel-input.js';
import {
  UNKNOWN_LIMIT_KRW,
  type ClearanceDb,
  type ClearanceParcelRow,
  type ClearanceRepository,
  type GroupingMember,
} from './clearance.repository.js';
import type { AssessmentService } from './assessment.service.js';
import { readDeliveryRows, type DeliveryReportInput } from './adapters/delivery-report-rows.js';
import { normaliseAddress } from './domain/address-normalisation.js';
import { analyseParcelGrouping, type GroupTrigger, type SignalKind } from './domain/parcel-grouping.js';
import type { ParcelState } from './domain/parcel-lifecycle.js';
import { findParcelGroups } from './parcel-groups.js';

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

/** One member of a group or signal as an officer sees it: enough to judge, with a link target (parcelId). */
export interface GroupMemberView {
  parcelId: number;
  trackingNumber: string;
  state: ParcelState;
  /** Null while the parcel has no assessment. */
  goodsPriceKrw: number | null;
  splitFromWaybill: string | null;
  sellerKey: string | null;
  purchaseDate: string | null;
  arrivalDate: string | null;
}

/** The combined-taxation group of a parcel: why its members are taxed together, and whether the sum bites. */
export interface CombinedGroupView {
  /** Stable while the members stay: named after the lowest member id. */
  id: string;
  triggers: GroupTrigger[];
  /** The shared facts behind each trigger (the waybill; the seller and purchase date), all per importer. */
  evidence: {
    trigger: GroupTrigger;
    waybill?: string;
    seller?: string;
    purchaseDate?: string;
    parcelIds: number[];
  }[];
  members: GroupMemberView[];
  goodsPriceKrw: number;
  /** The strictest member limit; null while no member is assessed. */
  limitKrw: number | null;
  overLimit: boolean;
}

export interface SplittingSignalView {
  kind: SignalKind;
  evidence: { pccc?: string; arrivalDate?: string; deliveryAddressKey?: string; distinctPcccs?: number };
  members: GroupMemberView[];
  goodsPriceKrw: number;
  overLimitIfCombined: boolean;
}

/**
 * Grouping: the combined-taxation group and splitting signals of a parcel and of a period, delivery
 * addresses reported by carriers, and re-grouping when a late or corrected order or a delivery report
 * changes who a parcel belongs with (before release the assessment changes; after release an officer
 * gets an additional-tax case).
 */
export class GroupingService {
  private readonly events: EventOutbox;
  private readonly log: (message: string, detail?: unknown) => void;

  constructor(
    private readonly repository: ClearanceRepository,
    private readonly parcels: ParcelSource,
    private readonly assessment: AssessmentService,
    options: {
      /** Carries the address re-analyses to targeting. */
      events: EventOutbox;
      log: (message: string, detail?: unknown) => void;
    },
  ) {
    this.events = options.events;
    this.log = options.log;
  }

  /** The group and signals of one stored parcel, with their evidence (officers). */
  async parcelGroups(
    row: ClearanceParcelRow,
  ): Promise<{ group: CombinedGroupView | null; signals: SplittingSignalView[] }> {
    const { members, group, signals } = await findParcelGroups(this.repository, row);
    const memberViews = (ids: number[]) => ids.map((id) => memberView(members.get(id)!));
    return {
      group: group && {
        id: `group-${Math.min(...group.parcelIds)}`,
        triggers: group.triggers,
        evidence: groupEvidence(group.parcelIds.map((id) => members.get(id)!)),
        members: memberViews(group.parcelIds),
        goodsPriceKrw: Number(group.goodsPriceKrw),
        limitKrw: group.limitKrw >= UNKNOWN_LIMIT_KRW ? null : Number(group.limitKrw),
        overLimit: group.limitKrw < UNKNOWN_LIMIT_KRW && group.overLimit,
      },
      signals: signals.map((signal) => {
        const signalMembers = signal.parcelIds.map((id) => members.get(id)!);
        return {
          kind: signal.kind,
          evidence:
            signal.kind === 'same_pccc_same_day'
              ? { pccc: row.pccc ?? undefined, arrivalDate: row.arrival_date ?? undefined }
              : {
                  deliveryAddressKey: row.delivery_address_key ?? undefined,
                  distinctPcccs: new Set(signalMembers.map((member) => member.pccc).filter(Boolean)).size,
                },
          members: memberViews(signal.parcelIds),
          goodsPriceKrw: Number(signal.goodsPriceKrw),
          overLimitIfCombined: signal.overLimitIfCombined,
        };
      }),
    };
  }

  /** Combined-taxation groups and splitting risk clusters among the parcels that arrived between two dates. */
  async analyseGrouping(actor: Actor, from: string, to: string) {
    requireOfficer(actor, 'targeting_analyst', 'data_analyst');
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

  /** Intake stored marketplace orders (new, late or corrected): the parcels they are about are re-grouped. */
  async onOrdersStored(orderIds: readonly number[]): Promise<void> {
    for (const parcelId of await this.parcels.parcelIdsOfOrders(orderIds)) {
      try {
        await this.regroup(parcelId);
      } catch (error) {
        this.log('clearance could not re-group a parcel', { parcelId, error: (error as Error).message });
      }
    }
  }

  /**
   * Re-reads a parcel's grouping keys; when they changed, its old partners and its new group are assessed
   * again (released members are never changed: they get an additional-tax case).
   */
  private async regroup(parcelId: number): Promise<void> {
    const row = await this.repository.findParcel(parcelId);
    if (!row) return; // Not taken in yet: the take-in reads the orders.
    const record = clearanceRecordOf(await readParcel(this.parcels, parcelId), row.delivery_address_key);
    const keys = {
      sellerKey: record.sellerKey,
      purchaseDate: record.purchaseDate,
      splitFromWaybill: record.splitFromWaybill,
      importerKey: record.importerKey,
    };
    if (
      keys.sellerKey === row.seller_key &&
      keys.purchaseDate === row.purchase_date &&
      keys.splitFromWaybill === row.split_from_waybill &&
      keys.importerKey === row.importer_key
    )
      return;
    const before = await findParcelGroups(this.repository, row);
    await this.repository.updateGroupingKeys(parcelId, keys);
    await this.assessment.assessStored(systemActor, parcelId);
    const after = await findParcelGroups(this.repository, (await this.repository.findParcel(parcelId))!);
    const stillTogether = new Set(after.group?.parcelIds ?? [parcelId]);
    for (const formerPartner of before.group?.parcelIds ?? [])
      if (!stillTogether.has(formerPartner)) await this.assessment.assessStored(systemActor, formerPartner);
  }

  /**
   * Takes delivery reports from a carrier (JSON rows or CSV `trackingNumber,deliveredTo,deliveredAt`),
   * normalises each address, re-groups parcels whose importer it identifies (no PCCC: the person at the
   * address), and re-analyses every parcel delivered to it.
   */
  async reportDeliveries(
    actor: Actor,
    body: unknown,
  ): Promise<{ received: number; matched: number; unmatched: string[]; reanalysed: AddressReanalysis[] }> {
    const read = readDeliveryRows(body);
    if (!read.ok)
      throw new ClearanceError('invalid_request', read.message, { fieldErrors: read.fieldErrors });
    const rows = read.rows;
    const carriers = rows.map((row) => reportingCarrier(actor, row));
    const unmatched: string[] = [];
    const touchedKeys = new Map<string, number | null>();
    const matchedParcels: number[] = [];
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
          reportedBy: describeActor(actor),
        });
        if (parcelId === null) unmatched.push(row.trackingNumber);
        else {
          matchedParcels.push(parcelId);
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
    // Without a PCCC the importer is the person at the address: the report may tie the parcel to others.
    for (const parcelId of matchedParcels)
      await this.regroup(parcelId).catch((error: Error) =>
        this.log('clearance could not re-group a parcel', { parcelId, error: error.message }),
      );
    const matched = matchedParcels.length;
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
}

/** Carriers report their own deliveries; officers say which carrier delivered. */
function reportingCarrier(actor: Actor, row: DeliveryReportInput): string {
  if (isParcelOperator(actor)) {
    if (row.carrier && row.carrier.toUpperCase() !== actor.organisation.toUpperCase())
      throw new ClearanceError(
        'not_your_organisation',
        `You may only report deliveries of ${actor.organisation}`,
      );
    return actor.organisation.toUpperCase();
  }
  if (!isOfficer(actor))
    throw new CommonError('forbidden', 'Delivery addresses are reported by carriers (or customs officers)');
  if (!row.carrier)
    throw new ClearanceError('invalid_request', 'Say which carrier delivered the parcel (carrier)');
  return row.carrier.toUpperCase();
}

function memberView(member: GroupingMember): GroupMemberView {
  return {
    parcelId: member.id,
    trackingNumber: member.trackingNumber,
    state: member.state,
    goodsPriceKrw: member.assessed ? Number(member.goodsPriceKrw) : null,
    splitFromWaybill: member.splitFromWaybill,
    sellerKey: member.sellerKey,
    purchaseDate: member.purchaseDate,
    arrivalDate: member.arrivalDate,
  };
}

/** The keys shared by two or more members of a group: what ties them, trigger by trigger. */
function groupEvidence(members: readonly GroupingMember[]): CombinedGroupView['evidence'] {
  const shared = new Map<string, CombinedGroupView['evidence'][number]>();
  for (const member of members) {
    if (member.importerKey === null) continue;
    const keys: [string, CombinedGroupView['evidence'][number]][] = [];
    if (member.splitFromWaybill)
      keys.push([
        `w:${member.splitFromWaybill}:${member.importerKey}`,
        { trigger: 'same_waybill', waybill: member.splitFromWaybill, parcelIds: [] },
      ]);
    if (member.sellerKey && member.purchaseDate)
      keys.push([
        `s:${member.sellerKey}:${member.purchaseDate}:${member.importerKey}`,
        {
          trigger: 'same_seller_same_date',
          seller: member.sellerKey,
          purchaseDate: member.purchaseDate,
          parcelIds: [],
        },
      ]);
    for (const [key, evidence] of keys) {
      const entry = shared.get(key) ?? evidence;
      entry.parcelIds.push(member.id);
      shared.set(key, entry);
    }
  }
  return [...shared.values()].filter((entry) => entry.parcelIds.length > 1);
}
