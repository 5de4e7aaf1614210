import { z } from 'zod';
import { isOfficer } from '../auth/actor.js';
import { isDatabaseReachable, type Database } from '../db/database.js';
import { CommonError } from '../errors/module-error.js';
import type { EventOutbox } from '../events/event-outbox.js';
import type { Metrics } from '../metrics/metrics.js';
import type { HttpServer } from './http-server.js';
import { requireActor } from './request-actor.js';

export interface OperationsDependencies {
  database: Database;
  events: EventOutbox;
  metrics: Metrics;
  /** /ready refuses while more events than this wait for delivery. */
  backlogLimit: number;
  /** True from the moment the process starts stopping: a load balancer should send no more requests. */
  stopping: () => boolean;
}

/**
 * What operators and their tools ask a process, in every role: `/health` (the process answers; the
 * database's reachability is reported), `/ready` (take traffic: database reachable, background backlog
 * under the limit, not shutting down), `/metrics` (Prometheus text, for administrators' keys).
 */
export function registerOperationsRoutes(http: HttpServer, operations: OperationsDependencies): void {
  const { database, events, metrics } = operations;
  http.get(
    '/health',
    {
      schema: {
        tags: ['platform'],
        summary: 'Liveness and database reachability; for officers also the background backlog',
      },
    },
    async (request, reply) => {
      const databaseUp = await isDatabaseReachable(database);
      // Deliveries waiting per subscriber (a number that keeps growing means background work is falling
      // behind): for officers only, since volumes are not for anonymous callers.
      const backlog =
        databaseUp && request.actor && isOfficer(request.actor) ? { backlog: await events.backlog() } : {};
      return reply
        .status(databaseUp ? 200 : 503)
        .send({ status: databaseUp ? 'ok' : 'degraded', database: database.engine, databaseUp, ...backlog });
    },
  );

  http.get(
    '/ready',
    {
      schema: {
        tags: ['platform'],
        summary:
          'Readiness for traffic: 200 when the database answers, the event backlog is under READY_BACKLOG_LIMIT and the process is not stopping; 503 otherwise',
        response: {
          200: readyAnswer,
          503: readyAnswer,
        },
      },
    },
    async (_request, reply) => {
      const databaseUp = await isDatabaseReachable(database);
      const backlogUnderLimit = databaseUp && !(await events.hasBacklogOver(operations.backlogLimit));
      const stopping = operations.stopping();
      const ready = databaseUp && backlogUnderLimit && !stopping;
      return reply.status(ready ? 200 : 503).send({ ready, databaseUp, backlogUnderLimit, stopping });
    },
  );

  http.get(
    '/metrics',
    {
      schema: {
        tags: ['platform'],
        summary:
          'Prometheus metrics of this process (requests and latencies by route, outbox backlog and age, decisions per lane, model version, job durations); administrators only',
        produces: ['text/plain'],
      },
    },
    async (request, reply) => {
      if (!isOfficer(requireActor(request), 'administrator'))
        throw new CommonError(
          'forbidden',
          'Metrics are for administrators (a scraper uses an administrator key)',
        );
      const { contentType, body } = await metrics.text();
      return reply.type(contentType).send(body);
    },
  );
}

const readyAnswer = z.object({
  ready: z.boolean(),
  databaseUp: z.boolean(),
  backlogUnderLimit: z.boolean(),
  stopping: z.boolean(),
});
