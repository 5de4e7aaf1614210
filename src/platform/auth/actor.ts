/**
 * Who is calling. Every service use case takes the actor as its first argument and decides there, not
 * in the route, what the actor may see or change.
 */
export const officerRoles = ['targeting_analyst', 'xray_analyst', 'inspector', 'data_analyst', 'administrator'] as const;
export const organisationRoles = ['carrier', 'postal_operator', 'agency'] as const;
export const roles = [...officerRoles, ...organisationRoles, 'consumer'] as const;

export type OfficerRole = (typeof officerRoles)[number];
export type OrganisationRole = (typeof organisationRoles)[number];
export type Role = (typeof roles)[number];

export type Actor =
  | { kind: 'officer'; accountId: string; name: string; roles: readonly OfficerRole[] }
  | { kind: 'organisation'; accountId: string; role: OrganisationRole; organisation: string }
  | { kind: 'consumer'; accountId: string; pccc: string; email: string }
  /** Jobs, imports from the command line and start-up tasks run as the system. */
  | { kind: 'system'; accountId: 'system' };

export const systemActor: Actor = Object.freeze({ kind: 'system', accountId: 'system' });

export function isOfficer(actor: Actor, ...anyOf: OfficerRole[]): boolean {
  if (actor.kind === 'system') return true;
  if (actor.kind !== 'officer') return false;
  if (actor.roles.includes('administrator')) return true;
  return anyOf.length === 0 || anyOf.some((role) => actor.roles.includes(role));
}

/** A short, log-safe description of the actor. */
export function describeActor(actor: Actor): string {
  switch (actor.kind) {
    case 'officer':
      return `officer:${actor.accountId}`;
    case 'organisation':
      return `${actor.role}:${actor.organisation}`;
    case 'consumer':
      return `consumer:${actor.accountId}`;
    case 'system':
      return 'system';
  }
}
