import cluster from 'node:cluster';
import type { Command } from 'commander';
import { loadConfig, type Config } from '../platform/config/config.js';
import { positiveInteger } from './argument-parsers.js';
import { createClearway, type Clearway } from '../main.js';
import { loadDemoData } from '../demo/index.js';

/**
 * `clearway serve`: the HTTP server (API, OpenAPI docs and console) and the background work (outbox
 * deliveries to clearance and targeting, jobs, webhooks). With `--http-workers N` on PostgreSQL, N
 * processes share the port and answer requests while this one does the background work alone: the
 * HTTP side scales with the cores, and parcels are still decided by one process (targeting keeps each
 * office's capacity ledger in memory).
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
      if (options.httpWorkers === 1) return serveAll(config, options.demo ?? false);
      if (!config.DATABASE_URL)
        command.error(
          'error: --http-workers needs a PostgreSQL server (DATABASE_URL): the embedded database lives inside one process',
        );
      return cluster.isPrimary ? serveBackground(config, options.httpWorkers) : serveHttp(config);
    });
}

/** One process does everything: the default, and the only way on the embedded database. */
async function serveAll(config: Config, demo: boolean): Promise<void> {
  const clearway = await createClearway(config);
  if (demo) await loadDemoOnFirstStart(clearway);
  await startBackground(clearway);
  const address = await clearway.http.listen({ host: config.HOST, port: config.PORT });
  clearway.http.log.info({ address, database: clearway.database.engine }, 'Clearway is listening');
  if (demo) await announceDemoAdministrator(clearway, address);
  stopOnSignal(() => clearway.close());
}

/** The primary of `--http-workers`: background work here, HTTP in the forked workers (restarted if they die). */
async function serveBackground(config: Config, httpWorkers: number): Promise<void> {
  const clearway = await createClearway(config); // migrates the database before any worker starts
  await startBackground(clearway);
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
  stopOnSignal(async () => {
    stopping = true;
    for (const worker of Object.values(cluster.workers ?? {})) worker?.kill('SIGTERM');
    await clearway.close();
  });
}

/** A forked HTTP worker: answers requests only; what it stores is delivered by the background process. */
async function serveHttp(config: Config): Promise<void> {
  const clearway = await createClearway(config);
  const address = await clearway.http.listen({ host: config.HOST, port: config.PORT });
  clearway.http.log.info({ address, pid: process.pid }, 'Clearway HTTP worker is listening');
  stopOnSignal(() => clearway.close());
}

async function startBackground(clearway: Clearway): Promise<void> {
  await clearway.events.start();
  clearway.jobs.start();
  clearway.clearance.webhooks.start(5_000, (error) =>
    clearway.http.log.warn({ err: error }, 'webhook delivery round failed'),
  );
}

function stopOnSignal(close: () => Promise<void>): void {
  const stop = async () => {
    await close();
    process.exit(0);
  };
  process.once('SIGINT', stop);
  process.once('SIGTERM', stop);
}

/** `--demo` on an empty embedded database: a week of generated parcels, orders and payments, imported as files would be. */
async function loadDemoOnFirstStart(clearway: Clearway): Promise<void> {
  if (clearway.config.NODE_ENV === 'production' || clearway.database.engine !== 'embedded') return;
  let lastLine = 0;
  const result = await loadDemoData(clearway, {
    onProgress: (channel, progress) => {
      if (Date.now() - lastLine < 2000) return;
      lastLine = Date.now();
      process.stderr.write(
        `loading demo data: ${channel} ${progress.records} records (${Math.round((100 * progress.bytesRead) / Math.max(1, progress.totalBytes))} %)\n`,
      );
    },
  });
  if (result.loaded) {
    const parcels = (result.summaries.postal?.accepted ?? 0) + (result.summaries.express?.accepted ?? 0);
    process.stderr.write(
      `demo data loaded: ${parcels} parcels with their orders and payments (files in ${result.directory})\n`,
    );
  }
}

/**
 * `--demo` on the embedded database outside production: a demo administrator with a fresh random
 * password at every start, printed on the terminal (not in the log).
 */
async function announceDemoAdministrator(clearway: Clearway, address: string): Promise<void> {
  if (clearway.config.NODE_ENV === 'production' || clearway.database.engine !== 'embedded') {
    process.stderr.write(
      '--demo: no demo administrator on a PostgreSQL server or in production; create accounts with `clearway keys create --role administrator` and POST /api/v1/admin/accounts\n',
    );
    return;
  }
  const { email, password } = await clearway.identity.signIn.ensureDemoAdministrator();
  const url = new URL(address);
  if (url.hostname === '127.0.0.1' || url.hostname === '[::1]') url.hostname = 'localhost';
  process.stdout.write(
    [
      '',
      `Clearway demo: sign in at ${url.origin} as the demo administrator`,
      `  e-mail:   ${email}`,
      `  password: ${password}`,
      '(a new password is made at every start; API clients: `npx clearway keys create --role administrator`)',
      '',
    ].join('\n') + '\n',
  );
}
