import { mkdtempSync, readdirSync, readFileSync } from 'node:fs';
import net from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { createMailSender } from '../src/platform/mail/mail-sender.js';
import { OutboxMailSender } from '../src/platform/mail/outbox-mail-sender.js';
import { parseSmtpUrl, SmtpMailSender } from '../src/platform/mail/smtp-mail-sender.js';

/** A loopback SMTP server that accepts one message and records the dialogue. */
function fakeSmtpServer(
  options: { advertiseAuth?: boolean; rejectRecipient?: boolean } = {},
): Promise<{ port: number; lines: string[]; data: string[]; close(): void }> {
  const lines: string[] = [];
  const data: string[] = [];
  const server = net.createServer((socket) => {
    let buffer = '';
    let inData = false;
    let message = '';
    socket.write('220 fake.smtp ESMTP ready\r\n');
    socket.on('data', (chunk) => {
      buffer += chunk.toString('utf8');
      let end: number;
      while ((end = buffer.indexOf('\r\n')) >= 0) {
        const line = buffer.slice(0, end);
        buffer = buffer.slice(end + 2);
        if (inData) {
          if (line === '.') {
            inData = false;
            data.push(message);
            socket.write('250 2.0.0 queued\r\n');
          } else message += `${line}\r\n`;
          continue;
        }
        lines.push(line);
        const verb = line.split(' ')[0]!.toUpperCase();
        if (verb === 'EHLO')
          socket.write(
            `250-fake.smtp\r\n250-8BITMIME\r\n${options.advertiseAuth ? '250-AUTH PLAIN\r\n' : ''}250 SIZE 1000000\r\n`,
          );
        else if (verb === 'AUTH') socket.write('235 2.7.0 accepted\r\n');
        else if (verb === 'MAIL') socket.write('250 ok\r\n');
        else if (verb === 'RCPT')
          socket.write(options.rejectRecipient ? '550 5.1.1 no such user\r\n' : '250 ok\r\n');
        else if (verb === 'DATA') {
          inData = true;
          socket.write('354 go ahead\r\n');
        } else if (verb === 'QUIT') socket.end('221 bye\r\n');
        else socket.write('502 unknown\r\n');
      }
    });
    socket.on('error', () => undefined);
  });
  return new Promise((resolve) =>
    server.listen(0, '127.0.0.1', () =>
      resolve({ port: (server.address() as net.AddressInfo).port, lines, data, close: () => server.close() }),
    ),
  );
}

describe('mail', () => {
  const servers: { close(): void }[] = [];
  afterEach(() => servers.splice(0).forEach((server) => server.close()));

  it('writes one readable .eml file per mail to the outbox by default', async () => {
    const dataDir = mkdtempSync(join(tmpdir(), 'clearway-mail-'));
    const sender = createMailSender({ from: 'Clearway <no-reply@clearway.local>', dataDir });
    expect(sender.kind).toBe('outbox');
    await sender.send({
      to: 'kim@mail.example',
      subject: 'Your code: 123456',
      text: 'Code:\n\n    123456\n',
    });
    await sender.send({ to: 'lee@mail.example', subject: '통관 안내', text: '안녕하세요' });
    const files = readdirSync(join(dataDir, 'outbox')).sort();
    expect(files).toHaveLength(2);
    expect(files.every((name) => name.endsWith('.eml'))).toBe(true);
    const first = readFileSync(join(dataDir, 'outbox', files[0]!), 'utf8');
    expect(first).toMatch(
      /^From: Clearway <no-reply@clearway\.local>\r\nTo: kim@mail\.example\r\nSubject: Your code: 123456\r\n/,
    );
    expect(first).toContain('\r\n\r\nCode:\r\n\r\n    123456\r\n');
    const second = readFileSync(join(dataDir, 'outbox', files[1]!), 'utf8');
    expect(second).toContain(`Subject: =?UTF-8?B?${Buffer.from('통관 안내').toString('base64')}?=`);
  });

  it('refuses addresses that would inject headers', async () => {
    const sender = new OutboxMailSender(
      mkdtempSync(join(tmpdir(), 'clearway-mail-')),
      'no-reply@clearway.local',
    );
    await expect(
      sender.send({ to: 'kim@mail.example\r\nBcc: all@mail.example', subject: 'x', text: 'x' }),
    ).rejects.toThrow(/Not a mail address/);
    await expect(
      sender.send({ to: 'kim@mail.example', subject: 'x\r\nBcc: all@mail.example', text: 'x' }),
    ).resolves.toBeUndefined();
  });

  it('sends through SMTP: EHLO, AUTH PLAIN, envelope, dot-stuffed base64 body', async () => {
    const server = await fakeSmtpServer({ advertiseAuth: true });
    servers.push(server);
    const sender = createMailSender({
      smtpUrl: `smtp://mailer:s%40cret@127.0.0.1:${server.port}?tls=off`,
      from: 'Clearway <no-reply@customs.example>',
      dataDir: '/nonexistent',
    });
    expect(sender.kind).toBe('smtp');
    await sender.send({ to: 'kim@mail.example', subject: 'Your code', text: '.leading dot\n    654321\n' });
    expect(server.lines[0]).toMatch(/^EHLO /);
    expect(server.lines).toContain(`AUTH PLAIN ${Buffer.from('\0mailer\0s@cret').toString('base64')}`);
    expect(server.lines).toContain('MAIL FROM:<no-reply@customs.example>');
    expect(server.lines).toContain('RCPT TO:<kim@mail.example>');
    expect(server.data).toHaveLength(1);
    const [headers, body] = server.data[0]!.split('\r\n\r\n');
    expect(headers).toMatch(
      /^From: Clearway <no-reply@customs\.example>\r\nTo: kim@mail\.example\r\nSubject: Your code/,
    );
    expect(Buffer.from(body!.replace(/\r\n/g, ''), 'base64').toString('utf8')).toBe(
      '.leading dot\r\n    654321\r\n',
    );
  });

  it('reports a refused recipient as an error, and reads SMTP URLs', async () => {
    const server = await fakeSmtpServer({ rejectRecipient: true });
    servers.push(server);
    await expect(
      new SmtpMailSender(`smtp://127.0.0.1:${server.port}`, 'no-reply@customs.example').send({
        to: 'nobody@mail.example',
        subject: 's',
        text: 't',
      }),
    ).rejects.toThrow(/RCPT refused: 550/);
    expect(parseSmtpUrl('smtps://user:pw@mail.example')).toMatchObject({
      host: 'mail.example',
      port: 465,
      implicitTls: true,
      username: 'user',
    });
    expect(parseSmtpUrl('smtp://mail.example')).toMatchObject({
      port: 587,
      implicitTls: false,
      startTls: true,
    });
    expect(() => parseSmtpUrl('http://mail.example')).toThrow(/smtp:\/\//);
  });
});
