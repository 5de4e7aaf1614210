/**
 * Exact TreeSHAP (Lundberg, Erion & Lee 2018, "Consistent individualized feature attribution for tree
 * ensembles", Algorithm 2, path-dependent form): each feature's Shapley value for one prediction, where a
 * feature left out is integrated over the training rows that reached each node (the node covers).
 * Contributions are in log-odds and sum exactly to the raw score minus the expected raw score.
 * This follows the published algorithm and the reference C++ implementation's path bookkeeping.
 */
import type { CompiledForest } from './gbdt.js';

/** Work arrays for the unique path, sized for the deepest tree; reused across calls. */
interface PathBuffers {
  feature: Int32Array;
  zero: Float64Array;
  one: Float64Array;
  weight: Float64Array;
}

const expectedValueCache = new WeakMap<CompiledForest, number>();
const depthCache = new WeakMap<CompiledForest, number>();

function treeDepth(forest: CompiledForest, node: number): number {
  if (forest.splitFeature[node] < 0) return 0;
  return 1 + Math.max(treeDepth(forest, forest.leftChild[node]), treeDepth(forest, forest.rightChild[node]));
}

function forestDepth(forest: CompiledForest): number {
  let depth = depthCache.get(forest);
  if (depth === undefined) {
    depth = 0;
    for (const root of forest.treeRoots) depth = Math.max(depth, treeDepth(forest, root));
    depthCache.set(forest, depth);
  }
  return depth;
}

function nodeExpectation(forest: CompiledForest, node: number): number {
  if (forest.splitFeature[node] < 0) return forest.leafValue[node];
  const left = forest.leftChild[node];
  const right = forest.rightChild[node];
  return (
    (forest.cover[left] * nodeExpectation(forest, left) +
      forest.cover[right] * nodeExpectation(forest, right)) /
    forest.cover[node]
  );
}

/** Expected raw score (log-odds) over the training rows: the base value explanations start from. */
export function forestExpectedValue(forest: CompiledForest): number {
  let value = expectedValueCache.get(forest);
  if (value === undefined) {
    value = forest.baseScore;
    for (const root of forest.treeRoots) value += nodeExpectation(forest, root);
    expectedValueCache.set(forest, value);
  }
  return value;
}

function extendPath(
  p: PathBuffers,
  at: number,
  depth: number,
  zeroFraction: number,
  oneFraction: number,
  feature: number,
): void {
  p.feature[at + depth] = feature;
  p.zero[at + depth] = zeroFraction;
  p.one[at + depth] = oneFraction;
  p.weight[at + depth] = depth === 0 ? 1 : 0;
  for (let i = depth - 1; i >= 0; i--) {
    p.weight[at + i + 1] += (oneFraction * p.weight[at + i] * (i + 1)) / (depth + 1);
    p.weight[at + i] = (zeroFraction * p.weight[at + i] * (depth - i)) / (depth + 1);
  }
}

function unwindPath(p: PathBuffers, at: number, depth: number, pathIndex: number): void {
  const oneFraction = p.one[at + pathIndex];
  const zeroFraction = p.zero[at + pathIndex];
  let nextOnePortion = p.weight[at + depth];
  for (let i = depth - 1; i >= 0; i--) {
    if (oneFraction !== 0) {
      const tmp = p.weight[at + i];
      p.weight[at + i] = (nextOnePortion * (depth + 1)) / ((i + 1) * oneFraction);
      nextOnePortion = tmp - (p.weight[at + i] * zeroFraction * (depth - i)) / (depth + 1);
    } else {
      p.weight[at + i] = (p.weight[at + i] * (depth + 1)) / (zeroFraction * (depth - i));
    }
  }
  for (let i = pathIndex; i < depth; i++) {
    p.feature[at + i] = p.feature[at + i + 1];
    p.zero[at + i] = p.zero[at + i + 1];
    p.one[at + i] = p.one[at + i + 1];
  }
}

