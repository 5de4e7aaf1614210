import type { FastifyRequest } from 'fastify';
import type { Actor } from '../../platform/auth/actor.js';
import type { Authenticator } from '../../platform/http/request-actor.js';
import { requiredScope, scopesAllow } from './domain/key-scopes.js';
import { CSRF_HEADER, sessionTokenOf } from './identity.cookies.js';
import { IdentityError } from './identity.errors.js';
import type { IdentityService } from './identity.service.js';
import type { SignInService } from './sign-in.service.js';

const SAFE_METHODS = new Set(['GET', 'HEAD', 'OPTIONS']);
/** Signing in and out, and asking who one is, are open to every key whatever its scopes. */
const SCOPE_FREE_AREAS = new Set(['auth']);

/**
 * Resolves the caller of a request: `Authorization: Bearer <API key>` first, else the session cookie.
 * Unknown, revoked and expired credentials make the caller anonymous (the route then answers 401).
 * Cookie-authenticated requests that change something must echo the CSRF token in `x-csrf-token`;
 * bearer requests need none (a browser never adds that header by itself). A scoped key is held to its
 * scopes here, for every route, including the ones added later.
 */
export class IdentityAuthenticator implements Authenticator {
  constructor(
    private readonly identity: IdentityService,
    private readonly signIn: SignInService,
  ) {}

  async authenticate(request: FastifyRequest): Promise<Actor | undefined> {
    const header = request.headers.authorization;
    if (header !== undefined) {
      if (!/^Bearer\s/i.test(header)) return undefined;
      const actor = await this.identity.actorForApiKey(header.slice(7).trim());
      if (actor) this.checkScopes(actor, request);
      return actor;
    }
    const token = sessionTokenOf(request);
    if (!token) return undefined;
    const actor = await this.signIn.actorForSession(token);
    if (!actor) return undefined;
    if (!SAFE_METHODS.has(request.method)) {
      const given = request.headers[CSRF_HEADER];
      if (!this.signIn.csrfTokenMatches(token, Array.isArray(given) ? given[0] : given)) {
        request.actor = actor; // so that the denial is logged against the session's owner
        throw new IdentityError(
          'csrf_token_invalid',
          `Send the CSRF token of your session in the ${CSRF_HEADER} header`,
        );
      }
    }
    return actor;
  }

  private checkScopes(actor: Actor, request: FastifyRequest): void {
    const scopes = actor.kind === 'system' ? undefined : actor.credential?.scopes;
    if (!scopes) return;
    const route = request.routeOptions.url;
    const needed = route ? requiredScope(request.method, route) : undefined;
    if (!needed || SCOPE_FREE_AREAS.has(needed.area)) return;
    if (!scopesAllow(scopes, needed)) {
      throw new IdentityError(
        'key_scope_insufficient',
        `This API key is limited to ${scopes.join(', ')}; this request needs ${needed.area}:${needed.access}`,
      );
    }
  }
}
