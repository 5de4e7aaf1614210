/**
 * Gradient-boosted decision trees for binary classification (logistic loss), written for typed arrays.
 *
 * Training follows LightGBM's recipe: every feature is cut into at most 255 quantile bins once, trees grow
 * leaf-wise (the leaf with the largest gain splits next) from gradient/hessian histograms, and the larger
 * child's histogram is the parent's minus the smaller child's. Missing values (NaN) get their own bin and
 * each split learns which side they go to. All randomness (row bagging, feature sampling) comes from one
 * seeded generator, so the same data and seed give the same model bit for bit.
 *
 * The trained forest is compiled into flat typed arrays (one array per node attribute, all trees
 * concatenated) so that scoring is a tight loop without objects or closures.
 */
import { seededRandom } from '../../../platform/random/seeded-random.js';

/** Rows x columns of feature values, row-major; NaN means missing. */
export interface FeatureMatrix {
  rows: number;
  columns: number;
  values: Float64Array;
}

/** Hyper-parameters of training. Defaults in {@link DEFAULT_GBDT_PARAMS}. */
export interface GbdtParams {
  /** Upper bound on the number of trees (early stopping usually ends sooner). */
  maxTrees: number;
  learningRate: number;
  maxLeaves: number;
  maxDepth: number;
  minDataInLeaf: number;
  minHessianInLeaf: number;
  /** L2 penalty on leaf values. */
  l2: number;
  /** Smallest loss reduction worth a split. */
  minGain: number;
  /** At most this many bins per feature, the missing bin included (<= 256). */
  maxBins: number;
  /** Share of features each tree may use. */
  featureFraction: number;
  /** Share of rows each tree is fitted on. */
  baggingFraction: number;
  /** Stop when the validation loss has not improved for this many trees (0: never). */
  earlyStoppingRounds: number;
  seed: number;
}

export const DEFAULT_GBDT_PARAMS: Readonly<GbdtParams> = Object.freeze({
  maxTrees: 600,
  learningRate: 0.05,
  maxLeaves: 31,
  maxDepth: 8,
  minDataInLeaf: 20,
  minHessianInLeaf: 1e-3,
  l2: 1,
  minGain: 0,
  maxBins: 255,
  featureFraction: 0.8,
  baggingFraction: 0.8,
  earlyStoppingRounds: 50,
  seed: 42,
});

/**
 * A trained forest as flat arrays. Node `i` is a leaf when `splitFeature[i] < 0`; otherwise rows with
 * `x[splitFeature[i]] <= threshold[i]` go to `leftChild[i]`, others to `rightChild[i]`, and missing values
 * go left when `defaultLeft[i]` is 1. `cover` is the number of training rows that reached the node
 * (TreeSHAP needs it). The raw score (log-odds) is `baseScore` plus the leaf value of each tree.
 */
export interface CompiledForest {
  baseScore: number;
  featureCount: number;
  treeRoots: Int32Array;
  splitFeature: Int32Array;
  threshold: Float64Array;
  defaultLeft: Uint8Array;
  leftChild: Int32Array;
  rightChild: Int32Array;
  leafValue: Float64Array;
  cover: Float64Array;
}

/** Progress of training, reported once per tree. */
export interface GbdtProgress {
  tree: number;
  maxTrees: number;
  trainLoss: number;
  validLoss?: number;
}

export interface GbdtTrainInput {
  features: FeatureMatrix;
  labels: Float64Array | Uint8Array;
  /** Optional validation rows for early stopping (a later time slice, for time-ordered data). */
  validation?: { features: FeatureMatrix; labels: Float64Array | Uint8Array };
  params?: Partial<GbdtParams>;
  onProgress?: (progress: GbdtProgress) => void;
}

export interface GbdtTrainResult {
  forest: CompiledForest;
  /** Number of trees kept (the best validation iteration when early stopping ran). */
  bestTreeCount: number;
  validLossHistory: number[];
}

export function sigmoid(x: number): number {
  return 1 / (1 + Math.exp(-x));
}

