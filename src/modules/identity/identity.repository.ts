import type { Insertable, Kysely, Selectable, Updateable } from 'kysely';
import type { Database } from '../../platform/db/database.js';
import type { IdentityTables } from './identity.tables.js';

export type AccountRow = Selectable<IdentityTables['identity_account']>;
export type ApiKeyRow = Selectable<IdentityTables['identity_api_key']>;
export type SessionRow = Selectable<IdentityTables['identity_session']>;
export type OneTimeCodeRow = Selectable<IdentityTables['identity_one_time_code']>;
type KeyWithAccountRow = NonNullable<Awaited<ReturnType<IdentityRepository['readKeyWithAccount']>>>;

/** The only code that touches the identity tables (the audit trail has its own: AuditLog). */
export class IdentityRepository {
  private readonly db: Kysely<IdentityTables>;
  /**
   * Keys read lately with their account, by key id: a busy key (a post sending hundreds of items a
   * second) costs no query per request. Every write here that could change what a request may do
   * empties it, so a change made in this process applies at once; one made by another process applies
   * within `keyCacheMs` (API_KEY_CACHE_SECONDS). Only existing keys are kept, so it holds at most them all.
   */
  private readonly keyCache = new Map<string, { row: KeyWithAccountRow; until: number }>();

  constructor(
    database: Database,
    private readonly keyCacheMs = 0,
  ) {
    this.db = database.db.withTables<IdentityTables>() as unknown as Kysely<IdentityTables>;
  }

  // Accounts

  findAccount(id: string): Promise<AccountRow | undefined> {
    return this.db.selectFrom('identity_account').selectAll().where('id', '=', id).executeTakeFirst();
  }

  findAccountByEmail(email: string): Promise<AccountRow | undefined> {
    return this.db
      .selectFrom('identity_account')
      .selectAll()
      .where((eb) => eb(eb.fn('lower', ['email']), '=', email.toLowerCase()))
      .executeTakeFirst();
  }

  async insertAccount(
    row: Insertable<IdentityTables['identity_account']>,
    ignoreExisting = false,
  ): Promise<void> {
    let insert = this.db.insertInto('identity_account').values(row);
    if (ignoreExisting) insert = insert.onConflict((conflict) => conflict.column('id').doNothing());
    await insert.execute();
    this.keyCache.clear();
  }

  async updateAccount(id: string, patch: Updateable<IdentityTables['identity_account']>): Promise<void> {
    await this.db.updateTable('identity_account').set(patch).where('id', '=', id).execute();
    this.keyCache.clear();
  }

  /** Counts a failed sign-in and locks the account for `lockFor` after `maxFailures` in a row. */
  /** Counts a failed sign-in of an account, to tell its officer at the next sign-in (nothing is locked). */
  async countFailedLogin(id: string): Promise<void> {
    await this.db
      .updateTable('identity_account')
      .set((eb) => ({ failed_logins: eb('failed_logins', '+', 1) }))
      .where('id', '=', id)
      .execute();
  }

  /** The latest of the times before which the throttles with these keys refuse a sign-in. */
  async signInRetryAfter(keys: readonly string[]): Promise<Date | undefined> {
    const row = await this.db
      .selectFrom('identity_sign_in_throttle')
      .select((eb) => eb.fn.max('retry_after').as('retry_after'))
      .where('key_sha256', 'in', keys)
      .executeTakeFirst();
    return row?.retry_after ?? undefined;
  }

  /**
   * One more failure under a throttle key (counting again from one after a quiet day); the new count is
   * turned into the time before which the next attempt is refused.
   */
  async recordSignInFailure(key: string, now: Date, delayMs: (failures: number) => number): Promise<number> {
    const quietSince = new Date(now.getTime() - 24 * 3_600_000);
    const { failures } = await this.db
      .insertInto('identity_sign_in_throttle')
      .values({ key_sha256: key, failures: 1, last_failure_at: now, retry_after: now })
      .onConflict((conflict) =>
        conflict.column('key_sha256').doUpdateSet((eb) => ({
          failures: eb
            .case()
            .when('identity_sign_in_throttle.last_failure_at', '<', quietSince)
            .then(1)
            .else(eb('identity_sign_in_throttle.failures', '+', 1))
            .end(),
          last_failure_at: now,
        })),
      )
      .returning('failures')
      .executeTakeFirstOrThrow();
    await this.db
      .updateTable('identity_sign_in_throttle')
      .set({ retry_after: new Date(now.getTime() + delayMs(failures)) })
      .where('key_sha256', '=', key)
      .execute();
    return failures;
  }

