import type { Browser, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { codeOf, outboxMail } from '../support/identity-fixtures.js';
import { expressManifest, postalItem, s10 } from '../support/sample-data.js';
import { describeViolations, launchChromium, seriousAccessibilityViolations } from './support/browser.js';
import { officerCredentials, startConsoleServer, type ConsoleServer } from './support/console-server.js';

/**
 * The consumers' portal on a phone, in a real browser against the real server: sign in by a code from
 * the mail outbox, prove the PCCC with a code sent to the contact on file, read a parcel's tax line by
 * line, report a parcel, see list clearance suspended on the next one, ask and read the answer an
 * officer writes on the console's page (on a phone too), and read the public statistics without sign-in.
 */
describe('consumer portal on a phone (Chromium)', () => {
  let server: ConsoleServer;
  let browser: Browser;
  let page: Page;
  const suffix = Math.random().toString(36).slice(2, 8);
  const email = `buyer-${suffix}@mail.example`;
  const onFile = `holder-${suffix}@mail.example`;
  const pccc = `P7${String(Date.now()).slice(-11)}`;
  let serial = 66000000 + Math.floor(Math.random() * 100000);
  /** Parcel ids by tracking number, for the officers' steps taken through the API. */
  const parcelIds = new Map<string, number>();

  async function declare(contents: unknown[]): Promise<string> {
    serial += 1;
    const itemId = s10(serial, 'RR', 'CN');
    const item = postalItem({ itemId, contents });
    (item.addressee as Record<string, unknown>).importerReference = pccc;
    const created = await server.app.http.inject({
      method: 'POST',
      url: '/api/v1/postal/items',
      headers: server.postal,
      payload: item,
    });
    expect(created.statusCode, created.body).toBe(201);
    parcelIds.set(itemId, created.json().id);
    await server.app.settle();
    return itemId;
  }

  async function latestCode(to: string, count: number): Promise<string> {
    for (let attempt = 0; attempt < 50; attempt++) {
      const mails = await outboxMail(server.app, server.app.config.DATA_DIR, to);
      if (mails.length >= count) return codeOf(mails.at(-1));
      await new Promise((resolve) => setTimeout(resolve, 100));
    }
    throw new Error(`no code mailed to ${to}`);
  }

  async function expectAccessible(on: Page = page) {
    const violations = await seriousAccessibilityViolations(on);
    expect(violations, describeViolations(violations)).toEqual([]);
  }

  /** A fresh phone with nobody signed in (its own cookies). */
  const phone = () =>
    browser.newPage({ viewport: { width: 390, height: 844 }, locale: 'en-US', isMobile: true });

  beforeAll(async () => {
    [server, browser] = await Promise.all([startConsoleServer(), launchChromium()]);
    const { app, admin } = server;
    const rates = ['2026-11-09', '2026-11-16', '2026-11-23'].map((weekStarting) => ({
      currency: 'USD',
      weekStarting,
      krwPerUnit: '1400.00',
    }));
    await app.http.inject({
      method: 'PUT',
      url: '/api/v1/clearance/exchange-rates',
      headers: admin,
      payload: rates,
    });
    const registry = await app.http.inject({
      method: 'PUT',
      url: '/api/v1/portal/pccc-registry',
      headers: { ...admin, 'content-type': 'text/csv' },
      payload: `pccc,holder_name,email,phone,issued_on,expires_on,status\n${pccc},Kim Minji,${onFile},,2026-01-05,2027-01-04,active\n`,
    });
    expect(registry.statusCode, registry.body).toBe(200);
    const registered = await app.http.inject({
      method: 'POST',
      url: '/api/v1/auth/consumer/register',
      payload: { email, name: 'Kim Minji' },
    });
    expect(registered.statusCode).toBe(202);
    page = await phone();
  }, 240_000);

  afterAll(async () => {
    await browser?.close();
    await server?.close();
  });

  it(
    'signs in by code, proves the PCCC and shows the tax of a parcel line by line',
    { timeout: 120_000 },
    async () => {
      const jacket = await declare([
        {
          description: 'Leather jacket',
          quantity: 1,
          netMassKg: 1.2,
          value: 320,
          currency: 'USD',
          hsCode: '420310',
          originCountry: 'IT',
        },
      ]);
      await page.goto(`${server.baseUrl}/my/`);
      await page.getByLabel('E-mail').fill(email);
      await expectAccessible();
      // Registration mailed a verification code a moment ago: asking again within a minute sends no
      // other, and that code signs in (verifying the address).
      await page.getByRole('button', { name: 'Send me a sign-in code' }).click();
      await page.getByLabel('6-digit code').fill(await latestCode(email, 1));
      await page.getByRole('button', { name: 'Sign in' }).click();
      // Nothing shows under a code until it is proved: the code goes to the contact the registry holds.
      await page.getByLabel('Personal customs clearance code').fill(pccc);
      await page.getByRole('button', { name: 'Send the code' }).click();
      await expect.poll(() => page.getByText('Sent to').count()).toBe(1);
      await page.getByLabel('6-digit code').fill(await latestCode(onFile, 1));
      await expectAccessible();
      await page.getByRole('button', { name: 'Confirm' }).click();
      const card = page.getByRole('article', { name: jacket });
      await card.waitFor();
      await expect.poll(() => card.getByText('Leather jacket').count()).toBeGreaterThan(0);
      expect(await card.getByRole('columnheader', { name: 'Duty' }).count()).toBe(1);
      expect(await card.textContent()).toContain('the whole value is taxed');
      await page.screenshot({ path: 'docs/screenshots/my-parcel-phone.png', fullPage: false });
      await expectAccessible();
      // Customs releases it (taxes paid): the buyer follows it to the end of its timeline.
      const released = await server.app.http.inject({
        method: 'POST',
        url: `/api/v1/clearance/parcels/${parcelIds.get(jacket)}/transitions`,
        headers: server.admin,
        payload: { to: 'released', reason: 'duty and VAT paid' },
      });
      expect(released.statusCode, released.body).toBe(200);
      await page.reload();
      await card.locator('li.done', { hasText: 'Released' }).waitFor();
    },
  );

  it(
    'reports a parcel in one step and sees list clearance suspended on the next parcel',
    { timeout: 120_000 },
    async () => {
      const first = page.getByRole('article').first();
      await first.getByRole('button', { name: 'Not mine – report it' }).click();
      await first.getByLabel('What happened').fill('I never ordered this.');
      await first.getByRole('button', { name: 'Report' }).click();
      await page
        .getByRole('status')
        .filter({ hasText: 'List clearance under your code is suspended.' })
        .waitFor();
      const shirts = await declare([
        {
          description: 'Cotton T-shirt',
          quantity: 1,
          netMassKg: 0.2,
          value: 15,
          currency: 'USD',
          hsCode: '610910',
          originCountry: 'CN',
        },
      ]);
      await page.reload();
      const card = page.getByRole('article', { name: shirts });
      await card.waitFor();
      expect(await card.textContent()).toContain('List clearance is suspended under your customs code');
      await expectAccessible();
    },
  );

  it(
    'asks customs a question and reads the answer written in the console',
    { timeout: 120_000 },
    async () => {
      await page.getByLabel('Subject').fill('Why was my jacket taxed?');
      await page.getByLabel('Question').fill('It was a gift from my sister.');
      await page.getByRole('button', { name: 'Ask customs' }).click();
      await page.getByRole('article', { name: 'Why was my jacket taxed?' }).waitFor();
      // An officer answers on the console's consumer cases page, on a phone as well.
      const officer = await phone();
      try {
        await officer.goto(`${server.baseUrl}/consumer-cases`);
        // The console's own bundle loads on this fresh phone: on a busy machine that takes a while.
        await officer.getByRole('heading', { name: 'Sign in' }).waitFor({ timeout: 60_000 });
        await officer.getByLabel('User name or e-mail').fill(officerCredentials.email);
        await officer.getByLabel('Password').fill(officerCredentials.password);
        await officer.getByRole('button', { name: 'Sign in', exact: true }).click();
        await officer.getByRole('heading', { name: 'Consumers’ reports and questions' }).waitFor();
        const question = officer.locator('article').filter({ hasText: 'Why was my jacket taxed?' });
        await question.waitFor();
        expect(await question.textContent()).toContain('It was a gift from my sister.');
        await expectAccessible(officer);
        await officer.screenshot({
          path: 'docs/screenshots/console-consumer-cases-phone.png',
          fullPage: true,
        });
        await question.getByLabel('Note or answer').fill('Gifts over USD 150 are taxed like purchases.');
        await question.getByRole('button', { name: 'Send answer' }).click();
        // Answered, it leaves the open worklist.
        await expect.poll(() => question.count()).toBe(0);
      } finally {
        await officer.close();
      }
      await page.reload();
      await page.getByText('Gifts over USD 150 are taxed like purchases.').waitFor();
      await page.getByLabel('Language').selectOption('ko');
      await page.getByRole('heading', { name: '내 화물' }).waitFor();
      await expectAccessible();
    },
  );

  it(
    'shows the public statistics without sign-in, as charts, with small cells withheld',
    { timeout: 120_000 },
    async () => {
      // Twelve express parcels arriving today: enough for their channel's figures to be shown.
      const manifest = await server.app.http.inject({
        method: 'POST',
        url: '/api/v1/express/manifests',
        headers: server.admin,
        payload: expressManifest(12, {
          mawb: '180-88776656',
          arrivalDate: new Date().toISOString().slice(0, 10),
        }),
      });
      expect(manifest.json().accepted, manifest.body).toBe(12);
      // And one postal item arriving today: a cell of one, which must be withheld.
      serial += 1;
      const postal = await server.app.http.inject({
        method: 'POST',
        url: '/api/v1/postal/items',
        headers: server.postal,
        payload: postalItem({
          itemId: s10(serial, 'RR', 'CN'),
          expectedArrivalDate: new Date().toISOString().slice(0, 10),
        }),
      });
      expect(postal.statusCode, postal.body).toBe(201);
      await server.app.settle();
      const visitor = await phone();
      try {
        await visitor.goto(`${server.baseUrl}/my/statistics`);
        await visitor.getByRole('heading', { name: 'Customs statistics' }).waitFor();
        const channels = visitor.getByRole('region', { name: 'Parcels by channel' });
        await channels.getByRole('img', { name: 'Parcels by channel' }).waitFor();
        expect(await channels.locator('canvas').count()).toBeGreaterThan(0);
        expect(await channels.getByRole('row', { name: /Express/ }).textContent()).toMatch(/\d/);
        // The one postal parcel is under ten: withheld, never drawn or counted.
        expect(await channels.getByRole('row', { name: /Postal/ }).textContent()).toContain('under 10');
        for (const title of ['Parcels by origin', 'Hold rate by channel', 'Seizures by category'])
          await visitor.getByRole('heading', { name: title }).waitFor();
        // Nobody signed in: the page asked for no session and offers the way to one's own parcels.
        expect(await visitor.getByRole('link', { name: 'My parcels' }).count()).toBe(1);
        await visitor.screenshot({ path: 'docs/screenshots/my-statistics-phone.png', fullPage: false });
        await expectAccessible(visitor);
        await visitor.getByLabel('Language').selectOption('ko');
        await visitor.getByRole('heading', { name: '경로별 화물' }).waitFor();
        await expectAccessible(visitor);
      } finally {
        await visitor.close();
      }
    },
  );
});
