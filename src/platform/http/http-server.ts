import { randomUUID } from 'node:crypto';
import fastifyHelmet from '@fastify/helmet';
import fastifyRateLimit from '@fastify/rate-limit';
import fastifySwagger from '@fastify/swagger';
import fastifySwaggerUi from '@fastify/swagger-ui';
import Fastify, {
  type FastifyBaseLogger,
  type FastifyError,
  type FastifyInstance,
  type RawReplyDefaultExpression,
  type RawRequestDefaultExpression,
  type RawServerDefault,
} from 'fastify';
import {
  jsonSchemaTransform,
  serializerCompiler,
  validatorCompiler,
  type ZodTypeProvider,
} from 'fastify-type-provider-zod';
import type { FieldError } from '../errors/field-error.js';
import { commonErrorStatus, ModuleError } from '../errors/module-error.js';
import { loggerOptions } from '../logging/logger.js';

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
  /** Per-module maps from error code to HTTP status, so every code a module can throw has a status. */
  errorStatuses: Record<string, Record<string, number>>;
}

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
  }).withTypeProvider<ZodTypeProvider>();

  app.setValidatorCompiler(validatorCompiler);
  app.setSerializerCompiler(serializerCompiler);

  for (const type of ['application/xml', 'text/xml', 'text/csv', 'text/plain']) {
    app.addContentTypeParser(type, { parseAs: 'string' }, (_request, body, done) => done(null, body));
  }

  app.addHook('onSend', async (request, reply) => {
    reply.header('x-request-id', request.id);
  });

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

  app.setErrorHandler((error: FastifyError | ModuleError, request, reply) => {
    const requestId = String(request.id);
    if (error instanceof ModuleError) {
      const status = statuses[error.module]?.[error.code] ?? 500;
      if (status >= 500) request.log.error({ err: error }, 'module error mapped to 5xx');
      const body: ErrorBody = {
        error: { ...error.details, code: error.code, message: error.message, requestId },
      };
      return reply.status(status).send(body);
    }
    if ('validation' in error && error.validation) {
      const fieldErrors = validationToFieldErrors(error);
      const body: ErrorBody = {
        error: {
          code: 'invalid_input',
          message: `The request ${error.validationContext ?? 'body'} is invalid: ${fieldErrors.map((fe) => `${fe.path || '(root)'}: ${fe.message}`).join('; ')}`,
          requestId,
          fieldErrors,
        },
      };
      return reply.status(400).send(body);
    }
    const status = typeof error.statusCode === 'number' && error.statusCode >= 400 ? error.statusCode : 500;
    if (status >= 500) {
      request.log.error({ err: error }, 'unhandled error');
      const body: ErrorBody = {
        error: { code: 'internal_error', message: 'An internal error occurred', requestId },
      };
      return reply.status(500).send(body);
    }
    const body: ErrorBody = {
      error: { code: fastifyCodeName(error, status), message: error.message, requestId },
    };
    return reply.status(status).send(body);
  });

  app.setNotFoundHandler((request, reply) => {
    const body: ErrorBody = {
      error: {
        code: 'not_found',
        message: `No route ${request.method} ${request.url.split('?')[0]}`,
        requestId: String(request.id),
      },
    };
    return reply.status(404).send(body);
  });

  return app as unknown as HttpServer;
}

function validationToFieldErrors(error: FastifyError): FieldError[] {
  const context = error.validationContext ?? 'body';
  return (error.validation ?? []).map((issue) => {
    const path = (issue.instancePath ?? '').replace(/^\//, '');
    const params = issue.params as Record<string, unknown> | undefined;
    const extra = params && typeof params === 'object' && 'keys' in params ? ` (${String(params.keys)})` : '';
    return {
      path: path ? `${context}/${path}` : context,
      value: undefined,
      rule: String(issue.keyword ?? 'invalid'),
      message: `${issue.message ?? 'invalid'}${extra}`,
    };
  });
}

function fastifyCodeName(error: FastifyError, status: number): string {
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
