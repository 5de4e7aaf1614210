import { randomBytes } from 'node:crypto';
import {
  assertAdministrator,
  describeActor,
  officerRoles,
  organisationRoles,
  type Actor,
  type OfficerRole,
  type OrganisationRole,
  type Role,
} from '../../platform/auth/actor.js';
import type { Locale } from '../../platform/i18n/locale.js';
import { CommonError } from '../../platform/errors/module-error.js';
import type { AuditLog } from './audit-log.js';
import { generateApiKey, parseApiKey, sameHash } from './domain/api-key.js';
import { invalidScopes } from './domain/key-scopes.js';
import { generatePassword, hashPassword, passwordProblem } from './domain/password.js';
import { IdentityError } from './identity.errors.js';
import type { IdentityRepository } from './identity.repository.js';
import type { IdentitySettings } from './identity.settings.js';
import { toAccountView, toApiKeyView, type AccountView, type ApiKeyView } from './identity.views.js';

export interface CreatedKey {
  keyId: string;
  accountId: string;
  /** Shown once; only its hash is stored. */
  token: string;
  scopes: string[];
  expiresAt: string | null;
}

export interface ApiKeyOptions {
  organisation?: string;
  label?: string;
  expiresAt?: Date;
  /** Narrow the key (see domain/key-scopes.ts); default `*`, all that the role allows. */
  scopes?: string[];
  /** Put the key on an existing account (an officer's own scripts) instead of a new or organisation account. */
  accountId?: string;
  /** Who asked for it, for the audit trail; `cli` when absent. */
  createdBy?: Actor | string;
}

export type NewAccountInput =
  | { kind: 'officer'; email: string; name: string; roles: OfficerRole[]; password?: string }
  | {
      kind: 'organisation';
      role: OrganisationRole;
      organisation: string;
      name?: string;
      /** The organisation's sign-in address for the partner area; with it, a password (given or generated). */
      email?: string;
      password?: string;
    };

/** How often a key's last use is written (the repository applies the same interval, so concurrent requests write once). */
const KEY_USE_RECORD_INTERVAL_MS = 5 * 60_000;
const ORGANISATION_CODE = /^[A-Z0-9][A-Z0-9_-]{1,31}$/;

const isOfficerRole = (role: string): role is OfficerRole =>
  (officerRoles as readonly string[]).includes(role);
const isOrganisationRole = (role: string): role is OrganisationRole =>
  (organisationRoles as readonly string[]).includes(role);

/**
 * Accounts and API keys, and the resolution of API keys into an actor. Administrator use cases take the
 * actor first and check it here, not in the routes; every change is written to the audit trail.
 */
export class IdentityService {
  constructor(
    private readonly repository: IdentityRepository,
    private readonly audit: AuditLog,
    private readonly settings: IdentitySettings,
    private readonly clock: () => Date = () => new Date(),
  ) {}

  /**
   * Creates an API key for a role: officer roles get an officer account, carrier/post/agency roles an
   * account of their organisation (created on first use). This is the trusted path (command line,
   * tests); `issueApiKey` is the administrator's.
   */
  async createApiKey(role: Role, options: ApiKeyOptions = {}): Promise<CreatedKey> {
    const scopes = options.scopes && options.scopes.length > 0 ? [...new Set(options.scopes)] : ['*'];
    const bad = invalidScopes(scopes);
    if (bad.length > 0)
      throw new CommonError(
        'invalid_input',
        `Unknown scope ${bad.join(', ')}: use *, <area>:read or <area>:write`,
      );
    if (options.expiresAt && options.expiresAt <= this.clock())
      throw new CommonError('invalid_input', 'The expiry must be in the future');
    let accountId: string;
    if (options.accountId) {
      const account = await this.repository.findAccount(options.accountId);
      if (!account || account.kind === 'consumer' || !account.roles.includes(role)) {
        throw new CommonError('invalid_input', `Account ${options.accountId} does not hold the role ${role}`);
      }
      accountId = account.id;
    } else if (isOfficerRole(role)) {
      accountId = `officer-key-${randomBytes(4).toString('hex')}`;
      await this.repository.insertAccount({
        id: accountId,
        kind: 'officer',
        display_name: options.label ?? `${role} (API key)`,
        roles: [role],
        created_by: describe(options.createdBy),
      });
    } else if (isOrganisationRole(role)) {
      if (!options.organisation)
        throw new CommonError('invalid_input', `A ${role} key needs an organisation code (--org)`);
      const organisation = organisationCode(options.organisation);
      accountId = `org-${role}-${organisation}`;
      await this.repository.insertAccount(
        {
          id: accountId,
          kind: 'organisation',
          display_name: organisation,
          roles: [role],
          organisation,
          created_by: describe(options.createdBy),
        },
        true,
      );
    } else {
      throw new CommonError(
        'invalid_input',
        `Role ${role} cannot hold API keys; consumers sign in with a one-time code`,
      );
    }
    return this.insertKey(
      accountId,
      role,
      { label: options.label ?? null, expiresAt: options.expiresAt ?? null, scopes, rotatedFrom: null },
      options.createdBy,
    );
  }

