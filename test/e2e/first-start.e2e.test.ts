import { join } from 'node:path';
import type { Browser, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { systemActor } from '../../src/platform/auth/actor.js';
import { loadFirstStartDemo, type FirstStartResult } from '../../src/demo/index.js';
import { launchChromium } from './support/browser.js';
import * as consoleServer from './support/console-server.js';

const screenshots = join(consoleServer.repositoryRoot, 'docs', 'screenshots');

/**
 * What a new user sees after `npm start`: the first-start demo loaded (a smaller one than the default, to
 * keep the test short), the queue ranked by the trained model, a parcel with its duty and VAT, and a
 * parcel referred to X-ray with its scan beside the declaration. The README's first-start screenshots
 * come from here.
 */
describe('the first start in the console (Chromium)', () => {
  let server: consoleServer.ConsoleServer;
  let browser: Browser;
  let page: Page;
  let demo: FirstStartResult;
  /** What the models page's training notice said while the first start ran, in order. */
  let trainingNotices: string[];

  beforeAll(async () => {
    [server, browser] = await Promise.all([consoleServer.startConsoleServer(), launchChromium()]);
    page = await (await browser.newContext({ viewport: { width: 1440, height: 900 } })).newPage();
    // Signed in on the models page before the first start begins, as a new user who opens it at once.
    await page.goto(`${server.baseUrl}/models`);
    await page.getByLabel('User name or e-mail').fill(consoleServer.officerCredentials.email);
    await page.getByLabel('Password').fill(consoleServer.officerCredentials.password);
    await page.getByRole('button', { name: 'Sign in', exact: true }).click();
    await page.getByRole('heading', { name: 'Risk models' }).waitFor();
    await page.evaluate(() => {
      const seen: string[] = [];
      const scope = globalThis as unknown as {
        trainingNotices: string[];
        document: { querySelector(selector: string): { textContent: string | null } | null; body: unknown };
        MutationObserver: new (callback: () => void) => { observe(node: unknown, options: object): void };
      };
      scope.trainingNotices = seen;
      new scope.MutationObserver(() => {
        const text = scope.document.querySelector('[data-testid="training"]')?.textContent;
        if (text && seen[seen.length - 1] !== text) seen.push(text);
      }).observe(scope.document.body, { subtree: true, childList: true, characterData: true });
    });
    demo = await loadFirstStartDemo(server.app, { historyWeeks: 4, days: 7, parcelsPerDay: 100 });
    await page.getByText(/Training: done/).waitFor();
    trainingNotices = await page.evaluate(
      () => (globalThis as unknown as { trainingNotices: string[] }).trainingNotices,
    );
    await page.goto(`${server.baseUrl}/queue`);
    await page.getByText('Park Jiwoo').waitFor();
  }, 600_000);
  afterAll(async () => {
    await browser?.close();
    await server?.close();
  });

  it("shows the first start's model training on the models page: its stage and percentage, then done", () => {
    const running = trainingNotices.filter((text) =>
      /^Training: (reading the inspection history|training a twin without the latest days|measuring the twin on the latest days|training the model on the whole history|registering the model), \d+\s?%/.test(
        text,
      ),
    );
    expect(running.length, trainingNotices.join(' | ')).toBeGreaterThan(0);
    expect(trainingNotices[trainingNotices.length - 1]).toMatch(/^Training: done, 100\s?%/);
  });

  it('shows the queue ranked by the model trained on the history', async () => {
    expect(demo.modelVersion).toBe(1);
    await page.getByRole('grid', { name: 'Targeting queue' }).waitFor();
    await page.locator('.queue-row[aria-rowindex="2"]').waitFor();
    await page.getByTestId('queue-model').getByText('Ranked by model gbdt-v1').waitFor();
    await page.screenshot({ path: join(screenshots, 'first-start-queue.png') });
    const queue = await server.app.targeting.service.queue(systemActor, {}, { limit: 10 });
    expect(queue.items.every((item) => item.modelVersion === 'gbdt-v1')).toBe(true);
  });

  it('shows duty and VAT on a parcel above the list-clearance limit', async () => {
    const queue = await server.app.targeting.service.queue(systemActor, {}, { limit: 1000 });
    let taxed: number | undefined;
    for (const item of queue.items) {
      const clearance = await server.app.http.inject({
        method: 'GET',
        url: `/api/v1/clearance/parcels/${item.parcelId}`,
        headers: server.admin,
      });
      if ((clearance.json().assessment?.dutyKrw ?? 0) > 0) {
        taxed = item.parcelId;
        break;
      }
    }
    expect(taxed).toBeDefined();
    await page.goto(`${server.baseUrl}/parcels/${taxed}`);
    await page.getByRole('heading', { name: /^Parcel / }).waitFor();
    await page.getByText(/VAT/).first().waitFor();
    // The scan, when the parcel has one, is fetched after the page: the picture waits for it.
    await page
      .getByTestId('xray-image')
      .or(page.getByText('No X-ray image has been recorded for this parcel.'))
      .waitFor();
    await page.waitForFunction(
      "[...document.querySelectorAll('[data-testid=xray-image]')].every((image) => image.complete && image.naturalWidth > 0)",
    );
    await page.screenshot({ path: join(screenshots, 'first-start-parcel.png'), fullPage: true });
  });

  it('shows the scan beside the declaration on a parcel referred to X-ray', async () => {
    const queue = await server.app.targeting.service.queue(systemActor, {}, { limit: 1000 });
    const referred = queue.items.find((item) => item.xrayReferral);
    expect(referred, 'a rule referred a parcel to X-ray').toBeDefined();
    await page.goto(`${server.baseUrl}/parcels/${referred!.parcelId}`);
    const image = page.getByTestId('xray-image');
    await image.waitFor();
    await expect
      .poll(() => image.evaluate((element) => (element as unknown as { naturalWidth: number }).naturalWidth))
      .toBeGreaterThan(0);
    await page.screenshot({ path: join(screenshots, 'first-start-xray.png'), fullPage: true });
  });
});
