/**
 * (a) Quality: each operations and cross-cutting model (I5 N2 K1 K2 PS3 X1 X2 M5) on the catalogue's demo
 * data with planted truth, its recall and precision against its simplest baseline in the same run
 * (test/support/catalogue-ops-evaluation.ts, which test/analytics.catalogue-ops.test.ts asserts on).
 *
 * (b) Where the catalogue's work runs: the first twelve models (S1 V3 V1 I1 I2 S2 P1 C1 N1 PS1 X1 M1) run
 * unchanged, by their own `run`, on PostgreSQL (tables shaped like the published analysis views, with
 * the indexes that help) and on DuckDB (embedded, columnar, in a database file; the same rows copied from
 * PostgreSQL through CSV, no extension downloaded), over the same generated parcels. Prints the time per
 * run on each engine and their ratio. Rows are generated in SQL (bench/analytics/generated-rows.ts) into a
 * database kept per size (`bench_analytics_<parcels>`, or `--database`) and reused by later runs unless
 * `--fresh`. The analytics module's per-parcel fact rows (V3, P1, S2, X1 read them) and per-line fact rows
 * (V1 reads them) are built there by the module's own refresh, timed (whole tables once, or again with
 * `--rebuild-facts`; one day's incremental refresh in every run), and copied to DuckDB as they are.
 *
 *   nice npx tsx bench/analytics.bench.ts [--parcels 1000000] [--models S1,V3,...] [--timeout-s 300]
 *     [--quality-only | --speed-only] [--database name] [--fresh] [--rebuild-facts]
 */
import { mkdtemp, rm } from 'node:fs/promises';
import { createWriteStream } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { pipeline } from 'node:stream/promises';
import { parseArgs } from 'node:util';
import { DuckDBInstance, type DuckDBConnection } from '@duckdb/node-api';
import { Kysely, PostgresDialect, type RawBuilder } from 'kysely';
import pg from 'pg';
import { to as copyTo } from 'pg-copy-streams';
import type {
  AnalyticalModel,
  ModelRunContext,
} from '../src/modules/analytics/catalogue/analytical-model.js';
import { catalogueModels } from '../src/modules/analytics/catalogue/models/index.js';
import { MODEL_WORK_MEM } from '../src/modules/analytics/analytics.repository.js';
import { ParcelFacts } from '../src/modules/analytics/parcel-facts.js';
import { PARCEL_FACT } from '../src/modules/analytics/catalogue/models/paid-parcels.js';
import { LINE_FACT } from '../src/modules/analytics/catalogue/models/declared-lines.js';
import { up as createParcelFacts } from '../src/migrations/0240-analytics-parcel-fact.js';
import { up as createLineFacts } from '../src/migrations/0270-analytics-line-fact.js';
import { up as addFactColumns } from '../src/migrations/0280-analytics-parcel-fact-value-and-code-day.js';
import { createTestApp } from '../test/support/test-app.js';
import { loadOpsData, opsEvaluations } from '../test/support/catalogue-ops-evaluation.js';
import { BENCH_POSTGRES_URL } from './support/bench-postgres.js';
import { analysisTables, derivedViews } from './analytics/analysis-tables.js';
import { generateAnalysisRows, generatedPeriod } from './analytics/generated-rows.js';

const { values: options } = parseArgs({
  options: {
    parcels: { type: 'string', default: '1000000' },
    models: { type: 'string', default: 'S1,V3,V1,I1,I2,S2,P1,C1,N1,PS1,X1,M1' },
    'timeout-s': { type: 'string', default: '300' },
    'quality-only': { type: 'boolean', default: false },
    'speed-only': { type: 'boolean', default: false },
    database: { type: 'string' },
    fresh: { type: 'boolean', default: false },
    'rebuild-facts': { type: 'boolean', default: false },
  },
});
const parcels = Number(options.parcels);
const timeoutMs = Number(options['timeout-s']) * 1000;
const models = options.models.split(',').map((id) => catalogueModels.find((model) => model.id === id)!);
const SCHEMA = 'bench_analytics';

