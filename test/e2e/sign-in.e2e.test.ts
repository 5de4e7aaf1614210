import type { Browser, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { launchChromium } from './support/browser.js';
import { officerCredentials, startConsoleServer, type ConsoleServer } from './support/console-server.js';

/**
 * What an officer sees around signing in, in a real browser: how many sign-ins failed since the last
 * one (someone may be guessing the password; nothing is locked, so the officer must be told), and the
 * language chosen in the console, which the account keeps for the next browser.
 */
describe('signing in to the console (Chromium)', () => {
  let server: ConsoleServer;
  let browser: Browser;

  beforeAll(async () => {
    [server, browser] = await Promise.all([startConsoleServer(), launchChromium()]);
  }, 180_000);
  afterAll(async () => {
    await browser?.close();
    await server?.close();
  });

  async function signIn(page: Page, password: string) {
    await page.getByLabel('User name or e-mail').fill(officerCredentials.email);
    await page.getByLabel('Password').fill(password);
    const answered = page.waitForResponse((response) => response.url().endsWith('/api/v1/auth/login'));
    await page.getByRole('button', { name: 'Sign in', exact: true }).click();
    return (await answered).status();
  }

  it('tells the officer how many sign-ins failed since the last one, until the officer closes it', async () => {
    const page = await (await browser.newContext({ locale: 'en-GB' })).newPage();
    await page.goto(`${server.baseUrl}/queue`);
    await page.getByRole('heading', { name: 'Sign in' }).waitFor();
    for (let attempt = 1; attempt <= 3; attempt++) expect(await signIn(page, 'not the password')).toBe(401);
    await page.getByText(/Sign-in failed/).waitFor();

    expect(await signIn(page, officerCredentials.password)).toBe(200);
    const banner = page.getByRole('alert').filter({ hasText: 'failed sign-in attempts' });
    await banner.waitFor();
    expect(await banner.textContent()).toContain(
      '3 failed sign-in attempts on your account since your last sign-in',
    );
    await banner.getByRole('button', { name: 'Close' }).click();
    await banner.waitFor({ state: 'detached' });

    // Counted since the last sign-in: the next one starts from nothing.
    await page.getByRole('button', { name: 'Sign out' }).click();
    await page.getByRole('heading', { name: 'Sign in' }).waitFor();
    expect(await signIn(page, officerCredentials.password)).toBe(200);
    await page.getByText('Park Jiwoo').waitFor();
    expect(await page.getByRole('alert').filter({ hasText: 'failed sign-in attempts' }).count()).toBe(0);
    await page.context().close();
  }, 120_000);

  it('keeps the language chosen in the console on the account, for the next browser', async () => {
    const first = await (await browser.newContext({ locale: 'en-GB' })).newPage();
    await first.goto(`${server.baseUrl}/queue`);
    await first.getByRole('heading', { name: 'Sign in' }).waitFor();
    expect(await signIn(first, officerCredentials.password)).toBe(200);
    await first.getByText('Park Jiwoo').waitFor();
    const stored = first.waitForResponse((response) => response.url().endsWith('/api/v1/auth/me/language'));
    await first.getByLabel('Language').selectOption('ko');
    expect((await stored).status()).toBe(200);
    await first.getByRole('button', { name: '로그아웃' }).waitFor();
    await first.context().close();

    // Another browser, English by its own settings and with nothing stored: Korean once signed in.
    const second = await (await browser.newContext({ locale: 'en-GB' })).newPage();
    await second.goto(`${server.baseUrl}/queue`);
    await second.getByRole('heading', { name: 'Sign in' }).waitFor();
    expect(await signIn(second, officerCredentials.password)).toBe(200);
    await second.getByRole('button', { name: '로그아웃' }).waitFor();
    expect(await second.locator('html').getAttribute('lang')).toBe('ko');
    // The server writes to this officer in Korean too, when a request names no language.
    const me = await server.app.http.inject({
      url: '/api/v1/auth/me',
      headers: { cookie: (await second.context().cookies()).map((c) => `${c.name}=${c.value}`).join('; ') },
    });
    expect(me.json().language).toBe('ko');
    await second.context().close();
  }, 120_000);
});
