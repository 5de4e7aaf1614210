import type { Browser, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { systemActor } from '../../src/platform/auth/actor.js';
import { loadQuestionData } from '../support/question-data.js';
import { describeViolations, launchChromium, seriousAccessibilityViolations } from './support/browser.js';
import { officerCredentials, startConsoleServer, type ConsoleServer } from './support/console-server.js';

/**
 * The big-data portal in a real browser, in Korean: an officer without SQL runs the split-consignment
 * model on the demo data with their own parameters, reads the table, chart and evidence, sends the hits
 * to a watchlist and files a request for a model that does not exist; an analyst answers it.
 */
describe('analytics portal (Chromium)', () => {
  let server: ConsoleServer;
  let browser: Browser;
  let page: Page;

  beforeAll(async () => {
    [server, browser] = await Promise.all([startConsoleServer(), launchChromium()]);
    const today = new Date().toISOString().slice(0, 10);
    const startDate = new Date(Date.parse(`${today}T00:00:00Z`) - 13 * 86_400_000).toISOString().slice(0, 10);
    await loadQuestionData(server.app, { kcsStep: 400, days: 14, parcelsPerDay: 40, startDate });
    await server.app.targeting.service.createWatchlist(systemActor, { name: 'split-buyers', kind: 'buyer' });
    const context = await browser.newContext({ viewport: { width: 1440, height: 1000 }, locale: 'ko-KR' });
    context.setDefaultTimeout(15_000);
    page = await context.newPage();
    page.on('pageerror', (error) => console.error('page error:', error));
  }, 300_000);

  afterAll(async () => {
    await browser?.close();
    await server?.close();
  });

  it('runs the split-consignment model with own parameters and shows table, chart and evidence', async () => {
    await page.goto(`${server.baseUrl}/analytics`);
    await page
      .getByLabel('이메일', { exact: false })
      .or(page.getByLabel('User name or e-mail'))
      .first()
      .fill(officerCredentials.email);
    await page.locator('input[type=password]').fill(officerCredentials.password);
    await page.locator('form button[type=submit]').click();
    await page.getByRole('heading', { name: '분석 모델' }).waitFor();
    await page.getByRole('button', { name: 'S1 · 분할 반입 합산' }).click();
    await page.getByLabel('기간 창 (일)').fill('7');
    await page.getByRole('button', { name: '모델 실행' }).click();
    await page.getByRole('heading', { name: '대상별 근거' }).waitFor();
    await page.locator('.chart canvas').waitFor();
    expect(await page.locator('.run-result table tbody tr').count()).toBeGreaterThan(0);
    expect(await page.locator('.evidence > li').first().textContent()).toMatch(/소포 \d+개/);
    const violations = await seriousAccessibilityViolations(page);
    expect(violations, describeViolations(violations)).toEqual([]);
  });

  it('sends the hits to a watchlist in one step', async () => {
    await page.getByLabel('감시 목록 이름').fill('split-buyers');
    await page.getByRole('button', { name: '적중 항목을 감시 목록에 보내기' }).click();
    await page.getByText(/split-buyers에 \d+건 추가됨/).waitFor();
  });

  it('files a request that an analyst answers', async () => {
    await page.getByLabel('제목').fill('재배송 구매자');
    await page.getByLabel('알고 싶은 내용').fill('수입한 물건을 다른 주소로 다시 보내는 구매자는?');
    await page.getByLabel('필요한 데이터').fill('최종 배송지');
    await page.getByLabel('사례').fill('없음');
    await page.getByRole('button', { name: '요청 제출' }).click();
    const filed = await page.getByText(/요청 #\d+ 접수됨/).textContent();
    const id = Number(/#(\d+)/.exec(filed ?? '')![1]);
    for (const step of [
      { kind: 'triaged', text: '배송 보고로 만들 수 있습니다' } as const,
      {
        kind: 'delivered',
        text: 'S1을 구매자 기준으로 쓰세요',
        modelId: 'S1',
        modelVersion: '1.0.0',
      } as const,
    ])
      await server.app.analytics.requests.takeStep(systemActor, id, step);
    await page.reload();
    await page.getByRole('cell', { name: '제공됨' }).waitFor();
    const violations = await seriousAccessibilityViolations(page);
    expect(violations, describeViolations(violations)).toEqual([]);
  });
});
