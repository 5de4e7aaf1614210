import { access, readFile } from 'node:fs/promises';
import { basename, dirname, extname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import * as ort from 'onnxruntime-node';
import type { HogParameters } from '../domain/hog-features.js';
import type { SoftmaxRegressionModel } from '../domain/softmax-regression.js';
import type { ThreatThresholds } from '../domain/threat-thresholds.js';
import { XrayError } from '../domain/xray-error.js';
import { hogSoftmaxClassifier } from './hog-softmax-classifier.js';
import { loadOnnxCropClassifier } from './onnx-crop-classifier.js';
import { loadOnnxYoloDetector } from './onnx-yolo-detector.js';
import type { ThreatCropClassifier, ThreatModel } from './threat-model.js';

/** Manifest format written by `clearway xray train`; the ONNX file, if any, lies beside it. */
export const manifestFormat = 'clearway-xray-model/1';

/** A model manifest: what kind of model, its labels and input, and how it was trained. */
export type ThreatModelManifest = {
  readonly format: typeof manifestFormat;
  readonly labels: string[];
  readonly training?: Record<string, unknown>;
  /** Per-class thresholds of a crop classifier (see `calibrateThresholds`). */
  readonly thresholds?: ThreatThresholds;
  /** A whole-scan detector (kind `onnx-yolo`) shipped with a crop classifier. */
  readonly detector?: ThreatModelManifest;
} & (
  | { readonly kind: 'onnx-classifier'; readonly onnx: string; readonly inputSize: number }
  | {
      readonly kind: 'hog-softmax';
      readonly inputSize: number;
      readonly hog: HogParameters;
      readonly regression: SoftmaxRegressionModel;
    }
  | { readonly kind: 'onnx-yolo'; readonly onnx: string; readonly scoreThreshold?: number }
  | { readonly kind: 'ensemble'; readonly inputSize: number; readonly members: ThreatModelManifest[] }
);

/** The model shipped in the repository (models/xray/threat-model.json). */
export const bundledModelPath = resolve(
  dirname(fileURLToPath(import.meta.url)),
  '../../../../models/xray/threat-model.json',
);

const exists = (path: string) =>
  access(path).then(
    () => true,
    () => false,
  );

/** Reads a labels file: JSON array, or one label per line (YOLO / Ultralytics style). */
async function readLabels(path: string): Promise<string[]> {
  const text = (await readFile(path, 'utf8')).trim();
  const labels = text.startsWith('[')
    ? (JSON.parse(text) as string[])
    : text
        .split(/\r?\n/)
        .map((line) => line.trim())
        .filter(Boolean);
  if (labels.length === 0) throw new XrayError('invalid_model', `labels file ${path} is empty`);
  return labels;
}

/** Finds the labels of a bare ONNX file: `<name>.labels.txt`, `<name>.txt`, `labels.txt` or `labels.json`. */
async function labelsBeside(onnxPath: string): Promise<string[]> {
  const folder = dirname(onnxPath);
  const stem = basename(onnxPath, extname(onnxPath));
  for (const candidate of [
    `${stem}.labels.txt`,
    `${stem}.labels.json`,
    `${stem}.txt`,
    'labels.txt',
    'labels.json',
  ]) {
    const path = join(folder, candidate);
    if (await exists(path)) return readLabels(path);
  }
  throw new XrayError(
    'invalid_model',
    `no labels file beside ${onnxPath} (expected ${stem}.labels.txt or labels.txt, one label per line)`,
  );
}

/**
 * Loads a threat model: a Clearway manifest (`.json`), or a bare `.onnx` with a labels file beside it,
 * which is taken as a crop classifier when it returns `[batch, classes]` and as a YOLO-style detector
 * otherwise. Without a path, the bundled model.
 */
export async function loadThreatModel(path: string = bundledModelPath): Promise<ThreatModel> {
  if (!(await exists(path))) throw new XrayError('model_not_found', `threat model ${path} does not exist`);
  if (extname(path).toLowerCase() === '.onnx') {
    const labels = await labelsBeside(path);
    const session = await ort.InferenceSession.create(path).catch((error: Error) => {
      throw new XrayError('invalid_model', `cannot load ONNX model ${path}: ${error.message}`);
    });
    const input = session.inputMetadata[0];
    const output = session.outputMetadata[0];
    const inputShape = input && 'shape' in input ? input.shape : [];
    const outputShape = output && 'shape' in output ? output.shape : [];
    await session.release();
    if (outputShape.length === 2 && inputShape[1] === 1 && typeof inputShape[3] === 'number') {
      return loadOnnxCropClassifier(path, labels, inputShape[3]);
    }
    return loadOnnxYoloDetector(path, labels);
  }
  let manifest: ThreatModelManifest;
  try {
    manifest = JSON.parse(await readFile(path, 'utf8')) as ThreatModelManifest;
  } catch (error) {
    throw new XrayError(
      'invalid_model',
      `threat model manifest ${path} is not valid JSON: ${(error as Error).message}`,
    );
  }
  if (manifest.format !== manifestFormat)
    throw new XrayError('invalid_model', `${path} is not a ${manifestFormat} manifest`);
  return loadManifest(manifest, dirname(path));
}

/** Builds the runtime a manifest describes, with its thresholds and detector when it has them. */
async function loadManifest(manifest: ThreatModelManifest, folder: string): Promise<ThreatModel> {
  const model = await loadModelOfKind(manifest, folder);
  if (model.kind !== 'classifier' || (!manifest.thresholds && !manifest.detector)) return model;
  const detector = manifest.detector ? await loadManifest(manifest.detector, folder) : undefined;
  if (detector && detector.kind !== 'detector')
    throw new XrayError(
      'invalid_model',
      `the detector of a manifest must be a detector, not ${detector.description}`,
    );
  return {
    ...model,
    thresholds: manifest.thresholds,
    detector,
    description: detector ? `${model.description}; scans: ${detector.description}` : model.description,
    async dispose() {
      await Promise.all([model.dispose(), detector?.dispose()]);
    },
  };
}

/** Builds the runtime of a manifest's kind; file names in it are relative to `folder`. */
async function loadModelOfKind(manifest: ThreatModelManifest, folder: string): Promise<ThreatModel> {
  switch (manifest.kind) {
    case 'onnx-classifier':
      return loadOnnxCropClassifier(
        resolve(folder, manifest.onnx),
        manifest.labels,
        manifest.inputSize,
        true,
      );
    case 'hog-softmax':
      return hogSoftmaxClassifier(manifest.regression, manifest.hog, manifest.inputSize);
    case 'onnx-yolo':
      return loadOnnxYoloDetector(resolve(folder, manifest.onnx), manifest.labels, manifest.scoreThreshold);
    case 'ensemble': {
      const members = await Promise.all(manifest.members.map((member) => loadManifest(member, folder)));
      return averagingEnsemble(members, manifest.labels, manifest.inputSize);
    }
    default:
      throw new XrayError('invalid_model', `unknown model kind ${(manifest as { kind: string }).kind}`);
  }
}

/**
 * Averages the probabilities of crop classifiers that share labels and input size. A CNN and a HOG model
 * err on different crops (texture versus edge layout), so their mean misses fewer threats than either.
 */
export function averagingEnsemble(
  members: readonly ThreatModel[],
  labels: readonly string[],
  inputSize: number,
): ThreatCropClassifier {
  const classifiers = members.map((member) => {
    if (
      member.kind !== 'classifier' ||
      member.inputSize !== inputSize ||
      member.labels.join() !== labels.join()
    ) {
      throw new XrayError(
        'invalid_model',
        `ensemble member ${member.description} does not share labels and input size`,
      );
    }
    return member;
  });
  return {
    kind: 'classifier',
    labels,
    inputSize,
    description: `ensemble of ${classifiers.map((member) => member.description).join(' + ')}`,
    async predict(inputs, count) {
      const outputs = await Promise.all(classifiers.map((member) => member.predict(inputs, count)));
      const mean = new Float32Array(outputs[0].length);
      for (const output of outputs)
        for (let index = 0; index < mean.length; index++) mean[index] += output[index] / outputs.length;
      return mean;
    },
    async dispose() {
      await Promise.all(classifiers.map((member) => member.dispose()));
    },
  };
}
