import type { FastifyRequest } from 'fastify';
import { z } from 'zod';
import type { HttpServer } from '../../platform/http/http-server.js';
import { readerLocale, requireActor } from '../../platform/http/request-actor.js';
import { calendarDate, commaSeparated } from '../../platform/validation/query-values.js';
import { carrierRiskLevels } from './domain/budget-policy.js';
import { lanes } from './domain/lane-decision.js';
import { renderReasons, type SignalWording } from './domain/reason-messages.js';
import { renderHeuristicSignal } from './domain/risk-scorer.js';
import { renderRiskSignal, riskSignalMessages } from '../risk/index.js';
import { listKinds } from './domain/rule-fields.js';
import { QUEUE_COUNT_CAP, type DecisionRecord } from './targeting.repository.js';
import type { TargetingService } from './targeting.service.js';

const laneSchema = z.enum(lanes);
const ruleLaneSchema = z.enum(['yellow', 'red', 'blue']);
const parcelParams = z.object({ id: z.coerce.number().int().positive() });

const decisionSchema = z.object({
  decisionId: z.number(),
  parcelId: z.number(),
  sequence: z
    .number()
    .describe('1 for the first decision of the parcel; each re-decision or override adds one'),
  lane: laneSchema,
  xrayReferral: z.boolean(),
  score: z.number().describe('risk score in [0, 1]'),
  modelVersion: z.string().describe('the risk model that scored, or heuristic-v1'),
  ruleHits: z.array(z.object({ ruleId: z.number(), version: z.number(), name: z.string() })),
  reasons: z
    .array(z.string())
    .describe(
      "why, in the reader's language (Accept-Language: ko, en, fr): findings first, engine detail last",
    ),
  reasonDetails: z
    .array(
      z.object({
        code: z
          .string()
          .describe('message code, e.g. check.value_below_class; text for reasons older than codes'),
        text: z.string(),
        detail: z
          .boolean()
          .describe('engine detail (model signals, multipliers), folded away by the console'),
        params: z.record(z.string(), z.union([z.string(), z.number(), z.boolean(), z.null()])),
      }),
    )
    .describe('the same reasons with their codes and evidence'),
  selection: z
    .string()
    .describe(
      'what chose the lane: override, mandatory-rule, xray, check, rule, list, model, exploration, random (control sample), none',
    ),
  priority: z.number(),
  trigger: z
    .string()
    .describe('intake, order, payment, post_delivery_address, xray, capacity, override, batch'),
  officeCode: z.string().nullable(),
  carrierCode: z.string().nullable(),
  receivedAt: z.string(),
  decidedAt: z.string(),
  decidedInMs: z.number().describe('time from receipt of the data that caused the decision to the decision'),
  override: z.object({ by: z.string(), reason: z.string() }).nullable(),
});

const queueItemSchema = z.object({
  parcelId: z.number(),
  decisionId: z.number(),
  sequence: z.number(),
  lane: laneSchema,
  xrayReferral: z.boolean(),
  score: z.number(),
  priority: z.number(),
  modelVersion: z.string(),
  officeCode: z.string().nullable(),
  carrierCode: z.string().nullable(),
  trackingNumber: z
    .string()
    .nullable()
    .describe('S10 id or house waybill; null only for decisions recorded before the queue kept it'),
  hsChapters: z.array(z.string()),
  ruleIds: z.array(z.number()),
  arrivalDate: z.string().nullable(),
  decisionDay: z.string(),
  decidedAt: z.string(),
  settled: z.boolean(),
  queueRank: z.number().describe("the queue's order: selection tier, lane, score"),
  whySelected: z
    .string()
    .describe('override, mandatory-rule, rule, list, check, xray, model, exploration, random, none'),
  goods: z.string().nullable().describe("the first line's goods, with the number of further lines"),
  declaredValue: z.number().nullable(),
  currency: z.string().nullable(),
  originCountry: z.string().nullable(),
});

const queuePageSchema = z.object({
  items: z.array(queueItemSchema),
  nextCursor: z.string().nullable(),
  total: z
    .number()
    .optional()
    .describe(
      `only on the first page: parcels in the queue, counted up to ${QUEUE_COUNT_CAP.toLocaleString('en')} (see totalCapped)`,
    ),
  totalCapped: z
    .boolean()
    .optional()
    .describe(
      'only on the first page: true when the queue holds more than total (the count stopped at the cap)',
    ),
});

