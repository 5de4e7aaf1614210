import { describe, expect, it } from 'vitest';
import {
  assessDeclarations,
  driftOfDeclarations,
  riskModelFromJson,
  riskModelToJson,
  scoreDeclarations,
  scoreDeclarationsWithCritical,
  trainRiskModel,
} from './risk-model.js';
import { precisionAt } from './ranking-metrics.js';
import { syntheticHistory } from './synthetic-declarations.fixture.js';

describe('risk model', () => {
  const history = syntheticHistory(3000, 2, '2020-01-01', 120);
  const later = syntheticHistory(1000, 3, '2020-05-01', 30);
  const model = trainRiskModel(history, { params: { maxTrees: 80, seed: 1 } });
  const declarations = later.map((row) => row.declaration);

  it('ranks later declarations far better than chance', () => {
    const scores = scoreDeclarations(model, declarations);
    const fraud = later.map((row) => (row.label.fraud ? 1 : 0));
    const base = fraud.reduce((a: number, b) => a + b, 0) / fraud.length;
    expect(precisionAt(scores, fraud, 10)).toBeGreaterThan(Math.min(0.95, base * 2));
  });

  it('gives identical scores after a JSON round trip of the model file', () => {
    const restored = riskModelFromJson(JSON.parse(JSON.stringify(riskModelToJson(model))));
    expect(Array.from(scoreDeclarations(restored, declarations))).toEqual(
      Array.from(scoreDeclarations(model, declarations)),
    );
  });

  it('reads model files written before uninspected declarations were counted', () => {
    const json = JSON.parse(JSON.stringify(riskModelToJson(model)));
    for (const group of json.encoder.tallies.groups) delete group.seen;
    delete json.encoder.tallies.total.seen;
    // Every training declaration was inspected, so "seen" equals "inspected" and scores must not change.
    expect(Array.from(scoreDeclarations(riskModelFromJson(json), declarations))).toEqual(
      Array.from(scoreDeclarations(model, declarations)),
    );
  });

  it('is deterministic for a seed', () => {
    const options = { params: { maxTrees: 25, seed: 5 } };
    const a = trainRiskModel(history.slice(0, 1500), options);
    const b = trainRiskModel(history.slice(0, 1500), options);
    expect(JSON.stringify(riskModelToJson(b))).toBe(JSON.stringify(riskModelToJson(a)));
  });

  it('trains a critical-fraud model when the history has enough critical cases', () => {
    expect(model.criticalForest).toBeDefined();
    const { fraud, critical } = scoreDeclarationsWithCritical(model, declarations);
    expect(Array.from(fraud)).toEqual(Array.from(scoreDeclarations(model, declarations)));
    expect(critical!.every((p) => p > 0 && p < 1)).toBe(true);
  });

  it('explains each score with contributions that add up to it', () => {
    const assessments = assessDeclarations(model, declarations.slice(0, 20), 100);
    const scores = scoreDeclarations(model, declarations.slice(0, 20));
    assessments.forEach((assessment, i) => {
      const total = assessment.reasons.reduce(
        (sum, reason) => sum + reason.contribution,
        assessment.baseValue,
      );
      expect(total).toBeCloseTo(assessment.rawScore, 9);
      expect(assessment.score).toBeCloseTo(scores[i], 12);
      expect(assessment.reasons[0].text).toMatch(/(raises|lowers) risk/);
    });
  });

  it('explains the critical-fraud score on request', () => {
    const [assessment] = assessDeclarations(model, declarations.slice(0, 1), 3, { criticalReasons: true });
    expect(assessment.criticalScore).toBeGreaterThan(0);
    expect(assessment.criticalReasons!.length).toBe(3);
    expect(assessDeclarations(model, declarations.slice(0, 1), 3)[0].criticalReasons).toBeUndefined();
  });

  it('scores declarations with most fields missing', () => {
    const [score] = scoreDeclarations(model, [{ date: '2020-06-01', hs6Code: '420222' }]);
    expect(score).toBeGreaterThan(0);
    expect(score).toBeLessThan(1);
  });

  it('reports drift of the score and declaration features against the training window', () => {
    const stable = driftOfDeclarations(model, declarations);
    expect(stable.map((d) => d.feature)).toContain('score');
    expect(stable.find((d) => d.feature === 'unit_value_vs_hs6_norm')!.level).toBe('stable');
    const cheaper = declarations.map((d) => ({ ...d, itemPriceKrw: (d.itemPriceKrw ?? 0) / 10 }));
    expect(
      driftOfDeclarations(model, cheaper).find((d) => d.feature === 'unit_value_vs_hs6_norm')!.level,
    ).toBe('significant');
  });

  it('refuses files that are not risk models', () => {
    expect(() => riskModelFromJson({ format: 'something-else' })).toThrow(/not a Clearway risk model/);
  });
});
