import type { Command } from 'commander';
import { systemActor } from '../platform/auth/actor.js';
import { databaseCommand } from './database-command.js';

interface ListOptions {
  limit: number;
  action?: string;
  subject?: string;
}

/** `clearway audit ...`: check and read the hash-chained audit trail. */
export function registerAuditCommands(program: Command): void {
  const audit = program.command('audit').description('verify and read the tamper-evident audit trail');
  const verify = databaseCommand<{ anchor?: string }>('audit verify', async (clearway, options, output) => {
    const trail = clearway.identity.audit;
    const result = await trail.verify(systemActor);
    if (!result.ok) {
      output.stdout(
        `audit trail BROKEN at entry ${result.problem!.seq}: ${result.problem!.message} (${result.entries} entries before it are intact)\n`,
      );
      return 1;
    }
    if (options.anchor) {
      const match = /^(\d+):([0-9a-f]{64})$/.exec(options.anchor);
      if (!match) throw new Error('--anchor takes <seq>:<64 hex digits>');
      const entry = await trail.entryAt(Number(match[1]));
      if (!entry || entry.hash !== match[2]) {
        output.stdout(
          `audit trail BROKEN: entry ${match[1]} ${entry ? 'has another hash than the anchor' : 'is missing'} (entries were removed or rewritten)\n`,
        );
        return 1;
      }
    }
    const head = result.head ? `head ${result.head.seq}:${result.head.hash}` : 'empty';
    output.stdout(`audit trail intact: ${result.entries} entries, ${head}\n`);
    return 0;
  });
  audit
    .command('verify')
    .description('recompute the hash chain; exit code 1 when an entry was changed, removed or reordered')
    .option(
      '--anchor <seq:hash>',
      'also check that entry <seq> still has <hash> (a head printed earlier and kept elsewhere)',
    )
    .action((options: { anchor?: string }) => verify({ ...options }));

  const list = databaseCommand<ListOptions>('audit list', async (clearway, options, output) => {
    const entries = await clearway.identity.audit.list(systemActor, options);
    for (const entry of entries) output.stdout(`${JSON.stringify(entry)}\n`);
    return 0;
  });
  audit
    .command('list')
    .description('print entries, newest first, as JSON lines')
    .option('--limit <n>', 'how many', (value) => Number.parseInt(value, 10), 50)
    .option('--action <action>', 'only this action, e.g. identity.login')
    .option('--subject <subject>', 'only this subject, e.g. parcel:42')
    .action((options: ListOptions) => list({ ...options }));
}
