import { systemActor } from '../platform/auth/actor.js';
import { s10ItemId } from './demo-identifiers.js';
import type { ClearanceModule } from '../modules/clearance/index.js';
import type { SignInService } from '../modules/identity/index.js';
import type { IntakeService } from '../modules/intake/index.js';
import { writeRegistryCsv, type PortalModule, type RegistryEntry } from '../modules/portal/index.js';

/** The demo's buyer: signs in at /my with a code from DATA_DIR/outbox (README, "The consumer portal"). */
export const DEMO_BUYER = {
  email: 'buyer@clearway.local',
  pccc: 'P202600000017',
  name: 'Kim Minji',
  /** The registry's contact on file, where the code that links the PCCC goes. */
  emailOnFile: 'minji.kim@clearway.local',
} as const;

export interface DemoBuyerTarget {
  intake: { service: IntakeService };
  clearance: Pick<ClearanceModule, 'lifecycle'>;
  identity: { signIn: SignInService };
  portal: Pick<PortalModule, 'protection'>;
  settle(): Promise<void>;
}

const addressee = {
  name: 'Kim Minji',
  street: '123 Teheran-ro, Gangnam-gu',
  postcode: '06234',
  city: 'Seoul',
  country: 'KR',
  importerReference: DEMO_BUYER.pccc,
};

/**
 * The PCCC registry as the issuing system exports it (the buyer and a second holder), the buyer's
 * account, and parcels under the buyer's code that tell the whole story on a phone: one released under
 * list clearance, one taxed line by line, and one declared by somebody else at another address, to report.
 */
export async function loadDemoBuyer(target: DemoBuyerTarget, today: string): Promise<{ parcels: number }> {
  const issued = new Date(Date.parse(today) - 330 * 86_400_000).toISOString().slice(0, 10);
  const expires = new Date(Date.parse(issued) + 364 * 86_400_000).toISOString().slice(0, 10);
  const registry: RegistryEntry[] = [
    {
      pccc: DEMO_BUYER.pccc,
      holderName: DEMO_BUYER.name,
      email: DEMO_BUYER.emailOnFile,
      phone: '010-2026-0017',
      issuedOn: issued,
      expiresOn: expires,
      status: 'active',
    },
    {
      pccc: 'P202600000025',
      holderName: 'Lee Jun',
      email: 'jun.lee@clearway.local',
      phone: null,
      issuedOn: issued,
      expiresOn: expires,
      status: 'active',
    },
  ];
  await target.portal.protection.importRegistry(systemActor, writeRegistryCsv(registry));
  await target.identity.signIn.registerConsumer({
    email: DEMO_BUYER.email,
    name: DEMO_BUYER.name,
  });
  const line = (description: string, value: number, hsCode: string, quantity = 1) => ({
    description,
    quantity,
    netMassKg: 0.5,
    value,
    currency: 'USD',
    hsCode,
    originCountry: 'CN',
  });
  const items = [
    {
      itemId: s10ItemId('RR', 90000017, 'CN'),
      contents: [line('Cotton T-shirt', 18.5, '610910', 2)],
      to: addressee,
    },
    {
      itemId: s10ItemId('RR', 90000025, 'CN'),
      contents: [line('Leather jacket', 320, '420310')],
      to: addressee,
    },
    {
      itemId: s10ItemId('RR', 90000034, 'CN'),
      contents: [line('Bluetooth speaker', 95, '851822'), line('Phone case', 12, '392690')],
      to: { ...addressee, name: 'Park Sungho', street: '77 Haeundae-ro', postcode: '48094', city: 'Busan' },
    },
  ];
  const ids: number[] = [];
  for (const item of items) {
    const { id } = await target.intake.service.receivePostalItem(systemActor, {
      itemId: item.itemId,
      postalOperator: 'KPOST',
      category: 'sale_of_goods',
      sender: { name: 'Shenzhen Gadget Co', street: '12 Huaqiang Rd', city: 'Shenzhen', country: 'CN' },
      addressee: item.to,
      contents: item.contents,
      grossMassKg: 1,
      currency: 'USD',
      postedOn: today,
    });
    ids.push(id);
  }
  await target.settle();
  // The T-shirts went through: released, so the timeline runs from declaration to release.
  await target.clearance.lifecycle
    .transition(systemActor, ids[0]!, 'released', 'released under list clearance')
    .catch(() => undefined);
  return { parcels: ids.length };
}
