import { systemActor } from '../platform/auth/actor.js';
import type { IdentityModule } from '../modules/identity/index.js';
import type { PartnersModule } from '../modules/partners/index.js';

/** What the demo's partner accounts need of a Clearway instance (the composition root's `Clearway` fits). */
export interface DemoPartnersTarget {
  identity: Pick<IdentityModule, 'service'>;
  partners: Pick<PartnersModule, 'agreements' | 'alerts' | 'sellers'>;
}

/** The partner accounts `npm start` offers, one of each kind (README: "Partner area"). */
export const DEMO_PARTNER_ACCOUNTS = {
  carrier: 'dhl@partners.clearway.local',
  agency: 'kats@partners.clearway.local',
  seller: 'seller@partners.clearway.local',
} as const;

const validity = { startsOn: '2025-01-01', endsOn: '2030-12-31' };

/**
 * Gives the demo a carrier (DHL, the demo's largest carrier), a product-safety agency (KATS) and an
 * approved foreign seller to sign in with, all with `password` (the demo administrator's), plus their
 * agreements and a first alert. Accounts that exist already are left as they are, and so are their
 * agreements (an administrator may have changed them).
 */
export async function ensureDemoPartners(target: DemoPartnersTarget, password: string): Promise<void> {
  const { identity, partners } = target;
  const created = await Promise.all([
    openOnce(() =>
      identity.service.createAccount(systemActor, {
        kind: 'organisation',
        role: 'carrier',
        organisation: 'DHL',
        name: 'DHL Korea',
        email: DEMO_PARTNER_ACCOUNTS.carrier,
        password,
      }),
    ),
    openOnce(() =>
      identity.service.createAccount(systemActor, {
        kind: 'organisation',
        role: 'agency',
        organisation: 'KATS',
        name: 'KATS',
        email: DEMO_PARTNER_ACCOUNTS.agency,
        password,
      }),
    ),
  ]);
  if (created[0]) {
    await partners.agreements.save(systemActor, {
      organisationCode: 'DHL',
      organisationRole: 'carrier',
      name: 'DHL Korea',
      ...validity,
      offices: ['ICN'],
      contacts: [],
      obligations: ['data before arrival', 'final-address reports', 'quarterly inspection figures'],
      dataSharing: [],
      status: 'active',
      statusReason: null,
    });
  }
  if (created[1]) {
    await partners.agreements.save(systemActor, {
      organisationCode: 'KATS',
      organisationRole: 'agency',
      name: 'Korean Agency for Technology and Standards',
      ...validity,
      offices: [],
      contacts: [],
      obligations: ['product-safety reports'],
      dataSharing: ['tracking_number', 'hs_code'],
      status: 'active',
      statusReason: null,
    });
  }
  if (created[0])
    await partners.alerts.publish(systemActor, {
      kind: 'alert',
      category: 'narcotics',
      title: 'Methamphetamine hidden in tea tins',
      body: 'Recent seizures found crystals under the leaves of double-bottomed tea tins sent as gifts.',
      concealmentMethod: 'double-bottomed tea tins',
      route: 'Southeast Asia to Incheon by express courier',
      indicators: ['tins heavier than the declared weight', 'new shippers declaring gifts'],
      audience: ['DHL'],
    });
  const seller = await openOnce(() =>
    partners.sellers.apply(undefined, {
      legalName: 'Hangzhou Lantern Trading Co., Ltd',
      country: 'CN',
      address: { street: '1 West Lake Rd', city: 'Hangzhou', postcode: '310000', country: 'CN' },
      marketplaces: ['Demo Market'],
      contact: { email: DEMO_PARTNER_ACCOUNTS.seller, name: 'Export desk' },
      documents: ['business-licence.pdf'],
      password,
    }),
  );
  if (seller) await partners.sellers.decide(systemActor, seller.id, 'approved', null);
}

/** Runs a creation, answering undefined when the account or address exists already (a later start). */
async function openOnce<T>(create: () => Promise<T>): Promise<T | undefined> {
  try {
    return await create();
  } catch (error) {
    const code = (error as { code?: unknown }).code;
    if (code === 'conflict' || code === 'email_taken') return undefined;
    throw error;
  }
}
