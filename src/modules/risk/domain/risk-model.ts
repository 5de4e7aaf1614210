/**
 * The risk model: feature encoder (history tallies and unit-value norms of the training window) plus a
 * gradient-boosted forest predicting the probability that a declaration is fraudulent. This file holds
 * the use cases the CLI and the server share: train, score, explain, save and load.
 */
import {
  DEFAULT_GBDT_PARAMS,
  forestFromJson,
  forestRawScore,
  forestToJson,
  predictForest,
  sigmoid,
  runToEnd,
  trainGbdtByTree,
  type CompiledForest,
  type ForestJson,
  type GbdtParams,
  type GbdtProgress,
} from './gbdt.js';
import {
  buildTrainingFeatures,
  FEATURE_NAMES,
  RiskFeatureEncoder,
  type RiskFeatureEncoderJson,
} from './risk-features.js';
import type { LabelledRiskDeclaration, RiskDeclaration } from './risk-declaration.js';
import { treeShapContributions } from './tree-shap.js';
import { contributionMessage, renderRiskSignal, type RiskSignalCode } from './explanation-wording.js';
import type { Message } from '../../../platform/i18n/messages.js';
import {
  driftLevel,
  psiAgainstReference,
  referenceDistribution,
  type FeatureDrift,
  type ReferenceDistribution,
} from './drift-indicators.js';

export const RISK_MODEL_FORMAT = 'clearway-risk-gbdt/1';

export interface RiskModel {
  encoder: RiskFeatureEncoder;
  /** Predicts fraud of any kind: the ranking for the inspection list. */
  forest: CompiledForest;
  /** Predicts critical fraud (drugs, IPR, false origin); absent when the history had too few cases. */
  criticalForest?: CompiledForest;
  featureNames: readonly string[];
  info: RiskModelInfo;
}

/** What a model file says about how it was made. */
export interface RiskModelInfo {
  trainedFrom: string;
  trainedTo: string;
  trainingRows: number;
  fraudRate: number;
  trees: number;
  /** Trees chosen by early stopping on the time-ordered validation slice, before the refit. */
  earlyStoppingTrees: number;
  criticalTrees?: number;
  criticalRate?: number;
  params: GbdtParams;
  validationShare: number;
  /**
   * Distributions of the score and of the declaration-level features over the latest days of the training
   * window (scored out of sample by the early-stopping model), the reference for drift indicators.
   */
  reference?: DriftReference;
}

/** Reference distributions stored in a model for drift indicators. */
export interface DriftReference {
  score: ReferenceDistribution;
  features: Record<string, ReferenceDistribution>;
}

/**
 * Features watched for drift: those computed from the declaration alone. History features are left out
 * because at scoring time they come from the whole frozen window, so their shift is expected.
 */
export const DRIFT_WATCHED_FEATURES = [
  'item_price_krw',
  'net_mass_kg',
  'unit_value_krw_per_kg',
  'unit_value_vs_hs6_norm',
  'tax_rate',
  'departure_differs_from_origin',
] as const;

export interface TrainRiskModelOptions {
  params?: Partial<GbdtParams>;
  /**
   * Share of the training window (its latest days) held out for early stopping. After the best number of
   * trees is known, the model is refitted on the whole window with proportionally more trees.
   */
  validationShare?: number;
  /** Refit on the whole window after early stopping (default true). */
  refit?: boolean;
  /**
   * Declarations of the same window that were not inspected: they are not training rows, but they count
   * in the "declarations seen" history features, as they will at scoring time.
   */
  uninspected?: readonly RiskDeclaration[];
  /** Also train the critical-fraud model (default true, when the history has enough critical cases). */
  criticalModel?: boolean;
  onProgress?: (
    progress: GbdtProgress & { phase: 'early-stopping' | 'refit'; label: 'fraud' | 'critical' },
  ) => void;
}

/** Fewest critical frauds in the history for which a critical-fraud model is trained. */
export const MIN_CRITICAL_CASES = 30;

