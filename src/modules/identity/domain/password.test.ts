import { describe, expect, it } from 'vitest';
import { generatePassword, hashPassword, needsRehash, passwordProblem, verifyPassword } from './password.js';

describe('password hashing', () => {
  it('verifies the right password and refuses others, with a fresh salt each time', async () => {
    const first = await hashPassword('correct horse battery staple', 14);
    const second = await hashPassword('correct horse battery staple', 14);
    expect(first).not.toBe(second);
    expect(first).toMatch(/^scrypt\$14\$8\$1\$/);
    expect(await verifyPassword('correct horse battery staple', first)).toBe(true);
    expect(await verifyPassword('correct horse battery stapler', first)).toBe(false);
    expect(await verifyPassword('', first)).toBe(false);
  });

  it('refuses malformed or absurd stored hashes instead of throwing or burning memory', async () => {
    expect(await verifyPassword('x', 'sha1$abc')).toBe(false);
    expect(await verifyPassword('x', 'scrypt$40$8$1$c2FsdA$aGFzaA')).toBe(false);
  });

  it('asks for a rehash when the configured cost went up', async () => {
    const hash = await hashPassword('correct horse battery staple', 14);
    expect(needsRehash(hash, 14)).toBe(false);
    expect(needsRehash(hash, 17)).toBe(true);
  });

  it('refuses short, repetitive and e-mail-like passwords', () => {
    expect(passwordProblem('short')).toMatch(/at least 12/);
    expect(passwordProblem('aaaaaaaaaaaaaaaa')).toMatch(/repeat/);
    expect(passwordProblem('jkim-secret-2026', 'jkim@customs.example')).toMatch(/e-mail/);
    expect(passwordProblem('a long passphrase 42')).toBeUndefined();
  });

  it('generates strong random passwords', () => {
    const passwords = new Set(Array.from({ length: 50 }, generatePassword));
    expect(passwords.size).toBe(50);
    for (const password of passwords) {
      expect(password).toMatch(/^[A-HJ-NP-Za-km-z2-9]{20}$/);
      expect(passwordProblem(password)).toBeUndefined();
    }
  });
});