/** Cut points per feature: value v falls in bin 0 when NaN, else 1 + (index of the first cut >= v). */
function computeCuts(features: FeatureMatrix, maxBins: number): Float64Array[] {
  const { rows, columns, values } = features;
  const cuts: Float64Array[] = [];
  const column = new Float64Array(rows);
  const maxCuts = maxBins - 2;
  for (let f = 0; f < columns; f++) {
    let present = 0;
    for (let r = 0; r < rows; r++) {
      const v = values[r * columns + f];
      if (v === v) column[present++] = v;
    }
    const sorted = column.subarray(0, present).slice().sort();
    const distinct: number[] = [];
    for (let i = 0; i < sorted.length; i++)
      if (i === 0 || sorted[i] !== sorted[i - 1]) distinct.push(sorted[i]);
    let featureCuts: number[];
    if (distinct.length <= maxCuts + 1) {
      featureCuts = distinct.slice(0, -1);
    } else {
      featureCuts = [];
      for (let q = 1; q <= maxCuts; q++) {
        const value = sorted[Math.floor((q * sorted.length) / (maxCuts + 1))];
        if (featureCuts.length === 0 || value > featureCuts[featureCuts.length - 1]) featureCuts.push(value);
      }
      // The largest value must fall beyond the last cut, otherwise that last bin could never split.
      while (featureCuts.length > 0 && featureCuts[featureCuts.length - 1] >= sorted[sorted.length - 1])
        featureCuts.pop();
    }
    cuts.push(Float64Array.from(featureCuts));
  }
  return cuts;
}

function binOf(cuts: Float64Array, v: number): number {
  if (v !== v) return 0;
  let lo = 0;
  let hi = cuts.length;
  while (lo < hi) {
    const mid = (lo + hi) >>> 1;
    if (cuts[mid] < v) lo = mid + 1;
    else hi = mid;
  }
  return lo + 1;
}

/** Column-major bin indices: bins[f * rows + r]. */
function binMatrix(features: FeatureMatrix, cuts: Float64Array[]): Uint8Array {
  const { rows, columns, values } = features;
  const bins = new Uint8Array(rows * columns);
  for (let f = 0; f < columns; f++) {
    const featureCuts = cuts[f];
    const base = f * rows;
    for (let r = 0; r < rows; r++) bins[base + r] = binOf(featureCuts, values[r * columns + f]);
  }
  return bins;
}

interface TrainingNode {
  depth: number;
  begin: number;
  end: number;
  gradSum: number;
  hessSum: number;
  histogram: Float64Array | null;
  // best split found for this leaf
  gain: number;
  feature: number;
  bin: number;
  missingLeft: boolean;
  // filled once split
  left: number;
  right: number;
  value: number;
}

interface GrowContext {
  rows: number;
  bins: Uint8Array;
  binCount: Int32Array;
  binOffset: Int32Array;
  totalBins: number;
  gradients: Float64Array;
  hessians: Float64Array;
  rowIndex: Uint32Array;
  scratch: Uint32Array;
  params: GbdtParams;
}

// Histogram layout: for each global bin, [gradient sum, hessian sum, count].
function buildHistogram(ctx: GrowContext, node: TrainingNode, features: Int32Array): Float64Array {
  const histogram = new Float64Array(ctx.totalBins * 3);
  const { bins, rows, rowIndex, gradients, hessians, binOffset } = ctx;
  for (let k = 0; k < features.length; k++) {
    const f = features[k];
    const base = f * rows;
    const offset = binOffset[f] * 3;
    for (let i = node.begin; i < node.end; i++) {
      const r = rowIndex[i];
      const slot = offset + bins[base + r] * 3;
      histogram[slot] += gradients[r];
      histogram[slot + 1] += hessians[r];
      histogram[slot + 2] += 1;
    }
  }
  return histogram;
}

