import { randomBytes } from 'node:crypto';
import {
  deny,
  officerRoles,
  organisationRoles,
  type Actor,
  type OfficerRole,
  type OrganisationRole,
} from '../../platform/auth/actor.js';
import { CommonError } from '../../platform/errors/module-error.js';
import type { Locale } from '../../platform/i18n/locale.js';
import type { Logger } from '../../platform/logging/logger.js';
import { maskPersonalText } from '../../platform/logging/personal-data-mask.js';
import type { MailMessage, MailSender } from '../../platform/mail/mail-sender.js';
import type { AuditLog } from './audit-log.js';
import {
  generatePassword,
  hashPassword,
  needsRehash,
  passwordProblem,
  verifyPassword,
} from './domain/password.js';
import {
  csrfTokenFor,
  newOneTimeCode,
  newSessionToken,
  oneTimeCodeHash,
  sameSecret,
  sha256Hex,
} from './domain/secret-tokens.js';
import { alreadyRegisteredMail, failedSignInsMail, oneTimeCodeMail } from './domain/account-mail-wording.js';
import { backOffDelayMs, PER_ADDRESS_AND_EMAIL, PER_EMAIL } from './domain/sign-in-throttle.js';
import { IdentityError } from './identity.errors.js';
import type { AccountRow, IdentityRepository } from './identity.repository.js';
import type { IdentitySettings } from './identity.settings.js';

const CODE_TTL_MS = 10 * 60_000;
const CODE_MAX_ATTEMPTS = 5;
const CODE_RESEND_AFTER_MS = 60_000;
const CODES_PER_HOUR = 5;
/** Sessions record use at most this often, so that a busy console does not write on every request. */
const SESSION_TOUCH_MS = 60_000;

export const DEMO_ADMINISTRATOR_EMAIL = 'admin@clearway.local';

/**
 * Where a consumer's PCCC comes from: the portal's proof of ownership (a code sent to the contact the
 * PCCC registry holds), given by main.ts. Null while the consumer has proved none.
 */
export type ConsumerPcccSource = (accountId: string) => Promise<string | null>;

export interface StartedSession {
  /** The cookie value; only its SHA-256 is stored. */
  token: string;
  sessionId: string;
  csrfToken: string;
  expiresAt: Date;
  actor: Actor;
  /** For a password sign-in: failures since the officer's previous sign-in, to show them. */
  failedSignInsSinceLastSignIn?: number;
}

/** What the caller of `GET /auth/me` learns about itself. */
export interface Me {
  kind: Actor['kind'];
  accountId: string;
  name: string | null;
  roles: string[];
  organisation: string | null;
  email: string | null;
  pccc: string | null;
  via: 'api_key' | 'session' | null;
  /** The language the holder chose, or null (texts then follow the request's Accept-Language). */
  language: Locale | null;
}

/**
 * Signing in: officers with e-mail and password, consumers with a one-time code sent to a verified
 * address; sessions behind an http-only cookie. Answers never say whether an address has an account.
 */
export class SignInService {
  private dummyHash: Promise<string> | undefined;
  private readonly pendingMail = new Set<Promise<void>>();

  constructor(
    private readonly repository: IdentityRepository,
    private readonly audit: AuditLog,
    private readonly mail: MailSender,
    private readonly settings: IdentitySettings,
    private readonly logger: Logger,
    private readonly consumerPccc: ConsumerPcccSource,
    private readonly clock: () => Date = () => new Date(),
  ) {}

  // Officers

