import { sql } from 'kysely';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createClearway, type Clearway } from '../src/main.js';
import { systemActor } from '../src/platform/auth/actor.js';
import { loadConfig } from '../src/platform/config/config.js';
import { openDatabase } from '../src/platform/db/database.js';
import type { RiskScorer } from '../src/modules/targeting/index.js';
import { authHeader, testDataDir } from './support/test-app.js';
import { createPostgresTestDatabase, isPostgresAvailable } from './support/test-database.js';
import { postalItem, s10 } from './support/sample-data.js';

const WORKERS = 4;
const PARCELS = 240;
const RED_CAPACITY = 20;
const YELLOW_CAPACITY = 30;

/** Scores every parcel differently (a hash of its id), so that each has its own rank. */
const hashScorer: RiskScorer = {
  modelVersion: 'hash-v1',
  score: (facts) => ({ score: ((facts.parcelId! * 2654435761) % 4294967296) / 4294967296, signals: [] }),
};

/** Posts `count` CN23 items numbered from `first`; returns their parcel ids. */
async function postParcels(api: Clearway, count: number, first: number): Promise<number[]> {
  const post = await authHeader(api, 'postal_operator', 'KPOST');
  const ids: number[] = [];
  for (let index = first; index < first + count; index++) {
    const base = postalItem();
    const response = await api.http.inject({
      method: 'POST',
      url: '/api/v1/postal/items',
      headers: post,
      payload: {
        ...base,
        itemId: s10(71000000 + index),
        // A buyer of their own per parcel: no split series, so every parcel is decided once.
        addressee: {
          ...(base.addressee as object),
          importerReference: `P${String(index).padStart(12, '0')}`,
        },
      },
    });
    expect(response.statusCode).toBe(201);
    ids.push(response.json().id as number);
  }
  return ids;
}

/**
 * Several whole Clearway processes' worth of modules (one api instance that takes the parcels and the
 * analyst's settings, and workers that deliver the outbox and decide) on one PostgreSQL database, each
 * with its own connection pool: what `clearway serve --role worker` started M times does.
 */
