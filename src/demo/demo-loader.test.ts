import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { migrations } from '../migrations/index.js';
import { migrateToLatest, openDatabase, type Database } from '../platform/db/database.js';
import { createIntakeModule } from '../modules/intake/index.js';
import { loadDemoData } from './demo-loader.js';

describe('loadDemoData', () => {
  let database: Database;
  let intake: ReturnType<typeof createIntakeModule>;

  beforeAll(async () => {
    database = await openDatabase({ embeddedDir: 'memory://' });
    await migrateToLatest(database, migrations);
    intake = createIntakeModule(database);
  });
  afterAll(async () => database?.close());

  it('imports a generated set through intake when the database is empty, and only then', async () => {
    const result = await loadDemoData(
      { intake },
      { days: 2, parcelsPerDay: 60, seed: 5, startDate: '2026-11-02' },
    );
    expect(result.loaded).toBe(true);
    const { counts, summaries } = result;
    expect(summaries.postal?.accepted).toBe(counts!.postalItems);
    expect(summaries.express?.accepted).toBe(counts!.expressHouses);
    expect(summaries.orders?.accepted).toBe(counts!.orders);
    expect(summaries.payments?.accepted).toBe(counts!.payments);
    for (const summary of Object.values(summaries)) expect(summary.rejected).toBe(0);
    expect(counts!.postalItems + counts!.expressHouses).toBe(120);

    const again = await loadDemoData(
      { intake },
      { days: 2, parcelsPerDay: 60, seed: 5, startDate: '2026-11-02' },
    );
    expect(again).toMatchObject({ loaded: false, reason: 'the database already holds parcels' });
  });
});
