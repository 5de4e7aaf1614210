/**
 * Intake: electronic parcel data from posts (CN22/CN23, ITMATT), express carriers (manifests), and
 * marketplaces (orders, payments), plus historical KCS declarations with their inspection outcomes.
 */
import type { AuditTrail } from '../../platform/auth/audit-trail.js';
import type { Database } from '../../platform/db/database.js';
import { EventOutbox } from '../../platform/events/event-outbox.js';
import { IntakeRepository } from './intake.repository.js';
import { IntakeService } from './intake.service.js';
import { BulkImportRepository } from './intake.bulk-import.repository.js';
import { PartnerReadsService } from './intake.partner-reads.service.js';
import { PartnerReadsRepository } from './intake.partner-reads.repository.js';
import { ParcelFactsRepository } from './intake.parcel-facts.repository.js';
import type { ParcelFactsReader } from './domain/parcel-facts.js';

export { IntakeService, STORED_TOPIC as INTAKE_STORED, DEFAULT_IMPORT_WRITERS } from './intake.service.js';
export type {
  IntakeSummary,
  ImportProgress,
  IntakeChannel,
  IntakeListener,
  IntakeStoredEvent,
} from './intake.service.js';
export type { ParcelView } from './intake.views.js';
export type {
  CurrencyAmount,
  LineFacts,
  ParcelFacts,
  ParcelFactsReader,
  ReceivedParcelFacts,
  DeclaredParcelFacts,
  ParcelHistoryField,
  UnitValueNorm,
} from './domain/parcel-facts.js';
export type { StoredParcel, DeclarationHistoryRow } from './intake.repository.js';
export { registerIntakeRoutes } from './intake.routes.js';
export { parcelPartitioning } from './intake.partitions.js';
export {
  intakeErrorStatus,
  intakeErrorMessages,
  intakeFieldRuleMessages,
  IntakeError,
} from './intake.errors.js';
export { s10CheckDigit, s10Problem } from './domain/identifiers.js';
export type { PostalItem, PostalItemInput } from './domain/postal-item.js';
export { PartnerReadsService } from './intake.partner-reads.service.js';
export type { ProductLine, CarrierDataQuality } from './intake.partner-reads.repository.js';
export type { SubmissionGate } from './intake.service.js';
export { parseKcsDeclaration, readKcsDeclarations, KCS_COLUMNS } from './domain/kcs-declaration.js';
export type { KcsDeclaration, KcsRecordResult } from './domain/kcs-declaration.js';
export { postalItemSchema, validatePostalItem } from './domain/postal-item.js';
export {
  houseWaybillSchema,
  manifestHeaderSchema,
  validateHouseWaybill,
  validateManifestHeader,
  type HouseWaybill,
  type ManifestHeader,
} from './domain/express-manifest.js';
export {
  validateMarketplaceOrder,
  validatePayment,
  type MarketplaceOrder,
  type Payment,
} from './domain/marketplace-records.js';
// Intake's own file readers, for tools that check files before sending them (the demo data's tests).
export {
  fileChunks,
  readCsvRecords,
  readItmattXml,
  decodeUtf8,
  type RawRecord,
} from './adapters/record-sources.js';
export { groupRowsByHouseWaybill } from './adapters/document-records.js';

/**
 * `events` carries what intake stored to the other modules; without it nobody is told (benchmarks, tools).
 * `parcelFacts` is how other modules read parcels in bulk (the system reads it; no route serves it).
 */
export function createIntakeModule(
  database: Database,
  events = new EventOutbox(database),
  /** Records consumers' reads of parcels; command-line tools, which serve no consumer, go without. */
  audit?: AuditTrail,
): {
  service: IntakeService;
  repository: IntakeRepository;
  partnerReads: PartnerReadsService;
  parcelFacts: ParcelFactsReader;
} {
  const repository = new IntakeRepository(database);
  return {
    service: new IntakeService(repository, events, new BulkImportRepository(database), audit),
    repository,
    partnerReads: new PartnerReadsService(new PartnerReadsRepository(database)),
    parcelFacts: new ParcelFactsRepository(database),
  };
}
