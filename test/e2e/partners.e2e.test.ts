import { mkdirSync } from 'node:fs';
import { join } from 'node:path';
import type { Browser, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { systemActor } from '../../src/platform/auth/actor.js';
import { expressManifest } from '../support/sample-data.js';
import { describeViolations, launchChromium, seriousAccessibilityViolations } from './support/browser.js';
import {
  officerCredentials,
  repositoryRoot,
  startConsoleServer,
  type ConsoleServer,
} from './support/console-server.js';

const screenshots = join(repositoryRoot, 'docs', 'screenshots');
const carrier = { email: 'customs@dhl.example', password: 'dhl partner password 2026' };
const agency = { email: 'desk@kats.example', password: 'kats partner password 2026' };
const seller = { email: 'export@lantern.example', password: 'lantern seller password 26' };
const quarter = `${new Date().getUTCFullYear()}-Q${Math.floor(new Date().getUTCMonth() / 3) + 1}`;

/**
 * The partner area in a real browser against the real server: a carrier, an agency and a seller sign in
 * with their organisation accounts and see their own pages; officers see the partner pages and decide a
 * registration. Every page is checked with axe.
 */
describe('partner area (Chromium)', () => {
  let server: ConsoleServer;
  let browser: Browser;

  const newPage = async (locale = 'en-GB'): Promise<Page> => {
    const context = await browser.newContext({ viewport: { width: 1280, height: 900 }, locale });
    context.setDefaultTimeout(15_000);
    const page = await context.newPage();
    page.on('pageerror', (error) => console.error('page error:', error));
    return page;
  };
  const signIn = async (page: Page, path: string, credentials: { email: string; password: string }) => {
    await page.goto(`${server.baseUrl}${path}`);
    // A new browser context loads the whole console first: on a loaded CI machine (two test files with
    // browsers side by side) that once took longer than the 15 s an action may wait.
    await page.locator('#login-username').waitFor({ timeout: 60_000 });
    await page.locator('#login-username').fill(credentials.email);
    await page.locator('#login-password').fill(credentials.password);
    await page.locator('form button[type=submit]').click();
  };
  const expectAccessible = async (page: Page) => {
    const violations = await seriousAccessibilityViolations(page);
    expect(violations, describeViolations(violations)).toEqual([]);
  };

  beforeAll(async () => {
    mkdirSync(screenshots, { recursive: true });
    [server, browser] = await Promise.all([startConsoleServer(), launchChromium()]);
    const { app, admin } = server;
    const agreement = (organisationRole: string, name: string) => ({
      organisationRole,
      name,
      startsOn: '2025-01-01',
      endsOn: '2030-12-31',
      offices: ['ICN'],
      obligations: ['data before arrival'],
      dataSharing: organisationRole === 'agency' ? ['tracking_number'] : [],
      status: 'active',
    });
    for (const [code, role, name] of [
      ['DHL', 'carrier', 'DHL Korea'],
      ['KATS', 'agency', 'Korean Agency for Technology and Standards'],
    ] as const) {
      const saved = await app.http.inject({
        method: 'PUT',
        url: `/api/v1/partners/agreements/${code}`,
        headers: admin,
        payload: agreement(role, name),
      });
      expect(saved.statusCode, saved.body).toBe(200);
    }
    await app.identity.service.createAccount(systemActor, {
      kind: 'organisation',
      role: 'carrier',
      organisation: 'DHL',
      ...carrier,
    });
    await app.identity.service.createAccount(systemActor, {
      kind: 'organisation',
      role: 'agency',
      organisation: 'KATS',
      ...agency,
    });
    await app.partners.alerts.publish(systemActor, {
      kind: 'alert',
      category: 'narcotics',
      title: 'Methamphetamine in tea packets',
      body: 'Tea packets from the same three shippers hide crystals under the leaves.',
      concealmentMethod: 'double-bottomed tea tins',
      indicators: ['tins heavier than declared'],
      caseReference: 'CASE-SECRET-7',
      suspectNames: ['Suspect Name'],
      audience: ['DHL'],
    });
    // A DHL parcel received before the agency's report: the report's look-back finds it.
    const base = expressManifest(1, { arrivalDate: '2099-01-01' });
    const house = (base.houses as Record<string, unknown>[])[0]!;
    const manifest = await app.http.inject({
      method: 'POST',
      url: '/api/v1/express/manifests',
      headers: {
        authorization: (
          await app.identity.service.createApiKey('carrier', { organisation: 'DHL' })
        ).token.replace(/^/, 'Bearer '),
      },
      payload: {
        ...base,
        houses: [
          {
            ...house,
            hawb: 'DHLE2E0001',
            lines: [{ ...(house.lines as object[])[0], description: 'Power bank PB-20000 fast charge' }],
          },
        ],
      },
    });
    expect(manifest.statusCode, manifest.body).toBe(200);
    await app.settle();
  }, 240_000);

  afterAll(async () => {
    await browser?.close();
    await server?.close();
  });

  it(
    'lets a carrier read and acknowledge its alerts, send its inspection figures and see its compliance',
    { timeout: 180_000 },
    async () => {
      const page = await newPage();
      await signIn(page, '/', carrier);
      await page.getByRole('heading', { name: 'Alerts and training material' }).waitFor();
      await page.getByText('Methamphetamine in tea packets').waitFor();
      expect(await page.content()).not.toContain('CASE-SECRET-7');
      expect(await page.content()).not.toContain('Suspect Name');
      await expectAccessible(page);
      await page.getByRole('button', { name: 'Acknowledge' }).click();
      await page.getByText(/^Acknowledged /).waitFor();

      await page.getByRole('link', { name: 'Compliance' }).click();
      await page.getByRole('heading', { name: 'Carrier DHL' }).waitFor();
      await page.getByRole('heading', { name: 'Compliance evaluation' }).waitFor();
      // Every indicator with its evidence, those of clearance's records included.
      const indicators = page.getByRole('table', { name: 'Indicators and their evidence' });
      for (const name of [
        'Data completeness (HS codes and PCCC)',
        'Requests for information answered on time',
        'Declaration corrections (amendment requests, corrected at inspection)',
        'Final-address (delivery) reports',
        'Seizures in the carrier’s flow',
      ])
        await indicators.getByRole('rowheader', { name: new RegExp(`^${escapeRegExp(name)}`) }).waitFor();
      await indicators.getByText('parcels with every HS code and the PCCC / parcels received').waitFor();
      await indicators.getByText('1 of 1').first().waitFor();
      await page.getByText('No report for this quarter yet.').waitFor();
      await page.locator('#figures-file').setInputFiles({
        name: 'figures.csv',
        mimeType: 'text/csv',
        buffer: Buffer.from(
          `period,parcelsHandled,parcelsScreened,parcelsInspected,findings\n${quarter},40,40,9,2\n`,
        ),
      });
      await page.getByRole('button', { name: 'Send', exact: true }).click();
      await page.getByText(`Received for ${quarter}.`).waitFor();
      await page.getByText(/^Report sent /).waitFor();
      // Customs received one parcel: the carrier's 40 differs and is highlighted.
      expect(await page.locator('tr.mismatch').count()).toBeGreaterThan(0);
      await page.locator('.chart canvas').first().waitFor();
      await expectAccessible(page);
      await page.screenshot({ path: join(screenshots, 'partners-carrier.png'), fullPage: true });
      const [download] = await Promise.all([
        page.waitForEvent('download'),
        page.getByRole('button', { name: 'Download the report (CSV)' }).click(),
      ]);
      expect(download.suggestedFilename()).toBe(`compliance-DHL-${quarter}-en.csv`);

      // Officers' pages are not part of the partner area: the carrier is led back to its own.
      await page.goto(`${server.baseUrl}/partners/sellers`);
      await page.getByRole('heading', { name: 'Alerts and training material' }).waitFor();
    },
  );

  it(
    "turns an agency's report into parcel hits that the agency and officers see",
    { timeout: 180_000 },
    async () => {
      const page = await newPage('ko-KR');
      await signIn(page, '/', agency);
      await page.getByRole('heading', { name: '제품안전 통보' }).waitFor();
      await expectAccessible(page);
      await page.locator('#report-productName').fill('Portable power bank 20000mAh');
      await page.locator('#report-hazard').fill('overheating cells, fire risk');
      await page.locator('#report-brand').fill('Voltix');
      await page.locator('#report-model').fill('PB-20000');
      await page.getByRole('button', { name: '통보하기' }).first().click();
      await page.getByRole('heading', { name: /^통보 \d+$/ }).waitFor();
      const reportPath = new URL(page.url()).pathname;
      // The look-back over the last 90 days runs as a job: reload until it has found the parcel.
      for (let attempt = 0; attempt < 30; attempt++) {
        if ((await page.getByText('DHLE2E0001').count()) > 0) break;
        await page.waitForTimeout(500);
        await page.reload();
        await page.getByRole('heading', { name: /^통보 \d+$/ }).waitFor();
      }
      await page.getByText('DHLE2E0001').waitFor();
      await expectAccessible(page);
      await page.screenshot({ path: join(screenshots, 'partners-agency-report.png'), fullPage: true });

      const officer = await newPage();
      await signIn(officer, reportPath, officerCredentials);
      await officer.getByRole('heading', { name: /^Report \d+$/ }).waitFor();
      await officer.getByText('DHL', { exact: true }).first().waitFor();
      await expectAccessible(officer);
      // The hit reached targeting through the outbox: the parcel's decision names the report.
      const reportId = /(\d+)$/.exec(reportPath)![1];
      await officer.locator('#content table a[href^="/parcels/"]').first().click();
      const reason = officer.locator('[data-code="engine.product_safety"]');
      // This server runs jobs but not the outbox's loop: the hit's event is delivered by settling.
      for (let attempt = 0; attempt < 30 && (await reason.count()) === 0; attempt++) {
        await server.app.settle();
        await officer.reload();
        await officer.getByTestId('decision-reasons').waitFor();
      }
      await officer.getByTestId('engine-detail').locator('summary').click();
      await reason.getByText(new RegExp(`^Product-safety report #${reportId} `)).waitFor();
    },
  );

  it(
    'takes a seller from application to approval, seen by the seller and decided by an officer',
    { timeout: 180_000 },
    async () => {
      const page = await newPage();
      await page.goto(`${server.baseUrl}/seller/apply`);
      await page.getByRole('heading', { name: 'Register as a foreign online seller' }).waitFor();
      await expectAccessible(page);
      await page.locator('#apply-legalName').fill('Hangzhou Lantern Co');
      await page.locator('#apply-country').fill('CN');
      await page.locator('#apply-street').fill('1 West Lake Rd');
      await page.locator('#apply-city').fill('Hangzhou');
      await page.locator('#apply-marketplaces').fill('Temu, AliExpress');
      await page.locator('#apply-email').fill(seller.email);
      await page.locator('#apply-password').fill(seller.password);
      await page.getByRole('button', { name: 'Apply' }).click();
      const done = await page.getByText(/your registration number is FS-/).textContent();
      const registrationNumber = /FS-[0-9A-F]+/.exec(done ?? '')![0];

      await signIn(page, '/', seller);
      await page.getByRole('heading', { name: 'My registration' }).waitFor();
      await page.locator('#content').getByText(registrationNumber).waitFor();
      await page.locator('.status-badge', { hasText: 'Applied' }).waitFor();
      await expectAccessible(page);

      const officer = await newPage();
      await signIn(officer, '/partners/agreements', officerCredentials);
      await officer.getByRole('heading', { name: 'Partner agreements' }).waitFor();
      await officer.getByRole('link', { name: 'DHL' }).waitFor();
      await expectAccessible(officer);
      await officer.getByRole('link', { name: 'Alerts', exact: true }).click();
      // The carrier's acknowledgement (first test) shows among the readers.
      await officer.getByText(/^Read by \d+, acknowledged by \d+$|^Nobody has read it yet\.$/).waitFor();
      await officer.getByText('CASE-SECRET-7').waitFor();
      await expectAccessible(officer);
      await officer.goto(`${server.baseUrl}/partners/carriers/DHL`);
      await officer.getByRole('heading', { name: 'Reported and measured inspection figures' }).waitFor();
      await expectAccessible(officer);
      await officer.screenshot({ path: join(screenshots, 'partners-officer-carrier.png'), fullPage: true });
      await officer.getByRole('link', { name: 'Seller registrations' }).click();
      await officer.getByRole('link', { name: registrationNumber }).click();
      await officer.getByRole('heading', { name: 'Seller' }).waitFor();
      await expectAccessible(officer);
      await officer.getByRole('button', { name: 'Approve' }).click();
      await officer.locator('.status-badge', { hasText: 'Approved' }).waitFor();
      const audit = await server.app.identity.audit.list(systemActor, { action: 'partners.seller_decision' });
      expect(JSON.stringify(audit)).toContain('approved');

      await page.reload();
      await page.locator('.status-badge', { hasText: 'Approved' }).waitFor();

      // A parcel that names the approved registration: on the seller's page and on the officer's parcel.
      const base = expressManifest(1, { arrivalDate: '2099-01-01' });
      const house = (base.houses as Record<string, unknown>[])[0]!;
      const dhlKey = await server.app.identity.service.createApiKey('carrier', { organisation: 'DHL' });
      const shipped = await server.app.http.inject({
        method: 'POST',
        url: '/api/v1/express/manifests',
        headers: { authorization: `Bearer ${dhlKey.token}` },
        payload: {
          ...base,
          houses: [
            {
              ...house,
              hawb: 'DHLE2E0002',
              seller: { id: 'LANTERN-1', name: 'Lantern', country: 'CN', registrationNumber },
            },
          ],
        },
      });
      expect(shipped.statusCode, shipped.body).toBe(200);
      await server.app.settle();
      await page.reload();
      await page.getByText('DHLE2E0002').waitFor();
      await expectAccessible(page);
      await officer.goto(`${server.baseUrl}/parcels/${shipped.json().records[0].id}`);
      await officer.locator('#content').getByText(registrationNumber).waitFor();
      await officer.locator('#content').getByText('registered', { exact: true }).first().waitFor();
      await expectAccessible(officer);
    },
  );
});

function escapeRegExp(text: string): string {
  return text.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
}