const ruleVersionSchema = z.object({
  ruleId: z.number(),
  version: z.number(),
  expression: z.string(),
  description: z.string().nullable(),
  lane: ruleLaneSchema,
  xrayReferral: z.boolean(),
  selectionPercent: z.number(),
  mandatory: z.boolean(),
  validFrom: z.string().nullable(),
  validTo: z.string().nullable(),
  fields: z.array(z.string()).describe('the parcel fields the rule reads'),
  lists: z.array(z.string()).describe('the watchlists the rule names'),
  createdBy: z.string(),
  createdAt: z.string(),
});

const ruleSchema = z.object({
  id: z.number(),
  name: z.string(),
  owner: z.string(),
  status: z.enum(['draft', 'active', 'disabled']),
  currentVersion: z.number(),
  hitCount: z.number(),
  lastHitAt: z.string().nullable(),
  createdAt: z.string(),
  updatedAt: z.string(),
  current: ruleVersionSchema,
  versions: z.array(ruleVersionSchema).optional().describe('every version, for a single rule'),
});

const watchlistSchema = z.object({
  id: z.number(),
  name: z.string(),
  kind: z.enum(listKinds),
  description: z.string().nullable(),
  owner: z.string(),
  createdAt: z.string(),
  entryCount: z.number(),
});

const ruleInputSchema = z.object({
  name: z.string().min(1).max(200),
  expression: z.string().min(1).max(20_000).describe('rule text, see docs/rule-language.md'),
  lane: ruleLaneSchema,
  description: z.string().max(2000).nullish(),
  xrayReferral: z.boolean().optional(),
  selectionPercent: z.number().int().min(1).max(100).optional(),
  mandatory: z.boolean().optional(),
  validFrom: z.string().nullish(),
  validTo: z.string().nullish(),
  activate: z.boolean().optional(),
});

const informationSchema = z.discriminatedUnion('kind', [
  z.object({
    kind: z.literal('xray'),
    finding: z.enum(['clear', 'suspicious', 'threat']),
    labels: z.array(z.string()).optional(),
    mismatch: z.boolean().optional(),
    scanId: z.string().optional(),
  }),
  z.object({
    kind: z.literal('post_delivery_address'),
    address: z.union([
      z.string().min(1),
      z.object({
        street: z.string().optional(),
        postcode: z.string().optional(),
        city: z.string().optional(),
        country: z.string().optional(),
      }),
    ]),
  }),
]);

const queueQuery = z.object({
  office: z.string().optional(),
  carrier: z.string().optional(),
  lane: commaSeparated(lanes).optional().describe('one lane or several, comma-separated: red,yellow'),
  rule: z.coerce.number().int().positive().optional().describe('rule id that hit'),
  hsChapter: z
    .string()
    .regex(/^\d{2}$/)
    .optional(),
  arrivalFrom: calendarDate.optional(),
  arrivalTo: calendarDate.optional(),
  limit: z.coerce.number().int().min(1).max(5000).optional(),
  cursor: z.string().optional().describe('nextCursor of the previous page'),
});

