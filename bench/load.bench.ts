/**
 * Sustained load, then a burst, through N api and M worker processes on one PostgreSQL database:
 * `nice npx tsx bench/load.bench.ts [--api 2] [--workers 2] [--rate 200] [--duration 600]
 *   [--burst-rate 2000] [--burst-duration 30] [--statements] [--trace] [--plan-times] [--cpu-prof DIR]`
 *
 * Starts `clearway serve` processes as production runs them (ROLES=api on ports of their own, ROLES=worker
 * delivering the outbox) on a fresh database of BENCH_DATABASE_URL's server. This process is only the
 * client and the counter: it sends distinct valid CN23 items (demo generator) to POST /api/v1/postal/items
 * of every api process, evenly spaced at the asked rate and whether or not earlier ones were answered
 * (an open load, bench/support/paced-requests.ts), for `--duration` seconds; then at `--burst-rate` for
 * `--burst-duration` seconds with at most 50 unanswered per api process (the rest skipped); and at the same
 * time GET /health at a tenth of the rate: the baseline, the floor any request pays on the same loaded
 * processes in the same run (issue 20: intake p99 < 2x health's). HTTP latencies count from the moment
 * each request was due. Then it waits for the backlog to drain and reports:
 * - per phase: requests answered and skipped, errors (non-2xx, failed, timed out), reached rate (answers
 *   per second until the last answer), HTTP p50/p99 of intake and health (all api processes together),
 *   receipt-to-decision p50/p99 (targeting's decided_in_ms: from the parcel's receipt
 *   by the api process to its decision by a worker, both stamped on this machine's clock);
 * - the largest outbox backlog seen and the time the backlog took to drain after the burst;
 * - CPU seconds per item of the api and the worker processes, of PostgreSQL's backends serving the
 *   database (from /proc) and of this client, beside the load average; and how busy the machine's
 *   cores were over the run (from /proc/stat, which also counts the backends that closed meanwhile);
 * - database counts: parcels stored = items answered 201, every parcel exactly one arrival decision and
 *   one clearance assessment, decision records numbered without gap, no tracking number stored twice.
 * `--plan-times` also prints the server's planning and execution time from the end of the warm-up, whole
 * and for the costliest statements (`pg_stat_statements`: the server must preload it, e.g.
 * `shared_preload_libraries = 'pg_stat_statements'` and `pg_stat_statements.track_planning = on`).
 * Where the server also preloads `pg_stat_kcache` (Debian's postgresql-15-pg-stat-kcache), each
 * statement's CPU time is printed beside its wall time and the statements are ranked by it: on a loaded
 * machine a statement's wall time also holds the time its backend waited for a core.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { openSync } from 'node:fs';
import { mkdir, mkdtemp, readFile, rm } from 'node:fs/promises';
import { availableParallelism, loadavg, tmpdir } from 'node:os';
import { join } from 'node:path';
import { sql } from 'kysely';
import { loadConfig } from '../src/platform/config/config.js';
import { createClearway, type Clearway } from '../src/main.js';
import { generateDemoData } from '../src/demo/index.js';
import { BENCH_POSTGRES_URL } from './support/bench-postgres.js';
import { createPostgresTestDatabase } from '../test/support/test-database.js';
import { freePort } from '../test/support/free-port.js';
import { loadDemoWeeklyRates } from '../test/support/weekly-rates.js';
import { tallyParcels } from '../test/support/parcel-tally.js';
import { printTable } from './support/print-table.js';
import { machineBusySeconds, processCpuSeconds } from './support/machine-cpu.js';
import { percentileOf, sendPaced, type PacedRequest, type PacedResult } from './support/paced-requests.js';

interface Options {
  api: number;
  workers: number;
  rate: number;
  duration: number;
  burstRate: number;
  burstDuration: number;
  /** Count the SQL statements of each server process (bench/support/count-statements.cjs). */
  statements: boolean;
  /** Split receipt-to-decision time into its steps (bench/support/trace-decisions.cjs). */
  trace: boolean;
  /** The server's planning and execution time per statement (pg_stat_statements). */
  planTimes: boolean;
  /** Write a V8 CPU profile of each server process (`node --cpu-prof`) into this folder. */
  cpuProf?: string;
}

