import { resampleRegion } from '../domain/image-resampling.js';
import { classifyMaterials, summariseMaterials, type MaterialSummary } from '../domain/material-classes.js';
import { attenuationMap, cropModelInput } from '../domain/model-input.js';
import type { Detection, ScanImage } from '../domain/scan-image.js';
import {
  defaultWindowDetectorOptions,
  windowDetections,
  windowInputs,
  windowProposals,
  type WindowDetectorOptions,
} from '../domain/sliding-window-detector.js';
import { averageGroups, dihedralVariants } from '../domain/test-time-augmentation.js';
import { noThreatLabel } from '../domain/threat-metrics.js';
import { decideLabel } from '../domain/threat-thresholds.js';
import { detectorBoxes } from './threat-detector-views.js';
import { loadThreatModel } from './threat-model-loader.js';
import type { ThreatCropClassifier, ThreatModel } from './threat-model.js';
import { XrayError } from '../domain/xray-error.js';

export { decodeScan, decodeDualEnergyScan } from './scan-decoder.js';
export { renderAnnotated, type RenderOptions } from './annotated-renderer.js';
export { loadThreatModel, bundledModelPath } from './threat-model-loader.js';
export type { ThreatModel, ThreatCropClassifier, ThreatScanDetector } from './threat-model.js';

let bundledModel: Promise<ThreatModel> | undefined;

/** The bundled model, loaded once per process; disposing it lets the next call load it afresh. */
export function bundledThreatModel(): Promise<ThreatModel> {
  bundledModel ??= loadThreatModel().then(
    (model): ThreatModel => ({
      ...model,
      async dispose() {
        bundledModel = undefined;
        await model.dispose();
      },
    }),
    (error: unknown) => {
      bundledModel = undefined;
      throw error;
    },
  );
  return bundledModel;
}

/** What a crop shows: the most likely label, its probability and every label's probability. */
export interface CropClassification {
  readonly label: string;
  readonly score: number;
  readonly isThreat: boolean;
  readonly probabilities: Record<string, number>;
}

function requireClassifier(model: ThreatModel): ThreatCropClassifier {
  if (model.kind !== 'classifier')
    throw new XrayError(
      'invalid_model',
      `${model.description} is a detector; crop classification needs a classifier`,
    );
  return model;
}

/**
 * Names the object in a crop (a picture of one item), averaging the model over four poses of the crop.
 * Uses the bundled model unless one is given.
 */
export async function classifyCrop(
  scan: ScanImage,
  model?: ThreatModel,
  options: { testTimeAugmentation?: boolean } = {},
): Promise<CropClassification> {
  const classifier = requireClassifier(model ?? (await bundledThreatModel()));
  const input = cropModelInput(scan, classifier.inputSize);
  return (await classifyModelInputs(classifier, [input], options.testTimeAugmentation ?? true))[0];
}

/**
 * Classifies prepared model inputs (each inputSize x inputSize attenuation, e.g. from `cropModelInput`),
 * in batches; the evaluation and the bench use it to score many crops.
 */
export async function classifyModelInputs(
  classifier: ThreatCropClassifier,
  inputs: readonly Float32Array[],
  testTimeAugmentation = true,
  batchSize = 32,
): Promise<CropClassification[]> {
  const pixels = classifier.inputSize * classifier.inputSize;
  const classes = classifier.labels.length;
  const group = testTimeAugmentation ? 4 : 1;
  const results: CropClassification[] = [];
  for (let start = 0; start < inputs.length; start += batchSize) {
    const batch = inputs.slice(start, start + batchSize);
    const packed = new Float32Array(batch.length * group * pixels);
    batch.forEach((input, index) =>
      packed.set(
        testTimeAugmentation ? dihedralVariants(input, classifier.inputSize) : input,
        index * group * pixels,
      ),
    );
    const probabilities = averageGroups(
      await classifier.predict(packed, batch.length * group),
      classes,
      group,
    );
    for (let row = 0; row < batch.length; row++) {
      const scores = probabilities.subarray(row * classes, (row + 1) * classes);
      const best = decideLabel(scores, classifier.labels, classifier.thresholds);
      results.push({
        label: classifier.labels[best],
        score: scores[best],
        isThreat: classifier.labels[best] !== noThreatLabel,
        probabilities: Object.fromEntries(
          classifier.labels.map((label, index) => [label, Number(scores[index].toFixed(4))]),
        ),
      });
    }
  }
  return results;
}

