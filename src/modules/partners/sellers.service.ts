import { randomBytes } from 'node:crypto';
import type { Actor } from '../../platform/auth/actor.js';
import { requireOrganisation } from './partners.access.js';
import { assertOfficer, describeActor } from '../../platform/auth/actor.js';
import type { AuditTrail } from '../../platform/auth/audit-trail.js';
import { PartnersError } from './partners.errors.js';
import type { DecisionRow, PartnersRepository, RegistrationRow } from './partners.repository.js';

export interface SellerApplication {
  legalName: string;
  country: string;
  address: { street: string; city: string; postcode?: string | null; country: string };
  marketplaces: string[];
  contact: { email: string; phone?: string | null; name?: string | null };
  documents?: string[];
  /** With a password, the seller gets an account (its contact e-mail) to follow the application. */
  password?: string;
}

export type SellerDecision = DecisionRow['decision'];

/** What the seller's own page reads from intake and product safety (through main.ts). */
export interface SellerHistorySource {
  activity(registrationNumber: string): Promise<{
    parcels: {
      id: number;
      trackingNumber: string;
      carrierCode: string;
      receivedAt: string;
      inspected: boolean;
      fraud: boolean | null;
    }[];
    orders: {
      id: number;
      orderNumber: string;
      productTitle: string;
      listingUrl: string | null;
      orderedAt: string;
    }[];
  }>;
  hitsOfParcels(
    parcelIds: readonly number[],
  ): Promise<{ reportId: number; parcelId: number; line: string; matchedOn: string[]; score: number }[]>;
}

/** Opens the seller's own account in identity (through main.ts); fails when the address is taken. */
export interface SellerAccounts {
  open(account: { registrationNumber: string; name: string; email: string; password: string }): Promise<void>;
}

/** Where registration statuses go: intake's seller parties, read by targeting as a signal (through main.ts). */
export interface RegistrationStatusSink {
  setStatus(registrationNumber: string, status: string): Promise<void>;
}

/** The status parcels carry for a registration number customs never issued. */
export const UNREGISTERED = 'unregistered';

/** The status parcels carry to targeting, which treats anything but `registered` as a risk signal. */
function statusOnParcels(status: SellerDecision): string {
  return status === 'approved' ? 'registered' : status;
}

/** Which decision may follow which status; an application is decided once, then suspended or restored. */
const allowedDecisions: Record<RegistrationRow['status'], SellerDecision[]> = {
  applied: ['approved', 'rejected'],
  approved: ['suspended'],
  suspended: ['approved'],
  rejected: ['approved'],
};

/**
 * Foreign online sellers: they apply, officers approve, reject or suspend (audited). Declarations and
 * orders name the registration number; parcels of unregistered, rejected or suspended sellers carry
 * that status to targeting.
 */
export class SellersService {
  constructor(
    private readonly repository: PartnersRepository,
    private readonly history: SellerHistorySource,
    private readonly statuses: RegistrationStatusSink,
    private readonly audit: AuditTrail | undefined,
    private readonly accounts: SellerAccounts,
  ) {}

  /**
   * An application, by the seller (no account needed) or by an officer on its behalf. With a password
   * the seller's account is opened first, so that a refused address stores no application.
   */
  async apply(actor: Actor | undefined, application: SellerApplication) {
    const registrationNumber = `FS-${randomBytes(5).toString('hex').toUpperCase()}`;
    if (application.password !== undefined)
      await this.accounts.open({
        registrationNumber,
        name: application.legalName,
        email: application.contact.email,
        password: application.password,
      });
    const row = await this.repository.insertRegistration({
      registration_number: registrationNumber,
      legal_name: application.legalName,
      country: application.country.toUpperCase(),
      address: JSON.stringify(application.address),
      marketplaces: application.marketplaces,
      contact: JSON.stringify(application.contact),
      documents: application.documents ?? [],
      applicant_email: application.contact.email.toLowerCase(),
    });
    await this.audit?.append({
      actor: actor ?? 'anonymous',
      action: 'partners.seller_applied',
      subject: `seller_registration:${row.id}`,
      details: {
        registrationNumber: row.registration_number,
        country: row.country,
        account: application.password !== undefined,
      },
    });
    return { id: Number(row.id), registrationNumber: row.registration_number, status: row.status };
  }