const FLAGS: Record<string, 'api' | 'workers' | 'rate' | 'duration' | 'burstRate' | 'burstDuration'> = {
  '--api': 'api',
  '--workers': 'workers',
  '--rate': 'rate',
  '--duration': 'duration',
  '--burst-rate': 'burstRate',
  '--burst-duration': 'burstDuration',
};

function parseOptions(argv: string[]): Options {
  const options: Options = {
    api: 2,
    workers: 2,
    rate: 200,
    duration: 600,
    burstRate: 2000,
    burstDuration: 30,
    statements: false,
    trace: false,
    planTimes: false,
  };
  const switches: Record<string, 'statements' | 'trace' | 'planTimes'> = {
    '--statements': 'statements',
    '--trace': 'trace',
    '--plan-times': 'planTimes',
  };
  for (let index = 0; index < argv.length; index += 2) {
    const switched = switches[argv[index]!];
    if (switched) {
      options[switched] = true;
      index -= 1;
      continue;
    }
    if (argv[index] === '--cpu-prof') {
      options.cpuProf = argv[index + 1];
      if (!options.cpuProf) throw new Error('--cpu-prof needs a folder');
      continue;
    }
    const name = FLAGS[argv[index]!];
    if (!name)
      throw new Error(
        `unknown option ${argv[index]}; options: ${Object.keys(FLAGS).join(' ')} ${Object.keys(switches).join(' ')} --cpu-prof DIR`,
      );
    const value = Number(argv[index + 1]);
    if (!Number.isInteger(value) || value <= 0)
      throw new Error(`${argv[index]} needs a positive whole number`);
    options[name] = value;
  }
  return options;
}

const binary = join(import.meta.dirname, '..', 'bin', 'clearway.js');
const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

/** Distinct valid CN23 items from the demo generator, serialised once so that sending costs nothing. */
function postalBodies(count: number): { body: string; trackingNumber: string }[] {
  const bodies: { body: string; trackingNumber: string }[] = [];
  for (const event of generateDemoData({ days: 1, parcelsPerDay: count, seed: 2020, postalShare: 1 })) {
    if (event.kind === 'postal')
      bodies.push({ body: JSON.stringify(event.item), trackingNumber: event.item.itemId });
  }
  if (bodies.length < count) throw new Error(`generated ${bodies.length} postal items, wanted ${count}`);
  return bodies;
}

async function waitUntilAnswering(address: string): Promise<void> {
  for (let attempt = 0; attempt < 600; attempt++) {
    const ok = await fetch(`${address}/health`).then(
      (response) => response.ok,
      () => false,
    );
    if (ok) return;
    await sleep(200);
  }
  throw new Error(`${address} did not answer within two minutes`);
}

interface Phase {
  label: string;
  rate: number;
  seconds: number;
  startedAt: Date;
  endedAt: Date;
  intake: PacedResult[];
  health: PacedResult[];
}