/** Default share of the latest training days used for early stopping. */
export const DEFAULT_VALIDATION_SHARE = 0.15;

/** Trains a model from inspected declarations (any order; they are sorted by date). */
export function trainRiskModel(
  labelled: readonly LabelledRiskDeclaration[],
  options: TrainRiskModelOptions = {},
): RiskModel {
  return runToEnd(trainRiskModelByTree(labelled, options));
}

/** The same training, pausing after each tree (see `trainGbdtByTree`). */
export function* trainRiskModelByTree(
  labelled: readonly LabelledRiskDeclaration[],
  options: TrainRiskModelOptions = {},
): Generator<void, RiskModel> {
  if (labelled.length < 10) throw new RangeError('need at least 10 labelled declarations to train');
  const params: GbdtParams = { ...DEFAULT_GBDT_PARAMS, ...options.params };
  const validationShare = options.validationShare ?? DEFAULT_VALIDATION_SHARE;
  const training = buildTrainingFeatures(labelled, options.uninspected);
  const { features, fraud, critical, dates } = training;
  const columns = features.columns;

  // Split on a day boundary so that no day is on both sides.
  let split = Math.floor(features.rows * (1 - validationShare));
  while (split > 0 && split < features.rows && dates[split] === dates[split - 1]) split++;
  const canValidate = validationShare > 0 && split >= 10 && features.rows - split >= 10;

  const fitForest = function* (labels: Uint8Array, phase: 'fraud' | 'critical') {
    let forest: CompiledForest | undefined;
    let earlyStoppingTrees = params.maxTrees;
    let reference: DriftReference | undefined;
    if (canValidate) {
      const latest = {
        rows: features.rows - split,
        columns,
        values: features.values.subarray(split * columns),
      };
      const result = yield* trainGbdtByTree({
        features: { rows: split, columns, values: features.values.subarray(0, split * columns) },
        labels: labels.subarray(0, split),
        validation: { features: latest, labels: labels.subarray(split) },
        params,
        onProgress:
          options.onProgress && ((p) => options.onProgress!({ ...p, phase: 'early-stopping', label: phase })),
      });
      forest = result.forest;
      earlyStoppingTrees = result.bestTreeCount;
      reference = driftReference(predictForest(forest, latest), latest);
    }
    if (!forest || options.refit !== false) {
      const trees = canValidate
        ? Math.max(1, Math.round((earlyStoppingTrees * features.rows) / split))
        : params.maxTrees;
      forest = (yield* trainGbdtByTree({
        features,
        labels,
        params: { ...params, maxTrees: trees, earlyStoppingRounds: 0 },
        onProgress:
          options.onProgress && ((p) => options.onProgress!({ ...p, phase: 'refit', label: phase })),
      })).forest;
    }
    return {
      forest,
      earlyStoppingTrees,
      reference: reference ?? driftReference(predictForest(forest, features), features),
    };
  };

  const fraudFit = yield* fitForest(fraud, 'fraud');
  let criticalCount = 0;
  for (let i = 0; i < critical.length; i++) criticalCount += critical[i];
  // Critical fraud is rare (about 1 %); below a few dozen cases a separate model would only learn noise.
  const criticalFit =
    options.criticalModel !== false && criticalCount >= MIN_CRITICAL_CASES
      ? yield* fitForest(critical, 'critical')
      : undefined;
  let positives = 0;
  for (let i = 0; i < fraud.length; i++) positives += fraud[i];
  return {
    encoder: training.encoder,
    forest: fraudFit.forest,
    ...(criticalFit ? { criticalForest: criticalFit.forest } : {}),
    featureNames: FEATURE_NAMES,
    info: {
      trainedFrom: dates[0],
      trainedTo: dates[dates.length - 1],
      trainingRows: features.rows,
      fraudRate: positives / features.rows,
      trees: fraudFit.forest.treeRoots.length,
      earlyStoppingTrees: fraudFit.earlyStoppingTrees,
      ...(criticalFit
        ? { criticalTrees: criticalFit.forest.treeRoots.length, criticalRate: criticalCount / features.rows }
        : {}),
      params,
      validationShare,
      reference: fraudFit.reference,
    },
  };
}

