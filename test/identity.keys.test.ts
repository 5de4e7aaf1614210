import { sql } from 'kysely';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Clearway } from '../src/main.js';
import type { LoggedDenial } from '../src/modules/identity/index.js';
import { authHeader } from './support/test-app.js';
import { availableEngines } from './support/test-database.js';
import { createIdentityTestApp, officerSession, sessionCookies } from './support/identity-fixtures.js';

describe.each(await availableEngines())('API keys and accounts on %s', (engine) => {
  let app: Clearway;
  let admin: { authorization: string };
  const denials: LoggedDenial[] = [];

  beforeAll(async () => {
    // One second of key cache (five by default): the test of a change made elsewhere waits it out.
    ({ app } = await createIdentityTestApp(engine, { API_KEY_CACHE_SECONDS: '1' }));
    app.identity.denialListeners.add((denial) => denials.push(denial));
    admin = await authHeader(app, 'administrator');
  });
  afterAll(async () => app?.close());

  const me = (headers: Record<string, string>) =>
    app.http.inject({ method: 'GET', url: '/api/v1/auth/me', headers });
  const bearer = (token: string) => ({ authorization: `Bearer ${token}` });

  it('creates a key shown once and stored only as a hash; revoking it takes effect at once', async () => {
    const created = await app.http.inject({
      method: 'POST',
      url: '/api/v1/admin/keys',
      headers: admin,
      payload: { role: 'carrier', organisation: 'dhl', label: 'manifest uploader' },
    });
    expect(created.statusCode).toBe(201);
    const { token, keyId, accountId } = created.json();
    expect(accountId).toBe('org-carrier-DHL');
    const stored = await sql<{
      secret_sha256: string;
    }>`select secret_sha256 from identity_api_key where id = ${keyId}`.execute(app.database.db);
    expect(stored.rows[0]!.secret_sha256).toMatch(/^[0-9a-f]{64}$/);
    expect(token).not.toContain(stored.rows[0]!.secret_sha256);
    const listed = await app.http.inject({
      method: 'GET',
      url: '/api/v1/admin/keys?accountId=org-carrier-DHL',
      headers: admin,
    });
    expect(listed.body).not.toContain(token.slice(`cw_${keyId}_`.length));
    expect(listed.json().keys).toContainEqual(
      expect.objectContaining({ id: keyId, label: 'manifest uploader', scopes: ['*'] }),
    );

    expect((await me(bearer(token))).json()).toMatchObject({
      kind: 'organisation',
      organisation: 'DHL',
      roles: ['carrier'],
      via: 'api_key',
    });
    const revoked = await app.http.inject({
      method: 'DELETE',
      url: `/api/v1/admin/keys/${keyId}`,
      headers: admin,
    });
    expect(revoked.statusCode).toBe(200);
    expect(revoked.json().revokedAt).not.toBeNull();
    expect((await me(bearer(token))).statusCode).toBe(401);
    expect(
      (await app.http.inject({ method: 'DELETE', url: '/api/v1/admin/keys/000000000000', headers: admin }))
        .statusCode,
    ).toBe(404);
  });

  it('rotates a key: at once, or with a grace period for the old one', async () => {
    const first = await app.identity.service.createApiKey('postal_operator', {
      organisation: 'KPOST',
      scopes: ['postal:write'],
    });
    const rotated = await app.http.inject({
      method: 'POST',
      url: `/api/v1/admin/keys/${first.keyId}/rotate`,
      headers: admin,
    });
    expect(rotated.statusCode).toBe(201);
    expect(rotated.json()).toMatchObject({ accountId: first.accountId, scopes: ['postal:write'] });
    expect((await me(bearer(first.token))).statusCode).toBe(401);
    expect((await me(bearer(rotated.json().token))).statusCode).toBe(200);
    const again = await app.http.inject({
      method: 'POST',
      url: `/api/v1/admin/keys/${first.keyId}/rotate`,
      headers: admin,
    });
    expect(again.statusCode).toBe(409);

    const graceful = await app.http.inject({
      method: 'POST',
      url: `/api/v1/admin/keys/${rotated.json().keyId}/rotate`,
      headers: admin,
      payload: { graceMinutes: 30 },
    });
    expect(graceful.statusCode).toBe(201);
    expect(Date.parse(graceful.json().previousKeyValidUntil)).toBeGreaterThan(Date.now() + 29 * 60_000);
    expect((await me(bearer(rotated.json().token))).statusCode).toBe(200);
    expect((await me(bearer(graceful.json().token))).statusCode).toBe(200);
  });

  it('refuses an expired key, also while the process keeps it read', async () => {
    const key = await app.identity.service.createApiKey('agency', {
      organisation: 'MFDS',
      expiresAt: new Date(Date.now() + 1000),
    });
    expect((await me(bearer(key.token))).statusCode).toBe(200);
    await new Promise((resolve) => setTimeout(resolve, 1100));
    expect((await me(bearer(key.token))).statusCode).toBe(401);
  });

  it('applies a change made by another process within API_KEY_CACHE_SECONDS', async () => {
    const key = await app.identity.service.createApiKey('agency', { organisation: 'MFDS' });
    expect((await me(bearer(key.token))).statusCode).toBe(200);
    // As another process (or the command line) revokes it: this process's kept copy is not told.
    await sql`update identity_api_key set revoked_at = now() where id = ${key.keyId}`.execute(
      app.database.db,
    );
    expect((await me(bearer(key.token))).statusCode).toBe(200);
    await new Promise((resolve) => setTimeout(resolve, 1100));
    expect((await me(bearer(key.token))).statusCode).toBe(401);
  });

  it('holds a scoped key to its scopes on every route', async () => {
    const readOnly = await app.http.inject({
      method: 'POST',
      url: '/api/v1/admin/keys',
      headers: admin,
      payload: { role: 'administrator', scopes: ['admin:read'] },
    });
    const headers = bearer(readOnly.json().token);
    expect(
      (await app.http.inject({ method: 'GET', url: '/api/v1/admin/accounts', headers })).statusCode,
    ).toBe(200);
    const write = await app.http.inject({
      method: 'POST',
      url: '/api/v1/admin/keys',
      headers,
      payload: { role: 'carrier', organisation: 'UPS' },
    });
    expect(write.statusCode).toBe(403);
    expect(write.json().error).toMatchObject({
      code: 'key_scope_insufficient',
      message: expect.stringContaining('admin:write'),
    });
    const otherArea = await app.http.inject({ method: 'GET', url: '/api/v1/models', headers });
    expect(otherArea.statusCode).toBe(403);
    expect((await me(headers)).statusCode).toBe(200);
    const bad = await app.http.inject({
      method: 'POST',
      url: '/api/v1/admin/keys',
      headers: admin,
      payload: { role: 'carrier', organisation: 'UPS', scopes: ['everything'] },
    });
    expect(bad.statusCode).toBe(400);
  });

  it('creates officers with a one-time password, and disabling an account ends its keys and sessions', async () => {
    const created = await app.http.inject({
      method: 'POST',
      url: '/api/v1/admin/accounts',
      headers: admin,
      payload: {
        kind: 'officer',
        email: 'new.inspector@customs.example',
        name: 'New Inspector',
        roles: ['inspector'],
      },
    });
    expect(created.statusCode).toBe(201);
    const { account, temporaryPassword } = created.json();
    expect(temporaryPassword).toMatch(/^\w{20}$/);
    const login = await app.http.inject({
      method: 'POST',
      url: '/api/v1/auth/login',
      payload: { email: 'new.inspector@customs.example', password: temporaryPassword },
    });
    expect(login.statusCode).toBe(200);
    const session = { cookie: sessionCookies(login).cookie };
    const key = await app.identity.service.createApiKey('inspector', { accountId: account.id });

    const duplicate = await app.http.inject({
      method: 'POST',
      url: '/api/v1/admin/accounts',
      headers: admin,
      payload: {
        kind: 'officer',
        email: 'NEW.inspector@customs.example',
        name: 'Again',
        roles: ['inspector'],
      },
    });
    expect(duplicate.statusCode).toBe(409);

    const disabled = await app.http.inject({
      method: 'POST',
      url: `/api/v1/admin/accounts/${account.id}/disable`,
      headers: admin,
    });
    expect(disabled.json()).toMatchObject({ id: account.id, disabled: true });
    expect((await me(session)).statusCode).toBe(401);
    expect((await me(bearer(key.token))).statusCode).toBe(401);
    const again = await app.http.inject({
      method: 'POST',
      url: '/api/v1/auth/login',
      payload: { email: 'new.inspector@customs.example', password: temporaryPassword },
    });
    expect(again.statusCode).toBe(401);
  });

  it('logs every denial with the caller and route, and no personal data', async () => {
    const analyst = await authHeader(app, 'targeting_analyst');
    const denied = await app.http.inject({ method: 'GET', url: '/api/v1/admin/accounts', headers: analyst });
    expect(denied.statusCode).toBe(403);
    const logged = denials.find((denial) => denial.requestId === denied.headers['x-request-id']);
    expect(logged).toMatchObject({
      actor: expect.stringMatching(/^officer:/),
      action: 'administrator',
      code: 'forbidden',
      method: 'GET',
      route: '/api/v1/admin/accounts',
    });

    const anonymous = await app.http.inject({ method: 'GET', url: '/api/v1/parcels/12345' });
    expect(anonymous.statusCode).toBe(401);
    expect(denials.find((denial) => denial.requestId === anonymous.headers['x-request-id'])).toMatchObject({
      actor: 'anonymous',
      code: 'unauthenticated',
    });

    const withPersonalData = await app.http.inject({
      method: 'GET',
      url: '/api/v1/admin/audit?subject=P123456789012&actor=kim@mail.example',
      headers: analyst,
    });
    const entry = denials.find((denial) => denial.requestId === withPersonalData.headers['x-request-id']);
    expect(JSON.stringify(entry)).not.toMatch(/P123456789012|kim@mail/);
  });

  it('limits sign-in attempts per client', async () => {
    const { app: limited } = await createIdentityTestApp(engine, { AUTH_RATE_LIMIT_PER_MINUTE: '3' });
    try {
      const statuses: number[] = [];
      for (let attempt = 0; attempt < 5; attempt++) {
        statuses.push(
          (
            await limited.http.inject({
              method: 'POST',
              url: '/api/v1/auth/login',
              payload: { email: 'who@customs.example', password: 'guess number one' },
            })
          ).statusCode,
        );
      }
      expect(statuses).toEqual([401, 401, 401, 429, 429]);
      const codes = [];
      for (let attempt = 0; attempt < 4; attempt++) {
        codes.push(
          (
            await limited.http.inject({
              method: 'POST',
              url: '/api/v1/auth/consumer/code',
              payload: { email: 'who@mail.example' },
            })
          ).statusCode,
        );
      }
      expect(codes).toEqual([202, 202, 202, 429]);
      const limitedAnswer = await limited.http.inject({
        method: 'POST',
        url: '/api/v1/auth/consumer/verify',
        payload: { email: 'who@mail.example', code: '123456' },
      });
      expect(limitedAnswer.statusCode).toBe(401);
    } finally {
      await limited.close();
    }
  });

  it('keeps an officer session usable for the console with the CSRF token from /auth/me', async () => {
    const officer = await officerSession(app, ['administrator']);
    const fromMe = (await me({ cookie: officer.headers.cookie })).json().csrfToken;
    expect(fromMe).toBe(officer.headers['x-csrf-token']);
    const created = await app.http.inject({
      method: 'POST',
      url: '/api/v1/admin/keys',
      headers: { cookie: officer.headers.cookie, 'x-csrf-token': fromMe },
      payload: { role: 'agency', organisation: 'KATS' },
    });
    expect(created.statusCode).toBe(201);
  });
});