/** Threats found in a scan, and what it is made of. Boxes are in the scan's pixel coordinates. */
export interface ThreatDetectionResult {
  readonly width: number;
  readonly height: number;
  readonly boxes: Detection[];
  readonly materials: MaterialSummary;
  readonly model: string;
  readonly elapsedMs: number;
}

export interface DetectOptions {
  readonly model?: ThreatModel;
  /** Low-energy image of a dual-energy pair, for material classes from the energy ratio. */
  readonly lowEnergy?: ScanImage;
  readonly scoreThreshold?: number;
  readonly windowOptions?: Partial<WindowDetectorOptions>;
  /** `window` runs the crop classifier over windows even when the model carries a detector (to compare). */
  readonly method?: 'detector' | 'window';
}

/** Longer side at which windows are cut: enough detail for 128 px model inputs, bounded cost per scan. */
const workingSide = 640;

/**
 * Finds threats in a whole scan. With a crop classifier (the bundled model) the scan is searched with
 * multi-scale windows, each named by the classifier, then tightened and de-duplicated by NMS; a
 * detector model (YOLO-style ONNX) is run as is. Also summarises materials (dense metal regions of gun
 * size and so on).
 */
export async function detectThreats(
  scan: ScanImage,
  options: DetectOptions = {},
): Promise<ThreatDetectionResult> {
  const started = performance.now();
  const model = options.model ?? (await bundledThreatModel());
  const materials = summariseMaterials(classifyMaterials(scan, options.lowEnergy));
  const settings: WindowDetectorOptions = {
    ...defaultWindowDetectorOptions,
    ...options.windowOptions,
    ...(options.scoreThreshold === undefined ? {} : { scoreThreshold: options.scoreThreshold }),
  };
  let boxes: Detection[];
  const detector =
    model.kind === 'detector' ? model : options.method === 'window' ? undefined : model.detector;
  if (detector) {
    boxes = await detectorBoxes(detector, scan, {
      scoreThreshold: options.scoreThreshold ?? detector.scoreThreshold ?? settings.scoreThreshold,
      iouThreshold: settings.iouThreshold,
      containmentThreshold: settings.containmentThreshold,
      maxDetections: settings.maxDetections,
      mirroredViews: model.kind === 'classifier',
    });
  } else {
    const classifier = requireClassifier(model);
    // Work on a copy no larger than workingSide so that a 2688 px scan costs what a 640 px one does.
    const factor = Math.min(1, workingSide / Math.max(scan.width, scan.height));
    const width = Math.max(1, Math.round(scan.width * factor));
    const height = Math.max(1, Math.round(scan.height * factor));
    const fullAttenuation = attenuationMap(scan);
    const attenuation =
      factor === 1
        ? fullAttenuation
        : resampleRegion(
            fullAttenuation,
            scan.width,
            scan.height,
            { x: 0, y: 0, width: scan.width, height: scan.height },
            width,
            height,
          );
    const windows = windowProposals(attenuation, width, height, settings);
    const inputs = windowInputs(attenuation, width, height, windows, classifier.inputSize);
    const pixels = classifier.inputSize * classifier.inputSize;
    const classes = classifier.labels.length;
    const probabilities = new Float32Array(windows.length * classes);
    for (let start = 0; start < windows.length; start += 64) {
      const count = Math.min(64, windows.length - start);
      probabilities.set(
        await classifier.predict(inputs.slice(start * pixels, (start + count) * pixels), count),
        start * classes,
      );
    }
    boxes = windowDetections(
      windows,
      probabilities,
      classifier.labels,
      attenuation,
      width,
      height,
      settings,
    ).map((box) => ({
      ...box,
      x: Math.round(box.x / factor),
      y: Math.round(box.y / factor),
      width: Math.round(box.width / factor),
      height: Math.round(box.height / factor),
      score: Number(box.score.toFixed(4)),
    }));
  }
  return {
    width: scan.width,
    height: scan.height,
    boxes,
    materials,
    model: model.description,
    elapsedMs: Math.round(performance.now() - started),
  };
}
