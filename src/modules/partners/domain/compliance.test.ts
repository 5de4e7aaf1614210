import { describe, expect, it } from 'vitest';
import {
  clearanceIndicators,
  compareInspectionFigures,
  indicatorWeights,
  parseQuarter,
  quartersUpTo,
  scoreCompliance,
  type Indicator,
} from './compliance.js';

const indicator = (code: Indicator['code'], value: number | null, weight: number): Indicator => ({
  code,
  value,
  weight,
  evidence: { numerator: 0, denominator: 0, parcelSamples: [] },
});

describe('compliance', () => {
  it('reads quarters and counts back across years', () => {
    expect(parseQuarter('2026-Q1')).toEqual({ label: '2026-Q1', from: '2026-01-01', to: '2026-03-31' });
    expect(parseQuarter('2026-Q5')).toBeNull();
    expect(quartersUpTo(parseQuarter('2026-Q2')!, 3).map((q) => q.label)).toEqual([
      '2025-Q4',
      '2026-Q1',
      '2026-Q2',
    ]);
  });

  it('weights measured indicators and leaves unmeasured ones out', () => {
    expect(
      scoreCompliance([
        indicator('data_completeness', 1, 0.3),
        indicator('timeliness', 0.5, 0.2),
        indicator('declaration_accuracy', null, 0.3),
      ]),
    ).toEqual({ score: 80, level: 'medium' });
    expect(scoreCompliance([indicator('data_completeness', 0.95, 0.3)]).level).toBe('low');
    expect(scoreCompliance([indicator('data_completeness', 0.4, 0.3)]).level).toBe('high');
    expect(scoreCompliance([indicator('timeliness', null, 0.2)])).toEqual({ score: null, level: 'medium' });
  });

  it('flags figures that differ by more than a tenth', () => {
    const rows = compareInspectionFigures({
      carrier: { parcelsHandled: 100, parcelsScreened: 100, parcelsInspected: 10, findings: 1 },
      customs: { parcelsReceived: 98, parcelsInspected: 4, findings: 1 },
    });
    expect(rows.map((row) => [row.figure, row.differs])).toEqual([
      ['parcels', false],
      ['inspected', true],
      ['findings', false],
    ]);
  });

  it("turns clearance's records into the answers, corrections, final-address and seizure indicators", () => {
    const records = (parcels: number, seized: number) => ({
      parcels,
      requestsForInformation: {
        due: 4,
        answeredOnTime: 3,
        answeredLate: 1,
        unanswered: 0,
        pending: 2,
        lateSamples: [9],
      },
      corrections: { correctedParcels: 5, amendmentRequests: 3, correctedAtInspection: 2, samples: [4] },
      finalAddressReports: { due: 0, reported: 0, pending: 1, missingSamples: [] },
      seizures: { seizedParcels: seized, byCategory: { narcotics: seized }, samples: [] },
    });
    const [answers, corrections, addresses, seizures] = clearanceIndicators(records(1000, 5));
    expect(answers).toMatchObject({ code: 'rfi_answers', value: 0.75, evidence: { facts: { pending: 2 } } });
    expect(corrections).toMatchObject({ code: 'declaration_corrections', value: 0.995 });
    // Nothing released long enough ago: not measured, so it leaves the weighting.
    expect(addresses).toMatchObject({ code: 'final_address_reports', value: null });
    // 5 seized in 1,000 is half the 1 % ceiling; 20 in 1,000 is past it.
    expect(seizures!.value).toBeCloseTo(0.5);
    expect(clearanceIndicators(records(1000, 20))[3]!.value).toBe(0);
    expect(clearanceIndicators(records(0, 0))[3]!.value).toBeNull();
    expect(Object.values(indicatorWeights).reduce((sum, weight) => sum + weight, 0)).toBeCloseTo(1);
  });
});
