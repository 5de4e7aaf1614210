import { z } from 'zod';
import {
  describeActor,
  isAccessDenial,
  AccessDeniedError,
  officerRoles,
  organisationRoles,
  roles,
} from '../../platform/auth/actor.js';
import type { HttpServer } from '../../platform/http/http-server.js';
import { locales, namedLocale } from '../../platform/i18n/locale.js';
import { headerValue } from '../../platform/http/documented-body.js';
import { requireActor, type Authenticator } from '../../platform/http/request-actor.js';
import { maskPersonalUrl } from '../../platform/logging/personal-data-mask.js';
import type { AuditLog } from './audit-log.js';
import { clearSessionCookies, sessionTokenOf, setSessionCookies } from './identity.cookies.js';
import type { IdentityService } from './identity.service.js';
import type { IdentitySettings } from './identity.settings.js';
import type { SignInService, StartedSession } from './sign-in.service.js';

export interface IdentityHttpParts {
  service: IdentityService;
  signIn: SignInService;
  audit: AuditLog;
  authenticator: Authenticator;
  settings: IdentitySettings;
  /** Called with every logged denial (tests, metrics); the log line is written either way. */
  denialListeners: Set<(denial: LoggedDenial) => void>;
}

/** A denial as it is logged: no personal data, the route pattern rather than the URL where possible. */
export interface LoggedDenial {
  requestId: string;
  actor: string;
  action?: string;
  subject?: string;
  code?: string;
  status: number;
  method: string;
  route?: string;
  url: string;
}

const email = z.email().max(254);
const idParam = z.object({ id: z.string().min(1).max(100) });

const meSchema = z.object({
  kind: z.enum(['officer', 'organisation', 'consumer', 'system']),
  accountId: z.string(),
  name: z.string().nullable(),
  roles: z.array(z.string()),
  organisation: z.string().nullable(),
  email: z.string().nullable(),
  pccc: z
    .string()
    .nullable()
    .describe('Consumers: the PCCC proved through the portal (POST /api/v1/portal/pccc/link), or null'),
  via: z.enum(['api_key', 'session']).nullable(),
  language: z
    .enum(locales)
    .nullable()
    .describe(
      'The language the account holder chose (PUT /api/v1/auth/me/language); texts follow it when a request sends no Accept-Language naming ko, en or fr',
    ),
  csrfToken: z
    .string()
    .optional()
    .describe('For cookie sessions: send it back in x-csrf-token on POST, PUT, PATCH and DELETE'),
});
const sessionSchema = z.object({
  me: meSchema,
  csrfToken: z.string().describe('Send it back in the x-csrf-token header on POST, PUT, PATCH and DELETE'),
  expiresAt: z.string(),
  failedSignInsSinceLastSignIn: z
    .number()
    .optional()
    .describe('Password sign-ins: failed attempts on this account since its previous sign-in'),
});
const acceptedSchema = z.object({ status: z.literal('accepted'), message: z.string() });
const accountSchema = z.object({
  id: z.string(),
  kind: z.enum(['officer', 'organisation', 'consumer']),
  name: z.string(),
  roles: z.array(z.string()),
  organisation: z.string().nullable(),
  email: z.string().nullable(),
  emailVerified: z.boolean(),
  hasPassword: z.boolean(),
  disabled: z.boolean(),
  lockedUntil: z.string().nullable(),
  createdAt: z.string(),
});
const keySchema = z.object({
  id: z.string(),
  accountId: z.string(),
  label: z.string().nullable(),
  scopes: z.array(z.string()),
  createdAt: z.string(),
  expiresAt: z.string().nullable(),
  revokedAt: z.string().nullable(),
  lastUsedAt: z.string().nullable(),
  rotatedFrom: z.string().nullable(),
});
const createdKeySchema = z.object({
  keyId: z.string(),
  accountId: z.string(),
  token: z.string().describe('Shown once: send it as "Authorization: Bearer <token>"'),
  scopes: z.array(z.string()),
  expiresAt: z.string().nullable(),
});
const auditEntrySchema = z.object({
  seq: z.number(),
  at: z.string(),
  actor: z.string(),
  via: z.string().nullable(),
  action: z.string(),
  subject: z.string().nullable(),
  details: z.record(z.string(), z.unknown()),
  previousHash: z.string(),
  hash: z.string(),
});
const verificationSchema = z.object({
  ok: z.boolean(),
  entries: z.number(),
  head: z.object({ seq: z.number(), hash: z.string() }).nullable(),
  problem: z
    .object({
      seq: z.number(),
      problem: z.enum(['hash_mismatch', 'broken_link', 'gap']),
      message: z.string(),
    })
    .optional(),
});

