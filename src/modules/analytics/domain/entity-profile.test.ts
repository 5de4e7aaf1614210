import { describe, expect, it } from 'vitest';
import { paymentFacts, scorePccc, scoreSeller, type PcccFacts, type SellerFacts } from './entity-profile.js';

const noPayments = paymentFacts([]);
const quietSeller: SellerFacts = {
  parcels: 4,
  buyers: 4,
  firstDay: '2026-11-09',
  lastDay: '2026-11-14',
  inspected: 0,
  violations: 0,
  seized: 0,
  registrationNumber: null,
  registrationStatus: null,
  payments: noPayments,
  splitDays: 0,
  codesUnderSeveralNames: 0,
  sellersSharingContacts: 0,
};
const quietCode: PcccFacts = {
  parcels: 2,
  sellers: 2,
  firstDay: '2026-11-09',
  lastDay: '2026-11-12',
  inspected: 0,
  violations: 0,
  seized: 0,
  names: 1,
  phones: 1,
  addresses: 1,
  codesAtOneAddress: 1,
  payments: noPayments,
  splitDays: 0,
  registry: null,
};

describe('entity profile scoring', () => {
  it('gives nothing to a quiet seller or code, and no evidence', () => {
    expect(scoreSeller(quietSeller)).toEqual({ score: 0, band: 'low', parts: [] });
    expect(scorePccc(quietCode)).toEqual({ score: 0, band: 'low', parts: [] });
  });

  it('counts the orders declared under 0.7 of the price paid, with the median ratio', () => {
    const payments = paymentFacts([
      { declaredKrw: 30_000, paidKrw: 100_000 },
      { declaredKrw: 95_000, paidKrw: 100_000 },
      { declaredKrw: 50_000, paidKrw: 100_000 },
    ]);
    expect(payments).toMatchObject({ paidOrders: 3, underDeclared: 2, medianRatio: 0.5 });
    const score = scoreSeller({ ...quietSeller, payments });
    expect(score.parts).toHaveLength(1);
    expect(score.parts[0]!.points).toBe(6);
    expect(score.parts[0]!.evidence.en).toContain('2 of 3 paid orders declared under 0.7');
    expect(score.parts[0]!.evidence.ko).toContain('결제 주문 3건 중 2건');
  });

  it('puts the strongest signal first and caps each one', () => {
    const score = scoreSeller({ ...quietSeller, sellersSharingContacts: 20, violations: 1, splitDays: 1 });
    expect(score.parts.map((part) => part.part)).toEqual(['network', 'violations', 'splitting']);
    expect(score.parts[0]!.points).toBe(9);
    expect(score.band).toBe('high');
  });

  it("scores a code's identities, shared address and the holder's misuse reports", () => {
    const score = scorePccc({
      ...quietCode,
      names: 3,
      phones: 2,
      addresses: 2,
      codesAtOneAddress: 4,
      registry: { status: 'active', suspended: true, openMisuseReports: 0, confirmedMisuseReports: 1 },
    });
    expect(Object.fromEntries(score.parts.map((part) => [part.part, part.points]))).toEqual({
      identity: 6,
      shared_address: 6,
      registry: 8,
    });
    expect(score.parts.find((part) => part.part === 'registry')!.evidence.fr).toContain(
      'Dédouanement simplifié suspendu',
    );
  });
});
