import { z } from 'zod';
import type { HttpServer } from '../../platform/http/http-server.js';
import { requireActor } from '../../platform/http/request-actor.js';
import { localeOf } from '../../platform/i18n/locale.js';
import type { RiskService } from './risk.service.js';
import { renderRiskSignal } from './domain/explanation-wording.js';

const version = z.object({ version: z.coerce.number().int().positive() });
const params = z
  .object({
    maxTrees: z.number().int().min(1).max(2000).optional(),
    learningRate: z.number().positive().max(1).optional(),
    maxDepth: z.number().int().min(1).max(16).optional(),
    seed: z.number().int().optional(),
  })
  .optional();

export function registerRiskRoutes(app: HttpServer, risk: RiskService): void {
  app.post(
    '/api/v1/models/train',
    {
      schema: {
        tags: ['risk'],
        summary: 'Train a new risk model from the inspection outcomes in the database (a background job)',
        description:
          'Answers 202 with the job id; follow it at GET /api/v1/jobs/{id}. The model is registered as a candidate.',
        body: z
          .object({
            from: z.string().date().optional(),
            to: z.string().date().optional(),
            holdoutShare: z.number().min(0.05).max(0.5).optional(),
            params,
          })
          .strict(),
        response: { 202: z.object({ jobId: z.number() }) },
      },
    },
    async (request, reply) =>
      reply.status(202).send(await risk.requestTraining(requireActor(request), request.body)),
  );

  app.get(
    '/api/v1/models',
    { schema: { tags: ['risk'], summary: 'The model registry, newest first' } },
    async (request) => risk.listModels(requireActor(request)),
  );

  app.get(
    '/api/v1/models/active/drift',
    {
      schema: {
        tags: ['risk'],
        summary: 'Drift of recent declarations against the active model (PSI of score and features)',
        querystring: z.object({ from: z.string().date().optional(), to: z.string().date().optional() }),
      },
    },
    async (request) => risk.drift(requireActor(request), request.query),
  );

  app.get(
    '/api/v1/models/:version',
    {
      schema: {
        tags: ['risk'],
        summary: 'One registered model with its metrics and feature importance',
        params: version,
      },
    },
    async (request) => risk.getModel(requireActor(request), request.params.version),
  );

  app.post(
    '/api/v1/models/:version/promote',
    { schema: { tags: ['risk'], summary: 'Make a model the active one', params: version } },
    async (request) => risk.promote(requireActor(request), request.params.version),
  );

  app.post(
    '/api/v1/models/rollback',
    { schema: { tags: ['risk'], summary: 'Go back to the previously active model' } },
    async (request) => risk.rollback(requireActor(request)),
  );

  app.get(
    '/api/v1/parcels/:id/risk',
    {
      schema: {
        tags: ['risk'],
        summary: "A parcel's risk score under the active model, with the reasons in words",
        description: "Reasons and each contribution's text are in the reader's language (Accept-Language).",
        params: z.object({ id: z.coerce.number().int().positive() }),
      },
    },
    async (request, reply) => {
      const assessment = await risk.assessParcel(requireActor(request), request.params.id);
      if (!assessment) return reply.status(204).send();
      const locale = localeOf(request.headers['accept-language']);
      const contributions = assessment.contributions.map((contribution) => ({
        ...contribution,
        text: renderRiskSignal(contribution.message, locale),
      }));
      return {
        ...assessment,
        reasons: contributions.filter((item) => item.contribution > 0).map((item) => item.text),
        contributions,
      };
    },
  );
}
