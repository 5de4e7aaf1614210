import { join } from 'node:path';
import type { Config } from './platform/config/config.js';
import { isDatabaseReachable, migrateToLatest, openDatabase, type Database } from './platform/db/database.js';
import { createHttpServer, type HttpServer } from './platform/http/http-server.js';
import { JobQueue } from './platform/jobs/job-queue.js';
import { EventOutbox } from './platform/events/event-outbox.js';
import { createLogger } from './platform/logging/logger.js';
import { registerJobRoutes } from './platform/jobs/job-routes.js';
import { registerWebConsole } from './platform/http/web-console.js';
import { migrations } from './migrations/index.js';
import { createIntakeModule, intakeErrorStatus, registerIntakeRoutes } from './modules/intake/index.js';
import { createIdentityModule, identityErrorStatus, installIdentity } from './modules/identity/index.js';
import { createXrayModule, registerXrayRoutes, xrayErrorStatus } from './modules/xray/index.js';
import { createRiskModule, registerRiskRoutes, riskErrorStatus } from './modules/risk/index.js';
import {
  createTargetingModule,
  laneCountsByDay,
  registerTargetingRoutes,
  RiskModelScorer,
  targetingErrorStatus,
} from './modules/targeting/index.js';
import { createAnalyticsModule, registerAnalyticsRoutes } from './modules/analytics/index.js';
import {
  clearanceErrorStatus,
  createClearanceModule,
  registerClearanceRoutes,
} from './modules/clearance/index.js';
import {
  createPartnersModule,
  partnersErrorStatus,
  registerPartnersRoutes,
} from './modules/partners/index.js';
import { isOfficer, systemActor } from './platform/auth/actor.js';

/**
 * The composition root: configuration -> database -> modules -> HTTP. Nothing else wires modules
 * together; cross-module flows are explicit listener registrations here.
 */
export interface Clearway {
  config: Config;
  database: Database;
  http: HttpServer;
  /** Background jobs (model training, X-ray analysis, rule dry runs); `serve` starts polling it. */
  jobs: JobQueue;
  /** What modules tell each other after a commit (intake -> clearance, targeting), delivered in the background. */
  events: EventOutbox;
  intake: ReturnType<typeof createIntakeModule>;
  identity: ReturnType<typeof createIdentityModule>;
  xray: ReturnType<typeof createXrayModule>;
  risk: ReturnType<typeof createRiskModule>;
  targeting: ReturnType<typeof createTargetingModule>;
  clearance: ReturnType<typeof createClearanceModule>;
  analytics: ReturnType<typeof createAnalyticsModule>;
  partners: ReturnType<typeof createPartnersModule>;
  /** Delivers every due event and runs every queued job, until nothing is left (tests, tools). */
  settle(): Promise<void>;
  close(): Promise<void>;
}

export async function openClearwayDatabase(config: Config): Promise<Database> {
  const database = await openDatabase({
    databaseUrl: config.DATABASE_URL,
    embeddedDir: join(config.DATA_DIR, 'pglite'),
  });
  await migrateToLatest(database, migrations);
  return database;
}

