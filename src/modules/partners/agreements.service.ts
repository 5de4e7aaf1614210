import type { Actor } from '../../platform/auth/actor.js';
import { assertOfficer, describeActor, isOfficer } from '../../platform/auth/actor.js';
import type { AuditTrail } from '../../platform/auth/audit-trail.js';
import { assertOfficerOrOwn, organisationOf } from './partners.access.js';
import { PartnersError } from './partners.errors.js';
import type { AgreementRow, DataSharing, NewAgreement, PartnersRepository } from './partners.repository.js';

/** An agreement as callers see it. */
export interface AgreementView {
  organisationCode: string;
  organisationRole: AgreementRow['organisation_role'];
  name: string;
  startsOn: string;
  endsOn: string;
  offices: string[];
  contacts: unknown[];
  obligations: string[];
  dataSharing: DataSharing[];
  status: AgreementRow['status'];
  statusReason: string | null;
  /** Active and today within its dates: the organisation may submit. */
  inForce: boolean;
  updatedAt: string;
}

/**
 * Agreements between customs and each carrier, post or agency: dates, offices, contacts, obligations
 * and status. An organisation whose agreement is suspended, terminated or outside its dates cannot
 * submit parcel data (the gate intake asks before every submission).
 */
export class AgreementsService {
  constructor(
    private readonly repository: PartnersRepository,
    private readonly audit: AuditTrail | undefined,
    private readonly today: () => string = () => new Date().toISOString().slice(0, 10),
  ) {}

  async save(actor: Actor, agreement: NewAgreement): Promise<AgreementView> {
    assertOfficer(actor, 'administrator');
    if (agreement.endsOn < agreement.startsOn)
      throw new PartnersError('invalid_request', 'endsOn must not be before startsOn', {
        fieldErrors: [
          {
            path: 'endsOn',
            value: agreement.endsOn,
            rule: 'after-start',
            message: 'must not be before startsOn',
          },
        ],
      });
    const before = await this.repository.findAgreement(agreement.organisationCode);
    const saved = await this.repository.saveAgreement(
      { ...agreement, organisationCode: agreement.organisationCode.toUpperCase() },
      describeActor(actor),
    );
    await this.audit?.append({
      actor,
      action: before ? 'partners.agreement_changed' : 'partners.agreement_created',
      subject: `organisation:${saved.organisation_code}`,
      details: { status: saved.status, previousStatus: before?.status ?? null, endsOn: saved.ends_on },
    });
    return this.view(saved);
  }

  async get(actor: Actor, organisationCode: string): Promise<AgreementView> {
    assertOfficerOrOwn(actor, 'partners.read_agreement', organisationCode, [
      'carrier',
      'postal_operator',
      'agency',
    ]);
    const agreement = await this.repository.findAgreement(organisationCode);
    if (!agreement) throw new PartnersError('agreement_not_found', `No agreement with ${organisationCode}`);
    return this.view(agreement);
  }

  async list(actor: Actor): Promise<AgreementView[]> {
    assertOfficer(actor);
    return (await this.repository.listAgreements()).map((row) => this.view(row));
  }

  /**
   * Refuses a submission by an organisation whose agreement is not in force. Organisations without
   * an agreement on record are let through, so that carriers keep submitting while agreements are
   * being entered; officers and the system are never stopped. The agreement is the one this process
   * read within the last few seconds (`recentAgreement`): a suspension saved elsewhere applies that late.
   */
  async assertMaySubmit(actor: Actor): Promise<void> {
    if (isOfficer(actor)) return;
    const organisation = organisationOf(actor);
    if (!organisation) return;
    const agreement = await this.repository.recentAgreement(organisation.code);
    if (!agreement || this.inForce(agreement)) return;
    const why =
      agreement.status !== 'active'
        ? `is ${agreement.status}${agreement.status_reason ? ` (${agreement.status_reason})` : ''}`
        : agreement.ends_on < this.today()
          ? `expired on ${agreement.ends_on}`
          : `starts on ${agreement.starts_on}`;
    throw new PartnersError(
      'agreement_not_in_force',
      `The agreement of ${organisation.code} with customs ${why}: submissions are refused until it is in force again`,
      { organisation: organisation.code, agreementStatus: agreement.status, endsOn: agreement.ends_on },
    );
  }

  private inForce(agreement: AgreementRow): boolean {
    const today = this.today();
    return agreement.status === 'active' && agreement.starts_on <= today && today <= agreement.ends_on;
  }

  private view(row: AgreementRow): AgreementView {
    return {
      organisationCode: row.organisation_code,
      organisationRole: row.organisation_role,
      name: row.name,
      startsOn: row.starts_on,
      endsOn: row.ends_on,
      offices: row.offices,
      contacts: (row.contacts as unknown[]) ?? [],
      obligations: row.obligations,
      dataSharing: row.data_sharing as DataSharing[],
      status: row.status,
      statusReason: row.status_reason,
      inForce: this.inForce(row),
      updatedAt: new Date(row.updated_at).toISOString(),
    };
  }
}
