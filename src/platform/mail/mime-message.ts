import { randomBytes } from 'node:crypto';
import type { MailMessage } from './mail-sender.js';

/** The bare address inside `Name <address>` or an address alone; throws on anything that could inject headers. */
export function mailAddress(value: string): string {
  const match = /<([^<>]+)>\s*$/.exec(value);
  const address = (match ? match[1]! : value).trim();
  if (!/^[^\s@<>()",;:\\[\]]+@[A-Za-z0-9.-]+\.[A-Za-z]{2,}$/.test(address))
    throw new Error(`Not a mail address: ${JSON.stringify(value.slice(0, 100))}`);
  return address;
}

function headerText(value: string): string {
  const single = value.replace(/[\r\n]+/g, ' ');
  // RFC 2047 encoded-word for anything outside printable ASCII.
  return /^[\x20-\x7e]*$/.test(single)
    ? single
    : `=?UTF-8?B?${Buffer.from(single, 'utf8').toString('base64')}?=`;
}

function fromHeader(from: string): string {
  const address = mailAddress(from);
  const name = from
    .replace(/<[^<>]*>\s*$/, '')
    .trim()
    .replace(/^"|"$/g, '');
  return name && name !== address ? `${headerText(name)} <${address}>` : address;
}

/**
 * An RFC 5322 message with CRLF line ends. `8bit` keeps the body readable in outbox files; `base64`
 * is safe for any SMTP server.
 */
export function buildMimeMessage(
  message: MailMessage,
  from: string,
  encoding: '8bit' | 'base64',
  now = new Date(),
): { messageId: string; raw: string } {
  const fromAddress = mailAddress(from);
  const messageId = `<${randomBytes(12).toString('hex')}@${fromAddress.split('@')[1]}>`;
  const body = message.text.replace(/\r?\n/g, '\r\n');
  const encodedBody =
    encoding === 'base64'
      ? (
          Buffer.from(body, 'utf8')
            .toString('base64')
            .match(/.{1,76}/g) ?? []
        ).join('\r\n')
      : body;
  const headers = [
    `From: ${fromHeader(from)}`,
    `To: ${mailAddress(message.to)}`,
    `Subject: ${headerText(message.subject)}`,
    `Date: ${now.toUTCString().replace('GMT', '+0000')}`,
    `Message-ID: ${messageId}`,
    'MIME-Version: 1.0',
    'Content-Type: text/plain; charset=utf-8',
    `Content-Transfer-Encoding: ${encoding}`,
  ];
  return { messageId, raw: `${headers.join('\r\n')}\r\n\r\n${encodedBody}\r\n` };
}
