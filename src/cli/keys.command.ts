import type { Command } from 'commander';
import { roles, type Role } from '../platform/auth/actor.js';
import { loadConfig } from '../platform/config/config.js';
import { openClearwayDatabase } from '../main.js';
import { createIdentityModule } from '../modules/identity/index.js';

/** `clearway keys ...`: API keys for carriers, posts, agencies and officers' scripts. */
export function registerKeysCommands(program: Command): void {
  const keys = program.command('keys').description('create and revoke API keys');
  keys
    .command('create')
    .description('print a new API key; clients send it as "Authorization: Bearer <key>"')
    .requiredOption('--role <role>', `one of ${roles.filter((role) => role !== 'consumer').join(', ')}`)
    .option('--org <organisation>', 'organisation code for carrier, postal_operator and agency keys (e.g. DHL, KPOST)')
    .option('--label <label>', 'what the key is for')
    .action(async (options: { role: string; org?: string; label?: string }) => {
      if (!(roles as readonly string[]).includes(options.role)) {
        throw new Error(`Unknown role ${options.role}; use one of ${roles.join(', ')}`);
      }
      const database = await openClearwayDatabase(loadConfig());
      try {
        const created = await createIdentityModule(database).service.createApiKey(options.role as Role, { organisation: options.org, label: options.label });
        process.stdout.write(`${created.token}\n`);
        process.stderr.write(`key ${created.keyId} for account ${created.accountId}; store it now, it is not shown again\n`);
      } finally {
        await database.close();
      }
    });
  keys
    .command('revoke <keyId>')
    .description('revoke an API key by its id')
    .action(async (keyId: string) => {
      const database = await openClearwayDatabase(loadConfig());
      try {
        await createIdentityModule(database).service.revokeApiKey(keyId);
      } finally {
        await database.close();
      }
    });
}
