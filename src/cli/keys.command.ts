import type { Command } from 'commander';
import { roles, systemActor, type Role } from '../platform/auth/actor.js';
import { loadConfig } from '../platform/config/config.js';
import type { Database } from '../platform/db/database.js';
import { openClearwayDatabase } from '../main.js';
import { createIdentityModule, type IdentityModule } from '../modules/identity/index.js';

const keyRoles = roles.filter((role) => role !== 'consumer');

async function withIdentity<T>(
  work: (identity: IdentityModule, database: Database) => Promise<T>,
): Promise<T> {
  const config = loadConfig();
  const database = await openClearwayDatabase(config);
  try {
    return await work(createIdentityModule(database, { config }), database);
  } finally {
    await database.close();
  }
}

/** `3650d`, `12h` or an ISO date. */
function parseExpiry(value: string): Date {
  const relative = /^(\d+)([dh])$/.exec(value);
  const date = relative
    ? new Date(Date.now() + Number(relative[1]) * (relative[2] === 'd' ? 86_400_000 : 3_600_000))
    : new Date(value);
  if (Number.isNaN(date.getTime())) throw new Error(`--expires takes 90d, 12h or an ISO date, not ${value}`);
  return date;
}

/** `clearway keys ...`: API keys for carriers, posts, agencies and officers' scripts. Every change is audited as `cli`. */
export function registerKeysCommands(program: Command): void {
  const keys = program.command('keys').description('create, list, rotate and revoke API keys');
  keys
    .command('create')
    .description('print a new API key; clients send it as "Authorization: Bearer <key>"')
    .requiredOption('--role <role>', `one of ${keyRoles.join(', ')}`)
    .option(
      '--org <organisation>',
      'organisation code for carrier, postal_operator and agency keys (e.g. DHL, KPOST)',
    )
    .option('--label <label>', 'what the key is for')
    .option('--expires <when>', 'expiry: 90d, 12h or an ISO date (default: none)')
    .option(
      '--scopes <scopes>',
      'comma-separated scopes, e.g. postal:write,parcels:read (default: *, all the role allows)',
    )
    .option('--account <accountId>', 'put the key on an existing account holding the role')
    .action(
      async (options: {
        role: string;
        org?: string;
        label?: string;
        expires?: string;
        scopes?: string;
        account?: string;
      }) => {
        if (!(keyRoles as readonly string[]).includes(options.role)) {
          throw new Error(`Unknown role ${options.role}; use one of ${keyRoles.join(', ')}`);
        }
        const created = await withIdentity(({ service }) =>
          service.createApiKey(options.role as Role, {
            organisation: options.org,
            label: options.label,
            expiresAt: options.expires ? parseExpiry(options.expires) : undefined,
            scopes: options.scopes
              ?.split(',')
              .map((scope) => scope.trim())
              .filter(Boolean),
            accountId: options.account,
            createdBy: 'cli',
          }),
        );
        process.stdout.write(`${created.token}\n`);
        process.stderr.write(
          `key ${created.keyId} for account ${created.accountId} (scopes ${created.scopes.join(',')}${created.expiresAt ? `, expires ${created.expiresAt}` : ''}); store it now, it is not shown again\n`,
        );
      },
    );
  keys
    .command('list')
    .description('list API keys (never their secrets) as JSON lines')
    .option('--account <accountId>', 'only the keys of one account')
    .action(async (options: { account?: string }) => {
      const list = await withIdentity(({ service }) =>
        service.listApiKeys(systemActor, { accountId: options.account }),
      );
      for (const key of list) process.stdout.write(`${JSON.stringify(key)}\n`);
    });
  keys
    .command('revoke <keyId>')
    .description('revoke an API key by its id, at once')
    .action(async (keyId: string) => {
      await withIdentity(({ service }) => service.revokeKey('cli', keyId));
      process.stderr.write(`key ${keyId} revoked\n`);
    });
  keys
    .command('rotate <keyId>')
    .description(
      'print a new key for the same account and scopes; the old one stops working at once or after --grace minutes',
    )
    .option(
      '--grace <minutes>',
      'minutes the old key keeps working',
      (value) => Number.parseInt(value, 10),
      0,
    )
    .action(async (keyId: string, options: { grace: number }) => {
      const rotated = await withIdentity(({ service }) =>
        service.rotateKey('cli', keyId, { graceMinutes: options.grace }),
      );
      process.stdout.write(`${rotated.token}\n`);
      process.stderr.write(
        `key ${rotated.keyId} replaces ${keyId}, which works until ${rotated.previousKeyValidUntil}; store the new key now\n`,
      );
    });
}
