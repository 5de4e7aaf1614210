/**
 * A new product-safety report against the parcels already received, through the database: the time
 * from a filed report to its hits stored (and told to targeting through the outbox), which is what the
 * look-back job does (`ProductSafetyService.backfill`: pages of 2,000 parcels read through intake's
 * read surface, matched, hits written with their outbox rows).
 *
 *   nice npx tsx bench/product-safety-lookback.bench.ts [--lines 200000] [--engine postgres|embedded]
 *
 * The baseline, measured in the same run on the same database, reads the same pages through the same
 * read surface without matching: the ratio says what matching and storing hits add to reading the
 * 90 days. `bench/product-safety.bench.ts` measures the matcher alone on 1,000,000 lines; this one
 * prints its figure scaled linearly to 1,000,000 lines (pages are read one after the other).
 */
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { parseArgs } from 'node:util';
import { createClearway } from '../src/main.js';
import { loadConfig } from '../src/platform/config/config.js';
import { systemActor } from '../src/platform/auth/actor.js';
import { writeDemoData } from '../src/demo/index.js';
import { createTestDatabase } from '../test/support/test-database.js';

const { values: args } = parseArgs({
  options: {
    lines: { type: 'string', default: '200000' },
    engine: { type: 'string', default: 'postgres' },
  },
});
const LINES = Number(args.lines);
const engine = args.engine === 'embedded' ? 'embedded' : 'postgres';
const PAGE = 2000;
const TARGET_LINES = 1_000_000;

const workDir = await mkdtemp(join(tmpdir(), 'clearway-lookback-'));
const database = await createTestDatabase(engine);
const app = await createClearway(
  loadConfig({ NODE_ENV: 'test', LOG_LEVEL: 'silent', DATA_DIR: join(workDir, 'data') }),
  database,
);
try {
  const parcelsPerDay = 50_000;
  const files = writeDemoData(
    join(workDir, 'express'),
    {
      days: Math.ceil(LINES / (parcelsPerDay * 1.4)) + 1,
      parcelsPerDay,
      seed: 1,
      postalShare: 0,
      maxExpressLines: LINES,
    },
    { only: ['express'] },
  );
  const importStarted = performance.now();
  await app.intake.service.importFile(systemActor, 'express', join(files.directory, files.express!));
  const importSeconds = (performance.now() - importStarted) / 1000;
  // The outbox rows of the import are not delivered: nothing else competes with the look-back.

  const since = new Date(Date.now() - 90 * 86_400_000);
  const reads = app.intake.partnerReads;
  // The report names the commonest product of the first page, so that the look-back has hits to write.
  const firstPage = await reads.productLinesReceivedSince(systemActor, since, {
    afterParcelId: 0,
    parcels: PAGE,
  });
  const counts = new Map<string, number>();
  for (const line of firstPage.lines) counts.set(line.text, (counts.get(line.text) ?? 0) + 1);
  const sample = [...counts].sort((a, b) => b[1] - a[1])[0]?.[0];
  if (!sample) throw new Error('nothing was imported');

  const readStarted = performance.now();
  const readCpu = process.cpuUsage();
  let after = 0;
  let linesRead = 0;
  for (;;) {
    const page = await reads.productLinesReceivedSince(systemActor, since, {
      afterParcelId: after,
      parcels: PAGE,
    });
    if (page.lastParcelId === null) break;
    linesRead += page.lines.length;
    after = page.lastParcelId;
  }
  const readSeconds = (performance.now() - readStarted) / 1000;
  const readCpuSeconds = process.cpuUsage(readCpu).user / 1e6;

  const [filed] = await app.partners.productSafety.file(systemActor, [
    { productName: sample, hazard: 'bench: a product taken from the received lines' },
  ]);
  const lookBackStarted = performance.now();
  const lookBackCpu = process.cpuUsage();
  const result = await app.partners.productSafety.backfill(filed!.id);
  const lookBackSeconds = (performance.now() - lookBackStarted) / 1000;
  const lookBackCpuSeconds = process.cpuUsage(lookBackCpu).user / 1e6;
  const scaled = (seconds: number) => (seconds * TARGET_LINES) / Math.max(linesRead, 1);

  console.log(
    `${engine}: ${linesRead} parcel lines of ${result.parcelsRead} parcels in the last 90 days (imported in ${importSeconds.toFixed(1)} s); report: "${sample}"`,
  );
  // Wall time counts every other process on the machine (and the database server's work); CPU time is
  // this process's own.
  console.log('step                                   seconds  cpu s  per 1,000,000 lines (wall)');
  console.log(
    `read the 90 days only (baseline)       ${readSeconds.toFixed(1).padStart(7)} ${readCpuSeconds.toFixed(1).padStart(6)}  ${scaled(readSeconds).toFixed(1).padStart(8)}`,
  );
  console.log(
    `new report -> hits stored (look-back)  ${lookBackSeconds.toFixed(1).padStart(7)} ${lookBackCpuSeconds.toFixed(1).padStart(6)}  ${scaled(lookBackSeconds).toFixed(1).padStart(8)}`,
  );
  console.log(
    `hits: ${result.hits}; ratio look-back / read: ${(lookBackSeconds / Math.max(readSeconds, 1e-9)).toFixed(2)}; target (hits within a minute at 1,000,000 lines): ${scaled(lookBackSeconds) < 60 ? 'met' : 'NOT met'}`,
  );
} finally {
  await app.close();
  await rm(workDir, { recursive: true, force: true });
}
