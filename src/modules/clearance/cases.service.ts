import { describeActor, type Actor } from '../../platform/auth/actor.js';
import { recordAudit, requireOfficer } from './clearance.access.js';
import type { AuditTrail } from '../../platform/auth/audit-trail.js';
import { ClearanceError } from './clearance.errors.js';
import type { ClearanceRepository, OfficerCaseRow } from './clearance.repository.js';
import { describeCase, type OfficerCaseDetails, type OfficerLanguage } from './domain/officer-cases.js';

/** A case as an officer reads it: what to do, in the reader's language, with the facts behind it. */
export interface OfficerCaseView {
  id: number;
  parcelId: number;
  kind: OfficerCaseRow['kind'];
  status: 'open' | 'closed';
  task: string;
  details: OfficerCaseDetails;
  openedAt: string;
  closedAt: string | null;
  closedBy: string | null;
  resolution: string | null;
}

export function officerCaseView(row: OfficerCaseRow, language: OfficerLanguage): OfficerCaseView {
  const details = { ...(row.details as object), kind: row.kind } as OfficerCaseDetails;
  return {
    id: row.id,
    parcelId: row.parcel_id,
    kind: row.kind,
    status: row.status,
    task: describeCase(details, language),
    details,
    openedAt: new Date(row.opened_at).toISOString(),
    closedAt: row.closed_at ? new Date(row.closed_at).toISOString() : null,
    closedBy: row.closed_by,
    resolution: row.resolution,
  };
}

/** Officer cases: additional tax after release, parcels held for a missing week of rates. */
export class CasesService {
  constructor(
    private readonly repository: ClearanceRepository,
    private readonly audit: AuditTrail | undefined,
  ) {}

  async listCases(
    actor: Actor,
    filter: { status?: 'open' | 'closed'; kind?: OfficerCaseRow['kind']; limit: number },
    language: OfficerLanguage,
  ): Promise<OfficerCaseView[]> {
    requireOfficer(actor);
    return (await this.repository.listCases(filter)).map((row) => officerCaseView(row, language));
  }

  /** Closes a case with what the officer did (an additional-tax case: the tax assessed, or why none). */
  async closeCase(
    actor: Actor,
    caseId: number,
    resolution: string,
    language: OfficerLanguage,
  ): Promise<OfficerCaseView> {
    requireOfficer(actor, 'targeting_analyst', 'inspector');
    if (!resolution.trim()) throw new ClearanceError('reason_required', 'Say what was done about the case');
    const closed = await this.repository.closeCase(caseId, describeActor(actor), resolution.trim());
    if (!closed) throw new ClearanceError('case_not_open', `No open case ${caseId}`);
    await recordAudit(this.audit, {
      actor,
      action: 'clearance.case_closed',
      subject: `parcel:${closed.parcel_id}`,
      details: { caseId, kind: closed.kind, resolution: resolution.trim() },
    });
    return officerCaseView(closed, language);
  }
}
