import type { Browser, BrowserContext, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { systemActor } from '../../src/platform/auth/actor.js';
import {
  CATALOGUE_PERIOD,
  loadCatalogueData,
  parcelKeys,
  plantedParcels,
  type PlantedTruth,
} from '../support/catalogue-data.js';
import { outboxMail } from '../support/identity-fixtures.js';
import { describeViolations, launchChromium, seriousAccessibilityViolations } from './support/browser.js';
import { officerCredentials, startConsoleServer, type ConsoleServer } from './support/console-server.js';

const analystCredentials = {
  email: 'analyst.kim@customs.example',
  password: 'another horse battery staple 9',
};

/**
 * The big-data portal's "Done when" in a real browser, on the catalogue's demo period (fixed days with
 * planted patterns, so nothing depends on today's date): an officer without SQL runs the split-consignment
 * model in Korean, then declared-versus-paid and PCCC misuse in English with their own parameters, reads
 * tables, charts and evidence, sends hits to watchlists, opens a PCCC's and a seller's profile from a
 * parcel, and files a request for a model that does not exist; a data analyst answers it in the console
 * and the requester is mailed at each step.
 */
describe('analytics portal (Chromium)', () => {
  let server: ConsoleServer;
  let browser: Browser;
  let truth: PlantedTruth;
  let korean: Page;
  let english: Page;
  const contexts: BrowserContext[] = [];

  const openSignedIn = async (locale: string, credentials: { email: string; password: string }) => {
    const context = await browser.newContext({ viewport: { width: 1440, height: 1000 }, locale });
    context.setDefaultTimeout(30_000);
    contexts.push(context);
    const page = await context.newPage();
    page.on('pageerror', (error) => console.error('page error:', error));
    await page.goto(`${server.baseUrl}/analytics`);
    await page
      .getByLabel('이메일', { exact: false })
      .or(page.getByLabel('User name or e-mail'))
      .first()
      .fill(credentials.email);
    await page.locator('input[type=password]').fill(credentials.password);
    await page.locator('form button[type=submit]').click();
    return page;
  };
  const setPeriod = async (page: Page) => {
    await page.locator('input[name=from]').fill(CATALOGUE_PERIOD.from);
    await page.locator('input[name=to]').fill(CATALOGUE_PERIOD.to);
  };
  const expectAccessible = async (page: Page) => {
    const violations = await seriousAccessibilityViolations(page);
    expect(violations, describeViolations(violations)).toEqual([]);
  };

  beforeAll(async () => {
    [server, browser] = await Promise.all([startConsoleServer(), launchChromium()]);
    truth = await loadCatalogueData(server.app);
    await server.app.identity.service.createAccount(systemActor, {
      kind: 'officer',
      email: analystCredentials.email,
      name: 'Kim Analyst',
      roles: ['data_analyst'],
      password: analystCredentials.password,
    });
    await server.app.targeting.service.createWatchlist(systemActor, { name: 'split-buyers', kind: 'buyer' });
    await server.app.targeting.service.createWatchlist(systemActor, { name: 'misused-codes', kind: 'buyer' });
    korean = await openSignedIn('ko-KR', officerCredentials);
    await korean.getByRole('heading', { name: '분석 모델' }).waitFor();
    english = await openSignedIn('en-GB', officerCredentials);
    await english.getByRole('heading', { name: 'Analytical models' }).waitFor();
  }, 600_000);

  afterAll(async () => {
    for (const context of contexts) await context.close();
    await browser?.close();
    await server?.close();
  });

  it('runs the split-consignment model in Korean with own parameters: table, chart and evidence', async () => {
    await korean.getByRole('button', { name: 'S1 · 분할 반입 합산' }).click();
    await korean.getByLabel('기간 창 (일)').fill('7');
    await setPeriod(korean);
    await korean.getByRole('button', { name: '모델 실행' }).click();
    await korean.getByRole('heading', { name: '대상별 근거' }).waitFor();
    await korean.locator('.chart canvas').waitFor();
    expect(await korean.locator('.run-result table tbody tr').count()).toBeGreaterThan(0);
    expect(await korean.locator('.evidence > li').first().textContent()).toMatch(/소포 \d+개/);
    await expectAccessible(korean);
    await korean.getByLabel('감시 목록 이름').fill('split-buyers');
    await korean.getByRole('button', { name: '적중 항목을 감시 목록에 보내기' }).click();
    await korean.getByText(/split-buyers에 \d+건 추가됨/).waitFor();
  });

  it('runs declared-versus-paid with its own cut-off and shows each parcel paid against declared', async () => {
    await english.getByRole('button', { name: 'V3 · Declared value vs paid price' }).click();
    await english.getByLabel('Ratio cut-off k').fill('0.6');
    await setPeriod(english);
    await english.getByRole('button', { name: 'Run the model' }).click();
    await english.getByRole('heading', { name: 'Evidence per entity' }).waitFor();
    await english.locator('.chart canvas').waitFor();
    expect(await english.locator('.run-result table tbody tr').count()).toBeGreaterThan(0);
    expect(await english.locator('.evidence').textContent()).toMatch(
      /Declared KRW [\d,]+ for order .+ paid KRW/,
    );
  });

  it('runs PCCC misuse with its own weights and sends the codes to a watchlist in one step', async () => {
    await english.getByRole('button', { name: 'I1 · PCCC misuse anomaly' }).click();
    await english.getByLabel('Weight of each extra name').fill('3');
    await setPeriod(english);
    await english.getByRole('button', { name: 'Run the model' }).click();
    await english.getByRole('heading', { name: 'Evidence per entity' }).waitFor();
    expect(await english.locator('.evidence > li').first().textContent()).toMatch(
      /\d+ names, \d+ phones and \d+ addresses on \d+ parcels/,
    );
    await english.getByLabel('Watchlist name').fill('misused-codes');
    await english.getByRole('button', { name: 'Send hits to the watchlist' }).click();
    await english.getByText(/[1-9]\d* entries added to misused-codes/).waitFor();
    await expectAccessible(english);
  });

  it("opens a PCCC's profile from a parcel, then its seller's, with score, evidence and timeline", async () => {
    const stolen = plantedParcels(truth, 'pccc_many_names');
    const parcel = (await parcelKeys(server.app)).find((row) => stolen.has(row.tracking_number))!;
    await english.goto(`${server.baseUrl}/parcels/${parcel.parcel_id}`);
    await english.getByRole('link', { name: 'PCCC profile' }).click();
    await english.getByRole('heading', { name: `PCCC profile ${parcel.pccc}` }).waitFor();
    await english.getByRole('cell', { name: 'Identities' }).waitFor();
    expect(await english.locator('#profile-evidence-title + * table').textContent()).toMatch(
      /\d+ names, \d+ phones and \d+ addresses/,
    );
    expect(await english.locator('.entity-profile .chart canvas').count()).toBe(1);
    const rows = english.locator('[aria-label="Timeline of parcels"] tbody tr');
    expect(await rows.count()).toBeGreaterThan(1);
    await expectAccessible(english);
    await english.locator('[aria-label="Timeline of parcels"] tbody td:nth-child(3) a').first().click();
    await english.getByRole('heading', { name: /^Seller profile / }).waitFor();
    await english.getByText(/Score: [\d.]+ · (low|medium|high) risk/).waitFor();
  });

  it('files a request for a missing model that a data analyst triages and delivers in the console', async () => {
    await english.goto(`${server.baseUrl}/analytics`);
    await english.getByLabel('Title').fill('Reshipping buyers');
    await english
      .getByLabel('What do you want to know?')
      .fill('Which buyers send imported goods on to others?');
    await english.getByLabel('Data needed').fill('Final delivery addresses');
    await english.getByLabel('Example cases').fill('none yet');
    await english.getByRole('button', { name: 'File the request' }).click();
    const filed = await english.getByText(/Request #\d+ filed/).textContent();
    const id = Number(/#(\d+)/.exec(filed ?? '')![1]);

    const analyst = await openSignedIn('en-GB', analystCredentials);
    await analyst.getByRole('button', { name: `Open #${id}` }).click();
    await analyst.getByRole('heading', { name: new RegExp(`Request #${id}: Reshipping buyers`) }).waitFor();
    await analyst.getByLabel('Step').selectOption('triaged');
    await analyst.getByLabel('Note to the requester').fill('Feasible with carriers’ delivery reports');
    await analyst.getByRole('button', { name: 'Record the step' }).click();
    await analyst.getByText('Step recorded; the requester is mailed').waitFor();
    await analyst.getByLabel('Step').selectOption('delivered');
    await analyst.getByLabel('Note to the requester').fill('Use S1 grouped by delivery address');
    await analyst.getByLabel('Catalogue model id').fill('S1');
    await analyst.getByLabel('Model version').fill('1.0.0');
    await analyst.getByRole('button', { name: 'Record the step' }).click();
    await analyst.getByRole('heading', { name: /Reshipping buyers · Delivered/ }).waitFor();
    await analyst.getByText(`mailed to ${officerCredentials.email}`).first().waitFor();
    await expectAccessible(analyst);

    await english.reload();
    await english.getByRole('cell', { name: 'Delivered' }).waitFor();
    const mails = await outboxMail(server.app, server.app.config.DATA_DIR, officerCredentials.email);
    expect(mails.filter((mail) => mail.includes(`(#${id})`)).length).toBeGreaterThanOrEqual(3);
  });
});
