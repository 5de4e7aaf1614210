import { mkdirSync } from 'node:fs';
import { join } from 'node:path';
import type { Browser, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { loadQuestionData } from '../support/question-data.js';
import { describeViolations, launchChromium, seriousAccessibilityViolations } from './support/browser.js';
import {
  officerCredentials,
  repositoryRoot,
  startConsoleServer,
  type ConsoleServer,
} from './support/console-server.js';

const screenshots = join(repositoryRoot, 'docs', 'screenshots');

/** The question box in a real browser, in Korean: ask, read the understanding, SQL and chart, change the period in one click, export. */
describe('questions page (Chromium)', () => {
  let server: ConsoleServer;
  let browser: Browser;
  let page: Page;

  beforeAll(async () => {
    mkdirSync(screenshots, { recursive: true });
    [server, browser] = await Promise.all([startConsoleServer(), launchChromium()]);
    const today = new Date().toISOString().slice(0, 10);
    const startDate = new Date(Date.parse(`${today}T00:00:00Z`) - 13 * 86_400_000).toISOString().slice(0, 10);
    await loadQuestionData(server.app, { kcsStep: 100, days: 14, parcelsPerDay: 15, startDate });
    const context = await browser.newContext({
      viewport: { width: 1440, height: 1000 },
      locale: 'ko-KR',
      acceptDownloads: true,
    });
    context.setDefaultTimeout(10_000);
    page = await context.newPage();
    page.on('pageerror', (error) => console.error('page error:', error));
  }, 240_000);

  afterAll(async () => {
    await browser?.close();
    await server?.close();
  });

  it('answers a Korean question with the understanding, the SQL, the table and a chart', async () => {
    await page.goto(`${server.baseUrl}/questions`);
    await page
      .getByLabel('이메일', { exact: false })
      .or(page.getByLabel('User name or e-mail'))
      .first()
      .fill(officerCredentials.email);
    await page.locator('input[type=password]').fill(officerCredentials.password);
    await page.locator('form button[type=submit]').click();
    await page.getByRole('heading', { name: '데이터에 묻기' }).waitFor();
    await page.getByLabel('질문 (한국어, 영어, 프랑스어)').fill('2020년 월별 중국산 수입신고 건수');
    await page.getByRole('button', { name: '묻기' }).click();
    await page.getByText('원산지 = 중국 (CN)').waitFor();
    expect(await page.locator('pre.sql').textContent()).toContain("x.origin_country::text in ('CN')");
    await page.locator('.chart canvas').waitFor();
    expect(await page.locator('table tbody tr').count()).toBeGreaterThan(0);
    const violations = await seriousAccessibilityViolations(page);
    expect(violations, describeViolations(violations)).toEqual([]);
    await page.screenshot({ path: join(screenshots, 'questions.png'), fullPage: true });
  });

  it('changes the period in one click and exports the table as CSV', async () => {
    await page.getByLabel('질문 (한국어, 영어, 프랑스어)').fill('이번 주 운송사별 물품 건수');
    await page.getByRole('button', { name: '묻기' }).click();
    await page.getByRole('button', { name: '이번 주' }).and(page.locator('[aria-pressed=true]')).waitFor();
    const before = await page.locator('.answer-status').textContent();
    await page.getByRole('button', { name: '지난주' }).click();
    await page.getByRole('button', { name: '지난주' }).and(page.locator('[aria-pressed=true]')).waitFor();
    expect(await page.locator('.answer-status').textContent()).not.toBe(before);
    const [download] = await Promise.all([
      page.waitForEvent('download'),
      page.getByRole('button', { name: 'CSV 내보내기' }).click(),
    ]);
    expect(download.suggestedFilename()).toBe('answer.csv');
  });
});