function driftReference(
  scores: Float64Array,
  features: { rows: number; columns: number; values: Float64Array },
): DriftReference {
  const column = (name: string) => {
    const c = FEATURE_NAMES.indexOf(name);
    return Float64Array.from({ length: features.rows }, (_, r) => features.values[r * features.columns + c]);
  };
  return {
    score: referenceDistribution(scores),
    features: Object.fromEntries(
      DRIFT_WATCHED_FEATURES.map((name) => [name, referenceDistribution(column(name))]),
    ),
  };
}

/**
 * Drift of recent declarations against the training window: PSI of the score and of the watched features,
 * largest first. Empty when the model carries no reference (older model files).
 */
export function driftOfDeclarations(
  model: RiskModel,
  declarations: readonly RiskDeclaration[],
  scores = scoreDeclarations(model, declarations),
): FeatureDrift[] {
  const reference = model.info.reference;
  if (!reference || declarations.length === 0) return [];
  const matrix = model.encoder.encode(declarations);
  const report: FeatureDrift[] = [];
  const scorePsi = psiAgainstReference(reference.score, scores);
  report.push({ feature: 'score', psi: scorePsi, level: driftLevel(scorePsi) });
  for (const [name, distribution] of Object.entries(reference.features)) {
    const c = model.featureNames.indexOf(name);
    if (c < 0) continue;
    const values = Float64Array.from(
      { length: matrix.rows },
      (_, r) => matrix.values[r * matrix.columns + c],
    );
    const psi = psiAgainstReference(distribution, values);
    report.push({ feature: name, psi, level: driftLevel(psi) });
  }
  return report.sort((a, b) => b.psi - a.psi);
}

/** Fraud probabilities of declarations, in input order. */
export function scoreDeclarations(model: RiskModel, declarations: readonly RiskDeclaration[]): Float64Array {
  const matrix = model.encoder.encode(declarations);
  const scores = new Float64Array(matrix.rows);
  for (let r = 0; r < matrix.rows; r++)
    scores[r] = sigmoid(forestRawScore(model.forest, matrix.values, r * matrix.columns));
  return scores;
}

/** Fraud and critical-fraud probabilities of declarations, in input order (critical null without a model). */
export function scoreDeclarationsWithCritical(
  model: RiskModel,
  declarations: readonly RiskDeclaration[],
): { fraud: Float64Array; critical: Float64Array | null } {
  const matrix = model.encoder.encode(declarations);
  const fraud = new Float64Array(matrix.rows);
  const critical = model.criticalForest ? new Float64Array(matrix.rows) : null;
  for (let r = 0; r < matrix.rows; r++) {
    fraud[r] = sigmoid(forestRawScore(model.forest, matrix.values, r * matrix.columns));
    if (critical)
      critical[r] = sigmoid(forestRawScore(model.criticalForest!, matrix.values, r * matrix.columns));
  }
  return { fraud, critical };
}

/** One feature's share in a score, with its wording for an officer. */
export interface FeatureContribution {
  feature: string;
  value: number;
  /** Change in log-odds of fraud attributed to this feature (TreeSHAP); positive raises risk. */
  contribution: number;
  /** The contribution as a message, to be put into the reader's language when read. */
  message: Message<RiskSignalCode>;
  /** The same in English, for the command line and reports. */
  text: string;
}

/** A score with its reasons. */
export interface RiskAssessment {
  /** Probability of fraud, 0..1. */
  score: number;
  /** Probability of critical fraud, 0..1, when the model has a critical-fraud forest. */
  criticalScore?: number;
  /** Log-odds: baseValue + sum of all contributions. */
  rawScore: number;
  /** Log-odds of the average training declaration. */
  baseValue: number;
  /** Largest contributions by absolute size. */
  reasons: FeatureContribution[];
  /** Largest contributions to the critical-fraud score, when asked for. */
  criticalReasons?: FeatureContribution[];
}

