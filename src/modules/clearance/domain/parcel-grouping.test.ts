import { describe, expect, it } from 'vitest';
import { phoneticKey } from './address-normalisation.js';
import { analyseParcelGrouping, importerKeyOf, type GroupingParcel } from './parcel-grouping.js';

const LIMIT = 210_000n; // USD 150 at 1,400
const parcel = (id: number, overrides: Partial<GroupingParcel>): GroupingParcel => ({
  id,
  splitFromWaybill: null,
  sellerKey: null,
  importerKey: 'pccc:P100000000001',
  purchaseDate: null,
  pccc: null,
  arrivalDate: null,
  deliveryAddressKey: null,
  goodsPriceKrw: 100_000n,
  limitKrw: LIMIT,
  ...overrides,
});

describe('combined taxation and anti-splitting analysis', () => {
  it('groups parcels split from one AWB and taxes them together over the limit', () => {
    const { combinedGroups } = analyseParcelGrouping([
      parcel(1, { splitFromWaybill: 'DHL1234567' }),
      parcel(2, { splitFromWaybill: 'DHL1234567', goodsPriceKrw: 120_000n }),
      parcel(3, { splitFromWaybill: 'DHL7654321' }),
    ]);
    expect(combinedGroups).toEqual([
      {
        parcelIds: [1, 2],
        triggers: ['same_waybill'],
        goodsPriceKrw: 220_000n,
        limitKrw: LIMIT,
        overLimit: true,
      },
    ]);
  });

  it('groups same seller and same date, joining groups transitively, and keeps the strictest limit', () => {
    const { combinedGroups } = analyseParcelGrouping([
      parcel(1, { sellerKey: 'S1', purchaseDate: '2026-11-02', limitKrw: 280_000n }),
      parcel(2, {
        sellerKey: 'S1',
        purchaseDate: '2026-11-02',
        splitFromWaybill: 'AWB9',
        limitKrw: 280_000n,
      }),
      parcel(3, { splitFromWaybill: 'AWB9' }),
      parcel(4, { sellerKey: 'S1', purchaseDate: '2026-11-03' }),
    ]);
    expect(combinedGroups).toHaveLength(1);
    expect(combinedGroups[0]).toMatchObject({
      parcelIds: [1, 2, 3],
      triggers: ['same_waybill', 'same_seller_same_date'],
      goodsPriceKrw: 300_000n,
      limitKrw: LIMIT,
      overLimit: true,
    });
  });

  it('reports groups under the limit without taking list clearance away', () => {
    const { combinedGroups } = analyseParcelGrouping([
      parcel(1, { sellerKey: 'S', purchaseDate: '2026-11-01', goodsPriceKrw: 50_000n }),
      parcel(2, { sellerKey: 'S', purchaseDate: '2026-11-01', goodsPriceKrw: 60_000n }),
    ]);
    expect(combinedGroups[0]!.overLimit).toBe(false);
  });

  it('flags the same PCCC on one arrival day and the same delivery address as risk signals only', () => {
    const analysis = analyseParcelGrouping([
      parcel(1, { pccc: 'P123456789012', arrivalDate: '2026-11-20', deliveryAddressKey: 'k1' }),
      parcel(2, { pccc: 'P123456789012', arrivalDate: '2026-11-20', goodsPriceKrw: 150_000n }),
      parcel(3, { pccc: 'P123456789012', arrivalDate: '2026-11-21', deliveryAddressKey: 'k1' }),
      parcel(4, { pccc: 'P999999999999', arrivalDate: '2026-11-20' }),
    ]);
    expect(analysis.combinedGroups).toEqual([]);
    expect(analysis.riskClusters).toEqual([
      {
        kind: 'same_pccc_same_day',
        key: 'P123456789012/2026-11-20',
        parcelIds: [1, 2],
        goodsPriceKrw: 250_000n,
        overLimitIfCombined: true,
      },
      {
        kind: 'same_delivery_address',
        key: 'k1',
        parcelIds: [1, 3],
        goodsPriceKrw: 200_000n,
        overLimitIfCombined: false,
      },
    ]);
  });
});

describe('grouping at scale', () => {
  it('finds the same groups whether pair keys are indexed directly or interned', () => {
    // 40,000 sellers x 1,000 distinct days exceeds the direct-index range and takes the interning path.
    const wide: GroupingParcel[] = [];
    for (let id = 0; id < 40_000; id += 1) {
      const day = new Date(Date.UTC(2024, 0, 1 + (id % 1000))).toISOString().slice(0, 10);
      wide.push(parcel(id, { sellerKey: `S${id % 39_999}`, purchaseDate: day }));
    }
    const groupsOf = (parcels: GroupingParcel[]) =>
      analyseParcelGrouping(parcels).combinedGroups.map((group) => group.parcelIds.join(','));
    // S0 on day 0 (id 0) and again at id 39,999 (S0, day 999): different days, no group; a repeated pair makes one.
    wide.push(parcel(50_000, { sellerKey: 'S0', purchaseDate: '2024-01-01' }));
    expect(groupsOf(wide)).toEqual(['0,50000']);
    // The same parcels restricted to 100 days fit the direct index and give the same answer for them.
    const narrow = [...wide.slice(0, 100), wide.at(-1)!];
    expect(groupsOf(narrow)).toEqual(['0,50000']);
  });

  it('groups per importer: two buyers of one shop on one day, or two consignees of one AWB, stay apart', () => {
    const { combinedGroups } = analyseParcelGrouping([
      parcel(1, { sellerKey: 'S1', purchaseDate: '2026-11-02', importerKey: 'pccc:P100000000001' }),
      parcel(2, { sellerKey: 'S1', purchaseDate: '2026-11-02', importerKey: 'pccc:P200000000002' }),
      parcel(3, { splitFromWaybill: '1234567890', importerKey: 'pccc:P100000000001' }),
      parcel(4, { splitFromWaybill: '1234567890', importerKey: 'pccc:P300000000003' }),
      parcel(5, { sellerKey: 'S1', purchaseDate: '2026-11-02', importerKey: null }),
    ]);
    expect(combinedGroups).toEqual([]);
  });

  it('names the importer by PCCC, else by the person at the address', () => {
    expect(importerKeyOf({ pccc: 'p100000000001', addresseeNameKey: 'kim', addressKey: 'a' })).toBe(
      'pccc:P100000000001',
    );
    const written = (name: string) =>
      importerKeyOf({ pccc: null, addresseeNameKey: phoneticKey(name), addressKey: 'k' });
    expect(written('Kim Minsu')).toBe(written('KIM MIN-SU'));
    expect(written('Kim Minsu')).not.toBe(written('Lee Minsu'));
    expect(importerKeyOf({ pccc: null, addresseeNameKey: 'kim', addressKey: null })).toBeNull();
  });
});
