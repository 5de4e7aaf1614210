/**
 * Targeting: decides a lane (green, yellow, red, blue, plus an X-ray referral) for every parcel on
 * arrival and whenever new information arrives, from analysts' rules and watchlists, the risk score,
 * exploration and a minimum random rate, within each office's lane budgets. Keeps immutable decision
 * records and serves the risk-ordered queue.
 */
import type { UsdConverter } from './domain/declaration-checks.js';
import type { AuditTrail } from '../../platform/auth/audit-trail.js';
import type { Database } from '../../platform/db/database.js';
import type { JobQueue } from '../../platform/jobs/job-queue.js';
import type { IntakeService, ParcelFactsReader } from '../intake/index.js';
import { IntakeReadModel } from './adapters/intake-read-model.js';
import type { BudgetSettings } from './domain/budget-policy.js';
import type { Lane, SelectionPolicy } from './domain/lane-decision.js';
import type { ListClearanceLimit, RiskScorer } from './domain/risk-scorer.js';
import { TargetingRepository } from './targeting.repository.js';
import { TargetingService } from './targeting.service.js';

export { TargetingService, DRY_RUN_JOB } from './targeting.service.js';
export { decisionPartitioning } from './targeting.partitions.js';
export { QUEUE_COUNT_CAP } from './targeting.repository.js';
export type {
  NewInformation,
  RuleInput,
  DryRunInput,
  DryRunResult,
  DecisionView,
  QueuePage,
} from './targeting.service.js';
export type { ParcelFactsSource } from './adapters/intake-read-model.js';
export type { ParcelFacts, LineFacts, XrayFacts } from './domain/parcel-facts.js';
export type { ListClearanceLimit, RiskScorer, RiskScore } from './domain/risk-scorer.js';
export { HeuristicScorer } from './domain/risk-scorer.js';
export type { Lane } from './domain/lane-decision.js';
export { registerTargetingRoutes } from './targeting.routes.js';
export { RiskModelScorer } from './adapters/risk-model-scorer.js';
export { targetingErrorStatus, targetingErrorMessages, TargetingError } from './targeting.errors.js';
export { describeProblem } from './domain/rule-syntax.js';

export interface TargetingModuleDependencies {
  database: Database;
  intake: IntakeService;
  /** Intake's parcels in bulk (`createIntakeModule().parcelFacts`): what every decision reads. */
  parcelFacts: ParcelFactsReader;
  jobs: JobQueue;
  /** The risk model; the transparent `heuristic-v1` scorer runs until one is given (`service.setScorer`). */
  scorer?: RiskScorer;
  /** Clearance's list-clearance limit (its rules file), for the heuristics. */
  listClearanceLimitUsd: ListClearanceLimit;
  /** Amounts in US dollars at the customs weekly rates, for the value checks (a rounded table without). */
  toUsd?: UsdConverter;
  audit?: AuditTrail;
  logger?: { error(object: unknown, message?: string): void };
  policy?: SelectionPolicy;
  budgets?: Partial<BudgetSettings>;
  clock?: () => number;
  /** Told of every batch of decisions once committed (the process's metrics count them per lane). */
  onDecisionsWritten?: (decisions: readonly { lane: Lane; trigger: string }[]) => void;
}

/** Creates the module; src/subscriptions.ts subscribes it to what intake stores, so that every parcel is decided. */
export function createTargetingModule(dependencies: TargetingModuleDependencies): {
  service: TargetingService;
  repository: TargetingRepository;
} {
  const repository = new TargetingRepository(dependencies.database);
  const service = new TargetingService({
    repository,
    facts: new IntakeReadModel(dependencies.parcelFacts),
    jobs: dependencies.jobs,
    scorer: dependencies.scorer,
    listClearanceLimitUsd: dependencies.listClearanceLimitUsd,
    toUsd: dependencies.toUsd,
    audit: dependencies.audit,
    logger: dependencies.logger,
    policy: dependencies.policy,
    budgets: dependencies.budgets,
    clock: dependencies.clock,
    onDecisionsWritten: dependencies.onDecisionsWritten,
  });
  return { service, repository };
}