  async clearSignInThrottles(keys: readonly string[]): Promise<void> {
    await this.db.deleteFrom('identity_sign_in_throttle').where('key_sha256', 'in', keys).execute();
  }

  listAccounts(filter: { kind?: AccountRow['kind']; limit: number; offset: number }): Promise<AccountRow[]> {
    let select = this.db
      .selectFrom('identity_account')
      .selectAll()
      .orderBy('created_at', 'asc')
      .orderBy('id', 'asc')
      .limit(filter.limit)
      .offset(filter.offset);
    if (filter.kind) select = select.where('kind', '=', filter.kind);
    return select.execute();
  }

  // API keys

  async insertKey(row: Insertable<IdentityTables['identity_api_key']>): Promise<void> {
    await this.db.insertInto('identity_api_key').values(row).execute();
  }

  findKey(id: string): Promise<ApiKeyRow | undefined> {
    return this.db.selectFrom('identity_api_key').selectAll().where('id', '=', id).executeTakeFirst();
  }

  async findKeyWithAccount(id: string): Promise<KeyWithAccountRow | undefined> {
    const now = Date.now();
    const cached = this.keyCache.get(id);
    if (cached && cached.until > now) return cached.row;
    const row = await this.readKeyWithAccount(id);
    if (row && this.keyCacheMs > 0) this.keyCache.set(id, { row, until: now + this.keyCacheMs });
    else this.keyCache.delete(id);
    return row;
  }

  private readKeyWithAccount(id: string) {
    return this.db
      .selectFrom('identity_api_key as k')
      .innerJoin('identity_account as a', 'a.id', 'k.account_id')
      .select([
        'k.id as key_id',
        'k.secret_sha256',
        'k.revoked_at',
        'k.expires_at',
        'k.scopes',
        'k.last_used_at',
      ])
      .select([
        'a.id',
        'a.kind',
        'a.display_name',
        'a.roles',
        'a.organisation',
        'a.email',
        'a.disabled_at',
        'a.language',
      ])
      .where('k.id', '=', id)
      .executeTakeFirst();
  }

  listKeys(accountId?: string): Promise<ApiKeyRow[]> {
    let select = this.db.selectFrom('identity_api_key').selectAll().orderBy('created_at', 'desc').limit(1000);
    if (accountId) select = select.where('account_id', '=', accountId);
    return select.execute();
  }

  async updateKey(id: string, patch: Updateable<IdentityTables['identity_api_key']>): Promise<void> {
    await this.db.updateTable('identity_api_key').set(patch).where('id', '=', id).execute();
    this.keyCache.clear();
  }

  /** Records use at most every few minutes, so that busy keys do not write on every request. */
  async touchKey(id: string, now: Date): Promise<void> {
    const stale = new Date(now.getTime() - 5 * 60_000);
    await this.db
      .updateTable('identity_api_key')
      .set({ last_used_at: now })
      .where('id', '=', id)
      .where((eb) => eb.or([eb('last_used_at', 'is', null), eb('last_used_at', '<', stale)]))
      .execute();
    // The kept copy too, or every request would touch the key again until the copy is read anew.
    const cached = this.keyCache.get(id);
    if (cached) cached.row = { ...cached.row, last_used_at: now };
  }

  async revokeKeysOfAccount(accountId: string, now: Date): Promise<void> {
    await this.db
      .updateTable('identity_api_key')
      .set({ revoked_at: now })
      .where('account_id', '=', accountId)
      .where('revoked_at', 'is', null)
      .execute();
    this.keyCache.clear();
  }

