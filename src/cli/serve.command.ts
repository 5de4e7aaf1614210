import cluster from 'node:cluster';
import { resolve } from 'node:path';
import type { Command } from 'commander';
import { loadConfig, type Config } from '../platform/config/config.js';
import { positiveInteger } from './argument-parsers.js';
import { createClearway, type Clearway } from '../main.js';
import { DEMO_PARTNER_ACCOUNTS, ensureDemoPartners, loadFirstStartDemo } from '../demo/index.js';
import { adminSocketPathOf, listenOnAdminSocket } from '../platform/admin-socket/admin-socket.js';
import { databaseCommandsIn } from './database-command.js';
import { allRoles, hasRole } from '../platform/config/roles.js';
import { runExclusively } from '../platform/db/exclusive-work.js';
import { systemActor } from '../platform/auth/actor.js';

/**
 * `clearway serve`: the HTTP server (API, OpenAPI docs and console) and the background work (outbox
 * deliveries to clearance and targeting, jobs, webhooks), as the process's roles say (ROLES, see
 * platform/config/roles.ts; all of them by default). On PostgreSQL any number of processes with any
 * roles share one database: e.g. N with `ROLES=api` behind a load balancer and M with `ROLES=worker`
 * (and `scheduler` on one or more of them). `--http-workers N` is the one-machine shortcut: N forked
 * api processes sharing the port, this one the worker and scheduler.
 */
export function registerServeCommand(program: Command): void {
  program
    .command('serve')
    .description('start the HTTP server (embedded database unless DATABASE_URL is set)')
    .option('--demo', 'on an empty database, load demo data and create a demo administrator')
    .option(
      '--http-workers <n>',
      'processes answering HTTP requests (PostgreSQL only); this one then does the background work',
      positiveInteger,
      1,
    )
    .action(async (options: { demo?: boolean; httpWorkers: number }, command: Command) => {
      const config = loadConfig();
      if (config.ROLES.length < allRoles.length) return serveRoles(config);
      if (options.httpWorkers === 1) return serveAll(config, options.demo ?? false);
      if (!config.DATABASE_URL)
        command.error(
          'error: --http-workers needs a PostgreSQL server (DATABASE_URL): the embedded database lives inside one process',
        );
      return cluster.isPrimary
        ? serveBackground({ ...config, ROLES: ['worker', 'scheduler'] }, options.httpWorkers)
        : serveRoles({ ...config, ROLES: ['api'] });
    });
}

/** One process does everything: the default, and the only way on the embedded database. */
async function serveAll(config: Config, demo: boolean): Promise<void> {
  const clearway = await createClearway(config);
  const adminSocket = await openAdminSocket(clearway);
  const stopScheduler = await startBackground(clearway);
  const address = await clearway.http.listen({ host: config.HOST, port: config.PORT });
  clearway.http.log.info({ url: address, database: clearway.database.engine }, 'Clearway is listening');
  // The first start's data loads while the server already answers, so that signing in is not delayed.
  const firstStart = demo ? loadDemoOnFirstStart(clearway) : Promise.resolve();
  if (demo) await announceDemoAdministrator(clearway, address);
  stopOnSignal(clearway, async () => {
    await firstStart.catch(() => undefined);
    await adminSocket?.close();
    await stopScheduler();
    await clearway.close();
  });
}

/**
 * A process with some of the roles, on PostgreSQL. It always listens on PORT: an api process serves
 * the API and console there, a worker or scheduler only /health, /ready and /metrics (probes, scrapes).
 */
async function serveRoles(config: Config): Promise<void> {
  const clearway = await createClearway(config);
  const stopScheduler = await startBackground(clearway);
  const address = await clearway.http.listen({ host: config.HOST, port: config.PORT });
  clearway.http.log.info(
    { url: address, roles: config.ROLES, pid: process.pid },
    cluster.isPrimary ? 'Clearway is listening' : 'Clearway HTTP worker is listening',
  );
  stopOnSignal(clearway, async () => {
    await stopScheduler();
    await clearway.close();
  });
}

/**
 * On the embedded database (one process only may open it), command-line tools started beside this
 * server (`clearway keys create`, `import`, `demo load`) run their work here, through a socket in the
 * data folder that only this user may open.
 */
