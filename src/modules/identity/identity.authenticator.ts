import type { FastifyRequest } from 'fastify';
import type { Actor } from '../../platform/auth/actor.js';
import type { Authenticator } from '../../platform/http/request-actor.js';
import type { IdentityService } from './identity.service.js';

/** Resolves `Authorization: Bearer <API key>` into the key's actor. */
export class IdentityAuthenticator implements Authenticator {
  constructor(private readonly identity: IdentityService) {}

  async authenticate(request: FastifyRequest): Promise<Actor | undefined> {
    const header = request.headers.authorization;
    if (header?.startsWith('Bearer ')) return this.identity.actorForApiKey(header.slice(7).trim());
    return undefined;
  }
}
