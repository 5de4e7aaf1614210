import { randomBytes, scrypt, timingSafeEqual, type ScryptOptions } from 'node:crypto';

/**
 * Officer passwords, hashed with scrypt (memory-hard, in Node's crypto, run on libuv's thread pool so
 * the event loop is not blocked). The stored form names its parameters, so raising the cost later
 * leaves old hashes verifiable: `scrypt$<log2 N>$<r>$<p>$<salt>$<hash>` (salt and hash base64url).
 */
const KEY_LENGTH = 32;
const BLOCK_SIZE = 8;
const PARALLELISM = 1;

export const MIN_PASSWORD_LENGTH = 12;
export const MAX_PASSWORD_LENGTH = 256;

function derive(
  password: string,
  salt: Buffer,
  options: ScryptOptions & { N: number; r: number; p: number },
): Promise<Buffer> {
  return new Promise((resolve, reject) =>
    scrypt(
      password.normalize('NFKC'),
      salt,
      KEY_LENGTH,
      { ...options, maxmem: 256 * options.N * options.r * options.p },
      (error, key) => (error ? reject(error) : resolve(key)),
    ),
  );
}

/** Hashes a password with cost 2^log2Cost (r=8, p=1). */
export async function hashPassword(password: string, log2Cost: number): Promise<string> {
  const salt = randomBytes(16);
  const options = { N: 2 ** log2Cost, r: BLOCK_SIZE, p: PARALLELISM };
  const key = await derive(password, salt, options);
  return [
    'scrypt',
    log2Cost,
    BLOCK_SIZE,
    PARALLELISM,
    salt.toString('base64url'),
    key.toString('base64url'),
  ].join('$');
}

/** True when the password matches the stored hash; false for a malformed hash. Constant-time compare. */
export async function verifyPassword(password: string, stored: string): Promise<boolean> {
  const parts = stored.split('$');
  if (parts.length !== 6 || parts[0] !== 'scrypt') return false;
  const [log2Cost, r, p] = parts.slice(1, 4).map(Number) as [number, number, number];
  if (
    ![log2Cost, r, p].every(Number.isInteger) ||
    log2Cost < 10 ||
    log2Cost > 22 ||
    r < 1 ||
    r > 32 ||
    p < 1 ||
    p > 16
  )
    return false;
  const expected = Buffer.from(parts[5]!, 'base64url');
  if (password.length > MAX_PASSWORD_LENGTH) return false;
  const key = await derive(password, Buffer.from(parts[4]!, 'base64url'), { N: 2 ** log2Cost, r, p });
  return key.length === expected.length && timingSafeEqual(key, expected);
}

/** True when the hash was made with a lower cost than configured now (rehash at next sign-in). */
export function needsRehash(stored: string, log2Cost: number): boolean {
  const parts = stored.split('$');
  return parts[0] !== 'scrypt' || Number(parts[1]) < log2Cost;
}

/** Why a new password is refused, or undefined when it is acceptable. */
export function passwordProblem(password: string, email?: string): string | undefined {
  if (password.length < MIN_PASSWORD_LENGTH) return `must have at least ${MIN_PASSWORD_LENGTH} characters`;
  if (password.length > MAX_PASSWORD_LENGTH) return `must have at most ${MAX_PASSWORD_LENGTH} characters`;
  if (new Set(password).size < 5) return 'must not repeat the same few characters';
  if (
    email &&
    password.toLowerCase().includes(email.toLowerCase().split('@')[0]!) &&
    email.split('@')[0]!.length >= 4
  )
    return 'must not contain the e-mail address';
  return undefined;
}

/** A random password for new accounts and the demo administrator: 20 characters, about 119 bits. */
export function generatePassword(): string {
  const alphabet = 'ABCDEFGHJKLMNPQRSTUVWXYZabcdefghijkmnopqrstuvwxyz23456789';
  const bytes = randomBytes(40);
  let password = '';
  for (const byte of bytes) {
    if (byte >= 4 * alphabet.length) continue; // rejection sampling: no modulo bias
    password += alphabet[byte % alphabet.length];
    if (password.length === 20) break;
  }
  return password.length === 20 ? password : generatePassword();
}