  /**
   * E-mail and password to a session. Failures slow further attempts down (per client address and
   * e-mail, and per e-mail from everywhere; see domain/sign-in-throttle) rather than lock the account,
   * and the officer is told: by mail when the slowing starts, and at the next sign-in by the count of
   * failures since the last one.
   */
  async login(email: string, password: string, clientAddress = 'unknown'): Promise<StartedSession> {
    const throttleKeys = signInThrottleKeys(email, clientAddress);
    const account = await this.repository.findAccountByEmail(email.trim());
    const now = this.clock();
    // Officers, and organisations (carriers, posts, agencies, sellers) with a sign-in address for the partner area.
    const usable = account && account.kind !== 'consumer' && account.password_hash && !account.disabled_at;
    const retryAfter = await this.repository.signInRetryAfter(Object.values(throttleKeys));
    if (retryAfter && retryAfter > now) {
      await this.auditFailedLogin(account, email, 'throttled');
      const seconds = Math.ceil((retryAfter.getTime() - now.getTime()) / 1000);
      throw new IdentityError(
        'too_many_attempts',
        `Too many failed sign-ins: try again in ${seconds} seconds`,
        { retryAfterSeconds: seconds },
      );
    }
    // Always spend the same work, so that timing does not tell which addresses have accounts.
    const matches = await verifyPassword(
      password,
      usable ? account!.password_hash! : await this.dummyPasswordHash(),
    );
    if (!usable || !matches) {
      const [pairFailures, emailFailures] = await Promise.all([
        this.repository.recordSignInFailure(throttleKeys.addressAndEmail, now, (failures) =>
          backOffDelayMs(failures, PER_ADDRESS_AND_EMAIL),
        ),
        this.repository.recordSignInFailure(throttleKeys.email, now, (failures) =>
          backOffDelayMs(failures, PER_EMAIL),
        ),
      ]);
      if (usable) {
        await this.repository.countFailedLogin(account.id);
        if (pairFailures === PER_ADDRESS_AND_EMAIL.freeFailures || emailFailures === PER_EMAIL.freeFailures)
          this.warnOfFailedSignIns(account, account.failed_logins + 1);
      }
      await this.auditFailedLogin(
        account,
        email,
        !account ? 'unknown_email' : !usable ? 'not_an_officer_login' : 'wrong_password',
      );
      throw new IdentityError('invalid_credentials', 'Wrong e-mail address or password');
    }
    await this.repository.clearSignInThrottles(Object.values(throttleKeys));
    const patch: Parameters<IdentityRepository['updateAccount']>[1] = {
      failed_logins: 0,
      locked_until: null,
    };
    if (needsRehash(account.password_hash!, this.settings.passwordHashCost))
      patch.password_hash = await hashPassword(password, this.settings.passwordHashCost);
    await this.repository.updateAccount(account.id, patch);
    const session = await this.startSession(account);
    await this.audit.append({
      actor: session.actor,
      action: 'identity.login',
      subject: `account:${account.id}`,
      details: { method: 'password', failedAttemptsBefore: account.failed_logins },
    });
    return { ...session, failedSignInsSinceLastSignIn: account.failed_logins };
  }

  private async auditFailedLogin(
    account: AccountRow | undefined,
    email: string,
    reason: 'unknown_email' | 'not_an_officer_login' | 'wrong_password' | 'throttled',
  ): Promise<void> {
    await this.audit.append({
      actor: 'anonymous',
      action: 'identity.login_failed',
      subject: account ? `account:${account.id}` : undefined,
      details: { method: 'password', reason, email: maskPersonalText(email.trim().slice(0, 200)) },
    });
  }

  /** Tells the officer that someone is failing to sign in as them, in their language (or all three). */
  private warnOfFailedSignIns(account: AccountRow, failures: number): void {
    this.dispatch({ to: account.email!, ...failedSignInsMail(failures, account.language) });
  }

  async changePassword(actor: Actor, currentPassword: string, newPassword: string): Promise<void> {
    if (actor.kind !== 'officer' && actor.kind !== 'organisation')
      deny(
        actor,
        'identity.change_password',
        undefined,
        'Only officers and organisations that sign in with a password have one',
      );
    const account = await this.repository.findAccount(actor.accountId);
    if (!account?.password_hash)
      deny(
        actor,
        'identity.change_password',
        undefined,
        'This account signs in with an API key, not a password',
      );
    if (!(await verifyPassword(currentPassword, account.password_hash))) {
      throw new IdentityError('invalid_credentials', 'The current password is wrong');
    }
    const problem = passwordProblem(newPassword, account.email ?? undefined);
    if (problem) throw new IdentityError('password_rejected', `The new password ${problem}`);
    const now = this.clock();
    await this.repository.updateAccount(account.id, {
      password_hash: await hashPassword(newPassword, this.settings.passwordHashCost),
      password_changed_at: now,
    });
    // Other sessions of the account end; the one in use stays.
    await this.repository.revokeSessionsOfAccount(
      account.id,
      now,
      actor.credential?.kind === 'session' ? actor.credential.id : undefined,
    );
    await this.audit.append({ actor, action: 'identity.password_changed', subject: `account:${account.id}` });
  }