function findBestSplit(ctx: GrowContext, node: TrainingNode, features: Int32Array): void {
  node.gain = -Infinity;
  node.feature = -1;
  const { params, binCount, binOffset } = ctx;
  const histogram = node.histogram!;
  const count = node.end - node.begin;
  if (node.depth >= params.maxDepth || count < 2 * params.minDataInLeaf) return;
  const lambda = params.l2;
  // Both children must hold rows, whatever minDataInLeaf says, or TreeSHAP covers would be zero.
  const minData = Math.max(1, params.minDataInLeaf);
  const totalG = node.gradSum;
  const totalH = node.hessSum;
  const parentScore = (totalG * totalG) / (totalH + lambda);
  for (let k = 0; k < features.length; k++) {
    const f = features[k];
    const offset = binOffset[f] * 3;
    const bins = binCount[f];
    const missingG = histogram[offset];
    const missingH = histogram[offset + 1];
    const missingC = histogram[offset + 2];
    let leftG = 0;
    let leftH = 0;
    let leftC = 0;
    for (let b = 1; b < bins - 1; b++) {
      const slot = offset + b * 3;
      leftG += histogram[slot];
      leftH += histogram[slot + 1];
      leftC += histogram[slot + 2];
      if (leftC === 0) continue;
      // Option 1: missing values go right.
      {
        const rightC = count - leftC;
        const rightH = totalH - leftH;
        if (
          leftC >= minData &&
          rightC >= minData &&
          leftH >= params.minHessianInLeaf &&
          rightH >= params.minHessianInLeaf
        ) {
          const rightG = totalG - leftG;
          const gain =
            (leftG * leftG) / (leftH + lambda) + (rightG * rightG) / (rightH + lambda) - parentScore;
          if (gain > node.gain) {
            node.gain = gain;
            node.feature = f;
            node.bin = b;
            // Without missing values in the node, send future ones to the larger side.
            node.missingLeft = missingC === 0 ? leftC > rightC : false;
          }
        }
      }
      // Option 2: missing values go left.
      if (missingC > 0) {
        const withMissingC = leftC + missingC;
        const withMissingH = leftH + missingH;
        const rightC = count - withMissingC;
        const rightH = totalH - withMissingH;
        if (
          withMissingC >= minData &&
          rightC >= minData &&
          withMissingH >= params.minHessianInLeaf &&
          rightH >= params.minHessianInLeaf
        ) {
          const withMissingG = leftG + missingG;
          const rightG = totalG - withMissingG;
          const gain =
            (withMissingG * withMissingG) / (withMissingH + lambda) +
            (rightG * rightG) / (rightH + lambda) -
            parentScore;
          if (gain > node.gain) {
            node.gain = gain;
            node.feature = f;
            node.bin = b;
            node.missingLeft = true;
          }
        }
      }
    }
  }
}

/** Stable in-place partition of the node's rows; returns the first index of the right part. */
function partition(ctx: GrowContext, node: TrainingNode): number {
  const { bins, rows, rowIndex, scratch } = ctx;
  const base = node.feature * rows;
  const splitBin = node.bin;
  const missingLeft = node.missingLeft;
  let left = node.begin;
  let right = 0;
  for (let i = node.begin; i < node.end; i++) {
    const r = rowIndex[i];
    const b = bins[base + r];
    const goesLeft = b === 0 ? missingLeft : b <= splitBin;
    if (goesLeft) rowIndex[left++] = r;
    else scratch[right++] = r;
  }
  rowIndex.set(scratch.subarray(0, right), left);
  return left;
}

function sumGradients(ctx: GrowContext, begin: number, end: number): [number, number] {
  let g = 0;
  let h = 0;
  for (let i = begin; i < end; i++) {
    const r = ctx.rowIndex[i];
    g += ctx.gradients[r];
    h += ctx.hessians[r];
  }
  return [g, h];
}

function newNode(depth: number, begin: number, end: number, gradSum: number, hessSum: number): TrainingNode {
  return {
    depth,
    begin,
    end,
    gradSum,
    hessSum,
    histogram: null,
    gain: -Infinity,
    feature: -1,
    bin: 0,
    missingLeft: false,
    left: -1,
    right: -1,
    value: 0,
  };
}

