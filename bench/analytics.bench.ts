/**
 * (a) Quality: each operations and cross-cutting model (I5 N2 K1 K2 PS3 X1 X2 M5) on the catalogue's demo
 * data with planted truth, its recall and precision against its simplest baseline in the same run
 * (test/support/catalogue-ops-evaluation.ts, which test/analytics.catalogue-ops.test.ts asserts on).
 *
 * (b) Where the catalogue's work runs: the first twelve models (S1 V3 V1 I1 I2 S2 P1 C1 N1 PS1 X1 M1) run
 * unchanged, by their own `run`, on PostgreSQL (tables shaped like the published analysis views, with
 * the indexes that help) and on DuckDB (embedded, columnar; the same rows loaded from the same CSV files,
 * no extension downloaded), over the same generated parcels. Prints the time per run on each engine and
 * their ratio. Rows come from the demo generator (bench/analytics/analysis-rows.ts).
 *
 *   nice npx tsx bench/analytics.bench.ts [--parcels 1000000] [--models S1,V3,...] [--timeout-s 300]
 *     [--quality-only | --speed-only]
 */
import { mkdtemp, rm } from 'node:fs/promises';
import { createReadStream } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { pipeline } from 'node:stream/promises';
import { parseArgs } from 'node:util';
import { DuckDBInstance } from '@duckdb/node-api';
import { Kysely, PostgresDialect, type RawBuilder } from 'kysely';
import pg from 'pg';
import { from as copyFrom } from 'pg-copy-streams';
import type {
  AnalyticalModel,
  ModelRunContext,
} from '../src/modules/analytics/catalogue/analytical-model.js';
import { catalogueModels } from '../src/modules/analytics/catalogue/models/index.js';
import { createTestApp } from '../test/support/test-app.js';
import { loadOpsData, opsEvaluations } from '../test/support/catalogue-ops-evaluation.js';
import { BENCH_POSTGRES_URL } from './support/bench-postgres.js';
import {
  analysisTables,
  derivedViews,
  writeAnalysisRows,
  type AnalysisTable,
} from './analytics/analysis-rows.js';

const { values: options } = parseArgs({
  options: {
    parcels: { type: 'string', default: '1000000' },
    models: { type: 'string', default: 'S1,V3,V1,I1,I2,S2,P1,C1,N1,PS1,X1,M1' },
    'timeout-s': { type: 'string', default: '300' },
    'quality-only': { type: 'boolean', default: false },
    'speed-only': { type: 'boolean', default: false },
  },
});
const parcels = Number(options.parcels);
const timeoutMs = Number(options['timeout-s']) * 1000;
const models = options.models.split(',').map((id) => catalogueModels.find((model) => model.id === id)!);
const SCHEMA = 'bench_analytics';

/** Indexes on the columns the models filter, join and group on: what PostgreSQL needs to keep up. */
const postgresIndexes = [
  'intake_analysis_buyer_parcel (parcel_id)',
  'intake_analysis_buyer_parcel (arrival_date)',
  'intake_analysis_buyer_parcel (tracking_number)',
  'intake_analysis_buyer_parcel (pccc, arrival_date)',
  'intake_analysis_buyer_parcel (seller_key)',
  'intake_analysis_parcel_line (parcel_id)',
  'intake_analysis_order_payment (tracking_number)',
  'clearance_analysis_parcel (parcel_id)',
  'targeting_analysis_decision (parcel_id)',
  'targeting_analysis_decision (decision_day)',
  'targeting_analysis_rule_hit (decision_day)',
  'clearance_analysis_inspection (parcel_id)',
];

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

