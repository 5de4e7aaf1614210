import { randomUUID } from 'node:crypto';
import fastifyHelmet from '@fastify/helmet';
import fastifyRateLimit from '@fastify/rate-limit';
import fastifySwagger from '@fastify/swagger';
import fastifySwaggerUi from '@fastify/swagger-ui';
import Fastify, {
  type FastifyBaseLogger,
  type FastifyError,
  type FastifyInstance,
  type FastifyRequest,
  type RawReplyDefaultExpression,
  type RawRequestDefaultExpression,
  type RawServerDefault,
} from 'fastify';
import { jsonSchemaTransform, serializerCompiler, type ZodTypeProvider } from 'fastify-type-provider-zod';
import type { FieldError } from '../errors/field-error.js';
import type { z } from 'zod';
import { fieldErrorOfIssue, valueAtPath } from '../validation/issue-to-field-error.js';
import { checkedValidatorCompiler } from './checked-validator.js';
import { commonErrorStatus, ModuleError } from '../errors/module-error.js';
import { loggerOptions } from '../logging/logger.js';
import type { Translations } from '../i18n/locale.js';
import { readerLocale } from './request-actor.js';
import { localisedFieldErrors, localisedMessage, platformErrorMessages } from './error-messages.js';

export type HttpServer = FastifyInstance<
  RawServerDefault,
  RawRequestDefaultExpression,
  RawReplyDefaultExpression,
  FastifyBaseLogger,
  ZodTypeProvider
>;
export type { ZodTypeProvider };

export interface HttpServerOptions {
  logLevel: string;
  bodyLimitBytes: number;
  /**
   * Which proxies in front of the server to believe about the client's address (X-Forwarded-For):
   * false for none, true for all, a hop count, or addresses and CIDR ranges. Rate limits and
   * sign-in throttling count per client address, so behind a proxy this must name it.
   */
  trustProxy?: boolean | number | string[];
  /** Per-module maps from error code to HTTP status, so every code a module can throw has a status. */
  errorStatuses: Record<string, Record<string, number>>;
  /** Per-module Korean and French of each error code, for callers who read those languages. */
  errorMessages?: Record<string, Record<string, Translations>>;
  /** Korean and French of the modules' own field rules (generic rules are in error-messages.ts). */
  fieldRuleMessages?: Record<string, Translations>;
}

/** Body types handed to routes as text, for the routes that name them in `consumes`. */
const RAW_TEXT_TYPES = ['application/xml', 'text/xml', 'text/csv', 'text/plain'];

/** The JSON body of every error answer. */
export interface ErrorBody {
  error: {
    code: string;
    message: string;
    requestId: string;
    fieldErrors?: FieldError[];
    [key: string]: unknown;
  };
}

/**
 * Creates the Fastify instance shared by all modules: zod schemas for validation and the OpenAPI
 * document, one error shape, request ids, security headers, and raw-text parsers for XML and CSV bodies.
 */