async function openAdminSocket(clearway: Clearway) {
  if (clearway.database.engine !== 'embedded') return undefined;
  const path = adminSocketPathOf(resolve(clearway.config.DATA_DIR));
  const socket = await listenOnAdminSocket(path, databaseCommandsIn(clearway));
  if (!socket)
    clearway.http.log.warn(
      { path },
      'DATA_DIR is too deep for a local socket: command-line tools must wait until this server stops',
    );
  return socket;
}

/** The primary of `--http-workers`: background work here, HTTP in the forked workers (restarted if they die). */
async function serveBackground(config: Config, httpWorkers: number): Promise<void> {
  const clearway = await createClearway(config); // migrates the database before any worker starts
  const stopScheduler = await startBackground(clearway);
  let stopping = false;
  cluster.on('exit', (worker, code, signal) => {
    if (stopping) return;
    clearway.http.log.error(
      { pid: worker.process.pid, code, signal },
      'HTTP worker stopped; starting another',
    );
    cluster.fork();
  });
  for (let index = 0; index < httpWorkers; index++) cluster.fork();
  clearway.http.log.info(
    { httpWorkers, host: config.HOST, port: config.PORT },
    'Clearway background process running; HTTP workers starting',
  );
  stopOnSignal(clearway, async () => {
    stopping = true;
    for (const worker of Object.values(cluster.workers ?? {})) worker?.kill('SIGTERM');
    await stopScheduler();
    await clearway.close();
  });
}

/** Renewal reminders are due by the day; an hourly round sends them the day a code enters its last 30. */
const RENEWAL_REMINDER_ROUND_MS = 60 * 60_000;

/** Partitions are made months ahead; an hourly round is ample and cheap (a few catalogue reads). */
const PARTITION_ROUND_MS = 60 * 60_000;

/**
 * A round of work that runs every `everyMs` in one process at a time (`runExclusively`): the other
 * schedulers stand by and take over if it dies. A round still running when the next is due is not doubled.
 */
function exclusiveRound(
  clearway: Clearway,
  name: string,
  everyMs: number,
  work: () => Promise<unknown>,
): () => Promise<void> {
  let round: Promise<unknown> | undefined;
  const timer = setInterval(() => {
    round ??= runExclusively(clearway.database, name, work)
      .catch((error: unknown) => clearway.http.log.warn({ err: error }, `${name} round failed`))
      .finally(() => (round = undefined));
  }, everyMs);
  timer.unref();
  return async () => {
    clearInterval(timer);
    await round;
  };
}

/**
 * Starts what the process's roles do in the background: deliveries and jobs (worker), webhooks, model
 * schedules, PCCC renewal reminders and monthly partitions (scheduler). Returns what stops the scheduler's rounds (the rest
 * stops with `clearway.close`).
 */
async function startBackground(clearway: Clearway): Promise<() => Promise<void>> {
  const roles = clearway.config.ROLES;
  if (hasRole(roles, 'worker')) {
    await clearway.events.start();
    clearway.jobs.start();
  }
  if (hasRole(roles, 'scheduler')) {
    const stopWebhooks = exclusiveRound(clearway, 'scheduler.webhooks', 5_000, () =>
      clearway.clearance.webhooks.deliverDue(),
    );
    const stopReminders = exclusiveRound(
      clearway,
      'scheduler.pccc-renewal-reminders',
      RENEWAL_REMINDER_ROUND_MS,
      () => clearway.portal.protection.sendRenewalReminders(systemActor),
    );
    // Partitions for the months ahead and retention: at start, then hourly (a month is never missed).
    const partitionRound = () =>
      runExclusively(clearway.database, 'scheduler.partitions', () => clearway.partitions.round()).catch(
        (error: unknown) => clearway.http.log.warn({ err: error }, 'scheduler.partitions round failed'),
      );
    await partitionRound();
    const stopPartitions = exclusiveRound(clearway, 'scheduler.partitions', PARTITION_ROUND_MS, () =>
      clearway.partitions.round(),
    );
    // Scheduled model runs (daily, weekly) are queued as jobs when due; claiming skips locked rows, so
    // two schedulers never queue one run twice.
    const schedules = setInterval(
      () =>
        void clearway.analytics.runs
          .runDueSchedules()
          .catch((error: unknown) => clearway.http.log.warn({ err: error }, 'scheduled model runs failed')),
      60_000,
    );
    schedules.unref();
    return async () => {
      clearInterval(schedules);
      await Promise.all([stopWebhooks(), stopReminders(), stopPartitions()]);
    };
  }
  return async () => undefined;
}