/** Grows one tree leaf-wise on the rows in ctx.rowIndex[0, sampleCount). */
function growTree(ctx: GrowContext, sampleCount: number, features: Int32Array): TrainingNode[] {
  const [g, h] = sumGradients(ctx, 0, sampleCount);
  const root = newNode(0, 0, sampleCount, g, h);
  root.histogram = buildHistogram(ctx, root, features);
  findBestSplit(ctx, root, features);
  const nodes: TrainingNode[] = [root];
  const openLeaves: number[] = [0];
  let leafCount = 1;
  while (leafCount < ctx.params.maxLeaves) {
    let bestLeaf = -1;
    let bestGain = ctx.params.minGain;
    for (const index of openLeaves) {
      if (nodes[index].feature >= 0 && nodes[index].gain > bestGain) {
        bestGain = nodes[index].gain;
        bestLeaf = index;
      }
    }
    if (bestLeaf < 0) break;
    const parent = nodes[bestLeaf];
    const middle = partition(ctx, parent);
    const [leftG, leftH] = sumGradients(ctx, parent.begin, middle);
    const left = newNode(parent.depth + 1, parent.begin, middle, leftG, leftH);
    const right = newNode(
      parent.depth + 1,
      middle,
      parent.end,
      parent.gradSum - leftG,
      parent.hessSum - leftH,
    );
    const [small, large] = left.end - left.begin <= right.end - right.begin ? [left, right] : [right, left];
    small.histogram = buildHistogram(ctx, small, features);
    const parentHistogram = parent.histogram!;
    const smallHistogram = small.histogram;
    for (let i = 0; i < parentHistogram.length; i++) parentHistogram[i] -= smallHistogram[i];
    large.histogram = parentHistogram;
    parent.histogram = null;
    findBestSplit(ctx, left, features);
    findBestSplit(ctx, right, features);
    parent.left = nodes.length;
    nodes.push(left);
    parent.right = nodes.length;
    nodes.push(right);
    openLeaves.splice(openLeaves.indexOf(bestLeaf), 1, parent.left, parent.right);
    leafCount++;
  }
  for (const node of nodes) {
    node.histogram = null;
    if (node.left < 0)
      node.value = (-node.gradSum / (node.hessSum + ctx.params.l2)) * ctx.params.learningRate;
  }
  return nodes;
}

function logLoss(scores: Float64Array, labels: ArrayLike<number>): number {
  let sum = 0;
  for (let i = 0; i < scores.length; i++) {
    const s = scores[i];
    // log(1 + e^s) - y*s, computed without overflow
    sum += (s > 0 ? s + Math.log1p(Math.exp(-s)) : Math.log1p(Math.exp(s))) - labels[i] * s;
  }
  return sum / Math.max(1, scores.length);
}

interface GrownTree {
  nodes: TrainingNode[];
}

/** Adds one tree's output to scores, walking binned rows (bins are column-major). */
function addTreeOutput(tree: GrownTree, bins: Uint8Array, rows: number, scores: Float64Array): void {
  const nodes = tree.nodes;
  for (let r = 0; r < rows; r++) {
    let node = nodes[0];
    while (node.left >= 0) {
      const b = bins[node.feature * rows + r];
      node = nodes[(b === 0 ? node.missingLeft : b <= node.bin) ? node.left : node.right];
    }
    scores[r] += node.value;
  }
}

/** Trains a forest; deterministic for a given input and seed. */
export function trainGbdt(input: GbdtTrainInput): GbdtTrainResult {
  return runToEnd(trainGbdtByTree(input));
}

/** Runs a training to its end at once (what a caller that need not give way to anything else does). */
export function runToEnd<T>(steps: Generator<unknown, T>): T {
  for (;;) {
    const step = steps.next();
    if (step.done) return step.value;
  }
}

/**
 * The training, one tree at a time: the generator pauses after each tree, so that a server can answer
 * requests and record progress between trees instead of going deaf for the whole training.
 */
