import type { Actor } from '../../platform/auth/actor.js';
import { deny, isOfficer } from '../../platform/auth/actor.js';
import type { AuditTrail } from '../../platform/auth/audit-trail.js';
import type { Locale } from '../../platform/i18n/locale.js';
import { AnalyticsError } from './analytics.errors.js';
import {
  paymentFacts,
  scorePccc,
  scoreSeller,
  type EntityScore,
  type PaidConsignment,
  type PcccFacts,
  type ScorePart,
  type SellerFacts,
} from './domain/entity-profile.js';
import {
  WHOLE_HISTORY,
  type EntityProfilesRepository,
  type PaidRow,
  type ProfileWindow,
  type TimelineParcel,
} from './entity-profiles.repository.js';

/** How many parcels a profile's timeline lists (newest first); the facts count them all. */
const TIMELINE_LIMIT = 200;

export type ProfileKind = 'seller' | 'pccc';

export interface ProfileView {
  kind: ProfileKind;
  key: string;
  score: number;
  band: EntityScore['band'];
  parts: { part: ScorePart['part']; points: number; evidence: string }[];
  facts: SellerFacts | PcccFacts;
  /** The seller's name and country, from intake; null for a PCCC. */
  seller: { name: string | null; country: string | null } | null;
  timeline: (TimelineParcel & { paidKrw: number | null })[];
}

/** A score of every entity of one kind, for ranking them (bench, tests). */
export interface RankedEntity {
  key: string;
  score: number;
  parcels: number;
}

/**
 * The per-seller and per-PCCC analysis: facts from the published views, a score made of named parts
 * with their evidence in the reader's language, and the timeline of parcels. Officers only; reading a
 * PCCC's profile is audited (it is a person's buying history).
 */
export class EntityProfilesService {
  constructor(private readonly deps: { repository: EntityProfilesRepository; audit: AuditTrail }) {}

  async seller(
    actor: Actor,
    sellerKey: string,
    locale: Locale,
    window: ProfileWindow = WHOLE_HISTORY,
  ): Promise<ProfileView> {
    this.requireOfficer(actor, 'analytics.seller_profile');
    const [facts] = await this.sellerFacts([sellerKey], window);
    if (!facts) throw new AnalyticsError('profile_not_found', `No parcel of seller ${sellerKey}`);
    const [timeline, paid] = await Promise.all([
      this.deps.repository.timeline('seller_key', sellerKey, window, TIMELINE_LIMIT),
      this.deps.repository.paidRows(window),
    ]);
    return view(
      'seller',
      sellerKey,
      facts.facts,
      scoreSeller(facts.facts),
      locale,
      timeline,
      paid,
      facts.seller,
    );
  }

  async pccc(
    actor: Actor,
    pccc: string,
    locale: Locale,
    window: ProfileWindow = WHOLE_HISTORY,
  ): Promise<ProfileView> {
    this.requireOfficer(actor, 'analytics.pccc_profile');
    const code = pccc.trim().toUpperCase();
    const [facts] = await this.pcccFacts([code], window);
    // The read is recorded whether or not the code has parcels: asking is what the trail keeps.
    await this.deps.audit.append({
      actor,
      action: 'analytics.pccc_profile_read',
      subject: `pccc:${code}`,
      details: { found: facts !== undefined },
    });
    if (!facts) throw new AnalyticsError('profile_not_found', `No parcel under this PCCC`);
    const [timeline, paid] = await Promise.all([
      this.deps.repository.timeline('pccc', code, window, TIMELINE_LIMIT),
      this.deps.repository.paidRows(window),
    ]);
    return view('pccc', code, facts, scorePccc(facts), locale, timeline, paid, null);
  }

