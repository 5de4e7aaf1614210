import type { Command } from 'commander';
import { loadConfig } from '../platform/config/config.js';
import { createClearway, type Clearway } from '../main.js';
import { loadDemoData } from '../modules/intake/index.js';

/** `clearway serve`: the HTTP server (API, OpenAPI docs and console). */
export function registerServeCommand(program: Command): void {
  program
    .command('serve')
    .description('start the HTTP server (embedded database unless DATABASE_URL is set)')
    .option('--demo', 'on an empty database, load demo data and create a demo administrator')
    .action(async (options: { demo?: boolean }) => {
      const config = loadConfig();
      const clearway = await createClearway(config);
      if (options.demo) await loadDemoOnFirstStart(clearway);
      await clearway.events.start();
      clearway.jobs.start();
      clearway.clearance.webhooks.start(5_000, (error) => clearway.http.log.warn({ err: error }, 'webhook delivery round failed'));
      const address = await clearway.http.listen({ host: config.HOST, port: config.PORT });
      clearway.http.log.info({ address, database: clearway.database.engine }, 'Clearway is listening');
      if (options.demo) await announceDemoAdministrator(clearway, address);
      const stop = async () => {
        await clearway.close();
        process.exit(0);
      };
      process.once('SIGINT', stop);
      process.once('SIGTERM', stop);
    });
}

/** `--demo` on an empty embedded database: a week of generated parcels, orders and payments, imported as files would be. */
async function loadDemoOnFirstStart(clearway: Clearway): Promise<void> {
  if (clearway.config.NODE_ENV === 'production' || clearway.database.engine !== 'embedded') return;
  let lastLine = 0;
  const result = await loadDemoData(clearway, {
    onProgress: (channel, progress) => {
      if (Date.now() - lastLine < 2000) return;
      lastLine = Date.now();
      process.stderr.write(`loading demo data: ${channel} ${progress.records} records (${Math.round((100 * progress.bytesRead) / Math.max(1, progress.totalBytes))} %)\n`);
    },
  });
  if (result.loaded) {
    const parcels = (result.summaries.postal?.accepted ?? 0) + (result.summaries.express?.accepted ?? 0);
    process.stderr.write(`demo data loaded: ${parcels} parcels with their orders and payments (files in ${result.directory})\n`);
  }
}

/**
 * `--demo` on the embedded database outside production: a demo administrator with a fresh random
 * password at every start, printed on the terminal (not in the log).
 */
async function announceDemoAdministrator(clearway: Clearway, address: string): Promise<void> {
  if (clearway.config.NODE_ENV === 'production' || clearway.database.engine !== 'embedded') {
    process.stderr.write('--demo: no demo administrator on a PostgreSQL server or in production; create accounts with `clearway keys create --role administrator` and POST /api/v1/admin/accounts\n');
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
