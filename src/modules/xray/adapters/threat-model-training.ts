import { spawn, spawnSync } from 'node:child_process';
import { createHash } from 'node:crypto';
import { existsSync } from 'node:fs';
import { copyFile, link, mkdir, mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { availableParallelism, tmpdir } from 'node:os';
import { dirname, extname, join, relative, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import {
  crossFitFolds,
  crossFitSides,
  defaultCrossFit,
  type CrossFitOptions,
  type LabelledImage,
} from '../domain/dataset-split.js';
import { backgroundWindows } from '../domain/hard-negatives.js';
import { defaultHogParameters, hogFeatures } from '../domain/hog-features.js';
import { resampleRegion } from '../domain/image-resampling.js';
import { attenuationMap, regionModelInput } from '../domain/model-input.js';
import { trainSoftmaxRegression } from '../domain/softmax-regression.js';
import { seededRandom } from '../../../platform/random/seeded-random.js';
import { evaluateThreatPredictions, noThreatLabel, type ThreatEvaluation } from '../domain/threat-metrics.js';
import {
  calibrateThresholds,
  crossFittedLabels,
  decideLabel,
  defaultCalibration,
  type ThreatThresholds,
} from '../domain/threat-thresholds.js';
import { dihedralVariants } from '../domain/test-time-augmentation.js';
import { XrayError } from '../domain/xray-error.js';
import { heldOutScanSeries, readBoxedScans, type BoxedScan } from './boxed-scans.js';
import { trainScanDetector } from './detector-training.js';
import { listLabelledImages, loadCropInputs } from './labelled-image-folders.js';
import { decodeScan } from './scan-decoder.js';
import { loadThreatModel, manifestFormat, type ThreatModelManifest } from './threat-model-loader.js';
import { classifyModelInputs } from './threat-recognition.js';

/** Debian's interpreter: python3-torch is installed for it, not for any python3 first on PATH. */
export const debianPython = '/usr/bin/python3';
/** The Debian packages the CNN and the detector need, as the command and the docs name them. */
export const torchInstallLine = 'apt-get update && apt-get install -y python3-torch python3-onnx';
const repositoryRoot = resolve(dirname(fileURLToPath(import.meta.url)), '../../../..');
const cnnTrainingScript = join(repositoryRoot, 'scripts/xray/train_threat_cnn.py');

/** Side of the square model input; 128 px keeps razor-blade serrations visible. */
export const modelInputSize = 128;

/** Random windows cut from each no-threat crop as extra no-threat examples for the HOG model. */
const backgroundWindowsPerCrop = 4;

/** File names of a trained model folder. */
export const modelFiles = {
  manifest: 'threat-model.json',
  cnn: 'threat-model.cnn.onnx',
  detector: 'threat-detector.onnx',
} as const;

export type TrainingEngine = 'auto' | 'ensemble' | 'torch' | 'hog';

/** Classifier epochs when none are asked for: the CNN's 90 are the shipped recipe (docs/xray.md). */
export const defaultEpochs = { cnn: 90, hog: 60 } as const;

export interface TrainingOptions {
  readonly dataDir: string;
  /** xray-samples folder with boxed baggage scans: hard negatives and the detector's real scans. */
  readonly scansDir?: string;
  /** Folder to write (threat-model.json and the ONNX files beside it), or a manifest path ending .json. */
  readonly out: string;
  readonly engine?: TrainingEngine;
  /** Which crops to train on (in `listLabelledImages` order); the bench passes a split's training side. */
  readonly split?: { readonly name: string; readonly train: readonly boolean[] };
  readonly seed?: number;
  /** Epochs of the CNN and of the HOG regression (default `defaultEpochs`). */
  readonly epochs?: number;
  /** Folds of the cross-fitted calibration (default `defaultCrossFit`; the bench takes fewer). */
  readonly crossFit?: CrossFitOptions;
  /** Epochs of the detector (default 40). */
  readonly detectorEpochs?: number;
  /**
   * Keeps the Python steps' data and ONNX files here instead of a temporary folder; steps whose ONNX
   * file is already there are reused (see {@link PythonSteps}).
   */
  readonly workDir?: string;
  /**
   * A model manifest whose scan detector is kept (its ONNX file copied beside the new manifest, its
   * training record carried over) instead of training one, with its scan threshold: boxes are scored by
   * the detector alone, so a new classifier does not move it. Detector training (the shipped detector
   * and one per left-out training series) is the longest step.
   */
  readonly keepDetector?: string;
  /** Only write the Python steps' data and `steps.sh` into `workDir`, to train them elsewhere. */
  readonly prepareOnly?: boolean;
  /** The command line to record in the manifest (the CLI passes what was typed). */
  readonly command?: string;
  readonly log?: (line: string) => void;
}

export interface TrainingResult {
  /** The manifest written; undefined when only the Python steps were prepared. */
  readonly manifestPath?: string;
  /** With `prepareOnly`, the script that runs the prepared Python steps. */
  readonly preparedSteps?: string;
  readonly engine: Exclude<TrainingEngine, 'auto'>;
  readonly images: number;
  readonly trainedOn: number;
  readonly dataSha256: string;
  readonly thresholds?: ThreatThresholds;
  readonly calibration?: CalibrationReport;
}

/**
 * What cross-fitting measured on the out-of-fold rows (every training crop and scan window, each scored
 * by the fold model that never saw it): the most likely label, the thresholds fit on all these rows
 * (slightly optimistic), and the thresholds cross-fitted (each fold's rows decided by thresholds fit on
 * the other folds' rows), on all rows and on the crops alone.
 */
export interface CalibrationReport {
  readonly images: number;
  readonly argmax: ThreatEvaluation;
  readonly calibrated: ThreatEvaluation;
  readonly crossFitted: ThreatEvaluation;
  readonly crossFittedCrops: ThreatEvaluation;
}

/** Decoded, preprocessed labelled crops with the split flag: what every training engine reads. */
export interface TrainingSet {
  readonly images: LabelledImage[];
  readonly labels: string[];
  /** images.length x modelInputSize^2 attenuation maps. */
  readonly inputs: Float32Array;
  /** Per image: used for training (false = held out). */
  readonly training: boolean[];
}

/** True when Debian's python3 can import torch, i.e. the CNN can be trained on this machine. */
export function torchAvailable(): boolean {
  return spawnSync(debianPython, ['-c', 'import torch, onnx'], { stdio: 'ignore' }).status === 0;
}

/**
 * Fingerprint of the training data: SHA-256 over every file's path (relative to its root) and content
 * hash, in sorted order, so a model records exactly which data trained it.
 */
export async function dataFingerprint(files: readonly { root: string; path: string }[]): Promise<string> {
  const digest = createHash('sha256');
  for (const file of files) {
    const content = createHash('sha256')
      .update(await readFile(file.path))
      .digest('hex');
    digest.update(`${relative(file.root, file.path)} ${content}\n`);
  }
  return digest.digest('hex');
}

/** Reads and preprocesses `<dataDir>/<label>/<image>`; `train` flags the crops to train on. */
export async function prepareTrainingSet(dataDir: string, train?: readonly boolean[]): Promise<TrainingSet> {
  const { images, labels, inputs } = await decodedCrops(dataDir);
  return { images, labels, inputs, training: images.map((_, index) => train?.[index] ?? true) };
}

/**
 * Decoded crops per data folder, kept for the life of the process: a benchmark trains a dozen folds on
 * one folder, and decoding 690 JPEGs costs more than training the HOG model.
 */
const decodedFolders = new Map<string, Promise<Omit<TrainingSet, 'training'>>>();

function decodedCrops(dataDir: string): Promise<Omit<TrainingSet, 'training'>> {
  const key = resolve(dataDir);
  let decoded = decodedFolders.get(key);
  if (!decoded) {
    decoded = (async () => {
      const images = await listLabelledImages(dataDir);
      const labels = [...new Set(images.map((image) => image.label))].sort();
      return { images, labels, inputs: await loadCropInputs(images, modelInputSize) };
    })();
    decoded.catch(() => decodedFolders.delete(key));
    decodedFolders.set(key, decoded);
  }
  return decoded;
}

/** The series name of the clutter windows cut from the boxed training scans. */
const scanWindowSeries = 'scan-windows';

/**
 * Windows of bag clutter from the training scans (never from the held-out series), as no-threat crops:
 * the hard negatives a model trained on crops of single objects lacks.
 */
async function scanNegatives(scans: readonly BoxedScan[], seed: number) {
  const random = seededRandom(seed);
  const images: LabelledImage[] = [];
  const inputs: Float32Array[] = [];
  for (const scan of scans) {
    const image = await decodeScan(await readFile(scan.path));
    const attenuation = attenuationMap(image);
    // Numbered by scan, series first (B0009_0002 is 9002): cross-fitting keeps a scan's windows in one
    // fold and leaves the other scans of its bag, within the gap, out of that fold's training.
    const number = Number(scan.series.replace(/\D/g, '')) * 1000 + scan.number;
    for (const window of backgroundWindows(attenuation, image.width, image.height, scan.boxes, random)) {
      images.push({ path: scan.path, label: noThreatLabel, series: scanWindowSeries, number });
      inputs.push(regionModelInput(attenuation, image.width, image.height, window, modelInputSize));
    }
  }
  return { images, inputs };
}

/** Appends extra training crops (always trained on) to a set. */
function withExtraCrops(
  set: TrainingSet,
  extra: { images: LabelledImage[]; inputs: Float32Array[] },
): TrainingSet {
  const pixels = modelInputSize * modelInputSize;
  const inputs = new Float32Array(set.inputs.length + extra.inputs.length * pixels);
  inputs.set(set.inputs);
  extra.inputs.forEach((input, index) => inputs.set(input, set.inputs.length + index * pixels));
  return {
    images: [...set.images, ...extra.images],
    labels: set.labels,
    inputs,
    training: [...set.training, ...extra.images.map(() => true)],
  };
}

/** Writes a training set as inputs.f32 + dataset.json, the form the Python scripts read. */
export async function writeTrainingSet(set: TrainingSet, folder: string): Promise<void> {
  await mkdir(folder, { recursive: true });
  await writeFile(
    join(folder, 'inputs.f32'),
    Buffer.from(set.inputs.buffer, set.inputs.byteOffset, set.inputs.byteLength),
  );
  await writeDatasetDescription(set, folder);
}

/**
 * The inputs every step reads, written once at the work folder's root (64 MB for the GDXray crops)
 * before any step starts: the steps run at the same time and differ only in their train flags.
 */
async function writeSharedInputs(set: TrainingSet, steps: PythonSteps): Promise<void> {
  await mkdir(steps.folder, { recursive: true });
  await writeFile(
    join(steps.folder, 'inputs.f32'),
    Buffer.from(set.inputs.buffer, set.inputs.byteOffset, set.inputs.byteLength),
  );
}

/** A step's data in the work folder: the shared inputs hard-linked in, and its own train flags. */
async function writeStepData(set: TrainingSet, steps: PythonSteps, step: string): Promise<void> {
  const folder = join(steps.folder, step);
  await mkdir(folder, { recursive: true });
  await rm(join(folder, 'inputs.f32'), { force: true });
  await link(join(steps.folder, 'inputs.f32'), join(folder, 'inputs.f32'));
  await writeDatasetDescription(set, folder);
}

async function writeDatasetDescription(set: TrainingSet, folder: string): Promise<void> {
  await writeFile(
    join(folder, 'dataset.json'),
    JSON.stringify({
      size: modelInputSize,
      labels: set.labels,
      samples: set.images.map((image, index) => ({ ...image, train: set.training[index] })),
    }),
  );
}

/**
 * Where the Python steps (the fold CNNs, the CNN, the detector) find their data and leave their ONNX files:
 * one folder per step under `folder`. A step whose ONNX file is already there is reused, so a work
 * folder prepared here (`prepareOnly`) can be trained on another machine with `steps.sh` and the command
 * run again to finish; `planned` collects the steps' command lines for that script.
 */
export interface PythonSteps {
  readonly folder: string;
  readonly prepareOnly: boolean;
  readonly planned: string[];
  /** Threads per step: the steps run at the same time, so together they fill the machine's cores. */
  readonly threads: number;
  /** What each step reported (torch version, threads, seconds), for the manifest. */
  readonly reports: Record<string, unknown>;
}

/** Runs one Python training step (or, when preparing, plans it); its ONNX path, or undefined. */
async function runStep(
  steps: PythonSteps,
  step: string,
  script: string,
  args: string[],
  log: (line: string) => void,
): Promise<string | undefined> {
  const folder = join(steps.folder, step);
  const output = join(folder, 'model.onnx');
  const report = `${output}.json`;
  if (existsSync(output) && existsSync(report)) {
    log(`${step}: reusing ${output}, trained earlier in this work folder`);
  } else if (steps.prepareOnly) {
    const relativeFolder = relative(repositoryRoot, folder);
    steps.planned.push(
      `python3 ${relative(repositoryRoot, script)} --dataset ${relativeFolder} --out ${relativeFolder}/model.onnx ${args.join(' ')} --threads \${XRAY_THREADS:-2} &`,
    );
    return undefined;
  } else {
    await runPython(
      [script, '--dataset', folder, '--out', output, ...args, '--threads', String(steps.threads)],
      (line) => log(`${step}: ${line}`),
    );
  }
  steps.reports[step] = JSON.parse(await readFile(report, 'utf8'));
  return output;
}

/** Trains the CNN through Debian's python3-torch (step `step`); copies its ONNX file into `folder`. */
async function trainCnn(
  set: TrainingSet,
  folder: string,
  steps: PythonSteps,
  step: string,
  seed: number,
  epochs: number,
  log: (line: string) => void,
) {
  await writeStepData(set, steps, step);
  const onnx = await runStep(
    steps,
    step,
    cnnTrainingScript,
    ['--epochs', String(epochs), '--seed', String(seed)],
    log,
  );
  if (onnx) await copyFile(onnx, join(folder, modelFiles.cnn));
  return {
    format: manifestFormat,
    kind: 'onnx-classifier',
    labels: set.labels,
    inputSize: modelInputSize,
    onnx: modelFiles.cnn,
  } as const;
}

/**
 * The detector of an existing model, to ship again beside a new classifier: its manifest entry, what its
 * training step reported and a function that copies its ONNX file into `folder`.
 */
async function keptDetector(manifestPath: string, folder: string) {
  const manifest = JSON.parse(await readFile(manifestPath, 'utf8')) as ThreatModelManifest & {
    training?: { pythonSteps?: { detector?: unknown }; epochs?: { detector?: number } };
  };
  const detector = manifest.detector;
  if (!detector || detector.kind !== 'onnx-yolo')
    throw new XrayError('invalid_model', `${manifestPath} has no scan detector to keep`);
  const source = resolve(dirname(manifestPath), detector.onnx);
  const target = join(folder, modelFiles.detector);
  const bytes = await readFile(source);
  return {
    manifest: {
      format: manifestFormat,
      kind: 'onnx-yolo',
      labels: detector.labels,
      onnx: modelFiles.detector,
      scoreThreshold: detector.scoreThreshold,
    } as const,
    report: manifest.training?.pythonSteps?.detector,
    epochs: manifest.training?.epochs?.detector,
    copy: () => writeFile(target, bytes),
  };
}

/** Trains HOG + softmax regression in TypeScript on four poses of every training crop. */
function trainHog(set: TrainingSet, seed: number, epochs: number, log: (line: string) => void) {
  const pixels = modelInputSize * modelInputSize;
  const features: Float32Array[] = [];
  const targets: string[] = [];
  set.images.forEach((image, index) => {
    if (!set.training[index]) return;
    // HOG is not rotation invariant and bags hold objects in any pose.
    const variants = dihedralVariants(
      set.inputs.subarray(index * pixels, (index + 1) * pixels),
      modelInputSize,
    );
    for (let variant = 0; variant < 4; variant++) {
      features.push(hogFeatures(variants.subarray(variant * pixels, (variant + 1) * pixels), modelInputSize));
      targets.push(image.label);
    }
  });
  // Parts of no-threat crops are no-threat too: they teach the model what bag background and partial
  // objects look like, which a window detector shows it far more often than whole objects.
  const random = seededRandom(seed);
  set.images.forEach((image, index) => {
    if (!set.training[index] || image.label !== noThreatLabel) return;
    const input = set.inputs.subarray(index * pixels, (index + 1) * pixels);
    for (let window = 0; window < backgroundWindowsPerCrop; window++) {
      const side = modelInputSize * (0.4 + 0.4 * random());
      const region = {
        x: random() * (modelInputSize - side),
        y: random() * (modelInputSize - side),
        width: side,
        height: side,
      };
      features.push(
        hogFeatures(
          resampleRegion(input, modelInputSize, modelInputSize, region, modelInputSize, modelInputSize),
          modelInputSize,
        ),
      );
      targets.push(noThreatLabel);
    }
  });
  log(`training softmax regression on ${features.length} HOG vectors`);
  const regression = trainSoftmaxRegression(features, targets, { seed, epochs });
  return {
    format: manifestFormat,
    kind: 'hog-softmax',
    labels: regression.labels,
    inputSize: modelInputSize,
    hog: defaultHogParameters,
    regression,
  } as const;
}

/** Trains the crop classifier of `engine` on the set's training rows and writes its files to `folder`. */
async function trainClassifier(
  engine: Exclude<TrainingEngine, 'auto'>,
  set: TrainingSet,
  folder: string,
  steps: PythonSteps,
  step: string,
  seed: number,
  epochs: { cnn: number; hog: number },
  log: (line: string) => void,
): Promise<ThreatModelManifest> {
  if (engine === 'hog') return trainHog(set, seed, epochs.hog, log);
  const training = trainCnn(set, folder, steps, step, seed, epochs.cnn, log);
  // Preparing, the HOG member would be trained again when the command resumes.
  if (engine === 'torch' || steps.prepareOnly) return training;
  // Once the CNN's process has started, the HOG member trains here on the other core.
  await new Promise((started) => setTimeout(started, 1000));
  const hog = trainHog(set, seed, epochs.hog, log);
  return {
    format: manifestFormat,
    kind: 'ensemble',
    labels: set.labels,
    inputSize: modelInputSize,
    members: [await training, hog],
  };
}

/**
 * Cross-fitted calibration: the recipe trained once per fold (`crossFitFolds`: contiguous blocks of
 * every series' image numbers, a gap of numbers around each block left out of its training; the scan
 * windows numbered by scan, so a fold's held-out bag is out of its training), every training row then
 * scored by the one fold model that never saw it. The per-class thresholds are chosen on all these
 * out-of-fold rows for the false-alarm budget (every clutter crop and scan window, not a fifth of them),
 * and the model itself is trained on everything with these thresholds.
 */
async function crossFit(
  engine: Exclude<TrainingEngine, 'auto'>,
  set: TrainingSet,
  steps: PythonSteps,
  options: CrossFitOptions,
  seed: number,
  epochs: { cnn: number; hog: number },
  log: (line: string) => void,
): Promise<{ thresholds?: ThreatThresholds; report?: CalibrationReport }> {
  const trainingRows = set.images.flatMap((_, index) => (set.training[index] ? [index] : []));
  const trainingImages = trainingRows.map((index) => set.images[index]);
  const folds = crossFitFolds(trainingImages, options);
  const sidesOfFold = Array.from({ length: options.folds }, (_, fold) =>
    crossFitSides(trainingImages, folds, fold, options),
  );
  const everyLabelTrained = sidesOfFold.every((sides) =>
    set.labels.every((label) =>
      trainingImages.some((image, row) => sides[row] === 'train' && image.label === label),
    ),
  );
  if (!everyLabelTrained || !trainingImages.some((image) => image.label === noThreatLabel)) {
    log('too few crops to cross-fit: the most likely label decides, no thresholds');
    return {};
  }
  log(
    `cross-fitting ${options.folds} folds over ${trainingRows.length} rows (gap of ${options.gap} image numbers around each fold)`,
  );
  const pixels = modelInputSize * modelInputSize;
  const scored = await Promise.all(
    sidesOfFold.map(async (sides, fold) => {
      const training = set.images.map(() => false);
      trainingRows.forEach((index, row) => (training[index] = sides[row] === 'train'));
      const heldOut = trainingRows.filter((_, row) => sides[row] === 'test');
      const folder = await mkdtemp(join(tmpdir(), 'clearway-xray-fold-'));
      try {
        const manifest = await trainClassifier(
          engine,
          { ...set, training },
          folder,
          steps,
          `fold-${fold + 1}`,
          seed,
          epochs,
          log,
        );
        if (steps.prepareOnly && engine !== 'hog') return undefined;
        await writeFile(join(folder, modelFiles.manifest), JSON.stringify(manifest));
        const model = await loadThreatModel(join(folder, modelFiles.manifest));
        if (model.kind !== 'classifier')
          throw new XrayError('invalid_model', 'calibration needs a classifier');
        const results = await classifyModelInputs(
          model,
          heldOut.map((index) => set.inputs.subarray(index * pixels, (index + 1) * pixels)),
        );
        await model.dispose();
        return heldOut.map((index, position) => ({
          index,
          fold,
          row: set.labels.map((label) => results[position].probabilities[label]),
        }));
      } finally {
        await rm(folder, { recursive: true, force: true });
      }
    }),
  );
  if (scored.some((fold) => fold === undefined)) return {};
  const outOfFold = scored.flatMap((fold) => fold!).sort((a, b) => a.index - b.index);
  const rows = outOfFold.map((entry) => entry.row);
  const truths = outOfFold.map((entry) => set.images[entry.index].label);
  const thresholds = calibrateThresholds(rows, truths, set.labels);
  // Kept in the work folder, to study other threshold rules without training again.
  await writeFile(
    join(steps.folder, 'calibration-rows.json'),
    JSON.stringify({
      labels: set.labels,
      rows: outOfFold.map((entry) => ({
        ...set.images[entry.index],
        fold: entry.fold,
        probabilities: entry.row,
      })),
    }),
  );
  const decide = (thresholdsToUse?: ThreatThresholds) =>
    rows.map((row) => set.labels[decideLabel(row, set.labels, thresholdsToUse)]);
  const crossFitted = crossFittedLabels(
    rows,
    truths,
    set.labels,
    outOfFold.map((entry) => entry.fold),
  );
  const crops = outOfFold.flatMap((entry, position) =>
    set.images[entry.index].series === scanWindowSeries ? [] : [position],
  );
  const report = {
    images: rows.length,
    argmax: evaluateThreatPredictions(truths, decide()),
    calibrated: evaluateThreatPredictions(truths, decide(thresholds)),
    crossFitted: evaluateThreatPredictions(truths, crossFitted),
    crossFittedCrops: evaluateThreatPredictions(
      crops.map((position) => truths[position]),
      crops.map((position) => crossFitted[position]),
    ),
  };
  const figures = (evaluation: ThreatEvaluation) =>
    `balanced accuracy ${evaluation.balanced_accuracy.toFixed(3)}, missed ${evaluation.threat_miss_rate.toFixed(3)}, false alarms ${evaluation.false_alarm_rate.toFixed(3)}`;
  log(
    `thresholds ${JSON.stringify(thresholds)} on ${rows.length} out-of-fold rows: most likely label ${figures(report.argmax)}; ` +
      `fit here ${figures(report.calibrated)}; cross-fitted ${figures(report.crossFitted)} (crops alone: ${figures(report.crossFittedCrops)})`,
  );
  return { thresholds, report };
}

/**
 * Trains the whole threat model from `<dataDir>/<label>/<image>` folders and writes it to a folder:
 * the crop classifier (engine `torch`: a CNN trained through Debian's python3-torch and exported to
 * ONNX; `ensemble`: averaged with HOG + softmax regression trained in TypeScript; `hog` alone), per-class
 * thresholds calibrated on out-of-fold scores, and, with torch and `scansDir`, the whole-scan detector
 * trained on threat image projection. `auto` takes the CNN alone when torch is installed (the HOG member
 * cost four times the CNN's CPU per crop, and once per cross-fit fold to train) and says when it is not.
 */
export async function trainThreatModel(options: TrainingOptions): Promise<TrainingResult> {
  const log = options.log ?? (() => {});
  const seed = options.seed ?? 7;
  const prepareOnly = options.prepareOnly ?? false;
  // Preparing the Python steps for another machine needs no torch here.
  const hasTorch = prepareOnly || torchAvailable();
  const engine =
    options.engine === 'auto' || options.engine === undefined ? (hasTorch ? 'torch' : 'hog') : options.engine;
  if (engine !== 'hog' && !hasTorch)
    throw new XrayError(
      'invalid_model',
      `the CNN needs ${debianPython} with torch and onnx (${torchInstallLine}); use --engine hog`,
    );
  if (!hasTorch)
    log(
      `python3-torch is not installed (${torchInstallLine}): training the TypeScript HOG model only, without the CNN and the scan detector`,
    );
  const manifestPath =
    extname(options.out).toLowerCase() === '.json'
      ? resolve(options.out)
      : resolve(options.out, modelFiles.manifest);
  const folder = dirname(manifestPath);
  await mkdir(folder, { recursive: true });

  // Read before anything is written: the kept detector may be the one in the output folder.
  const kept = options.keepDetector ? await keptDetector(options.keepDetector, folder) : undefined;
  const crops = await prepareTrainingSet(options.dataDir, options.split?.train);
  const boxedScans = options.scansDir ? await readBoxedScans(options.scansDir) : [];
  const trainingScans = boxedScans.filter((scan) => !heldOutScanSeries.includes(scan.series));
  if (options.scansDir && boxedScans.length === 0)
    log(`no boxed GDXray scans under ${options.scansDir}: no scan hard negatives, no detector`);
  const set = withExtraCrops(crops, await scanNegatives(trainingScans, seed));
  const dataSha256 = await dataFingerprint([
    ...crops.images.map((image) => ({ root: options.dataDir, path: image.path })),
    ...trainingScans.map((scan) => ({ root: options.scansDir!, path: scan.path })),
  ]);
  const trainedOn = set.training.filter(Boolean).length;
  log(
    `${crops.images.length} crops and ${set.images.length - crops.images.length} scan windows (${trainedOn} for training), labels ${set.labels.join(', ')}; engine ${engine}`,
  );
  const epochs = { cnn: options.epochs ?? defaultEpochs.cnn, hog: options.epochs ?? defaultEpochs.hog };
  const crossFitOptions = options.crossFit ?? defaultCrossFit;
  const detectorEpochs = options.detectorEpochs ?? 40;
  const command = options.command ?? `npx clearway xray train --data ${options.dataDir} --out ${options.out}`;
  const steps: PythonSteps = {
    folder: options.workDir ? resolve(options.workDir) : await mkdtemp(join(tmpdir(), 'clearway-xray-')),
    prepareOnly,
    planned: [],
    threads: Math.max(1, Math.floor(availableParallelism() / (crossFitOptions.folds + 2))),
    reports: {},
  };
  if (engine !== 'hog') await writeSharedInputs(set, steps);
  // The Python steps (the fold CNNs, the CNN, the detector) are independent and run at the same time,
  // sharing the machine's cores; the HOG members train in this process meanwhile.
  const [{ thresholds, report }, classifier, detector] = await Promise.all([
    crossFit(engine, set, steps, crossFitOptions, seed, epochs, log),
    trainClassifier(engine, set, folder, steps, 'cnn', seed, epochs, log),
    kept?.manifest ??
      (hasTorch && engine !== 'hog' && trainingScans.length > 0
        ? trainScanDetector({
            set,
            scans: trainingScans,
            workFolder: steps.folder,
            onnxPath: join(folder, modelFiles.detector),
            seed,
            epochs: detectorEpochs,
            log,
            runStep: async (step, stepSet, script, args) => {
              await writeStepData(stepSet, steps, step);
              return runStep(steps, step, script, args, log);
            },
          }).then((trained) => {
            // One record, carried whole by --keep-detector: the command, the folds, the threshold choice.
            for (const step of Object.keys(steps.reports))
              if (step.startsWith('detector-')) delete steps.reports[step];
            if (trained) steps.reports.detector = { ...trained.record, command, dataSha256, seed };
            return trained?.manifest;
          })
        : undefined),
  ]);
  if (kept) {
    await kept.copy();
    log(`scan detector kept from ${options.keepDetector}`);
  }
  if (!options.workDir) await rm(steps.folder, { recursive: true, force: true });
  const result = { engine, images: crops.images.length, trainedOn, dataSha256 };
  if (prepareOnly) {
    const script = join(steps.folder, 'steps.sh');
    await writeFile(script, `#!/bin/sh\nset -e\n${steps.planned.join('\n')}\nwait\n`);
    log(
      `prepared ${steps.planned.length} Python steps: run sh ${script} from the repository root, then this command with --work ${options.workDir} again`,
    );
    return { ...result, manifestPath: undefined, preparedSteps: script };
  }
  const manifest: ThreatModelManifest = {
    ...classifier,
    thresholds,
    ...(detector ? { detector } : {}),
    training: {
      engine,
      command,
      dataSha256,
      crops: crops.images.length,
      scans: trainingScans.map((scan) => relative(options.scansDir!, scan.path)),
      heldOutScanSeries,
      trainedOn,
      split: options.split?.name ?? 'none (all crops)',
      seed,
      pythonSteps: kept ? { ...steps.reports, detector: kept.report } : steps.reports,
      ...(kept ? { detectorKeptFrom: options.keepDetector } : {}),
      epochs: {
        cnn: engine === 'hog' ? undefined : epochs.cnn,
        hog: engine === 'torch' ? undefined : epochs.hog,
        detector: kept ? kept.epochs : detector ? detectorEpochs : undefined,
      },
      calibration: report && {
        split: `out of fold: ${crossFitOptions.folds} folds of contiguous image numbers per series (scan windows by scan), ${crossFitOptions.gap} numbers around each fold left out of its training`,
        falseAlarmBudget: defaultCalibration.falseAlarmBudget,
        ...report,
      },
    },
  };
  await writeFile(manifestPath, `${JSON.stringify(manifest, null, 1)}\n`);
  log(`model written to ${manifestPath}`);
  return { ...result, manifestPath, thresholds, calibration: report };
}

function runPython(args: string[], log: (line: string) => void): Promise<void> {
  return new Promise((resolvePromise, reject) => {
    const child = spawn(debianPython, args, { stdio: ['ignore', 'pipe', 'pipe'] });
    let errors = '';
    child.stdout
      .setEncoding('utf8')
      .on('data', (chunk: string) => chunk.split('\n').filter(Boolean).forEach(log));
    child.stderr.setEncoding('utf8').on('data', (chunk: string) => (errors += chunk));
    child.on('error', reject);
    child.on('close', (code) =>
      code === 0
        ? resolvePromise()
        : reject(new XrayError('invalid_model', `training failed (exit ${code}): ${errors.slice(-2000)}`)),
    );
  });
}
