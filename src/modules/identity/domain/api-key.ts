import { createHash, randomBytes, timingSafeEqual } from 'node:crypto';

/**
 * API keys look like `cw_<key id>_<secret>`. Only the SHA-256 of the secret is stored: the secret is
 * 32 random bytes, so a fast hash is enough (unlike passwords, it cannot be guessed from a dictionary).
 */
export interface NewApiKey {
  id: string;
  secret: string;
  token: string;
  secretSha256: string;
}

export function generateApiKey(): NewApiKey {
  const id = randomBytes(6).toString('hex');
  const secret = randomBytes(32).toString('base64url');
  return { id, secret, token: `cw_${id}_${secret}`, secretSha256: hashSecret(secret) };
}

export function parseApiKey(token: string): { id: string; secretSha256: string } | undefined {
  const match = /^cw_([0-9a-f]{12})_([A-Za-z0-9_-]{43})$/.exec(token);
  return match ? { id: match[1]!, secretSha256: hashSecret(match[2]!) } : undefined;
}

export function hashSecret(secret: string): string {
  return createHash('sha256').update(secret).digest('hex');
}

export function sameHash(a: string, b: string): boolean {
  const left = Buffer.from(a, 'hex');
  const right = Buffer.from(b, 'hex');
  return left.length === right.length && timingSafeEqual(left, right);
}