  /**
   * The administrator of `serve --demo`, created at first start with `chosenPassword` (ADMIN_PASSWORD,
   * for unattended installs) or a random password that is returned to be shown once. Later starts keep
   * its password, unless one is chosen again. Never stored in clear.
   */
  async ensureDemoAdministrator(
    chosenPassword?: string,
  ): Promise<{ email: string; created: boolean; generatedPassword?: string }> {
    const existing = await this.repository.findAccountByEmail(DEMO_ADMINISTRATOR_EMAIL);
    if (existing && chosenPassword === undefined) return { email: DEMO_ADMINISTRATOR_EMAIL, created: false };
    const password = chosenPassword ?? generatePassword();
    const hash = await hashPassword(password, this.settings.passwordHashCost);
    const now = this.clock();
    if (existing) {
      await this.repository.updateAccount(existing.id, {
        password_hash: hash,
        password_changed_at: now,
        failed_logins: 0,
        locked_until: null,
        disabled_at: null,
        roles: ['administrator'],
      });
    } else {
      await this.repository.insertAccount({
        id: 'officer-demo-administrator',
        kind: 'officer',
        display_name: 'Demo administrator',
        roles: ['administrator'],
        email: DEMO_ADMINISTRATOR_EMAIL,
        email_verified_at: now,
        password_hash: hash,
        password_changed_at: now,
        created_by: 'demo',
      });
    }
    await this.audit.append({
      actor: 'system',
      action: 'identity.demo_administrator_reset',
      subject: 'account:officer-demo-administrator',
      details: { passwordFrom: chosenPassword === undefined ? 'generated' : 'ADMIN_PASSWORD' },
    });
    return {
      email: DEMO_ADMINISTRATOR_EMAIL,
      created: !existing,
      ...(chosenPassword === undefined ? { generatedPassword: password } : {}),
    };
  }

  // Sessions

  /** Opens a session for an account that has proved who it is (password or one-time code). */
  async startSession(account: AccountRow): Promise<StartedSession> {
    const now = this.clock();
    const created = newSessionToken();
    const expiresAt = new Date(now.getTime() + this.settings.sessionTtlMs);
    await this.repository.insertSession({
      id: created.id,
      token_sha256: created.tokenSha256,
      account_id: account.id,
      expires_at: expiresAt,
      last_seen_at: now,
    });
    const actor = actorOfAccount(account, created.id, await this.provenPcccOf(account));
    if (!actor) throw new CommonError('forbidden', 'This account cannot sign in');
    return {
      token: created.token,
      sessionId: created.id,
      csrfToken: this.csrfToken(created.token),
      expiresAt,
      actor,
    };
  }

  /**
   * Opens a session for an account by id, for callers that authenticated the person some other way
   * (tests, a future single sign-on). Never reachable from a request without such proof.
   */
  async openSession(accountId: string): Promise<StartedSession> {
    const account = await this.repository.findAccount(accountId);
    if (!account || account.disabled_at)
      throw new IdentityError('account_not_found', `No usable account ${accountId}`);
    return this.startSession(account);
  }

  /** The actor of a session cookie; undefined when the session is unknown, ended, expired or idle too long. */
  async actorForSession(token: string): Promise<Actor | undefined> {
    if (!/^[A-Za-z0-9_-]{43}$/.test(token)) return undefined;
    const row = await this.repository.findSessionWithAccount(sha256Hex(token));
    const now = this.clock();
    if (!row || row.revoked_at || row.disabled_at || row.expires_at <= now) return undefined;
    if (now.getTime() - new Date(row.last_seen_at).getTime() > this.settings.sessionIdleMs) return undefined;
    if (now.getTime() - new Date(row.last_seen_at).getTime() > SESSION_TOUCH_MS)
      await this.repository.touchSession(row.session_id, now);
    const account = {
      id: row.id,
      kind: row.kind,
      display_name: row.display_name,
      roles: row.roles,
      organisation: row.organisation,
      email: row.email,
      email_verified_at: row.email_verified_at,
      language: row.language,
    };
    return actorOfAccount(account, row.session_id, await this.provenPcccOf(account));
  }

  /** A consumer's PCCC comes only from the portal's proof of ownership, asked afresh on every request. */
  private async provenPcccOf(account: Pick<AccountRow, 'id' | 'kind'>): Promise<string | null> {
    return account.kind === 'consumer' ? this.consumerPccc(account.id) : null;
  }

  csrfToken(sessionToken: string): string {
    return csrfTokenFor(sessionToken, this.settings.sessionSecret);
  }

  /** Whether a request's `x-csrf-token` belongs to its session cookie. */
  csrfTokenMatches(sessionToken: string, given: string | undefined): boolean {
    return sameSecret(given, this.csrfToken(sessionToken));
  }

  /** Ends the caller's session (no-op for API keys and anonymous callers). */
  async logout(actor: Actor | undefined): Promise<void> {
    if (!actor || actor.kind === 'system' || actor.credential?.kind !== 'session') return;
    await this.repository.revokeSession(actor.credential.id, this.clock());
    await this.audit.append({ actor, action: 'identity.logout', subject: `account:${actor.accountId}` });
  }

