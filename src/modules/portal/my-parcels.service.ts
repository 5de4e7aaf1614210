import type { Actor } from '../../platform/auth/actor.js';
import type { AuditTrail } from '../../platform/auth/audit-trail.js';
import type { Locale } from '../../platform/i18n/locale.js';
import {
  parcelStory,
  type AssessmentFacts,
  type ParcelFacts,
  type ParcelStory,
} from './domain/parcel-story.js';
import { recordAudit, requireLinkedPccc } from './portal.access.js';
import { PortalError } from './portal.errors.js';
import type { PortalParcelSource } from './portal.ports.js';
import type { PortalRepository } from './portal.repository.js';

/** One parcel as its buyer sees it. */
export interface MyParcel extends ParcelStory {
  parcelId: number;
  trackingNumber: string;
  carrier: string;
  channel: 'postal' | 'express';
  declaredAt: string;
  seller: string | null;
  goods: { description: string; quantity: string; value: string; currency: string }[];
  reported: boolean;
}

/**
 * My parcels: every parcel declared under the consumer's proved PCCC, with its timeline, tax and next
 * steps. Every parcel shown is an access written to the audit trail.
 */
export class MyParcelsService {
  constructor(
    private readonly repository: PortalRepository,
    private readonly parcels: PortalParcelSource,
    private readonly audit: AuditTrail | undefined,
  ) {}

  async list(
    actor: Actor | undefined,
    page: { beforeId?: number; limit: number },
    locale: Locale,
  ): Promise<{ items: MyParcel[]; nextBeforeId?: number }> {
    const { consumer, pccc } = await requireLinkedPccc(this.repository, actor, 'portal.list_parcels');
    const found = await this.parcels.parcelIdsOfPccc(pccc, page);
    const reported = await this.repository.reportedParcelIds(pccc);
    const items: MyParcel[] = [];
    for (const parcelId of found.ids) {
      const parcel = await this.view(parcelId, pccc, locale, reported);
      if (parcel) items.push(parcel);
    }
    if (items.length > 0)
      await recordAudit(this.audit, {
        actor: consumer,
        action: 'portal.parcels_viewed',
        subject: `account:${consumer.accountId}`,
        details: { parcelIds: items.map((item) => item.parcelId) },
      });
    return found.nextBeforeId ? { items, nextBeforeId: found.nextBeforeId } : { items };
  }

  async get(actor: Actor | undefined, parcelId: number, locale: Locale): Promise<MyParcel> {
    const { consumer, pccc } = await requireLinkedPccc(this.repository, actor, 'portal.get_parcel');
    const parcel = await this.view(parcelId, pccc, locale, await this.repository.reportedParcelIds(pccc));
    if (!parcel)
      throw new PortalError('not_your_parcel', `No parcel ${parcelId} under your code`).answeredAs(
        'parcel_not_found',
      );
    await recordAudit(this.audit, {
      actor: consumer,
      action: 'portal.parcel_viewed',
      subject: `parcel:${parcelId}`,
    });
    return parcel;
  }

  private async view(
    parcelId: number,
    pccc: string,
    locale: Locale,
    reported: Set<number>,
  ): Promise<MyParcel | undefined> {
    const parcel = await this.parcels.parcel(parcelId);
    if (!parcel || parcel.pccc !== pccc) return undefined;
    const [clearance, check] = await Promise.all([
      this.parcels.clearance(parcelId),
      this.parcels.check(parcelId),
    ]);
    const goods = parcel.lines.map((line) => ({
      description: line.description,
      quantity: line.quantity,
      value: line.value,
      currency: line.currency,
    }));
    const facts: ParcelFacts = {
      parcelId,
      trackingNumber: parcel.trackingNumber,
      carrierCode: parcel.carrierCode,
      channel: parcel.channel,
      receivedAt: parcel.receivedAt,
      arrivalDate: parcel.arrivalDate,
      sellerName: parcel.seller?.name ?? null,
      goods,
      state: clearance?.state ?? null,
      history: (clearance?.history ?? []).map((entry) => ({
        to: entry.to,
        at: entry.at,
        reason: entry.reason,
      })),
      assessment: (clearance?.assessment as AssessmentFacts | null) ?? null,
      // The other members of the group, by tracking number: they are the same buyer's parcels.
      combinedWith: (clearance?.group?.members ?? [])
        .filter((member) => member.parcelId !== parcelId)
        .map((member) => member.trackingNumber),
      check,
    };
    return {
      parcelId,
      trackingNumber: parcel.trackingNumber,
      carrier: parcel.carrierCode,
      channel: parcel.channel,
      declaredAt: parcel.receivedAt,
      seller: parcel.seller?.name ?? null,
      goods,
      reported: reported.has(parcelId),
      ...parcelStory(facts, locale, reported.has(parcelId)),
    };
  }
}