async function main(): Promise<void> {
  const options = parseOptions(process.argv.slice(2));
  const dataDir = await mkdtemp(join(tmpdir(), 'clearway-load-bench-'));
  const postgres = await createPostgresTestDatabase(BENCH_POSTGRES_URL, 'clearway_load_bench');
  // This process migrates the database, loads the weekly rates and counts; it delivers nothing itself.
  const clearway: Clearway = await createClearway(
    loadConfig({ NODE_ENV: 'test', LOG_LEVEL: 'silent', DATA_DIR: dataDir, DATABASE_URL: postgres.url }),
  );
  const children: ChildProcess[] = [];
  const statementDir = join(dataDir, 'statements');
  const traceDir = join(dataDir, 'trace');
  if (options.statements) await mkdir(statementDir);
  if (options.trace) await mkdir(traceDir);
  const nodeFlags = [
    ...(options.statements
      ? ['--require', join(import.meta.dirname, 'support', 'count-statements.cjs')]
      : []),
    ...(options.trace ? ['--require', join(import.meta.dirname, 'support', 'trace-decisions.cjs')] : []),
    ...(options.cpuProf ? ['--cpu-prof', `--cpu-prof-dir=${options.cpuProf}`] : []),
  ];
  const serve = (roles: string, port: number, log: string) => {
    const child = spawn(process.execPath, [...nodeFlags, binary, 'serve'], {
      env: {
        ...process.env,
        CLEARWAY_STATEMENT_COUNTS: statementDir,
        CLEARWAY_TRACE_DIR: traceDir,
        NODE_ENV: 'test',
        LOG_LEVEL: 'warn',
        DATA_DIR: dataDir,
        DATABASE_URL: postgres.url,
        ROLES: roles,
        HOST: '127.0.0.1',
        PORT: String(port),
      },
      stdio: ['ignore', 'ignore', openSync(join(dataDir, log), 'a')],
    });
    children.push(child);
    return child;
  };
  const stopChildren = async () => {
    for (const child of children) child.kill('SIGTERM');
    await Promise.all(
      children.map(
        (child) =>
          new Promise((resolve) =>
            child.exitCode !== null || child.signalCode !== null
              ? resolve(null)
              : child.once('exit', resolve),
          ),
      ),
    );
  };
  try {
    await loadDemoWeeklyRates(clearway);
    const key = await clearway.identity.service.createApiKey('postal_operator', {
      organisation: 'KPOST',
      label: 'load bench',
    });
    const ports = await Promise.all(Array.from({ length: options.api }, () => freePort()));
    const apis = ports.map((port, index) => ({
      address: `http://127.0.0.1:${port}`,
      child: serve('api', port, `api-${index}.log`),
    }));
    const workers = Array.from({ length: options.workers }, (_, index) =>
      serve('worker', 0, `worker-${index}.log`),
    );
    await Promise.all(apis.map((api) => waitUntilAnswering(api.address)));

    const wanted = options.rate * options.duration + options.burstRate * options.burstDuration;
    const bodies = postalBodies(Math.ceil(wanted * 1.05) + 100 * options.api);
    let sent = 0;
    /** Tracking numbers of the items answered 201: each must be stored, whatever else happens. */
    const answered: string[] = [];
    // Every request gets the next item: none is sent twice (a duplicate is cheaper).
    const postal = (): PacedRequest & { trackingNumber: string } => {
      const item = bodies[sent++ % bodies.length]!;
      return {
        method: 'POST',
        path: '/api/v1/postal/items',
        headers: { authorization: `Bearer ${key.token}`, 'content-type': 'application/json' },
        body: item.body,
        trackingNumber: item.trackingNumber,
      };
    };
    const onAnswer = (status: number, request: { trackingNumber: string }) => {
      if (status === 201) answered.push(request.trackingNumber);
    };
    const waiting = async () =>
      (await sql<{ n: number }>`select count(*)::int as n from platform_outbox`.execute(clearway.database.db))
        .rows[0]!.n;
    const drained = async () => {
      while ((await waiting()) > 0) await sleep(100);
    };

    // Warm-up (JIT, pools, caches): 100 items per process over two seconds, then an idle moment.
    await Promise.all(
      apis.map((api) => sendPaced({ url: api.address, rate: 50, seconds: 2, next: postal, onAnswer })),
    );
    await drained();
    await sleep(1000);

    let peakBacklog = 0;
    let sampling = true;
    const sampler = (async () => {
      while (sampling) {
        peakBacklog = Math.max(peakBacklog, await waiting().catch(() => 0));
        await sleep(500);
      }
    })();
    const pids = { api: apis.map((api) => api.child.pid!), worker: workers.map((worker) => worker.pid!) };
    const cpuOf = (list: number[]) => list.reduce((sum, pid) => sum + processCpuSeconds(pid), 0);
    // PostgreSQL's backends serving this database (the pools keep them open under load), read on this
    // machine's /proc: a backend that closed during the run is not counted, one opened is counted whole.
    const backendCpu = async () => {
      const { rows } = await sql<{ pid: number }>`
        select pid from pg_stat_activity where datname = current_database() and pid <> pg_backend_pid()`.execute(
        clearway.database.db,
      );
      return new Map(rows.map((row) => [row.pid, processCpuSeconds(row.pid)]));
    };
    const cpuTimes = options.planTimes && (await resetPlanTimes(clearway));
    const cpuBefore = { api: cpuOf(pids.api), worker: cpuOf(pids.worker), postgres: await backendCpu() };
    const clientCpuBefore = process.cpuUsage();
    const machineBefore = { busy: machineBusySeconds(), at: performance.now() };
    const loadBefore = loadavg()[0]!;

    const runPhase = async (
      label: string,
      rate: number,
      seconds: number,
      maxInFlight?: number,
    ): Promise<Phase> => {
      const startedAt = new Date();
      // Each item is sent when it is due (bench/support/paced-requests.ts): however slow the answers in
      // the sustained phase (an open load), at most `maxInFlight` unanswered per api process in the burst.
      const [intake, health] = await Promise.all([
        Promise.all(
          apis.map((api) =>
            sendPaced({
              url: api.address,
              rate: rate / options.api,
              seconds,
              next: postal,
              onAnswer,
              maxInFlight,
            }),
          ),
        ),
        Promise.all(
          apis.map((api) =>
            sendPaced({
              url: api.address,
              rate: Math.max(1, rate / 10 / options.api),
              seconds,
              next: () => ({ method: 'GET', path: '/health' }),
            }),
          ),
        ),
      ]);
      return { label, rate, seconds, startedAt, endedAt: new Date(), intake, health };
    };
    const sustained = await runPhase('sustained', options.rate, options.duration);
    // Carriers' clients with 50 connections each: the burst is offered at its rate and taken as fast as
    // the servers answer, the rest skipped (2,000/s is several times what two cores answer).
    const burst = await runPhase('burst', options.burstRate, options.burstDuration, 50);
    const drainStarted = Date.now();
    await drained();
    const drainSeconds = (Date.now() - drainStarted) / 1000;
    // Requests in flight when the burst ended are still answered, and commit after the outbox was first
    // seen empty: wait for every stored parcel to be decided and assessed (a minute at most), so that a
    // late commit is not counted as lost.
    for (const deadline = Date.now() + 60_000; Date.now() < deadline; await sleep(500)) {
      await drained();
      const counts = await tallyParcels(clearway.database);
      if (counts.states === counts.parcels && counts.assessed === counts.parcels) break;
    }
    sampling = false;
    await sampler;
    const postgresAfter = await backendCpu();
    const clientCpu = process.cpuUsage(clientCpuBefore);
    const machine = {
      busy: machineBusySeconds() - machineBefore.busy,
      seconds: (performance.now() - machineBefore.at) / 1000,
    };
    const cpu = {
      client: (clientCpu.user + clientCpu.system) / 1e6,
      api: cpuOf(pids.api) - cpuBefore.api,
      worker: cpuOf(pids.worker) - cpuBefore.worker,
      postgres: [...postgresAfter].reduce(
        (sum, [pid, seconds]) => sum + seconds - (cpuBefore.postgres.get(pid) ?? 0),
        0,
      ),
    };
    const loadAfter = loadavg()[0]!;
    const counts = await tallyParcels(clearway.database);

    const decisionMs = async (phase: Phase) =>
      (
        await sql<{ ms: number }>`
          select decided_in_ms::float8 as ms from targeting_decision
          where trigger = 'intake' and received_at >= ${phase.startedAt} and received_at <= ${phase.endedAt}
          order by 1`.execute(clearway.database.db)
      ).rows.map((row) => row.ms);
    const sum = (results: PacedResult[], of: (result: PacedResult) => number) =>
      results.reduce((total, result) => total + of(result), 0);
    // Answers per second from the phase's start to its last answer: below the asked rate when the
    // servers fall behind, as the answers of an open-loop load then come late.
    const reached = (phase: Phase) =>
      sum(phase.intake, (result) => result.ok + result.non2xx) /
      (Math.max(...phase.intake.map((result) => result.elapsedMs)) / 1000);
    // Every api process gets the same rate: the phase's latencies are theirs together.
    const latencies = (results: PacedResult[]) =>
      results.flatMap((result) => result.latencies).sort((a, b) => a - b);

    console.log(
      `\nLoad: ${options.api} api + ${options.workers} worker processes (clearway serve), PostgreSQL, Node ${process.version}; ` +
        `load average ${loadBefore.toFixed(1)} before, ${loadAfter.toFixed(1)} after`,
    );
    const header = [
      'phase',
      'asked/s',
      'reached/s',
      'answered',
      'skipped',
      'errors',
      'intake p50',
      'intake p99',
      'health p99',
      'ratio',
      'decided',
      'r->d p50',
      'r->d p99',
    ];
    const rows: string[][] = [];
    let totalErrors = 0;
    const verdicts: string[] = [];
    for (const phase of [sustained, burst]) {
      const answered = sum(phase.intake, (result) => result.ok + result.non2xx);
      const errors =
        sum(phase.intake, (result) => result.non2xx + result.failed) +
        sum(phase.health, (result) => result.non2xx + result.failed);
      totalErrors += errors;
      const intakeLatencies = latencies(phase.intake);
      const intakeP99 = percentileOf(intakeLatencies, 0.99);
      const healthP99 = percentileOf(latencies(phase.health), 0.99);
      const decided = await decisionMs(phase);
      const decisionP99 = percentileOf(decided, 0.99);
      rows.push([
        phase.label,
        String(phase.rate),
        reached(phase).toFixed(0),
        String(answered),
        String(sum(phase.intake, (result) => result.skipped)),
        String(errors),
        `${percentileOf(intakeLatencies, 0.5).toFixed(0)} ms`,
        `${intakeP99.toFixed(0)} ms`,
        `${healthP99.toFixed(0)} ms`,
        `${(intakeP99 / Math.max(healthP99, 1)).toFixed(2)}x`,
        String(decided.length),
        `${percentileOf(decided, 0.5).toFixed(0)} ms`,
        `${decisionP99.toFixed(0)} ms`,
      ]);
      if (phase === sustained)
        verdicts.push(
          `sustained intake p99 < 2x health p99: ${intakeP99 < 2 * healthP99 ? 'met' : 'MISSED'} ` +
            `(${intakeP99.toFixed(0)} vs ${healthP99.toFixed(0)} ms)`,
          `sustained receipt-to-decision p99 < 100 ms: ${decisionP99 < 100 ? 'met' : 'MISSED'} (${decisionP99.toFixed(0)} ms)`,
          `sustained rate reached: ${reached(phase) >= phase.rate * 0.95 ? 'yes' : 'NO'} ` +
            `(${reached(phase).toFixed(0)} of ${phase.rate}/s)`,
        );
    }
    printTable(header, rows);

    const items = counts.parcels || 1;
    console.log(
      `\nbacklog: largest ${peakBacklog} outbox rows; drained ${drainSeconds.toFixed(1)} s after the burst ended`,
    );
    console.log(
      `CPU per item: api processes ${((cpu.api / items) * 1000).toFixed(2)} ms, workers ${((cpu.worker / items) * 1000).toFixed(2)} ms, ` +
        `PostgreSQL ${((cpu.postgres / items) * 1000).toFixed(2)} ms, this client ${((cpu.client / items) * 1000).toFixed(2)} ms ` +
        `(${counts.parcels} items, warm-up included; PostgreSQL: the backends open at the end, this bench's counting included)`,
    );
    // How much of the machine the run took, from /proc/stat, which also counts the backends that closed
    // during the run: whether a latency target is a matter of queueing on too few cores rather than of
    // the work per item.
    console.log(
      `cores: the machine's ${availableParallelism()} cores were busy ${(machine.busy / machine.seconds).toFixed(2)} on average over ` +
        `the ${machine.seconds.toFixed(0)} s of the run (${((machine.busy / items) * 1000).toFixed(2)} ms of CPU per item, warm-up items counted: the servers, PostgreSQL, this client and anything else)`,
    );
    // Items still in flight when a phase ended are stored without their answer being counted: stored
    // parcels lie between those answered 201 and those sent, and every one answered 201 is stored.
    const answeredStored = (
      await sql<{ n: number }>`
        select count(*)::int as n from intake_parcel where tracking_number = any(${answered}::text[])`.execute(
        clearway.database.db,
      )
    ).rows[0]!.n;
    console.log(
      `database counts: ${JSON.stringify(counts)}; items sent ${sent}, answered 201 ${answered.length}, of which stored ${answeredStored}`,
    );
    const whole =
      answeredStored === answered.length &&
      counts.parcels >= answered.length &&
      counts.parcels <= sent &&
      counts.states === counts.parcels &&
      counts.assessed === counts.parcels &&
      counts.assessed_parcels === counts.parcels &&
      counts.arrivals_not_one === 0 &&
      counts.gaps === 0 &&
      counts.doubled === 0;
    verdicts.push(
      `errors: ${totalErrors === 0 ? 'none' : `${totalErrors} (NOT met)`}`,
      `nothing lost or doubled: ${whole ? 'yes' : 'NO'}`,
    );
    for (const verdict of verdicts) console.log(verdict);
    if (!whole) process.exitCode = 1;
    if (options.planTimes) await printPlanTimes(clearway, cpuTimes);
    if (options.statements) {
      // Each process writes its counts as it exits: stop them first.
      await stopChildren();
      const perRole = async (list: number[]) => {
        const counts = new Map<string, number>();
        for (const pid of list) {
          const file = JSON.parse(await readFile(join(statementDir, `${pid}.json`), 'utf8')) as Record<
            string,
            number
          >;
          for (const [text, count] of Object.entries(file)) counts.set(text, (counts.get(text) ?? 0) + count);
        }
        return counts;
      };
      for (const [role, list] of Object.entries(pids)) {
        const counts = await perRole(list);
        const total = [...counts.values()].reduce((sum, count) => sum + count, 0);
        console.log(
          `\nSQL statements, ${role} processes: ${total} = ${((total / items) * 1000).toFixed(0)} per 1,000 items (start-up and warm-up included); the most frequent:`,
        );
        printTable(
          ['per 1,000 items', 'statement'],
          [...counts.entries()]
            .sort((a, b) => b[1] - a[1])
            .slice(0, 20)
            .map(([text, count]) => [((count / items) * 1000).toFixed(0), text]),
        );
      }
    }
    if (options.trace) {
      // Each process writes its stamps as it exits.
      await stopChildren();
      await printDecisionSteps(clearway, traceDir, [...pids.api, ...pids.worker], sustained);
    }
  } finally {
    await stopChildren();
    await clearway.close();
    await postgres.drop();
    await rm(dataDir, { recursive: true, force: true });
  }
}

