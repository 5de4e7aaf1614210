import { sql } from 'kysely';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { migrations } from '../src/migrations/index.js';
import { migrateToLatest, type Database } from '../src/platform/db/database.js';
import { EventOutbox } from '../src/platform/events/event-outbox.js';
import { monthPartition } from '../src/platform/db/time-partitions.js';
import { loadConfig } from '../src/platform/config/config.js';
import { createClearway } from '../src/main.js';
import { authHeader, testDataDir } from './support/test-app.js';
import { availableEngines, createTestDatabase } from './support/test-database.js';
import { postalItem, s10 } from './support/sample-data.js';
import { StatementRecorder } from './support/statement-recorder.js';

describe.each(await availableEngines())('event outbox on %s', (engine) => {
  let database: Database;
  beforeAll(async () => {
    database = await createTestDatabase(engine);
    await migrateToLatest(database, migrations);
  });
  afterAll(async () => database?.close());

  it('delivers only what was committed, once to each subscriber, in order', async () => {
    const outbox = new EventOutbox(database);
    const first: number[] = [];
    const second: number[] = [];
    outbox.subscribe<{ n: number }>(
      'numbers',
      'first',
      async (events) => void first.push(...events.map((event) => event.n)),
    );
    outbox.subscribe<{ n: number }>(
      'numbers',
      'second',
      async (events) => void second.push(...events.map((event) => event.n)),
    );
    outbox.subscribe<{ n: number }>('letters', 'third', async () => {
      throw new Error('not subscribed to numbers');
    });
    await database.db.transaction().execute(async (tx) => {
      await outbox.publish(tx, 'numbers', { n: 1 });
      await outbox.publish(tx, 'numbers', { n: 2 });
    });
    await expect(
      database.db.transaction().execute(async (tx) => {
        await outbox.publish(tx, 'numbers', { n: 99 });
        throw new Error('the write failed');
      }),
    ).rejects.toThrow('the write failed');
    expect(await outbox.backlog()).toEqual({ first: 2, second: 2 });
    expect(await outbox.drain()).toBe(true);
    expect(first).toEqual([1, 2]);
    expect(second).toEqual([1, 2]);
    expect(await outbox.drain()).toBe(false);
    expect(await outbox.backlog()).toEqual({});
  });

  it('keeps the events of a failing handler and retries them later', async () => {
    const outbox = new EventOutbox(database);
    let failures = 1;
    const handled: string[] = [];
    outbox.subscribe<string>('flaky', 'flaky-subscriber', async (events) => {
      if (failures-- > 0) throw new Error('downstream unavailable');
      handled.push(...events);
    });
    await database.db.transaction().execute((tx) => outbox.publish(tx, 'flaky', 'parcel 7'));
    await outbox.drain();
    expect(handled).toEqual([]);
    const { rows } = await sql<{ attempts: number; last_error: string; due_in: number }>`
      select attempts, last_error, extract(epoch from available_at - now())::float as due_in from platform_outbox where subscriber = 'flaky-subscriber'`.execute(
      database.db,
    );
    expect(rows).toEqual([{ attempts: 1, last_error: 'downstream unavailable', due_in: expect.any(Number) }]);
    expect(rows[0]!.due_in).toBeGreaterThan(0);
    await sql`update platform_outbox set available_at = now() where subscriber = 'flaky-subscriber'`.execute(
      database.db,
    );
    await outbox.drain();
    expect(handled).toEqual(['parcel 7']);
    expect(await outbox.backlog()).toEqual({});
  });

  it('delivers on notification of the commit, without waiting for the poll', async () => {
    const outbox = new EventOutbox(database);
    const delivered = new Promise<string[]>((resolve) =>
      outbox.subscribe<string>('prompt', 'prompt-subscriber', async (events) => resolve(events)),
    );
    await outbox.start(60_000);
    try {
      const committedAt = performance.now();
      await database.db.transaction().execute((tx) => outbox.publish(tx, 'prompt', 'parcel 9'));
      expect(await delivered).toEqual(['parcel 9']);
      expect(performance.now() - committedAt).toBeLessThan(5_000);
    } finally {
      await outbox.stop();
    }
  });

  it('claims for all the subscribers one commit wakes in one statement, and deletes their rows in one', async () => {
    const recorder = new StatementRecorder();
    const outbox = new EventOutbox({ ...database, db: database.db.withPlugin(recorder) });
    const delivered = ['decide', 'take-in', 'match', 'notice'].map(
      (subscriber) =>
        new Promise<string[]>((resolve) =>
          outbox.subscribe<string>('stored', subscriber, async (events) => resolve(events)),
        ),
    );
    await outbox.start(60_000);
    try {
      // The start-up claim for every subscriber has found nothing; what the commit costs from here on:
      await outbox.drain();
      const statements = await recorder.during(async () => {
        await database.db.transaction().execute((tx) => outbox.publish(tx, 'stored', 'parcel 11'));
        expect(await Promise.all(delivered)).toEqual(Array(4).fill(['parcel 11']));
        await outbox.stop();
      });
      const outboxStatements = statements.map((statement) => statement.sql.replace(/\s+/g, ' ').trim());
      expect(outboxStatements.filter((text) => text.includes('for update skip locked'))).toHaveLength(1);
      expect(outboxStatements).toHaveLength(2);
      expect(await outbox.backlog()).toEqual({});
    } finally {
      await outbox.stop();
    }
  });

  it('delivers each event to one of several workers on the same database', async () => {
    const received: string[] = [];
    const workers = [new EventOutbox(database), new EventOutbox(database)];
    workers.forEach((worker, index) =>
      worker.subscribe<number>('shared', 'shared-subscriber', async (events) => {
        await new Promise((resolve) => setTimeout(resolve, 5));
        received.push(...events.map((event) => `${event}@${index}`));
      }),
    );
    await database.db.transaction().execute(async (tx) => {
      for (let n = 0; n < 120; n++) await workers[0]!.publish(tx, 'shared', n);
    });
    await Promise.all(workers.map((worker) => worker.drain()));
    expect(received.map((entry) => Number(entry.split('@')[0])).sort((a, b) => a - b)).toEqual([
      ...Array(120).keys(),
    ]);
  });

  it.runIf(engine === 'postgres')(
    "vacuums the month's partition once it has deleted enough rows, and delivers on",
    async () => {
      const partition = monthPartition('platform_outbox', new Date()).name;
      const vacuums = async () =>
        (
          await sql<{ vacuums: number }>`
            select vacuum_count::int as vacuums from pg_stat_user_tables where relname = ${partition}`.execute(
            database.db,
          )
        ).rows[0]!.vacuums;
      const before = await vacuums();
      const outbox = new EventOutbox(database, { vacuumAfterDeletions: 20 });
      const handled: number[] = [];
      outbox.subscribe<number>('swept', 'sweeper', async (events) => void handled.push(...events));
      await database.db.transaction().execute(async (tx) => {
        for (let n = 0; n < 30; n++) await outbox.publish(tx, 'swept', n);
      });
      await outbox.drain();
      // stop() waits for a vacuum under way.
      await outbox.stop();
      expect(handled).toEqual([...Array(30).keys()]);
      expect(await vacuums()).toBe(before + 1);
      expect(await outbox.backlog()).toEqual({});
    },
  );
});

