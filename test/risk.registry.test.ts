import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Clearway } from '../src/main.js';
import { systemActor } from '../src/platform/auth/actor.js';
import { authHeader, createTestApp } from './support/test-app.js';
import { postalItem, s10 } from './support/sample-data.js';

const KCS_TRAIN = new URL('../../shared/data/kcs-declarations/train.csv', import.meta.url);

/** The first rows of the KCS training file: enough history to train and measure a small model. */
function kcsSample(rows: number): string {
  const dir = mkdtempSync(join(tmpdir(), 'clearway-risk-'));
  const file = join(dir, 'kcs-sample.csv');
  writeFileSync(
    file,
    readFileSync(KCS_TRAIN, 'utf8')
      .split('\n')
      .slice(0, rows + 1)
      .join('\n'),
  );
  return file;
}

describe('risk model registry on the embedded database', () => {
  let app: Clearway;
  let analyst: { authorization: string };
  let carrier: { authorization: string };

  beforeAll(async () => {
    app = await createTestApp('embedded');
    analyst = await authHeader(app, 'data_analyst');
    carrier = await authHeader(app, 'carrier', 'DHL');
    const summary = await app.intake.service.importFile(systemActor, 'kcs', kcsSample(4000));
    expect(summary.accepted).toBe(4000);
  });
  afterAll(async () => app?.close());

  it('trains from stored inspection outcomes as a job, registers metrics, promotes, scores with reasons, and rolls back', async () => {
    const started = await app.http.inject({
      method: 'POST',
      url: '/api/v1/models/train',
      headers: analyst,
      payload: { params: { maxTrees: 60, seed: 7 } },
    });
    expect(started.statusCode).toBe(202);
    await app.jobs.drain();
    const job = (
      await app.http.inject({ method: 'GET', url: `/api/v1/jobs/${started.json().jobId}`, headers: analyst })
    ).json();
    expect(job.state).toBe('succeeded');
    expect(job.progress.done).toBe(job.progress.total);

    const [model] = (
      await app.http.inject({ method: 'GET', url: '/api/v1/models', headers: analyst })
    ).json();
    expect(model).toMatchObject({ version: 1, status: 'candidate', trainingRows: 4000 });
    expect(model.metrics.holdout.rows).toBeGreaterThan(300);
    // Ranking must beat the base rate of frauds on held-out later days.
    const baseRate = model.metrics.holdout.frauds / model.metrics.holdout.rows;
    expect(model.metrics.holdout.precision_at['10']).toBeGreaterThan(baseRate);
    expect(model.featureImportance[0].importance).toBeGreaterThan(0);

    expect(
      (await app.http.inject({ method: 'POST', url: '/api/v1/models/1/promote', headers: carrier }))
        .statusCode,
    ).toBe(403);
    expect(
      (await app.http.inject({ method: 'POST', url: '/api/v1/models/1/promote', headers: analyst })).json()
        .status,
    ).toBe('active');
    await app.settle(); // targeting hears of the promotion and scores with model 1

    const post = await authHeader(app, 'postal_operator', 'KPOST');
    const { id } = (
      await app.http.inject({
        method: 'POST',
        url: '/api/v1/postal/items',
        headers: post,
        payload: postalItem({ itemId: s10(80000001) }),
      })
    ).json();
    const risk = await app.http.inject({
      method: 'GET',
      url: `/api/v1/parcels/${id}/risk`,
      headers: analyst,
    });
    expect(risk.statusCode).toBe(200);
    expect(risk.json()).toMatchObject({ modelVersion: '1', lines: [{ lineNumber: 1 }, { lineNumber: 2 }] });
    expect(risk.json().score).toBeGreaterThan(0);
    expect(risk.json().score).toBeLessThan(1);
    // One parcel, one model, one score: targeting's decision scores through the same model input.
    await app.settle();
    const decision = (
      await app.http.inject({ method: 'GET', url: `/api/v1/parcels/${id}/decision`, headers: analyst })
    ).json();
    expect(decision.modelVersion).toBe('gbdt-v1');
    expect(decision.score).toBe(risk.json().score);

    const drift = (
      await app.http.inject({
        method: 'GET',
        url: '/api/v1/models/active/drift?from=2020-01-01&to=2020-12-31',
        headers: analyst,
      })
    ).json();
    expect(drift).toMatchObject({ modelVersion: '1', declarations: 4000 });
    expect(drift.features[0]).toMatchObject({
      feature: expect.any(String),
      psi: expect.any(Number),
      level: expect.stringMatching(/stable|moderate|significant/),
    });

    await app.http.inject({
      method: 'POST',
      url: '/api/v1/models/train',
      headers: analyst,
      payload: { params: { maxTrees: 20 } },
    });
    await app.jobs.drain();
    await app.http.inject({ method: 'POST', url: '/api/v1/models/2/promote', headers: analyst });
    const rolledBack = await app.http.inject({
      method: 'POST',
      url: '/api/v1/models/rollback',
      headers: analyst,
    });
    expect(rolledBack.json()).toMatchObject({ version: 1, status: 'active' });
  });

  it('scores a parcel declared in US dollars on its price in won at the weekly customs rate', async () => {
    // Every week of two years at KRW 1,400 per USD, so whatever date the parcel is declared on has a rate.
    const rates = Array.from({ length: 104 }, (_, week) => ({
      currency: 'USD',
      weekStarting: new Date(Date.UTC(2026, 0, 4) + week * 7 * 86_400_000).toISOString().slice(0, 10),
      krwPerUnit: '1400',
    }));
    await app.clearance.assessment.loadExchangeRates(systemActor, rates, 'test');
    const post = await authHeader(app, 'postal_operator', 'KPOST');
    const declared = async (serial: number, currency: string, values: [number, number]) => {
      const item = postalItem({ itemId: s10(serial), currency }) as { contents: Record<string, unknown>[] };
      item.contents.forEach((line, index) => Object.assign(line, { currency, value: values[index] }));
      const { id } = (
        await app.http.inject({ method: 'POST', url: '/api/v1/postal/items', headers: post, payload: item })
      ).json();
      const risk = await app.http.inject({
        method: 'GET',
        url: `/api/v1/parcels/${id}/risk`,
        headers: analyst,
      });
      expect(risk.statusCode).toBe(200);
      return risk.json().lines.map((line: { score: number }) => line.score);
    };
    const inDollars = await declared(80000011, 'USD', [18.5, 6]);
    // The same goods declared in won at that rate score the same: the model saw won.
    expect(await declared(80000012, 'KRW', [25_900, 8_400])).toEqual(inDollars);
    // Read as if the dollar figures were won, they would score otherwise.
    expect(await declared(80000013, 'KRW', [18.5, 6])).not.toEqual(inDollars);
  });
});
