import { spawn, spawnSync } from 'node:child_process';
import { createHash } from 'node:crypto';
import { copyFile, mkdir, mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { basename, dirname, extname, join, relative, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { isHeldOut, type LabelledImage } from '../domain/dataset-split.js';
import { defaultHogParameters, hogFeatures } from '../domain/hog-features.js';
import { trainSoftmaxRegression } from '../domain/softmax-regression.js';
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

export type TrainingEngine = 'auto' | 'torch' | 'hog';

export interface TrainingOptions {
  readonly dataDir: string;
  /** Manifest path to write (`.json`); an ONNX file is written beside it for the CNN. */
  readonly out: string;
  readonly engine?: TrainingEngine;
  /** Train only on the training side of the series-block split (for honest benchmarking). */
  readonly holdOut?: boolean;
  readonly seed?: number;
  readonly epochs?: number;
  readonly log?: (line: string) => void;
}

export interface TrainingResult {
  readonly manifestPath: string;
  readonly engine: 'torch' | 'hog';
  readonly images: number;
  readonly trainedOn: number;
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
    const content = createHash('sha256').update(await readFile(image.path)).digest('hex');
    digest.update(`${relative(root, image.path)} ${content}\n`);
  }
  return digest.digest('hex');
}

/**
 * Trains a threat crop classifier from `<dataDir>/<label>/<image>` folders and writes its manifest.
 * Engine `torch` trains the bundled CNN through Debian's python3-torch and exports ONNX (served by
 * onnxruntime-node); `hog` trains HOG + softmax regression in TypeScript, needing nothing else; `auto`
 * takes torch when it is installed.
 */
export async function trainThreatModel(options: TrainingOptions): Promise<TrainingResult> {
  const log = options.log ?? (() => {});
  const seed = options.seed ?? 7;
  const engine = options.engine === 'auto' || options.engine === undefined ? (torchAvailable() ? 'torch' : 'hog') : options.engine;
  if (engine === 'torch' && !torchAvailable()) {
    throw new XrayError('invalid_model', `engine torch needs ${debianPython} with torch and onnx (apt-get install python3-torch python3-onnx); use --engine hog`);
  }
  const manifestPath = extname(options.out).toLowerCase() === '.json' ? resolve(options.out) : resolve(options.out, 'threat-model.json');
  await mkdir(dirname(manifestPath), { recursive: true });
  const images = await listLabelledImages(options.dataDir);
  const labels = [...new Set(images.map((image) => image.label))].sort();
  log(`${images.length} images, labels ${labels.join(', ')}; engine ${engine}`);
  const dataSha256 = await dataFingerprint(options.dataDir, images);
  const inputs = await loadCropInputs(images, modelInputSize);
  const training = images.map((image) => !options.holdOut || !isHeldOut(image, 0));
  const trainedOn = training.filter(Boolean).length;
  const provenance = {
    engine,
    command: `npx clearway xray train --data ${options.dataDir} --out ${options.out} --engine ${engine}${options.holdOut ? ' --hold-out' : ''} --seed ${seed}`,
    dataSha256,
    images: images.length,
    trainedOn,
    holdOut: options.holdOut ? 'series blocks of 10 image numbers, block + seriesHash mod 5 = 0 held out' : 'none (all images)',
    seed,
    trainedAt: new Date().toISOString(),
  };
  let manifest: ThreatModelManifest;
  if (engine === 'torch') {
    const workFolder = await mkdtemp(join(tmpdir(), 'clearway-xray-'));
    try {
      await writeFile(join(workFolder, 'inputs.f32'), Buffer.from(inputs.buffer, inputs.byteOffset, inputs.byteLength));
      await writeFile(
        join(workFolder, 'dataset.json'),
        JSON.stringify({ size: modelInputSize, labels, samples: images.map((image, index) => ({ ...image, train: training[index] })) }),
      );
      const onnxName = `${basename(manifestPath, '.json')}.onnx`;
      const epochs = options.epochs ?? 45;
      await runPython(
        [torchTrainingScript, '--dataset', workFolder, '--out', join(workFolder, onnxName), '--epochs', String(epochs), '--seed', String(seed)],
        log,
      );
      await copyFile(join(workFolder, onnxName), join(dirname(manifestPath), onnxName));
      manifest = { format: manifestFormat, kind: 'onnx-classifier', labels, inputSize: modelInputSize, onnx: onnxName, training: { ...provenance, epochs } };
    } finally {
      await rm(workFolder, { recursive: true, force: true });
    }
  } else {
    const pixels = modelInputSize * modelInputSize;
    const features: Float32Array[] = [];
    const targets: string[] = [];
    images.forEach((image, index) => {
      if (!training[index]) return;
      // Four poses of each crop: HOG is not rotation invariant, bags hold objects in any pose.
      const variants = dihedralVariants(inputs.subarray(index * pixels, (index + 1) * pixels), modelInputSize);
      for (let variant = 0; variant < 4; variant++) {
        features.push(hogFeatures(variants.subarray(variant * pixels, (variant + 1) * pixels), modelInputSize));
        targets.push(image.label);
      }
    });
    log(`training softmax regression on ${features.length} HOG vectors`);
    const epochs = options.epochs ?? 60;
    const regression = trainSoftmaxRegression(features, targets, { seed, epochs });
    manifest = { format: manifestFormat, kind: 'hog-softmax', labels: regression.labels, inputSize: modelInputSize, hog: defaultHogParameters, regression, training: { ...provenance, epochs } };
  }
  await writeFile(manifestPath, `${JSON.stringify(manifest, null, 1)}\n`);
  log(`model written to ${manifestPath}`);
  return { manifestPath, engine, images: images.length, trainedOn, dataSha256 };
}

function runPython(args: string[], log: (line: string) => void): Promise<void> {
  return new Promise((resolvePromise, reject) => {
    const child = spawn(debianPython, args, { stdio: ['ignore', 'pipe', 'pipe'] });
    let errors = '';
    child.stdout.setEncoding('utf8').on('data', (chunk: string) => chunk.split('\n').filter(Boolean).forEach(log));
    child.stderr.setEncoding('utf8').on('data', (chunk: string) => (errors += chunk));
    child.on('error', reject);
    child.on('close', (code) =>
      code === 0 ? resolvePromise() : reject(new XrayError('invalid_model', `CNN training failed (exit ${code}): ${errors.slice(-2000)}`)),
    );
  });
}
