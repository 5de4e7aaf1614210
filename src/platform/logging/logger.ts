import { pino, type DestinationStream, type Logger, type LoggerOptions } from 'pino';
import { maskPersonalField, maskPersonalText } from './personal-data-mask.js';

export type { Logger };

/** Levels at which log records carry stack traces; above them an error is one line with its id. */
const STACK_LEVELS = new Set(['debug', 'trace']);

/**
 * Structured JSON logs, masked in one place: every record passes through `maskPersonalData` on its way
 * out, whichever module wrote it, so a PCCC, a name or an address cannot reach the log by a field
 * nobody thought of. Errors are reduced to what locates them (type, code, table, constraint); their
 * `detail`, `params` and `query`, which database drivers fill with the row being written, never pass.
 */
export function loggerOptions(level: string): LoggerOptions {
  const withStack = STACK_LEVELS.has(level);
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
    formatters: {
      log: (record) => maskRecord(record, withStack),
    },
    hooks: {
      // Messages are free text too: `log.info('signed in ' + email)` is masked like a field would be.
      logMethod(args, method) {
        method.apply(
          this,
          args.map((argument) => (typeof argument === 'string' ? maskPersonalText(argument) : argument)) as [
            string,
          ],
        );
      },
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

export function createLogger(level: string, destination?: DestinationStream): Logger {
  return destination ? pino(loggerOptions(level), destination) : pino(loggerOptions(level));
}

function maskRecord(record: Record<string, unknown>, withStack: boolean): Record<string, unknown> {
  const masked: Record<string, unknown> = {};
  for (const [key, value] of Object.entries(record))
    masked[key] = value instanceof Error ? errorForLog(value, withStack) : maskPersonalField(key, value);
  return masked;
}

/** Properties of database errors that say where a statement failed without saying what it carried. */
const LOCATING_PROPERTIES = ['code', 'table', 'column', 'constraint', 'routine', 'statusCode'] as const;

/** An error as a log shows it: masked message, locating properties, stack only at debug level. */
export function errorForLog(error: Error, withStack: boolean, depth = 0): Record<string, unknown> {
  const shown: Record<string, unknown> = {
    type: error.constructor?.name ?? error.name,
    message: maskPersonalText(error.message),
  };
  for (const property of LOCATING_PROPERTIES) {
    const value = (error as unknown as Record<string, unknown>)[property];
    if (typeof value === 'string' || typeof value === 'number') shown[property] = value;
  }
  if (withStack && error.stack) shown.stack = maskPersonalText(error.stack);
  if (error.cause instanceof Error && depth < 3) shown.cause = errorForLog(error.cause, withStack, depth + 1);
  return shown;
}
