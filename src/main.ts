import { join } from 'node:path';
import type { Config } from './platform/config/config.js';
import { migrateToLatest, openDatabase, type Database } from './platform/db/database.js';
import { createHttpServer, type HttpServer } from './platform/http/http-server.js';
import { JobQueue } from './platform/jobs/job-queue.js';
import { EventOutbox } from './platform/events/event-outbox.js';
import { outboxPartitioning } from './platform/events/outbox-partitions.js';
import { TimePartitions } from './platform/db/time-partitions.js';
import { createLogger } from './platform/logging/logger.js';
import { registerJobRoutes } from './platform/jobs/job-routes.js';
import { registerWebConsole } from './platform/http/web-console.js';
import { registerOperationsRoutes } from './platform/http/operations-routes.js';
import { Metrics } from './platform/metrics/metrics.js';
import { hasRole } from './platform/config/roles.js';
import { migrations } from './migrations/index.js';
import {
  createIntakeModule,
  intakeErrorMessages,
  intakeErrorStatus,
  intakeFieldRuleMessages,
  parcelPartitioning,
  registerIntakeRoutes,
} from './modules/intake/index.js';
import {
  createIdentityModule,
  identityErrorMessages,
  identityErrorStatus,
  installIdentity,
} from './modules/identity/index.js';
import {
  createXrayModule,
  registerXrayRoutes,
  xrayErrorMessages,
  xrayErrorStatus,
} from './modules/xray/index.js';
import {
  createRiskModule,
  registerRiskRoutes,
  riskErrorMessages,
  riskErrorStatus,
} from './modules/risk/index.js';
import {
  createTargetingModule,
  decisionPartitioning,
  registerTargetingRoutes,
  type Lane,
  targetingErrorMessages,
  targetingErrorStatus,
} from './modules/targeting/index.js';
import {
  analyticsErrorMessages,
  analyticsErrorStatus,
  createAnalyticsModule,
  registerAnalyticsRoutes,
  registerModelPortalRoutes,
  registerEntityProfileRoutes,
} from './modules/analytics/index.js';
import { createMailSender } from './platform/mail/mail-sender.js';
import {
  clearanceErrorMessages,
  clearanceErrorStatus,
  createClearanceModule,
  listClearanceLimitUsd,
  loadClearanceRules,
  tariffRateFor,
  normaliseAddress,
  registerClearanceRoutes,
} from './modules/clearance/index.js';
import {
  createQuestionsModule,
  questionsErrorMessages,
  questionsErrorStatus,
  registerQuestionsRoutes,
} from './modules/questions/index.js';
import {
  createPartnersModule,
  partnersErrorMessages,
  partnersErrorStatus,
  registerPartnersRoutes,
} from './modules/partners/index.js';
import {
  createPortalModule,
  portalErrorMessages,
  portalErrorStatus,
  registerPortalRoutes,
} from './modules/portal/index.js';
import { systemActor } from './platform/auth/actor.js';
import { subscribeModules, useActiveRiskModel } from './subscriptions.js';

/**
 * The composition root: configuration -> database -> modules -> HTTP. Nothing else wires modules
 * together; cross-module events are subscribed in subscriptions.ts, called from here.
 */
export interface Clearway {
  config: Config;
  database: Database;
  http: HttpServer;
  /** Background jobs (model training, X-ray analysis, rule dry runs); `serve` starts polling it. */
  jobs: JobQueue;
  /** What modules tell each other after a commit (intake -> clearance, targeting), delivered in the background. */
  events: EventOutbox;
  /** Monthly partitions made ahead and dropped past retention; the scheduler runs its round. */
  partitions: TimePartitions;
  intake: ReturnType<typeof createIntakeModule>;
  identity: ReturnType<typeof createIdentityModule>;
  xray: ReturnType<typeof createXrayModule>;
  risk: ReturnType<typeof createRiskModule>;
  targeting: ReturnType<typeof createTargetingModule>;
  clearance: ReturnType<typeof createClearanceModule>;
  analytics: ReturnType<typeof createAnalyticsModule>;
  questions: ReturnType<typeof createQuestionsModule>;
  partners: ReturnType<typeof createPartnersModule>;
  /** This process's Prometheus metrics (`/metrics`). */
  metrics: Metrics;
  /** Marks the process as stopping: `/ready` answers 503 so that load balancers send no more requests. */
  beginShutdown(): void;
  portal: ReturnType<typeof createPortalModule>;
  /** Delivers every due event and runs every queued job, until nothing is left (tests, tools). */
  settle(): Promise<void>;
  close(): Promise<void>;
}

