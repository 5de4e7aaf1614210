import type { Command } from 'commander';
import { roles, systemActor, type Role } from '../platform/auth/actor.js';
import { databaseCommand } from './database-command.js';

const keyRoles = roles.filter((role) => role !== 'consumer');

/** `3650d`, `12h` or an ISO date. */
function parseExpiry(value: string): Date {
  const relative = /^(\d+)([dh])$/.exec(value);
  const date = relative
    ? new Date(Date.now() + Number(relative[1]) * (relative[2] === 'd' ? 86_400_000 : 3_600_000))
    : new Date(value);
  if (Number.isNaN(date.getTime())) throw new Error(`--expires takes 90d, 12h or an ISO date, not ${value}`);
  return date;
}

interface CreateKeyOptions {
  role: string;
  org?: string;
  label?: string;
  expires?: string;
  scopes?: string;
  account?: string;
}

/**
 * `clearway keys ...`: API keys for carriers, posts, agencies and officers' scripts. Every change is
 * audited as `cli`. Beside a running server on the embedded database, they run inside it (so the server
 * knows a new key at once).
 */
export function registerKeysCommands(program: Command): void {
  const keys = program.command('keys').description('create, list, rotate and revoke API keys');
  const create = databaseCommand<CreateKeyOptions>('keys create', async (clearway, options, output) => {
    if (!(keyRoles as readonly string[]).includes(options.role)) {
      throw new Error(`unknown role ${options.role}; use one of ${keyRoles.join(', ')}`);
    }
    const created = await clearway.identity.service.createApiKey(options.role as Role, {
      organisation: options.org,
      label: options.label,
      expiresAt: options.expires ? parseExpiry(options.expires) : undefined,
      scopes: options.scopes
        ?.split(',')
        .map((scope) => scope.trim())
        .filter(Boolean),
      accountId: options.account,
      createdBy: 'cli',
    });
    output.stdout(`${created.token}\n`);
    output.stderr(
      `key ${created.keyId} for account ${created.accountId} (scopes ${created.scopes.join(',')}${created.expiresAt ? `, expires ${created.expiresAt}` : ''}); store it now, it is not shown again\n`,
    );
    return 0;
  });
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
    .action((options: CreateKeyOptions) => create({ ...options }));

  const list = databaseCommand<{ account?: string }>('keys list', async (clearway, options, output) => {
    const found = await clearway.identity.service.listApiKeys(systemActor, { accountId: options.account });
    for (const key of found) output.stdout(`${JSON.stringify(key)}\n`);
    return 0;
  });
  keys
    .command('list')
    .description('list API keys (never their secrets) as JSON lines')
    .option('--account <accountId>', 'only the keys of one account')
    .action((options: { account?: string }) => list({ ...options }));

  const revoke = databaseCommand<{ keyId: string }>('keys revoke', async (clearway, { keyId }, output) => {
    await clearway.identity.service.revokeKey('cli', keyId);
    output.stderr(`key ${keyId} revoked\n`);
    return 0;
  });
  keys
    .command('revoke <keyId>')
    .description('revoke an API key by its id, at once')
    .action((keyId: string) => revoke({ keyId }));

  const rotate = databaseCommand<{ keyId: string; grace: number }>(
    'keys rotate',
    async (clearway, { keyId, grace }, output) => {
      const rotated = await clearway.identity.service.rotateKey('cli', keyId, { graceMinutes: grace });
      output.stdout(`${rotated.token}\n`);
      output.stderr(
        `key ${rotated.keyId} replaces ${keyId}, which works until ${rotated.previousKeyValidUntil}; store the new key now\n`,
      );
      return 0;
    },
  );
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
    .action((keyId: string, options: { grace: number }) => rotate({ keyId, grace: options.grace }));
}