  async me(actor: Actor): Promise<Me> {
    if (actor.kind === 'system')
      return {
        kind: 'system',
        accountId: 'system',
        name: 'system',
        roles: [],
        organisation: null,
        email: null,
        pccc: null,
        via: null,
        language: null,
      };
    const account = await this.repository.findAccount(actor.accountId);
    const common = {
      accountId: actor.accountId,
      email: account?.email ?? null,
      via: actor.credential?.kind ?? null,
      language: account?.language ?? null,
    };
    switch (actor.kind) {
      case 'officer':
        return {
          ...common,
          kind: 'officer',
          name: actor.name,
          roles: [...actor.roles],
          organisation: null,
          pccc: null,
        };
      case 'organisation':
        return {
          ...common,
          kind: 'organisation',
          name: actor.organisation,
          roles: [actor.role],
          organisation: actor.organisation,
          pccc: null,
        };
      case 'consumer':
        return {
          ...common,
          kind: 'consumer',
          name: account?.display_name ?? null,
          roles: ['consumer'],
          organisation: null,
          email: actor.email,
          pccc: actor.pccc,
        };
    }
  }

  /**
   * The account holder's language: server-written texts follow it when a request names no language,
   * and mails to the holder always (a mail has no request). Any signed-in account may set its own.
   */
  async setLanguage(actor: Actor, language: Locale): Promise<Me> {
    if (actor.kind === 'system') deny(actor, 'identity.set_language', 'account:system');
    await this.repository.updateAccount(actor.accountId, { language });
    return this.me({ ...actor, language });
  }

  // Consumers

  /**
   * Registration: an e-mail address, verified with a code. No PCCC is taken here: a code someone types is
   * no proof, so consumers prove theirs through the portal. The answer is the same whatever happens;
   * the mailbox owner learns the rest by mail.
   */
  async registerConsumer(input: { email: string; name: string }, requestLanguage?: Locale): Promise<void> {
    const email = input.email.trim().toLowerCase();
    const existing = await this.repository.findAccountByEmail(email);
    if (existing && (existing.kind !== 'consumer' || existing.disabled_at)) return;
    if (existing?.email_verified_at) {
      this.dispatch({
        to: email,
        ...alreadyRegisteredMail(
          email,
          this.settings.publicUrl,
          existing.language ?? requestLanguage ?? 'en',
        ),
      });
      return;
    }
    let accountId = existing?.id;
    if (existing) {
      await this.repository.updateAccount(existing.id, {
        display_name: input.name.trim(),
        language: existing.language ?? requestLanguage ?? null,
      });
    } else {
      accountId = `consumer-${randomBytes(6).toString('hex')}`;
      await this.repository.insertAccount({
        id: accountId,
        kind: 'consumer',
        display_name: input.name.trim(),
        roles: ['consumer'],
        email,
        created_by: 'self',
        // The language the registration was made in, until the consumer chooses another.
        language: requestLanguage ?? null,
      });
    }
    await this.sendCode(accountId!, email, 'verify_email', existing?.language ?? requestLanguage ?? 'en');
  }

  /** Sends a sign-in code to a verified consumer address (a new verification code to an unverified one); silent otherwise. */
  async requestConsumerCode(emailInput: string, requestLanguage?: Locale): Promise<void> {
    const email = emailInput.trim().toLowerCase();
    const account = await this.repository.findAccountByEmail(email);
    if (!account || account.kind !== 'consumer' || account.disabled_at) return;
    await this.sendCode(
      account.id,
      email,
      account.email_verified_at ? 'sign_in' : 'verify_email',
      account.language ?? requestLanguage ?? 'en',
    );
  }

  /** A code to a session; verifies the address on first use. Wrong, expired and unknown all answer the same. */
  async verifyConsumerCode(emailInput: string, code: string): Promise<StartedSession> {
    const email = emailInput.trim().toLowerCase();
    const account = await this.repository.findAccountByEmail(email);
    const now = this.clock();
    const invalid = () =>
      new IdentityError('invalid_code', 'The code is wrong or has expired; ask for a new one');
    if (!account || account.kind !== 'consumer' || account.disabled_at) throw invalid();
    const purpose = account.email_verified_at ? 'sign_in' : 'verify_email';
    const active = await this.repository.latestActiveCode(account.id, purpose, now);
    if (!active || active.attempts >= CODE_MAX_ATTEMPTS) throw invalid();
    if (
      !sameSecret(oneTimeCodeHash(code.trim(), account.id, this.settings.sessionSecret), active.code_hash)
    ) {
      await this.repository.countCodeAttempt(active.id);
      await this.audit.append({
        actor: 'anonymous',
        action: 'identity.code_failed',
        subject: `account:${account.id}`,
        details: { attempt: active.attempts + 1 },
      });
      throw invalid();
    }
    if (!(await this.repository.consumeCode(active.id, now))) throw invalid();
    if (purpose === 'verify_email')
      await this.repository.updateAccount(account.id, { email_verified_at: now });
    const fresh = (await this.repository.findAccount(account.id))!;
    const session = await this.startSession(fresh);
    await this.audit.append({
      actor: session.actor,
      action: purpose === 'verify_email' ? 'identity.consumer_registered' : 'identity.login',
      subject: `account:${account.id}`,
      details: { method: 'one_time_code' },
    });
    return session;
  }

