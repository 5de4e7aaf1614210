import { sql } from 'kysely';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Clearway } from '../src/main.js';
import { authHeader } from './support/test-app.js';
import { availableEngines } from './support/test-database.js';
import { createIdentityTestApp, officerSession, outboxMail } from './support/identity-fixtures.js';

const engines = await availableEngines();

type Headers = Record<string, string>;

/**
 * Buyers told as stories, all arriving on 2026-11-21 from China (limit USD 150):
 * - SPLITTER buys three hoodies of USD 60 from one shop: split (USD 180 together);
 * - HOPPER buys two items of USD 100 from two shops: split per buyer, not per buyer and seller;
 * - MODEST buys two items of USD 40: under the limit together;
 * - SINGLE buys one item of USD 120.
 */
const SPLITTER = 'P300000000001';
const HOPPER = 'P300000000002';
const MODEST = 'P300000000003';
const SINGLE = 'P300000000004';
const parcels = [
  { pccc: SPLITTER, seller: 'SHOP-A', value: 60 },
  { pccc: SPLITTER, seller: 'SHOP-A', value: 60 },
  { pccc: SPLITTER, seller: 'SHOP-A', value: 60 },
  { pccc: HOPPER, seller: 'SHOP-B', value: 100 },
  { pccc: HOPPER, seller: 'SHOP-C', value: 100 },
  { pccc: MODEST, seller: 'SHOP-A', value: 40 },
  { pccc: MODEST, seller: 'SHOP-A', value: 40 },
  { pccc: SINGLE, seller: 'SHOP-B', value: 120 },
];

