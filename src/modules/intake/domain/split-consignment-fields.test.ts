import { describe, expect, it } from 'vitest';
import { houseWaybillToParcel, validateHouseWaybill, validateManifestHeader } from './express-manifest.js';
import { validateMarketplaceOrder } from './marketplace-records.js';
import { postalItemToParcel, validatePostalItem } from './postal-item.js';

const address = { name: 'Kim', street: '1 Jong-ro', city: 'Seoul', country: 'KR' };
const line = { description: 'Hoodie', quantity: 1, value: 90, currency: 'USD', hsCode: '611020' };

describe('the original waybill of a split consignment, and insurance', () => {
  it('reads them on an express house and keeps the waybill without dashes', () => {
    const header = validateManifestHeader({
      carrier: 'DHL',
      mawb: '180-12345675',
      arrivalDate: '2026-11-21',
    });
    const house = validateHouseWaybill({
      hawb: 'DHL1000001',
      shipper: address,
      consignee: address,
      grossMassKg: 1,
      currency: 'USD',
      insurance: '2.5',
      splitFromWaybill: '180-12345675',
      lines: [line],
    });
    if (!header.ok || !house.ok) throw new Error('valid records refused');
    expect(houseWaybillToParcel(header.value, house.value)).toMatchObject({
      insuranceValue: '2.5',
      documents: { splitFromWaybill: '18012345675' },
    });
  });

  it('reads them on a CN23 item and a marketplace order', () => {
    const item = validatePostalItem({
      itemId: 'RR123456785CN',
      category: 'gift',
      sender: { ...address, country: 'CN' },
      addressee: address,
      contents: [line],
      grossMassKg: 1,
      currency: 'USD',
      postedOn: '2026-11-20',
      insurance: 3,
      splitFromWaybill: 'bl-2026-001',
    });
    if (!item.ok) throw new Error(JSON.stringify(item.errors));
    expect(postalItemToParcel(item.value, 'KPOST')).toMatchObject({
      insuranceValue: '3',
      documents: { splitFromWaybill: 'BL2026001' },
    });
    const order = validateMarketplaceOrder({
      marketplace: 'SHOPMALL',
      orderNumber: 'O-1',
      seller: { id: 'S1', name: 'Shop' },
      productTitle: 'Hoodie',
      pricePaid: 90,
      currency: 'USD',
      splitFromWaybill: '180 12345675',
      orderedAt: '2026-11-10T09:00:00Z',
    });
    expect(order).toMatchObject({
      ok: false,
      errors: [{ path: 'splitFromWaybill', rule: 'waybill-number' }],
    });
  });
});
