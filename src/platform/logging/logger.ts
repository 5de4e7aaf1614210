import { pino, type Logger, type LoggerOptions } from 'pino';
import { maskPersonalText } from './personal-data-mask.js';

export type { Logger };

/**
 * Structured JSON logs. Secrets in headers are removed and URLs, which can carry a PCCC or an e-mail
 * address in a query string, are masked before they are written.
 */
export function loggerOptions(level: string): LoggerOptions {
  return {
    level,
    redact: {
      paths: [
        'req.headers.authorization',
        'req.headers.cookie',
        'req.headers["x-api-key"]',
        'res.headers["set-cookie"]',
      ],
      censor: '[redacted]',
    },
    serializers: {
      req: (request: { method: string; url: string; id: string; ip?: string }) => ({
        id: request.id,
        method: request.method,
        url: maskPersonalText(request.url),
      }),
    },
  };
}

export function createLogger(level: string): Logger {
  return pino(loggerOptions(level));
}
