import { createHash, createHmac, randomBytes, randomInt, timingSafeEqual } from 'node:crypto';

/**
 * Session tokens, CSRF tokens and one-time codes. Session tokens are 32 random bytes, stored only as
 * SHA-256; the CSRF token is an HMAC of the session token under SESSION_SECRET (a signed double-submit
 * token: the browser sends it back in `x-csrf-token`, and only a page of ours can read it).
 */
export function sha256Hex(text: string): string {
  return createHash('sha256').update(text).digest('hex');
}

export function newSessionToken(): { id: string; token: string; tokenSha256: string } {
  const token = randomBytes(32).toString('base64url');
  return { id: randomBytes(8).toString('hex'), token, tokenSha256: sha256Hex(token) };
}

export function csrfTokenFor(sessionToken: string, secret: string): string {
  return createHmac('sha256', secret).update(`csrf:${sessionToken}`).digest('base64url');
}

/** Constant-time comparison of two strings (false when lengths differ). */
export function sameSecret(given: string | undefined, expected: string): boolean {
  if (given === undefined) return false;
  const left = Buffer.from(given);
  const right = Buffer.from(expected);
  return left.length === right.length && timingSafeEqual(left, right);
}

/** A six-digit one-time code, uniformly drawn. */
export function newOneTimeCode(): string {
  return String(randomInt(0, 1_000_000)).padStart(6, '0');
}

/**
 * Codes are hashed with a keyed HMAC bound to the account: a six-digit code has only a million values,
 * so a plain hash in a leaked table would be reversed at once.
 */
export function oneTimeCodeHash(code: string, accountId: string, secret: string): string {
  return createHmac('sha256', secret).update(`otc:${accountId}:${code}`).digest('hex');
}
