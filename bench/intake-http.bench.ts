/**
 * Single-message intake latency over HTTP:
 * `npx tsx bench/intake-http.bench.ts [--rate 200] [--duration 20] [--engine embedded|postgres] [--http-workers N]`
 *
 * Starts the whole server in this process on 127.0.0.1 (random port), with its background work running
 * as under `clearway serve` (clearance and targeting take every parcel in from the outbox), over the
 * embedded database in a temporary folder or a fresh database on the PostgreSQL server of
 * BENCH_DATABASE_URL; with `--http-workers N`, runs `clearway serve --http-workers N` in a child process
 * instead (N HTTP processes, one background process). It sends distinct valid CN23 items to
 * POST /api/v1/postal/items evenly spaced at the asked rate, whether or not earlier ones were answered
 * (an open load, bench/support/paced-requests.ts, latency counted from each request's due time), and
 * reports p50/p90/p99 latency, then the time from receipt to decision of those parcels (targeting's
 * decidedInMs). The baseline, measured in the same run at the same rate, is GET /health (routing,
 * authentication hooks and one `select 1`): the floor any request pays. Targets: intake p99 under 20 ms;
 * receipt to decision p99 under 100 ms. The client runs in a worker thread of its own, as a client
 * process on the same machine would: it shares the CPUs, not the server's event loop.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { sql } from 'kysely';
import { loadConfig } from '../src/platform/config/config.js';
import { createClearway, type Clearway } from '../src/main.js';
import { generateDemoData } from '../src/demo/index.js';
import { BENCH_POSTGRES_URL } from './support/bench-postgres.js';
import { createPostgresTestDatabase } from '../test/support/test-database.js';
import { freePort } from '../test/support/free-port.js';
import { printTable } from './support/print-table.js';
import { percentileOf, sendPaced, sendPacedInThread, type PacedResult } from './support/paced-requests.js';

interface Options {
  rate: number;
  duration: number;
  engine: 'embedded' | 'postgres';
  /** 0: the server in this process; N: `clearway serve --http-workers N` in a child process (PostgreSQL). */
  httpWorkers: number;
}

function parseOptions(argv: string[]): Options {
  const options: Options = { rate: 200, duration: 20, engine: 'embedded', httpWorkers: 0 };
  for (let index = 0; index < argv.length; index++) {
    const flag = argv[index];
    const text = argv[++index] ?? '';
    if (flag === '--engine') {
      if (text !== 'embedded' && text !== 'postgres') throw new Error('--engine is embedded or postgres');
      options.engine = text;
      continue;
    }
    const value = Number(text);
    if (!Number.isFinite(value) || value <= 0) throw new Error(`${flag} needs a positive number`);
    if (flag === '--rate') options.rate = value;
    else if (flag === '--duration') options.duration = value;
    else if (flag === '--http-workers') options.httpWorkers = value;
    else throw new Error(`unknown option ${flag}`);
  }
  if (options.httpWorkers > 0 && options.engine !== 'postgres')
    throw new Error('--http-workers needs --engine postgres');
  return options;
}

async function waitUntilAnswering(address: string): Promise<void> {
  for (let attempt = 0; attempt < 300; attempt++) {
    if (
      await fetch(`${address}/health`).then(
        (response) => response.ok,
        () => false,
      )
    )
      return;
    await new Promise((resolve) => setTimeout(resolve, 200));
  }
  throw new Error(`the server at ${address} did not answer within a minute`);
}

/** Waits until every parcel sent so far has been taken into clearance and decided, by whichever process delivers. */
async function backlogCleared(clearway: Clearway): Promise<void> {
  while (Object.keys(await clearway.events.backlog()).length > 0)
    await new Promise((resolve) => setTimeout(resolve, 100));
}

/** Distinct valid CN23 items from the demo generator, serialised once so that sending costs nothing. */
function postalBodies(count: number): string[] {
  const bodies: string[] = [];
  for (const event of generateDemoData({ days: 1, parcelsPerDay: count, seed: 2024, postalShare: 1 })) {
    if (event.kind === 'postal') bodies.push(JSON.stringify(event.item));
  }
  if (bodies.length < count) throw new Error(`generated ${bodies.length} postal items, wanted ${count}`);
  return bodies;
}

