/**
 * Intake: electronic parcel data from posts (CN22/CN23, ITMATT), express carriers (manifests), and
 * marketplaces (orders, payments), plus historical KCS declarations with their inspection outcomes.
 */
import type { Database } from '../../platform/db/database.js';
import { EventOutbox } from '../../platform/events/event-outbox.js';
import { IntakeRepository } from './intake.repository.js';
import { IntakeService } from './intake.service.js';
import { PartnerReadsService } from './intake.partner-reads.service.js';

export { IntakeService } from './intake.service.js';
export type {
  IntakeSummary,
  ImportProgress,
  IntakeChannel,
  IntakeListener,
  IntakeStoredEvent,
} from './intake.service.js';
export type { ParcelView } from './intake.views.js';
export type { StoredParcel, DeclarationHistoryRow } from './intake.repository.js';
export { registerIntakeRoutes } from './intake.routes.js';
export { loadDemoData, DEFAULT_DEMO_SIZE } from './demo/demo-loader.js';
export type { DemoLoadOptions, DemoLoadResult } from './demo/demo-loader.js';
export { intakeErrorStatus, IntakeError } from './intake.errors.js';
export { PartnerReadsService } from './intake.partner-reads.service.js';
export type { ProductLine, CarrierDataQuality } from './intake.partner-reads.repository.js';
export type { SubmissionGate } from './intake.service.js';
export { s10CheckDigit } from './domain/identifiers.js';
export type { PostalItemInput } from './domain/postal-item.js';
export { parseKcsDeclaration, readKcsDeclarations, KCS_COLUMNS } from './domain/kcs-declaration.js';
export type { KcsDeclaration, KcsRecordResult } from './domain/kcs-declaration.js';
export { postalItemSchema, validatePostalItem } from './domain/postal-item.js';
export {
  houseWaybillSchema,
  manifestHeaderSchema,
  validateHouseWaybill,
  validateManifestHeader,
} from './domain/express-manifest.js';

/** `events` carries what intake stored to the other modules; without it nobody is told (benchmarks, tools). */
export function createIntakeModule(
  database: Database,
  events = new EventOutbox(database),
): { service: IntakeService; repository: IntakeRepository; partnerReads: PartnerReadsService } {
  const repository = new IntakeRepository(database);
  return {
    service: new IntakeService(repository, events),
    repository,
    partnerReads: new PartnerReadsService(repository.db),
  };
}
