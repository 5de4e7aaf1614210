import { randomUUID } from 'node:crypto';
import type { Kysely } from 'kysely';
import type { Database } from '../../platform/db/database.js';
import { officerRoles, organisationRoles, type Actor, type OfficerRole, type OrganisationRole, type Role } from '../../platform/auth/actor.js';
import { CommonError } from '../../platform/errors/module-error.js';
import { generateApiKey, parseApiKey, sameHash } from './domain/api-key.js';
import type { IdentityTables } from './identity.tables.js';

export interface CreatedKey {
  keyId: string;
  accountId: string;
  /** Shown once; only its hash is stored. */
  token: string;
}

/** Accounts and API keys, and the resolution of credentials into an actor. */
export class IdentityService {
  private readonly db: Kysely<IdentityTables>;

  constructor(database: Database) {
    this.db = database.db.withTables<IdentityTables>() as unknown as Kysely<IdentityTables>;
  }

  /**
   * Creates an API key for a role: officer roles get an officer account, carrier/post/agency roles an
   * account of their organisation (created on first use).
   */
  async createApiKey(role: Role, options: { organisation?: string; label?: string; expiresAt?: Date } = {}): Promise<CreatedKey> {
    let accountId: string;
    if ((officerRoles as readonly string[]).includes(role)) {
      accountId = `officer-key-${randomUUID().slice(0, 8)}`;
      await this.db.insertInto('identity_account').values({ id: accountId, kind: 'officer', display_name: options.label ?? `${role} (API key)`, roles: [role] }).execute();
    } else if ((organisationRoles as readonly string[]).includes(role)) {
      if (!options.organisation) throw new CommonError('invalid_input', `A ${role} key needs --org <organisation code>`);
      const organisation = options.organisation.toUpperCase();
      accountId = `org-${role}-${organisation}`;
      await this.db
        .insertInto('identity_account')
        .values({ id: accountId, kind: 'organisation', display_name: organisation, roles: [role], organisation })
        .onConflict((conflict) => conflict.column('id').doNothing())
        .execute();
    } else {
      throw new CommonError('invalid_input', `Role ${role} cannot hold API keys; consumers sign in with a one-time code`);
    }
    const key = generateApiKey();
    await this.db
      .insertInto('identity_api_key')
      .values({ id: key.id, account_id: accountId, secret_sha256: key.secretSha256, label: options.label ?? null, expires_at: options.expiresAt ?? null, revoked_at: null, last_used_at: null })
      .execute();
    return { keyId: key.id, accountId, token: key.token };
  }

  async revokeApiKey(keyId: string): Promise<void> {
    await this.db.updateTable('identity_api_key').set({ revoked_at: new Date() }).where('id', '=', keyId).execute();
  }

  /** The actor behind a bearer token, or undefined when the key is unknown, revoked or expired. */
  async actorForApiKey(token: string): Promise<Actor | undefined> {
    const parsed = parseApiKey(token);
    if (!parsed) return undefined;
    const row = await this.db
      .selectFrom('identity_api_key as k')
      .innerJoin('identity_account as a', 'a.id', 'k.account_id')
      .select(['k.secret_sha256', 'k.revoked_at', 'k.expires_at', 'a.id', 'a.kind', 'a.display_name', 'a.roles', 'a.organisation', 'a.email', 'a.pccc', 'a.disabled_at'])
      .where('k.id', '=', parsed.id)
      .executeTakeFirst();
    if (!row || !sameHash(row.secret_sha256, parsed.secretSha256)) return undefined;
    const now = new Date();
    if (row.revoked_at || row.disabled_at || (row.expires_at && row.expires_at <= now)) return undefined;
    if (row.kind === 'officer') return { kind: 'officer', accountId: row.id, name: row.display_name, roles: row.roles as OfficerRole[] };
    if (row.kind === 'organisation') return { kind: 'organisation', accountId: row.id, role: row.roles[0] as OrganisationRole, organisation: row.organisation! };
    return { kind: 'consumer', accountId: row.id, pccc: row.pccc!, email: row.email! };
  }
}