/**
 * Indexes on the columns the models filter, join and group on: what PostgreSQL needs to keep up. The
 * buyer's (PCCC, arrival, parcel) index carries the seller so that S1's series search reads the parcels
 * in series order from the index alone. Created when missing, so a kept database gains new ones.
 */
const postgresIndexes = [
  'intake_analysis_buyer_parcel (parcel_id)',
  'intake_analysis_buyer_parcel (arrival_date)',
  'intake_analysis_buyer_parcel (tracking_number)',
  'intake_analysis_buyer_parcel (pccc, arrival_date, parcel_id) include (seller_key)',
  'intake_analysis_buyer_parcel (seller_key)',
  // I1 reads its codes' names, phones and addresses in code order from this index alone, without a sort.
  'intake_analysis_buyer_parcel (pccc) include (arrival_date, consignee_name_key, consignee_phone_key, consignee_address_key, seller_country, seller_key)',
  'intake_analysis_parcel_line (parcel_id)',
  'intake_analysis_order_payment (tracking_number)',
  'clearance_analysis_parcel (parcel_id)',
  'targeting_analysis_decision (parcel_id)',
  'targeting_analysis_decision (decision_day)',
  'targeting_analysis_rule_hit (decision_day)',
  'clearance_analysis_inspection (parcel_id)',
];
/** The index's name, cut to PostgreSQL's 63 characters as PostgreSQL itself would cut it. */
const indexName = (target: string) => `bench_${target.replace(/\W+/g, '_').replace(/_+$/, '')}`.slice(0, 63);

const seconds = (ms: number) => (ms / 1000).toFixed(2);
const log = (line: string) => console.log(`[${new Date().toISOString().slice(11, 19)}] ${line}`);

if (!options['speed-only']) {
  const app = await createTestApp('embedded');
  try {
    const data = await loadOpsData(app);
    console.log('Quality on planted truth (embedded engine; recall / precision / flagged)');
    for (const [id, { baseline: baselineName, evaluate }] of Object.entries(opsEvaluations)) {
      const { measured, baseline } = await evaluate(data);
      const figures = (f: typeof measured) =>
        `${f.recall.toFixed(2)} / ${f.precision.toFixed(2)} / ${f.flagged}`;
      console.log(
        `${id.padEnd(4)} model ${figures(measured).padEnd(20)} baseline ${figures(baseline).padEnd(20)} (${baselineName})`,
      );
    }
  } finally {
    await app.close();
  }
  if (options['quality-only']) process.exit(0);
}

// PostgreSQL: one database per size, generated once and kept (10,000,000 parcels take minutes to make).
const database = options.database ?? `bench_analytics_${parcels}`;
const admin = new pg.Client({ connectionString: BENCH_POSTGRES_URL });
await admin.connect();
if ((await admin.query('select 1 from pg_database where datname = $1', [database])).rowCount === 0)
  await admin.query(`create database ${database}`);
await admin.end();
const url = new URL(BENCH_POSTGRES_URL);
url.pathname = `/${database}`;
const pool = new pg.Pool({
  connectionString: url.toString(),
  max: 2,
  options: `-c search_path=${SCHEMA} -c statement_timeout=${timeoutMs} -c work_mem=${MODEL_WORK_MEM}`,
});
// Generating, indexing and building the fact rows are no model run: the models' time limit does not apply
// (under load a generating statement at 10,000,000 parcels ran past 150 s and lost the whole database).
const setupPool = new pg.Pool({
  connectionString: url.toString(),
  max: 2,
  options: `-c search_path=${SCHEMA} -c work_mem=${MODEL_WORK_MEM}`,
});
const db = new Kysely<unknown>({ dialect: new PostgresDialect({ pool }) });
const generated = await pool
  .query<{ parcels: number }>(`select parcels from ${SCHEMA}.bench_generated`)
  .then((result) => result.rows[0]?.parcels)
  .catch(() => undefined);