export async function openClearwayDatabase(config: Config): Promise<Database> {
  const log = createLogger(config.LOG_LEVEL).child({ component: 'database' });
  const database = await openDatabase({
    databaseUrl: config.DATABASE_URL,
    poolSize: config.DATABASE_POOL_SIZE,
    embeddedDir: join(config.DATA_DIR, 'pglite'),
    onIdleConnectionError: (error) =>
      log.warn({ err: error }, 'the server closed a database connection; the pool opens another'),
  });
  await migrateToLatest(database, migrations);
  return database;
}

/** How long settling waits for failed event handlers to succeed on retry before it reports them. */
const SETTLE_RETRY_WAIT_MS = 60_000;

export async function createClearway(config: Config, database?: Database): Promise<Clearway> {
  const db = database ?? (await openClearwayDatabase(config));
  if (database) await migrateToLatest(db, migrations);

  // Background work (jobs, event delivery) logs through its own logger: no request is there to carry one.
  const backgroundLog = createLogger(config.LOG_LEVEL).child({ component: 'background' });
  // The metrics read the targeting module's model version, wired below, only when scraped.
  let modelVersion = () => 'none';
  const events = new EventOutbox(db, { logger: backgroundLog, leaseSeconds: config.OUTBOX_LEASE_SECONDS });
  const metrics = new Metrics(
    { outboxBacklog: () => events.backlogAges(), modelVersion: () => modelVersion() },
    { role: config.ROLES.join('+') },
  );
  const jobs = new JobQueue(
    db,
    backgroundLog,
    (kind, seconds, outcome) => metrics.jobFinished(kind, seconds, outcome),
    { heartbeatSeconds: config.JOB_HEARTBEAT_SECONDS },
  );
  const identity = createIdentityModule(db, {
    config,
    // The portal, created below, is asked only once requests arrive: a PCCC counts once proved there.
    consumerPccc: (accountId) => portal.provenPcccOf(accountId),
  });
  const intake = createIntakeModule(db, events, identity.audit);
  // The customs weekly rates are clearance's, created below: risk's prices in won and targeting's value
  // checks read them through these converters once it exists (won, and the rounded table, until then).
  const weeklyRates: { of?: ReturnType<typeof createClearanceModule>['assessment'] } = {};
  // Clearance's rules file is the one place the limits and tariff live; targeting's heuristics and the
  // risk model's tax rates read the same numbers.
  const clearanceRules = loadClearanceRules();
  const risk = createRiskModule({
    database: db,
    intake: intake.service,
    parcelFacts: intake.parcelFacts,
    jobs,
    toKrw: (amount, currency, date) =>
      currency === 'KRW' ? Number(amount) : weeklyRates.of?.approximateKrw(Number(amount), currency, date),
    dutyRateOf: (hsCode) =>
      tariffRateFor(clearanceRules.tariff, hsCode, clearanceRules.vatBasisPoints).dutyBasisPoints / 100,
    audit: identity.audit,
    events,
  });
  const xray = createXrayModule({
    database: db,
    intake: intake.service,
    jobs,
    dataDir: config.DATA_DIR,
    events,
  });
  const targeting = createTargetingModule({
    database: db,
    intake: intake.service,
    parcelFacts: intake.parcelFacts,
    listClearanceLimitUsd: (parcel) =>
      Number(
        listClearanceLimitUsd(clearanceRules, { channel: parcel.channel, shippedFrom: parcel.senderCountry }),
      ),
    jobs,
    audit: identity.audit,
    budgets: { dayOffsetMinutes: config.OFFICE_UTC_OFFSET_MINUTES },
    onDecisionsWritten: (decisions) => metrics.decisionsWritten(decisions),
    toUsd: (amount, currency) => weeklyRates.of?.approximateUsd(amount, currency),
  });
  modelVersion = () => targeting.service.modelVersion;
  const clearance = createClearanceModule({
    database: db,
    rules: clearanceRules,
    events,
    parcels: intake.parcelFacts,
    audit: identity.audit,
    // The portal owns suspensions of list clearance; it is created below, and asked only once running.
    suspendedPcccs: (pcccs) => portal.suspendedPcccs(pcccs),
  });
  // One sender for the portal's and the analytics portal's mails (identity keeps its own for sign-in codes).
  const mail = createMailSender({
    smtpUrl: config.SMTP_URL,
    from: config.MAIL_FROM,
    dataDir: config.DATA_DIR,
  });
  const portal = createPortalModule({
    database: db,
    audit: identity.audit,
    mail,
    addressKey: (address) => normaliseAddress(address).key,
    settings: { secret: config.SESSION_SECRET, publicUrl: config.PUBLIC_URL },
    parcels: {
      parcelIdsOfPccc: async (pccc, page) => {
        // The portal has checked that the caller proved the code, and audits what it shows.
        const found = await intake.service.listParcels(systemActor, { ...page, pccc });
        return { ids: found.items.map((item) => item.id), nextBeforeId: found.nextBeforeId };
      },
      parcel: (id) => intake.service.getParcel(systemActor, id).catch(() => undefined),
      pcccsOfParcels: (ids) => intake.service.pcccsOfParcels(systemActor, ids),
      parcels: (ids) => intake.service.getParcels(systemActor, ids),
      clearance: (id) => clearance.lifecycle.getParcelClearance(systemActor, id).catch(() => undefined),
      check: async (id) => {
        const decision = await targeting.service.getDecision(systemActor, id).catch(() => undefined);
        return decision ? consequenceOfLane(decision.lane) : null;
      },
      seizuresByCategory: async (range) => {
        const { seizures } = await clearance.inspections.inspectionStatistics(systemActor, {
          ...range,
          utcOffsetMinutes: config.OFFICE_UTC_OFFSET_MINUTES,
        });
        const counts = new Map<string, number>();
        for (const seizure of seizures) counts.set(seizure.category, (counts.get(seizure.category) ?? 0) + 1);
        return [...counts].map(([category, parcels]) => ({ category, parcels }));
      },
    },
  });
  weeklyRates.of = clearance.assessment;
  await clearance.assessment.refreshRateSnapshot();
  const analytics = createAnalyticsModule(
    config.OFFICE_UTC_OFFSET_MINUTES,
    {
      parcelVolumes: (actor, range) => intake.service.dailyVolumes(actor, range),
      laneCounts: (actor, range) => targeting.service.laneCountsByDay(actor, range),
      inspectionStatistics: (actor, range) => clearance.inspections.inspectionStatistics(actor, range),
      officesOfParcels: (actor, ids) => intake.service.officesOfParcels(actor, ids),
    },
    {
      database: db,
      jobs,
      audit: identity.audit,
      mail,
      // Hits go to targeting's watchlists through targeting, which checks the actor's right to edit them.
      watchlists: {
        addEntries: (actor, name, entries) => targeting.service.addWatchlistEntries(actor, name, entries),
      },
      mailAddressOf: async (accountId) => {
        const recipient = await identity.service.officerMailRecipient(accountId);
        return recipient ? { email: recipient.email, locale: recipient.language ?? undefined } : null;
      },
      limits: {
        statementTimeoutMs: config.ANALYTICS_STATEMENT_TIMEOUT_MS,
        maxWindowDays: config.ANALYTICS_MAX_WINDOW_DAYS,
      },
    },
  );
  // Questions read only the analysis views that intake, targeting and clearance publish (migration 0050).
  const questions = createQuestionsModule({
    database: db,
    audit: identity.audit,
    limits: { rowCap: config.QUESTIONS_ROW_CAP, statementTimeoutMs: config.QUESTIONS_TIMEOUT_MS },
    ...(config.LLM_URL
      ? { languageModel: { url: config.LLM_URL, model: config.LLM_MODEL, timeoutMs: config.LLM_TIMEOUT_MS } }
      : {}),
  });
  const partnerReads = intake.partnerReads;
  const partners = createPartnersModule({
    database: db,
    jobs,
    events,
    audit: identity.audit,
    carrierData: {
      carrierDataQuality: (code, range) => partnerReads.carrierDataQuality(systemActor, code, range),
    },
    carrierRecords: {
      carrierRecords: (query) => clearance.carrierRecords.carrierRecords(systemActor, query),
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
    sellerActivity: (registrationNumber) => partnerReads.sellerActivity(systemActor, registrationNumber),
    registrationStatuses: {
      setStatus: async (registrationNumber, status) => {
        await partnerReads.setSellerRegistrationStatus(systemActor, registrationNumber, status);
      },
    },
    sellerAccounts: {
      open: async ({ registrationNumber, name, email, password }) => {
        await identity.service.createAccount(systemActor, {
          kind: 'organisation',
          role: 'seller',
          organisation: registrationNumber,
          name,
          email,
          password,
        });
      },
    },
  });
  // Carriers and posts whose agreement is not in force cannot submit.
  intake.service.setSubmissionGate((actor) => partners.assertMaySubmit(actor));
  // Every cross-module event, and who listens to it, is declared in subscriptions.ts.
  subscribeModules(events, { intake, risk, targeting, clearance, partners, portal, analytics });
  // After the subscriptions: a resumed look-back publishes its hits, and the outbox writes one row per
  // subscriber it knows.
  await partners.productSafety.resumeBackfills();
  await useActiveRiskModel({ risk, targeting });

  const http = await createHttpServer({
    logLevel: config.LOG_LEVEL,
    bodyLimitBytes: config.BODY_LIMIT_BYTES,
    trustProxy: config.TRUST_PROXY,
    errorMessages: {
      identity: identityErrorMessages,
      intake: intakeErrorMessages,
      xray: xrayErrorMessages,
      risk: riskErrorMessages,
      targeting: targetingErrorMessages,
      clearance: clearanceErrorMessages,
      questions: questionsErrorMessages,
      analytics: analyticsErrorMessages,
      partners: partnersErrorMessages,
      portal: portalErrorMessages,
    },
    fieldRuleMessages: intakeFieldRuleMessages,
    errorStatuses: {
      identity: identityErrorStatus,
      intake: intakeErrorStatus,
      xray: xrayErrorStatus,
      risk: riskErrorStatus,
      targeting: targetingErrorStatus,
      clearance: clearanceErrorStatus,
      questions: questionsErrorStatus,
      analytics: analyticsErrorStatus,
      partners: partnersErrorStatus,
      portal: portalErrorStatus,
    },
  });
  // Identity first: it resolves the caller of every request and logs denials before any route runs.
  installIdentity(http, identity);

  metrics.instrument(http);
  let stopping = false;
  registerOperationsRoutes(http, {
    database: db,
    events,
    metrics,
    backlogLimit: config.READY_BACKLOG_LIMIT,
    stopping: () => stopping,
  });
  // A process without the api role answers only the operations routes above (probes, metrics).
  if (hasRole(config.ROLES, 'api')) {
    registerIntakeRoutes(http, intake.service);
    registerJobRoutes(http, jobs);
    registerXrayRoutes(http, xray.service);
    registerRiskRoutes(http, risk.service);
    registerTargetingRoutes(http, targeting.service);
    registerClearanceRoutes(http, clearance);
    registerAnalyticsRoutes(http, analytics.service);
    registerModelPortalRoutes(http, analytics);
    registerEntityProfileRoutes(http, analytics.profiles);
    registerQuestionsRoutes(http, questions.service);
    registerPartnersRoutes(http, partners);
    registerPortalRoutes(http, portal, {
      perAddressPerMinute: config.PORTAL_RATE_LIMIT_PER_MINUTE,
      perAccountPerMinute: config.PORTAL_RATE_LIMIT_PER_MINUTE,
    });
    await registerWebConsole(http); // the officer console at /, after every API route
  }

  await http.ready();
  return {
    config,
    database: db,
    http,
    jobs,
    events,
    partitions: new TimePartitions(
      db.db,
      [
        parcelPartitioning(config.RETAIN_PARCEL_MONTHS),
        decisionPartitioning(config.RETAIN_DECISION_MONTHS),
        outboxPartitioning(config.RETAIN_OUTBOX_MONTHS),
        identity.audit.partitioning(config.RETAIN_AUDIT_MONTHS),
      ],
      config.PARTITION_MONTHS_AHEAD,
    ),
    intake,
    identity,
    xray,
    risk,
    targeting,
    clearance,
    analytics,
    questions,
    partners,
    metrics,
    beginShutdown() {
      stopping = true;
    },
    portal,
    async settle() {
      // Event handlers may queue jobs and jobs may publish events: repeat until both are quiet.
      // Jobs first: one may have run in the background already and published; the delivery after it
      // sees its events.
      // A handler that failed is retried after a back-off: wait for it rather than return with its work
      // undone (a test would then read half-processed data), and name it if it keeps failing.
      const deadline = Date.now() + SETTLE_RETRY_WAIT_MS;
      for (;;) {
        let busy: boolean;
        do {
          const ran = await jobs.drain();
          const delivered = await events.drain();
          busy = delivered || ran;
        } while (busy);
        const failed = await events.failedBacklog();
        if (failed.length === 0) return;
        if (Date.now() > deadline)
          throw new Error(
            `events still failing after retries: ${failed.map((row) => `${row.subscriber}: ${row.lastError}`).join('; ')}`,
          );
        const wait = Math.min(...failed.map((row) => row.dueInSeconds)) * 1000;
        await new Promise((resolve) => setTimeout(resolve, Math.min(Math.max(wait, 50), 5_000)));
      }
    },
    async close() {
      // No new requests first (in-flight ones finish), then the background loops finish what they hold.
      await http.close();
      await events.stop();
      await jobs.stop();
      await clearance.webhooks.stop();
      await db.close();
    },
  };
}

/** What a lane means for the buyer: consumers learn the consequence, never the lane, score or criteria. */
function consequenceOfLane(lane: Lane): 'none' | 'documents' | 'inspection' {
  return lane === 'red' ? 'inspection' : lane === 'yellow' ? 'documents' : 'none';
}