  private async insertKey(
    accountId: string,
    role: string,
    key: { label: string | null; expiresAt: Date | null; scopes: string[]; rotatedFrom: string | null },
    createdBy: Actor | string | undefined,
  ): Promise<CreatedKey> {
    const generated = generateApiKey();
    await this.repository.insertKey({
      id: generated.id,
      account_id: accountId,
      secret_sha256: generated.secretSha256,
      label: key.label,
      expires_at: key.expiresAt,
      revoked_at: null,
      last_used_at: null,
      scopes: key.scopes,
      rotated_from: key.rotatedFrom,
      created_by: describe(createdBy),
    });
    await this.audit.append({
      actor: createdBy ?? 'cli',
      action: key.rotatedFrom ? 'identity.key_rotated' : 'identity.key_created',
      subject: `api_key:${generated.id}`,
      details: {
        accountId,
        role,
        scopes: key.scopes,
        expiresAt: key.expiresAt?.toISOString() ?? null,
        rotatedFrom: key.rotatedFrom,
      },
    });
    return {
      keyId: generated.id,
      accountId,
      token: generated.token,
      scopes: key.scopes,
      expiresAt: key.expiresAt?.toISOString() ?? null,
    };
  }

  /** An administrator creates a key for a role (and organisation). */
  async issueApiKey(
    actor: Actor,
    input: { role: Role } & Omit<ApiKeyOptions, 'createdBy'>,
  ): Promise<CreatedKey> {
    assertAdministrator(actor);
    return this.createApiKey(input.role, { ...input, createdBy: actor });
  }

  async listApiKeys(actor: Actor, filter: { accountId?: string } = {}): Promise<ApiKeyView[]> {
    assertAdministrator(actor);
    return (await this.repository.listKeys(filter.accountId)).map(toApiKeyView);
  }

  /** Revokes a key at once (idempotent); the command line calls it as the system. */
  async revokeKey(actor: Actor | string, keyId: string): Promise<ApiKeyView> {
    if (typeof actor !== 'string') assertAdministrator(actor);
    const key = await this.repository.findKey(keyId);
    if (!key) throw new IdentityError('key_not_found', `No API key ${keyId}`);
    if (!key.revoked_at) {
      await this.repository.updateKey(keyId, { revoked_at: this.clock() });
      await this.audit.append({
        actor,
        action: 'identity.key_revoked',
        subject: `api_key:${keyId}`,
        details: { accountId: key.account_id },
      });
    }
    return toApiKeyView((await this.repository.findKey(keyId))!);
  }

  /** Kept for the command line: revokes as `cli`. */
  async revokeApiKey(keyId: string): Promise<void> {
    await this.revokeKey('cli', keyId);
  }

