import { spawn, type ChildProcess } from 'node:child_process';
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { sql } from 'kysely';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createClearway, type Clearway } from '../src/main.js';
import { loadConfig } from '../src/platform/config/config.js';
import { openDatabase } from '../src/platform/db/database.js';
import { authHeader } from './support/test-app.js';
import { createPostgresTestDatabase, isPostgresAvailable } from './support/test-database.js';
import { expressManifest } from './support/sample-data.js';

const PARCELS = 3000;
const binary = join(process.cwd(), 'bin', 'clearway.js');

/**
 * The resilience suite: worker processes (`clearway serve` with ROLES=worker) deliver the outbox of one
 * PostgreSQL database; one is killed with SIGKILL in the middle of its decision batches, and the
 * database connections of the others are cut (pg_terminate_backend: the server is shared, so it is not
 * restarted here; bench/restart-postgres.sh does that). Afterwards every parcel is counted: exactly one
 * current decision, one arrival decision, records numbered without gap, one clearance assessment.
 */
describe.skipIf(!(await isPostgresAvailable()))('resilience: killed workers and cut connections', () => {
  let api: Clearway;
  let url: string;
  let drop: () => Promise<void>;
  const children: ChildProcess[] = [];
  const dataDir = mkdtempSync(join(tmpdir(), 'clearway-resilience-'));

  const startWorker = (): ChildProcess => {
    const child = spawn(process.execPath, [binary, 'serve'], {
      env: {
        ...process.env,
        DATABASE_URL: url,
        ROLES: 'worker',
        HOST: '127.0.0.1',
        PORT: '0',
        NODE_ENV: 'test',
        LOG_LEVEL: 'silent',
        DATA_DIR: dataDir,
        // Rows a killed worker had claimed come back to the others after this long.
        OUTBOX_LEASE_SECONDS: '3',
      },
      stdio: 'ignore',
    });
    children.push(child);
    return child;
  };
  const count = async (query: ReturnType<typeof sql<{ n: number }>>) =>
    (await query.execute(api.database.db)).rows[0]!.n;
  const decided = () => count(sql<{ n: number }>`select count(*)::int as n from targeting_parcel_state`);
  const waiting = () => count(sql<{ n: number }>`select count(*)::int as n from platform_outbox`);
  const until = async (condition: () => Promise<boolean>, timeoutMs: number, pollMs = 20) => {
    const deadline = Date.now() + timeoutMs;
    while (!(await condition())) {
      if (Date.now() > deadline) throw new Error('timed out');
      await new Promise((resolve) => setTimeout(resolve, pollMs));
    }
  };
  const exitOf = (child: ChildProcess) =>
    new Promise<{ code: number | null; signal: string | null }>((resolve) => {
      if (child.exitCode !== null || child.signalCode !== null)
        resolve({ code: child.exitCode, signal: child.signalCode });
      else child.once('exit', (code, signal) => resolve({ code, signal }));
    });

  beforeAll(async () => {
    const server = await createPostgresTestDatabase();
    url = server.url;
    drop = server.drop;
    const config = loadConfig({ NODE_ENV: 'test', LOG_LEVEL: 'silent', DATA_DIR: dataDir });
    // The api side of the test: takes the parcels, delivers nothing itself.
    api = await createClearway(config, await openDatabase({ databaseUrl: url }));
  });
  afterAll(async () => {
    for (const child of children)
      if (child.exitCode === null && child.signalCode === null) child.kill('SIGKILL');
    await api?.close();
    await drop?.();
  });

  it('loses and doubles nothing when a worker is killed mid-batch and connections are cut', async () => {
    const carrier = await authHeader(api, 'carrier', 'DHL');
    const stored = await api.http.inject({
      method: 'POST',
      url: '/api/v1/express/manifests',
      headers: carrier,
      payload: expressManifest(PARCELS),
    });
    expect(stored.statusCode).toBeLessThan(300);
    expect(await count(sql<{ n: number }>`select count(*)::int as n from intake_parcel`)).toBe(PARCELS);

    // The first worker is killed once it has committed decisions and before it has all of them.
    const first = startWorker();
    await until(async () => (await decided()) > 0, 60_000);
    first.kill('SIGKILL');
    expect((await exitOf(first)).signal).toBe('SIGKILL');
    const decidedWhenKilled = await decided();
    expect(decidedWhenKilled).toBeLessThan(PARCELS);

    // Two more workers take over; their connections are cut twice while they work.
    const survivors = [startWorker(), startWorker()];
    for (let cut = 0; cut < 2; cut++) {
      await new Promise((resolve) => setTimeout(resolve, 1500));
      await sql`
        select pg_terminate_backend(pid) from pg_stat_activity
        where datname = current_database() and pid <> pg_backend_pid()`.execute(api.database.db);
    }
    await until(async () => (await waiting()) === 0 && (await decided()) === PARCELS, 90_000, 250);

    // Counted, not assumed: one current decision, one arrival decision, records 1..n, one assessment.
    const [row] = (
      await sql<{
        parcels: number;
        states: number;
        arrivals_not_one: number;
        gaps: number;
        assessed: number;
        assessed_parcels: number;
      }>`
        select
          (select count(*)::int from intake_parcel) as parcels,
          (select count(*)::int from targeting_parcel_state) as states,
          (select count(*)::int from (select p.id from intake_parcel p
             left join targeting_decision d on d.parcel_id = p.id and d.trigger = 'intake'
             group by p.id having count(d.id) <> 1) as wrong) as arrivals_not_one,
          (select count(*)::int from (select parcel_id from targeting_decision
             group by parcel_id having max(sequence) <> count(*)) as gapped) as gaps,
          (select count(*)::int from clearance_parcel where assessment is not null) as assessed,
          (select count(distinct parcel_id)::int from clearance_parcel) as assessed_parcels`.execute(
        api.database.db,
      )
    ).rows;
    expect(row).toEqual({
      parcels: PARCELS,
      states: PARCELS,
      arrivals_not_one: 0,
      gaps: 0,
      assessed: PARCELS,
      assessed_parcels: PARCELS,
    });

    // Graceful shutdown: SIGTERM lets a worker finish what it holds and exit cleanly.
    for (const survivor of survivors) survivor.kill('SIGTERM');
    for (const survivor of survivors) expect((await exitOf(survivor)).code).toBe(0);
  }, 180_000);
});
