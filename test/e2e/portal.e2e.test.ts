import type { Browser, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { codeOf, outboxMail } from '../support/identity-fixtures.js';
import { postalItem, s10 } from '../support/sample-data.js';
import { describeViolations, launchChromium, seriousAccessibilityViolations } from './support/browser.js';
import { startConsoleServer, type ConsoleServer } from './support/console-server.js';

const DATA_DIR = '.tmp/test-data';

/**
 * The consumers' portal on a phone, in a real browser against the real server: sign in by a code from
 * the mail outbox, prove the PCCC with a code sent to the contact on file, read a parcel's tax line by
 * line, report a parcel, see list clearance suspended on the next one, ask and read customs' answer.
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
    await server.app.settle();
    return itemId;
  }

  async function latestCode(to: string, count: number): Promise<string> {
    for (let attempt = 0; attempt < 50; attempt++) {
      const mails = await outboxMail(server.app, DATA_DIR, to);
      if (mails.length >= count) return codeOf(mails.at(-1));
      await new Promise((resolve) => setTimeout(resolve, 100));
    }
    throw new Error(`no code mailed to ${to}`);
  }

  async function expectAccessible() {
    const violations = await seriousAccessibilityViolations(page);
    expect(violations, describeViolations(violations)).toEqual([]);
  }

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
    page = await browser.newPage({ viewport: { width: 390, height: 844 }, locale: 'en-US', isMobile: true });
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
      const worklist = await server.app.http.inject({
        method: 'GET',
        url: '/api/v1/portal/officer/inquiries?status=open',
        headers: server.admin,
      });
      const inquiry = (worklist.json() as { id: number; subject: string }[]).find(
        (row) => row.subject === 'Why was my jacket taxed?',
      )!;
      const answered = await server.app.http.inject({
        method: 'POST',
        url: `/api/v1/portal/inquiries/${inquiry.id}/messages`,
        headers: server.admin,
        payload: { body: 'Gifts over USD 150 are taxed like purchases.' },
      });
      expect(answered.statusCode, answered.body).toBe(201);
      await page.reload();
      await page.getByText('Gifts over USD 150 are taxed like purchases.').waitFor();
      await page.getByLabel('Language').selectOption('ko');
      await page.getByRole('heading', { name: '내 화물' }).waitFor();
      await expectAccessible();
    },
  );
});
