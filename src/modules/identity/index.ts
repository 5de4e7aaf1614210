/**
 * Identity: accounts, roles, API keys, sessions and one-time codes; turns credentials into an actor;
 * keeps the tamper-evident audit trail that every module appends to (`audit.append`).
 */
import type { Config } from '../../platform/config/config.js';
import { loadConfig } from '../../platform/config/config.js';
import type { Database } from '../../platform/db/database.js';
import { createLogger } from '../../platform/logging/logger.js';
import { createMailSender, type MailSender } from '../../platform/mail/mail-sender.js';
import { AuditLog } from './audit-log.js';
import { IdentityAuthenticator } from './identity.authenticator.js';
import { IdentityRepository } from './identity.repository.js';
import { IdentityService } from './identity.service.js';
import { identitySettings } from './identity.settings.js';
import { SignInService, type ConsumerPcccSource } from './sign-in.service.js';
import type { LoggedDenial } from './identity.routes.js';

export { IdentityService } from './identity.service.js';
export type { CreatedKey, ApiKeyOptions, NewAccountInput } from './identity.service.js';
export { SignInService, DEMO_ADMINISTRATOR_EMAIL } from './sign-in.service.js';
export type { StartedSession, Me, ConsumerPcccSource } from './sign-in.service.js';
export { AuditLog } from './audit-log.js';
export type { AuditQuery, AuditVerification } from './audit-log.js';
export { installIdentity } from './identity.routes.js';
export type { LoggedDenial } from './identity.routes.js';
export { identityErrorStatus, identityErrorMessages, IdentityError } from './identity.errors.js';
export { SESSION_COOKIE, CSRF_COOKIE, CSRF_HEADER } from './identity.cookies.js';

export interface IdentityModule {
  service: IdentityService;
  signIn: SignInService;
  /** The audit trail; hand it to other modules as `AuditTrail` (src/platform/auth/audit-trail.ts). */
  audit: AuditLog;
  authenticator: IdentityAuthenticator;
  settings: ReturnType<typeof identitySettings>;
  /** Listeners called with every access denial logged at the HTTP edge. */
  denialListeners: Set<(denial: LoggedDenial) => void>;
}

/**
 * Builds the module. Without a config (command-line tools), the defaults apply and mail goes to
 * ./data/outbox. Without `consumerPccc` (the portal's proof of ownership), consumers hold no PCCC and
 * see no parcel.
 */
export function createIdentityModule(
  database: Database,
  options: { config?: Config; mail?: MailSender; consumerPccc?: ConsumerPcccSource } = {},
): IdentityModule {
  const config = options.config ?? loadConfig({});
  const settings = identitySettings(config);
  const mail =
    options.mail ??
    createMailSender({ smtpUrl: config.SMTP_URL, from: config.MAIL_FROM, dataDir: config.DATA_DIR });
  const repository = new IdentityRepository(database, settings.apiKeyCacheMs);
  const audit = new AuditLog(database);
  const service = new IdentityService(repository, audit, settings);
  const logger = createLogger(config.LOG_LEVEL);
  if (config.NODE_ENV === 'production' && mail.kind === 'outbox') {
    logger.warn(
      'SMTP_URL is not set: one-time codes are written to DATA_DIR/outbox and consumers will not receive them',
    );
  }
  const signIn = new SignInService(
    repository,
    audit,
    mail,
    settings,
    logger,
    options.consumerPccc ?? (async () => null),
  );
  return {
    service,
    signIn,
    audit,
    authenticator: new IdentityAuthenticator(service, signIn),
    settings,
    denialListeners: new Set(),
  };
}