/**
 * Starts the server's statement times afresh (all databases: the extensions' resets are server-wide);
 * true when pg_stat_kcache (CPU time per statement) is there too.
 */
async function resetPlanTimes(clearway: Clearway): Promise<boolean> {
  const db = clearway.database.db;
  await sql`create extension if not exists pg_stat_statements`.execute(db);
  await sql`select pg_stat_statements_reset()`.execute(db);
  // Creating the extension fails where the server does not preload its library.
  const cpu = await sql`create extension if not exists pg_stat_kcache`.execute(db).then(
    () => true,
    () => false,
  );
  if (cpu) await sql`select pg_stat_kcache_reset()`.execute(db);
  return cpu;
}

/**
 * Planning and execution time of this database's statements since the reset (backend wall time) and,
 * with pg_stat_kcache, the execution's CPU time (user and system, from the backend's getrusage).
 */
async function printPlanTimes(clearway: Clearway, withCpu: boolean): Promise<void> {
  const { rows } = await sql<{
    statement: string;
    calls: number;
    plan_ms: number;
    exec_ms: number;
    cpu_ms: number | null;
  }>`
    with here as (select oid from pg_database where datname = current_database()),
    statements as (
      select queryid, min(left(regexp_replace(query, '[[:space:]]+', ' ', 'g'), 100)) as statement,
        sum(calls)::int as calls, sum(total_plan_time)::float8 as plan_ms, sum(total_exec_time)::float8 as exec_ms
      from pg_stat_statements where dbid = (select oid from here) group by queryid),
    timed as (select s.statement, s.calls, s.plan_ms, s.exec_ms, ${
      withCpu
        ? sql`(select coalesce(sum(k.exec_user_time + k.exec_system_time), 0) * 1000 from pg_stat_kcache() k
            where k.queryid = s.queryid and k.dbid = (select oid from here))::float8`
        : sql`null::float8`
    } as cpu_ms
    from statements s)
    select * from timed order by coalesce(cpu_ms, plan_ms + exec_ms) desc`.execute(clearway.database.db);
  const sum = (key: 'plan_ms' | 'exec_ms' | 'cpu_ms') =>
    rows.reduce((total, row) => total + (row[key] ?? 0), 0) / 1000;
  const statementCpuSeconds = sum('cpu_ms');
  console.log(
    `\nPostgreSQL time after the warm-up (pg_stat_statements, backend wall time): planning ${sum('plan_ms').toFixed(1)} s, execution ${sum('exec_ms').toFixed(1)} s` +
      (withCpu ? `, of which CPU ${statementCpuSeconds.toFixed(1)} s (pg_stat_kcache)` : '') +
      `; the costliest statements${withCpu ? ' by CPU' : ''}:`,
  );
  printTable(
    ['statement', 'calls', 'plan ms/call', 'exec ms/call', ...(withCpu ? ['CPU ms/call', 'CPU share'] : [])],
    rows
      .slice(0, 25)
      .map((row) => [
        row.statement,
        String(row.calls),
        (row.plan_ms / row.calls).toFixed(2),
        (row.exec_ms / row.calls).toFixed(2),
        ...(withCpu
          ? [
              ((row.cpu_ms ?? 0) / row.calls).toFixed(2),
              `${((100 * (row.cpu_ms ?? 0)) / 1000 / statementCpuSeconds).toFixed(1)} %`,
            ]
          : []),
      ]),
  );
}

