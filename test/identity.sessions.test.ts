import { sql } from 'kysely';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Clearway } from '../src/main.js';
import { systemActor } from '../src/platform/auth/actor.js';
import { authHeader } from './support/test-app.js';
import { availableEngines } from './support/test-database.js';
import {
  codeOf,
  consumerSession,
  createIdentityTestApp,
  officerSession,
  outboxMail,
  sessionCookies,
} from './support/identity-fixtures.js';

describe.each(await availableEngines())('sign-in and sessions on %s', (engine) => {
  let app: Clearway;
  let dataDir: string;
  let admin: { authorization: string };

  beforeAll(async () => {
    ({ app, dataDir } = await createIdentityTestApp(engine));
    admin = await authHeader(app, 'administrator');
  });
  afterAll(async () => app?.close());

  it('signs an officer in with a secure, http-only, same-site session cookie and a CSRF token', async () => {
    const created = await app.http.inject({
      method: 'POST',
      url: '/api/v1/admin/accounts',
      headers: admin,
      payload: {
        kind: 'officer',
        email: 'Analyst.One@customs.example',
        name: 'Analyst One',
        roles: ['targeting_analyst'],
        password: 'a long passphrase 42',
      },
    });
    expect(created.statusCode).toBe(201);
    expect(created.json().account).toMatchObject({
      kind: 'officer',
      email: 'analyst.one@customs.example',
      roles: ['targeting_analyst'],
      hasPassword: true,
    });

    const stored = await sql<{
      password_hash: string;
    }>`select password_hash from identity_account where email = 'analyst.one@customs.example'`.execute(
      app.database.db,
    );
    expect(stored.rows[0]!.password_hash).toMatch(/^scrypt\$14\$8\$1\$[\w-]{22}\$[\w-]{43}$/);

    const login = await app.http.inject({
      method: 'POST',
      url: '/api/v1/auth/login',
      payload: { email: 'analyst.one@customs.example', password: 'a long passphrase 42' },
    });
    expect(login.statusCode).toBe(200);
    const { raw, cookie, csrf } = sessionCookies(login);
    const sessionLine = raw.find((line) => line.startsWith('clearway_session='))!;
    expect(sessionLine).toMatch(/HttpOnly/);
    expect(sessionLine).toMatch(/Secure/);
    expect(sessionLine).toMatch(/SameSite=Strict/);
    expect(raw.find((line) => line.startsWith('clearway_csrf='))).not.toMatch(/HttpOnly/);
    expect(login.json()).toMatchObject({
      me: { kind: 'officer', roles: ['targeting_analyst'], via: 'session' },
      csrfToken: csrf,
    });

    const me = await app.http.inject({ method: 'GET', url: '/api/v1/auth/me', headers: { cookie } });
    expect(me.statusCode).toBe(200);
    expect(me.json()).toMatchObject({
      kind: 'officer',
      email: 'analyst.one@customs.example',
      csrfToken: csrf,
    });
  });

  it('documents its endpoints in the OpenAPI document', async () => {
    const paths = Object.keys(
      (await app.http.inject({ method: 'GET', url: '/api/openapi.json' })).json().paths,
    );
    for (const path of [
      '/api/v1/auth/login',
      '/api/v1/auth/logout',
      '/api/v1/auth/me',
      '/api/v1/auth/consumer/code',
      '/api/v1/auth/consumer/verify',
      '/api/v1/auth/consumer/register',
      '/api/v1/admin/accounts',
      '/api/v1/admin/keys',
      '/api/v1/admin/keys/{id}',
      '/api/v1/admin/keys/{id}/rotate',
      '/api/v1/admin/audit',
      '/api/v1/admin/audit/verify',
    ]) {
      expect(paths).toContain(path);
    }
  });

  it('refuses unsafe cookie requests without the CSRF token, and bearer requests need none', async () => {
    const session = await officerSession(app, ['administrator']);
    const body = { role: 'carrier', organisation: 'CSRFTEST' };
    const withoutToken = await app.http.inject({
      method: 'POST',
      url: '/api/v1/admin/keys',
      headers: { cookie: session.headers.cookie },
      payload: body,
    });
    expect(withoutToken.statusCode).toBe(403);
    expect(withoutToken.json().error.code).toBe('csrf_token_invalid');
    const wrongToken = await app.http.inject({
      method: 'POST',
      url: '/api/v1/admin/keys',
      headers: { cookie: session.headers.cookie, 'x-csrf-token': 'x'.repeat(43) },
      payload: body,
    });
    expect(wrongToken.statusCode).toBe(403);
    const withToken = await app.http.inject({
      method: 'POST',
      url: '/api/v1/admin/keys',
      headers: session.headers,
      payload: body,
    });
    expect(withToken.statusCode).toBe(201);
    const bearer = await app.http.inject({
      method: 'POST',
      url: '/api/v1/admin/keys',
      headers: admin,
      payload: body,
    });
    expect(bearer.statusCode).toBe(201);
  });

  it('answers a wrong password and an unknown address alike, and slows guessing down without locking the officer out', async () => {
    const officer = await officerSession(app, ['inspector']);
    const attempt = (email: string, password: string, remoteAddress: string) =>
      app.http.inject({
        method: 'POST',
        url: '/api/v1/auth/login',
        remoteAddress,
        payload: { email, password },
      });
    const wrong = await attempt(officer.email, 'not the password', '203.0.113.7');
    const unknown = await attempt('nobody@customs.example', 'not the password', '203.0.113.7');
    expect(wrong.statusCode).toBe(401);
    expect(unknown.statusCode).toBe(401);
    expect(wrong.json().error.message).toBe(unknown.json().error.message);
    for (let failure = 2; failure <= 5; failure++)
      await attempt(officer.email, 'not the password', '203.0.113.7');

    // The guesser's address now waits, even with the right password...
    const throttled = await attempt(officer.email, officer.password, '203.0.113.7');
    expect(throttled.statusCode).toBe(429);
    expect(throttled.json().error.code).toBe('too_many_attempts');
    expect(Number(throttled.headers['retry-after'])).toBeGreaterThan(0);
    // ...but the officer, elsewhere, signs in at once and is told how many attempts failed.
    const officerAtDesk = await attempt(officer.email, officer.password, '198.51.100.20');
    expect(officerAtDesk.statusCode, officerAtDesk.body).toBe(200);
    expect(officerAtDesk.json().failedSignInsSinceLastSignIn).toBe(5);
    const warning = (await outboxMail(app, dataDir, officer.email)).at(-1);
    expect(warning).toContain('5 failed sign-ins');

    const failures = await app.identity.audit.list(systemActor, {
      action: 'identity.login_failed',
      subject: `account:${officer.accountId}`,
    });
    expect(failures.map((entry) => entry.details.reason)).toContain('throttled');
  });

  it('creates the first administrator once, with a password shown once or chosen by ADMIN_PASSWORD', async () => {
    const first = await app.identity.signIn.ensureDemoAdministrator();
    expect(first).toMatchObject({ created: true, generatedPassword: expect.any(String) });
    const later = await app.identity.signIn.ensureDemoAdministrator();
    expect(later).toEqual({ email: first.email, created: false });
    const signIn = (password: string) =>
      app.http.inject({
        method: 'POST',
        url: '/api/v1/auth/login',
        payload: { email: first.email, password },
      });
    expect((await signIn(first.generatedPassword!)).statusCode).toBe(200);
    const chosen = await app.identity.signIn.ensureDemoAdministrator('a chosen pass phrase 42');
    expect(chosen.generatedPassword).toBeUndefined();
    expect((await signIn('a chosen pass phrase 42')).statusCode).toBe(200);
  });

  it('ends sessions at logout, after expiry and after idling', async () => {
    const one = await officerSession(app, ['data_analyst']);
    const logout = await app.http.inject({
      method: 'POST',
      url: '/api/v1/auth/logout',
      headers: one.headers,
    });
    expect(logout.statusCode).toBe(204);
    expect(String(logout.headers['set-cookie'])).toMatch(/clearway_session=;.*Max-Age=0/);
    expect(
      (await app.http.inject({ method: 'GET', url: '/api/v1/auth/me', headers: one.headers })).statusCode,
    ).toBe(401);

    const two = await officerSession(app, ['data_analyst']);
    await sql`update identity_session set expires_at = now() - interval '1 second' where account_id = ${two.accountId}`.execute(
      app.database.db,
    );
    expect(
      (await app.http.inject({ method: 'GET', url: '/api/v1/auth/me', headers: two.headers })).statusCode,
    ).toBe(401);

    const three = await officerSession(app, ['data_analyst']);
    await sql`update identity_session set last_seen_at = now() - interval '2 hours' where account_id = ${three.accountId}`.execute(
      app.database.db,
    );
    expect(
      (await app.http.inject({ method: 'GET', url: '/api/v1/auth/me', headers: three.headers })).statusCode,
    ).toBe(401);
  });

  it('lets an officer change the password; other sessions end', async () => {
    const first = await officerSession(app, ['xray_analyst']);
    const second = await app.http.inject({
      method: 'POST',
      url: '/api/v1/auth/login',
      payload: { email: first.email, password: first.password },
    });
    const secondHeaders = { cookie: sessionCookies(second).cookie };
    const weak = await app.http.inject({
      method: 'POST',
      url: '/api/v1/auth/password',
      headers: first.headers,
      payload: { currentPassword: first.password, newPassword: 'short' },
    });
    expect(weak.statusCode).toBe(400);
    const changed = await app.http.inject({
      method: 'POST',
      url: '/api/v1/auth/password',
      headers: first.headers,
      payload: { currentPassword: first.password, newPassword: 'an entirely new passphrase' },
    });
    expect(changed.statusCode).toBe(204);
    expect(
      (await app.http.inject({ method: 'GET', url: '/api/v1/auth/me', headers: first.headers })).statusCode,
    ).toBe(200);
    expect(
      (await app.http.inject({ method: 'GET', url: '/api/v1/auth/me', headers: secondHeaders })).statusCode,
    ).toBe(401);
    const again = await app.http.inject({
      method: 'POST',
      url: '/api/v1/auth/login',
      payload: { email: first.email, password: 'an entirely new passphrase' },
    });
    expect(again.statusCode).toBe(200);
  });

  it('registers a consumer by e-mail code, holding no PCCC until proved, and signs in again with a new code', async () => {
    const email = 'minji.kim@mail.example';
    const registered = await app.http.inject({
      method: 'POST',
      url: '/api/v1/auth/consumer/register',
      // A PCCC typed at registration is no proof: the server does not take it.
      payload: { email, pccc: 'P100000000001', name: 'Kim Minji' },
    });
    expect(registered.statusCode).toBe(202);
    const mails = await outboxMail(app, dataDir, email);
    expect(mails).toHaveLength(1);
    expect(mails[0]).toMatch(/^Subject: Your Clearway code: \d{6}\r$/m);

    const wrong = await app.http.inject({
      method: 'POST',
      url: '/api/v1/auth/consumer/verify',
      payload: { email, code: codeOf(mails[0]) === '000000' ? '000001' : '000000' },
    });
    expect(wrong.statusCode).toBe(401);
    const verified = await app.http.inject({
      method: 'POST',
      url: '/api/v1/auth/consumer/verify',
      payload: { email, code: codeOf(mails[0]) },
    });
    expect(verified.statusCode).toBe(200);
    expect(verified.json().me).toMatchObject({ kind: 'consumer', pccc: null, email, via: 'session' });
    const reused = await app.http.inject({
      method: 'POST',
      url: '/api/v1/auth/consumer/verify',
      payload: { email, code: codeOf(mails[0]) },
    });
    expect(reused.statusCode).toBe(401);

    // A new code is not sent within a minute of the last one (mail bombing); move the clock back instead.
    await sql`update identity_one_time_code set created_at = now() - interval '2 minutes'`.execute(
      app.database.db,
    );
    const asked = await app.http.inject({
      method: 'POST',
      url: '/api/v1/auth/consumer/code',
      payload: { email },
    });
    expect(asked.statusCode).toBe(202);
    const signIn = await outboxMail(app, dataDir, email);
    expect(signIn).toHaveLength(2);
    const session = await app.http.inject({
      method: 'POST',
      url: '/api/v1/auth/consumer/verify',
      payload: { email, code: codeOf(signIn[1]) },
    });
    expect(session.statusCode).toBe(200);
    const me = await app.http.inject({
      method: 'GET',
      url: '/api/v1/auth/me',
      headers: { cookie: sessionCookies(session).cookie },
    });
    expect(me.json()).toMatchObject({ kind: 'consumer', pccc: null });
  });

  it('does not reveal whether an address is registered, and sends nothing to unknown ones', async () => {
    const unknown = await app.http.inject({
      method: 'POST',
      url: '/api/v1/auth/consumer/code',
      payload: { email: 'stranger@mail.example' },
    });
    const known = await consumerSession(app, dataDir);
    await sql`update identity_one_time_code set created_at = now() - interval '2 minutes'`.execute(
      app.database.db,
    );
    const knownAsk = await app.http.inject({
      method: 'POST',
      url: '/api/v1/auth/consumer/code',
      payload: { email: known.email },
    });
    expect(unknown.statusCode).toBe(knownAsk.statusCode);
    expect(unknown.json()).toEqual(knownAsk.json());
    expect(await outboxMail(app, dataDir, 'stranger@mail.example')).toHaveLength(0);
  });

  it('kills a one-time code after five wrong tries', async () => {
    const email = 'guesser@mail.example';
    await app.http.inject({
      method: 'POST',
      url: '/api/v1/auth/consumer/register',
      payload: { email, name: 'Guess Er' },
    });
    const code = codeOf((await outboxMail(app, dataDir, email))[0]);
    const wrongCode = code === '999999' ? '999998' : '999999';
    for (let attempt = 0; attempt < 5; attempt++) {
      expect(
        (
          await app.http.inject({
            method: 'POST',
            url: '/api/v1/auth/consumer/verify',
            payload: { email, code: wrongCode },
          })
        ).statusCode,
      ).toBe(401);
    }
    expect(
      (
        await app.http.inject({
          method: 'POST',
          url: '/api/v1/auth/consumer/verify',
          payload: { email, code },
        })
      ).statusCode,
    ).toBe(401);
  });
});
