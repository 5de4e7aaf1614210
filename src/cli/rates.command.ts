import { basename, resolve } from 'node:path';
import type { Command } from 'commander';
import { systemActor } from '../platform/auth/actor.js';
import { loadConfig } from '../platform/config/config.js';
import { createClearway } from '../main.js';
import { ClearanceError, readExchangeRateFile } from '../modules/clearance/index.js';

/** Exit status when the file cannot be read or is not CSV/JSON. */
const EXIT_UNREADABLE = 2;
/** Exit status when rows are invalid (nothing is loaded). */
const EXIT_INVALID = 1;

/**
 * `clearway rates import <file>`: loads the weekly customs exchange rates as the customs service publishes
 * them (CSV with its Korean headers, or our own CSV or JSON; docs/clearance.md), all rows or none, then
 * assesses the parcels that were held waiting for those weeks.
 */
export function registerRatesCommands(program: Command): void {
  const rates = program.command('rates').description('weekly customs exchange rates');
  rates
    .command('import')
    .description('load a weekly exchange-rate table (CSV as published by the customs service, or JSON)')
    .argument('<file>', 'the rate table: .csv or .json')
    .option('--source <name>', 'where the rates come from, kept with each rate (default: the file name)')
    .action(async (file: string, options: { source?: string }) => {
      let rows: Record<string, unknown>[];
      try {
        rows = await readExchangeRateFile(resolve(file));
      } catch (error) {
        process.stderr.write(`clearway rates: cannot read ${file}: ${(error as Error).message}\n`);
        process.exitCode = EXIT_UNREADABLE;
        return;
      }
      const clearway = await createClearway(loadConfig());
      try {
        const result = await clearway.clearance.assessment.loadExchangeRates(
          systemActor,
          rows,
          options.source ?? basename(file),
        );
        process.stdout.write(
          `loaded ${result.loaded} rates for the weeks from ${result.weeks.join(', ')}; ` +
            `${result.parcelsAssessed} parcels held for these rates were assessed\n`,
        );
      } catch (error) {
        if (!(error instanceof ClearanceError)) throw error;
        process.stderr.write(`clearway rates: ${error.message}\n`);
        for (const problem of error.details?.fieldErrors ?? [])
          process.stderr.write(`${file}: row ${problem.line ?? '?'}: ${problem.message}\n`);
        process.exitCode = EXIT_INVALID;
      } finally {
        await clearway.close();
      }
    });
}
