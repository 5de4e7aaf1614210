import { mkdtempSync } from 'node:fs';
import { readdir, readFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createClearway, type Clearway } from '../../src/main.js';
import { systemActor, type OfficerRole } from '../../src/platform/auth/actor.js';
import { loadConfig } from '../../src/platform/config/config.js';
import { createTestDatabase, type Engine } from './test-database.js';

/**
 * A Clearway instance for identity tests: its own DATA_DIR (so its mail outbox is its own), a cheap
 * password hash cost, and sign-in rate limits out of the way unless a test sets them.
 */
export async function createIdentityTestApp(
  engine: Engine,
  environment: Record<string, string> = {},
): Promise<{ app: Clearway; dataDir: string }> {
  const dataDir = mkdtempSync(join(tmpdir(), 'clearway-identity-'));
  const config = loadConfig({
    NODE_ENV: 'test',
    LOG_LEVEL: process.env.TEST_LOG_LEVEL ?? 'silent',
    DATA_DIR: dataDir,
    PASSWORD_HASH_COST: '14',
    AUTH_RATE_LIMIT_PER_MINUTE: '10000',
    ...environment,
  });
  return { app: await createClearway(config, await createTestDatabase(engine)), dataDir };
}

/** Session and CSRF cookies from a response's set-cookie headers. */
export function sessionCookies(response: { headers: Record<string, unknown> }): {
  cookie: string;
  csrf: string;
  raw: string[];
} {
  const header = response.headers['set-cookie'];
  const raw = (Array.isArray(header) ? header : [header]).filter(
    (value): value is string => typeof value === 'string',
  );
  const value = (name: string) =>
    raw.map((line) => new RegExp(`^${name}=([^;]*)`).exec(line)?.[1]).find((found) => found !== undefined) ??
    '';
  return { cookie: `clearway_session=${value('clearway_session')}`, csrf: value('clearway_csrf'), raw };
}

/** Creates an officer with a password and signs in over HTTP; the headers carry the cookie and CSRF token. */
export async function officerSession(
  app: Clearway,
  roles: OfficerRole[],
  email = `${roles.join('-')}-${Math.random().toString(36).slice(2, 8)}@customs.example`,
): Promise<{
  accountId: string;
  email: string;
  password: string;
  headers: { cookie: string; 'x-csrf-token': string };
}> {
  const password = 'correct horse battery staple';
  const { account } = await app.identity.service.createAccount(systemActor, {
    kind: 'officer',
    email,
    name: `Officer ${roles.join(' ')}`,
    roles,
    password,
  });
  const response = await app.http.inject({
    method: 'POST',
    url: '/api/v1/auth/login',
    payload: { email, password },
  });
  if (response.statusCode !== 200) throw new Error(`login failed: ${response.statusCode} ${response.body}`);
  const { cookie, csrf } = sessionCookies(response);
  return { accountId: account.id, email, password, headers: { cookie, 'x-csrf-token': csrf } };
}

/** The mail in the outbox addressed to `to`, oldest first, as raw .eml text. */
export async function outboxMail(app: Clearway, dataDir: string, to: string): Promise<string[]> {
  await app.identity.signIn.mailIdle();
  const folder = join(dataDir, 'outbox');
  const names = (await readdir(folder).catch(() => [] as string[]))
    .filter((name) => name.endsWith('.eml'))
    .sort();
  const mails = await Promise.all(names.map((name) => readFile(join(folder, name), 'utf8')));
  return mails.filter((mail) => mail.includes(`\r\nTo: ${to}\r\n`));
}

/** The six-digit code of a one-time-code mail. */
export function codeOf(mail: string | undefined): string {
  const code = mail && /^ {4}(\d{6})\r?$/m.exec(mail)?.[1];
  if (!code) throw new Error(`no code in mail: ${mail}`);
  return code;
}

/**
 * Registers a consumer and verifies the address; the headers carry the session. The consumer holds no
 * PCCC yet: `typedPccc` is sent with the registration as a careless or malicious client might, and
 * must change nothing (a PCCC counts only once proved through the portal, see `provePccc`).
 */
export async function consumerSession(
  app: Clearway,
  dataDir: string,
  email = `buyer-${Math.random().toString(36).slice(2, 8)}@mail.example`,
  typedPccc?: string,
): Promise<{ email: string; accountId: string; headers: { cookie: string; 'x-csrf-token': string } }> {
  const registered = await app.http.inject({
    method: 'POST',
    url: '/api/v1/auth/consumer/register',
    payload: { email, name: 'Kim Minji', ...(typedPccc ? { pccc: typedPccc } : {}) },
  });
  if (registered.statusCode !== 202)
    throw new Error(`register failed: ${registered.statusCode} ${registered.body}`);
  const code = codeOf((await outboxMail(app, dataDir, email)).at(-1));
  const verified = await app.http.inject({
    method: 'POST',
    url: '/api/v1/auth/consumer/verify',
    payload: { email, code },
  });
  if (verified.statusCode !== 200) throw new Error(`verify failed: ${verified.statusCode} ${verified.body}`);
  const { cookie, csrf } = sessionCookies(verified);
  return { email, accountId: verified.json().me.accountId, headers: { cookie, 'x-csrf-token': csrf } };
}

/**
 * Proves a PCCC the way a holder does: the code the portal mails to the contact on file in the PCCC
 * registry (`onFile`; the registry must hold the PCCC) comes back from the outbox.
 */
export async function provePccc(
  app: Clearway,
  dataDir: string,
  consumer: { headers: Record<string, string> },
  pccc: string,
  onFile: string,
): Promise<void> {
  const requested = await app.http.inject({
    method: 'POST',
    url: '/api/v1/portal/pccc/link-requests',
    headers: consumer.headers,
    payload: { pccc },
  });
  if (requested.statusCode !== 202)
    throw new Error(`link request failed: ${requested.statusCode} ${requested.body}`);
  const code = codeOf((await outboxMail(app, dataDir, onFile)).at(-1));
  const linked = await app.http.inject({
    method: 'POST',
    url: '/api/v1/portal/pccc/link',
    headers: consumer.headers,
    payload: { pccc, code },
  });
  if (linked.statusCode !== 200) throw new Error(`link failed: ${linked.statusCode} ${linked.body}`);
}