  /**
   * Replaces a key with a new one for the same account, label, scopes and expiry. The old key stops
   * working at once, or after `graceMinutes` so that clients can switch without downtime.
   */
  async rotateKey(
    actor: Actor | string,
    keyId: string,
    options: { graceMinutes?: number } = {},
  ): Promise<CreatedKey & { previousKeyValidUntil: string }> {
    if (typeof actor !== 'string') assertAdministrator(actor);
    const key = await this.repository.findKeyWithAccount(keyId);
    const now = this.clock();
    if (!key) throw new IdentityError('key_not_found', `No API key ${keyId}`);
    if (key.revoked_at || (key.expires_at && key.expires_at <= now))
      throw new IdentityError('key_revoked', `API key ${keyId} is revoked or expired; create a new one`);
    if (key.disabled_at)
      throw new IdentityError('key_revoked', `The account of API key ${keyId} is disabled`);
    const graceMs = Math.max(0, Math.min(options.graceMinutes ?? 0, 7 * 24 * 60)) * 60_000;
    const label = (await this.repository.findKey(keyId))?.label ?? null;
    const created = await this.insertKey(
      key.id,
      key.roles[0] ?? 'unknown',
      { label, expiresAt: key.expires_at, scopes: key.scopes, rotatedFrom: keyId },
      actor,
    );
    let previousKeyValidUntil = now;
    if (graceMs > 0) {
      const graceEnd = new Date(now.getTime() + graceMs);
      previousKeyValidUntil = key.expires_at && key.expires_at < graceEnd ? key.expires_at : graceEnd;
      await this.repository.updateKey(keyId, { expires_at: previousKeyValidUntil });
    } else {
      await this.repository.updateKey(keyId, { revoked_at: now });
    }
    return { ...created, previousKeyValidUntil: previousKeyValidUntil.toISOString() };
  }

  /** The actor behind a bearer token, or undefined when the key is unknown, revoked or expired. */
  async actorForApiKey(token: string): Promise<Actor | undefined> {
    const parsed = parseApiKey(token);
    if (!parsed) return undefined;
    const row = await this.repository.findKeyWithAccount(parsed.id);
    if (!row || !sameHash(row.secret_sha256, parsed.secretSha256)) return undefined;
    const now = this.clock();
    if (row.revoked_at || row.disabled_at || (row.expires_at && row.expires_at <= now)) return undefined;
    // Use is recorded at most every few minutes: a busy key then costs one query per request, not two.
    if (!row.last_used_at || now.getTime() - row.last_used_at.getTime() >= KEY_USE_RECORD_INTERVAL_MS)
      await this.repository.touchKey(row.key_id, now);
    const credential = {
      kind: 'api_key' as const,
      id: row.key_id,
      ...(row.scopes.includes('*') ? {} : { scopes: row.scopes }),
    };
    const language = row.language ?? undefined;
    if (row.kind === 'officer')
      return {
        kind: 'officer',
        accountId: row.id,
        name: row.display_name,
        roles: row.roles.filter(isOfficerRole),
        credential,
        language,
      };
    if (row.kind === 'organisation')
      return {
        kind: 'organisation',
        accountId: row.id,
        role: row.roles[0] as OrganisationRole,
        organisation: row.organisation!,
        credential,
        language,
      };
    // Consumers sign in with one-time codes and never hold keys (createApiKey refuses them).
    return undefined;
  }

  // Accounts

  /**
   * Where and how another module may mail an officer about their own work (model requests): the
   * address of an active officer account and the language the officer chose, or null. Never the rest
   * of the account.
   */
  async officerMailRecipient(accountId: string): Promise<{ email: string; language: Locale | null } | null> {
    const row = await this.repository.findAccount(accountId);
    return row && row.kind === 'officer' && !row.disabled_at && row.email
      ? { email: row.email, language: row.language }
      : null;
  }

  async listAccounts(
    actor: Actor,
    filter: { kind?: AccountView['kind']; limit?: number; offset?: number } = {},
  ): Promise<AccountView[]> {
    assertAdministrator(actor);
    const rows = await this.repository.listAccounts({
      kind: filter.kind,
      limit: Math.min(filter.limit ?? 100, 1000),
      offset: filter.offset ?? 0,
    });
    const now = this.clock();
    return rows.map((row) => toAccountView(row, now));
  }

