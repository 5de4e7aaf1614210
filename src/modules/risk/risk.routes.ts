import { z } from 'zod';
import type { HttpServer } from '../../platform/http/http-server.js';
import { jobSchema } from '../../platform/jobs/job-routes.js';
import { readerLocale, requireActor } from '../../platform/http/request-actor.js';
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

/** JSON writes a number that is not finite (a missing feature value is NaN) as null: the schemas say so. */
const finiteOrNull = (value: number): number | null => (Number.isFinite(value) ? value : null);

const riskAssessmentSchema = z.object({
  modelVersion: z.string(),
  score: z.number().describe('Probability of fraud of the riskiest line, 0..1'),
  reasons: z.array(z.string()).describe('The reasons that raised the risk, in words'),
  contributions: z.array(
    z.object({
      feature: z.string(),
      value: z.number().nullable().describe('The feature value; null when missing'),
      contribution: z.number().describe('Change in log-odds of fraud (TreeSHAP); positive raises risk'),
      text: z.string(),
    }),
  ),
  lines: z.array(z.object({ lineNumber: z.number(), score: z.number() })),
});

/** Share of the ranked list inspected (percent, as text) -> the measure; null where it could not be measured. */
const percentTable = z.record(z.string(), z.number().nullable());

/**
 * A registered model (risk.repository.ts StoredModel). Models registered before a measure existed lack
 * it, so the later measures are optional.
 */
const modelSchema = z.object({
  version: z.number(),
  status: z.enum(['candidate', 'active', 'retired']),
  trainedFrom: z.string(),
  trainedTo: z.string(),
  trainingRows: z.number(),
  params: z.unknown().describe('The training parameters'),
  metrics: z.object({
    holdout: z
      .object({
        rows: z.number(),
        frauds: z.number(),
        critical_frauds: z.number().optional(),
        precision_at: percentTable,
        recall_at: percentTable,
        critical_precision_at: percentTable.optional(),
        critical_recall_at: percentTable.optional(),
        critical_recall_at_fraud_score: percentTable.optional(),
        auc: z.number().nullable(),
        critical_auc: z.number().nullable().optional(),
        from: z.string(),
        to: z.string(),
      })
      .optional()
      .describe('Measured on the latest days of the window, held out from a twin model'),
  }),
  featureImportance: z.array(z.object({ feature: z.string(), importance: z.number().nullable() })),
  createdBy: z.string(),
  createdAt: z.string(),
  promotedAt: z.string().nullable(),
  promotedBy: z.string().nullable(),
});

const driftSchema = z.object({
  modelVersion: z.string(),
  declarations: z.number(),
  from: z.string(),
  to: z.string(),
  features: z.array(
    z.object({
      feature: z.string(),
      psi: z.number().nullable().describe('Population stability index; null when it cannot be measured'),
      level: z.enum(['stable', 'moderate', 'significant']),
    }),
  ),
});

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
    '/api/v1/models/training',
    {
      schema: {
        tags: ['risk'],
        summary: 'The latest model training (a background job), whoever started it',
        description:
          'The console follows it, so that a training started elsewhere (the first start, another analyst) shows its progress. ' +
          'Stages, in order: `history` (reading the inspected declarations), `twin` (training a twin without the latest days), ' +
          '`measuring` (the twin on those days), `training` (the model on the whole window), `registering`. 204 when no model was ever trained.',
        response: { 200: jobSchema, 204: z.null().describe('No training yet') },
      },
    },
    async (request, reply) => {
      const job = await risk.latestTraining(requireActor(request));
      return job ? job : reply.status(204).send(null);
    },
  );

  app.get(
    '/api/v1/models',
    {
      schema: {
        tags: ['risk'],
        summary: 'The model registry, newest first',
        response: { 200: z.array(modelSchema) },
      },
    },
    async (request) => risk.listModels(requireActor(request)),
  );

  app.get(
    '/api/v1/models/active/drift',
    {
      schema: {
        tags: ['risk'],
        summary: 'Drift of recent declarations against the active model (PSI of score and features)',
        querystring: z.object({ from: z.string().date().optional(), to: z.string().date().optional() }),
        response: { 200: driftSchema },
      },
    },
    async (request) => {
      const report = await risk.drift(requireActor(request), request.query);
      return {
        ...report,
        features: report.features.map((feature) => ({ ...feature, psi: finiteOrNull(feature.psi) })),
      };
    },
  );

  app.get(
    '/api/v1/models/:version',
    {
      schema: {
        tags: ['risk'],
        summary: 'One registered model with its metrics and feature importance',
        params: version,
        response: { 200: modelSchema },
      },
    },
    async (request) => risk.getModel(requireActor(request), request.params.version),
  );

  app.post(
    '/api/v1/models/:version/promote',
    {
      schema: {
        tags: ['risk'],
        summary: 'Make a model the active one',
        params: version,
        response: { 200: modelSchema },
      },
    },
    async (request) => risk.promote(requireActor(request), request.params.version),
  );

  app.post(
    '/api/v1/models/rollback',
    {
      schema: {
        tags: ['risk'],
        summary: 'Go back to the previously active model',
        response: { 200: modelSchema },
      },
    },
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
        response: { 200: riskAssessmentSchema, 204: z.null().describe('No model is active yet') },
      },
    },
    async (request, reply) => {
      const assessment = await risk.assessParcel(requireActor(request), request.params.id);
      if (!assessment) return reply.status(204).send(null);
      const locale = readerLocale(request);
      const contributions = assessment.contributions.map((contribution) => ({
        ...contribution,
        value: finiteOrNull(contribution.value),
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