export function* trainGbdtByTree(input: GbdtTrainInput): Generator<void, GbdtTrainResult> {
  const params: GbdtParams = { ...DEFAULT_GBDT_PARAMS, ...input.params };
  if (params.maxBins > 256 || params.maxBins < 3) throw new RangeError('maxBins must be between 3 and 256');
  const { features, labels } = input;
  const rows = features.rows;
  const columns = features.columns;
  if (labels.length !== rows) throw new RangeError('labels and features differ in length');
  const random = seededRandom(params.seed);

  const cuts = computeCuts(features, params.maxBins);
  const bins = binMatrix(features, cuts);
  const binCount = Int32Array.from(cuts, (c) => c.length + 2);
  const binOffset = new Int32Array(columns);
  let totalBins = 0;
  for (let f = 0; f < columns; f++) {
    binOffset[f] = totalBins;
    totalBins += binCount[f];
  }

  let positives = 0;
  for (let i = 0; i < rows; i++) positives += labels[i];
  const prior = Math.min(Math.max((positives + 0.5) / (rows + 1), 1e-6), 1 - 1e-6);
  const baseScore = Math.log(prior / (1 - prior));

  const scores = new Float64Array(rows).fill(baseScore);
  const gradients = new Float64Array(rows);
  const hessians = new Float64Array(rows);
  const ctx: GrowContext = {
    rows,
    bins,
    binCount,
    binOffset,
    totalBins,
    gradients,
    hessians,
    rowIndex: new Uint32Array(rows),
    scratch: new Uint32Array(rows),
    params,
  };

  const validation = input.validation;
  const validBins = validation ? binMatrix(validation.features, cuts) : null;
  const validScores = validation ? new Float64Array(validation.features.rows).fill(baseScore) : null;
  const validLossHistory: number[] = [];
  let bestLoss = Infinity;
  let bestTreeCount = 0;

  const trees: GrownTree[] = [];
  const featureCountPerTree = Math.max(1, Math.round(columns * params.featureFraction));
  const allFeatures = Int32Array.from({ length: columns }, (_, i) => i);

  for (let t = 0; t < params.maxTrees; t++) {
    for (let r = 0; r < rows; r++) {
      const p = sigmoid(scores[r]);
      gradients[r] = p - labels[r];
      hessians[r] = Math.max(p * (1 - p), 1e-16);
    }
    let sampleCount = 0;
    if (params.baggingFraction < 1) {
      for (let r = 0; r < rows; r++) if (random() < params.baggingFraction) ctx.rowIndex[sampleCount++] = r;
    } else {
      for (let r = 0; r < rows; r++) ctx.rowIndex[sampleCount++] = r;
    }
    let treeFeatures = allFeatures;
    if (featureCountPerTree < columns) {
      // Partial Fisher-Yates shuffle, then sorted so histogram building walks features in order.
      const shuffled = allFeatures.slice();
      for (let i = 0; i < featureCountPerTree; i++) {
        const j = i + Math.floor(random() * (columns - i));
        const tmp = shuffled[i];
        shuffled[i] = shuffled[j];
        shuffled[j] = tmp;
      }
      treeFeatures = shuffled.subarray(0, featureCountPerTree).slice().sort();
    }
    const tree: GrownTree = { nodes: growTree(ctx, sampleCount, treeFeatures) };
    trees.push(tree);
    addTreeOutput(tree, bins, rows, scores);

    const progress: GbdtProgress = { tree: t + 1, maxTrees: params.maxTrees, trainLoss: NaN };
    if (validation && validBins && validScores) {
      addTreeOutput(tree, validBins, validation.features.rows, validScores);
      const loss = logLoss(validScores, validation.labels);
      validLossHistory.push(loss);
      progress.validLoss = loss;
      if (loss < bestLoss - 1e-12) {
        bestLoss = loss;
        bestTreeCount = t + 1;
      } else if (params.earlyStoppingRounds > 0 && t + 1 - bestTreeCount >= params.earlyStoppingRounds) {
        input.onProgress?.(progress);
        break;
      }
    } else {
      bestTreeCount = t + 1;
    }
    if (input.onProgress) {
      progress.trainLoss = logLoss(scores, labels);
      input.onProgress(progress);
    }
    yield;
  }

  const kept = trees.slice(0, Math.max(1, bestTreeCount));
  return {
    forest: compileForest(kept, cuts, baseScore, columns),
    bestTreeCount: kept.length,
    validLossHistory,
  };
}