export async function createHttpServer(options: HttpServerOptions): Promise<HttpServer> {
  const app = Fastify({
    logger: loggerOptions(options.logLevel),
    bodyLimit: options.bodyLimitBytes,
    genReqId: (request) => {
      const given = request.headers['x-request-id'];
      return typeof given === 'string' && /^[\w-]{8,64}$/.test(given) ? given : randomUUID();
    },
    ajv: { customOptions: { coerceTypes: false } },
    // Fastify takes a hop count too, which its types leave out.
    trustProxy: (options.trustProxy ?? false) as boolean | string[],
  }).withTypeProvider<ZodTypeProvider>();

  app.setValidatorCompiler(checkedValidatorCompiler);
  app.setSerializerCompiler(serializerCompiler);

  for (const type of RAW_TEXT_TYPES) {
    app.addContentTypeParser(type, { parseAs: 'string' }, (_request, body, done) => done(null, body));
  }

  app.addHook('onSend', async (request, reply) => {
    reply.header('x-request-id', request.id);
  });
  app.addHook('preValidation', async (request) => refuseUnexpectedMediaType(request));

  await app.register(fastifyHelmet, {
    contentSecurityPolicy: {
      directives: {
        defaultSrc: ["'self'"],
        imgSrc: ["'self'", 'data:', 'blob:'],
        styleSrc: ["'self'", "'unsafe-inline'"],
        scriptSrc: ["'self'"],
        connectSrc: ["'self'"],
      },
    },
  });
  await app.register(fastifyRateLimit, { global: false });

  await app.register(fastifySwagger, {
    openapi: {
      info: {
        title: 'Clearway API',
        description: 'Customs clearance and risk targeting for cross-border e-commerce parcels.',
        version: '1',
      },
      components: {
        securitySchemes: {
          apiKey: { type: 'http', scheme: 'bearer', description: 'An API key from `clearway keys create`' },
          session: { type: 'apiKey', in: 'cookie', name: 'clearway_session' },
        },
      },
      security: [{ apiKey: [] }, { session: [] }],
    },
    transform: jsonSchemaTransform,
  });
  await app.register(fastifySwaggerUi, { routePrefix: '/api/docs', staticCSP: true });
  app.get('/api/openapi.json', { schema: { hide: true } }, async () => app.swagger());

  const statuses: Record<string, Record<string, number>> = {
    common: commonErrorStatus,
    ...options.errorStatuses,
  };

  const messages: Record<string, Record<string, Translations>> = {
    common: platformErrorMessages,
    ...options.errorMessages,
  };
  const fieldRules = options.fieldRuleMessages ?? {};

  app.setErrorHandler((error: FastifyError | ModuleError, request, reply) => {
    const requestId = String(request.id);
    const locale = readerLocale(request);
    const fieldErrorsIn = (errors: FieldError[]) => localisedFieldErrors(errors, locale, fieldRules);
    // Error bodies have their own shape: a route's response schema (its summary for 422, say) must
    // never turn a refusal into a serialization failure.
    reply.serializer(JSON.stringify);
    if (error instanceof ModuleError) {
      const status = statuses[error.module]?.[error.code] ?? 500;
      if (status >= 500) logFailure(request, error, 'module error mapped to 5xx');
      const retryAfter = error.details?.retryAfterSeconds;
      if (typeof retryAfter === 'number') reply.header('retry-after', String(retryAfter));
      const code = error.shownCode ?? error.code;
      const translations = messages[error.module]?.[code];
      const body: ErrorBody = {
        error: {
          ...error.details,
          ...(error.details?.fieldErrors ? { fieldErrors: fieldErrorsIn(error.details.fieldErrors) } : {}),
          code,
          message: localisedMessage(error.message, translations, locale, error.details),
          requestId,
        },
      };
      return reply.status(status).send(body);
    }
    if ('validation' in error && error.validation) {
      const fieldErrors = fieldErrorsIn(validationToFieldErrors(error, request));
      const english = `The request ${error.validationContext ?? 'body'} is invalid: ${fieldErrors.map((fe) => `${fe.path || '(root)'}: ${fe.message}`).join('; ')}`;
      const body: ErrorBody = {
        error: {
          code: 'invalid_input',
          message:
            locale === 'en'
              ? english
              : `${localisedMessage(english, platformErrorMessages.invalid_input, locale)} ${fieldErrors.map((fe) => `${fe.path}: ${fe.message}`).join('; ')}`,
          requestId,
          fieldErrors,
        },
      };
      return reply.status(400).send(body);
    }
    const status = typeof error.statusCode === 'number' && error.statusCode >= 400 ? error.statusCode : 500;
    if (status >= 500) {
      logFailure(request, error, 'unhandled error');
      const body: ErrorBody = {
        error: {
          code: 'internal_error',
          message: localisedMessage(
            'An internal error occurred',
            platformErrorMessages.internal_error,
            locale,
          ),
          requestId,
        },
      };
      return reply.status(500).send(body);
    }
    const code = fastifyCodeName(error, status);
    const body: ErrorBody = {
      error: {
        code,
        message: localisedMessage(error.message, platformErrorMessages[code], locale),
        requestId,
      },
    };
    return reply.status(status).send(body);
  });

  app.setNotFoundHandler((request, reply) => {
    reply.serializer(JSON.stringify);
    const body: ErrorBody = {
      error: {
        code: 'not_found',
        message: localisedMessage(
          `No route ${request.method} ${request.url.split('?')[0]}`,
          platformErrorMessages.not_found,
          readerLocale(request),
        ),
        requestId: String(request.id),
      },
    };
    return reply.status(404).send(body);
  });

  return app as unknown as HttpServer;
}

