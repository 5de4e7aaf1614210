import { CommonError } from '../errors/module-error.js';
import type { Locale } from '../i18n/locale.js';

/**
 * Who is calling. Every service use case takes the actor as its first argument and decides there, not
 * in the route, what the actor may see or change.
 */
export const officerRoles = [
  'targeting_analyst',
  'xray_analyst',
  'inspector',
  'data_analyst',
  'administrator',
] as const;
/** Sellers are foreign online sellers with an approved or pending registration; their code is the registration number. */
export const organisationRoles = ['carrier', 'postal_operator', 'agency', 'seller'] as const;
export const roles = [...officerRoles, ...organisationRoles, 'consumer'] as const;

export type OfficerRole = (typeof officerRoles)[number];
export type OrganisationRole = (typeof organisationRoles)[number];
export type Role = (typeof roles)[number];

/**
 * How the actor proved who it is: the API key or session id (never the secret), for the audit trail,
 * and, for API keys, the scopes the key was narrowed to (see docs/security.md; absent means all).
 */
export interface Credential {
  kind: 'api_key' | 'session';
  id: string;
  scopes?: readonly string[];
}

/**
 * The language the account holder chose (console, consumer app): what server-written texts are in when
 * a request names none (`readerLocale` in platform/http). Absent until chosen.
 */
interface ChosenLanguage {
  language?: Locale;
}

export type Actor =
  | ({
      kind: 'officer';
      accountId: string;
      name: string;
      roles: readonly OfficerRole[];
      credential?: Credential;
    } & ChosenLanguage)
  | ({
      kind: 'organisation';
      accountId: string;
      role: OrganisationRole;
      organisation: string;
      credential?: Credential;
    } & ChosenLanguage)
  | ({
      kind: 'consumer';
      accountId: string;
      /**
       * The PCCC the consumer proved through the portal's registry link (a code sent to the contact on
       * file), or null until they have. Never a code the consumer merely typed: it opens parcels.
       */
      pccc: string | null;
      email: string;
      credential?: Credential;
    } & ChosenLanguage)
  /** Jobs, imports from the command line and start-up tasks run as the system. */
  | { kind: 'system'; accountId: 'system' };

export const systemActor: Actor = Object.freeze({ kind: 'system', accountId: 'system' });

export function isOfficer(actor: Actor, ...anyOf: OfficerRole[]): boolean {
  if (actor.kind === 'system') return true;
  if (actor.kind !== 'officer') return false;
  if (actor.roles.includes('administrator')) return true;
  return anyOf.length === 0 || anyOf.some((role) => actor.roles.includes(role));
}

/** True for a carrier or postal operator (the organisations that own parcels), optionally of one organisation. */
export function isParcelOperator(
  actor: Actor,
  organisation?: string,
): actor is Extract<Actor, { kind: 'organisation' }> {
  return (
    actor.kind === 'organisation' &&
    (actor.role === 'carrier' || actor.role === 'postal_operator') &&
    (organisation === undefined || actor.organisation.toUpperCase() === organisation.toUpperCase())
  );
}

/**
 * The one rule for reading a parcel, shared by every module that shows parcel data: officers (any role)
 * and the system; the carrier or post that declared it; the consumer who proved the PCCC it carries; an agency
 * only when the parcel was shared with it (`sharedWith` lists organisation codes).
 */
export function mayReadParcel(
  actor: Actor,
  parcel: { carrierCode: string; pccc: string | null; sharedWith?: readonly string[] },
): boolean {
  switch (actor.kind) {
    case 'system':
      return true;
    case 'officer':
      return isOfficer(actor);
    case 'organisation':
      if (actor.role === 'agency')
        return (parcel.sharedWith ?? []).some(
          (code) => code.toUpperCase() === actor.organisation.toUpperCase(),
        );
      return isParcelOperator(actor, parcel.carrierCode);
    case 'consumer':
      return actor.pccc !== null && parcel.pccc === actor.pccc;
  }
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

/** What was refused to whom: written to the log by the HTTP edge (see `isAccessDenial`). */
export interface AccessDenial {
  /** `describeActor` of the caller, or `anonymous`. */
  actor: string;
  /** The use case that was refused, e.g. `identity.list_accounts`. */
  action: string;
  /** The object, by id, when there is one. */
  subject?: string;
}

/**
 * A refused access. It is a CommonError `forbidden` (HTTP 403, one error shape) that also carries what
 * was refused, so that the denial can be logged with the request; the client sees only the message.
 */
export class AccessDeniedError extends CommonError {
  constructor(
    readonly denial: AccessDenial,
    message = 'You are not allowed to do this',
  ) {
    super('forbidden', message);
  }
}

/** Throws unless the actor is an officer holding one of the roles (administrators and the system always pass). */
export function assertOfficer(
  actor: Actor | undefined,
  ...anyOf: OfficerRole[]
): asserts actor is Extract<Actor, { kind: 'officer' | 'system' }> {
  if (!actor)
    throw new CommonError('unauthenticated', 'Sign in or send an API key (Authorization: Bearer <key>)');
  if (!isOfficer(actor, ...anyOf)) {
    const needed = anyOf.length > 0 ? anyOf.join(' or ') : 'a customs officer';
    deny(
      actor,
      anyOf.length > 0 ? `officer:${anyOf.join('|')}` : 'officer',
      undefined,
      `This needs ${needed}`,
    );
  }
}

/** Throws unless the actor is an administrator (or the system). */
export function assertAdministrator(
  actor: Actor | undefined,
): asserts actor is Extract<Actor, { kind: 'officer' | 'system' }> {
  if (!actor)
    throw new CommonError('unauthenticated', 'Sign in or send an API key (Authorization: Bearer <key>)');
  if (actor.kind === 'system') return;
  if (actor.kind !== 'officer' || !actor.roles.includes('administrator'))
    deny(actor, 'administrator', undefined, 'This needs an administrator');
}

/** Throws an AccessDeniedError (403) for the actor. */
export function deny(actor: Actor | undefined, action: string, subject?: string, message?: string): never {
  throw new AccessDeniedError(
    { actor: actor ? describeActor(actor) : 'anonymous', action, subject },
    message,
  );
}

/**
 * Whether an error thrown by a service is an access denial that the edge should log: an
 * AccessDeniedError, any `forbidden` or `unauthenticated` error, and by convention any module code
 * starting with `not_your_` (answered as 404 so that ids reveal nothing, but still a denial).
 */
export function isAccessDenial(error: unknown): boolean {
  if (error instanceof AccessDeniedError) return true;
  const code = (error as { code?: unknown } | null)?.code;
  const module = (error as { module?: unknown } | null)?.module;
  if (typeof code !== 'string' || typeof module !== 'string') return false;
  return (
    code === 'forbidden' ||
    code === 'unauthenticated' ||
    code.startsWith('not_your_') ||
    code === 'csrf_token_invalid' ||
    code === 'key_scope_insufficient'
  );
}