function compileForest(
  trees: GrownTree[],
  cuts: Float64Array[],
  baseScore: number,
  featureCount: number,
): CompiledForest {
  const total = trees.reduce((sum, tree) => sum + tree.nodes.length, 0);
  const forest: CompiledForest = {
    baseScore,
    featureCount,
    treeRoots: new Int32Array(trees.length),
    splitFeature: new Int32Array(total),
    threshold: new Float64Array(total),
    defaultLeft: new Uint8Array(total),
    leftChild: new Int32Array(total),
    rightChild: new Int32Array(total),
    leafValue: new Float64Array(total),
    cover: new Float64Array(total),
  };
  let offset = 0;
  trees.forEach((tree, t) => {
    forest.treeRoots[t] = offset;
    tree.nodes.forEach((node, i) => {
      const at = offset + i;
      forest.cover[at] = node.end - node.begin;
      if (node.left < 0) {
        forest.splitFeature[at] = -1;
        forest.leftChild[at] = -1;
        forest.rightChild[at] = -1;
        forest.leafValue[at] = node.value;
      } else {
        forest.splitFeature[at] = node.feature;
        // bin b holds values <= cuts[b - 1], so "bin <= b" is "value <= cuts[b - 1]".
        forest.threshold[at] = cuts[node.feature][node.bin - 1];
        forest.defaultLeft[at] = node.missingLeft ? 1 : 0;
        forest.leftChild[at] = offset + node.left;
        forest.rightChild[at] = offset + node.right;
      }
    });
    offset += tree.nodes.length;
  });
  return forest;
}

/** Raw score (log-odds) of one row given as a slice of a row-major value array. */
export function forestRawScore(forest: CompiledForest, values: ArrayLike<number>, rowOffset = 0): number {
  const { treeRoots, splitFeature, threshold, defaultLeft, leftChild, rightChild, leafValue } = forest;
  let sum = forest.baseScore;
  for (let t = 0; t < treeRoots.length; t++) {
    let node = treeRoots[t];
    let feature = splitFeature[node];
    while (feature >= 0) {
      const v = values[rowOffset + feature];
      node = (v !== v ? defaultLeft[node] === 1 : v <= threshold[node]) ? leftChild[node] : rightChild[node];
      feature = splitFeature[node];
    }
    sum += leafValue[node];
  }
  return sum;
}

/** Probabilities for every row of a matrix. */
export function predictForest(
  forest: CompiledForest,
  features: FeatureMatrix,
  out = new Float64Array(features.rows),
): Float64Array {
  if (features.columns !== forest.featureCount)
    throw new RangeError(`expected ${forest.featureCount} features, got ${features.columns}`);
  const { values, columns } = features;
  for (let r = 0; r < features.rows; r++) out[r] = sigmoid(forestRawScore(forest, values, r * columns));
  return out;
}

/** Plain-JSON form of a forest; numbers survive JSON exactly (shortest round-trip representation). */
export interface ForestJson {
  baseScore: number;
  featureCount: number;
  treeRoots: number[];
  splitFeature: number[];
  threshold: number[];
  defaultLeft: number[];
  leftChild: number[];
  rightChild: number[];
  leafValue: number[];
  cover: number[];
}

export function forestToJson(forest: CompiledForest): ForestJson {
  return {
    baseScore: forest.baseScore,
    featureCount: forest.featureCount,
    treeRoots: Array.from(forest.treeRoots),
    splitFeature: Array.from(forest.splitFeature),
    threshold: Array.from(forest.threshold),
    defaultLeft: Array.from(forest.defaultLeft),
    leftChild: Array.from(forest.leftChild),
    rightChild: Array.from(forest.rightChild),
    leafValue: Array.from(forest.leafValue),
    cover: Array.from(forest.cover),
  };
}

export function forestFromJson(json: ForestJson): CompiledForest {
  const n = json.splitFeature.length;
  for (const key of ['threshold', 'defaultLeft', 'leftChild', 'rightChild', 'leafValue', 'cover'] as const) {
    if (json[key].length !== n)
      throw new Error(`model forest is corrupt: ${key} has ${json[key].length} entries, expected ${n}`);
  }
  return {
    baseScore: json.baseScore,
    featureCount: json.featureCount,
    treeRoots: Int32Array.from(json.treeRoots),
    splitFeature: Int32Array.from(json.splitFeature),
    threshold: Float64Array.from(json.threshold),
    defaultLeft: Uint8Array.from(json.defaultLeft),
    leftChild: Int32Array.from(json.leftChild),
    rightChild: Int32Array.from(json.rightChild),
    leafValue: Float64Array.from(json.leafValue),
    cover: Float64Array.from(json.cover),
  };
}
