import { randomBytes } from 'node:crypto';
import { mkdir, rename, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import type { MailMessage, MailSender } from './mail-sender.js';
import { buildMimeMessage } from './mime-message.js';

/**
 * The self-hosted default: every mail becomes one `.eml` file in the outbox folder, which any mail
 * client opens. Written to a temporary name and renamed, so a reader never sees half a message.
 */
export class OutboxMailSender implements MailSender {
  readonly kind = 'outbox' as const;

  constructor(
    readonly folder: string,
    private readonly from: string,
  ) {}

  async send(message: MailMessage): Promise<void> {
    const now = new Date();
    const { raw } = buildMimeMessage(message, this.from, '8bit', now);
    await mkdir(this.folder, { recursive: true, mode: 0o700 });
    const name = `${now.toISOString().replace(/[:.]/g, '-')}-${randomBytes(4).toString('hex')}.eml`;
    const temporary = join(this.folder, `.${name}.tmp`);
    await writeFile(temporary, raw, { mode: 0o600 });
    await rename(temporary, join(this.folder, name));
  }
}
