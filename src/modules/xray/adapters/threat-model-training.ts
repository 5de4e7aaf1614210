import { spawn, spawnSync } from 'node:child_process';
import { createHash } from 'node:crypto';
import { copyFile, mkdir, mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { basename, dirname, extname, join, relative, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { isHeldOut, type LabelledImage } from '../domain/dataset-split.js';
import { defaultHogParameters, hogFeatures } from '../domain/hog-features.js';
import { resampleRegion } from '../domain/image-resampling.js';
import { trainSoftmaxRegression } from '../domain/softmax-regression.js';
import { seededRandom } from '../../../platform/random/seeded-random.js';
import { noThreatLabel } from '../domain/threat-metrics.js';
import { dihedralVariants } from '../domain/test-time-augmentation.js';
import { XrayError } from '../domain/xray-error.js';
import { listLabelledImages, loadCropInputs } from './labelled-image-folders.js';
import { manifestFormat, type ThreatModelManifest } from './threat-model-loader.js';

/** Debian's interpreter: python3-torch is installed for it, not for any python3 first on PATH. */
export const debianPython = '/usr/bin/python3';
const repositoryRoot = resolve(dirname(fileURLToPath(import.meta.url)), '../../../..');
export const torchTrainingScript = join(repositoryRoot, 'scripts/xray/train_threat_cnn.py');

/** Side of the square model input; 128 px keeps razor-blade serrations visible. */
export const modelInputSize = 128;

/** Random windows cut from each no-threat crop as extra no-threat examples for the HOG model. */
const backgroundWindowsPerCrop = 4;

export type TrainingEngine = 'auto' | 'ensemble' | 'torch' | 'hog';

export interface TrainingOptions {
  readonly dataDir: string;
  /** Manifest path to write (`.json`); ONNX files are written beside it. */
  readonly out: string;
  readonly engine?: TrainingEngine;
  /** Train only on the training side of the series-block split (for honest benchmarking). */
  readonly holdOut?: boolean;
  readonly seed?: number;
  /** Epochs of the CNN (default 60) and of the HOG regression (default 60). */
  readonly epochs?: number;
  readonly log?: (line: string) => void;
}

export interface TrainingResult {
  readonly manifestPath: string;
  readonly engine: Exclude<TrainingEngine, 'auto'>;
  readonly images: number;
  readonly trainedOn: number;
  readonly dataSha256: string;
}

/** Decoded, preprocessed labelled crops with the split flag: what every training engine reads. */
export interface TrainingSet {
  readonly images: LabelledImage[];
  readonly labels: string[];
  /** images.length x modelInputSize^2 attenuation maps. */
  readonly inputs: Float32Array;
  /** Per image: used for training (false = held out). */
  readonly training: boolean[];
  readonly dataSha256: string;
}

/** True when Debian's python3 can import torch, i.e. the CNN can be trained on this machine. */
export function torchAvailable(): boolean {
  return spawnSync(debianPython, ['-c', 'import torch, onnx'], { stdio: 'ignore' }).status === 0;
}

/**
 * Fingerprint of a labelled data folder: SHA-256 over every file's label/name and content hash, in
 * sorted order, so a model records exactly which data trained it.
 */
export async function dataFingerprint(root: string, images: readonly LabelledImage[]): Promise<string> {
  const digest = createHash('sha256');
  for (const image of images) {
    const content = createHash('sha256')
      .update(await readFile(image.path))
      .digest('hex');
    digest.update(`${relative(root, image.path)} ${content}\n`);
  }
  return digest.digest('hex');
}

/** Reads and preprocesses `<dataDir>/<label>/<image>`; with `holdOut`, flags the held-out series blocks. */
export async function prepareTrainingSet(dataDir: string, holdOut = false): Promise<TrainingSet> {
  const images = await listLabelledImages(dataDir);
  const labels = [...new Set(images.map((image) => image.label))].sort();
  const dataSha256 = await dataFingerprint(dataDir, images);
  const inputs = await loadCropInputs(images, modelInputSize);
  const training = images.map((image) => !holdOut || !isHeldOut(image, 0));
  return { images, labels, inputs, training, dataSha256 };
}

/** Writes a training set as inputs.f32 + dataset.json, the form the Python scripts read. */
export async function writeTrainingSet(set: TrainingSet, folder: string): Promise<void> {
  await mkdir(folder, { recursive: true });
  await writeFile(
    join(folder, 'inputs.f32'),
    Buffer.from(set.inputs.buffer, set.inputs.byteOffset, set.inputs.byteLength),
  );
  await writeFile(
    join(folder, 'dataset.json'),
    JSON.stringify({
      size: modelInputSize,
      labels: set.labels,
      samples: set.images.map((image, index) => ({ ...image, train: set.training[index] })),
    }),
  );
}

/** Trains the CNN through Debian's python3-torch; writes `onnxName` into `folder`. */
async function trainCnn(
  set: TrainingSet,
  folder: string,
  onnxName: string,
  seed: number,
  epochs: number,
  log: (line: string) => void,
) {
  if (!torchAvailable()) {
    throw new XrayError(
      'invalid_model',
      `the CNN needs ${debianPython} with torch and onnx (apt-get install python3-torch python3-onnx); use --engine hog`,
    );
  }
  const workFolder = await mkdtemp(join(tmpdir(), 'clearway-xray-'));
  try {
    await writeTrainingSet(set, workFolder);
    await runPython(
      [
        torchTrainingScript,
        '--dataset',
        workFolder,
        '--out',
        join(workFolder, onnxName),
        '--epochs',
        String(epochs),
        '--seed',
        String(seed),
      ],
      log,
    );
    await copyFile(join(workFolder, onnxName), join(folder, onnxName));
  } finally {
    await rm(workFolder, { recursive: true, force: true });
  }
  return {
    format: manifestFormat,
    kind: 'onnx-classifier',
    labels: set.labels,
    inputSize: modelInputSize,
    onnx: onnxName,
  } as const;
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

/**
 * Trains a threat crop classifier from `<dataDir>/<label>/<image>` folders and writes its manifest.
 * Engines: `torch`, the CNN trained through Debian's python3-torch and exported to ONNX (served by
 * onnxruntime-node); `hog`, HOG + softmax regression in TypeScript, needing nothing else; `ensemble`,
 * both, averaged (the bundled model); `auto`, the ensemble when torch is installed, else hog.
 */
export async function trainThreatModel(options: TrainingOptions): Promise<TrainingResult> {
  const log = options.log ?? (() => {});
  const seed = options.seed ?? 7;
  const engine =
    options.engine === 'auto' || options.engine === undefined
      ? torchAvailable()
        ? 'ensemble'
        : 'hog'
      : options.engine;
  const manifestPath =
    extname(options.out).toLowerCase() === '.json'
      ? resolve(options.out)
      : resolve(options.out, 'threat-model.json');
  const folder = dirname(manifestPath);
  await mkdir(folder, { recursive: true });
  const set = await prepareTrainingSet(options.dataDir, options.holdOut);
  const trainedOn = set.training.filter(Boolean).length;
  log(
    `${set.images.length} images (${trainedOn} for training), labels ${set.labels.join(', ')}; engine ${engine}`,
  );
  const cnnEpochs = options.epochs ?? 60;
  const hogEpochs = options.epochs ?? 60;
  const training = {
    engine,
    command: `npx clearway xray train --data ${options.dataDir} --out ${options.out} --engine ${engine}${options.holdOut ? ' --hold-out' : ''} --seed ${seed}${options.epochs ? ` --epochs ${options.epochs}` : ''}`,
    dataSha256: set.dataSha256,
    images: set.images.length,
    trainedOn,
    holdOut: options.holdOut
      ? 'series blocks of 10 image numbers; block + seriesHash mod 5 = 0 held out (seed 0)'
      : 'none (all images)',
    seed,
    epochs: {
      cnn: engine === 'hog' ? undefined : cnnEpochs,
      hog: engine === 'torch' ? undefined : hogEpochs,
    },
    trainedAt: new Date().toISOString(),
  };
  const stem = basename(manifestPath, '.json');
  let manifest: ThreatModelManifest;
  if (engine === 'torch') {
    manifest = { ...(await trainCnn(set, folder, `${stem}.onnx`, seed, cnnEpochs, log)), training };
  } else if (engine === 'hog') {
    manifest = { ...trainHog(set, seed, hogEpochs, log), training };
  } else {
    const hog = trainHog(set, seed, hogEpochs, log);
    const cnn = await trainCnn(set, folder, `${stem}.cnn.onnx`, seed, cnnEpochs, log);
    manifest = {
      format: manifestFormat,
      kind: 'ensemble',
      labels: set.labels,
      inputSize: modelInputSize,
      members: [cnn, hog],
      training,
    };
  }
  await writeFile(manifestPath, `${JSON.stringify(manifest, null, 1)}\n`);
  log(`model written to ${manifestPath}`);
  return { manifestPath, engine, images: set.images.length, trainedOn, dataSha256: set.dataSha256 };
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
        : reject(
            new XrayError('invalid_model', `CNN training failed (exit ${code}): ${errors.slice(-2000)}`),
          ),
    );
  });
}
