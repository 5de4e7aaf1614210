import { sql } from 'kysely';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Clearway } from '../src/main.js';
import { systemActor } from '../src/platform/auth/actor.js';
import {
  codeOf,
  consumerSession,
  createIdentityTestApp,
  officerSession,
  outboxMail,
} from './support/identity-fixtures.js';
import { authHeader } from './support/test-app.js';
import { postalItem, s10 } from './support/sample-data.js';
import { availableEngines } from './support/test-database.js';

type Headers = Record<string, string>;

const BUYER_PCCC = 'P100000000001';
const OTHER_PCCC = 'P100000000002';
const REGISTRY = [
  'pccc,holder_name,email,phone,issued_on,expires_on,status',
  `${BUYER_PCCC},Kim Minji,minji.onfile@mail.example,010-1234-5678,2026-01-10,2027-01-09,active`,
  `${OTHER_PCCC},Lee Jun,jun.onfile@mail.example,,2026-02-01,2027-01-31,active`,
].join('\n');

describe.each(await availableEngines())('consumer portal API on %s', (engine) => {
  let app: Clearway;
  let dataDir: string;
  let admin: Headers;
  let post: Headers;
  let buyer: { email: string; accountId: string; headers: Headers };
  let other: { email: string; headers: Headers };
  let officer: Headers;
  let serial = 71000000;

  const inject = (
    method: 'GET' | 'POST' | 'PUT' | 'DELETE',
    url: string,
    headers: Headers,
    payload?: unknown,
  ) => app.http.inject({ method, url, headers, payload: payload as never });

  /** Declares a postal item under a code and lets clearance and targeting take it in. */
  async function declare(pccc: string, overrides: Record<string, unknown> = {}): Promise<number> {
    serial += 1;
    const item = postalItem({ itemId: s10(serial, 'RR', 'CN'), ...overrides });
    (item.addressee as Record<string, unknown>).importerReference = pccc;
    const created = await inject('POST', '/api/v1/postal/items', post, item);
    expect(created.statusCode, created.body).toBe(201);
    await app.settle();
    return created.json().id;
  }

  async function link(session: { headers: Headers }, pccc: string, onFile: string) {
    const requested = await inject('POST', '/api/v1/portal/pccc/link-requests', session.headers, { pccc });
    expect(requested.statusCode, requested.body).toBe(202);
    const code = codeOf((await outboxMail(app, dataDir, onFile)).at(-1));
    const linked = await inject('POST', '/api/v1/portal/pccc/link', session.headers, { pccc, code });
    expect(linked.statusCode, linked.body).toBe(200);
    return linked.json();
  }

  beforeAll(async () => {
    ({ app, dataDir } = await createIdentityTestApp(engine));
    admin = await authHeader(app, 'administrator');
    post = await authHeader(app, 'postal_operator', 'KPOST');
    const rates = ['2026-11-09', '2026-11-16', '2026-11-23'].map((weekStarting) => ({
      currency: 'USD',
      weekStarting,
      krwPerUnit: '1400.00',
    }));
    expect((await inject('PUT', '/api/v1/clearance/exchange-rates', admin, rates)).statusCode).toBe(200);
    const imported = await app.http.inject({
      method: 'PUT',
      url: '/api/v1/portal/pccc-registry',
      headers: { ...admin, 'content-type': 'text/csv' },
      payload: REGISTRY,
    });
    expect(imported.statusCode, imported.body).toBe(200);
    expect(imported.json()).toEqual({ inserted: 2, updated: 0 });
    buyer = await consumerSession(app, dataDir, 'minji.login@mail.example');
    // The other consumer types the buyer's code at registration: that gives them nothing.
    other = await consumerSession(app, dataDir, 'jun.login@mail.example', BUYER_PCCC);
    officer = (await officerSession(app, ['inspector'])).headers;
  });

  afterAll(async () => {
    await app?.close();
  });

  it('refuses a registry file with bad rows, naming line and column, and stores none of it', async () => {
    const response = await app.http.inject({
      method: 'PUT',
      url: '/api/v1/portal/pccc-registry',
      headers: { ...admin, 'content-type': 'text/csv' },
      payload: `${REGISTRY.split('\n')[0]}\nP12,Nobody,,,2026-01-01,2025-01-01,active\n`,
    });
    expect(response.statusCode).toBe(422);
    const paths = response
      .json()
      .error.fieldErrors.map((error: { path: string; line: number }) => `${error.line}:${error.path}`);
    expect(paths).toEqual(expect.arrayContaining(['2:pccc', '2:email', '2:expires_on']));
  });

  it('shows nothing until the code sent to the contact on file comes back', async () => {
    const before = await inject('GET', '/api/v1/portal/parcels', buyer.headers);
    expect(before.statusCode).toBe(409);
    expect(before.json().error.code).toBe('pccc_not_linked');
    const typedAtRegistration = await inject('GET', '/api/v1/portal/parcels', other.headers);
    expect(typedAtRegistration.json().error.code).toBe('pccc_not_linked');
    // Anybody may ask to link any code, but the code goes to the e-mail in the registry, not to the
    // asker: a stranger asking for the buyer's code gets nothing to type in.
    const stranger = await inject('POST', '/api/v1/portal/pccc/link-requests', other.headers, {
      pccc: BUYER_PCCC,
    });
    expect(stranger.statusCode).toBe(202);
    expect(await outboxMail(app, dataDir, 'jun.login@mail.example')).toHaveLength(1);
    const guessed = await inject('POST', '/api/v1/portal/pccc/link', other.headers, {
      pccc: BUYER_PCCC,
      code: '000000',
    });
    expect(guessed.statusCode).toBe(422);
    const requested = await inject('POST', '/api/v1/portal/pccc/link-requests', buyer.headers, {
      pccc: BUYER_PCCC,
    });
    expect(requested.json().sentTo).toBe('m***@mail.example');
    expect(await outboxMail(app, dataDir, 'minji.onfile@mail.example')).toHaveLength(2);
    const wrong = await inject('POST', '/api/v1/portal/pccc/link', buyer.headers, {
      pccc: BUYER_PCCC,
      code: '000000',
    });
    expect(wrong.statusCode).toBe(422);
    const status = await link(buyer, BUYER_PCCC, 'minji.onfile@mail.example');
    expect(status).toMatchObject({ linked: true, expiresOn: '2027-01-09', listClearanceSuspended: false });
    // A new link code is not sent within a minute of the stranger's last ask; move the clock back instead.
    await sql`update portal_link_code set created_at = created_at - interval '2 minutes'`.execute(
      app.database.db,
    );
    await link(other, OTHER_PCCC, 'jun.onfile@mail.example');
    // One code per account: once linked, the other consumer cannot go on to link the buyer's.
    const second = await inject('POST', '/api/v1/portal/pccc/link-requests', other.headers, {
      pccc: BUYER_PCCC,
    });
    expect(second.json().error.code).toBe('account_already_linked');
  });

  it('lists my parcels with timeline, tax line by line and next steps, and audits each access', async () => {
    const cheap = await declare(BUYER_PCCC);
    const dear = await declare(BUYER_PCCC, {
      contents: [
        {
          description: 'Leather jacket',
          quantity: 1,
          netMassKg: 1.2,
          value: 320,
          currency: 'USD',
          hsCode: '420310',
          originCountry: 'IT',
        },
      ],
    });
    await declare(OTHER_PCCC);
    const listed = await inject('GET', '/api/v1/portal/parcels', {
      ...buyer.headers,
      'accept-language': 'ko',
    });
    expect(listed.statusCode, listed.body).toBe(200);
    const items = listed.json().items as { parcelId: number; [key: string]: any }[];
    expect(items.map((item) => item.parcelId).sort()).toEqual([cheap, dear].sort());
    const taxed = items.find((item) => item.parcelId === dear)!;
    expect(taxed.tax.rule).toBe('taxed');
    expect(taxed.tax.lines[0]).toMatchObject({ description: 'Leather jacket', currency: 'USD' });
    expect(taxed.tax.lines[0].dutyKrw + taxed.tax.lines[0].vatKrw).toBe(taxed.tax.totalTaxKrw);
    expect(taxed.tax.exchangeRates[0]).toContain('1400');
    expect(taxed.nextSteps[0]).toContain('납부');
    expect(taxed.timeline.map((step: { step: string }) => step.step)).toEqual([
      'declared',
      'arrived',
      'assessed',
      'released',
    ]);
    const free = items.find((item) => item.parcelId === cheap)!;
    expect(free.tax.rule).toBe('list_clearance');
    // Nothing of targeting reaches the buyer.
    expect(listed.body).not.toMatch(/score|lane|rule_?hit|criteria/i);
    const entries = await app.identity.audit.list(systemActor, { action: 'portal.parcels_viewed' });
    expect(JSON.stringify(entries)).toContain(String(dear));
  });

  it('audits every consumer access to a parcel, on intake’s and clearance’s routes too', async () => {
    const parcel = await declare(BUYER_PCCC);
    const tracking = (await inject('GET', `/api/v1/parcels/${parcel}`, buyer.headers)).json().trackingNumber;
    expect(tracking).toBeTruthy();
    expect((await inject('GET', `/api/v1/clearance/parcels/${parcel}`, buyer.headers)).statusCode).toBe(200);
    const search = await inject('GET', `/api/v1/parcels?trackingNumber=${tracking}`, buyer.headers);
    expect(search.json().items.map((item: { id: number }) => item.id)).toEqual([parcel]);
    for (const action of ['intake.parcel_viewed', 'clearance.parcel_viewed', 'intake.parcels_listed']) {
      const entries = await app.identity.audit.list(systemActor, { action });
      expect(JSON.stringify(entries), action).toContain(String(parcel));
      expect(JSON.stringify(entries), action).toContain(buyer.accountId);
    }
  });

  it('keeps consumers apart: parcels, reports and inquiries of another code answer 404', async () => {
    const theirs = await declare(OTHER_PCCC);
    expect((await inject('GET', `/api/v1/portal/parcels/${theirs}`, buyer.headers)).statusCode).toBe(404);
    const report = await inject('POST', '/api/v1/portal/pccc/misuse-reports', buyer.headers, {
      parcelIds: [theirs],
      statement: 'not mine',
    });
    expect(report.statusCode).toBe(404);
    const asked = await inject('POST', '/api/v1/portal/inquiries', other.headers, {
      subject: 'Mine',
      body: 'Hello',
    });
    expect(
      (await inject('GET', `/api/v1/portal/inquiries/${asked.json().id}`, buyer.headers)).statusCode,
    ).toBe(404);
  });

  it('suspends list clearance on a misuse report; the next parcel is cleared formally; officers work it', async () => {
    const stolen = await declare(BUYER_PCCC);
    const reported = await inject('POST', '/api/v1/portal/pccc/misuse-reports', buyer.headers, {
      parcelIds: [stolen],
      statement: 'I never ordered this; someone is using my code.',
    });
    expect(reported.statusCode, reported.body).toBe(201);
    const status = (await inject('GET', '/api/v1/portal/pccc', buyer.headers)).json();
    expect(status.listClearanceSuspended).toBe(true);
    const next = await declare(BUYER_PCCC);
    const view = (await inject('GET', `/api/v1/portal/parcels/${next}`, buyer.headers)).json();
    expect(view.tax.rule).not.toBe('list_clearance');
    expect(view.tax.listClearanceSuspended).toBe(true);
    // The holder cannot lift a suspension while officers have not worked the report.
    expect(
      (await inject('DELETE', '/api/v1/portal/pccc/suspension', buyer.headers)).json().listClearanceSuspended,
    ).toBe(true);
    const queue = await inject('GET', '/api/v1/portal/officer/misuse-reports?status=open', officer);
    expect(queue.json().map((row: { id: number }) => row.id)).toContain(reported.json().id);
    const decided = await inject(
      'POST',
      `/api/v1/portal/officer/misuse-reports/${reported.json().id}/decision`,
      officer,
      { status: 'confirmed', note: 'Declared by a reseller with a stolen code' },
    );
    expect(decided.json().status).toBe('confirmed');
    expect(
      (await inject('DELETE', '/api/v1/portal/pccc/suspension', buyer.headers)).json().listClearanceSuspended,
    ).toBe(false);
    expect((await inject('GET', '/api/v1/portal/officer/misuse-reports', buyer.headers)).statusCode).toBe(
      403,
    );
  });

  it('mails the holder once when a parcel is declared at an address they have not registered', async () => {
    const added = await inject('POST', '/api/v1/portal/pccc/addresses', buyer.headers, {
      label: 'Home',
      address: '123 Teheran-ro, Gangnam-gu, Seoul',
    });
    expect(added.statusCode, added.body).toBe(201);
    const before = (await outboxMail(app, dataDir, 'minji.onfile@mail.example')).length;
    await declare(BUYER_PCCC);
    await declare(BUYER_PCCC, {
      addressee: {
        name: 'Park',
        street: '77 Haeundae-ro',
        city: 'Busan',
        country: 'KR',
        importerReference: BUYER_PCCC,
      },
    });
    const mails = await outboxMail(app, dataDir, 'minji.onfile@mail.example');
    expect(mails.length - before).toBe(1);
    expect(mails.at(-1)).toContain('RR');
  });

  it('takes an inquiry with an attachment, and mails the officer’s answer', async () => {
    const pdf = Buffer.from('%PDF-1.4\n% receipt\n');
    const asked = await inject('POST', '/api/v1/portal/inquiries', buyer.headers, {
      subject: 'Why was I taxed?',
      body: 'The jacket was a gift.',
      attachments: [
        { fileName: 'receipt.pdf', mediaType: 'application/pdf', contentBase64: pdf.toString('base64') },
      ],
    });
    expect(asked.statusCode, asked.body).toBe(201);
    const inquiry = asked.json();
    expect(inquiry.status).toBe('open');
    expect(new Date(inquiry.answerDueAt).getTime()).toBeGreaterThan(Date.now());
    const fake = await inject('POST', '/api/v1/portal/inquiries', buyer.headers, {
      subject: 'x',
      body: 'y',
      attachments: [{ fileName: 'a.png', mediaType: 'image/png', contentBase64: pdf.toString('base64') }],
    });
    expect(fake.statusCode).toBe(422);
    const worklist = await inject('GET', '/api/v1/portal/officer/inquiries?status=open', officer);
    expect(worklist.json().map((row: { id: number }) => row.id)).toContain(inquiry.id);
    const file = await inject(
      'GET',
      `/api/v1/portal/inquiries/${inquiry.id}/attachments/${inquiry.attachments[0].id}`,
      officer,
    );
    expect(file.rawPayload.equals(pdf)).toBe(true);
    const answered = await inject('POST', `/api/v1/portal/inquiries/${inquiry.id}/messages`, officer, {
      body: 'Gifts over the limit are taxed like purchases.',
    });
    expect(answered.json().status).toBe('answered');
    const mail = (await outboxMail(app, dataDir, 'minji.onfile@mail.example')).at(-1);
    expect(mail).toContain('Gifts over the limit');
    const mine = (await inject('GET', `/api/v1/portal/inquiries/${inquiry.id}`, buyer.headers)).json();
    expect(mine.messages.map((message: { author: string }) => message.author)).toEqual([
      'consumer',
      'officer',
    ]);
  });

  it('reminds the holder of a linked code that expires within 30 days, once, as the scheduler does', async () => {
    const inDays = (days: number) => new Date(Date.now() + days * 86_400_000).toISOString().slice(0, 10);
    const [header] = REGISTRY.split('\n');
    const renewed = await app.http.inject({
      method: 'PUT',
      url: '/api/v1/portal/pccc-registry',
      headers: { ...admin, 'content-type': 'text/csv' },
      payload: [
        header,
        // The buyer's linked code enters its last 30 days; nobody linked the second one, which expires sooner.
        `${BUYER_PCCC},Kim Minji,minji.onfile@mail.example,,2026-01-10,${inDays(20)},active`,
        `P100000000009,Park Seoyeon,seoyeon.onfile@mail.example,,2026-01-10,${inDays(10)},active`,
      ].join('\n'),
    });
    expect(renewed.statusCode, renewed.body).toBe(200);
    const before = (await outboxMail(app, dataDir, 'minji.onfile@mail.example')).length;
    expect(await app.portal.protection.sendRenewalReminders(systemActor)).toEqual({ reminded: 1 });
    // The next round (the scheduler's, every hour) finds nothing new: the holder is mailed once.
    expect(await app.portal.protection.sendRenewalReminders(systemActor)).toEqual({ reminded: 0 });
    const mails = await outboxMail(app, dataDir, 'minji.onfile@mail.example');
    expect(mails).toHaveLength(before + 1);
    expect(mails.at(-1)).toContain(inDays(20));
    expect(await outboxMail(app, dataDir, 'seoyeon.onfile@mail.example')).toHaveLength(0);
    expect((await inject('GET', '/api/v1/portal/pccc', buyer.headers)).json().renewalDue).toBe(true);
    // Renewed for a year, the code is reminded again when its new expiry nears, not before.
    const later = await app.http.inject({
      method: 'PUT',
      url: '/api/v1/portal/pccc-registry',
      headers: { ...admin, 'content-type': 'text/csv' },
      payload: [
        header,
        `${BUYER_PCCC},Kim Minji,minji.onfile@mail.example,,2026-01-10,${inDays(385)},active`,
      ].join('\n'),
    });
    expect(later.statusCode, later.body).toBe(200);
    expect(await app.portal.protection.sendRenewalReminders(systemActor)).toEqual({ reminded: 0 });
    // Only administrators (and the scheduler, as the system) send them.
    expect((await inject('POST', '/api/v1/portal/pccc-registry/renewal-reminders', officer)).statusCode).toBe(
      403,
    );
  });

  it('mails the holder of a code at most five link codes an hour, however many accounts ask', async () => {
    for (let asker = 0; asker < 7; asker++) {
      const stranger = await consumerSession(app, dataDir);
      const asked = await inject('POST', '/api/v1/portal/pccc/link-requests', stranger.headers, {
        pccc: 'P100000000009',
      });
      expect(asked.statusCode).toBe(202);
    }
    expect(await outboxMail(app, dataDir, 'seoyeon.onfile@mail.example')).toHaveLength(5);
  });

  it('publishes statistics without sign-in, suppressing cells under ten parcels', async () => {
    const response = await app.http.inject({ method: 'GET', url: '/api/v1/public/statistics' });
    expect(response.statusCode, response.body).toBe(200);
    const statistics = response.json();
    expect(statistics.minimumCell).toBe(10);
    // The test declared fewer than ten parcels per channel and origin: every cell is suppressed.
    for (const cell of [...statistics.parcelsByChannel, ...statistics.parcelsByOrigin])
      expect(cell).toMatchObject({ parcels: null, suppressed: true });
    expect(response.headers['cache-control']).toContain('max-age');
  });
});