/**
 * Where the sustained phase's receipt-to-decision time went, parcel by parcel: the api's transaction
 * (receipt, the transaction's `now()`, to its commit), the wait until a worker sends the claim that
 * hands the parcel to targeting (notification, loop, the claim in flight before it), the claim's round
 * trip, and the decision (facts, scoring, write) until `decided_at`.
 */
async function printDecisionSteps(clearway: Clearway, traceDir: string, pids: number[], phase: Phase) {
  const committed = new Map<number, number>();
  const claimed = new Map<number, [number, number]>();
  for (const pid of pids) {
    const trace = JSON.parse(await readFile(join(traceDir, `${pid}.json`), 'utf8')) as {
      commits: [number, number][];
      claims: [number, number, number][];
    };
    for (const [id, at] of trace.commits) committed.set(id, at);
    for (const [id, sent, answered] of trace.claims) claimed.set(id, [sent, answered]);
  }
  const { rows } = await sql<{ id: number; received: number; decided: number }>`
    select parcel_id::int as id, extract(epoch from received_at)::float8 * 1000 as received,
      extract(epoch from decided_at)::float8 * 1000 as decided
    from targeting_decision
    where trigger = 'intake' and received_at >= ${phase.startedAt} and received_at <= ${phase.endedAt}`.execute(
    clearway.database.db,
  );
  const steps: Record<string, number[]> = {
    'receipt -> intake commit (api)': [],
    'commit -> claim sent (wake-up)': [],
    'claim round trip': [],
    'claim answered -> decision written': [],
    'receipt -> decision': [],
  };
  for (const row of rows) {
    const commit = committed.get(row.id);
    const claim = claimed.get(row.id);
    if (commit === undefined || claim === undefined) continue;
    const values = [commit - row.received, claim[0] - commit, claim[1] - claim[0], row.decided - claim[1]];
    values.push(row.decided - row.received);
    Object.values(steps).forEach((list, index) => list.push(values[index]!));
  }
  console.log(`
receipt to decision, step by step (${rows.length} sustained-phase parcels, ms):`);
  printTable(
    ['step', 'p50', 'p90', 'p99'],
    Object.entries(steps).map(([step, list]) => {
      const sorted = list.sort((a, b) => a - b);
      return [step, ...[0.5, 0.9, 0.99].map((share) => percentileOf(sorted, share).toFixed(0))];
    }),
  );
}

await main();