/** The `top` largest contributions of one row, worded. */
function topReasons(
  model: RiskModel,
  row: Float64Array,
  contributions: Float64Array,
  top: number,
  declaration: RiskDeclaration,
): FeatureContribution[] {
  return Array.from(contributions.keys())
    .filter((f) => contributions[f] !== 0)
    .sort((a, b) => Math.abs(contributions[b]) - Math.abs(contributions[a]) || a - b)
    .slice(0, top)
    .map((f) => {
      const message = contributionMessage(model.featureNames[f], row[f], contributions[f], declaration);
      return {
        feature: model.featureNames[f],
        value: row[f],
        contribution: contributions[f],
        message,
        text: renderRiskSignal(message, 'en'),
      };
    });
}

export interface AssessOptions {
  /** Also explain the critical-fraud score (doubles the explanation cost). */
  criticalReasons?: boolean;
}

/**
 * Scores declarations and explains each score with its `topFeatures` largest TreeSHAP contributions
 * (and, on request, the critical-fraud score with its own).
 */
export function assessDeclarations(
  model: RiskModel,
  declarations: readonly RiskDeclaration[],
  topFeatures = 5,
  options: AssessOptions = {},
): RiskAssessment[] {
  const matrix = model.encoder.encode(declarations);
  const assessments: RiskAssessment[] = [];
  const contributions = new Float64Array(matrix.columns);
  for (let r = 0; r < matrix.rows; r++) {
    const row = matrix.values.subarray(r * matrix.columns, (r + 1) * matrix.columns);
    const baseValue = treeShapContributions(model.forest, row, contributions);
    const rawScore = forestRawScore(model.forest, row);
    const assessment: RiskAssessment = {
      score: sigmoid(rawScore),
      rawScore,
      baseValue,
      reasons: topReasons(model, row, contributions, topFeatures, declarations[r]),
    };
    if (model.criticalForest) {
      assessment.criticalScore = sigmoid(forestRawScore(model.criticalForest, row));
      if (options.criticalReasons) {
        treeShapContributions(model.criticalForest, row, contributions);
        assessment.criticalReasons = topReasons(model, row, contributions, topFeatures, declarations[r]);
      }
    }
    assessments.push(assessment);
  }
  return assessments;
}

/** Plain-JSON model file. */
export interface RiskModelJson {
  format: typeof RISK_MODEL_FORMAT;
  info: RiskModelInfo;
  encoder: RiskFeatureEncoderJson;
  forest: ForestJson;
  criticalForest?: ForestJson;
}

export function riskModelToJson(model: RiskModel): RiskModelJson {
  return {
    format: RISK_MODEL_FORMAT,
    info: model.info,
    encoder: model.encoder.toJson(),
    forest: forestToJson(model.forest),
    ...(model.criticalForest ? { criticalForest: forestToJson(model.criticalForest) } : {}),
  };
}

/** Loads a model from its JSON form (as parsed from a model file); throws on a foreign or corrupt file. */
export function riskModelFromJson(json: unknown): RiskModel {
  const candidate = json as Partial<RiskModelJson> | null;
  if (
    !candidate ||
    candidate.format !== RISK_MODEL_FORMAT ||
    !candidate.encoder ||
    !candidate.forest ||
    !candidate.info
  ) {
    throw new Error(`not a Clearway risk model (expected format ${RISK_MODEL_FORMAT})`);
  }
  const encoder = RiskFeatureEncoder.fromJson(candidate.encoder);
  const forest = forestFromJson(candidate.forest);
  const criticalForest = candidate.criticalForest ? forestFromJson(candidate.criticalForest) : undefined;
  if (
    forest.featureCount !== FEATURE_NAMES.length ||
    (criticalForest && criticalForest.featureCount !== FEATURE_NAMES.length)
  ) {
    throw new Error('model forest and feature set disagree');
  }
  return {
    encoder,
    forest,
    ...(criticalForest ? { criticalForest } : {}),
    featureNames: FEATURE_NAMES,
    info: candidate.info,
  };
}
