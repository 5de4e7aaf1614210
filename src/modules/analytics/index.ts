/**
 * Analytics: statistics for officers (the dashboard) and the big-data portal (a catalogue of analytical
 * models officers run themselves, their stored runs, schedules and model requests). It reads others' data
 * only through sources given by main.ts and the published analysis views, and writes others' data only
 * through their entry points (hits to targeting's watchlists). The per-seller and per-PCCC profiles
 * (`profiles`) score each seller and buyer code from the same views.
 */
import type { AuditTrail } from '../../platform/auth/audit-trail.js';
import type { Database } from '../../platform/db/database.js';
import type { JobQueue } from '../../platform/jobs/job-queue.js';
import type { MailSender } from '../../platform/mail/mail-sender.js';
import { AnalyticsRepository } from './analytics.repository.js';
import { AnalyticsService, type AnalyticsSources } from './analytics.service.js';
import type { AnalyticalModel } from './catalogue/analytical-model.js';
import { catalogueModels } from './catalogue/models/index.js';
import { EntityProfilesRepository } from './entity-profiles.repository.js';
import { EntityProfilesService } from './entity-profiles.service.js';
import { ModelRequestsService, type MailAddressLookup } from './model-requests.service.js';
import { ModelRunsService, type ModelRunLimits, type WatchlistPort } from './model-runs.service.js';
import { ParcelFacts } from './parcel-facts.js';

export { AnalyticsService } from './analytics.service.js';
export type { AnalyticsSources } from './analytics.service.js';
export type { Dashboard } from './domain/dashboard.js';
export { registerAnalyticsRoutes } from './analytics.routes.js';
export { registerModelPortalRoutes } from './model-portal.routes.js';
export { registerEntityProfileRoutes } from './entity-profiles.routes.js';
export { EntityProfilesService } from './entity-profiles.service.js';
export type { ProfileView, RankedEntity } from './entity-profiles.service.js';
export { analyticsErrorMessages, analyticsErrorStatus } from './analytics.errors.js';
export { ModelRunsService, MODEL_RUN_JOB } from './model-runs.service.js';
export type { ModelView, RunView, RunResultView, WatchlistPort } from './model-runs.service.js';
export { ModelRequestsService } from './model-requests.service.js';
export type { AnalyticalModel } from './catalogue/analytical-model.js';
export { ParcelFacts } from './parcel-facts.js';
export type { ParcelFactRefresh } from './parcel-facts.js';

export interface AnalyticsModule {
  service: AnalyticsService;
  runs: ModelRunsService;
  requests: ModelRequestsService;
  profiles: EntityProfilesService;
  /**
   * The per-parcel fact rows V3, P1 and X1 read: src/subscriptions.ts marks the days intake stores
   * records of, and each run of those models refreshes the marked days first.
   */
  parcelFacts: ParcelFacts;
}

/**
 * `utcOffsetMinutes`: the office's offset from UTC; the dashboard's days are the office's calendar days.
 * `portal`: what the model portal needs; `models` defaults to the whole catalogue.
 */
export function createAnalyticsModule(
  utcOffsetMinutes: number,
  sources: AnalyticsSources,
  portal: {
    database: Database;
    jobs: JobQueue;
    audit: AuditTrail;
    mail: MailSender;
    watchlists: WatchlistPort;
    mailAddressOf: MailAddressLookup;
    limits: ModelRunLimits;
    models?: readonly AnalyticalModel[];
  },
): AnalyticsModule {
  const repository = new AnalyticsRepository(portal.database);
  const models = portal.models ?? catalogueModels;
  const versions = new Map(models.map((model) => [model.id, model.version]));
  const parcelFacts = new ParcelFacts(portal.database.db);
  return {
    parcelFacts,
    service: new AnalyticsService(sources, utcOffsetMinutes),
    runs: new ModelRunsService({
      repository,
      models,
      jobs: portal.jobs,
      audit: portal.audit,
      mail: portal.mail,
      watchlists: portal.watchlists,
      limits: portal.limits,
      parcelFacts,
    }),
    requests: new ModelRequestsService({
      repository,
      audit: portal.audit,
      mail: portal.mail,
      mailAddressOf: portal.mailAddressOf,
      modelVersion: (id) => versions.get(id),
    }),
    profiles: new EntityProfilesService({
      repository: new EntityProfilesRepository(portal.database),
      audit: portal.audit,
    }),
  };
}
