import { z } from 'zod';
import { describeActor, isOfficer } from '../auth/actor.js';
import { CommonError } from '../errors/module-error.js';
import type { HttpServer } from '../http/http-server.js';
import { requireActor } from '../http/request-actor.js';
import type { JobQueue } from './job-queue.js';

/** A background job as the queue shows it (job-queue.ts JobView). */
export const jobSchema = z.object({
  id: z.number(),
  kind: z.string(),
  state: z.enum(['queued', 'running', 'succeeded', 'failed']),
  progress: z.object({
    done: z.number(),
    total: z.number().nullable(),
    stage: z
      .string()
      .nullable()
      .describe(
        'The stage the job is in, as a code of its kind (model training: see GET /api/v1/models/training)',
      ),
  }),
  result: z.unknown().describe("What the job answered, in its kind's shape"),
  error: z.string().nullable(),
  createdBy: z.string().nullable(),
  createdAt: z.string(),
  startedAt: z.string().nullable(),
  finishedAt: z.string().nullable(),
});

/** `GET /api/v1/jobs/:id`: state and progress of a background job, for its creator and for officers. */
export function registerJobRoutes(app: HttpServer, jobs: JobQueue): void {
  app.get(
    '/api/v1/jobs/:id',
    {
      schema: {
        tags: ['platform'],
        summary: 'State and progress of a background job (imports, model training)',
        params: z.object({ id: z.coerce.number().int().positive() }),
        response: { 200: jobSchema },
      },
    },
    async (request) => {
      const actor = requireActor(request);
      const job = await jobs.get(request.params.id);
      if (!job || !(isOfficer(actor) || job.createdBy === describeActor(actor)))
        throw new CommonError('not_found', `No job ${request.params.id}`);
      return job;
    },
  );
}