const period = generatedPeriod(parcels);
if (options.fresh || generated !== parcels) {
  const started = Date.now();
  await setupPool.query(`drop schema if exists ${SCHEMA} cascade; create schema ${SCHEMA}`);
  await generateAnalysisRows(setupPool, parcels, log);
  log(`PostgreSQL: generated ${parcels} parcels in ${seconds(Date.now() - started)} s`);
  await setupPool.query(`create table bench_generated as select ${parcels} as parcels`);
} else log(`PostgreSQL: reusing the ${parcels} parcels of database ${database}`);
{
  const started = Date.now();
  const existing = await pool.query<{ relname: string }>(
    'select relname from pg_class where relname = any($1)',
    [postgresIndexes.map(indexName)],
  );
  const present = new Set(existing.rows.map((row) => row.relname));
  const missing = postgresIndexes.filter((target) => !present.has(indexName(target)));
  for (const target of missing) await setupPool.query(`create index ${indexName(target)} on ${target}`);
  // Vacuumed as well as analysed, so that index-only scans need not visit the table.
  if (missing.length > 0) await setupPool.query('vacuum analyze');
  log(
    `PostgreSQL: ${missing.length} indexes made, vacuumed and analysed in ${seconds(Date.now() - started)} s`,
  );
}
// The analytics module's per-parcel and per-line fact rows (V3, P1, S2, X1 and V1 read them), made by the
// module's own refresh over the tables shaped like the views: the whole tables once (or with
// --rebuild-facts; the line table's migration and 0280 mark every day, so a database made before them gains
// both again), then in every run one day's incremental refresh, the last day's parcels marked as changed,
// as intake's events mark them.
let factsRebuilt = false;
const setupDb = new Kysely<object>({ dialect: new PostgresDialect({ pool: setupPool }) });
{
  const facts = new ParcelFacts(setupDb);
  const made = async (table: string) =>
    (await setupPool.query<{ made: boolean }>(`select to_regclass('${SCHEMA}.${table}') is not null as made`))
      .rows[0]!.made;
  if (!(await made(PARCEL_FACT))) await createParcelFacts(setupDb);
  // Fact rows made before migration 0280 lack its two columns: the migration marks them to copy again.
  const { rowCount: withColumns } = await setupPool.query(
    `select 1 from pg_attribute where attrelid = '${SCHEMA}.${PARCEL_FACT}'::regclass
     and attname = 'code_day_parcels' and not attisdropped`,
  );
  if (!withColumns) await addFactColumns(setupDb);
  else if (options['rebuild-facts'])
    await setupPool.query('update analytics_parcel_fact_day set refreshed_version = null');
  if (!(await made(LINE_FACT))) await createLineFacts(setupDb);
  const full = await facts.refresh();
  if (full.days > 0) {
    factsRebuilt = true;
    const analysed = Date.now();
    await setupPool.query(`vacuum analyze ${PARCEL_FACT}, ${LINE_FACT}`);
    log(
      `PostgreSQL: fact rows built over ${full.days} days in ${seconds(full.ms)} s: ${full.rows} parcel rows, ` +
        `${full.lines} line rows in ${seconds(full.linesMs)} s of it (vacuum analyze ${seconds(Date.now() - analysed)} s)`,
    );
  }
  await setupPool.query(
    'update analytics_parcel_fact_day set version = version + 1 where arrival_date = $1',
    [period.to],
  );
  const day = await facts.refresh();
  log(
    `PostgreSQL: one day's fact refresh (${period.to}) in ${seconds(day.ms)} s: ${day.rows} parcel rows, ` +
      `${day.lines} line rows in ${seconds(day.linesMs)} s of it`,
  );
}
const sizes = await pool.query<{ table: string; rows: string }>(
  `select relname as table, reltuples::bigint as rows from pg_class
   where relnamespace = '${SCHEMA}'::regnamespace and relkind = 'r' order by relname`,
);
log(sizes.rows.map((row) => `${row.table} ${row.rows}`).join(', '));

