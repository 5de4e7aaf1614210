import { describe, expect, it } from 'vitest';
import { forestRawScore, trainGbdt, type CompiledForest } from './gbdt.js';
import { seededRandom } from '../../../platform/random/seeded-random.js';
import { forestExpectedValue, treeShapContributions } from './tree-shap.js';

/** E[f(x) | features in `known` fixed to x], integrating the others over node covers. */
function conditionalExpectation(forest: CompiledForest, x: number[], known: Set<number>): number {
  const visit = (node: number): number => {
    const feature = forest.splitFeature[node];
    if (feature < 0) return forest.leafValue[node];
    const left = forest.leftChild[node];
    const right = forest.rightChild[node];
    if (known.has(feature)) {
      const v = x[feature];
      const goesLeft = Number.isNaN(v) ? forest.defaultLeft[node] === 1 : v <= forest.threshold[node];
      return visit(goesLeft ? left : right);
    }
    return (forest.cover[left] * visit(left) + forest.cover[right] * visit(right)) / forest.cover[node];
  };
  let sum = forest.baseScore;
  for (const root of forest.treeRoots) sum += visit(root);
  return sum;
}

/** Shapley values by enumerating all subsets (exponential; fine for 4 features). */
function bruteForceShapley(forest: CompiledForest, x: number[]): number[] {
  const m = x.length;
  const factorial = (n: number): number => (n <= 1 ? 1 : n * factorial(n - 1));
  const phi = new Array<number>(m).fill(0);
  for (let i = 0; i < m; i++) {
    for (let mask = 0; mask < 1 << m; mask++) {
      if (mask & (1 << i)) continue;
      const subset = new Set<number>();
      for (let j = 0; j < m; j++) if (mask & (1 << j)) subset.add(j);
      const weight = (factorial(subset.size) * factorial(m - subset.size - 1)) / factorial(m);
      const withI = new Set(subset).add(i);
      phi[i] +=
        weight * (conditionalExpectation(forest, x, withI) - conditionalExpectation(forest, x, subset));
    }
  }
  return phi;
}

function trainedForest(): CompiledForest {
  const random = seededRandom(11);
  const rows = 1500;
  const columns = 4;
  const values = new Float64Array(rows * columns);
  const labels = new Uint8Array(rows);
  for (let r = 0; r < rows; r++) {
    for (let c = 0; c < columns; c++) values[r * columns + c] = random() < 0.1 ? NaN : random();
    const x = values.subarray(r * columns, (r + 1) * columns);
    labels[r] = (x[0] > 0.5 && x[1] < 0.6) || x[2] > 0.9 || random() < 0.05 ? 1 : 0;
  }
  return trainGbdt({
    features: { rows, columns, values },
    labels,
    params: { maxTrees: 25, maxDepth: 5, maxLeaves: 12, minDataInLeaf: 10, seed: 3 },
  }).forest;
}

describe('TreeSHAP', () => {
  const forest = trainedForest();
  const probes = [
    [0.7, 0.2, 0.95, 0.1],
    [0.1, 0.9, 0.3, 0.5],
    [NaN, 0.5, NaN, 0.99],
    [0.55, 0.61, 0.89, NaN],
  ];

  it('contributions sum to the prediction minus the base value', () => {
    for (const x of probes) {
      const phi = new Float64Array(4);
      const base = treeShapContributions(forest, x, phi);
      const sum = phi.reduce((a, b) => a + b, 0);
      expect(base + sum).toBeCloseTo(forestRawScore(forest, x), 9);
      expect(base).toBeCloseTo(forestExpectedValue(forest), 12);
    }
  });

  it('equals the exact Shapley values computed by enumerating feature subsets', () => {
    for (const x of probes) {
      const fast = new Float64Array(4);
      treeShapContributions(forest, x, fast);
      const slow = bruteForceShapley(forest, x);
      for (let i = 0; i < 4; i++) expect(fast[i]).toBeCloseTo(slow[i], 9);
    }
  });
});
