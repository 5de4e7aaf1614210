/** Analytics: statistics for officers, assembled from the counts each module keeps; reads, never writes. */
import { AnalyticsService, type AnalyticsSources } from './analytics.service.js';

export { AnalyticsService } from './analytics.service.js';
export type { AnalyticsSources } from './analytics.service.js';
export type { Dashboard } from './domain/dashboard.js';
export { registerAnalyticsRoutes } from './analytics.routes.js';

/** `utcOffsetMinutes`: the office's offset from UTC; the dashboard's days are the office's calendar days. */
export function createAnalyticsModule(
  utcOffsetMinutes: number,
  sources: AnalyticsSources,
): { service: AnalyticsService } {
  return { service: new AnalyticsService(sources, utcOffsetMinutes) };
}
