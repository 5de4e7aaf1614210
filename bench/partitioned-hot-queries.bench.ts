/**
 * The hot queries at scale on monthly partitions:
 *   `nice npx tsx bench/partitioned-hot-queries.bench.ts [--parcels 10000000] [--months 13] [--keep]
 *     [--reuse DATABASE]`
 *
 * Fills a fresh PostgreSQL database (BENCH_DATABASE_URL, default the local server) with `--parcels`
 * parcels received evenly over `--months` months (SQL generate_series, in batches of 500,000, through
 * the partitioned `intake_parcel` and its key table) and a current decision for each (the queue), then
 * runs each hot query through its service as the console does: a parcel's view, tracking-number
 * search, a seller's history (the facts targeting decides on), the targeting queue (whole and red
 * lane), and the parcels an office received in one month. It prints each query's plan (EXPLAIN, the
 * service's SQL) and its median and 95th-percentile time over 50 runs, and, as the baseline measured in
 * the same run, a sequential read of the parcels (`count(*)`): the ratio says how far each query stays
 * from reading the table whole. `--keep` keeps the filled database (its name is printed) and `--reuse`
 * runs the queries again on one so kept, without filling (10,000,000 parcels take about 17 minutes to
 * fill); migrations added since are applied to it first.
 */
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { performance } from 'node:perf_hooks';
import { CompiledQuery, sql } from 'kysely';
import { createClearway } from '../src/main.js';
import { StatementRecorder } from '../test/support/statement-recorder.js';
import { systemActor, type Actor } from '../src/platform/auth/actor.js';
import { loadConfig } from '../src/platform/config/config.js';
import { openDatabase, type Database } from '../src/platform/db/database.js';
import { ensureMonthPartition, monthStart } from '../src/platform/db/time-partitions.js';
import { BENCH_POSTGRES_URL } from './support/bench-postgres.js';
import { createPostgresTestDatabase } from '../test/support/test-database.js';

const argument = (name: string) => {
  const index = process.argv.indexOf(`--${name}`);
  return index >= 0 ? process.argv[index + 1] : undefined;
};
const PARCELS = Number(argument('parcels') ?? 10_000_000);
const MONTHS = Number(argument('months') ?? 13);
const KEEP = process.argv.includes('--keep');
const REUSE = argument('reuse');
const BATCH = 500_000;
const RUNS = 50;
const SELLERS = 200_000;

const officer: Actor = { kind: 'officer', accountId: 'bench', name: 'Bench', roles: ['targeting_analyst'] };

/** Fills the parcels, their keys and their current decisions (the queue), received evenly from `start` to `end`. */
async function fill(db: Database['db'], start: Date, end: Date) {
  for (let month = start; month < end; month = monthStart(month, 1))
    await ensureMonthPartition(db, 'intake_parcel', 'received_at', month);
  const spanMs = end.getTime() - start.getTime();
  console.log(
    `filling ${PARCELS.toLocaleString('en')} parcels over ${MONTHS} months from ${start.toISOString().slice(0, 10)}`,
  );
  const fillStarted = performance.now();
  await sql`
    insert into intake_message (channel, format, transport, content_sha256, byte_size)
    values ('express', 'csv', 'file', 'bench', 0);
    insert into intake_party (kind, party_key) select 'carrier', 'CARRIER' || g from generate_series(1, 8) g;
    insert into intake_party (kind, party_key, name, country)
    select 'seller', 'SELLER' || g, 'Seller ' || g, 'CN' from generate_series(1, ${sql.lit(SELLERS)}) g;`.execute(
    db,
  );
  for (let from = 1; from <= PARCELS; from += BATCH) {
    const to = Math.min(PARCELS, from + BATCH - 1);
    // Ids follow receipt time, as the identity does; tracking numbers are unique, sellers spread.
    await sql`
      insert into intake_parcel (id, channel, tracking_number, carrier_party_id, seller_party_id, pccc, office_code,
        category, sender, addressee, gross_mass_kg, pieces, declared_value, currency, arrival_date, content_sha256,
        message_id, source_line, received_at)
      overriding system value
      select g, 'express', 'TN' || lpad(g::text, 10, '0'), 1 + g % 8, 9 + (g * 7919) % ${sql.lit(SELLERS)},
        'P' || lpad((g % 900000)::text, 12, '0'), (array['ICN', 'PUS', 'GMP', 'KIX'])[1 + g % 4], 'general',
        jsonb_build_object('name', 'Sender ' || g % 1000, 'country', 'CN'),
        jsonb_build_object('name', 'Buyer ' || g % 50000, 'country', 'KR'),
        1.5, 1, 20 + g % 150, 'USD', (received::date + 2), md5(g::text), 1, g, received
      from (select g, ${start}::timestamptz + make_interval(secs => (g - 1) * ${spanMs / 1000 / PARCELS}::float8) as received
            from generate_series(${sql.lit(from)}::bigint, ${sql.lit(to)}::bigint) g) as s`.execute(db);
    // Each key from its parcel, with its receipt time (the two share a transaction's now() in intake).
    await sql`
      insert into intake_parcel_key (carrier_party_id, tracking_number, parcel_id, received_at)
      select carrier_party_id, tracking_number, id, received_at from intake_parcel
      where id between ${sql.lit(from)} and ${sql.lit(to)}`.execute(db);
    // The current decision of each parcel, as deciding leaves it: one in fifty red, ranks spread.
    await sql`
      insert into targeting_parcel_state (parcel_id, decision_id, sequence, lane, xray_referral, score, priority,
        model_version, office_code, carrier_code, hs_chapters, rule_ids, arrival_date, decision_day, decided_at,
        queue_rank, tracking_number)
      select g, g, 1, case when g % 50 = 0 then 'red' else 'green' end, false, (g * 7919 % 1000) / 1000.0,
        (g * 7919 % 1000) / 1000.0, 'bench', (array['ICN', 'PUS', 'GMP', 'KIX'])[1 + g % 4], 'CARRIER' || (1 + g % 8),
        array['64'], array[]::bigint[], current_date, current_date, now(), (g * 104729 % 10007) / 10007.0,
        'TN' || lpad(g::text, 10, '0')
      from generate_series(${sql.lit(from)}::bigint, ${sql.lit(to)}::bigint) g`.execute(db);
    process.stdout.write(
      `\r  ${to.toLocaleString('en')} parcels (${((performance.now() - fillStarted) / 1000).toFixed(0)} s)`,
    );
  }
  await sql`select setval(pg_get_serial_sequence('intake_parcel', 'id'), ${PARCELS})`.execute(db);
  await sql`vacuum analyze`.execute(db);
  console.log(`\nfilled and analysed in ${((performance.now() - fillStarted) / 1000).toFixed(0)} s`);
}

