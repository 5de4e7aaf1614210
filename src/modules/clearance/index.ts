/**
 * Clearance: the parcel lifecycle, list clearance and de minimis, customs value, duty and VAT, combined
 * taxation and anti-splitting, inspection results and seizures, and notifications to carriers and posts.
 */
import type { AuditTrail } from '../../platform/auth/audit-trail.js';
import type { Database } from '../../platform/db/database.js';
import { EventOutbox } from '../../platform/events/event-outbox.js';
import { loadClearanceRules } from './adapters/clearance-rules-file.js';
import { WebhookDelivery, type WebhookPoster } from './adapters/webhook-delivery.js';
import { ClearanceRepository } from './clearance.repository.js';
import { ClearanceService, type InspectionLabelSink, type ParcelSource } from './clearance.service.js';
import type { ClearanceRules } from './domain/clearance-rules.js';

export { ClearanceService, ADDRESS_REANALYSED } from './clearance.service.js';
export type {
  AddressReanalysis,
  InspectionLabelRecord,
  InspectionLabelSink,
  ParcelClearanceView,
  ParcelSource,
} from './clearance.service.js';
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
export { listClearanceLimitUsd } from './domain/clearance-rules.js';
export type { ParcelState } from './domain/parcel-lifecycle.js';

export interface ClearanceModuleOptions {
  database: Database;
  /** How clearance reads parcels: intake's getParcel as the system. */
  parcels: ParcelSource;
  /** Intake's label store, when it offers one; labels wait in clearance_inspection until then. */
  labels?: InspectionLabelSink;
  /** Defaults to config/clearance-defaults/clearance-rules.json. */
  rules?: ClearanceRules;
  /** Carries address re-analyses to the other modules; without it nobody is told (tools). */
  events?: EventOutbox;
  /** The tamper-evident audit trail (identity's): state changes, inspections, seizures, rate loads. */
  audit?: AuditTrail;
  /** HTTP client for webhooks; `fetch` by default. */
  post?: WebhookPoster;
  log?: (message: string, detail?: unknown) => void;
}

export function createClearanceModule(options: ClearanceModuleOptions): {
  service: ClearanceService;
  webhooks: WebhookDelivery;
  repository: ClearanceRepository;
} {
  const repository = new ClearanceRepository(options.database);
  const service = new ClearanceService(repository, options.parcels, {
    rules: options.rules ?? loadClearanceRules(),
    labels: options.labels,
    events: options.events ?? new EventOutbox(options.database),
    audit: options.audit,
    log: options.log,
  });
  return { service, webhooks: new WebhookDelivery(repository, options.post), repository };
}
