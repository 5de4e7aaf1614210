import type { Browser } from 'playwright-core';
import { sql } from 'kysely';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { QUEUE_COUNT_CAP } from '../../src/modules/targeting/index.js';
import { launchChromium } from './support/browser.js';
import { officerCredentials, startConsoleServer, type ConsoleServer } from './support/console-server.js';

/**
 * The queue's size in the console once it passes the cap the server counts to (10,000): the header
 * says "10,000+" in each language instead of an exact number the server no longer reads.
 */
describe('queue size past the count cap (Chromium)', () => {
  let server: ConsoleServer;
  let browser: Browser;

  beforeAll(async () => {
    [server, browser] = await Promise.all([startConsoleServer(), launchChromium()]);
    // Current decisions past the cap, as deciding leaves them (the header reads only this table).
    await sql`
      insert into targeting_parcel_state (parcel_id, decision_id, sequence, lane, xray_referral, score, priority,
        model_version, office_code, carrier_code, hs_chapters, rule_ids, arrival_date, decision_day, decided_at,
        queue_rank, tracking_number)
      select g, g, 1, case when g % 50 = 0 then 'red' else 'green' end, false, 0.5, 0.5, 'e2e', 'ICN', 'DHL',
        array['64'], array[]::bigint[], current_date, current_date, now(), g / 100000.0, 'TN' || g
      from generate_series(1, ${QUEUE_COUNT_CAP + 50}) g`.execute(server.app.database.db);
  }, 180_000);
  afterAll(async () => {
    await browser?.close();
    await server?.close();
  });

  it('shows "10,000+" past the cap in English, French and Korean, and the exact count under it', async () => {
    const page = await (await browser.newContext({ locale: 'en-GB' })).newPage();
    await page.goto(`${server.baseUrl}/queue`);
    await page.getByLabel('User name or e-mail').fill(officerCredentials.email);
    await page.getByLabel('Password').fill(officerCredentials.password);
    await page.getByRole('button', { name: 'Sign in', exact: true }).click();
    const header = page.locator('.page-head .muted').first();
    await expect
      .poll(() => header.textContent(), { timeout: 60_000 })
      .toBe('10,000+ parcels · 200 of 10,000+ loaded');
    // No row count announced: the grid's size is unknown past the cap.
    expect(await page.getByRole('grid').getAttribute('aria-rowcount')).toBe('-1');

    await page.getByLabel('Language').selectOption('fr');
    await expect
      .poll(() => header.textContent())
      .toMatch(/^plus de 10\s000 colis · 200 sur plus de 10\s000 chargés$/);
    await page.getByLabel('Langue').selectOption('ko');
    await expect.poll(() => header.textContent()).toBe('화물 10,000건 이상 · 10,000건 이상 중 200건 불러옴');

    // The red lane holds one parcel in fifty: counted exactly.
    await page.goto(`${server.baseUrl}/queue?lane=red`);
    await expect.poll(() => header.textContent()).toBe('화물 201건 · 201건 중 200건 불러옴');
    await page.context().close();
  }, 180_000);
});