async function main() {
  const server = REUSE
    ? keptDatabase(REUSE)
    : await createPostgresTestDatabase(BENCH_POSTGRES_URL, 'clearway_bench');
  const database = await openDatabase({ databaseUrl: server.url });
  const recorder = new StatementRecorder();
  const clearway = await createClearway(
    loadConfig({
      NODE_ENV: 'test',
      LOG_LEVEL: 'silent',
      DATA_DIR: mkdtempSync(join(tmpdir(), 'clearway-bench-')),
    }),
    { ...database, db: database.db.withPlugin(recorder) },
  );
  const db = database.db;
  try {
    let parcels = PARCELS;
    let end = monthStart(new Date(), 1);
    if (REUSE) {
      // A kept database is read over the months it was filled for; its ids run from 1 to its size.
      const { rows } = await sql<{ parcels: string; last: Date }>`
        select max(id) as parcels, max(received_at) as last from intake_parcel`.execute(db);
      parcels = Number(rows[0]!.parcels);
      end = monthStart(rows[0]!.last, 1);
      console.log(
        `reusing ${server.url.replace(/:[^:@/]*@/, ':***@')}: ${parcels.toLocaleString('en')} parcels`,
      );
    } else {
      await fill(db, monthStart(end, -MONTHS), end);
    }

    const scanStarted = performance.now();
    await sql`select count(*) from intake_parcel`.execute(db);
    const scanMs = performance.now() - scanStarted;
    console.log(`baseline: reading every parcel (count(*), sequential) ${scanMs.toFixed(0)} ms\n`);

    const pick = () => 1 + Math.floor(Math.random() * parcels);
    const officeMonth = monthStart(end, -3);
    const queries: { name: string; run: () => Promise<unknown> }[] = [
      { name: "parcel's view (by id)", run: () => clearway.intake.service.getParcel(systemActor, pick()) },
      {
        name: 'tracking-number search',
        run: () =>
          clearway.intake.service.listParcels(systemActor, {
            trackingNumber: `TN${String(pick()).padStart(10, '0')}`,
            limit: 20,
          }),
      },
      {
        name: "seller's history (facts of 50 parcels)",
        run: () => clearway.intake.parcelFacts.loadParcelFacts(Array.from({ length: 50 }, pick)),
      },
      {
        name: 'targeting queue, first page',
        run: () => clearway.targeting.service.queue(officer, {}, { limit: 50 }),
      },
      {
        name: 'targeting queue, red lane',
        run: () => clearway.targeting.service.queue(officer, { lanes: ['red'] }, { limit: 50 }),
      },
      {
        name: 'parcels an office received in one month (count)',
        run: () =>
          sql`select count(*) from intake_parcel where office_code = 'ICN'
            and received_at >= ${officeMonth} and received_at < ${monthStart(officeMonth, 1)}`.execute(
            database.db.withPlugin(recorder),
          ),
      },
    ];

    for (const query of queries) {
      const statements = await recorder.during(query.run);
      const times: number[] = [];
      for (let run = 0; run < RUNS; run += 1) {
        const started = performance.now();
        await query.run();
        times.push(performance.now() - started);
      }
      times.sort((a, b) => a - b);
      const median = times[Math.floor(RUNS / 2)]!;
      const p95 = times[Math.floor(RUNS * 0.95)]!;
      console.log(
        `== ${query.name}: median ${median.toFixed(1)} ms, p95 ${p95.toFixed(1)} ms, ` +
          `${(median / scanMs).toExponential(2)}x the full read`,
      );
      for (const statement of statements) {
        const { rows } = await db.executeQuery<{ 'QUERY PLAN': string }>(
          CompiledQuery.raw(`explain (costs off) ${statement.sql}`, [...statement.parameters]),
        );
        console.log(`  ${statement.sql.replace(/\s+/g, ' ').slice(0, 160)}`);
        for (const row of rows) console.log(`    ${row['QUERY PLAN']}`);
      }
      console.log('');
    }
  } finally {
    await clearway.close();
    if (KEEP || !server.drop) console.log(`kept ${server.url.replace(/:[^:@/]*@/, ':***@')}`);
    else await server.drop();
  }
}

/** A database kept by an earlier run (`--keep`), on the bench's server. */
function keptDatabase(name: string): { url: string; drop?: () => Promise<void> } {
  const url = new URL(BENCH_POSTGRES_URL);
  url.pathname = `/${name}`;
  return { url: url.toString() };
}

await main();