const NOT_REVEALED = 'If the address can receive a code, a message is on its way.';

/**
 * Identity at the HTTP edge: resolves the caller of every request (the onRequest hook), logs every
 * denial with the request, and serves sign-in, sessions, and the administrators' accounts, keys and
 * audit trail. Call once, before the other modules register their routes.
 */
export function installIdentity(app: HttpServer, identity: IdentityHttpParts): void {
  app.decorateRequest('actor', undefined);
  app.addHook('onRequest', async (request, reply) => {
    request.actor = await identity.authenticator.authenticate(request, reply);
    // Before the body is read or anything validated: an anonymous caller learns nothing about an
    // endpoint's parameters, and spends none of its work.
    if (!request.actor && needsCaller(request.url, request.routeOptions.schema)) requireActor(request);
  });
  // Every 401 and 403, whichever module refused, and the 404s of `not_your_*` codes, are logged as
  // denials once the status is known (the error alone does not say it: each module maps its codes).
  const errors = new WeakMap<object, unknown>();
  app.addHook('onError', async (request, _reply, error) => {
    errors.set(request, error);
  });
  app.addHook('onSend', async (request, reply, payload) => {
    const error = errors.get(request);
    if (reply.statusCode !== 401 && reply.statusCode !== 403 && !(error && isAccessDenial(error)))
      return payload;
    const refusal = error instanceof AccessDeniedError ? error.denial : undefined;
    const denial: LoggedDenial = {
      requestId: String(request.id),
      actor: refusal?.actor ?? (request.actor ? describeActor(request.actor) : 'anonymous'),
      action: refusal?.action,
      subject: refusal?.subject,
      code: (error as { code?: string } | undefined)?.code,
      status: reply.statusCode,
      method: request.method,
      route: request.routeOptions.url,
      url: maskPersonalUrl(request.url.split('?')[0]!),
    };
    request.log.warn({ denial }, 'access denied');
    for (const listener of identity.denialListeners) listener(denial);
    return payload;
  });
  registerIdentityRoutes(app, identity);
}

/**
 * Every API endpoint needs a caller, except those whose OpenAPI entry says they need no credentials
 * (`security: []`: sign-in and consumer registration). Pages outside /api/v1 (health, the API
 * documentation, the console's files) are public.
 */
function needsCaller(url: string, schema: { security?: readonly unknown[] } | undefined): boolean {
  if (!url.startsWith('/api/v1/')) return false;
  return !(Array.isArray(schema?.security) && schema.security.length === 0);
}

