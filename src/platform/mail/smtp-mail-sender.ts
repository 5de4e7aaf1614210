import { isIP } from 'node:net';
import net from 'node:net';
import { hostname } from 'node:os';
import tls from 'node:tls';
import type { MailMessage, MailSender } from './mail-sender.js';
import { buildMimeMessage, mailAddress } from './mime-message.js';

interface SmtpTarget {
  host: string;
  port: number;
  implicitTls: boolean;
  username?: string;
  password?: string;
  /** `?tls=off` disables STARTTLS (a relay on the same host); otherwise it is used when offered and required for AUTH. */
  startTls: boolean;
  rejectUnauthorized: boolean;
}

/** Parses `smtp://user:pass@host:587`, `smtps://host:465`, `smtp://relay:25?tls=off`, `?tlsRejectUnauthorized=false`. */
export function parseSmtpUrl(url: string): SmtpTarget {
  const parsed = new URL(url);
  if (parsed.protocol !== 'smtp:' && parsed.protocol !== 'smtps:')
    throw new Error('SMTP_URL must start with smtp:// or smtps://');
  const implicitTls = parsed.protocol === 'smtps:';
  return {
    host: parsed.hostname.replace(/^\[|\]$/g, ''),
    port: parsed.port ? Number(parsed.port) : implicitTls ? 465 : 587,
    implicitTls,
    username: parsed.username ? decodeURIComponent(parsed.username) : undefined,
    password: parsed.password ? decodeURIComponent(parsed.password) : undefined,
    startTls: parsed.searchParams.get('tls') !== 'off',
    rejectUnauthorized: parsed.searchParams.get('tlsRejectUnauthorized') !== 'false',
  };
}

interface Reply {
  code: number;
  lines: string[];
}

/** Reads SMTP replies (multi-line `250-...` up to `250 ...`) from a socket that may be swapped for TLS. */
class ReplyReader {
  private buffer = '';
  private replyLines: string[] = [];
  private readonly replies: Reply[] = [];
  private waiting: { resolve: (reply: Reply) => void; reject: (error: Error) => void } | undefined;
  private failure: Error | undefined;
  private socket!: net.Socket;

  private readonly onData = (chunk: Buffer) => {
    this.buffer += chunk.toString('utf8');
    if (this.buffer.length > 64 * 1024) return this.fail(new Error('SMTP reply too long'));
    let end: number;
    while ((end = this.buffer.indexOf('\n')) >= 0) {
      const line = this.buffer.slice(0, end).replace(/\r$/, '');
      this.buffer = this.buffer.slice(end + 1);
      this.replyLines.push(line.slice(4));
      if (line[3] !== '-') {
        const reply = { code: Number(line.slice(0, 3)), lines: this.replyLines };
        this.replyLines = [];
        if (this.waiting) {
          const waiting = this.waiting;
          this.waiting = undefined;
          waiting.resolve(reply);
        } else this.replies.push(reply);
      }
    }
  };
  private readonly onError = (error: Error) => this.fail(error);
  private readonly onClose = () => this.fail(new Error('SMTP server closed the connection'));

  attach(socket: net.Socket): void {
    if (this.socket) {
      this.socket.off('data', this.onData).off('error', this.onError).off('close', this.onClose);
    }
    this.socket = socket;
    socket.on('data', this.onData).on('error', this.onError).on('close', this.onClose);
  }

  detach(): net.Socket {
    this.socket.off('data', this.onData).off('error', this.onError).off('close', this.onClose);
    return this.socket;
  }

  next(): Promise<Reply> {
    const queued = this.replies.shift();
    if (queued) return Promise.resolve(queued);
    if (this.failure) return Promise.reject(this.failure);
    return new Promise((resolve, reject) => (this.waiting = { resolve, reject }));
  }

  private fail(error: Error): void {
    this.failure ??= error;
    const waiting = this.waiting;
    this.waiting = undefined;
    waiting?.reject(error);
  }
}

