/**
 * Bulk intake throughput: `nice npx tsx bench/bulk-intake.bench.ts [--rows N] [--engines embedded,postgres]
 *   [--kcs FILE] [--writers 1,2,4] [--compare] [--statements]`
 *
 * Imports the KCS train file (one declaration line per row) and a generated express manifest of N
 * declaration lines (default 1,000,000) through `IntakeService.importFile`, on the embedded database and
 * on PostgreSQL, each into a fresh database. The baseline, measured in the same run on the same engine,
 * is a plain `COPY` of the same file into an equivalent flat table of text columns: the fastest way the
 * engine can take those rows, with no validation, hashing, keys or normalisation. Peak memory is the
 * process RSS sampled every 50 ms (PostgreSQL server memory is not included); "RSS growth" compares the
 * RSS at 90 % of the records with the RSS at 20 %: a flat import stays near zero.
 *
 * Files go through COPY into staging tables and set-wise merges, with each `--writers` count on
 * PostgreSQL (one on the embedded database); `--compare` also measures the batched inserts that file
 * imports used before (HTTP documents still do), in the same run.
 *
 * `--statements` also prints where the intake time goes: each SQL statement's total time (from Kysely's
 * query log, COPY transactions included, and each COPY into a staging table), validation and hashing (a
 * separate pass over the same file without the database). Writers run side by side, so with more than one
 * the statements' times add up to more than the wall time.
 *
 * After the table, the CPU each import used: this process's (its threads together) and the whole
 * machine's over the import (from /proc/stat, so the database server's too, and anything else running:
 * read it on a quiet machine), against what 0.1x COPY asks: ending within ten COPY times, which the
 * machine's cores can only do if the import's CPU divided by them fits.
 */
import { createReadStream } from 'node:fs';
import { mkdtemp, rm, stat } from 'node:fs/promises';
import { availableParallelism, tmpdir } from 'node:os';
import { join } from 'node:path';
import { pipeline } from 'node:stream/promises';
import { PGlite } from '@electric-sql/pglite';
import { Kysely, PostgresDialect, sql, type LogEvent } from 'kysely';
import pg from 'pg';
import { from as copyFrom } from 'pg-copy-streams';
import { migrations } from '../src/migrations/index.js';
import { systemActor } from '../src/platform/auth/actor.js';
import {
  migrateToLatest,
  pgliteCopyTransaction,
  postgresCopyTransaction,
  type Database,
} from '../src/platform/db/database.js';
import { PGliteDialect } from '../src/platform/db/pglite-dialect.js';
import { createIntakeModule, type IntakeChannel } from '../src/modules/intake/index.js';
import { EXPRESS_COLUMNS, writeDemoData } from '../src/demo/index.js';
import { KCS_COLUMNS, parseKcsDeclaration } from '../src/modules/intake/domain/kcs-declaration.js';
import { contentHash } from '../src/modules/intake/domain/parcel-record.js';
import { fileChunks, readCsvRecords, decodeUtf8 } from '../src/modules/intake/adapters/record-sources.js';
import { groupRowsByHouseWaybill } from '../src/modules/intake/adapters/document-records.js';
import { BENCH_POSTGRES_URL } from './support/bench-postgres.js';
import { createPostgresTestDatabase } from '../test/support/test-database.js';
import {
  houseWaybillToParcel,
  manifestHeaderSchema,
  validateHouseWaybill,
  validateManifestHeader,
} from '../src/modules/intake/domain/express-manifest.js';
import { printTable } from './support/print-table.js';
import { machineBusySeconds } from './support/machine-cpu.js';

type Engine = 'embedded' | 'postgres';

interface Options {
  rows: number;
  engines: Engine[];
  kcsFile: string;
  statements: boolean;
  /** Writer counts to measure the COPY path with (PostgreSQL; the embedded database has one session). */
  writers: number[];
  /** Also measure the batched inserts that file imports used before COPY (and HTTP documents still use). */
  compare: boolean;
}

interface Dataset {
  name: string;
  channel: IntakeChannel;
  file: string;
  /** Declaration lines in the file (CSV data rows). */
  lines: number;
  /** Records intake counts (KCS rows, express house waybills). */
  records: number;
  columns: readonly string[];
}

