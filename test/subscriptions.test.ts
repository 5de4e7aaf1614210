import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { sql } from 'kysely';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import type { Clearway } from '../src/main.js';
import { XRAY_FINDING } from '../src/modules/xray/index.js';
import { authHeader, createTestApp } from './support/test-app.js';
import { postalItem, s10 } from './support/sample-data.js';

/** Every topic defined anywhere in src/ (`defineTopic<...>('name')`), so that a new one cannot be forgotten. */
function definedTopics(): string[] {
  const topics: string[] = [];
  const visit = (directory: string) => {
    for (const entry of readdirSync(directory, { withFileTypes: true })) {
      const path = join(directory, entry.name);
      if (entry.isDirectory()) visit(path);
      else if (entry.name.endsWith('.ts') && !entry.name.endsWith('.test.ts')) {
        for (const match of readFileSync(path, 'utf8').matchAll(/defineTopic<[\s\S]*?>\(\s*'([^']+)'/g))
          topics.push(match[1]!);
      }
    }
  };
  visit('src');
  return topics;
}

describe('cross-module subscriptions', () => {
  let app: Clearway;
  beforeAll(async () => {
    app = await createTestApp('embedded');
  });
  afterAll(async () => app?.close());

  it('give every published topic at least one listener, and listen only to published topics', () => {
    const topics = definedTopics();
    expect(topics).toEqual(
      expect.arrayContaining([
        'intake.stored',
        'risk.active-model-changed',
        'xray.finding',
        'clearance.address-reanalysed',
        'clearance.inspection-labelled',
        'partners.product-safety-hit',
      ]),
    );
    const subscribed = new Set(app.events.subscribers().map((subscription) => subscription.topic));
    for (const topic of topics) expect(subscribed, `nobody listens to ${topic}`).toContain(topic);
    for (const topic of subscribed) expect(topics).toContain(topic);
  });

  it('retries a failing listener instead of dropping its event', async () => {
    const post = await authHeader(app, 'postal_operator', 'KPOST');
    const created = await app.http.inject({
      method: 'POST',
      url: '/api/v1/postal/items',
      headers: post,
      payload: postalItem({ itemId: s10(70000111) }),
    });
    expect(created.statusCode).toBe(201);
    const parcelId = created.json().id as number;
    await app.settle();

    // Targeting is unavailable the first time the finding reaches it.
    const redecide = vi
      .spyOn(app.targeting.service, 'onNewInformation')
      .mockRejectedValueOnce(new Error('targeting unavailable'));
    await app.database.db.transaction().execute((tx) =>
      app.events.publish(tx, XRAY_FINDING, {
        parcelId,
        scanId: 1,
        threats: ['gun'],
        mismatch: false,
        findings: [],
      }),
    );
    // One delivery round (settle() would wait out the back-off and deliver it again).
    await app.events.drain();
    expect(await app.events.backlog()).toEqual({ 'targeting.xray-finding': 1 });

    // Due again (after its back-off), it is delivered and the parcel is decided on the finding.
    await sql`update platform_outbox set available_at = now()`.execute(app.database.db);
    await app.settle();
    expect(await app.events.backlog()).toEqual({});
    expect(redecide).toHaveBeenCalledTimes(2);
    redecide.mockRestore();
    const analyst = await authHeader(app, 'targeting_analyst');
    const history = (
      await app.http.inject({ method: 'GET', url: `/api/v1/parcels/${parcelId}/decisions`, headers: analyst })
    ).json().items as { trigger: string }[];
    expect(history.map((decision) => decision.trigger)).toEqual(['intake', 'xray']);
  });
});