const directory = await mkdtemp(join(tmpdir(), 'clearway-analytics-bench-'));
try {
  let started = Date.now();
  const rows = writeAnalysisRows(directory, parcels);
  log(
    `generated ${rows.parcels} parcels, ${rows.lines} lines, ${rows.orders} orders (${rows.from}..${rows.to}) in ${seconds(Date.now() - started)} s`,
  );

  // PostgreSQL: the tables in their own schema, loaded by COPY, indexed and analysed.
  const pool = new pg.Pool({
    connectionString: BENCH_POSTGRES_URL,
    max: 2,
    options: `-c search_path=${SCHEMA} -c statement_timeout=${timeoutMs}`,
  });
  const db = new Kysely<unknown>({ dialect: new PostgresDialect({ pool }) });
  started = Date.now();
  await pool.query(`drop schema if exists ${SCHEMA} cascade; create schema ${SCHEMA}`);
  for (const [table, columns] of Object.entries(analysisTables)) {
    await pool.query(
      `create table ${table} (${columns.map(([name, type]) => `${name} ${type}`).join(', ')})`,
    );
    const client = await pool.connect();
    try {
      await pipeline(
        createReadStream(rows.files[table as AnalysisTable]),
        client.query(copyFrom(`copy ${table} from stdin with (format csv)`)),
      );
    } finally {
      client.release();
    }
  }
  for (const view of derivedViews) await pool.query(view);
  log(`PostgreSQL: loaded in ${seconds(Date.now() - started)} s`);
  started = Date.now();
  for (const [index, target] of postgresIndexes.entries())
    await pool.query(`create index bench_${index} on ${target}`);
  await pool.query('analyze');
  log(`PostgreSQL: indexed and analysed in ${seconds(Date.now() - started)} s`);

  // DuckDB: in memory, the same files read by its own CSV reader (part of the core, nothing downloaded).
  const duck = await (
    await DuckDBInstance.create(':memory:', {
      autoinstall_known_extensions: 'false',
      autoload_known_extensions: 'false',
    })
  ).connect();
  started = Date.now();
  for (const [table, columns] of Object.entries(analysisTables)) {
    await duck.run(
      `create table ${table} (${columns.map(([name, type]) => `${name} ${type.replace('text', 'varchar')}`).join(', ')})`,
    );
    await duck.run(`copy ${table} from '${rows.files[table as AnalysisTable]}' (format csv, header false)`);
  }
  for (const view of derivedViews) await duck.run(view);
  log(`DuckDB: loaded in ${seconds(Date.now() - started)} s`);

  const context = (query: ModelRunContext['query'], model: AnalyticalModel): ModelRunContext => ({
    from: rows.from,
    to: rows.to,
    locale: 'en',
    progress: () => undefined,
    parameters: Object.fromEntries(model.parameters.map((parameter) => [parameter.name, parameter.default])),
    query,
  });
  const onPostgres: ModelRunContext['query'] = async <Row>(statement: RawBuilder<Row>) =>
    (await statement.execute(db)).rows;
  // The models' statements compiled for PostgreSQL ($1 parameters, :: casts) run as they are on DuckDB.
  const onDuckDb: ModelRunContext['query'] = async <Row>(statement: RawBuilder<Row>) => {
    const compiled = statement.compile(db);
    const reader = await duck.runAndReadAll(compiled.sql, compiled.parameters as never);
    return reader.getRowObjectsJson() as Row[];
  };
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
  const timed = async (engine: string, model: AnalyticalModel, query: ModelRunContext['query']) => {
    inEngine.ms = 0;
    inEngine.rows = 0;
    const begin = Date.now();
    let timer: NodeJS.Timeout | undefined;
    try {
      const result = await Promise.race([
        model.run(context(measured(query), model)),
        new Promise<never>((_, reject) => {
          timer = setTimeout(() => {
            if (engine === 'duckdb') duck.interrupt();
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

  console.log(`\nTime per run on ${rows.parcels} parcels (seconds; ratio = PostgreSQL / DuckDB)`);
  console.log(
    'model  postgres  duckdb   ratio   in engine pg / duckdb (s)   rows to Node   flagged (pg / duckdb)',
  );
  for (const model of models) {
    const onPg = await timed('postgres', model, onPostgres);
    const onDuck = await timed('duckdb', model, onDuckDb);
    console.log(
      `${model.id.padEnd(6)} ${(onPg.error ?? seconds(onPg.ms)).padStart(8)} ${(onDuck.error ?? seconds(onDuck.ms)).padStart(8)} ` +
        `${(onPg.ms / onDuck.ms).toFixed(1).padStart(7)}   ${seconds(onPg.queryMs).padStart(9)} / ${seconds(onDuck.queryMs).padEnd(9)}` +
        `   ${String(onPg.rows).padStart(12)}   ${onPg.entities} / ${onDuck.entities}`,
    );
  }
  duck.closeSync();
  await db.destroy();
} finally {
  await rm(directory, { recursive: true, force: true });
}
