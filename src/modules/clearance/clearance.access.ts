import { isOfficer, mayReadParcel, type Actor, type OfficerRole } from '../../platform/auth/actor.js';
import type { AuditTrail } from '../../platform/auth/audit-trail.js';
import { ClearanceError } from './clearance.errors.js';
import type { ClearanceParcelRow, ClearanceRepository } from './clearance.repository.js';

/** Access checks and the audit entry that every clearance use case shares. */

export function requireOfficer(actor: Actor, ...roles: OfficerRole[]): void {
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

export async function requireParcelRow(
  repository: ClearanceRepository,
  parcelId: number,
): Promise<ClearanceParcelRow> {
  const row = await repository.findParcel(parcelId);
  if (!row) throw new ClearanceError('parcel_not_tracked', `No clearance record for parcel ${parcelId}`);
  return row;
}

/** Clearance's parcel rows under the one parcel-access rule (`mayReadParcel`, platform/auth). */
export function mayReadParcelRow(actor: Actor, row: ClearanceParcelRow): boolean {
  return mayReadParcel(actor, { carrierCode: row.carrier_code, pccc: row.pccc });
}

/** Appends to the audit trail inside the caller's transaction, so the entry and the change commit together. */
export async function recordAudit(
  audit: AuditTrail | undefined,
  entry: { actor: Actor; action: string; subject: string; details: Record<string, unknown> },
  transaction?: unknown,
): Promise<void> {
  if (audit) await audit.append(entry, transaction === undefined ? {} : { transaction });
}
