import type { Command } from 'commander';
import { systemActor } from '../platform/auth/actor.js';
import { loadConfig } from '../platform/config/config.js';
import { openClearwayDatabase } from '../main.js';
import { createIdentityModule } from '../modules/identity/index.js';

/** `clearway audit ...`: check and read the hash-chained audit trail. */
export function registerAuditCommands(program: Command): void {
  const audit = program.command('audit').description('verify and read the tamper-evident audit trail');
  audit
    .command('verify')
    .description('recompute the hash chain; exit code 1 when an entry was changed, removed or reordered')
    .option(
      '--anchor <seq:hash>',
      'also check that entry <seq> still has <hash> (a head printed earlier and kept elsewhere)',
    )
    .action(async (options: { anchor?: string }) => {
      const config = loadConfig();
      const database = await openClearwayDatabase(config);
      try {
        const { audit: trail } = createIdentityModule(database, { config });
        const result = await trail.verify(systemActor);
        if (!result.ok) {
          process.stdout.write(
            `audit trail BROKEN at entry ${result.problem!.seq}: ${result.problem!.message} (${result.entries} entries before it are intact)\n`,
          );
          process.exitCode = 1;
          return;
        }
        if (options.anchor) {
          const match = /^(\d+):([0-9a-f]{64})$/.exec(options.anchor);
          if (!match) throw new Error('--anchor takes <seq>:<64 hex digits>');
          const entry = await trail.entryAt(Number(match[1]));
          if (!entry || entry.hash !== match[2]) {
            process.stdout.write(
              `audit trail BROKEN: entry ${match[1]} ${entry ? 'has another hash than the anchor' : 'is missing'} (entries were removed or rewritten)\n`,
            );
            process.exitCode = 1;
            return;
          }
        }
        const head = result.head ? `head ${result.head.seq}:${result.head.hash}` : 'empty';
        process.stdout.write(`audit trail intact: ${result.entries} entries, ${head}\n`);
      } finally {
        await database.close();
      }
    });
  audit
    .command('list')
    .description('print entries, newest first, as JSON lines')
    .option('--limit <n>', 'how many', (value) => Number.parseInt(value, 10), 50)
    .option('--action <action>', 'only this action, e.g. identity.login')
    .option('--subject <subject>', 'only this subject, e.g. parcel:42')
    .action(async (options: { limit: number; action?: string; subject?: string }) => {
      const config = loadConfig();
      const database = await openClearwayDatabase(config);
      try {
        const entries = await createIdentityModule(database, { config }).audit.list(systemActor, options);
        for (const entry of entries) process.stdout.write(`${JSON.stringify(entry)}\n`);
      } finally {
        await database.close();
      }
    });
}
