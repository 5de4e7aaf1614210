import type { FastifyReply, FastifyRequest } from 'fastify';
import type { Actor } from '../auth/actor.js';
import { CommonError } from '../errors/module-error.js';
import { namedLocale, type Locale } from '../i18n/locale.js';

/** Resolves the caller of a request from its credentials (API key, session cookie), or undefined. */
export interface Authenticator {
  authenticate(request: FastifyRequest, reply: FastifyReply): Promise<Actor | undefined>;
}

declare module 'fastify' {
  interface FastifyRequest {
    /** Set by the authentication hook before any handler runs; undefined for anonymous callers. */
    actor: Actor | undefined;
  }
}

/** The caller of the request, or a 401 when the request carries no valid credentials. */
export function requireActor(request: FastifyRequest): Actor {
  if (!request.actor)
    throw new CommonError('unauthenticated', 'Sign in or send an API key (Authorization: Bearer <key>)');
  return request.actor;
}

/**
 * The language to write server texts in for this request: the one its Accept-Language names, else the
 * one the signed-in caller chose (scripts with an API key send no header), else English.
 */
export function readerLocale(request: FastifyRequest): Locale {
  const header = request.headers['accept-language'];
  const actor = request.actor;
  return (
    namedLocale(Array.isArray(header) ? header[0] : header) ??
    (actor && actor.kind !== 'system' ? actor.language : undefined) ??
    'en'
  );
}