  /** Waits until the mail dispatched so far has been handed to the provider (tests, shutdown). */
  async mailIdle(): Promise<void> {
    while (this.pendingMail.size > 0) await Promise.allSettled([...this.pendingMail]);
  }

  private async sendCode(
    accountId: string,
    email: string,
    purpose: 'sign_in' | 'verify_email',
    language: Locale,
  ): Promise<void> {
    const now = this.clock();
    const recent = await this.repository.countCodesSince(accountId, new Date(now.getTime() - 3_600_000));
    if (
      recent.count >= CODES_PER_HOUR ||
      (recent.newest && now.getTime() - recent.newest.getTime() < CODE_RESEND_AFTER_MS)
    )
      return;
    await this.repository.retireCodes(accountId, purpose, now);
    const code = newOneTimeCode();
    await this.repository.insertCode({
      account_id: accountId,
      purpose,
      code_hash: oneTimeCodeHash(code, accountId, this.settings.sessionSecret),
      created_at: now,
      expires_at: new Date(now.getTime() + CODE_TTL_MS),
    });
    this.dispatch({ to: email, ...oneTimeCodeMail(code, purpose, language) });
  }

  /**
   * Mail is handed over in the background so that the answer takes as long whether or not an address
   * has an account; failures are logged (masked), never shown to the caller.
   */
  private dispatch(message: MailMessage): void {
    const sending = this.mail
      .send(message)
      .catch((error: Error) =>
        this.logger.error(
          { to: maskPersonalText(message.to), err: maskPersonalText(error.message) },
          'mail could not be sent',
        ),
      )
      .finally(() => this.pendingMail.delete(sending));
    this.pendingMail.add(sending);
  }

  private dummyPasswordHash(): Promise<string> {
    this.dummyHash ??= hashPassword(randomBytes(16).toString('hex'), this.settings.passwordHashCost);
    return this.dummyHash;
  }
}

/**
 * The actor of an account reached through a session; undefined for accounts that cannot hold sessions.
 * `provenPccc` is the consumer's PCCC as the portal's proof of ownership gives it (null before proof).
 */
function actorOfAccount(
  account: Pick<
    AccountRow,
    'id' | 'kind' | 'display_name' | 'roles' | 'organisation' | 'email' | 'email_verified_at' | 'language'
  >,
  sessionId: string,
  provenPccc: string | null,
): Actor | undefined {
  const credential = { kind: 'session' as const, id: sessionId };
  const language = account.language ?? undefined;
  if (account.kind === 'officer') {
    const roles = account.roles.filter((role): role is OfficerRole =>
      (officerRoles as readonly string[]).includes(role),
    );
    return roles.length > 0
      ? { kind: 'officer', accountId: account.id, name: account.display_name, roles, credential, language }
      : undefined;
  }
  if (account.kind === 'organisation') {
    const role = account.roles.find((held): held is OrganisationRole =>
      (organisationRoles as readonly string[]).includes(held),
    );
    return role && account.organisation
      ? {
          kind: 'organisation',
          accountId: account.id,
          role,
          organisation: account.organisation,
          credential,
          language,
        }
      : undefined;
  }
  if (account.kind === 'consumer' && account.email_verified_at && account.email) {
    return {
      kind: 'consumer',
      accountId: account.id,
      pccc: provenPccc,
      email: account.email,
      credential,
      language,
    };
  }
  return undefined;
}

/** Throttle keys of a sign-in: hashes, so that the table holds neither addresses nor e-mails. */
function signInThrottleKeys(
  email: string,
  clientAddress: string,
): { addressAndEmail: string; email: string } {
  const normalised = email.trim().toLowerCase();
  return {
    addressAndEmail: sha256Hex(`address-and-email:${clientAddress}:${normalised}`),
    email: sha256Hex(`email:${normalised}`),
  };
}
