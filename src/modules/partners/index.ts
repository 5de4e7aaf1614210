/**
 * Partners: agreements with carriers, posts and agencies; alerts and training material; carriers' own
 * inspection figures and their compliance evaluation (which sets their risk level in targeting);
 * product-safety reports matched against parcels; foreign online seller registration.
 */
import type { Actor } from '../../platform/auth/actor.js';
import type { AuditTrail } from '../../platform/auth/audit-trail.js';
import type { Database } from '../../platform/db/database.js';
import type { EventOutbox } from '../../platform/events/event-outbox.js';
import type { JobQueue } from '../../platform/jobs/job-queue.js';
import { AgreementsService } from './agreements.service.js';
import { AlertsService } from './alerts.service.js';
import {
  ComplianceService,
  type CarrierDataSource,
  type CarrierLevelSink,
  type CarrierRecordSource,
} from './compliance.service.js';
import { PartnersRepository, type DataSharing } from './partners.repository.js';
import { ProductSafetyService, type ProductLineSource } from './product-safety.service.js';
import {
  SellersService,
  type RegistrationStatusSink,
  type SellerAccounts,
  type SellerHistorySource,
} from './sellers.service.js';

export { registerPartnersRoutes } from './partners.routes.js';
export type { PartnersServices } from './partners.routes.js';
export { partnersErrorStatus, partnersErrorMessages, PartnersError } from './partners.errors.js';
export type { PartnersErrorCode } from './partners.errors.js';
export { BACKFILL_JOB, LOOK_BACK_DAYS, PRODUCT_SAFETY_HIT } from './product-safety.service.js';
export type { CarrierDataSource, CarrierLevelSink, CarrierRecordSource } from './compliance.service.js';
export type { MatchableLine, ProductLineSource, ProductSafetyHits } from './product-safety.service.js';
export type { RegistrationStatusSink, SellerAccounts, SellerHistorySource } from './sellers.service.js';
export type { ComplianceLevel } from './domain/compliance.js';

export interface PartnersModuleDependencies {
  database: Database;
  jobs: JobQueue;
  /** Carries new product-safety hits to targeting (PRODUCT_SAFETY_HIT, src/subscriptions.ts). */
  events: EventOutbox;
  audit?: AuditTrail;
  /** A carrier's parcels as compliance measures them (intake). */
  carrierData: CarrierDataSource;
  /** A carrier's answers, corrections, final-address reports and seizures (clearance). */
  carrierRecords: CarrierRecordSource;
  /** Where a carrier's compliance level goes (targeting's per-carrier rate). */
  carrierLevels: CarrierLevelSink;
  /** Parcel lines and orders to match reports against (intake). */
  productLines: ProductLineSource;
  /** A seller's parcels and orders (intake). */
  sellerActivity: SellerHistorySource['activity'];
  /** Where registration statuses go (intake's sellers, read by targeting). */
  registrationStatuses: RegistrationStatusSink;
  /** Sellers' own accounts (identity), opened when an application comes with a password. */
  sellerAccounts: SellerAccounts;
}

export interface PartnersModule {
  agreements: AgreementsService;
  alerts: AlertsService;
  compliance: ComplianceService;
  productSafety: ProductSafetyService;
  sellers: SellersService;
  /** Intake's gate: refuses submissions of organisations whose agreement is not in force. */
  assertMaySubmit(actor: Actor): Promise<void>;
  /**
   * Told of every batch intake stored: matches it against the product-safety reports and brings its
   * sellers' registration statuses up to date.
   */
  onIntakeStored(event: { kind: 'parcels' | 'orders' | 'payments'; ids: number[] }): Promise<void>;
}

export function createPartnersModule(dependencies: PartnersModuleDependencies): PartnersModule {
  const repository = new PartnersRepository(dependencies.database);
  const agreements = new AgreementsService(repository, dependencies.audit);
  const productSafety = new ProductSafetyService(
    repository,
    dependencies.productLines,
    dependencies.events,
    dependencies.jobs,
    dependencies.audit,
    async (code) => ((await repository.findAgreement(code))?.data_sharing ?? []) as DataSharing[],
  );
  const sellers = new SellersService(
    repository,
    {
      activity: dependencies.sellerActivity,
      hitsOfParcels: (parcelIds) => productSafety.hitsOfParcels(parcelIds),
    },
    dependencies.registrationStatuses,
    dependencies.audit,
    dependencies.sellerAccounts,
  );
  return {
    agreements,
    alerts: new AlertsService(repository, dependencies.audit),
    compliance: new ComplianceService(
      repository,
      dependencies.carrierData,
      dependencies.carrierRecords,
      dependencies.carrierLevels,
      dependencies.audit,
    ),
    productSafety,
    sellers,
    assertMaySubmit: (actor) => agreements.assertMaySubmit(actor),
    async onIntakeStored(event) {
      if (event.kind === 'payments') return;
      const lines =
        event.kind === 'parcels'
          ? await dependencies.productLines.linesOfParcels(event.ids)
          : await dependencies.productLines.linesOfOrders(event.ids);
      await productSafety.matchLines(lines);
      await sellers.syncStatuses(
        lines.flatMap((line) =>
          line.sellerRegistration
            ? [{ number: line.sellerRegistration, status: line.sellerRegistrationStatus }]
            : [],
        ),
      );
    },
  };
}
