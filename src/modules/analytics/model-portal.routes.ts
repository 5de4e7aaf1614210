import { z } from 'zod';
import type { HttpServer } from '../../platform/http/http-server.js';
import { readerLocale, requireActor } from '../../platform/http/request-actor.js';
import { locales } from '../../platform/i18n/locale.js';
import { requestStatuses, requestUrgencies } from './domain/model-requests.js';
import type { ModelRequestsService } from './model-requests.service.js';
import type { ModelRunsService } from './model-runs.service.js';

const modelParams = z.object({ id: z.string().min(1).max(20).describe("The catalogue's model id, e.g. S1") });
const runParams = z.object({ runId: z.coerce.number().int().positive() });
const idParams = z.object({ id: z.coerce.number().int().positive() });
const parameterValues = z
  .record(z.string().max(60), z.union([z.number(), z.boolean(), z.string().max(500)]))
  .describe('Parameter values by name; missing ones take their default (unknown or out of limits: 422)');
const requestText = (max: number) => z.string().trim().min(1).max(max);

/**
 * The big-data portal over HTTP: the catalogue, runs (202 then poll), CSV, hits to a watchlist,
 * schedules and model requests. Texts come in the reader's language (Accept-Language).
 */
export function registerModelPortalRoutes(
  app: HttpServer,
  services: { runs: ModelRunsService; requests: ModelRequestsService },
): void {
  const { runs, requests } = services;
  app.get(
    '/api/v1/analytics/models',
    {
      schema: {
        tags: ['analytics'],
        summary:
          "The catalogue's models with their question, method and parameters, in the reader's language",
      },
    },
    async (request) => runs.listModels(requireActor(request), readerLocale(request)),
  );

  app.get(
    '/api/v1/analytics/models/:id',
    { schema: { tags: ['analytics'], summary: 'One model of the catalogue', params: modelParams } },
    async (request) => runs.getModel(requireActor(request), request.params.id, readerLocale(request)),
  );

  app.post(
    '/api/v1/analytics/models/:id/runs',
    {
      schema: {
        tags: ['analytics'],
        summary: 'Run a model on a period with your parameters: 202 with the run id, then poll the run',
        params: modelParams,
        body: z
          .object({
            parameters: parameterValues.optional(),
            from: z.string().date().optional().describe('First day (default: 29 days before `to`)'),
            to: z.string().date().optional().describe('Last day, inclusive (default: today, UTC)'),
          })
          .strict(),
      },
    },
    async (request, reply) =>
      reply.status(202).send(await runs.startRun(requireActor(request), request.params.id, request.body)),
  );

  app.get(
    '/api/v1/analytics/runs',
    {
      schema: {
        tags: ['analytics'],
        summary: 'Model runs, newest first (without their results)',
        querystring: z.object({
          mine: z.enum(['true', 'false']).optional().describe('Only your own runs'),
          model: z.string().max(20).optional().describe('Only runs of this model'),
          limit: z.coerce.number().int().min(1).max(500).optional(),
        }),
      },
    },
    async (request) =>
      runs.listRuns(
        requireActor(request),
        {
          mine: request.query.mine === 'true',
          ...(request.query.model ? { modelId: request.query.model } : {}),
          ...(request.query.limit ? { limit: request.query.limit } : {}),
        },
        readerLocale(request),
      ),
  );

  app.get(
    '/api/v1/analytics/runs/:runId',
    {
      schema: {
        tags: ['analytics'],
        summary:
          'A run: status, progress and, once finished, columns, rows, entities with evidence and chart',
        params: runParams,
      },
    },
    async (request) => runs.getRun(requireActor(request), request.params.runId, readerLocale(request)),
  );

  app.get(
    '/api/v1/analytics/runs/:runId/csv',
    {
      schema: {
        tags: ['analytics'],
        summary:
          "A finished run's table as CSV (labels in the reader's language, evidence in the last column)",
        params: runParams,
      },
    },
    async (request, reply) => {
      const { filename, csv } = await runs.exportRun(
        requireActor(request),
        request.params.runId,
        readerLocale(request),
      );
      return reply
        .header('content-type', 'text/csv; charset=utf-8')
        .header('content-disposition', `attachment; filename="${filename}"`)
        .send(csv);
    },
  );

  app.post(
    '/api/v1/analytics/runs/:runId/watchlist',
    {
      schema: {
        tags: ['analytics'],
        summary: "Send a finished run's hits to a targeting watchlist in one step (audited)",
        description:
          'Needs the right to edit watchlists (targeting analysts). Each entry notes the run it came from.',
        params: runParams,
        body: z
          .object({
            watchlist: z.string().min(1).max(100),
            minScore: z.number().optional().describe('Only hits scoring at least this'),
            keys: z.array(z.string().max(200)).max(10_000).optional().describe('Only these entities'),
          })
          .strict(),
      },
    },
    async (request) => runs.sendHitsToWatchlist(requireActor(request), request.params.runId, request.body),
  );

  app.get(
    '/api/v1/analytics/schedules',
    {
      schema: {
        tags: ['analytics'],
        summary: 'Scheduled model runs (daily, weekly) whose results are mailed',
      },
    },
    async (request) => runs.listSchedules(requireActor(request)),
  );

  app.post(
    '/api/v1/analytics/schedules',
    {
      schema: {
        tags: ['analytics'],
        summary: 'Schedule a model to run daily or weekly over the last days, its result mailed',
        body: z
          .object({
            modelId: z.string().min(1).max(20),
            parameters: parameterValues.optional(),
            cadence: z.enum(['daily', 'weekly']),
            windowDays: z.number().int().min(1).max(366),
            recipient: z.string().email().max(200),
            locale: z.enum(locales).optional(),
          })
          .strict(),
      },
    },
    async (request, reply) =>
      reply.status(201).send(
        await runs.createSchedule(requireActor(request), {
          ...request.body,
          locale: request.body.locale ?? readerLocale(request),
        }),
      ),
  );

  app.delete(
    '/api/v1/analytics/schedules/:id',
    {
      schema: {
        tags: ['analytics'],
        summary: 'Stop a schedule (its owner or an administrator)',
        params: idParams,
      },
    },
    async (request, reply) => {
      await runs.deleteSchedule(requireActor(request), request.params.id);
      return reply.status(204).send();
    },
  );

  app.post(
    '/api/v1/analytics/requests',
    {
      schema: {
        tags: ['analytics'],
        summary: 'Ask the analytics division for a model that does not exist yet',
        body: z
          .object({
            title: requestText(200),
            question: requestText(4000).describe('What you want to know'),
            dataNeeded: requestText(4000).describe('The data you think answers it'),
            urgency: z.enum(requestUrgencies),
            exampleCases: requestText(4000).describe('Parcels, sellers or cases that show the pattern'),
          })
          .strict(),
      },
    },
    async (request, reply) =>
      reply.status(201).send(await requests.file(requireActor(request), request.body)),
  );

  app.get(
    '/api/v1/analytics/requests',
    {
      schema: {
        tags: ['analytics'],
        summary: 'Model requests with their status (data analysts see all, other officers their own)',
        querystring: z.object({
          status: z.enum(requestStatuses).optional(),
          mine: z.enum(['true', 'false']).optional(),
        }),
      },
    },
    async (request) =>
      requests.list(requireActor(request), {
        ...(request.query.status ? { status: request.query.status } : {}),
        mine: request.query.mine === 'true',
      }),
  );

  app.get(
    '/api/v1/analytics/requests/:id',
    { schema: { tags: ['analytics'], summary: 'A model request with its timeline', params: idParams } },
    async (request) => requests.get(requireActor(request), request.params.id),
  );

  app.post(
    '/api/v1/analytics/requests/:id/steps',
    {
      schema: {
        tags: ['analytics'],
        summary: 'Comment on, triage, estimate, deliver or decline a model request; the requester is mailed',
        params: idParams,
        body: z.discriminatedUnion('kind', [
          z.object({ kind: z.literal('comment'), text: requestText(4000) }).strict(),
          z.object({ kind: z.literal('triaged'), text: requestText(4000) }).strict(),
          z
            .object({
              kind: z.literal('estimated'),
              text: requestText(4000),
              estimateDays: z.number().int().min(1).max(365),
            })
            .strict(),
          z
            .object({
              kind: z.literal('delivered'),
              text: requestText(4000),
              modelId: z.string().min(1).max(20),
              modelVersion: z.string().min(1).max(20),
            })
            .strict(),
          z.object({ kind: z.literal('declined'), text: requestText(4000) }).strict(),
        ]),
      },
    },
    async (request) => requests.takeStep(requireActor(request), request.params.id, request.body),
  );
}
