/**
 * Clearance: the parcel lifecycle, list clearance and de minimis, customs value, duty and VAT, combined
 * taxation and anti-splitting, inspection results and seizures, officer cases, and notifications to
 * carriers and posts. One service per use case family (ARCHITECTURE.md, module template).
 */
import type { AuditTrail } from '../../platform/auth/audit-trail.js';
import type { Database } from '../../platform/db/database.js';
import { EventOutbox } from '../../platform/events/event-outbox.js';
import { loadClearanceRules } from './adapters/clearance-rules-file.js';
import { WebhookDelivery, type WebhookPoster } from './adapters/webhook-delivery.js';
import { AssessmentService, type SuspendedPcccSource } from './assessment.service.js';
import { CarrierRecordsService } from './carrier-records.service.js';
import type { ParcelSource } from './clearance.parcel-input.js';
import { CasesService } from './cases.service.js';
import { ClearanceRepository } from './clearance.repository.js';
import type { ClearanceRules } from './domain/clearance-rules.js';
import { GroupingService } from './grouping.service.js';
import { InspectionsService } from './inspections.service.js';
import { LifecycleService } from './lifecycle.service.js';
import { NotificationsService } from './notifications.service.js';

export type { AssessmentService, SuspendedPcccSource } from './assessment.service.js';
export type { ParcelSource } from './clearance.parcel-input.js';
export type { CasesService, OfficerCaseView } from './cases.service.js';
export type {
  CarrierRecords,
  CarrierRecordsQuery,
  CarrierRecordsService,
} from './carrier-records.service.js';
export { ADDRESS_REANALYSED } from './grouping.service.js';
export type { AddressReanalysis, GroupingService } from './grouping.service.js';
export { INSPECTION_LABELLED } from './inspections.service.js';
export type { InspectionLabelRecord, InspectionsService } from './inspections.service.js';
export type { LifecycleService, ParcelClearanceView } from './lifecycle.service.js';
export type { NotificationsService } from './notifications.service.js';
export { registerClearanceRoutes } from './clearance.routes.js';
export { clearanceErrorStatus, clearanceErrorMessages, ClearanceError } from './clearance.errors.js';
export type { ClearanceErrorCode } from './clearance.errors.js';
export { WebhookDelivery } from './adapters/webhook-delivery.js';
export { loadClearanceRules } from './adapters/clearance-rules-file.js';
export { readExchangeRateFile } from './adapters/exchange-rate-file.js';
export { verifySignature, signPayload, SIGNATURE_HEADER } from './domain/notification-signature.js';
export { normaliseAddress } from './domain/address-normalisation.js';
export { TaxCalculator } from './domain/tax-assessment.js';
export type { TaxAssessment, TaxableParcel } from './domain/tax-assessment.js';
export type { ClearanceRules } from './domain/clearance-rules.js';
export { listClearanceLimitUsd, tariffRateFor } from './domain/clearance-rules.js';
export type { ParcelState } from './domain/parcel-lifecycle.js';

export interface ClearanceModuleOptions {
  database: Database;
  /** How clearance reads parcels and finds those late orders are about: intake's parcel facts. */
  parcels: ParcelSource;
  /** Defaults to config/clearance-defaults/clearance-rules.json. */
  rules?: ClearanceRules;
  /** Carries address re-analyses and inspection labels to the other modules; without it nobody is told (tools). */
  events?: EventOutbox;
  /** The tamper-evident audit trail (identity's): state changes, inspections, seizures, rate loads. */
  audit?: AuditTrail;
  /** HTTP client for webhooks; `fetch` by default. */
  post?: WebhookPoster;
  log?: (message: string, detail?: unknown) => void;
  /** Which PCCCs have list clearance suspended (the portal's misuse reports and holders' requests). */
  suspendedPcccs?: SuspendedPcccSource;
}

/** The clearance services, one per use-case family, and what they share. */
export interface ClearanceModule {
  assessment: AssessmentService;
  grouping: GroupingService;
  lifecycle: LifecycleService;
  inspections: InspectionsService;
  notifications: NotificationsService;
  cases: CasesService;
  /** A carrier's answers, corrections, final-address reports and seizures (partners' compliance). */
  carrierRecords: CarrierRecordsService;
  webhooks: WebhookDelivery;
  repository: ClearanceRepository;
}

export function createClearanceModule(options: ClearanceModuleOptions): ClearanceModule {
  const repository = new ClearanceRepository(options.database);
  const log = options.log ?? (() => {});
  const assessment = new AssessmentService(
    repository,
    options.parcels,
    options.rules ?? loadClearanceRules(),
    options.audit,
    log,
    options.suspendedPcccs,
  );
  const events = options.events ?? new EventOutbox(options.database);
  const grouping = new GroupingService(repository, options.parcels, assessment, {
    events,
    log,
  });
  return {
    assessment,
    grouping,
    lifecycle: new LifecycleService(repository, assessment, grouping, options.audit),
    inspections: new InspectionsService(repository, options.parcels, assessment, events, options.audit),
    notifications: new NotificationsService(repository, options.audit),
    cases: new CasesService(repository, options.audit),
    carrierRecords: new CarrierRecordsService(repository),
    webhooks: new WebhookDelivery(repository, options.post),
    repository,
  };
}