describe('parcels stored by a process that stops before telling anyone', () => {
  it('are taken into clearance and decided by the next process on the same database', async () => {
    const database = await createTestDatabase('embedded');
    const config = loadConfig({ NODE_ENV: 'test', LOG_LEVEL: 'silent', DATA_DIR: testDataDir() });
    const first = await createClearway(config, database);
    const post = await authHeader(first, 'postal_operator', 'KPOST');
    const response = await first.http.inject({
      method: 'POST',
      url: '/api/v1/postal/items',
      headers: post,
      payload: postalItem({ itemId: s10(70000001) }),
    });
    expect(response.statusCode).toBe(201);
    const parcelId = response.json().id as number;
    // The first process answered and stopped delivering; the events wait in the database.
    await first.events.stop();
    const second = await createClearway(config, { ...database, close: async () => undefined });
    try {
      const admin = await authHeader(second, 'administrator');
      expect(
        (await second.http.inject({ method: 'GET', url: '/health', headers: admin })).json().backlog,
      ).toEqual({
        'targeting.decide': 1,
        'clearance.take-in': 1,
        'partners.match': 1,
        'portal.address-notice': 1,
        'analytics.parcel-facts': 1,
      });
      expect((await second.http.inject({ method: 'GET', url: '/health' })).json().backlog).toBeUndefined();
      await second.settle();
      const analyst = await authHeader(second, 'targeting_analyst');
      expect(
        (
          await second.http.inject({
            method: 'GET',
            url: `/api/v1/parcels/${parcelId}/decision`,
            headers: analyst,
          })
        ).json(),
      ).toMatchObject({ parcelId, trigger: 'intake' });
      expect(
        (
          await second.http.inject({
            method: 'GET',
            url: `/api/v1/clearance/parcels/${parcelId}`,
            headers: analyst,
          })
        ).statusCode,
      ).toBe(200);
      // Delivered again (as after a crash between handling and deleting): still one arrival decision.
      await second.targeting.service.onIntakeStored({ kind: 'parcels', ids: [parcelId] });
      const decisions = (
        await second.http.inject({
          method: 'GET',
          url: `/api/v1/parcels/${parcelId}/decisions`,
          headers: analyst,
        })
      ).json();
      expect(decisions.items).toHaveLength(1);
    } finally {
      await second.close();
      await first.http.close();
      await database.close();
    }
  });
});
