import { describe, expect, it } from 'vitest';
import { forestFromJson, forestToJson, predictForest, trainGbdt, type FeatureMatrix } from './gbdt.js';
import { seededRandom } from '../../../platform/random/seeded-random.js';

function dataset(
  rows: number,
  seed: number,
  label: (x: number[]) => number,
  columns = 4,
): { features: FeatureMatrix; labels: Uint8Array } {
  const random = seededRandom(seed);
  const values = new Float64Array(rows * columns);
  const labels = new Uint8Array(rows);
  for (let r = 0; r < rows; r++) {
    const x = Array.from({ length: columns }, () => random());
    values.set(x, r * columns);
    labels[r] = label(x);
  }
  return { features: { rows, columns, values }, labels };
}

function accuracy(probabilities: Float64Array, labels: Uint8Array): number {
  let correct = 0;
  for (let i = 0; i < labels.length; i++) correct += (probabilities[i] > 0.5 ? 1 : 0) === labels[i] ? 1 : 0;
  return correct / labels.length;
}

describe('gradient-boosted trees', () => {
  it('learns an interaction (XOR of two thresholds) that no single split can', () => {
    const rule = (x: number[]) => (x[0] > 0.5 !== x[1] > 0.3 ? 1 : 0);
    const train = dataset(3000, 1, rule);
    const test = dataset(1000, 2, rule);
    const { forest } = trainGbdt({ ...train, params: { maxTrees: 60, learningRate: 0.3, minDataInLeaf: 5 } });
    expect(accuracy(predictForest(forest, test.features), test.labels)).toBeGreaterThan(0.97);
  });

  it('learns where missing values belong', () => {
    const random = seededRandom(3);
    const rows = 2000;
    const values = new Float64Array(rows * 2);
    const labels = new Uint8Array(rows);
    for (let r = 0; r < rows; r++) {
      const missing = random() < 0.3;
      values[r * 2] = missing ? NaN : random();
      values[r * 2 + 1] = random();
      labels[r] = missing || values[r * 2] > 0.8 ? 1 : 0;
    }
    const features = { rows, columns: 2, values };
    const { forest } = trainGbdt({ features, labels, params: { maxTrees: 40, learningRate: 0.3 } });
    const probe = predictForest(forest, {
      rows: 3,
      columns: 2,
      values: Float64Array.from([NaN, 0.5, 0.2, 0.5, 0.9, 0.5]),
    });
    expect(probe[0]).toBeGreaterThan(0.9);
    expect(probe[1]).toBeLessThan(0.1);
    expect(probe[2]).toBeGreaterThan(0.9);
  });

  it('is deterministic for a seed, and the seed matters', () => {
    const train = dataset(1500, 4, (x) => (x[0] + x[2] > 1 ? 1 : 0));
    const params = { maxTrees: 20, featureFraction: 0.5, baggingFraction: 0.7 };
    const a = forestToJson(trainGbdt({ ...train, params: { ...params, seed: 7 } }).forest);
    const b = forestToJson(trainGbdt({ ...train, params: { ...params, seed: 7 } }).forest);
    const c = forestToJson(trainGbdt({ ...train, params: { ...params, seed: 8 } }).forest);
    expect(b).toEqual(a);
    expect(c).not.toEqual(a);
  });

  it('stops early on a validation set when more trees stop helping', () => {
    const noisy = (x: number[]) => (x[0] > 0.5 ? 1 : 0) ^ (x[3] < 0.2 ? 1 : 0);
    const train = dataset(1000, 5, noisy);
    const valid = dataset(500, 6, (x) => (x[0] > 0.5 ? 1 : 0));
    const result = trainGbdt({
      ...train,
      validation: valid,
      params: { maxTrees: 400, learningRate: 0.3, earlyStoppingRounds: 10, minDataInLeaf: 2 },
    });
    expect(result.bestTreeCount).toBeLessThan(400);
    expect(result.forest.treeRoots.length).toBe(result.bestTreeCount);
    expect(Math.min(...result.validLossHistory)).toBeCloseTo(
      result.validLossHistory[result.bestTreeCount - 1],
    );
  });

  it('gives identical scores after a JSON round trip', () => {
    const train = dataset(1000, 8, (x) => (x[1] > 0.4 ? 1 : 0));
    const { forest } = trainGbdt({ ...train, params: { maxTrees: 30 } });
    const restored = forestFromJson(JSON.parse(JSON.stringify(forestToJson(forest))));
    expect(Array.from(predictForest(restored, train.features))).toEqual(
      Array.from(predictForest(forest, train.features)),
    );
  });
});