interface Measurement {
  engine: Engine;
  dataset: string;
  channel: IntakeChannel;
  path: string;
  lines: number;
  intakeSeconds: number;
  copySeconds: number;
  peakRssMb: number;
  rssGrowthMb: number;
  accepted: number;
  rejected: number;
  /** CPU seconds of this process over the import, all its threads. */
  processCpuSeconds: number;
  /** CPU seconds of the whole machine over the import (every core's busy time); NaN without /proc/stat. */
  machineCpuSeconds: number;
  statementTimes?: Map<string, { count: number; ms: number }>;
}

function parseOptions(argv: string[]): Options {
  const options: Options = {
    rows: 1_000_000,
    engines: ['embedded', 'postgres'],
    kcsFile: join(import.meta.dirname, '..', '..', 'shared', 'data', 'kcs-declarations', 'train.csv'),
    statements: false,
    writers: [1, 2],
    compare: false,
  };
  for (let index = 0; index < argv.length; index++) {
    const flag = argv[index];
    const value = () => argv[++index] ?? '';
    if (flag === '--rows') options.rows = Number(value());
    else if (flag === '--engines') options.engines = value().split(',') as Engine[];
    else if (flag === '--kcs') options.kcsFile = value();
    else if (flag === '--statements') options.statements = true;
    else if (flag === '--writers') options.writers = value().split(',').map(Number);
    else if (flag === '--compare') options.compare = true;
    else throw new Error(`unknown option ${flag}`);
  }
  if (!Number.isInteger(options.rows) || options.rows < 1)
    throw new Error('--rows must be a positive whole number');
  return options;
}

/** Intake's events are not delivered in this bench: it measures storing only. */
const nobodyListens = async () => async () => undefined;

type CopyTransaction = NonNullable<Database['copyTransaction']>;

/** A database of its own for one run, with the raw client that COPY needs. */
interface BenchDatabase {
  database: Database;
  copyCsv(table: string, file: string): Promise<void>;
  close(): Promise<void>;
}

async function openBenchDatabase(
  engine: Engine,
  workDir: string,
  onStatement: (sqlText: string, ms: number) => void,
): Promise<BenchDatabase> {
  const log = (event: LogEvent) => onStatement(event.query.sql, event.queryDurationMillis);
  // Each COPY into a staging table is timed as a statement of its own.
  const timedCopies =
    (copyTransaction: CopyTransaction): CopyTransaction =>
    (work) =>
      copyTransaction((tx, copy) =>
        work(tx, async (table, columns, rows) => {
          const start = performance.now();
          await copy(table, columns, rows);
          onStatement(`copy ${table} from stdin`, performance.now() - start);
        }),
      );
  if (engine === 'embedded') {
    const pglite = new PGlite(join(workDir, `pglite-${Date.now()}`));
    await pglite.waitReady;
    const db = new Kysely<{}>({ dialect: new PGliteDialect(pglite), log });
    return {
      database: {
        db,
        engine: 'embedded',
        listen: nobodyListens,
        copyTransaction: timedCopies(pgliteCopyTransaction(db, pglite)),
        close: () => db.destroy(),
      },
      // PGlite reads COPY input from a Blob; the file goes in slices of whole lines so memory stays bounded.
      copyCsv: async (table, file) => {
        let header = true;
        for await (const slice of csvSlices(file, 32 << 20)) {
          await pglite.query(`copy ${table} from '/dev/blob' with (format csv, header ${header})`, [], {
            blob: new Blob([slice]),
          });
          header = false;
        }
      },
      close: () => db.destroy(),
    };
  }
  const scratch = await createPostgresTestDatabase(BENCH_POSTGRES_URL, 'clearway_bench');
  // JIT off as the server's own pool has it (src/platform/db/database.ts): the merges' plans pass
  // jit_above_cost, and compiling them is time the server would not spend.
  const pool = new pg.Pool({ connectionString: scratch.url, max: 10, options: '-c jit=off' });
  const db = new Kysely<{}>({ dialect: new PostgresDialect({ pool }), log });
  return {
    database: {
      db,
      engine: 'postgres',
      listen: nobodyListens,
      copyTransaction: timedCopies(postgresCopyTransaction(pool, log)),
      close: () => db.destroy(),
    },
    copyCsv: async (table, file) => {
      const client = await pool.connect();
      try {
        await pipeline(
          createReadStream(file, { highWaterMark: 1 << 20 }),
          client.query(copyFrom(`copy ${table} from stdin with (format csv, header true)`)),
        );
      } finally {
        client.release();
      }
    },
    close: async () => {
      await db.destroy();
      await scratch.drop();
    },
  };
}