  /** Every seller or every PCCC of the window with its score, highest first. */
  async rank(actor: Actor, kind: ProfileKind, window: ProfileWindow): Promise<RankedEntity[]> {
    this.requireOfficer(actor, `analytics.rank_${kind}`);
    const ranked =
      kind === 'seller'
        ? (await this.sellerFacts(null, window)).map(({ key, facts }) => ({
            key,
            score: scoreSeller(facts).score,
            parcels: facts.parcels,
          }))
        : (await this.pcccFacts(null, window)).map((facts) => ({
            key: facts.key,
            score: scorePccc(facts).score,
            parcels: facts.parcels,
          }));
    return ranked.sort((a, b) => b.score - a.score || a.key.localeCompare(b.key));
  }

  private async sellerFacts(keys: readonly string[] | null, window: ProfileWindow) {
    const [found, paid] = await Promise.all([
      this.deps.repository.sellerFacts(keys, window),
      this.deps.repository.paidRows(window),
    ]);
    const payments = paymentsBy(paid, 'sellerKey');
    return found.counts.map((counts) => {
      const registration = found.registrations.get(counts.key);
      const facts: SellerFacts = {
        parcels: counts.parcels,
        buyers: counts.buyers,
        firstDay: counts.firstDay,
        lastDay: counts.lastDay,
        inspected: counts.inspected,
        violations: counts.violations,
        seized: counts.seized,
        registrationNumber: registration?.registration_number ?? null,
        registrationStatus: registration?.registration_status ?? null,
        payments: paymentFacts(payments.get(counts.key) ?? []),
        splitDays: found.splitDays.get(counts.key) ?? 0,
        codesUnderSeveralNames: found.codesUnderSeveralNames.get(counts.key) ?? 0,
        sellersSharingContacts: found.sellersSharingContacts.get(counts.key) ?? 0,
      };
      return {
        key: counts.key,
        facts,
        seller: { name: registration?.name ?? null, country: registration?.country ?? null },
      };
    });
  }

  private async pcccFacts(
    keys: readonly string[] | null,
    window: ProfileWindow,
  ): Promise<(PcccFacts & { key: string })[]> {
    const [found, paid] = await Promise.all([
      this.deps.repository.pcccFacts(keys, window),
      this.deps.repository.paidRows(window),
    ]);
    const payments = paymentsBy(paid, 'pccc');
    return found.counts.map((counts) => ({
      ...counts,
      payments: paymentFacts(payments.get(counts.key) ?? []),
      splitDays: found.splitDays.get(counts.key) ?? 0,
      codesAtOneAddress: found.codesAtOneAddress.get(counts.key) ?? 1,
      registry: found.registry.get(counts.key) ?? null,
    }));
  }

  private requireOfficer(actor: Actor, action: string): void {
    if (!isOfficer(actor))
      deny(actor, action, undefined, 'Seller and PCCC profiles are for customs officers');
  }
}

function paymentsBy(rows: readonly PaidRow[], key: 'sellerKey' | 'pccc'): Map<string, PaidConsignment[]> {
  const grouped = new Map<string, PaidConsignment[]>();
  for (const row of rows) {
    const value = row[key];
    if (!value) continue;
    grouped.set(value, [...(grouped.get(value) ?? []), row]);
  }
  return grouped;
}

function view(
  kind: ProfileKind,
  key: string,
  facts: SellerFacts | PcccFacts,
  score: EntityScore,
  locale: Locale,
  timeline: readonly TimelineParcel[],
  paid: readonly PaidRow[],
  seller: ProfileView['seller'],
): ProfileView {
  const paidByTracking = new Map(paid.map((row) => [row.trackingNumber, row.paidKrw]));
  return {
    kind,
    key,
    score: score.score,
    band: score.band,
    parts: score.parts.map((part) => ({
      part: part.part,
      points: part.points,
      evidence: part.evidence[locale],
    })),
    facts,
    seller,
    timeline: timeline.map((parcel) => ({
      ...parcel,
      paidKrw: paidByTracking.get(parcel.trackingNumber) ?? null,
    })),
  };
}