  async decide(actor: Actor, registrationId: number, decision: SellerDecision, reason: string | null) {
    assertOfficer(actor, 'targeting_analyst');
    const registration = await this.registration(registrationId);
    if (!allowedDecisions[registration.status].includes(decision))
      throw new PartnersError(
        'illegal_decision',
        `A registration that is ${registration.status} can be ${allowedDecisions[registration.status].join(' or ')}, not ${decision}`,
      );
    if (decision !== 'approved' && !reason?.trim())
      throw new PartnersError('invalid_request', `A ${decision} registration needs a reason`, {
        fieldErrors: [{ path: 'reason', value: reason, rule: 'required', message: 'say why' }],
      });
    const saved = await this.repository.decide(
      registrationId,
      decision,
      reason?.trim() || null,
      describeActor(actor),
    );
    await this.audit?.append({
      actor,
      action: 'partners.seller_decision',
      subject: `seller_registration:${registrationId}`,
      details: { decision, previous: registration.status, reason: saved.reason },
    });
    await this.statuses.setStatus(registration.registration_number, statusOnParcels(decision));
    return this.page(actor, registrationId);
  }

  async list(actor: Actor, status?: RegistrationRow['status']) {
    assertOfficer(actor);
    return { registrations: (await this.repository.listRegistrations(status)).map(registrationView) };
  }

  /** One seller's page: registration, decisions, parcels, orders, inspections and product-safety hits. */
  async page(actor: Actor, registrationId: number) {
    assertOfficer(actor);
    return this.pageOf(await this.registration(registrationId));
  }

  /** The signed-in seller's own page: its registration, the decisions on it and its own history only. */
  async own(actor: Actor) {
    const seller = requireOrganisation(actor, 'sellers.own_registration', 'seller');
    const registration = await this.repository.findRegistrationByNumber(seller.code);
    if (!registration)
      throw new PartnersError('registration_not_found', `No seller registration ${seller.code}`);
    return this.pageOf(registration);
  }

  private async pageOf(registration: RegistrationRow) {
    const registrationId = Number(registration.id);
    const [decisions, activity] = await Promise.all([
      this.repository.decisionsOf(registrationId),
      this.history.activity(registration.registration_number),
    ]);
    const hits = await this.history.hitsOfParcels(activity.parcels.map((parcel) => parcel.id));
    return {
      registration: registrationView(registration),
      decisions: decisions.map((decision) => ({
        decision: decision.decision,
        reason: decision.reason,
        decidedBy: decision.decided_by,
        decidedAt: new Date(decision.decided_at).toISOString(),
      })),
      parcels: activity.parcels,
      orders: activity.orders,
      inspections: {
        inspected: activity.parcels.filter((parcel) => parcel.inspected).length,
        violations: activity.parcels.filter((parcel) => parcel.fraud === true).length,
      },
      hits,
    };
  }

  /**
   * Brings the registration status of newly seen sellers up to date: a number customs know gets its
   * status, a number they never issued is marked unregistered.
   */
  async syncStatuses(
    registrationNumbers: Iterable<{ number: string; status: string | null }>,
  ): Promise<void> {
    const seen = new Map<string, string | null>();
    for (const { number, status } of registrationNumbers) seen.set(number.toUpperCase(), status);
    const registrations = await this.repository.findRegistrationsByNumbers([...seen.keys()]);
    for (const [number, status] of seen) {
      const registration = registrations.get(number);
      // The same status a decision writes (approved -> registered): targeting flags anything else.
      const wanted =
        registration && registration.status !== 'applied'
          ? statusOnParcels(registration.status)
          : UNREGISTERED;
      if (status !== wanted) await this.statuses.setStatus(number, wanted);
    }
  }

  private async registration(id: number): Promise<RegistrationRow> {
    const registration = await this.repository.findRegistration(id);
    if (!registration) throw new PartnersError('registration_not_found', `No seller registration ${id}`);
    return registration;
  }
}

function registrationView(row: RegistrationRow) {
  return {
    id: Number(row.id),
    registrationNumber: row.registration_number,
    legalName: row.legal_name,
    country: row.country,
    address: row.address,
    marketplaces: row.marketplaces,
    contact: row.contact,
    documents: row.documents,
    status: row.status,
    createdAt: new Date(row.created_at).toISOString(),
  };
}
