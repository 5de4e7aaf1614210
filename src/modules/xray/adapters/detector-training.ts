import { copyFile, mkdir, readFile, writeFile } from 'node:fs/promises';
import { basename, dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import {
  chooseScoreThreshold,
  detectionFigures,
  type DetectionFigures,
  type ScoredScan,
} from '../domain/detection-metrics.js';
import { resampleRegion } from '../domain/image-resampling.js';
import { attenuationMap } from '../domain/model-input.js';
import { greyScan } from '../domain/scan-image.js';
import { defaultWindowDetectorOptions } from '../domain/sliding-window-detector.js';
import { noThreatLabel } from '../domain/threat-metrics.js';
import {
  isolatedObject,
  projectedTurns,
  type AttenuationImage,
  type CalibrationScan,
} from '../domain/threat-projection.js';
import { seededRandom } from '../../../platform/random/seeded-random.js';
import type { BoxedScan } from './boxed-scans.js';
import { loadOnnxYoloDetector } from './onnx-yolo-detector.js';
import { decodeScan } from './scan-decoder.js';
import { detectorBoxes } from './threat-detector-views.js';
import { manifestFormat } from './threat-model-loader.js';
import type { TrainingSet } from './threat-model-training.js';

const repositoryRoot = resolve(dirname(fileURLToPath(import.meta.url)), '../../../..');
const detectorTrainingScript = join(repositoryRoot, 'scripts/xray/train_threat_detector.py');

/** Longer side of the scans handed to detector training (its input is smaller; room for zoom). */
const detectorScanSide = 384;

/** The target: at most this many false boxes per scan (IoU 0.3 with no true box). */
export const scanFalseBoxTarget = 0.3;
/**
 * The budget the scan threshold is chosen for on the left-out bags: the target with a third kept as a
 * margin, since a dozen bags' worth of false boxes is a coarse estimate of a new bag's.
 */
const thresholdFalseBoxBudget = 0.2;
/** A box "finds" a gun at this IoU (the measure; GDXray's ground truth boxes are loose). */
const foundIou = 0.3;
/**
 * Share of the detector's training pictures drawn on a real scan (the script's default). A fold
 * detector trains on fewer bags, so it draws this share scaled by its share of the scans: each bag is
 * seen as often as by the shipped detector, which would otherwise learn the fold's bags half as often
 * again and score them (and what they are like) higher than the shipped detector scores anything.
 */
const realPictureShare = 0.4;

/**
 * Runs one Python training step of `clearway xray train` on a training set: writes the set as the
 * step's data, then trains (or, when preparing, plans) it; the step's ONNX path, or undefined when it
 * was only planned. The command passes its own runner, which keeps the step for `--work` reuse.
 */
export type DetectorStepRunner = (
  step: string,
  set: TrainingSet,
  script: string,
  args: string[],
) => Promise<string | undefined>;

export interface DetectorTrainingOptions {
  /** The crops the command trains on: isolated threats are projected, no-threat crops fill bags. */
  readonly set: TrainingSet;
  /** The boxed training scans (never the held-out series). */
  readonly scans: readonly BoxedScan[];
  /** The command's work folder: one sub-folder per step. */
  readonly workFolder: string;
  /** Where the shipped detector's ONNX file goes (beside the manifest). */
  readonly onnxPath: string;
  readonly seed: number;
  readonly epochs: number;
  readonly runStep: DetectorStepRunner;
  readonly log: (line: string) => void;
}

/** How the scan threshold was chosen, recorded in the manifest beside the detector step's report. */
export interface ScanThresholdChoice {
  readonly method: 'left-out-training-series-with-projected-threats';
  readonly scoreThreshold: number;
  readonly falseBoxBudget: number;
  readonly iou: number;
  /** Each fold: the series its detector never saw, and the scans of it (real and turned) it was scored on. */
  readonly folds: {
    readonly series: string;
    readonly scans: number;
    readonly objects: number;
    readonly projectedObjects: number;
  }[];
  /** The pooled out-of-fold boxes at the chosen threshold, on every calibration scan. */
  readonly outOfFold: DetectionFigures;
  /** The same on the left-out real scans alone, as they were scanned (the only rule before). */
  readonly outOfFoldRealScans: DetectionFigures;
}

/** The detector's manifest entry and its training record (its step's report, its folds', the threshold choice). */
export interface TrainedScanDetector {
  readonly manifest: {
    readonly format: typeof manifestFormat;
    readonly kind: 'onnx-yolo';
    readonly labels: string[];
    readonly onnx: string;
    readonly scoreThreshold: number;
  };
  readonly record: {
    readonly folds: Record<string, unknown>;
    readonly scanThreshold: ScanThresholdChoice;
  } & Record<string, unknown>;
}

/**
 * Trains the whole-scan detector (`scripts/xray/train_threat_detector.py`, threat image projection into
 * real and synthetic bags) as a step of `clearway xray train`, and chooses its scan threshold on bags it
 * never saw: the same recipe is trained once more per training series with that series left out (its
 * scans and their clutter windows), each bag drawn as often as the shipped detector draws it. Each fold
 * detector is run, as the service runs the shipped one, on the left-out scans as scanned and in their
 * three other right-angle turns with an isolated training threat projected into each (four times the
 * clutter poses, and threats in clutter the detector never saw); the threshold is the lowest whose pooled
 * false boxes stay within budget per scan. The detector's own training scans would set it too high (it
 * learns their clutter is no gun, except in the densest bag), and the held-out series stay the judge.
 * Each fold is its own step, so `--work` reuses it. Undefined when the steps were only prepared.
 */
export async function trainScanDetector(
  options: DetectorTrainingOptions,
): Promise<TrainedScanDetector | undefined> {
  const { set, scans, log } = options;
  const labels = set.labels.filter((label) => label !== noThreatLabel);
  const series = [...new Set(scans.map((scan) => scan.series))].sort();
  const trainOn = async (step: string, trainingScans: readonly BoxedScan[]) => {
    // Clutter windows cut from a left-out scan would show the fold that scan's bag.
    const used = new Set(trainingScans.map((scan) => scan.path));
    const leftOut = new Set(scans.filter((scan) => !used.has(scan.path)).map((scan) => scan.path));
    const folder = join(options.workFolder, step);
    await mkdir(folder, { recursive: true });
    await writeDetectorScans(trainingScans, folder);
    return options.runStep(
      step,
      { ...set, training: set.training.map((train, index) => train && !leftOut.has(set.images[index].path)) },
      detectorTrainingScript,
      [
        '--epochs',
        String(options.epochs),
        '--seed',
        String(options.seed),
        '--real-share',
        String(realPictureShare * (trainingScans.length / scans.length)),
      ],
    );
  };
  // The steps are independent and run at the same time (one thread each): on two busy shared cores
  // four processes get the machine's turns that one would wait for.
  const [shipped, ...foldFiles] = await Promise.all([
    trainOn('detector', scans),
    ...series.map((left) =>
      trainOn(
        `detector-without-${left}`,
        scans.filter((scan) => scan.series !== left),
      ),
    ),
  ]);
  const folds = series.map((left, index) => ({ series: left, onnx: foldFiles[index] }));
  if (!shipped || folds.some((fold) => !fold.onnx)) return undefined;

  const threats = isolatedThreats(set);
  const random = seededRandom(options.seed);
  const calibration: { series: string; scan: CalibrationScan; real: boolean }[] = [];
  for (const scan of scans) {
    const image = await decodeScan(await readFile(scan.path));
    const attenuation = { width: image.width, height: image.height, attenuation: attenuationMap(image) };
    calibration.push({
      series: scan.series,
      scan: { image: attenuation, truth: scan.boxes, projected: 0 },
      real: true,
    });
    for (const turned of projectedTurns(attenuation, scan.boxes, threats, random))
      calibration.push({ series: scan.series, scan: turned, real: false });
  }
  const scored: { series: string; real: boolean; scored: ScoredScan }[] = [];
  for (const fold of folds) {
    const detector = await loadOnnxYoloDetector(fold.onnx!, labels);
    try {
      for (const entry of calibration.filter((candidate) => candidate.series === fold.series))
        scored.push({
          ...entry,
          scored: {
            truth: entry.scan.truth,
            detected: await detectorBoxes(detector, scanOf(entry.scan.image), {
              ...defaultWindowDetectorOptions,
              scoreThreshold: 0,
              mirroredViews: true,
            }),
          },
        });
    } finally {
      await detector.dispose();
    }
  }
  const outOfFold = scored.map((entry) => entry.scored);
  const scoreThreshold = chooseScoreThreshold(outOfFold, foundIou, thresholdFalseBoxBudget);
  const atThreshold = (chosen: readonly ScoredScan[]) =>
    detectionFigures(
      chosen.map((scan) => ({
        ...scan,
        detected: scan.detected.filter((box) => box.score >= scoreThreshold),
      })),
      foundIou,
    );
  const thresholdChoice: ScanThresholdChoice = {
    method: 'left-out-training-series-with-projected-threats',
    scoreThreshold,
    falseBoxBudget: thresholdFalseBoxBudget,
    iou: foundIou,
    folds: folds.map((fold) => {
      const held = calibration.filter((entry) => entry.series === fold.series).map((entry) => entry.scan);
      return {
        series: fold.series,
        scans: held.length,
        objects: held.reduce((sum, scan) => sum + scan.truth.length, 0),
        projectedObjects: held.reduce((sum, scan) => sum + scan.projected, 0),
      };
    }),
    outOfFold: atThreshold(outOfFold),
    outOfFoldRealScans: atThreshold(scored.filter((entry) => entry.real).map((entry) => entry.scored)),
  };
  log(
    `scan threshold ${scoreThreshold} chosen on ${outOfFold.length} scans (${scans.length} real, the rest turned with a projected threat) of ${series.length} left-out training series: ` +
      `out of fold recall ${thresholdChoice.outOfFold.recall.toFixed(3)} at ${thresholdChoice.outOfFold.falseBoxesPerScan.toFixed(2)} false boxes per scan (budget ${thresholdFalseBoxBudget}); ` +
      `real scans alone ${thresholdChoice.outOfFoldRealScans.recall.toFixed(3)} at ${thresholdChoice.outOfFoldRealScans.falseBoxesPerScan.toFixed(2)}`,
  );
  await copyFile(shipped, options.onnxPath);
  // Each step's report (torch, threads, seconds) lies beside its ONNX file.
  const report = async (onnx: string) => JSON.parse(await readFile(`${onnx}.json`, 'utf8')) as object;
  const foldReports: Record<string, unknown> = {};
  for (const fold of folds) foldReports[fold.series] = await report(fold.onnx!);
  return {
    manifest: {
      format: manifestFormat,
      kind: 'onnx-yolo',
      labels,
      onnx: basename(options.onnxPath),
      scoreThreshold,
    },
    record: { ...(await report(shipped)), folds: foldReports, scanThreshold: thresholdChoice },
  };
}

/** The isolated threat crops of the training set (objects on air), which the calibration scans get projected. */
function isolatedThreats(set: TrainingSet): AttenuationImage[] {
  const pixels = set.images.length === 0 ? 0 : set.inputs.length / set.images.length;
  const side = Math.round(Math.sqrt(pixels));
  const threats: AttenuationImage[] = [];
  set.images.forEach((image, index) => {
    if (!set.training[index] || image.label === noThreatLabel || side === 0) return;
    const object = isolatedObject(set.inputs.subarray(index * pixels, (index + 1) * pixels), side);
    if (object) threats.push(object);
  });
  return threats;
}

/** A grey scan from attenuation, as a scanner would have written it (transmission = 256^-attenuation). */
function scanOf(image: AttenuationImage) {
  const transmission = new Float32Array(image.attenuation.length);
  for (let index = 0; index < transmission.length; index++)
    transmission[index] = Math.pow(256, -image.attenuation[index]);
  return greyScan(image.width, image.height, transmission);
}

/** Writes boxed scans as scans.f32 + scans.json (attenuation, longer side 384 px), as the script reads. */
async function writeDetectorScans(scans: readonly BoxedScan[], folder: string): Promise<void> {
  const entries = [];
  const planes: Float32Array[] = [];
  for (const scan of scans) {
    const image = await decodeScan(await readFile(scan.path));
    const factor = detectorScanSide / Math.max(image.width, image.height);
    const width = Math.round(image.width * factor);
    const height = Math.round(image.height * factor);
    planes.push(
      resampleRegion(
        attenuationMap(image),
        image.width,
        image.height,
        { x: 0, y: 0, width: image.width, height: image.height },
        width,
        height,
      ),
    );
    const boxes = scan.boxes.map((box) => ({
      label: scan.label,
      x: box.x * factor,
      y: box.y * factor,
      width: box.width * factor,
      height: box.height * factor,
    }));
    entries.push({ path: scan.path, width, height, boxes });
  }
  const flat = new Float32Array(planes.reduce((sum, plane) => sum + plane.length, 0));
  let offset = 0;
  for (const plane of planes) {
    flat.set(plane, offset);
    offset += plane.length;
  }
  await writeFile(join(folder, 'scans.f32'), Buffer.from(flat.buffer));
  await writeFile(join(folder, 'scans.json'), JSON.stringify({ scans: entries }));
}