// DuckDB: a database file per size (or per `--database`, whose rows may differ from the size's) next to
// the others, loaded once from PostgreSQL's rows through CSV files that its core reader takes (no
// extension downloaded).
async function openDuckDb(): Promise<DuckDBConnection> {
  const duckFile = join(
    tmpdir(),
    options.database ? `clearway-bench-${database}.duckdb` : `clearway-bench-analytics-${parcels}.duckdb`,
  );
  if (options.fresh) await rm(duckFile, { force: true });
  const duckInstance = await DuckDBInstance.create(duckFile, {
    autoinstall_known_extensions: 'false',
    autoload_known_extensions: 'false',
    // Loading need not keep the CSV's row order, which lets the reader work in parallel with less memory.
    preserve_insertion_order: 'false',
  });
  const duck = await duckInstance.connect();
  const loaded = await duck
    .runAndReadAll('select parcels from bench_generated')
    .then((reader) => Number(reader.getRows()[0]?.[0]))
    .catch(() => undefined);
  /** Copies one table's rows from PostgreSQL into a new DuckDB table with the columns given. */
  const copyTable = async (
    directory: string,
    table: string,
    columns: readonly (readonly [string, string])[],
  ) => {
    const file = join(directory, `${table}.csv`);
    const exported = Date.now();
    // Not the models' pool: exporting 10,000,000 rows under load ran past the models' time limit.
    const client = await setupPool.connect();
    try {
      await pipeline(
        client.query(copyTo(`copy ${table} to stdout with (format csv)`)),
        createWriteStream(file),
      );
    } finally {
      client.release();
    }
    await duck.run(`drop table if exists ${table} cascade`);
    await duck.run(
      `create table ${table} (${columns.map(([name, type]) => `${name} ${type.replace('text', 'varchar')}`).join(', ')})`,
    );
    const copied = Date.now();
    await duck.run(`copy ${table} from '${file}' (format csv, header false)`);
    await rm(file);
    log(
      `DuckDB: ${table} exported in ${seconds(copied - exported)} s, read in ${seconds(Date.now() - copied)} s`,
    );
  };
  const factTables = [PARCEL_FACT, LINE_FACT];
  const hasFacts = await duck
    .runAndReadAll(
      `select count(*) from information_schema.tables where table_name in (${factTables.map((table) => `'${table}'`).join(', ')})`,
    )
    .then((reader) => Number(reader.getRows()[0]?.[0]) === factTables.length);
  const directory = await mkdtemp(join(tmpdir(), 'clearway-analytics-bench-'));
  try {
    if (loaded !== parcels) {
      const started = Date.now();
      for (const [table, columns] of Object.entries(analysisTables))
        await copyTable(directory, table, columns);
      for (const view of derivedViews) await duck.run(view.replace('create view', 'create or replace view'));
      await duck.run(`create or replace table bench_generated as select ${parcels} as parcels`);
      log(`DuckDB: loaded in ${seconds(Date.now() - started)} s`);
    } else log(`DuckDB: reusing ${duckFile}`);
    // The fact rows as PostgreSQL's refresh made them, columns as the migration typed them (an unbounded
    // numeric becomes DuckDB's widest decimal).
    if (loaded !== parcels || !hasFacts || factsRebuilt)
      for (const table of factTables) {
        const columns = await pool.query<{ name: string; type: string }>(
          `select attname as name, format_type(atttypid, atttypmod) as type from pg_attribute
           where attrelid = '${table}'::regclass and attnum > 0 and not attisdropped order by attnum`,
        );
        await copyTable(
          directory,
          table,
          columns.rows.map(({ name, type }) => [name, type === 'numeric' ? 'decimal(38,2)' : type] as const),
        );
      }
  } finally {
    await rm(directory, { recursive: true, force: true });
  }
  return duck;
}