  /**
   * An administrator creates an officer (who signs in with e-mail and password; a random password is
   * generated and returned once when none is given) or an organisation account (which gets keys, and,
   * given an e-mail address, signs in to the partner area with a password in the same way).
   */
  async createAccount(
    actor: Actor,
    input: NewAccountInput,
  ): Promise<{ account: AccountView; temporaryPassword?: string }> {
    assertAdministrator(actor);
    const now = this.clock();
    if (input.kind === 'organisation') {
      const organisation = organisationCode(input.organisation);
      const id = `org-${input.role}-${organisation}`;
      if (await this.repository.findAccount(id))
        throw new CommonError('conflict', `The ${input.role} account of ${organisation} exists already`);
      const signIn =
        input.email === undefined ? undefined : await this.passwordSignIn(input.email, input.password);
      await this.repository.insertAccount({
        id,
        kind: 'organisation',
        display_name: input.name ?? organisation,
        roles: [input.role],
        organisation,
        created_by: describeActor(actor),
        ...(signIn?.columns ?? {}),
      });
      await this.audit.append({
        actor,
        action: 'identity.account_created',
        subject: `account:${id}`,
        details: { kind: 'organisation', role: input.role, organisation, signsIn: signIn !== undefined },
      });
      return {
        account: toAccountView((await this.repository.findAccount(id))!, now),
        ...(signIn?.temporaryPassword ? { temporaryPassword: signIn.temporaryPassword } : {}),
      };
    }
    const roles = [...new Set(input.roles)];
    if (roles.length === 0 || !roles.every(isOfficerRole))
      throw new CommonError('invalid_input', `Officer roles are ${officerRoles.join(', ')}`);
    const signIn = await this.passwordSignIn(input.email, input.password);
    const id = `officer-${randomBytes(6).toString('hex')}`;
    await this.repository.insertAccount({
      id,
      kind: 'officer',
      display_name: input.name.trim(),
      roles,
      created_by: describeActor(actor),
      ...signIn.columns,
    });
    await this.audit.append({
      actor,
      action: 'identity.account_created',
      subject: `account:${id}`,
      details: { kind: 'officer', roles },
    });
    return {
      account: toAccountView((await this.repository.findAccount(id))!, now),
      ...(signIn.temporaryPassword ? { temporaryPassword: signIn.temporaryPassword } : {}),
    };
  }

  /**
   * The columns of an account that signs in with e-mail and password (officers, and organisations in the
   * partner area): the address must be free and the password acceptable; without one, a random password
   * is generated and returned once.
   */
  private async passwordSignIn(emailGiven: string, passwordGiven: string | undefined) {
    const email = emailGiven.trim().toLowerCase();
    if (await this.repository.findAccountByEmail(email))
      throw new IdentityError('email_taken', 'An account with this e-mail address exists already');
    const temporaryPassword = passwordGiven === undefined ? generatePassword() : undefined;
    const password = passwordGiven ?? temporaryPassword!;
    const problem = passwordProblem(password, email);
    if (problem) throw new IdentityError('password_rejected', `The password ${problem}`);
    const now = this.clock();
    return {
      temporaryPassword,
      columns: {
        email,
        email_verified_at: now,
        password_hash: await hashPassword(password, this.settings.passwordHashCost),
        password_changed_at: now,
      },
    };
  }

  /** Disables an account: its keys are revoked and its sessions ended at once. */
  async disableAccount(actor: Actor, accountId: string): Promise<AccountView> {
    assertAdministrator(actor);
    if (actor.kind === 'officer' && actor.accountId === accountId)
      throw new CommonError('conflict', 'You cannot disable your own account');
    const account = await this.repository.findAccount(accountId);
    if (!account) throw new IdentityError('account_not_found', `No account ${accountId}`);
    const now = this.clock();
    if (!account.disabled_at) {
      await this.repository.updateAccount(accountId, { disabled_at: now });
      await this.repository.revokeKeysOfAccount(accountId, now);
      await this.repository.revokeSessionsOfAccount(accountId, now);
      await this.audit.append({
        actor,
        action: 'identity.account_disabled',
        subject: `account:${accountId}`,
      });
    }
    return toAccountView((await this.repository.findAccount(accountId))!, now);
  }
}

function describe(actor: Actor | string | undefined): string | null {
  if (actor === undefined) return null;
  return typeof actor === 'string' ? actor : describeActor(actor);
}

function organisationCode(value: string): string {
  const code = value.trim().toUpperCase();
  if (!ORGANISATION_CODE.test(code))
    throw new CommonError(
      'invalid_input',
      'An organisation code is 2 to 32 letters, digits, - or _ (e.g. DHL, KPOST)',
    );
  return code;
}