/**
 * A small SMTP client (RFC 5321) for the one thing Clearway mails: short plain-text messages. STARTTLS
 * when the server offers it, AUTH PLAIN only over TLS (or to a loopback relay), one connection per mail.
 */
export class SmtpMailSender implements MailSender {
  readonly kind = 'smtp' as const;
  private readonly target: SmtpTarget;

  constructor(
    smtpUrl: string,
    private readonly from: string,
    private readonly timeoutMs = 30_000,
  ) {
    this.target = parseSmtpUrl(smtpUrl);
  }

  async send(message: MailMessage): Promise<void> {
    const { raw } = buildMimeMessage(message, this.from, 'base64');
    const target = this.target;
    const reader = new ReplyReader();
    let socket: net.Socket = await this.connect();
    const timer = setTimeout(
      () => socket.destroy(new Error(`SMTP timed out after ${this.timeoutMs} ms`)),
      this.timeoutMs,
    );
    reader.attach(socket);
    let secure = target.implicitTls;
    const expect = async (codes: number[], what: string): Promise<Reply> => {
      const reply = await reader.next();
      if (!codes.includes(reply.code))
        throw new Error(`SMTP ${what} refused: ${reply.code} ${reply.lines.join(' ').slice(0, 200)}`);
      return reply;
    };
    const command = async (line: string, codes: number[], what = line.split(' ')[0]!): Promise<Reply> => {
      socket.write(`${line}\r\n`);
      return expect(codes, what);
    };
    try {
      await expect([220], 'greeting');
      const helloName = hostname().replace(/[^A-Za-z0-9.-]/g, '') || 'clearway';
      let hello = await command(`EHLO ${helloName}`, [250]);
      if (!secure && target.startTls && hello.lines.some((line) => /^STARTTLS\b/i.test(line))) {
        await command('STARTTLS', [220]);
        const plain = reader.detach();
        socket = await new Promise<tls.TLSSocket>((resolve, reject) => {
          const upgraded = tls.connect(
            {
              socket: plain,
              servername: isIP(target.host) ? undefined : target.host,
              rejectUnauthorized: target.rejectUnauthorized,
            },
            () => resolve(upgraded),
          );
          upgraded.once('error', reject);
        });
        reader.attach(socket);
        secure = true;
        hello = await command(`EHLO ${helloName}`, [250]);
      }
      if (target.username) {
        if (!secure && !isLoopback(target.host))
          throw new Error(
            'SMTP: refusing to send the password without TLS; use smtps:// or a server that offers STARTTLS',
          );
        const token = Buffer.from(`\0${target.username}\0${target.password ?? ''}`, 'utf8').toString(
          'base64',
        );
        await command(`AUTH PLAIN ${token}`, [235], 'AUTH');
      }
      await command(`MAIL FROM:<${mailAddress(this.from)}>`, [250]);
      await command(`RCPT TO:<${mailAddress(message.to)}>`, [250, 251]);
      await command('DATA', [354]);
      // Dot-stuffing: a line that starts with "." gets another one (base64 never does, headers might).
      socket.write(`${raw.replace(/^\./gm, '..')}.\r\n`);
      await expect([250], 'message');
      socket.write('QUIT\r\n');
    } finally {
      clearTimeout(timer);
      socket.end();
      socket.destroySoon?.();
    }
  }

  private connect(): Promise<net.Socket> {
    const { host, port, implicitTls, rejectUnauthorized } = this.target;
    return new Promise((resolve, reject) => {
      const socket: net.Socket = implicitTls
        ? tls.connect({ host, port, servername: isIP(host) ? undefined : host, rejectUnauthorized }, () =>
            resolve(socket),
          )
        : net.connect({ host, port }, () => resolve(socket));
      socket.once('error', reject);
      socket.setTimeout(this.timeoutMs, () => socket.destroy(new Error('SMTP connection timed out')));
    });
  }
}

function isLoopback(host: string): boolean {
  return host === 'localhost' || host === '::1' || /^127\./.test(host);
}
