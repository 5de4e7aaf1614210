import { pino, type DestinationStream, type Logger, type LoggerOptions } from 'pino';
import { maskPersonalField, maskPersonalText, maskPersonalUrl } from './personal-data-mask.js';

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
      // Errors were reduced by the formatter above; pino's own serializer would add back what it dropped.
      err: (error: unknown) => error,
      req: (request: { method: string; url: string; id: string; ip?: string }) => ({
        id: request.id,
        method: request.method,
        url: maskPersonalUrl(request.url),
      }),
    },
  };
}

export function createLogger(level: string, destination?: DestinationStream): Logger {
  return destination ? pino(loggerOptions(level), destination) : pino(loggerOptions(level));
}

/** Requests and responses are reduced by their own serializers (the URL masked there), not copied here. */
const SERIALIZED_KEYS = new Set(['req', 'res']);

function maskRecord(record: Record<string, unknown>, withStack: boolean): Record<string, unknown> {
  const masked: Record<string, unknown> = {};
  for (const [key, value] of Object.entries(record))
    masked[key] = SERIALIZED_KEYS.has(key)
      ? value
      : value instanceof Error || (key === 'err' && value !== null && typeof value === 'object')
        ? errorForLog(value as Error, withStack)
        : maskPersonalField(key, value);
  return masked;
}

/** Properties of database errors that say where a statement failed without saying what it carried. */
const LOCATING_PROPERTIES = ['code', 'table', 'column', 'constraint', 'routine', 'statusCode'] as const;

/**
 * PostgreSQL's data exceptions (SQLSTATE class 22) quote the offending value in their message
 * (`invalid input syntax for type numeric: "Kim Minji"`, `value "…" is out of range`), where no
 * pattern tells a name or a street from other text: every quoted part of such a message is masked.
 * Other classes quote identifiers (relations, columns, constraints), which locate the failure.
 */
const QUOTED_VALUE = /"(?:[^"]|"")*"/g;

function maskErrorText(error: Error, text: string): string {
  const code = (error as unknown as { code?: unknown }).code;
  const masked = maskPersonalText(text);
  return typeof code === 'string' && /^22/.test(code) ? masked.replace(QUOTED_VALUE, '"***"') : masked;
}

/** An error as a log shows it: masked message, locating properties, stack only at debug level. */
export function errorForLog(error: Error, withStack: boolean, depth = 0): Record<string, unknown> {
  const shown: Record<string, unknown> = {
    type:
      error instanceof Error ? error.constructor.name : String((error as { name?: unknown }).name ?? 'Error'),
    message: maskErrorText(error, String(error.message)),
  };
  for (const property of LOCATING_PROPERTIES) {
    const value = (error as unknown as Record<string, unknown>)[property];
    if (typeof value === 'string' || typeof value === 'number') shown[property] = value;
  }
  if (withStack && typeof error.stack === 'string' && error.stack)
    shown.stack = maskErrorText(error, error.stack);
  if (error.cause instanceof Error && depth < 3) shown.cause = errorForLog(error.cause, withStack, depth + 1);
  return shown;
}
