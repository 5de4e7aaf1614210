import { sql } from 'kysely';
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

  it("takes over a job whose worker stopped stamping it, leaves a live worker's job alone, and fails one that stopped three workers", async () => {
    const queue = new JobQueue(database, undefined, undefined, { heartbeatSeconds: 1 });
    const ran: string[] = [];
    queue.register('echo', async (payload: { name: string }) => {
      ran.push(payload.name);
      return payload.name;
    });
    // What a worker killed with SIGKILL leaves behind: 'running', stamped long ago. A live worker stamped
    // its job a moment ago; the poison job has stopped three workers already.
    const running = async (name: string, attempts: number, stampedSecondsAgo: number) =>
      (
        await sql<{ id: number }>`
          insert into platform_job (kind, payload, state, attempts, started_at, heartbeat_at)
          values ('echo', ${JSON.stringify({ name })}::jsonb, 'running', ${attempts}, now(),
            now() - make_interval(secs => ${stampedSecondsAgo}))
          returning id`.execute(database.db)
      ).rows[0]!.id;
    const orphan = await running('orphan', 1, 60);
    const alive = await running('alive', 1, 0);
    const poison = await running('poison', 3, 60);
    await queue.drain();
    expect(ran).toEqual(['orphan']);
    expect(await queue.get(orphan)).toMatchObject({ state: 'succeeded', result: 'orphan' });
    expect(await queue.get(alive)).toMatchObject({ state: 'running' });
    expect(await queue.get(poison)).toMatchObject({
      state: 'failed',
      error: expect.stringMatching(/abandoned/),
    });

    // The live worker's job once its stamps stop: taken over after three missed heartbeats.
    await sql`update platform_job set heartbeat_at = now() - interval '4 seconds' where id = ${alive}`.execute(
      database.db,
    );
    await queue.drain();
    expect(await queue.get(alive)).toMatchObject({ state: 'succeeded', result: 'alive' });
  });

  it('stamps a running job while it runs, and a worker presumed dead cannot overwrite its successor', async () => {
    const queue = new JobQueue(database, undefined, undefined, { heartbeatSeconds: 1 });
    let release: () => void = () => undefined;
    queue.register('slow', () => new Promise<string>((resolve) => (release = () => resolve('late'))));
    const id = await queue.enqueue('slow', {});
    const running = queue.drain();
    const stamp = async () =>
      (
        await sql<{ at: Date }>`select heartbeat_at as at from platform_job where id = ${id}`.execute(
          database.db,
        )
      ).rows[0]!.at.getTime();
    await new Promise((resolve) => setTimeout(resolve, 100));
    const first = await stamp();
    await new Promise((resolve) => setTimeout(resolve, 1500));
    expect(await stamp()).toBeGreaterThan(first);
    // Another worker took the job over meanwhile (the attempt moved on): the first one's result is dropped.
    await sql`update platform_job set attempts = attempts + 1 where id = ${id}`.execute(database.db);
    release();
    await running;
    expect(await queue.get(id)).toMatchObject({ state: 'running', result: null });
  });

  it('refuses a job kind nobody handles', async () => {
    await expect(new JobQueue(database).enqueue('unknown', {})).rejects.toThrow(/No handler/);
  });
});
