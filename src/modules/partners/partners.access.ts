import type { Actor, OrganisationRole } from '../../platform/auth/actor.js';
import { deny, isOfficer } from '../../platform/auth/actor.js';
import { CommonError } from '../../platform/errors/module-error.js';

/** The organisation calling, when it is one of these roles; undefined for officers and the system. */
export function organisationOf(
  actor: Actor,
  ...roles: OrganisationRole[]
): { code: string; role: OrganisationRole; accountId: string } | undefined {
  if (actor.kind !== 'organisation') return undefined;
  if (roles.length > 0 && !roles.includes(actor.role)) return undefined;
  return { code: actor.organisation.toUpperCase(), role: actor.role, accountId: actor.accountId };
}

/** Officers (any role, or those given), or the organisation itself when it is one of `roles`. */
export function assertOfficerOrOwn(
  actor: Actor | undefined,
  action: string,
  organisationCode: string,
  roles: OrganisationRole[],
): void {
  if (!actor)
    throw new CommonError('unauthenticated', 'Sign in or send an API key (Authorization: Bearer <key>)');
  if (isOfficer(actor)) return;
  const own = organisationOf(actor, ...roles);
  if (own && own.code === organisationCode.toUpperCase()) return;
  deny(actor, action, organisationCode, 'Only customs officers and the organisation itself may see this');
}

/** Throws unless the actor is an organisation of one of these roles; returns it. */
export function requireOrganisation(actor: Actor, action: string, ...roles: OrganisationRole[]) {
  const organisation = organisationOf(actor, ...roles);
  if (!organisation) deny(actor, action, undefined, `This is for ${roles.join(' or ')} accounts`);
  return organisation;
}