/** Sum of the path weights if element pathIndex were unwound, without changing the path. */
function unwoundPathSum(p: PathBuffers, at: number, depth: number, pathIndex: number): number {
  const oneFraction = p.one[at + pathIndex];
  const zeroFraction = p.zero[at + pathIndex];
  let nextOnePortion = p.weight[at + depth];
  let total = 0;
  for (let i = depth - 1; i >= 0; i--) {
    if (oneFraction !== 0) {
      const tmp = (nextOnePortion * (depth + 1)) / ((i + 1) * oneFraction);
      total += tmp;
      nextOnePortion = p.weight[at + i] - (tmp * zeroFraction * (depth - i)) / (depth + 1);
    } else if (zeroFraction !== 0) {
      total += p.weight[at + i] / zeroFraction / ((depth - i) / (depth + 1));
    }
  }
  return total;
}

function recurse(
  forest: CompiledForest,
  x: ArrayLike<number>,
  phi: Float64Array,
  node: number,
  p: PathBuffers,
  parentAt: number,
  depth: number,
  parentZero: number,
  parentOne: number,
  parentFeature: number,
): void {
  // Each level works on its own copy of the path, placed after the parent's.
  const at = parentAt + depth + 1;
  for (let i = 0; i <= depth; i++) {
    p.feature[at + i] = p.feature[parentAt + i];
    p.zero[at + i] = p.zero[parentAt + i];
    p.one[at + i] = p.one[parentAt + i];
    p.weight[at + i] = p.weight[parentAt + i];
  }
  extendPath(p, at, depth, parentZero, parentOne, parentFeature);

  const feature = forest.splitFeature[node];
  if (feature < 0) {
    const value = forest.leafValue[node];
    for (let i = 1; i <= depth; i++) {
      const w = unwoundPathSum(p, at, depth, i);
      phi[p.feature[at + i]] += w * (p.one[at + i] - p.zero[at + i]) * value;
    }
    return;
  }
  const v = x[feature];
  const goesLeft = v !== v ? forest.defaultLeft[node] === 1 : v <= forest.threshold[node];
  const hot = goesLeft ? forest.leftChild[node] : forest.rightChild[node];
  const cold = goesLeft ? forest.rightChild[node] : forest.leftChild[node];
  const cover = forest.cover[node];
  let incomingZero = 1;
  let incomingOne = 1;
  let pathIndex = 0;
  while (pathIndex <= depth && p.feature[at + pathIndex] !== feature) pathIndex++;
  let nextDepth = depth;
  if (pathIndex !== depth + 1) {
    // The feature was split on higher up: undo that split and redo it here with combined fractions.
    incomingZero = p.zero[at + pathIndex];
    incomingOne = p.one[at + pathIndex];
    unwindPath(p, at, depth, pathIndex);
    nextDepth -= 1;
  }
  recurse(
    forest,
    x,
    phi,
    hot,
    p,
    at,
    nextDepth + 1,
    (forest.cover[hot] / cover) * incomingZero,
    incomingOne,
    feature,
  );
  recurse(
    forest,
    x,
    phi,
    cold,
    p,
    at,
    nextDepth + 1,
    (forest.cover[cold] / cover) * incomingZero,
    0,
    feature,
  );
}

/**
 * Fills `out` (length = feature count) with each feature's TreeSHAP contribution to the raw score of row
 * `x`, and returns the base value, so that base + sum(out) equals the forest's raw score.
 */
export function treeShapContributions(
  forest: CompiledForest,
  x: ArrayLike<number>,
  out = new Float64Array(forest.featureCount),
): number {
  out.fill(0);
  const maxDepth = forestDepth(forest) + 2;
  const size = (maxDepth * (maxDepth + 1)) / 2 + maxDepth + 1;
  const p: PathBuffers = {
    feature: new Int32Array(size),
    zero: new Float64Array(size),
    one: new Float64Array(size),
    weight: new Float64Array(size),
  };
  for (const root of forest.treeRoots) recurse(forest, x, out, root, p, 0, 0, 1, 1, -1);
  return forestExpectedValue(forest);
}