describe.skipIf(!(await isPostgresAvailable()))(
  'targeting with several deciding workers on one PostgreSQL',
  () => {
    const instances: Clearway[] = [];
    let drop: () => Promise<void>;

    beforeAll(async () => {
      const server = await createPostgresTestDatabase();
      drop = server.drop;
      const config = loadConfig({ NODE_ENV: 'test', LOG_LEVEL: 'silent', DATA_DIR: testDataDir() });
      // One after the other: the first migrates, the others find the schema ready.
      for (let index = 0; index <= WORKERS; index++) {
        const instance = await createClearway(config, await openDatabase({ databaseUrl: server.url }));
        instance.targeting.service.setScorer(hashScorer);
        instances.push(instance);
      }
    });
    afterAll(async () => {
      for (const instance of instances) await instance.close();
      await drop?.();
    });

    it('keeps each lane within its daily cap, the highest-ranked parcels in the highest lanes, each decided once', async () => {
      const [api, ...workers] = instances as [Clearway, ...Clearway[]];
      const analyst = await authHeader(api, 'targeting_analyst');
      // Settings change through the api instance; the workers, started before, must decide with them.
      for (const [lane, dailyCapacity] of [
        ['red', RED_CAPACITY],
        ['yellow', YELLOW_CAPACITY],
      ] as const) {
        const response = await api.http.inject({
          method: 'PUT',
          url: `/api/v1/targeting/budgets/*/${lane}`,
          headers: analyst,
          payload: { expectedRate: 0.02, dailyCapacity },
        });
        expect(response.statusCode).toBe(204);
      }
      const rule = await api.http.inject({
        method: 'POST',
        url: '/api/v1/targeting/rules',
        headers: analyst,
        payload: {
          name: 'everything from China',
          expression: 'sender.country = "CN"',
          lane: 'red',
          activate: true,
        },
      });
      expect(rule.statusCode).toBe(201);

      await postParcels(api, PARCELS, 0);

      // The workers deliver the outbox side by side (`for update skip locked` shares the rows out).
      await Promise.all(workers.map((worker) => worker.settle()));

      const { rows: states } = await sql<{
        parcel_id: string;
        lane: string;
        priority: number;
        sequence: number;
      }>`
      select parcel_id, lane, priority, sequence from targeting_parcel_state`.execute(api.database.db);
      expect(states).toHaveLength(PARCELS);
      const ranked = [...states].sort((a, b) => b.priority - a.priority);
      const lanes = ranked.map((state) => state.lane);
      expect(lanes.slice(0, RED_CAPACITY)).toEqual(Array(RED_CAPACITY).fill('red'));
      expect(lanes.slice(RED_CAPACITY, RED_CAPACITY + YELLOW_CAPACITY)).toEqual(
        Array(YELLOW_CAPACITY).fill('yellow'),
      );
      expect(new Set(lanes.slice(RED_CAPACITY + YELLOW_CAPACITY))).toEqual(new Set(['blue']));

      // Every record numbered 1..n per parcel with no gap or double, and the state names the last.
      const { rows: records } = await sql<{
        parcel_id: string;
        records: number;
        last: number;
        first_arrivals: number;
      }>`
      select parcel_id, count(*)::int as records, max(sequence) as last,
        count(*) filter (where trigger = 'intake')::int as first_arrivals
      from targeting_decision group by parcel_id`.execute(api.database.db);
      expect(records).toHaveLength(PARCELS);
      const sequenceOf = new Map(states.map((state) => [state.parcel_id, state.sequence]));
      for (const record of records) {
        expect(record.first_arrivals).toBe(1);
        expect(record.last).toBe(record.records);
        expect(sequenceOf.get(record.parcel_id)).toBe(record.last);
      }
      // More parcels wanted red than it holds: the ones moved down say so.
      const moved = await api.targeting.service.getDecision(systemActor, Number(ranked.at(-1)!.parcel_id));
      expect(moved.reasons.some((text) => text.includes('capacity.'))).toBe(true);
    });

    it('decides new parcels handed to two workers at once, each once', async () => {
      const [api, first, second] = instances as [Clearway, Clearway, Clearway, ...Clearway[]];
      const analyst = await authHeader(api, 'targeting_analyst');
      for (const lane of ['red', 'yellow'] as const) {
        const response = await api.http.inject({
          method: 'PUT',
          url: `/api/v1/targeting/budgets/*/${lane}`,
          headers: analyst,
          payload: { expectedRate: 0.02, dailyCapacity: null },
        });
        expect(response.statusCode).toBe(204);
      }
      const ids = await postParcels(api, 40, 500_000);
      // As when one delivery's lease ended while it still ran: both decide the same parcels side by side.
      const outcomes = await Promise.allSettled(
        [first, second].map((worker) => worker.targeting.service.onIntakeStored({ kind: 'parcels', ids })),
      );
      expect(outcomes.some((outcome) => outcome.status === 'fulfilled')).toBe(true);
      // The batch that loses the race finds the parcels decided (the decision key refuses its one-statement
      // write of first decisions, and its transaction then sees them); a batch that failed whole instead
      // would be delivered again by the outbox, and then skip them.
      for (const [index, outcome] of outcomes.entries())
        if (outcome.status === 'rejected')
          await [first, second][index]!.targeting.service.onIntakeStored({ kind: 'parcels', ids });
      await Promise.all([first, second].map((worker) => worker.settle()));

      const { rows } = await sql<{ parcel_id: string; records: number; arrivals: number; last: number }>`
        select parcel_id, count(*)::int as records, count(*) filter (where trigger = 'intake')::int as arrivals,
          max(sequence) as last
        from targeting_decision where parcel_id = any(${ids}::bigint[]) group by parcel_id`.execute(
        api.database.db,
      );
      expect(rows).toHaveLength(ids.length);
      for (const row of rows) expect(row).toMatchObject({ records: 1, arrivals: 1, last: 1 });
    });
  },
);
