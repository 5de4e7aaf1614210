import { describe, expect, it } from 'vitest';
import {
  compareInspectionFigures,
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
});
