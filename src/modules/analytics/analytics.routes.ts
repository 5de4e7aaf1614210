import { z } from 'zod';
import type { HttpServer } from '../../platform/http/http-server.js';
import { requireActor } from '../../platform/http/request-actor.js';
import type { AnalyticsService } from './analytics.service.js';

export function registerAnalyticsRoutes(app: HttpServer, analytics: AnalyticsService): void {
  app.get(
    '/api/v1/statistics/dashboard',
    {
      schema: {
        tags: ['analytics'],
        summary:
          'Volumes by channel, lanes, hit rates, seizures by category, per carrier and per office, per day',
        querystring: z.object({
          days: z.coerce
            .number()
            .int()
            .min(1)
            .max(366)
            .optional()
            .describe('How many days up to `to` (default 30)'),
          to: z.string().date().optional().describe('Last day (default today, UTC)'),
        }),
      },
    },
    async (request) => analytics.dashboard(requireActor(request), request.query),
  );
}