describe.each(engines)('the big-data portal on %s', (engine) => {
  let app: Clearway;
  let dataDir: string;
  let analyst: Headers;
  let targetingAnalyst: Headers;
  let inspector: Headers;
  let carrier: Headers;

  const call = async (
    method: 'GET' | 'POST' | 'DELETE',
    url: string,
    headers: Headers,
    payload?: unknown,
  ) => {
    const response = await app.http.inject({ method, url, headers, payload: payload as never });
    await app.settle();
    return response;
  };
  const runModel = async (id: string, body: Record<string, unknown>, headers: Headers = inspector) => {
    const started = await call('POST', `/api/v1/analytics/models/${id}/runs`, headers, body);
    expect(started.statusCode, started.body).toBe(202);
    const runId = started.json().runId as number;
    const run = await call('GET', `/api/v1/analytics/runs/${runId}`, headers);
    expect(run.statusCode).toBe(200);
    return { runId, ...run.json() };
  };

  beforeAll(async () => {
    ({ app, dataDir } = await createIdentityTestApp(engine));
    const admin = await authHeader(app, 'administrator');
    analyst = await authHeader(app, 'data_analyst');
    targetingAnalyst = await authHeader(app, 'targeting_analyst');
    inspector = await authHeader(app, 'inspector');
    carrier = await authHeader(app, 'carrier', 'DHL');
    const rates = await app.http.inject({
      method: 'PUT',
      url: '/api/v1/clearance/exchange-rates',
      headers: admin,
      payload: [{ currency: 'USD', weekStarting: '2026-11-15', krwPerUnit: '1400.00' }],
    });
    expect(rates.statusCode, rates.body).toBeLessThan(300);
    const manifest = await call('POST', '/api/v1/express/manifests', carrier, {
      carrier: 'DHL',
      mawb: '180-77000011',
      arrivalDate: '2026-11-21',
      houses: parcels.map((parcel, index) => ({
        hawb: `PORTAL${String(index).padStart(4, '0')}`,
        shipper: { name: `Shop ${parcel.seller}`, street: '1 Rd', city: 'Yiwu', country: 'CN' },
        consignee: {
          name: `Buyer ${parcel.pccc.slice(-1)}`,
          street: `${index} Sejong-daero`,
          city: 'Seoul',
          country: 'KR',
          pccc: parcel.pccc,
        },
        seller: { id: parcel.seller, name: `Shop ${parcel.seller}`, country: 'CN' },
        grossMassKg: 1,
        currency: 'USD',
        lines: [
          {
            description: 'Hoodie',
            quantity: 1,
            value: parcel.value,
            currency: 'USD',
            hsCode: '611020',
            originCountry: 'CN',
          },
        ],
      })),
    });
    expect(manifest.statusCode, manifest.body).toBeLessThan(300);
    expect(manifest.json().accepted).toBe(parcels.length);
  }, 120_000);
  afterAll(async () => app?.close());

  it("lists the catalogue in the reader's language with each parameter's default and limits", async () => {
    const response = await call('GET', '/api/v1/analytics/models', { ...inspector, 'accept-language': 'ko' });
    expect(response.statusCode).toBe(200);
    const s1 = response.json().find((model: { id: string }) => model.id === 'S1');
    expect(s1).toMatchObject({ group: 'splitting', name: '분할 반입 합산', firstTwelve: true });
    expect(s1.parameters).toContainEqual(
      expect.objectContaining({
        name: 'window_days',
        type: 'integer',
        default: 3,
        min: 1,
        max: 31,
        label: '기간 창 (일)',
      }),
    );
    expect((await call('GET', '/api/v1/analytics/models', carrier)).statusCode).toBe(403);
  });

  it('refuses unknown, mistyped and out-of-limit parameters with 422 naming each one, in French too', async () => {
    const response = await call(
      'POST',
      '/api/v1/analytics/models/S1/runs',
      { ...inspector, 'accept-language': 'fr' },
      {
        parameters: { window_days: 99, limit: 3, grouping: 'everyone' },
        from: '2026-11-20',
        to: '2026-11-22',
      },
    );
    expect(response.statusCode).toBe(422);
    const fieldErrors = response.json().error.fieldErrors as { path: string; message: string }[];
    expect(fieldErrors.map((error) => error.path).sort()).toEqual([
      'parameters/grouping',
      'parameters/limit',
      'parameters/window_days',
    ]);
    expect(fieldErrors.find((error) => error.path === 'parameters/window_days')!.message).toBe(
      'doit valoir au plus 31',
    );
    const backwards = await call('POST', '/api/v1/analytics/models/S1/runs', inspector, {
      from: '2026-11-22',
      to: '2026-11-20',
    });
    expect(backwards.statusCode).toBe(422);
    expect(backwards.json().error.fieldErrors[0].path).toBe('from');
    expect((await call('POST', '/api/v1/analytics/models/ZZ9/runs', inspector, {})).statusCode).toBe(404);
  });

  it("finds the split buyers with evidence, stores the run reproducibly, and follows the officer's grouping", async () => {
    const perBuyer = await runModel('S1', { from: '2026-11-20', to: '2026-11-22' });
    expect(perBuyer).toMatchObject({
      status: 'succeeded',
      progress: 1,
      modelId: 'S1',
      modelVersion: '1.0.0',
    });
    expect(perBuyer.parameters).toEqual({
      limit_usd: 150,
      window_days: 3,
      min_parcels: 2,
      grouping: 'buyer',
    });
    expect(perBuyer.entities.map((entity: { key: string }) => entity.key).sort()).toEqual(
      [SPLITTER, HOPPER].sort(),
    );
    const splitter = perBuyer.entities.find((entity: { key: string }) => entity.key === SPLITTER);
    expect(splitter.score).toBe(1.2);
    expect(splitter.evidence[0]).toBe(
      '3 parcels from 2026-11-21 to 2026-11-21, USD 180 together (limit USD 150)',
    );
    expect(perBuyer.rows).toContainEqual(
      expect.objectContaining({ pccc: SPLITTER, parcels: 3, total_usd: 180, seller: 'SHOP-A' }),
    );
    expect(perBuyer.chart).toMatchObject({ kind: 'bar', points: [{ x: '2026-11-21', y: 2 }] });

    const perSeller = await runModel('S1', {
      from: '2026-11-20',
      to: '2026-11-22',
      parameters: { grouping: 'buyer_and_seller', limit_usd: '150' },
    });
    expect(perSeller.entities.map((entity: { key: string }) => entity.key)).toEqual([SPLITTER]);
    const lowerLimit = await runModel('S1', {
      from: '2026-11-20',
      to: '2026-11-22',
      parameters: { limit_usd: 70 },
    });
    expect(lowerLimit.entities.map((entity: { key: string }) => entity.key)).toEqual([SPLITTER, MODEST]);

    const history = (await call('GET', '/api/v1/analytics/runs?model=S1', inspector)).json();
    expect(history.map((run: { runId: number }) => run.runId)).toEqual([
      lowerLimit.runId,
      perSeller.runId,
      perBuyer.runId,
    ]);
  });

  it("exports a run as CSV in the reader's language with the evidence", async () => {
    const run = await runModel('S1', { from: '2026-11-20', to: '2026-11-22' });
    const csv = await call('GET', `/api/v1/analytics/runs/${run.runId}/csv`, {
      ...inspector,
      'accept-language': 'ko',
    });
    expect(csv.statusCode).toBe(200);
    expect(csv.headers['content-type']).toMatch(/^text\/csv/);
    const lines = csv.body
      .replace(/^\uFEFF/, '')
      .trim()
      .split('\n');
    expect(lines[0]).toBe(
      '개인통관고유부호,판매자,첫 도착일,마지막 도착일,소포 수,합계 (USD),최대 소포 (USD),근거',
    );
    expect(lines.find((line) => line.startsWith(SPLITTER))).toContain('소포 3개');
  });

  it('sends the hits to a buyer watchlist in one step, for those who may edit watchlists, and audits it', async () => {
    const run = await runModel('S1', {
      from: '2026-11-20',
      to: '2026-11-22',
      parameters: { grouping: 'buyer_and_seller' },
    });
    const created = await call('POST', '/api/v1/targeting/watchlists', targetingAnalyst, {
      name: 'split-buyers',
      kind: 'buyer',
    });
    expect(created.statusCode, created.body).toBeLessThan(300);
    const refused = await call('POST', `/api/v1/analytics/runs/${run.runId}/watchlist`, inspector, {
      watchlist: 'split-buyers',
    });
    expect(refused.statusCode).toBe(403);
    const sent = await call('POST', `/api/v1/analytics/runs/${run.runId}/watchlist`, targetingAnalyst, {
      watchlist: 'split-buyers',
    });
    expect(sent.statusCode, sent.body).toBe(200);
    expect(sent.json()).toEqual({ added: 1, watchlist: 'split-buyers' });
    const entries = (
      await call('GET', '/api/v1/targeting/watchlists/split-buyers/entries', targetingAnalyst)
    ).json();
    expect(entries.items).toEqual([
      expect.objectContaining({
        value: SPLITTER,
        note: expect.stringContaining(`S1 1.0.0 run ${run.runId}`),
      }),
    ]);
    const audit = await sql<{ action: string; subject: string }>`
      select action, subject from identity_audit_entry where action = 'analytics.hits_sent_to_watchlist'`.execute(
      app.database.db,
    );
    expect(audit.rows).toEqual([
      { action: 'analytics.hits_sent_to_watchlist', subject: `analytics_run:${run.runId}` },
    ]);
    const none = await call('POST', `/api/v1/analytics/runs/${run.runId}/watchlist`, targetingAnalyst, {
      watchlist: 'split-buyers',
      minScore: 99,
    });
    expect(none.statusCode).toBe(422);
  });

  it('measures non-compliance per stratum from the random control sample (M2)', async () => {
    const run = await runModel('M2', {
      from: '2026-11-20',
      to: '2026-11-22',
      parameters: { strata: 'channel' },
    });
    expect(run.status).toBe('succeeded');
    const express = run.rows.find((row: { stratum: string }) => row.stratum === 'express');
    if (express) {
      expect(express.parcels).toBe(parcels.length);
      expect(express.low).toBeLessThanOrEqual(express.rate);
      expect(express.high).toBeGreaterThanOrEqual(express.rate);
    } else {
      // No random pick among eight parcels: nothing is measured, and the summary says so.
      expect(run.summary).toContain(`${parcels.length} parcels, 0 strata measured`);
    }
  });

  it('runs a schedule when it is due and mails the result', async () => {
    const created = await call('POST', '/api/v1/analytics/schedules', inspector, {
      modelId: 'S1',
      cadence: 'weekly',
      windowDays: 30,
      recipient: 'weekly-splits@customs.example',
      locale: 'en',
    });
    expect(created.statusCode, created.body).toBe(201);
    const scheduleId = created.json().id as number;
    await sql`update analytics_schedule set next_run_at = now() - interval '1 minute' where id = ${scheduleId}`.execute(
      app.database.db,
    );
    expect(await app.analytics.runs.runDueSchedules()).toBe(1);
    expect(await app.analytics.runs.runDueSchedules()).toBe(0);
    await app.settle();
    const runs = (await call('GET', '/api/v1/analytics/runs?model=S1', inspector)).json();
    expect(runs[0]).toMatchObject({ scheduleId, status: 'succeeded', requestedBy: `schedule:${scheduleId}` });
    const mails = await outboxMail(app, dataDir, 'weekly-splits@customs.example');
    expect(mails).toHaveLength(1);
    expect((await call('DELETE', `/api/v1/analytics/schedules/${scheduleId}`, analyst)).statusCode).toBe(403);
    expect((await call('DELETE', `/api/v1/analytics/schedules/${scheduleId}`, inspector)).statusCode).toBe(
      204,
    );
  });

  it("takes a model request from an officer to an analyst's delivery, mailing the requester at each step", async () => {
    const officer = await officerSession(app, ['inspector']);
    const dataAnalyst = await officerSession(app, ['data_analyst']);
    const filed = await call('POST', '/api/v1/analytics/requests', officer.headers, {
      title: 'Buyers who reship',
      question: 'Which buyers resend what they import to other addresses?',
      dataNeeded: 'Final delivery addresses',
      urgency: 'high',
      exampleCases: 'PORTAL0001',
    });
    expect(filed.statusCode, filed.body).toBe(201);
    const id = filed.json().id as number;
    const other = await officerSession(app, ['xray_analyst']);
    expect((await call('GET', `/api/v1/analytics/requests/${id}`, other.headers)).statusCode).toBe(404);
    const selfTriage = await call('POST', `/api/v1/analytics/requests/${id}/steps`, officer.headers, {
      kind: 'triaged',
      text: 'mine',
    });
    expect(selfTriage.statusCode).toBe(403);
    for (const step of [
      { kind: 'triaged', text: 'We can build it from delivery reports' },
      { kind: 'estimated', text: 'Two weeks', estimateDays: 10 },
      { kind: 'delivered', text: 'See S1 with buyer grouping', modelId: 'S1', modelVersion: '1.0.0' },
    ]) {
      const response = await call(
        'POST',
        `/api/v1/analytics/requests/${id}/steps`,
        dataAnalyst.headers,
        step,
      );
      expect(response.statusCode, response.body).toBe(200);
    }
    const closed = await call('POST', `/api/v1/analytics/requests/${id}/steps`, dataAnalyst.headers, {
      kind: 'declined',
      text: 'late',
    });
    expect(closed.statusCode).toBe(409);
    const request = (await call('GET', `/api/v1/analytics/requests/${id}`, officer.headers)).json();
    expect(request).toMatchObject({ status: 'delivered', estimateDays: 10, deliveredModelId: 'S1' });
    expect(request.events.map((event: { kind: string }) => event.kind)).toEqual([
      'filed',
      'triaged',
      'estimated',
      'delivered',
    ]);
    expect(
      request.events.every((event: { notified: string | null }) => event.notified === officer.email),
    ).toBe(true);
    expect(await outboxMail(app, dataDir, officer.email)).toHaveLength(4);
    const analystView = (await call('GET', '/api/v1/analytics/requests', dataAnalyst.headers)).json();
    expect(analystView.map((entry: { id: number }) => entry.id)).toContain(id);
    expect((await call('GET', '/api/v1/analytics/requests', other.headers)).json()).toEqual([]);
  });
});
