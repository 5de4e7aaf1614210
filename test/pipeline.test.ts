import { readFileSync } from 'node:fs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Clearway } from '../src/main.js';
import { authHeader, createTestApp } from './support/test-app.js';
import { postalItem, s10 } from './support/sample-data.js';

const GUN_CROP = new URL('../../shared/data/xray-gdxray/train/gun/B0049_0001.jpg', import.meta.url);

/** The flow across modules: intake -> decision -> X-ray finding -> re-decision -> inspection -> dashboard. */
describe('parcel pipeline across modules', () => {
  let app: Clearway;
  let post: { authorization: string };
  let analyst: { authorization: string };
  let inspector: { authorization: string };

  beforeAll(async () => {
    app = await createTestApp('embedded');
    post = await authHeader(app, 'postal_operator', 'KPOST');
    analyst = await authHeader(app, 'targeting_analyst');
    inspector = await authHeader(app, 'inspector');
  });
  afterAll(async () => app?.close());

  it('decides on arrival, re-decides on an X-ray finding, and counts the inspection on the dashboard', async () => {
    const { id } = (
      await app.http.inject({
        method: 'POST',
        url: '/api/v1/postal/items',
        headers: post,
        payload: postalItem({ itemId: s10(90000001) }),
      })
    ).json();
    await app.settle(); // clearance and targeting take the parcel in the background, after intake has answered
    const first = (
      await app.http.inject({ method: 'GET', url: `/api/v1/parcels/${id}/decision`, headers: analyst })
    ).json();
    expect(first).toMatchObject({
      lane: expect.stringMatching(/green|yellow|red|blue/),
      modelVersion: 'heuristic-v1',
    });
    expect(first.decidedInMs).toBeGreaterThanOrEqual(0);

    const upload = await app.http.inject({
      method: 'POST',
      url: `/api/v1/parcels/${id}/scans`,
      headers: { ...inspector, 'content-type': 'image/jpeg' },
      payload: readFileSync(GUN_CROP),
    });
    expect(upload.statusCode).toBe(202);
    await app.settle();
    const scan = (
      await app.http.inject({
        method: 'GET',
        url: `/api/v1/scans/${upload.json().scan.id}`,
        headers: inspector,
      })
    ).json();
    expect(scan.state).toBe('analysed');
    expect(scan.declarationMatch.threats).toContain('gun');
    expect(scan.declarationMatch.findings[0]).toMatch(
      /shows a gun .* but the declaration lists Cotton T-shirt/,
    );
    const annotated = await app.http.inject({
      method: 'GET',
      url: `/api/v1/scans/${scan.id}/annotated.png`,
      headers: inspector,
    });
    expect(annotated.headers['content-type']).toBe('image/png');
    expect(annotated.rawPayload.subarray(1, 4).toString()).toBe('PNG');

    const history = (
      await app.http.inject({ method: 'GET', url: `/api/v1/parcels/${id}/decisions`, headers: analyst })
    ).json();
    expect(
      history.items.map((decision: { trigger: string; lane: string }) => [decision.trigger, decision.lane]),
    ).toEqual([
      ['intake', first.lane],
      ['xray', 'red'],
    ]);
    expect(history.items[1].reasons.join(' ')).toMatch(/gun/);
    const latest = (
      await app.http.inject({ method: 'GET', url: `/api/v1/parcels/${id}/decision`, headers: analyst })
    ).json();
    expect(latest.lane).toBe('red');

    const corrupt = await app.http.inject({
      method: 'POST',
      url: `/api/v1/parcels/${id}/scans`,
      headers: { ...inspector, 'content-type': 'image/png' },
      payload: Buffer.from('not a png'),
    });
    expect(corrupt.statusCode).toBe(400);

    const dashboard = (
      await app.http.inject({ method: 'GET', url: '/api/v1/statistics/dashboard?days=3', headers: analyst })
    ).json();
    expect(dashboard.days).toHaveLength(3);
    expect(dashboard.volumesByChannel.postal.at(-1)).toBe(1);
    expect(dashboard.lanes.red.at(-1)).toBe(1);
  });
});
