import type { FastifyReply, FastifyRequest } from 'fastify';

/** The session cookie (http-only) and the CSRF cookie (readable by our pages, to echo in `x-csrf-token`). */
export const SESSION_COOKIE = 'clearway_session';
export const CSRF_COOKIE = 'clearway_csrf';
export const CSRF_HEADER = 'x-csrf-token';

/** The value of one cookie of the request. Our values are base64url, so no decoding is needed. */
export function cookieValue(request: FastifyRequest, name: string): string | undefined {
  const header = request.headers.cookie;
  if (!header) return undefined;
  for (const part of header.split(';')) {
    const separator = part.indexOf('=');
    if (separator > 0 && part.slice(0, separator).trim() === name)
      return part.slice(separator + 1).trim() || undefined;
  }
  return undefined;
}

export function sessionTokenOf(request: FastifyRequest): string | undefined {
  return cookieValue(request, SESSION_COOKIE);
}

/**
 * Secure and SameSite=Strict always: browsers accept Secure cookies from http://localhost, and nothing
 * else should carry a session over plain HTTP.
 */
function cookie(name: string, value: string, maxAgeSeconds: number, httpOnly: boolean): string {
  return `${name}=${value}; Path=/; Max-Age=${maxAgeSeconds}; Secure; SameSite=Strict${httpOnly ? '; HttpOnly' : ''}`;
}

export function setSessionCookies(
  reply: FastifyReply,
  session: { token: string; csrfToken: string; expiresAt: Date },
): void {
  const maxAge = Math.max(0, Math.floor((session.expiresAt.getTime() - Date.now()) / 1000));
  reply.header('set-cookie', [
    cookie(SESSION_COOKIE, session.token, maxAge, true),
    cookie(CSRF_COOKIE, session.csrfToken, maxAge, false),
  ]);
}

export function clearSessionCookies(reply: FastifyReply): void {
  reply.header('set-cookie', [cookie(SESSION_COOKIE, '', 0, true), cookie(CSRF_COOKIE, '', 0, false)]);
}