{
  const context = (query: ModelRunContext['query'], model: AnalyticalModel): ModelRunContext => ({
    from: period.from,
    to: period.to,
    locale: 'en',
    progress: () => undefined,
    parameters: Object.fromEntries(model.parameters.map((parameter) => [parameter.name, parameter.default])),
    query,
  });
  const onPostgres: ModelRunContext['query'] = async <Row>(statement: RawBuilder<Row>) =>
    (await statement.execute(db)).rows;
  /** Time spent inside the engine (statement and rows back to Node) against the model's own work in Node. */
  const inEngine = { ms: 0, rows: 0 };
  const measured =
    (query: ModelRunContext['query']): ModelRunContext['query'] =>
    async <Row>(statement: RawBuilder<Row>) => {
      const begin = Date.now();
      const rows = await query(statement);
      inEngine.ms += Date.now() - begin;
      inEngine.rows += rows.length;
      return rows;
    };
  const timed = async (model: AnalyticalModel, query: ModelRunContext['query'], interrupt = () => {}) => {
    inEngine.ms = 0;
    inEngine.rows = 0;
    const begin = Date.now();
    let timer: NodeJS.Timeout | undefined;
    try {
      const result = await Promise.race([
        model.run(context(measured(query), model)),
        new Promise<never>((_, reject) => {
          timer = setTimeout(() => {
            interrupt();
            reject(new Error(`over ${timeoutMs / 1000} s`));
          }, timeoutMs);
        }),
      ]);
      return {
        ms: Date.now() - begin,
        entities: result.entities.length,
        queryMs: inEngine.ms,
        rows: inEngine.rows,
      };
    } catch (error) {
      return {
        ms: Number.NaN,
        entities: 0,
        queryMs: Number.NaN,
        rows: 0,
        error: (error as Error).message.split('\n')[0],
      };
    } finally {
      clearTimeout(timer);
    }
  };

  // PostgreSQL's runs first, printed as they finish, then DuckDB is loaded (once per size) and runs.
  const onPg = new Map<string, Awaited<ReturnType<typeof timed>>>();
  for (const model of models) {
    onPg.set(model.id, await timed(model, onPostgres));
    log(`PostgreSQL ${model.id}: ${onPg.get(model.id)!.error ?? `${seconds(onPg.get(model.id)!.ms)} s`}`);
  }
  const duck = await openDuckDb();
  // The models' statements compiled for PostgreSQL ($1 parameters, :: casts) run as they are on DuckDB.
  const onDuckDb: ModelRunContext['query'] = async <Row>(statement: RawBuilder<Row>) => {
    const compiled = statement.compile(db);
    const reader = await duck.runAndReadAll(compiled.sql, compiled.parameters as never);
    return reader.getRowObjectsJson() as Row[];
  };
  console.log(`\nTime per run on ${parcels} parcels (seconds; ratio = PostgreSQL / DuckDB)`);
  console.log(
    'model  postgres  duckdb   ratio   in engine pg / duckdb (s)   rows to Node   flagged (pg / duckdb)',
  );
  for (const model of models) {
    const pgRun = onPg.get(model.id)!;
    const onDuck = await timed(model, onDuckDb, () => duck.interrupt());
    console.log(
      `${model.id.padEnd(6)} ${(pgRun.error ?? seconds(pgRun.ms)).padStart(8)} ${(onDuck.error ?? seconds(onDuck.ms)).padStart(8)} ` +
        `${(pgRun.ms / onDuck.ms).toFixed(1).padStart(7)}   ${seconds(pgRun.queryMs).padStart(9)} / ${seconds(onDuck.queryMs).padEnd(9)}` +
        `   ${String(pgRun.rows).padStart(12)}   ${pgRun.entities} / ${onDuck.entities}`,
    );
  }
  duck.closeSync();
  await db.destroy();
  await setupDb.destroy();
}
