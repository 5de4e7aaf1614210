import type { EventOutbox } from './platform/events/event-outbox.js';
import type { IntakeService, ParcelFactsReader } from './modules/intake/index.js';
import type { AnalyticsModule } from './modules/analytics/index.js';
import { ACTIVE_MODEL_CHANGED, type RiskService } from './modules/risk/index.js';
import { RiskModelScorer, type TargetingService } from './modules/targeting/index.js';
import { ADDRESS_REANALYSED, INSPECTION_LABELLED, type ClearanceModule } from './modules/clearance/index.js';
import { systemActor } from './platform/auth/actor.js';
import { XRAY_FINDING } from './modules/xray/index.js';
import { PRODUCT_SAFETY_HIT, type PartnersModule } from './modules/partners/index.js';
import type { PortalModule } from './modules/portal/index.js';

/** The services that publish or listen to cross-module events. */
export interface SubscribingModules {
  intake: { service: IntakeService; parcelFacts: Pick<ParcelFactsReader, 'parcelIdsOfPayments'> };
  risk: { service: RiskService };
  targeting: { service: TargetingService };
  clearance: Pick<ClearanceModule, 'assessment' | 'grouping' | 'inspections'>;
  partners: Pick<PartnersModule, 'onIntakeStored'>;
  portal: Pick<PortalModule, 'onParcelsStored'>;
  analytics: Pick<AnalyticsModule, 'parcelFacts'>;
}

/**
 * Who listens to what, in one place (ARCHITECTURE.md has the same table). Every event between modules
 * goes through the transactional outbox: written in the publisher's transaction, delivered after the
 * commit, at least once, retried until the listener succeeds. So listeners must be idempotent, and a
 * failing one delays its own events without losing them or holding up the others.
 *
 * | topic                          | subscriber                  | what it does                          |
 * |--------------------------------|-----------------------------|---------------------------------------|
 * | intake.stored                  | targeting.decide            | decides new parcels, re-decides on orders and payments |
 * | intake.stored                  | clearance.take-in           | takes new parcels in (received -> assessed); re-groups the parcels of late orders |
 * | intake.stored                  | partners.match              | matches lines and orders against product-safety reports, updates seller registration statuses |
 * | intake.stored                  | portal.address-notice       | mails a code's holder when a parcel under it is declared at an unregistered address |
 * | intake.stored                  | analytics.parcel-facts      | marks the arrival days of stored parcels, orders and payments for the fact rows' refresh |
 * | risk.active-model-changed      | targeting.risk-model        | scores with the newly active model    |
 * | xray.finding                   | targeting.xray-finding      | re-decides the scanned parcel         |
 * | clearance.address-reanalysed   | targeting.delivery-address  | re-decides the parcels delivered to the address |
 * | clearance.inspection-labelled  | intake.inspection-label     | stores the outcome as the declaration's training label |
 * | partners.product-safety-hit    | targeting.product-safety    | re-decides a hit parcel with the report as the reason |
 *
 * Every process that publishes must subscribe the same way before its first publish (the outbox writes
 * one row per subscriber it knows), which createClearway does for every role.
 */
export function subscribeModules(events: EventOutbox, modules: SubscribingModules): void {
  const { intake, targeting, clearance, partners, portal, analytics } = modules;
  intake.service.onStored('targeting.decide', (event) => targeting.service.onIntakeStored(event));
  intake.service.onStored('clearance.take-in', async (event) => {
    if (event.kind === 'parcels') await clearance.assessment.takeInParcels(event.ids);
    // Late orders re-group the parcels they are about (combined taxation).
    if (event.kind === 'orders') await clearance.grouping.onOrdersStored(event.ids);
  });
  intake.service.onStored('partners.match', (event) => partners.onIntakeStored(event));
  intake.service.onStored('portal.address-notice', async (event) => {
    if (event.kind === 'parcels') await portal.onParcelsStored(event.ids);
  });
  intake.service.onStored('analytics.parcel-facts', async (event) => {
    const facts = analytics.parcelFacts;
    if (event.kind === 'parcels') await facts.markParcelsChanged(event.ids);
    if (event.kind === 'orders') await facts.markOrdersChanged(event.ids);
    if (event.kind === 'payments')
      await facts.markParcelsChanged(await intake.parcelFacts.parcelIdsOfPayments(event.ids));
  });
  events.subscribe(ACTIVE_MODEL_CHANGED, 'targeting.risk-model', () => useActiveRiskModel(modules));
  events.subscribe(XRAY_FINDING, 'targeting.xray-finding', async (findings) => {
    for (const finding of findings) {
      await targeting.service.onNewInformation(finding.parcelId, {
        kind: 'xray',
        finding: finding.threats.length > 0 ? 'threat' : finding.mismatch ? 'suspicious' : 'clear',
        labels: finding.threats,
        mismatch: finding.mismatch,
        scanId: String(finding.scanId),
      });
    }
  });
  events.subscribe(ADDRESS_REANALYSED, 'targeting.delivery-address', async (reanalyses) => {
    for (const reanalysis of reanalyses) {
      for (const parcelId of reanalysis.parcelIds) {
        await targeting.service.onNewInformation(parcelId, {
          kind: 'post_delivery_address',
          address: reanalysis.addressKey,
        });
      }
    }
  });
  events.subscribe(PRODUCT_SAFETY_HIT, 'targeting.product-safety', async (rounds) => {
    for (const { hits } of rounds)
      for (const { parcelId, ...hit } of hits)
        await targeting.service.onNewInformation(parcelId, { kind: 'product_safety', ...hit });
  });
  // Inspection outcomes become the risk model's labels in intake's label store (one per declaration,
  // so a label delivered twice is stored once); clearance then shows the label as delivered.
  events.subscribe(INSPECTION_LABELLED, 'intake.inspection-label', async (labels) => {
    for (const label of labels) {
      await intake.service.recordInspectionOutcome(systemActor, label.parcelId, {
        fraud: label.fraud,
        criticalLevel: label.criticalLevel,
      });
    }
    await clearance.inspections.labelsDelivered(labels.map((label) => label.inspectionId));
  });
}

/**
 * Targeting scores with the active risk model, or its transparent heuristics while none is promoted:
 * at start-up, and whenever risk reports a change.
 */
export async function useActiveRiskModel(
  modules: Pick<SubscribingModules, 'risk' | 'targeting'>,
): Promise<void> {
  const model = await modules.risk.service.loadActiveModel();
  modules.targeting.service.setScorer(model && new RiskModelScorer(model));
}