  // Sessions

  async insertSession(row: Insertable<IdentityTables['identity_session']>): Promise<void> {
    await this.db.insertInto('identity_session').values(row).execute();
  }

  findSessionWithAccount(tokenSha256: string) {
    return this.db
      .selectFrom('identity_session as s')
      .innerJoin('identity_account as a', 'a.id', 's.account_id')
      .select(['s.id as session_id', 's.expires_at', 's.last_seen_at', 's.revoked_at'])
      .select([
        'a.id',
        'a.kind',
        'a.display_name',
        'a.roles',
        'a.organisation',
        'a.email',
        'a.disabled_at',
        'a.email_verified_at',
        'a.language',
      ])
      .where('s.token_sha256', '=', tokenSha256)
      .executeTakeFirst();
  }

  async touchSession(id: string, now: Date): Promise<void> {
    await this.db.updateTable('identity_session').set({ last_seen_at: now }).where('id', '=', id).execute();
  }

  async revokeSession(id: string, now: Date): Promise<void> {
    await this.db
      .updateTable('identity_session')
      .set({ revoked_at: now })
      .where('id', '=', id)
      .where('revoked_at', 'is', null)
      .execute();
  }

  async revokeSessionsOfAccount(accountId: string, now: Date, exceptSessionId?: string): Promise<void> {
    let update = this.db
      .updateTable('identity_session')
      .set({ revoked_at: now })
      .where('account_id', '=', accountId)
      .where('revoked_at', 'is', null);
    if (exceptSessionId) update = update.where('id', '!=', exceptSessionId);
    await update.execute();
  }

  // One-time codes

  async insertCode(row: Insertable<IdentityTables['identity_one_time_code']>): Promise<void> {
    await this.db.insertInto('identity_one_time_code').values(row).execute();
  }

  /** The newest unused, unexpired code of an account for a purpose. */
  latestActiveCode(
    accountId: string,
    purpose: OneTimeCodeRow['purpose'],
    now: Date,
  ): Promise<OneTimeCodeRow | undefined> {
    return this.db
      .selectFrom('identity_one_time_code')
      .selectAll()
      .where('account_id', '=', accountId)
      .where('purpose', '=', purpose)
      .where('consumed_at', 'is', null)
      .where('expires_at', '>', now)
      .orderBy('id', 'desc')
      .limit(1)
      .executeTakeFirst();
  }

  async countCodesSince(accountId: string, since: Date): Promise<{ count: number; newest: Date | null }> {
    const row = await this.db
      .selectFrom('identity_one_time_code')
      .select((eb) => [eb.fn.countAll<number>().as('count'), eb.fn.max('created_at').as('newest')])
      .where('account_id', '=', accountId)
      .where('created_at', '>', since)
      .executeTakeFirst();
    return { count: Number(row?.count ?? 0), newest: row?.newest ? new Date(row.newest) : null };
  }

  async countCodeAttempt(id: number): Promise<void> {
    await this.db
      .updateTable('identity_one_time_code')
      .set((eb) => ({ attempts: eb('attempts', '+', 1) }))
      .where('id', '=', id)
      .execute();
  }

  /** Marks the code used; false when another request used it first. */
  async consumeCode(id: number, now: Date): Promise<boolean> {
    const result = await this.db
      .updateTable('identity_one_time_code')
      .set({ consumed_at: now })
      .where('id', '=', id)
      .where('consumed_at', 'is', null)
      .executeTakeFirst();
    return Number(result.numUpdatedRows) === 1;
  }

  /** Retires every unused code of an account for a purpose (a new one was sent). */
  async retireCodes(accountId: string, purpose: OneTimeCodeRow['purpose'], now: Date): Promise<void> {
    await this.db
      .updateTable('identity_one_time_code')
      .set({ consumed_at: now })
      .where('account_id', '=', accountId)
      .where('purpose', '=', purpose)
      .where('consumed_at', 'is', null)
      .execute();
  }
}