export async function createClearway(config: Config, database?: Database): Promise<Clearway> {
  const db = database ?? (await openClearwayDatabase(config));
  if (database) await migrateToLatest(db, migrations);

  // Background work (jobs, event delivery) logs through its own logger: no request is there to carry one.
  const backgroundLog = createLogger(config.LOG_LEVEL).child({ component: 'background' });
  const jobs = new JobQueue(db, backgroundLog);
  const events = new EventOutbox(db, { logger: backgroundLog });
  const intake = createIntakeModule(db, events);
  const identity = createIdentityModule(db, { config });
  const risk = createRiskModule({ database: db, intake: intake.service, jobs, audit: identity.audit });
  const xray = createXrayModule({ database: db, intake: intake.service, jobs, dataDir: config.DATA_DIR });
  const targeting = createTargetingModule({
    database: db,
    intake: intake.service,
    jobs,
    audit: identity.audit,
  });
  const clearance = createClearanceModule({
    database: db,
    parcels: { getParcel: (id) => intake.service.getParcel(systemActor, id) },
    // Inspection outcomes become the risk model's labels in intake's label store.
    labels: {
      recordInspectionOutcome: (label) =>
        intake.service.recordInspectionOutcome(systemActor, label.parcelId, {
          fraud: label.fraud,
          criticalLevel: label.criticalLevel,
        }),
    },
    audit: identity.audit,
  });
  // The active risk model scores every decision; the transparent heuristic runs until one is promoted.
  risk.service.onActiveModelChanged((model) =>
    targeting.service.setScorer(model && new RiskModelScorer(model)),
  );
  await risk.service.loadActiveModel();
  // What the scanner sees, and where carriers finally delivered, re-decide the parcels concerned.
  xray.service.onFinding(async (finding) => {
    await targeting.service.onNewInformation(finding.parcelId, {
      kind: 'xray',
      finding: finding.threats.length > 0 ? 'threat' : finding.mismatch ? 'suspicious' : 'clear',
      labels: finding.threats,
      mismatch: finding.mismatch,
      scanId: String(finding.scanId),
    });
  });
  clearance.service.onAddressReanalysed(async (event) => {
    for (const parcelId of event.parcelIds) {
      await targeting.service.onNewInformation(parcelId, {
        kind: 'post_delivery_address',
        address: event.addressKey,
      });
    }
  });
  const analytics = createAnalyticsModule({
    parcelVolumes: (actor, range) => intake.service.dailyVolumes(actor, range),
    laneCounts: (actor, range) => laneCountsByDay(db, actor, range),
    inspectionStatistics: (actor, range) => clearance.service.inspectionStatistics(actor, range),
    officesOfParcels: (actor, ids) => intake.service.officesOfParcels(actor, ids),
  });
  const partnerReads = intake.partnerReads;
  const partners = createPartnersModule({
    database: db,
    jobs,
    audit: identity.audit,
    carrierData: {
      carrierDataQuality: (code, range) => partnerReads.carrierDataQuality(systemActor, code, range),
    },
    carrierLevels: {
      setCarrierLevel: (code, level, note) =>
        targeting.service.setCarrierRisk(systemActor, code, level, note),
    },
    productLines: {
      linesOfParcels: (ids) => partnerReads.productLinesOfParcels(systemActor, ids),
      linesOfOrders: (ids) => partnerReads.productLinesOfOrders(systemActor, ids),
      linesReceivedSince: (since, page) => partnerReads.productLinesReceivedSince(systemActor, since, page),
    },
    // A hit re-decides the parcel with the report as the reason.
    productSafetySignal: {
      parcelsHit: async (hits) => {
        for (const hit of hits)
          await targeting.service.onNewInformation(hit.parcelId, { kind: 'product_safety', ...hit });
      },
    },
    sellerActivity: (registrationNumber) => partnerReads.sellerActivity(systemActor, registrationNumber),
    registrationStatuses: {
      setStatus: async (registrationNumber, status) => {
        await partnerReads.setSellerRegistrationStatus(systemActor, registrationNumber, status);
      },
    },
  });
  // Carriers and posts whose agreement is not in force cannot submit; stored parcels and orders are
  // matched against product-safety reports and bring their sellers' registration status.
  intake.service.setSubmissionGate((actor) => partners.assertMaySubmit(actor));
  intake.service.onStored('partners.match', (event) => partners.onIntakeStored(event));
  await partners.productSafety.resumeBackfills();
  // New parcels enter clearance (received -> assessed) in the background, once intake has committed them.
  intake.service.onStored('clearance.take-in', async (event) => {
    if (event.kind === 'parcels') await clearance.service.takeInParcels(event.ids);
  });

  const http = await createHttpServer({
    logLevel: config.LOG_LEVEL,
    bodyLimitBytes: config.BODY_LIMIT_BYTES,
    errorStatuses: {
      identity: identityErrorStatus,
      intake: intakeErrorStatus,
      xray: xrayErrorStatus,
      risk: riskErrorStatus,
      targeting: targetingErrorStatus,
      clearance: clearanceErrorStatus,
      partners: partnersErrorStatus,
    },
  });
  // Identity first: it resolves the caller of every request and logs denials before any route runs.
  installIdentity(http, identity);

  http.get(
    '/health',
    {
      schema: {
        tags: ['platform'],
        summary: 'Liveness and database reachability; for officers also the background backlog',
      },
    },
    async (request, reply) => {
      const databaseUp = await isDatabaseReachable(db);
      // Deliveries waiting per subscriber (a number that keeps growing means background work is falling
      // behind): for officers only, since volumes are not for anonymous callers.
      const backlog =
        databaseUp && request.actor && isOfficer(request.actor) ? { backlog: await events.backlog() } : {};
      return reply
        .status(databaseUp ? 200 : 503)
        .send({ status: databaseUp ? 'ok' : 'degraded', database: db.engine, databaseUp, ...backlog });
    },
  );
  registerIntakeRoutes(http, intake.service);
  registerJobRoutes(http, jobs);
  registerXrayRoutes(http, xray.service);
  registerRiskRoutes(http, risk.service);
  registerTargetingRoutes(http, targeting.service);
  registerClearanceRoutes(http, clearance.service);
  registerAnalyticsRoutes(http, analytics.service);
  registerPartnersRoutes(http, partners);
  await registerWebConsole(http); // the officer console at /, after every API route

  await http.ready();
  return {
    config,
    database: db,
    http,
    jobs,
    events,
    intake,
    identity,
    xray,
    risk,
    targeting,
    clearance,
    analytics,
    partners,
    async settle() {
      // Event handlers may queue jobs and jobs may publish events: repeat until both are quiet.
      let delivered: boolean;
      do {
        delivered = await events.drain();
        await jobs.drain();
      } while (delivered);
    },
    async close() {
      await events.stop();
      await jobs.stop();
      await clearance.webhooks.stop();
      await http.close();
      await db.close();
    },
  };
}