/**
 * Graceful shutdown on SIGTERM or SIGINT: /ready turns 503 at once, the HTTP server stops accepting and
 * finishes the requests in flight, the outbox and job loops finish the batch or job they hold, and the
 * process exits; after SHUTDOWN_TIMEOUT_MS it exits anyway (what it held is redelivered elsewhere).
 */
function stopOnSignal(clearway: Clearway, close: () => Promise<void>): void {
  const stop = async () => {
    clearway.beginShutdown();
    const deadline = setTimeout(() => {
      clearway.http.log.error('shutdown took longer than SHUTDOWN_TIMEOUT_MS; exiting with work unfinished');
      process.exit(1);
    }, clearway.config.SHUTDOWN_TIMEOUT_MS);
    deadline.unref();
    await close();
    process.exit(0);
  };
  process.once('SIGINT', stop);
  process.once('SIGTERM', stop);
}

/**
 * `--demo` on an empty embedded database: rates, starter rules, weeks of inspected history, a model
 * trained on it and promoted, then the current week of parcels and their X-ray scans (src/demo/first-start.ts).
 */
async function loadDemoOnFirstStart(clearway: Clearway): Promise<void> {
  if (clearway.config.NODE_ENV === 'production' || clearway.database.engine !== 'embedded') return;
  const started = performance.now();
  const say = (line: string) =>
    process.stderr.write(`demo (${((performance.now() - started) / 1000).toFixed(1)} s): ${line}\n`);
  try {
    const result = await loadFirstStartDemo(clearway, { onStep: say });
    if (result.loaded) {
      const parcels = (result.summaries.postal?.accepted ?? 0) + (result.summaries.express?.accepted ?? 0);
      say(`ready: ${parcels} parcels in the queue, ranked by model version ${result.modelVersion ?? '-'}`);
    }
  } catch (error) {
    clearway.http.log.error({ err: error }, 'the demo data could not be loaded');
    process.stderr.write(`demo data not loaded: ${(error as Error).message}\n`);
  }
}

/**
 * `--demo` on the embedded database outside production: the administrator, created at first start. Its
 * password (ADMIN_PASSWORD, or a random one) is shown once, as a plain banner on standard output, never as
 * a log record: a log is kept and shipped, a terminal is not.
 */
async function announceDemoAdministrator(clearway: Clearway, address: string): Promise<void> {
  if (clearway.config.NODE_ENV === 'production' || clearway.database.engine !== 'embedded') {
    process.stderr.write(
      '--demo: no demo administrator on a PostgreSQL server or in production; create accounts with `clearway keys create --role administrator` and POST /api/v1/admin/accounts\n',
    );
    return;
  }
  const chosen = clearway.config.ADMIN_PASSWORD;
  const { email, created, generatedPassword } =
    await clearway.identity.signIn.ensureDemoAdministrator(chosen);
  // The partner area's demo accounts share the administrator's password, when it is known at this start.
  const partnerPassword = generatedPassword ?? chosen;
  if (partnerPassword !== undefined)
    await ensureDemoPartners(clearway, partnerPassword).catch((error: Error) =>
      process.stderr.write(`--demo: partner accounts not created: ${error.message}\n`),
    );
  const url = new URL(address);
  if (url.hostname === '127.0.0.1' || url.hostname === '[::1]') url.hostname = 'localhost';
  const password = generatedPassword
    ? [`  password: ${generatedPassword}`, '  (shown this once; set ADMIN_PASSWORD to choose another)']
    : chosen !== undefined
      ? ['  password: the one in ADMIN_PASSWORD']
      : ['  password: the one shown at the first start (set ADMIN_PASSWORD to choose a new one)'];
  process.stdout.write(
    [
      '',
      '='.repeat(72),
      `Clearway: sign in at ${url.origin} as the ${created ? 'new ' : ''}administrator`,
      `  e-mail:   ${email}`,
      ...password,
      `  partner area, same password: carrier ${DEMO_PARTNER_ACCOUNTS.carrier}, agency ${DEMO_PARTNER_ACCOUNTS.agency}, seller ${DEMO_PARTNER_ACCOUNTS.seller}`,
      '  API clients: `npx clearway keys create --role administrator`',
      '='.repeat(72),
      '',
    ].join('\n') + '\n',
  );
}
