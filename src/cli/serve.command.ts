import type { Command } from 'commander';
import { loadConfig } from '../platform/config/config.js';
import { createClearway } from '../main.js';

/** `clearway serve`: the HTTP server (API, OpenAPI docs and console). */
export function registerServeCommand(program: Command): void {
  program
    .command('serve')
    .description('start the HTTP server (embedded database unless DATABASE_URL is set)')
    .option('--demo', 'on an empty database, load demo data and create a demo administrator')
    .action(async () => {
      const config = loadConfig();
      const clearway = await createClearway(config);
      clearway.jobs.start();
      const address = await clearway.http.listen({ host: config.HOST, port: config.PORT });
      clearway.http.log.info({ address, database: clearway.database.engine }, 'Clearway is listening');
      const stop = async () => {
        await clearway.close();
        process.exit(0);
      };
      process.once('SIGINT', stop);
      process.once('SIGTERM', stop);
    });
}