function registerIdentityRoutes(
  app: HttpServer,
  { service, signIn, audit, settings }: IdentityHttpParts,
): void {
  const rateLimit = { rateLimit: { max: settings.authRateLimitPerMinute, timeWindow: '1 minute' } };
  const withMe = async (session: StartedSession) => ({
    me: await signIn.me(session.actor),
    csrfToken: session.csrfToken,
    expiresAt: session.expiresAt.toISOString(),
  });

  app.post(
    '/api/v1/auth/login',
    {
      config: rateLimit,
      schema: {
        tags: ['identity'],
        summary: 'Officer sign-in with e-mail and password',
        description:
          'Sets the http-only session cookie; the answer holds the CSRF token to send in x-csrf-token. Rate-limited.',
        security: [],
        body: z.object({ email, password: z.string().min(1).max(256) }),
        response: { 200: sessionSchema },
      },
    },
    async (request, reply) => {
      const session = await signIn.login(request.body.email, request.body.password, request.ip);
      setSessionCookies(reply, session);
      return {
        ...(await withMe(session)),
        failedSignInsSinceLastSignIn: session.failedSignInsSinceLastSignIn,
      };
    },
  );

  app.post(
    '/api/v1/auth/logout',
    {
      schema: {
        tags: ['identity'],
        summary: 'End the current session (no-op for API keys)',
        security: [],
        response: { 204: z.null() },
      },
    },
    async (request, reply) => {
      await signIn.logout(request.actor);
      clearSessionCookies(reply);
      return reply.status(204).send(null);
    },
  );

  app.get(
    '/api/v1/auth/me',
    {
      schema: {
        tags: ['identity'],
        summary: 'Who the caller is, and for cookie sessions the CSRF token',
        response: { 200: meSchema },
      },
    },
    async (request) => {
      const actor = requireActor(request);
      const me = await signIn.me(actor);
      const token = sessionTokenOf(request);
      return actor.kind !== 'system' && actor.credential?.kind === 'session' && token
        ? { ...me, csrfToken: signIn.csrfToken(token) }
        : me;
    },
  );

  app.put(
    '/api/v1/auth/me/language',
    {
      schema: {
        tags: ['identity'],
        summary: "Store the caller's language (officers, partners and consumers)",
        description:
          'Server-written texts (error messages, field errors, decision reasons, case descriptions) are in this language when a request sends no Accept-Language naming ko, en or fr, and mails to the account holder always are. The console and the consumer app set it when the reader switches language.',
        body: z.object({ language: z.enum(locales) }),
        response: { 200: meSchema },
      },
    },
    async (request) => signIn.setLanguage(requireActor(request), request.body.language),
  );

  app.post(
    '/api/v1/auth/password',
    {
      config: rateLimit,
      schema: {
        tags: ['identity'],
        summary: "Change the signed-in officer's password (other sessions end)",
        body: z.object({
          currentPassword: z.string().min(1).max(256),
          newPassword: z.string().min(1).max(256),
        }),
        response: { 204: z.null() },
      },
    },
    async (request, reply) => {
      await signIn.changePassword(
        requireActor(request),
        request.body.currentPassword,
        request.body.newPassword,
      );
      return reply.status(204).send(null);
    },
  );

  app.post(
    '/api/v1/auth/consumer/register',
    {
      config: rateLimit,
      schema: {
        tags: ['identity'],
        summary: 'Consumer registration: an e-mail address and a name; a verification code is mailed',
        description:
          'Always 202: the answer does not tell whether the address is known. Verify with /auth/consumer/verify. ' +
          'No PCCC is taken here: a consumer proves one later through the portal (POST /api/v1/portal/pccc/link-requests), ' +
          'by a code sent to the contact the PCCC registry holds.',
        security: [],
        body: z.object({ email, name: z.string().trim().min(1).max(200) }),
        response: { 202: acceptedSchema },
      },
    },
    async (request, reply) => {
      await signIn.registerConsumer(
        request.body,
        namedLocale(headerValue(request.headers['accept-language'])),
      );
      return reply.status(202).send({ status: 'accepted' as const, message: NOT_REVEALED });
    },
  );

  app.post(
    '/api/v1/auth/consumer/code',
    {
      config: rateLimit,
      schema: {
        tags: ['identity'],
        summary: 'Consumer sign-in, step 1: mail a one-time code to a registered address',
        description: 'Always 202: the answer does not tell whether the address has an account.',
        security: [],
        body: z.object({ email }),
        response: { 202: acceptedSchema },
      },
    },
    async (request, reply) => {
      await signIn.requestConsumerCode(
        request.body.email,
        namedLocale(headerValue(request.headers['accept-language'])),
      );
      return reply.status(202).send({ status: 'accepted' as const, message: NOT_REVEALED });
    },
  );

  app.post(
    '/api/v1/auth/consumer/verify',
    {
      config: rateLimit,
      schema: {
        tags: ['identity'],
        summary:
          'Consumer sign-in, step 2: the one-time code to a session (verifies the address on first use)',
        security: [],
        body: z.object({ email, code: z.string().regex(/^\d{6}$/, 'six digits') }),
        response: { 200: sessionSchema },
      },
    },
    async (request, reply) => {
      const session = await signIn.verifyConsumerCode(request.body.email, request.body.code);
      setSessionCookies(reply, session);
      return withMe(session);
    },
  );

  app.get(
    '/api/v1/admin/accounts',
    {
      schema: {
        tags: ['identity'],
        summary: 'Accounts (administrators)',
        querystring: z.object({
          kind: z.enum(['officer', 'organisation', 'consumer']).optional(),
          limit: z.coerce.number().int().min(1).max(1000).default(100),
          offset: z.coerce.number().int().min(0).default(0),
        }),
        response: { 200: z.object({ accounts: z.array(accountSchema) }) },
      },
    },
    async (request) => ({ accounts: await service.listAccounts(requireActor(request), request.query) }),
  );

  app.post(
    '/api/v1/admin/accounts',
    {
      schema: {
        tags: ['identity'],
        summary:
          'Create an officer account (e-mail, password, roles) or an organisation account (administrators)',
        description: 'Without a password, a random one is generated and returned once as temporaryPassword.',
        body: z.discriminatedUnion('kind', [
          z.object({
            kind: z.literal('officer'),
            email,
            name: z.string().trim().min(1).max(200),
            roles: z.array(z.enum(officerRoles)).min(1),
            password: z.string().max(256).optional(),
          }),
          z.object({
            kind: z.literal('organisation'),
            role: z.enum(organisationRoles),
            organisation: z.string().min(2).max(32),
            name: z.string().trim().min(1).max(200).optional(),
            email: email
              .optional()
              .describe("The organisation's sign-in address for the partner area of the console"),
            password: z.string().max(256).optional(),
          }),
        ]),
        response: { 201: z.object({ account: accountSchema, temporaryPassword: z.string().optional() }) },
      },
    },
    async (request, reply) =>
      reply.status(201).send(await service.createAccount(requireActor(request), request.body)),
  );

  app.post(
    '/api/v1/admin/accounts/:id/disable',
    {
      schema: {
        tags: ['identity'],
        summary: 'Disable an account: its keys are revoked and its sessions end (administrators)',
        params: idParam,
        response: { 200: accountSchema },
      },
    },
    async (request) => service.disableAccount(requireActor(request), request.params.id),
  );

  app.get(
    '/api/v1/admin/keys',
    {
      schema: {
        tags: ['identity'],
        summary: 'API keys, without their secrets (administrators)',
        querystring: z.object({ accountId: z.string().max(100).optional() }),
        response: { 200: z.object({ keys: z.array(keySchema) }) },
      },
    },
    async (request) => ({ keys: await service.listApiKeys(requireActor(request), request.query) }),
  );

  app.post(
    '/api/v1/admin/keys',
    {
      schema: {
        tags: ['identity'],
        summary: 'Create an API key for a role and organisation (administrators); the token is shown once',
        body: z.object({
          role: z.enum(roles.filter((role) => role !== 'consumer') as [string, ...string[]]),
          organisation: z.string().min(2).max(32).optional(),
          accountId: z.string().max(100).optional(),
          label: z.string().max(200).optional(),
          expiresAt: z.iso.datetime({ offset: true }).optional(),
          scopes: z
            .array(z.string().max(64))
            .max(50)
            .optional()
            .describe('*, <area>:read or <area>:write; area = first path segment after /api/v1/'),
        }),
        response: { 201: createdKeySchema },
      },
    },
    async (request, reply) => {
      const { expiresAt, role, ...rest } = request.body;
      const created = await service.issueApiKey(requireActor(request), {
        ...rest,
        role: role as never,
        expiresAt: expiresAt ? new Date(expiresAt) : undefined,
      });
      return reply.status(201).send(created);
    },
  );

  app.delete(
    '/api/v1/admin/keys/:id',
    {
      schema: {
        tags: ['identity'],
        summary: 'Revoke an API key at once (administrators)',
        params: idParam,
        response: { 200: keySchema },
      },
    },
    async (request) => service.revokeKey(requireActor(request), request.params.id),
  );

  app.post(
    '/api/v1/admin/keys/:id/rotate',
    {
      schema: {
        tags: ['identity'],
        summary: 'Replace an API key with a new one for the same account and scopes (administrators)',
        description: 'The old key stops working at once, or after graceMinutes (at most a week).',
        params: idParam,
        body: z
          .object({
            graceMinutes: z
              .number()
              .int()
              .min(0)
              .max(7 * 24 * 60)
              .optional(),
          })
          .nullish(),
        response: { 201: createdKeySchema.extend({ previousKeyValidUntil: z.string() }) },
      },
    },
    async (request, reply) =>
      reply
        .status(201)
        .send(await service.rotateKey(requireActor(request), request.params.id, request.body ?? {})),
  );

  app.get(
    '/api/v1/admin/audit',
    {
      schema: {
        tags: ['identity'],
        summary: 'The audit trail, newest first (administrators)',
        querystring: z.object({
          action: z.string().max(100).optional(),
          actor: z
            .string()
            .max(200)
            .optional()
            .describe('exact, or a prefix ending in ":" such as "carrier:"'),
          subject: z.string().max(200).optional(),
          before: z.coerce.number().int().positive().optional().describe('seq to page back from'),
          limit: z.coerce.number().int().min(1).max(1000).default(100),
        }),
        response: {
          200: z.object({ entries: z.array(auditEntrySchema), nextBefore: z.number().nullable() }),
        },
      },
    },
    async (request) => {
      const { before, ...query } = request.query;
      const entries = await audit.list(requireActor(request), { ...query, beforeSeq: before });
      return {
        entries,
        nextBefore: entries.length === query.limit ? entries[entries.length - 1]!.seq : null,
      };
    },
  );

  app.get(
    '/api/v1/admin/audit/verify',
    {
      schema: {
        tags: ['identity'],
        summary: 'Recompute the hash chain of the audit trail (administrators)',
        response: { 200: verificationSchema },
      },
    },
    async (request) => {
      return audit.verify(requireActor(request));
    },
  );
}