/** Splits a CSV file into buffers of whole lines (no quoted newlines in these files). */
async function* csvSlices(file: string, sliceBytes: number): AsyncGenerator<Buffer> {
  let carry = Buffer.alloc(0);
  for await (const chunk of createReadStream(file, { highWaterMark: sliceBytes }) as AsyncIterable<Buffer>) {
    const data = Buffer.concat([carry, chunk]);
    const end = data.lastIndexOf(10);
    if (end < 0) {
      carry = data;
      continue;
    }
    yield data.subarray(0, end + 1);
    carry = Buffer.from(data.subarray(end + 1));
  }
  if (carry.length > 0) yield carry;
}

/** Samples RSS while work runs; `mark` records the RSS at a point of progress. */
function memorySampler() {
  let peak = process.memoryUsage.rss();
  const timer = setInterval(() => {
    peak = Math.max(peak, process.memoryUsage.rss());
  }, 50);
  const marks = new Map<string, number>();
  return {
    mark(label: string) {
      if (!marks.has(label)) marks.set(label, process.memoryUsage.rss());
    },
    stop() {
      clearInterval(timer);
      peak = Math.max(peak, process.memoryUsage.rss());
      return { peakMb: peak / 2 ** 20, marks };
    },
  };
}

function statementKey(sqlText: string): string {
  const text = sqlText.replace(/\s+/g, ' ').trim();
  // The set-wise merges are one insert each, some wrapped in a CTE: named by the table they write.
  const merge = /^with \w+ as (?:materialized )?\( (?:select .*?\), \w+ as \( )?insert into "?(\w+)"?/i.exec(
    text,
  );
  if (merge) return `merge into ${merge[1]}`;
  const insert = /^insert into "?(\w+)"?/i.exec(text);
  if (insert) return `insert into ${insert[1]}${/on conflict/i.test(text) ? ' ... on conflict' : ''}`;
  const select = /^select .*? from "?(\w+)"?/i.exec(text);
  if (select)
    return `select from ${select[1]}${/join unnest/i.test(text) ? ' join unnest(...)' : / = any\(/i.test(text) ? ' where key = any(...)' : ''}`;
  return text.slice(0, 50);
}

async function measure(
  engine: Engine,
  dataset: Dataset,
  workDir: string,
  withStatements: boolean,
  /** A number of COPY writers, or the batched inserts that file imports used before COPY. */
  writers: number | 'batched',
): Promise<Measurement> {
  const statementTimes = new Map<string, { count: number; ms: number }>();
  let recording = false;
  const bench = await openBenchDatabase(engine, workDir, (sqlText, ms) => {
    if (!recording || !withStatements) return;
    const key = statementKey(sqlText);
    const entry = statementTimes.get(key) ?? { count: 0, ms: 0 };
    entry.count++;
    entry.ms += ms;
    statementTimes.set(key, entry);
  });
  try {
    await migrateToLatest(bench.database, migrations);
    const table = `bench_flat_${dataset.channel}`;
    const columns = dataset.columns.map((column, index) => `c${index} text`).join(', ');
    await sql.raw(`create table ${table} (${columns})`).execute(bench.database.db);

    const copyStart = performance.now();
    await bench.copyCsv(table, dataset.file);
    const copySeconds = (performance.now() - copyStart) / 1000;
    const copied = await sql<{
      count: number;
    }>`select count(*)::int as count from ${sql.table(table)}`.execute(bench.database.db);
    if (copied.rows[0]!.count !== dataset.lines)
      throw new Error(`COPY stored ${copied.rows[0]!.count} rows of ${dataset.lines}`);

    // Without COPY, intake falls back to the batched inserts HTTP documents use.
    const intake = createIntakeModule(
      writers === 'batched' ? { ...bench.database, copyTransaction: undefined } : bench.database,
    );
    const memory = memorySampler();
    recording = true;
    const processCpuBefore = process.cpuUsage();
    const machineBefore = machineBusySeconds();
    const intakeStart = performance.now();
    const summary = await intake.service.importFile(
      systemActor,
      dataset.channel,
      dataset.file,
      (progress) => {
        const share = progress.records / dataset.records;
        if (share >= 0.2) memory.mark('20%');
        if (share >= 0.9) memory.mark('90%');
      },
      writers === 'batched' ? 1 : writers,
    );
    const intakeSeconds = (performance.now() - intakeStart) / 1000;
    const machineCpuSeconds = machineBusySeconds() - machineBefore;
    const processCpu = process.cpuUsage(processCpuBefore);
    recording = false;
    const { peakMb, marks } = memory.stop();
    if (summary.received !== dataset.records || summary.accepted === 0) {
      throw new Error(
        `intake received ${summary.received} of ${dataset.records} records, accepted ${summary.accepted}: ${JSON.stringify(summary.errors.slice(0, 3))}`,
      );
    }
    const growth =
      marks.has('20%') && marks.has('90%') ? (marks.get('90%')! - marks.get('20%')!) / 2 ** 20 : Number.NaN;
    return {
      engine,
      dataset: dataset.name,
      channel: dataset.channel,
      path: writers === 'batched' ? 'batched inserts' : `COPY, ${writers} writer${writers > 1 ? 's' : ''}`,
      lines: dataset.lines,
      intakeSeconds,
      copySeconds,
      peakRssMb: peakMb,
      rssGrowthMb: growth,
      accepted: summary.accepted,
      rejected: summary.rejected,
      processCpuSeconds: (processCpu.user + processCpu.system) / 1e6,
      machineCpuSeconds,
      statementTimes: withStatements ? statementTimes : undefined,
    };
  } finally {
    await bench.close();
  }
}

/**
 * The part of intake that needs no database: read and parse the CSV, validate each record with its
 * schema, and hash it, timed separately. What is left of the intake time is spent storing.
 */
async function cpuBreakdown(
  dataset: Dataset,
): Promise<{ readSeconds: number; validateSeconds: number; hashSeconds: number }> {
  const headerFields = new Set(Object.keys(manifestHeaderSchema.shape));
  let readSeconds = 0;
  let validateSeconds = 0;
  let hashSeconds = 0;
  let rows = readCsvRecords(decodeUtf8(fileChunks(dataset.file)));
  if (dataset.channel === 'express') rows = groupRowsByHouseWaybill(rows);
  let mark = performance.now();
  for await (const raw of rows) {
    const afterRead = performance.now();
    readSeconds += afterRead - mark;
    if (raw.kind !== 'record') {
      mark = performance.now();
      continue;
    }
    let value: unknown;
    if (dataset.channel === 'kcs') {
      const result = parseKcsDeclaration(raw.record as Record<string, string>, raw.line);
      value = result.ok ? result.value : undefined;
    } else {
      const header = validateManifestHeader(
        Object.fromEntries(Object.entries(raw.record).filter(([key]) => headerFields.has(key))),
        raw.line,
      );
      const house = validateHouseWaybill(
        Object.fromEntries(Object.entries(raw.record).filter(([key]) => !headerFields.has(key))),
        raw.line,
      );
      value = header.ok && house.ok ? houseWaybillToParcel(header.value, house.value) : undefined;
    }
    const afterValidate = performance.now();
    validateSeconds += afterValidate - afterRead;
    if (value !== undefined) contentHash(value);
    mark = performance.now();
    hashSeconds += mark - afterValidate;
  }
  return {
    readSeconds: readSeconds / 1000,
    validateSeconds: validateSeconds / 1000,
    hashSeconds: hashSeconds / 1000,
  };
}

async function countLines(file: string): Promise<number> {
  let lines = 0;
  for await (const chunk of createReadStream(file, { highWaterMark: 1 << 20 }) as AsyncIterable<Buffer>) {
    for (let index = chunk.indexOf(10); index >= 0; index = chunk.indexOf(10, index + 1)) lines++;
  }
  return lines - 1;
}

function format(value: number, digits = 0): string {
  return Number.isNaN(value)
    ? 'n/a'
    : value.toLocaleString('en-US', { minimumFractionDigits: digits, maximumFractionDigits: digits });
}

async function main(): Promise<void> {
  const options = parseOptions(process.argv.slice(2));
  const workDir = await mkdtemp(join(tmpdir(), 'clearway-intake-bench-'));
  try {
    const datasets: Dataset[] = [];
    const kcsLines = await countLines(options.kcsFile);
    datasets.push({
      name: 'KCS train 2020',
      channel: 'kcs',
      file: options.kcsFile,
      lines: kcsLines,
      records: kcsLines,
      columns: KCS_COLUMNS,
    });

    const generateStart = performance.now();
    const parcelsPerDay = 50_000;
    const files = writeDemoData(
      join(workDir, 'express'),
      {
        days: Math.ceil(options.rows / (parcelsPerDay * 1.4)) + 1,
        parcelsPerDay,
        seed: 1,
        postalShare: 0,
        maxExpressLines: options.rows,
      },
      { only: ['express'] },
    );
    const expressFile = join(files.directory, files.express!);
    const size = (await stat(expressFile)).size;
    console.log(
      `Generated ${format(files.counts.expressLines)} express lines (${format(files.counts.expressHouses)} house waybills, ${format(size / 2 ** 20)} MiB) in ${format((performance.now() - generateStart) / 1000, 1)} s`,
    );
    datasets.push({
      name: `express ${format(files.counts.expressLines)} lines`,
      channel: 'express',
      file: expressFile,
      lines: files.counts.expressLines,
      records: files.counts.expressHouses,
      columns: EXPRESS_COLUMNS,
    });

    const results: Measurement[] = [];
    for (const engine of options.engines) {
      const paths: (number | 'batched')[] = engine === 'embedded' ? [1] : [...new Set(options.writers)];
      if (options.compare) paths.unshift('batched');
      for (const dataset of datasets) {
        for (const writers of paths) {
          console.log(
            `... ${engine}: ${dataset.name}, ${writers === 'batched' ? 'batched inserts' : `${writers} writers`}`,
          );
          results.push(await measure(engine, dataset, workDir, options.statements, writers));
        }
      }
    }

    console.log(
      `\nIntake vs plain COPY of the same rows into a flat table (same engine, same run), Node ${process.version}\n`,
    );
    printTable(
      [
        'engine',
        'data',
        'path',
        'lines',
        'intake s',
        'intake lines/s',
        'COPY lines/s',
        'intake/COPY',
        'peak RSS MiB',
        'RSS growth MiB',
        'target',
      ],
      results.map((result) => {
        const intakeRate = result.lines / result.intakeSeconds;
        const copyRate = result.lines / result.copySeconds;
        // The issue's targets on PostgreSQL: 0.1x COPY for both files, and 20,000 lines/s for the express manifest.
        const missed = [
          ...(intakeRate / copyRate < 0.1 ? ['0.1x'] : []),
          ...(result.channel === 'express' && intakeRate < 20_000 ? ['20,000/s'] : []),
        ];
        const target =
          result.engine === 'postgres' ? (missed.length === 0 ? 'met' : `MISSED (${missed.join(', ')})`) : '';
        return [
          result.engine,
          result.dataset,
          result.path,
          format(result.lines),
          format(result.intakeSeconds, 1),
          format(intakeRate),
          format(copyRate),
          `${format(intakeRate / copyRate, 3)}x`,
          format(result.peakRssMb),
          format(result.rssGrowthMb),
          target,
        ];
      }),
      3,
    );

    const cores = availableParallelism();
    console.log(
      `\nCPU of each import (this process with its threads; the machine: every core's busy time over the import, the database server's included), ${cores} cores`,
    );
    printTable(
      [
        'engine',
        'data',
        'path',
        'intake s',
        'process CPU s',
        'machine CPU s',
        'cores busy',
        '0.1x COPY asks s',
        'CPU / cores s',
      ],
      results.map((result) => [
        result.engine,
        result.dataset,
        result.path,
        format(result.intakeSeconds, 1),
        format(result.processCpuSeconds, 1),
        format(result.machineCpuSeconds, 1),
        format(result.machineCpuSeconds / result.intakeSeconds, 2),
        format(result.copySeconds * 10, 1),
        format(result.machineCpuSeconds / cores, 1),
      ]),
      3,
    );

    if (options.statements) {
      for (const result of results) {
        if (!result.statementTimes) continue;
        console.log(
          `\nSQL time by statement, ${result.engine}, ${result.dataset} (intake wall time ${format(result.intakeSeconds, 1)} s)`,
        );
        const entries = [...result.statementTimes.entries()].sort((a, b) => b[1].ms - a[1].ms);
        printTable(
          ['statement', '', 'calls', 'total s', 'share of intake'],
          entries.map(([key, entry]) => [
            key,
            '',
            format(entry.count),
            format(entry.ms / 1000, 2),
            `${format((100 * entry.ms) / 1000 / result.intakeSeconds, 1)} %`,
          ]),
          3,
        );
      }
      for (const dataset of datasets) {
        const cpu = await cpuBreakdown(dataset);
        console.log(
          `\nWithout the database, ${dataset.name}: read+parse CSV ${format(cpu.readSeconds, 2)} s, validate ${format(cpu.validateSeconds, 2)} s, hash ${format(cpu.hashSeconds, 2)} s`,
        );
      }
    }
  } finally {
    await rm(workDir, { recursive: true, force: true });
  }
}

await main();