/** Targeting endpoints: decisions and their reasons, the queue, rules, watchlists, budgets. */
export function registerTargetingRoutes(app: HttpServer, targeting: TargetingService): void {
  app.get(
    '/api/v1/parcels/:id/decision',
    {
      schema: {
        tags: ['targeting'],
        summary: 'The current lane decision of a parcel, with score, model version and reasons',
        params: parcelParams,
        response: { 200: decisionSchema },
      },
    },
    async (request) =>
      forReader(await targeting.getDecision(requireActor(request), request.params.id), request),
  );

  app.get(
    '/api/v1/parcels/:id/decisions',
    {
      schema: {
        tags: ['targeting'],
        summary: 'Every decision record of a parcel, oldest first (records are never changed)',
        params: parcelParams,
        response: { 200: z.object({ items: z.array(decisionSchema) }) },
      },
    },
    async (request) => ({
      items: (await targeting.getDecisionHistory(requireActor(request), request.params.id)).map((decision) =>
        forReader(decision, request),
      ),
    }),
  );

  app.post(
    '/api/v1/parcels/:id/decision/override',
    {
      schema: {
        tags: ['targeting'],
        summary: "An officer's decision with a reason; recorded as a new decision",
        params: parcelParams,
        body: z.object({
          lane: laneSchema,
          reason: z.string().min(5).max(2000),
          xrayReferral: z.boolean().optional(),
        }),
        response: { 201: decisionSchema },
      },
    },
    async (request, reply) =>
      reply
        .status(201)
        .send(
          forReader(
            await targeting.override(requireActor(request), request.params.id, request.body),
            request,
          ),
        ),
  );

  app.post(
    '/api/v1/parcels/:id/information',
    {
      schema: {
        tags: ['targeting'],
        summary:
          'New information about a parcel (X-ray finding, post-delivery address); the parcel is decided again',
        params: parcelParams,
        body: informationSchema,
        response: { 201: decisionSchema },
      },
    },
    async (request, reply) =>
      reply
        .status(201)
        .send(
          forReader(
            await targeting.receiveInformation(requireActor(request), request.params.id, request.body),
            request,
          ),
        ),
  );

  app.get(
    '/api/v1/targeting/queue',
    {
      schema: {
        tags: ['targeting'],
        summary:
          'Parcels in the order an officer should take them (findings, model picks, then random-control and exploration samples; red before yellow; by score), with why each was selected, goods, declared value and origin; filtered and paged with a cursor',
        querystring: queueQuery,
        response: { 200: queuePageSchema },
      },
    },
    async (request) => {
      const { limit, cursor, lane, rule, ...filter } = request.query;
      return targeting.queue(
        requireActor(request),
        { ...filter, lanes: lane, ruleId: rule },
        { limit, cursor },
      );
    },
  );

  app.get(
    '/api/v1/targeting/rules',
    {
      schema: {
        tags: ['targeting'],
        summary: 'Rules with their current version and hit counter',
        response: { 200: z.object({ items: z.array(ruleSchema) }) },
      },
    },
    async (request) => ({
      items: await targeting.listRules(requireActor(request)),
    }),
  );

  app.post(
    '/api/v1/targeting/rules',
    {
      schema: {
        tags: ['targeting'],
        summary: 'Create a rule (parsed and type-checked; a bad rule is refused with positions)',
        body: ruleInputSchema,
      },
    },
    async (request, reply) =>
      reply.status(201).send(await targeting.createRule(requireActor(request), request.body)),
  );

  app.post(
    '/api/v1/targeting/rules/validate',
    {
      schema: {
        tags: ['targeting'],
        summary: 'Check rule text without saving it',
        body: z.object({ expression: z.string().max(20_000) }),
      },
    },
    async (request) => targeting.validateRule(requireActor(request), request.body.expression),
  );

  app.post(
    '/api/v1/targeting/rules/test',
    {
      schema: {
        tags: ['targeting'],
        summary:
          'Dry-run a rule over the last N days of declarations (background job; result at /api/v1/jobs/{jobId})',
        body: z.object({
          ruleId: z.number().int().positive().optional(),
          expression: z.string().max(20_000).optional(),
          lane: ruleLaneSchema.optional(),
          selectionPercent: z.number().int().min(1).max(100).optional(),
          sinceDays: z.number().int().min(1).max(3660),
          asOf: z
            .string()
            .regex(/^\d{4}-\d{2}-\d{2}$/)
            .optional(),
        }),
        response: { 202: z.object({ jobId: z.number() }) },
      },
    },
    async (request, reply) =>
      reply.status(202).send(await targeting.requestDryRun(requireActor(request), request.body)),
  );

  app.get(
    '/api/v1/targeting/rules/:id',
    {
      schema: {
        tags: ['targeting'],
        summary: 'A rule with all its versions',
        params: parcelParams,
        response: { 200: ruleSchema },
      },
    },
    async (request) => targeting.getRule(requireActor(request), request.params.id),
  );

  app.put(
    '/api/v1/targeting/rules/:id',
    {
      schema: {
        tags: ['targeting'],
        summary: 'Save a new version of a rule',
        params: parcelParams,
        body: ruleInputSchema,
      },
    },
    async (request) => targeting.updateRule(requireActor(request), request.params.id, request.body),
  );

  app.post(
    '/api/v1/targeting/rules/:id/status',
    {
      schema: {
        tags: ['targeting'],
        summary: 'Switch a rule on (active), off (disabled) or back to draft',
        params: parcelParams,
        body: z.object({ status: z.enum(['draft', 'active', 'disabled']) }),
      },
    },
    async (request) => targeting.setRuleStatus(requireActor(request), request.params.id, request.body.status),
  );

  app.get(
    '/api/v1/targeting/watchlists',
    {
      schema: {
        tags: ['targeting'],
        summary: 'Watchlists with their kind and size',
        response: { 200: z.object({ items: z.array(watchlistSchema) }) },
      },
    },
    async (request) => ({
      items: await targeting.listWatchlists(requireActor(request)),
    }),
  );

  app.post(
    '/api/v1/targeting/watchlists',
    {
      schema: {
        tags: ['targeting'],
        summary:
          'Create a watchlist of sellers, buyers (PCCC), addresses, declarants, carriers, HS codes or countries',
        body: z.object({
          name: z.string().regex(/^[a-z0-9][a-z0-9_-]{0,62}$/),
          kind: z.enum(listKinds),
          description: z.string().max(2000).nullish(),
        }),
      },
    },
    async (request, reply) =>
      reply.status(201).send(await targeting.createWatchlist(requireActor(request), request.body)),
  );

  const listParams = z.object({ name: z.string() });
  app.get(
    '/api/v1/targeting/watchlists/:name/entries',
    {
      schema: {
        tags: ['targeting'],
        summary: 'Entries of a watchlist, in value order, paged',
        params: listParams,
        querystring: z.object({
          after: z.string().optional(),
          limit: z.coerce.number().int().min(1).max(5000).optional(),
        }),
      },
    },
    async (request) => targeting.watchlistEntries(requireActor(request), request.params.name, request.query),
  );

  app.post(
    '/api/v1/targeting/watchlists/:name/entries',
    {
      schema: {
        tags: ['targeting'],
        summary: 'Add entries to a watchlist (an existing value gets the new expiry and note)',
        params: listParams,
        body: z.object({
          entries: z
            .array(
              z.object({
                value: z.string().min(1).max(500),
                expiresAt: z.string().nullish(),
                note: z.string().max(500).nullish(),
              }),
            )
            .min(1)
            .max(100_000),
        }),
      },
    },
    async (request) =>
      targeting.addWatchlistEntries(requireActor(request), request.params.name, request.body.entries),
  );

  app.delete(
    '/api/v1/targeting/watchlists/:name/entries/:value',
    {
      schema: {
        tags: ['targeting'],
        summary: 'Remove one entry from a watchlist',
        params: z.object({ name: z.string(), value: z.string() }),
      },
    },
    async (request, reply) => {
      await targeting.removeWatchlistEntry(requireActor(request), request.params.name, request.params.value);
      return reply.status(204).send();
    },
  );

  app.get(
    '/api/v1/targeting/budgets',
    {
      schema: {
        tags: ['targeting'],
        summary: 'Lane budgets per office, carrier risk levels, and the defaults',
      },
    },
    async (request) => targeting.getBudgets(requireActor(request)),
  );

  app.put(
    '/api/v1/targeting/budgets/:office/:lane',
    {
      schema: {
        tags: ['targeting'],
        summary: 'Set the expected rate and daily capacity of a lane at an office (office * for the default)',
        params: z.object({ office: z.string().min(1).max(20), lane: ruleLaneSchema }),
        body: z.object({
          expectedRate: z.number().min(0).max(1),
          dailyCapacity: z.number().int().min(0).nullable(),
        }),
      },
    },
    async (request, reply) => {
      await targeting.setBudget(requireActor(request), {
        officeCode: request.params.office,
        lane: request.params.lane,
        ...request.body,
      });
      return reply.status(204).send();
    },
  );

  app.put(
    '/api/v1/targeting/carriers/:code',
    {
      schema: {
        tags: ['targeting'],
        summary: "Set a carrier's risk level, which scales its parcels' inspection rate",
        params: z.object({ code: z.string().min(1).max(40) }),
        body: z.object({ level: z.enum(carrierRiskLevels), note: z.string().max(2000).nullish() }),
      },
    },
    async (request, reply) => {
      await targeting.setCarrierRisk(
        requireActor(request),
        request.params.code,
        request.body.level,
        request.body.note,
      );
      return reply.status(204).send();
    },
  );
}

/** Signals of the GBDT model in the risk module's words, the heuristic scorer's in targeting's own. */
const signalWording: SignalWording = (message, language) =>
  message.code in riskSignalMessages
    ? renderRiskSignal(message, language)
    : renderHeuristicSignal(message, language);

/** A decision with its reasons rendered in the reader's language (Accept-Language, else their choice). */
function forReader(
  decision: DecisionRecord,
  request: FastifyRequest,
): DecisionRecord & { reasonDetails: ReturnType<typeof renderReasons> } {
  const rendered = renderReasons(decision.reasons, readerLocale(request), signalWording);
  return { ...decision, reasons: rendered.map((item) => item.text), reasonDetails: rendered };
}
