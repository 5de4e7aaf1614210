/**
 * Single-message intake latency over HTTP: `npx tsx bench/intake-http.bench.ts [--rate 200] [--duration 20]`
 *
 * Starts the whole server in this process on 127.0.0.1 (random port) over the embedded database in a
 * temporary folder, then sends distinct valid CN23 items to POST /api/v1/postal/items at a fixed rate
 * with autocannon and reports p50/p90/p99 latency. The baseline, measured in the same run at the same
 * rate, is GET /health (routing, authentication hooks and one `select 1`): the floor any request pays.
 * Target: p99 under 20 ms. autocannon runs in the same process as the server, as a client on the same
 * machine would share its CPUs.
 */
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import autocannon from 'autocannon';
import { loadConfig } from '../src/platform/config/config.js';
import { createClearway } from '../src/main.js';
import { generateDemoData } from '../src/modules/intake/demo/demo-generator.js';

interface Options {
  rate: number;
  duration: number;
}

function parseOptions(argv: string[]): Options {
  const options: Options = { rate: 200, duration: 20 };
  for (let index = 0; index < argv.length; index++) {
    const flag = argv[index];
    const value = Number(argv[++index]);
    if (!Number.isFinite(value) || value <= 0) throw new Error(`${flag} needs a positive number`);
    if (flag === '--rate') options.rate = value;
    else if (flag === '--duration') options.duration = value;
    else throw new Error(`unknown option ${flag}`);
  }
  return options;
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

interface Run {
  label: string;
  result: autocannon.Result;
}

function fire(label: string, options: autocannon.Options): Promise<Run> {
  return new Promise((resolve, reject) => {
    autocannon(options, (error, result) => (error ? reject(error) : resolve({ label, result })));
  });
}

async function main(): Promise<void> {
  const options = parseOptions(process.argv.slice(2));
  const dataDir = await mkdtemp(join(tmpdir(), 'clearway-http-bench-'));
  const config = loadConfig({ NODE_ENV: 'test', LOG_LEVEL: 'silent', DATA_DIR: dataDir, HOST: '127.0.0.1', PORT: '0' });
  const clearway = await createClearway(config);
  try {
    const address = await clearway.http.listen({ host: '127.0.0.1', port: 0 });
    const key = await clearway.identity.service.createApiKey('postal_operator', { organisation: 'KPOST', label: 'intake-http bench' });
    const headers = { authorization: `Bearer ${key.token}`, 'content-type': 'application/json' };

    const needed = Math.ceil(options.rate * options.duration * 1.1) + 200;
    const bodies = postalBodies(needed);
    let next = 0;
    const postal: autocannon.Request = {
      method: 'POST',
      path: '/api/v1/postal/items',
      headers,
      // A new item for every request: a repeated one would be answered as a duplicate, which is cheaper.
      setupRequest: (request) => ({ ...request, body: bodies[next++ % bodies.length] }),
    };
    const common = { url: address, connections: 10, overallRate: options.rate };

    // Warm-up one request at a time (JIT, caches), then let the server go idle: a backlog left from the
    // warm-up would be charged to the next measurement.
    await fire('warm-up', { url: address, connections: 1, amount: 100, requests: [postal] });
    await new Promise((resolve) => setTimeout(resolve, 1000));
    const health = await fire('GET /health (baseline)', { ...common, duration: options.duration, requests: [{ method: 'GET', path: '/health' }] });
    await new Promise((resolve) => setTimeout(resolve, 1000));
    const intake = await fire('POST /api/v1/postal/items', { ...common, duration: options.duration, requests: [postal] });

    console.log(`\nSingle-message intake at ${options.rate} requests/s for ${options.duration} s, embedded database, Node ${process.version}\n`);
    const header = ['endpoint', 'requests', 'non-2xx', 'errors', 'req/s', 'p50 ms', 'p90 ms', 'p99 ms', 'max ms'];
    const rows = [health, intake].map(({ label, result }) => [
      label,
      String(result.requests.total),
      String(result.non2xx),
      String(result.errors + result.timeouts),
      result.requests.average.toFixed(0),
      result.latency.p50.toFixed(1),
      result.latency.p90.toFixed(1),
      result.latency.p99.toFixed(1),
      result.latency.max.toFixed(1),
    ]);
    const widths = header.map((title, index) => Math.max(title.length, ...rows.map((row) => row[index]!.length)));
    const line = (cells: string[]) => cells.map((cell, index) => (index === 0 ? cell.padEnd(widths[index]!) : cell.padStart(widths[index]!))).join('  ');
    console.log(line(header));
    console.log(widths.map((width) => '-'.repeat(width)).join('  '));
    for (const row of rows) console.log(line(row));
    const p99 = intake.result.latency.p99;
    console.log(`\nintake p99 / baseline p99: ${(p99 / Math.max(health.result.latency.p99, 0.001)).toFixed(2)}x`);
    console.log(`target p99 < 20 ms: ${p99 < 20 ? 'met' : 'MISSED'} (${p99.toFixed(1)} ms)`);
    if (intake.result.non2xx > 0) console.log(`warning: ${intake.result.non2xx} intake requests were not answered 2xx`);
  } finally {
    await clearway.close();
    await rm(dataDir, { recursive: true, force: true });
  }
}

await main();
