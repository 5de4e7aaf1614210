/**
 * Risk: gradient-boosted models trained on inspection outcomes, the model registry, and scores with
 * reasons in words. Pure model code lives in domain/ and is shared with the `clearway model` commands.
 */
import type { Database } from '../../platform/db/database.js';
import type { JobQueue } from '../../platform/jobs/job-queue.js';
import { EventOutbox } from '../../platform/events/event-outbox.js';
import type { IntakeService, ParcelFactsReader } from '../intake/index.js';
import { RiskRepository } from './risk.repository.js';
import type { AuditTrail } from '../../platform/auth/audit-trail.js';
import { RiskService } from './risk.service.js';
import { wonOnly, type DutyRateOf, type KrwConverter } from './risk-input.mapper.js';

export { RiskService, TRAIN_JOB, ACTIVE_MODEL_CHANGED } from './risk.service.js';
export type { ParcelRiskAssessment, TrainingRequest, ActiveRiskModel } from './risk.service.js';
export type { RiskDeclaration } from './domain/risk-declaration.js';
export type { RiskAssessment } from './domain/risk-model.js';
export type { StoredModel, ModelMetrics } from './risk.repository.js';
export type { DutyRateOf, KrwConverter } from './risk-input.mapper.js';
export { registerRiskRoutes } from './risk.routes.js';
// The model's pure code, for the `clearway model` commands that train and evaluate on files.
export { riskDeclarationFromKcs, riskLabelFromKcs } from './domain/risk-declaration.js';
export type { LabelledRiskDeclaration } from './domain/risk-declaration.js';
export {
  assessDeclarations,
  driftOfDeclarations,
  riskModelFromJson,
  riskModelToJson,
  scoreDeclarationsWithCritical,
  trainRiskModel,
} from './domain/risk-model.js';
export type { RiskModel } from './domain/risk-model.js';
export { evaluateRanking } from './domain/ranking-metrics.js';
export { renderRiskSignal, riskSignalMessages } from './domain/explanation-wording.js';
export { simulateTargeting } from './domain/inspection-simulator.js';
export { DEFAULT_EXPLORATION_SHARE } from './domain/inspection-selection.js';
export type { ExplorationStrategy } from './domain/inspection-selection.js';
export { riskErrorStatus, riskErrorMessages, RiskError } from './risk.errors.js';

export function createRiskModule(deps: {
  database: Database;
  intake: IntakeService;
  /** Intake's parcels in bulk: the parcel page's risk reads the same facts that targeting decides on. */
  parcelFacts: ParcelFactsReader;
  jobs: JobQueue;
  toKrw?: KrwConverter;
  /** The tariff's duty rate of an HS code (clearance's rules file): the tax rate of parcels' declarations. */
  dutyRateOf?: DutyRateOf;
  audit: AuditTrail;
  /** Tells the others of model changes; without it nobody is told (tools). */
  events?: EventOutbox;
}): { service: RiskService } {
  return {
    service: new RiskService(
      new RiskRepository(deps.database),
      deps.intake,
      deps.parcelFacts,
      deps.jobs,
      deps.toKrw ?? wonOnly,
      deps.audit,
      deps.events ?? new EventOutbox(deps.database),
      deps.dutyRateOf,
    ),
  };
}
