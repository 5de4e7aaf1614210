/**
 * Portal: the consumers' side. The PCCC registry and proving a code is mine, my parcels with their
 * timeline and tax in plain words, protection of my code (misuse reports, suspension of list clearance,
 * delivery addresses, notices, renewal reminders), inquiries to customs, and public statistics.
 * Consumers see the consequence of a lane, never scores or targeting criteria.
 */
import type { AuditTrail } from '../../platform/auth/audit-trail.js';
import type { Database } from '../../platform/db/database.js';
import type { MailSender } from '../../platform/mail/mail-sender.js';
import { InquiriesService } from './inquiries.service.js';
import { MyParcelsService } from './my-parcels.service.js';
import { PcccProtectionService, type PortalSettings } from './pccc-protection.service.js';
import type { AddressKeyer, PortalParcelSource } from './portal.ports.js';
import { PortalRepository } from './portal.repository.js';
import { PublicStatisticsService } from './public-statistics.service.js';

export { registerPortalRoutes } from './portal.routes.js';
export type { PortalServices, PortalRateLimits } from './portal.routes.js';
export { portalErrorStatus, portalErrorMessages, PortalError } from './portal.errors.js';
export type { PortalErrorCode } from './portal.errors.js';
export type { AddressKeyer, PortalParcelSource } from './portal.ports.js';
export type { PortalSettings } from './pccc-protection.service.js';
export { writeRegistryCsv, type RegistryEntry } from './adapters/registry-file.js';

export interface PortalModuleDependencies {
  database: Database;
  parcels: PortalParcelSource;
  mail: MailSender;
  /** Clearance's address key, so that registered and declared addresses compare alike. */
  addressKey: AddressKeyer;
  settings: PortalSettings;
  audit?: AuditTrail;
}

export interface PortalModule {
  protection: PcccProtectionService;
  parcels: MyParcelsService;
  inquiries: InquiriesService;
  statistics: PublicStatisticsService;
  /** The PCCC an account proved through the registry, or null: the only source of a consumer's PCCC. */
  provenPcccOf(accountId: string): Promise<string | null>;
  /** Clearance's question before it grants list clearance: which of these codes are suspended. */
  suspendedPcccs(pcccs: readonly string[]): Promise<Set<string>>;
  /** Told of every batch of parcels intake stored: notices of parcels declared at unregistered addresses. */
  onParcelsStored(parcelIds: readonly number[]): Promise<void>;
}

export function createPortalModule(dependencies: PortalModuleDependencies): PortalModule {
  const repository = new PortalRepository(dependencies.database);
  const protection = new PcccProtectionService(
    repository,
    dependencies.parcels,
    dependencies.mail,
    dependencies.addressKey,
    dependencies.settings,
    dependencies.audit,
  );
  return {
    protection,
    parcels: new MyParcelsService(repository, dependencies.parcels, dependencies.audit),
    inquiries: new InquiriesService(
      repository,
      dependencies.parcels,
      dependencies.mail,
      dependencies.settings.publicUrl,
      dependencies.audit,
    ),
    statistics: new PublicStatisticsService(repository, dependencies.parcels),
    provenPcccOf: async (accountId) => (await repository.linkOfAccount(accountId))?.pccc ?? null,
    suspendedPcccs: (pcccs) => protection.suspendedAmong(pcccs),
    onParcelsStored: (parcelIds) => protection.onParcelsStored(parcelIds),
  };
}
