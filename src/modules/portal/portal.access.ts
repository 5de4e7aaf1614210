import { assertOfficer, deny, type Actor } from '../../platform/auth/actor.js';
import type { AuditTrail } from '../../platform/auth/audit-trail.js';
import { CommonError } from '../../platform/errors/module-error.js';
import { PortalError } from './portal.errors.js';
import type { PortalRepository } from './portal.repository.js';

export type ConsumerActor = Extract<Actor, { kind: 'consumer' }>;

/** Throws unless the caller is a signed-in consumer. */
export function requireConsumer(actor: Actor | undefined, action: string): ConsumerActor {
  if (!actor)
    throw new CommonError('unauthenticated', 'Sign in or send an API key (Authorization: Bearer <key>)');
  if (actor.kind !== 'consumer')
    deny(actor, action, undefined, 'This is for consumers signed in to the portal');
  return actor;
}

/**
 * The consumer's PCCC, once proved through the registry. A code typed at registration is not proof:
 * until the code sent to the contact on file comes back, the portal shows nothing under it.
 */
export async function requireLinkedPccc(
  repository: PortalRepository,
  actor: Actor | undefined,
  action: string,
): Promise<{ consumer: ConsumerActor; pccc: string }> {
  const consumer = requireConsumer(actor, action);
  const link = await repository.linkOfAccount(consumer.accountId);
  if (!link)
    throw new PortalError(
      'pccc_not_linked',
      'Link your personal customs clearance code first: ask for a code sent to the contact on file',
    );
  return { consumer, pccc: link.pccc };
}

/** Officers who work consumers' reports and inquiries. */
export function requireCaseOfficer(actor: Actor | undefined): void {
  assertOfficer(actor, 'targeting_analyst', 'inspector');
}

export async function recordAudit(
  audit: AuditTrail | undefined,
  entry: Parameters<AuditTrail['append']>[0],
  transaction?: unknown,
): Promise<void> {
  await audit?.append(entry, transaction ? { transaction } : undefined);
}