/**
 * A failure is one line at error level, named by the request id that the client also got (its error
 * id); the logger adds the stack to that line, for whoever debugs it, only when it runs at debug
 * level, and masks both (a separate raw `stack` field would carry the unmasked message).
 */
function logFailure(request: { id: unknown; log: FastifyBaseLogger }, error: Error, message: string): void {
  request.log.error({ errorId: String(request.id), err: error }, message);
}

/**
 * The raw-text parsers (XML, CSV, plain text) exist for the routes that read those formats; a route
 * states them in its schema's `consumes` (which also goes into the OpenAPI document). A body of any
 * other type than a route consumes is refused with 415 before it is validated, so JSON sent as
 * text/plain is told so instead of being judged as a record.
 */
function refuseUnexpectedMediaType(request: Pick<FastifyRequest, 'body' | 'headers' | 'routeOptions'>): void {
  if (request.body === undefined || request.body === null) return;
  const type = mediaTypeOf(request.headers['content-type']);
  const consumes = (request.routeOptions.schema as { consumes?: readonly string[] } | undefined)?.consumes;
  const accepted = consumes ?? ['application/json'];
  if (type === '' || accepted.includes(type)) return;
  if (!consumes && !RAW_TEXT_TYPES.includes(type)) return; // types with their own parser (multipart)
  throw Object.assign(new Error(`Content type ${type} is not accepted here: send ${accepted.join(' or ')}`), {
    statusCode: 415,
    code: 'FST_ERR_CTP_INVALID_MEDIA_TYPE',
  });
}

function mediaTypeOf(header: string | undefined): string {
  return (header ?? '').split(';')[0]!.trim().toLowerCase();
}

function validationToFieldErrors(
  error: FastifyError,
  request: Pick<FastifyRequest, 'body' | 'query' | 'params' | 'headers'>,
): FieldError[] {
  const context = error.validationContext ?? 'body';
  const received = { body: request.body, querystring: request.query, params: request.params, headers: {} }[
    context
  ];
  return (error.validation ?? []).map((issue) => {
    const segments = (issue.instancePath ?? '').split('/').filter(Boolean);
    const params = (issue.params ?? {}) as Record<string, unknown>;
    // Issues of the zod schemas carry the zod issue in their params; the text rules' are complete.
    const zodIssue = { ...params, code: issue.keyword, message: issue.message ?? 'invalid', path: segments };
    return fieldErrorOfIssue(
      zodIssue as unknown as z.core.$ZodIssue,
      valueAtPath(received, segments),
      [context, ...segments].join('/'),
    );
  });
}

function fastifyCodeName(error: FastifyError, status: number): keyof typeof platformErrorMessages {
  switch (error.code) {
    case 'FST_ERR_CTP_INVALID_JSON_BODY':
    case 'FST_ERR_CTP_EMPTY_JSON_BODY':
      return 'malformed_json';
    case 'FST_ERR_CTP_BODY_TOO_LARGE':
      return 'body_too_large';
    case 'FST_ERR_CTP_INVALID_MEDIA_TYPE':
      return 'unsupported_media_type';
    case 'FST_ERR_CTP_INVALID_CONTENT_LENGTH':
      return 'invalid_content_length';
    default:
      if (status === 429) return 'rate_limited';
      if (error instanceof SyntaxError) return 'malformed_json';
      return status === 413 ? 'body_too_large' : status === 415 ? 'unsupported_media_type' : 'bad_request';
  }
}
