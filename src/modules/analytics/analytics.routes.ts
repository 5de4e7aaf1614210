import { z } from 'zod';
import type { HttpServer } from '../../platform/http/http-server.js';
import { requireActor } from '../../platform/http/request-actor.js';
import type { AnalyticsService } from './analytics.service.js';

/** One number per day of `days`, in the same order. */
const perDay = z.array(z.number());
const dashboardSchema = z.object({
  days: z.array(z.string()).describe('one point per day, YYYY-MM-DD'),
  volumesByChannel: z.object({ postal: perDay, express: perDay }),
  lanes: z.object({ green: perDay, yellow: perDay, red: perDay, blue: perDay }),
  hitRate: z
    .array(z.number().nullable())
    .describe('share of inspections that found a fraud; null on days without inspections'),
  inspections: perDay,
  seizuresByCategory: z.record(z.string(), z.number()),
  byCarrier: z.array(z.object({ carrier: z.string(), parcels: z.number(), seizures: z.number() })),
  byOffice: z.array(z.object({ office: z.string(), parcels: z.number(), seizures: z.number() })),
});

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
        response: { 200: dashboardSchema },
      },
    },
    async (request) => analytics.dashboard(requireActor(request), request.query),
  );
}
