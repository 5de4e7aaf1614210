import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { migrateToLatest, openDatabase, type Database } from '../db/database.js';
import { migrations } from '../../migrations/index.js';
import { JobQueue } from './job-queue.js';

describe('database job queue', () => {
  let database: Database;
  beforeAll(async () => {
    database = await openDatabase({ embeddedDir: 'memory://' });
    await migrateToLatest(database, migrations);
  });
  afterAll(async () => database.close());

  it('runs jobs in order, records progress and results, and keeps failures with their message', async () => {
    const queue = new JobQueue(database);
    const seen: number[] = [];
    queue.register('square', async (payload: { n: number }, context) => {
      await context.reportProgress(1, 2);
      seen.push(payload.n);
      if (payload.n < 0) throw new Error('negative input');
      return { square: payload.n * payload.n };
    });
    const first = await queue.enqueue('square', { n: 3 }, 'test');
    const second = await queue.enqueue('square', { n: -1 }, 'test');
    await queue.drain();
    expect(seen).toEqual([3, -1]);
    expect(await queue.get(first)).toMatchObject({
      state: 'succeeded',
      result: { square: 9 },
      progress: { done: 1, total: 2 },
    });
    expect(await queue.get(second)).toMatchObject({ state: 'failed', error: 'negative input' });
  });

  it('refuses a job kind nobody handles', async () => {
    await expect(new JobQueue(database).enqueue('unknown', {})).rejects.toThrow(/No handler/);
  });
});