async function main(): Promise<void> {
  const options = parseOptions(process.argv.slice(2));
  const dataDir = await mkdtemp(join(tmpdir(), 'clearway-http-bench-'));
  const postgres =
    options.engine === 'postgres'
      ? await createPostgresTestDatabase(BENCH_POSTGRES_URL, 'clearway_http_bench')
      : undefined;
  const config = loadConfig({
    NODE_ENV: 'test',
    LOG_LEVEL: 'silent',
    DATA_DIR: dataDir,
    HOST: '127.0.0.1',
    PORT: '0',
    ...(postgres ? { DATABASE_URL: postgres.url } : {}),
    // Connections per process, as `clearway serve` reads them (docs/operations.md, "Connections per process").
    DATABASE_POOL_SIZE: process.env.DATABASE_POOL_SIZE,
  });
  const clearway = await createClearway(config);
  let server: ChildProcess | undefined;
  try {
    let address: string;
    if (options.httpWorkers > 0) {
      // `clearway serve --http-workers N` in a process of its own; this one only sends and reads results.
      const port = await freePort();
      server = spawn(
        process.execPath,
        [
          join(import.meta.dirname, '..', 'bin', 'clearway.js'),
          'serve',
          '--http-workers',
          String(options.httpWorkers),
        ],
        {
          env: {
            ...process.env,
            NODE_ENV: 'test',
            LOG_LEVEL: 'silent',
            DATABASE_URL: postgres!.url,
            HOST: '127.0.0.1',
            PORT: String(port),
          },
          stdio: 'inherit',
        },
      );
      address = `http://127.0.0.1:${port}`;
      await waitUntilAnswering(address);
    } else {
      // As `clearway serve` does: the parcels are taken into clearance and decided in the background.
      await clearway.events.start();
      clearway.jobs.start();
      address = await clearway.http.listen({ host: '127.0.0.1', port: 0 });
    }
    const key = await clearway.identity.service.createApiKey('postal_operator', {
      organisation: 'KPOST',
      label: 'intake-http bench',
    });
    const headers = { authorization: `Bearer ${key.token}`, 'content-type': 'application/json' };

    // Each run gets fresh items: a repeated one would be answered as a duplicate, which is cheaper.
    const bodies = postalBodies(Math.ceil(options.rate * options.duration * 1.1) + 200);
    const postal = (body: string) => ({
      method: 'POST' as const,
      path: '/api/v1/postal/items',
      headers,
      body,
    });

    // Warm-up (JIT, caches), then let the server go idle: a backlog left from the warm-up would be
    // charged to the next measurement.
    let warmUpItem = 0;
    await sendPaced({ url: address, rate: 20, seconds: 5, next: () => postal(bodies[warmUpItem++]!) });
    await backlogCleared(clearway);
    await new Promise((resolve) => setTimeout(resolve, 1000));
    const paced = { url: address, rate: options.rate, seconds: options.duration };
    const health = await sendPacedInThread({ ...paced, requests: [{ method: 'GET', path: '/health' }] });
    await new Promise((resolve) => setTimeout(resolve, 1000));
    // The intake phase's parcels are those decided since it started: the warm-up's were decided before.
    const intakeStarted = new Date();
    const intake = await sendPacedInThread({ ...paced, requests: bodies.slice(warmUpItem).map(postal) });

    await backlogCleared(clearway);
    const decided = await sql<{ ms: number }>`
      select decided_in_ms::float as ms from targeting_decision where trigger = 'intake' and decided_at >= ${intakeStarted}
      order by 1`.execute(clearway.database.db);
    const decisionMs = decided.rows.map((row) => row.ms);

    const serverShape =
      options.httpWorkers > 0 ? `clearway serve --http-workers ${options.httpWorkers}` : 'one process';
    console.log(
      `\nSingle-message intake at ${options.rate} requests/s for ${options.duration} s, ${options.engine} database, ${serverShape}, Node ${process.version}\n`,
    );
    const header = [
      'endpoint',
      'sent',
      'non-2xx',
      'errors',
      'answered/s',
      'p50 ms',
      'p90 ms',
      'p99 ms',
      'max ms',
    ];
    const runs: [string, PacedResult][] = [
      ['GET /health (baseline)', health],
      ['POST /api/v1/postal/items', intake],
    ];
    const rows = runs.map(([label, result]) => [
      label,
      String(result.sent),
      String(result.non2xx),
      String(result.failed),
      ((result.ok + result.non2xx) / (result.elapsedMs / 1000)).toFixed(0),
      ...[0.5, 0.9, 0.99].map((share) => percentileOf(result.latencies, share).toFixed(1)),
      (result.latencies.at(-1) ?? Number.NaN).toFixed(1),
    ]);
    printTable(header, rows);
    const p99 = percentileOf(intake.latencies, 0.99);
    console.log(
      `\nintake p99 / baseline p99: ${(p99 / Math.max(percentileOf(health.latencies, 0.99), 0.001)).toFixed(2)}x`,
    );
    console.log(`target p99 < 20 ms: ${p99 < 20 ? 'met' : 'MISSED'} (${p99.toFixed(1)} ms)`);
    const decisionP99 = percentileOf(decisionMs, 0.99);
    console.log(
      `receipt to decision of those ${decisionMs.length} parcels (background, from the outbox): p50 ${percentileOf(decisionMs, 0.5).toFixed(0)} ms, ` +
        `p99 ${decisionP99.toFixed(0)} ms, max ${(decisionMs.at(-1) ?? Number.NaN).toFixed(0)} ms; target p99 < 100 ms: ${decisionP99 < 100 ? 'met' : 'MISSED'}`,
    );
    if (intake.non2xx > 0 || intake.failed > 0)
      console.log(
        `warning: ${intake.non2xx} intake requests were answered non-2xx and ${intake.failed} failed`,
      );
  } finally {
    if (server) {
      const exited = new Promise((resolve) => server!.once('close', resolve));
      server.kill('SIGTERM');
      await exited;
    }
    await clearway.close();
    await postgres?.drop();
    await rm(dataDir, { recursive: true, force: true });
  }
}

await main();
