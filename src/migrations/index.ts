import type { Migration } from 'kysely';
import * as platform from './0001-platform.js';
import * as intake from './0002-intake.js';
import * as identity from './0003-identity.js';
import * as identitySessionsAudit from './0004-identity-sessions-audit.js';
import * as targeting from './0005-targeting.js';
import * as clearance from './0006-clearance.js';
import * as risk from './0007-risk.js';
import * as xray from './0008-xray.js';
import * as platformOutbox from './0009-platform-outbox.js';
import * as intakeSellerHistoryIndex from './0010-intake-seller-history-index.js';
import * as targetingQueueTrackingNumber from './0011-targeting-queue-tracking-number.js';
import * as clearanceImporterAndCases from './0020-clearance-importer-and-cases.js';
import * as intakeSplitWaybillInsurance from './0021-intake-split-waybill-insurance.js';
import * as identitySignInThrottle from './0030-identity-sign-in-throttle.js';
import * as analysisViews from './0050-analysis-views.js';
import * as questionsFavourites from './0051-questions-favourites.js';
import * as partners from './0060-partners.js';
import * as targetingProductSafetyInformation from './0061-targeting-product-safety-information.js';
import * as targetingQueueRankAndGoods from './0080-targeting-queue-rank-and-goods.js';
import * as intakeParcelArrivalIndex from './0085-intake-parcel-arrival-index.js';
import * as targetingStateArrivalDay from './0086-targeting-state-arrival-day.js';
import * as portal from './0100-portal.js';
import * as identityConsumerPcccFromPortal from './0101-identity-consumer-pccc-from-portal.js';
import * as analyticsPortal from './0110-analytics-portal.js';
import * as catalogueBuyerViews from './0120-catalogue-buyer-views.js';
import * as partnersSafetyReportView from './0121-partners-safety-report-view.js';
import * as clearanceCarrierRecordsIndexes from './0130-clearance-carrier-records-indexes.js';
import * as targetingSettingsVersion from './0140-targeting-settings-version.js';
import * as platformJobHeartbeat from './0141-platform-job-heartbeat.js';
import * as platformJobProgressStage from './0170-platform-job-progress-stage.js';
import * as identityAccountLanguage from './0180-identity-account-language.js';
import * as operationsAnalysisViews from './0190-operations-analysis-views.js';
import * as intakeContactAndDeliveryIndexes from './0200-intake-contact-and-delivery-indexes.js';
import * as entityProfileViews from './0210-entity-profile-views.js';
import * as intakeParcelPartitions from './0220-intake-parcel-partitions.js';
import * as targetingDecisionPartitions from './0221-targeting-decision-partitions.js';
import * as platformOutboxPartitions from './0222-platform-outbox-partitions.js';
import * as identityAuditPartitions from './0223-identity-audit-partitions.js';
import * as intakeParcelKeyReceived from './0225-intake-parcel-key-received.js';
import * as analyticsParcelFact from './0240-analytics-parcel-fact.js';
import * as intakeDropParcelMasterIndex from './0260-intake-drop-parcel-master-index.js';
import * as analyticsLineFact from './0270-analytics-line-fact.js';
import * as analyticsParcelFactValueAndCodeDay from './0280-analytics-parcel-fact-value-and-code-day.js';

/** Every schema change, in the order it is applied. Append only: never edit a migration that has shipped. */
export const migrations: Record<string, Migration> = {
  '0001-platform': platform,
  '0002-intake': intake,
  '0003-identity': identity,
  '0004-identity-sessions-audit': identitySessionsAudit,
  '0005-targeting': targeting,
  '0006-clearance': clearance,
  '0007-risk': risk,
  '0008-xray': xray,
  '0009-platform-outbox': platformOutbox,
  '0010-intake-seller-history-index': intakeSellerHistoryIndex,
  '0011-targeting-queue-tracking-number': targetingQueueTrackingNumber,
  '0020-clearance-importer-and-cases': clearanceImporterAndCases,
  '0021-intake-split-waybill-insurance': intakeSplitWaybillInsurance,
  '0030-identity-sign-in-throttle': identitySignInThrottle,
  '0050-analysis-views': analysisViews,
  '0051-questions-favourites': questionsFavourites,
  '0060-partners': partners,
  '0061-targeting-product-safety-information': targetingProductSafetyInformation,
  '0080-targeting-queue-rank-and-goods': targetingQueueRankAndGoods,
  '0085-intake-parcel-arrival-index': intakeParcelArrivalIndex,
  '0086-targeting-state-arrival-day': targetingStateArrivalDay,
  '0100-portal': portal,
  '0101-identity-consumer-pccc-from-portal': identityConsumerPcccFromPortal,
  '0110-analytics-portal': analyticsPortal,
  '0120-catalogue-buyer-views': catalogueBuyerViews,
  '0121-partners-safety-report-view': partnersSafetyReportView,
  '0130-clearance-carrier-records-indexes': clearanceCarrierRecordsIndexes,
  '0140-targeting-settings-version': targetingSettingsVersion,
  '0141-platform-job-heartbeat': platformJobHeartbeat,
  '0170-platform-job-progress-stage': platformJobProgressStage,
  '0180-identity-account-language': identityAccountLanguage,
  '0190-operations-analysis-views': operationsAnalysisViews,
  '0200-intake-contact-and-delivery-indexes': intakeContactAndDeliveryIndexes,
  '0210-entity-profile-views': entityProfileViews,
  '0220-intake-parcel-partitions': intakeParcelPartitions,
  '0221-targeting-decision-partitions': targetingDecisionPartitions,
  '0222-platform-outbox-partitions': platformOutboxPartitions,
  '0223-identity-audit-partitions': identityAuditPartitions,
  '0225-intake-parcel-key-received': intakeParcelKeyReceived,
  '0240-analytics-parcel-fact': analyticsParcelFact,
  '0260-intake-drop-parcel-master-index': intakeDropParcelMasterIndex,
  '0270-analytics-line-fact': analyticsLineFact,
  '0280-analytics-parcel-fact-value-and-code-day': analyticsParcelFactValueAndCodeDay,
};
