import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Clearway } from '../src/main.js';
import { systemActor } from '../src/platform/auth/actor.js';
import { loadFirstStartDemo, STARTER_RULES, type FirstStartResult } from '../src/demo/index.js';
import { generateDemoHistory } from '../src/demo/demo-history.js';
import { demoRecalls } from '../src/demo/product-recalls.js';
import { authHeader, createTestApp } from './support/test-app.js';
import { availableEngines } from './support/test-database.js';

/**
 * The first start as a new user meets it: rates for every demo date, starter rules, a model trained on
 * the inspected history and promoted before the current parcels arrive, and scans on the parcels the
 * rules referred to X-ray. Sizes are small; the default (5 weeks of 150 parcels a day) is measured in
 * docs/demo-data.md.
 */
describe.each(await availableEngines())('first start with a history on %s', (engine) => {
  let app: Clearway;
  let result: FirstStartResult;
  let officer: { authorization: string };

  beforeAll(async () => {
    app = await createTestApp(engine);
    officer = await authHeader(app, 'administrator');
    result = await loadFirstStartDemo(app, {
      historyWeeks: 4,
      days: 2,
      parcelsPerDay: 100,
      seed: 7,
      onStep: (line) => console.log(line),
    });
  }, 300_000);
  afterAll(async () => app?.close());

  it('ranks the current parcels with the model trained on the history', async () => {
    expect(result.loaded).toBe(true);
    expect(result.modelVersion).toBe(1);
    const queue = await app.targeting.service.queue(systemActor, {}, { limit: 1000 });
    // Two days of 100 parcels, and the three the demo buyer of the consumer portal has under her code.
    expect(queue.items).toHaveLength(203);
    expect(new Set(queue.items.map((item) => item.modelVersion))).toEqual(new Set(['gbdt-v1']));
    // Arrivals spread over the demo days, the last of them today (the buyer's posted items have no arrival yet).
    const today = new Date().toISOString().slice(0, 10);
    const arrivalDays = new Set(queue.items.map((item) => item.arrivalDate).filter((day) => day !== null));
    expect(arrivalDays.size).toBe(2);
    expect(queue.items.some((item) => item.arrivalDate === today)).toBe(true);
  });

  it('assesses every parcel with the weekly rates (no parcel waits for a missing rate)', async () => {
    const queue = await app.targeting.service.queue(systemActor, {}, { limit: 1000 });
    for (const item of queue.items.slice(0, 40)) {
      const response = await app.http.inject({
        method: 'GET',
        url: `/api/v1/clearance/parcels/${item.parcelId}`,
        headers: officer,
      });
      expect(response.statusCode).toBe(200);
      expect(response.json().assessment?.customsValueKrw, response.body).toBeGreaterThan(0);
    }
  });

  it('puts a scan on every parcel referred to X-ray', async () => {
    const queue = await app.targeting.service.queue(systemActor, {}, { limit: 1000 });
    const referred = queue.items.filter((item) => item.xrayReferral);
    expect(result.scans).toBe(referred.length);
    for (const item of referred) {
      const scans = await app.xray.service.listScans(systemActor, item.parcelId);
      expect(scans.length).toBeGreaterThan(0);
    }
  });

  it('starts with the starter rules active, each one switchable off', async () => {
    const rules = await app.targeting.service.listRules(systemActor);
    expect(rules.map((rule) => rule.name).sort()).toEqual(STARTER_RULES.map((rule) => rule.name).sort());
    expect(rules.every((rule) => rule.status === 'active')).toBe(true);
    const off = await app.targeting.service.setRuleStatus(systemActor, rules[0]!.id, 'disabled');
    expect(off.status).toBe('disabled');
  });

  it("files the agency's recall reports, so that recalled products meet the starter rule", async () => {
    expect(result.recallReports).toBe(demoRecalls.length);
    const { reports } = await app.partners.productSafety.list(systemActor);
    expect(reports.map((report) => report.agency)).toEqual(demoRecalls.map(() => 'KATS'));
  });

  it('loads nothing the second time', async () => {
    expect((await loadFirstStartDemo(app)).loaded).toBe(false);
  });
});

describe('the inspected history', () => {
  it('labels only what was inspected, far richer in fraud than the stream, with a random control sample', () => {
    const history = generateDemoHistory({ startDate: '2026-10-01', days: 14, parcelsPerDay: 150, seed: 3 });
    const rows = history.csv.trim().split('\n').slice(1);
    expect(rows).toHaveLength(history.declarations);
    const labelled = rows.filter((row) => !row.endsWith(',,'));
    expect(labelled).toHaveLength(history.inspected);
    const inspectedFraudRate = history.frauds / history.inspected;
    // Planted patterns touch a few per cent of parcels; targeting makes them a large share of what was inspected.
    expect(inspectedFraudRate).toBeGreaterThan(0.2);
    expect(history.inspected / history.declarations).toBeLessThan(0.15);
    // Inspections include clean parcels (false alarms and the random control), as in real life.
    expect(history.inspected - history.frauds).toBeGreaterThan(history.frauds / 2);
    // The same seed gives the same history.
    expect(generateDemoHistory({ startDate: '2026-10-01', days: 14, parcelsPerDay: 150, seed: 3 }).csv).toBe(
      history.csv,
    );
  });
});
