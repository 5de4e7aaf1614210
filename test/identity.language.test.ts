import { sql } from 'kysely';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Clearway } from '../src/main.js';
import { availableEngines } from './support/test-database.js';
import {
  codeOf,
  consumerSession,
  createIdentityTestApp,
  officerSession,
  outboxMail,
} from './support/identity-fixtures.js';

/**
 * Each account holder's language, stored: server-written texts follow it when a request names no
 * language of ours (scripts send no Accept-Language), and mails, which have no request, always do.
 */
describe.each(await availableEngines())('stored language on %s', (engine) => {
  let app: Clearway;
  let dataDir: string;

  beforeAll(async () => {
    ({ app, dataDir } = await createIdentityTestApp(engine));
  });
  afterAll(async () => app?.close());

  const setLanguage = (headers: Record<string, string>, language: string) =>
    app.http.inject({ method: 'PUT', url: '/api/v1/auth/me/language', headers, payload: { language } });
  /** A refusal whose field error is written by the server: a queue limit below 1. */
  const badQueueQuery = (headers: Record<string, string>) =>
    app.http.inject({ url: '/api/v1/targeting/queue?limit=0', headers });

  it("writes an officer's errors in the stored language unless the request names one of ours", async () => {
    const officer = await officerSession(app, ['targeting_analyst']);
    const before = await app.http.inject({ url: '/api/v1/auth/me', headers: officer.headers });
    expect(before.json().language).toBeNull();
    const english = (await badQueueQuery(officer.headers)).json().error.fieldErrors[0].message;
    expect(english).not.toBe('최소 1입니다');

    const stored = await setLanguage(officer.headers, 'ko');
    expect(stored.statusCode, stored.body).toBe(200);
    expect(stored.json()).toMatchObject({ kind: 'officer', language: 'ko' });
    const me = await app.http.inject({ url: '/api/v1/auth/me', headers: officer.headers });
    expect(me.json().language).toBe('ko');

    // No Accept-Language, or one naming none of ko, en and fr: the stored choice.
    for (const extra of [{}, { 'accept-language': 'de-DE, ja' }] as Record<string, string>[]) {
      const refusal = (await badQueueQuery({ ...officer.headers, ...extra })).json().error;
      expect(refusal.fieldErrors[0].message).toBe('최소 1입니다');
    }
    // A language the request names wins: the console sends the one on the screen.
    const french = (await badQueueQuery({ ...officer.headers, 'accept-language': 'fr' })).json().error;
    expect(french.fieldErrors[0].message).not.toBe('최소 1입니다');
    expect(french.fieldErrors[0].message).not.toBe(english);
  });

  it('refuses a language the product does not speak, naming the field', async () => {
    const officer = await officerSession(app, ['data_analyst']);
    const refused = await setLanguage(officer.headers, 'de');
    expect(refused.statusCode).toBe(400);
    expect(refused.json().error.fieldErrors[0].path).toBe('body/language');
    const anonymous = await app.http.inject({
      method: 'PUT',
      url: '/api/v1/auth/me/language',
      payload: { language: 'ko' },
    });
    expect(anonymous.statusCode).toBe(401);
  });

  it("follows an API key's account, for scripts that send no Accept-Language", async () => {
    const key = await app.identity.service.createApiKey('targeting_analyst');
    const bearer = { authorization: `Bearer ${key.token}` };
    expect((await setLanguage(bearer, 'fr')).statusCode).toBe(200);
    const refusal = (await badQueueQuery(bearer)).json().error;
    expect(refusal.fieldErrors[0].message).toBe(
      (await badQueueQuery({ ...bearer, 'accept-language': 'fr' })).json().error.fieldErrors[0].message,
    );
    expect(refusal.fieldErrors[0].message).not.toBe(
      (await badQueueQuery({ ...bearer, 'accept-language': 'en' })).json().error.fieldErrors[0].message,
    );
  });

  it("mails an officer about failed sign-ins in the officer's language only", async () => {
    const officer = await officerSession(app, ['inspector']);
    await setLanguage(officer.headers, 'fr');
    for (let failure = 1; failure <= 5; failure++)
      await app.http.inject({
        method: 'POST',
        url: '/api/v1/auth/login',
        remoteAddress: '203.0.113.41',
        payload: { email: officer.email, password: 'not the password' },
      });
    const warning = (await outboxMail(app, dataDir, officer.email)).at(-1)!;
    expect(warning).toContain('5 tentatives de connexion');
    expect(warning).not.toContain('failed sign-ins');
    expect(warning).not.toContain('로그인이');
  });

  it("mails a consumer's codes in the language of the registration, then in the one chosen", async () => {
    const email = `language-${Math.random().toString(36).slice(2, 8)}@mail.example`;
    await app.http.inject({
      method: 'POST',
      url: '/api/v1/auth/consumer/register',
      headers: { 'accept-language': 'ko-KR,ko;q=0.9' },
      payload: { email, pccc: 'P100000000777', name: 'Park Seoyeon' },
    });
    const registration = (await outboxMail(app, dataDir, email)).at(-1)!;
    expect(registration).toContain('이메일 주소 확인 코드');
    expect(codeOf(registration)).toMatch(/^\d{6}$/);

    const consumer = await consumerSession(app, dataDir, 'P100000000778');
    const chosen = await setLanguage(consumer.headers, 'fr');
    expect(chosen.json()).toMatchObject({ kind: 'consumer', language: 'fr' });
    // A new code is not sent within a minute of the last one (mail bombing); move the clock back instead.
    await sql`update identity_one_time_code set created_at = now() - interval '2 minutes'`.execute(
      app.database.db,
    );
    // The sign-in code goes to the holder, in the holder's language, whoever asked in whatever language.
    await app.http.inject({
      method: 'POST',
      url: '/api/v1/auth/consumer/code',
      headers: { 'accept-language': 'en' },
      payload: { email: consumer.email },
    });
    const signIn = (await outboxMail(app, dataDir, consumer.email)).at(-1)!;
    expect(signIn).toContain('Votre code pour vous connecter');
  });
});
