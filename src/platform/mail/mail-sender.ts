import { join } from 'node:path';
import { OutboxMailSender } from './outbox-mail-sender.js';
import { SmtpMailSender } from './smtp-mail-sender.js';

/** One plain-text mail to one recipient (one-time codes, notices). */
export interface MailMessage {
  to: string;
  subject: string;
  text: string;
}

/** Where mail goes: an SMTP server in production, a folder of .eml files by default. */
export interface MailSender {
  readonly kind: 'outbox' | 'smtp';
  send(message: MailMessage): Promise<void>;
}

export interface MailSettings {
  /** `smtp://user:pass@host:587` (STARTTLS when offered) or `smtps://...:465`; absent: the outbox. */
  smtpUrl?: string;
  from: string;
  /** The outbox folder is `<dataDir>/outbox`. */
  dataDir: string;
}

/** Chooses the mail provider from configuration: SMTP when SMTP_URL is set, else DATA_DIR/outbox. */
export function createMailSender(settings: MailSettings): MailSender {
  if (settings.smtpUrl) return new SmtpMailSender(settings.smtpUrl, settings.from);
  return new OutboxMailSender(join(settings.dataDir, 'outbox'), settings.from);
}
