import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createClearway, type Clearway } from '../src/main.js';
import { loadConfig } from '../src/platform/config/config.js';
import { ParcelFactsRepository } from '../src/modules/intake/intake.parcel-facts.repository.js';
import type { Database } from '../src/platform/db/database.js';
import { authHeader, testDataDir } from './support/test-app.js';
import { availableEngines, createTestDatabase } from './support/test-database.js';
import { postalItem, s10 } from './support/sample-data.js';
import { StatementRecorder } from './support/statement-recorder.js';

/**
 * A stored parcel's event wakes targeting and clearance together, and both read its facts first: the
 * reads asked for in one turn of the event loop are served by one statement, each caller getting its own
 * parcels as its own objects, and a read asked for after that statement was sent gets a statement of its
 * own (it may need what was committed since).
 */
describe.each(await availableEngines())('parcel facts read together on %s', (engine) => {
  let app: Clearway;
  let database: Database;
  const recorder = new StatementRecorder();
  let facts: ParcelFactsRepository;
  const ids: number[] = [];

  beforeAll(async () => {
    database = await createTestDatabase(engine);
    app = await createClearway(
      loadConfig({ NODE_ENV: 'test', LOG_LEVEL: 'silent', DATA_DIR: testDataDir() }),
      database,
    );
    const post = await authHeader(app, 'postal_operator', 'KPOST');
    for (const serial of [61000001, 61000002, 61000003]) {
      const response = await app.http.inject({
        method: 'POST',
        url: '/api/v1/postal/items',
        headers: post,
        payload: postalItem({ itemId: s10(serial) }),
      });
      expect(response.statusCode).toBe(201);
      ids.push(response.json().id);
    }
    await app.settle();
    facts = new ParcelFactsRepository({ ...database, db: database.db.withPlugin(recorder) });
  });
  afterAll(async () => app?.close());

  const factStatements = (statements: { sql: string }[]) =>
    statements.filter((statement) => statement.sql.includes('from intake_parcel p'));

  it('serves the reads of one turn by one statement, each its own parcels', async () => {
    let results: Awaited<ReturnType<ParcelFactsRepository['loadParcelFacts']>>[] = [];
    const statements = await recorder.during(async () => {
      results = await Promise.all([
        facts.loadParcelFacts([ids[0]!, ids[1]!]),
        facts.loadParcelFacts([ids[1]!, ids[2]!]),
        facts.loadParcelFacts([999_999_999]),
      ]);
    });
    expect(factStatements(statements)).toHaveLength(1);
    expect(results[0]!.map((parcel) => parcel.parcelId).sort()).toEqual([ids[0], ids[1]].sort());
    expect(results[1]!.map((parcel) => parcel.parcelId).sort()).toEqual([ids[1], ids[2]].sort());
    expect(results[2]).toEqual([]);
    // One parcel asked for by two callers: equal facts, not the same objects.
    const first = results[0]!.find((parcel) => parcel.parcelId === ids[1])!;
    const second = results[1]!.find((parcel) => parcel.parcelId === ids[1])!;
    expect(second).toEqual(first);
    expect(second).not.toBe(first);
    expect(second.lines).not.toBe(first.lines);
  });

  it('sends a read asked for after the shared one was sent on its own', async () => {
    const statements = await recorder.during(async () => {
      const early = facts.loadParcelFacts([ids[0]!]);
      await new Promise((resolve) => setImmediate(resolve));
      const late = facts.loadParcelFacts([ids[0]!]);
      expect((await early).map((parcel) => parcel.parcelId)).toEqual([ids[0]]);
      expect((await late).map((parcel) => parcel.parcelId)).toEqual([ids[0]]);
    });
    expect(factStatements(statements)).toHaveLength(2);
  });
});
