import { existsSync } from 'node:fs';
import { copyFile, mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { heldOutScanSeries, readBoxedScans, type BoxedScan } from './boxed-scans.js';
import { trainScanDetector, type DetectorStepRunner } from './detector-training.js';
import type { TrainingSet } from './threat-model-training.js';

const samples = '/work/shared/data/xray-samples';
/** The shipped detector stands in for each step's training (minutes of torch): the folds' plumbing is tested. */
const shippedDetector = fileURLToPath(
  new URL('../../../../models/xray/threat-detector.onnx', import.meta.url),
);

describe.runIf(existsSync(samples))('scan detector training step', () => {
  let scans: BoxedScan[];
  let work: string;
  beforeAll(async () => {
    scans = (await readBoxedScans(samples)).filter((scan) => !heldOutScanSeries.includes(scan.series));
    work = await mkdtemp(join(tmpdir(), 'clearway-detector-training-'));
  });
  afterAll(() => rm(work, { recursive: true, force: true }));

  /**
   * A gun crop (a dense bar on air, 32 px), and one clutter window of each training scan (named by the
   * scan's path, as the command cuts them).
   */
  const trainingSet = (): TrainingSet => {
    const side = 32;
    const inputs = new Float32Array((1 + scans.length) * side * side);
    for (let y = 8; y < 16; y++) for (let x = 4; x < 28; x++) inputs[y * side + x] = 0.7;
    return {
      images: [
        { path: '/crops/gun/B0049_0001.png', label: 'gun', series: 'B0049', number: 1 },
        ...scans.map((scan, number) => ({ path: scan.path, label: 'other', series: 'scan-windows', number })),
      ],
      labels: ['gun', 'other', 'razor_blade', 'shuriken'],
      inputs,
      training: [true, ...scans.map(() => true)],
    };
  };

  it('trains the detector and one per left-out training series, and sets the threshold on the left-out bags', async () => {
    const runs: { step: string; trained: string[]; scans: string[]; args: string[] }[] = [];
    const runStep: DetectorStepRunner = async (step, set, _script, args) => {
      const written = JSON.parse(await readFile(join(work, step, 'scans.json'), 'utf8')) as {
        scans: { path: string }[];
      };
      runs.push({
        step,
        trained: set.images.filter((_, index) => set.training[index]).map((image) => image.path),
        scans: written.scans.map((scan) => scan.path),
        args,
      });
      // What a step leaves: its ONNX file and, beside it, its report.
      const onnx = join(work, step, 'model.onnx');
      await copyFile(shippedDetector, onnx);
      await writeFile(`${onnx}.json`, JSON.stringify({ seconds: 1, threads: 1 }));
      return onnx;
    };
    const onnxPath = join(work, 'threat-detector.onnx');
    const trained = await trainScanDetector({
      set: trainingSet(),
      scans,
      workFolder: work,
      onnxPath,
      seed: 7,
      epochs: 40,
      runStep,
      log: () => {},
    });

    const series = [...new Set(scans.map((scan) => scan.series))].sort();
    const run = (step: string) => runs.find((candidate) => candidate.step === step)!;
    expect(runs.map(({ step }) => step).sort()).toEqual([
      'detector',
      ...series.map((left) => `detector-without-${left}`),
    ]);
    expect(run('detector').scans).toHaveLength(scans.length);
    const realShare = (step: string) => run(step).args[run(step).args.indexOf('--real-share') + 1];
    expect(realShare('detector')).toBe('0.4');
    for (const left of series) {
      const fold = run(`detector-without-${left}`);
      const leftOut = scans.filter((scan) => scan.series === left).map((scan) => scan.path);
      // Neither the left-out bags nor their clutter windows reach the fold's detector.
      expect(fold.scans.some((path) => leftOut.includes(path))).toBe(false);
      expect(fold.trained.some((path) => leftOut.includes(path))).toBe(false);
      expect(fold.trained).toContain('/crops/gun/B0049_0001.png');
      expect(fold.scans).toHaveLength(scans.length - leftOut.length);
      // Each bag drawn as often as the shipped detector draws it: the real share scaled to the fold's scans.
      expect(Number(realShare(`detector-without-${left}`))).toBeCloseTo(
        (0.4 * fold.scans.length) / scans.length,
        12,
      );
    }

    expect(trained).toBeDefined();
    const { manifest, record } = trained!;
    const thresholdChoice = record.scanThreshold;
    expect(manifest).toMatchObject({ kind: 'onnx-yolo', onnx: 'threat-detector.onnx' });
    expect(manifest.labels).toEqual(['gun', 'razor_blade', 'shuriken']);
    expect(manifest.scoreThreshold).toBe(thresholdChoice.scoreThreshold);
    expect(thresholdChoice.folds.map((fold) => fold.series)).toEqual(series);
    // Every left-out scan as scanned and in its three other right-angle turns, each with a projected gun.
    expect(thresholdChoice.outOfFold.scans).toBe(4 * scans.length);
    expect(thresholdChoice.outOfFoldRealScans.scans).toBe(scans.length);
    for (const fold of thresholdChoice.folds) {
      const real = scans.filter((scan) => scan.series === fold.series);
      expect(fold.scans).toBe(4 * real.length);
      expect(fold.projectedObjects).toBe(3 * real.length);
      expect(fold.objects).toBe(
        4 * real.reduce((sum, scan) => sum + scan.boxes.length, 0) + fold.projectedObjects,
      );
    }
    expect(thresholdChoice.outOfFold.falseBoxesPerScan).toBeLessThanOrEqual(thresholdChoice.falseBoxBudget);
    expect(thresholdChoice.falseBoxBudget).toBeLessThan(0.3);
    expect(Object.keys(record.folds)).toEqual(series);
    expect(record).toMatchObject({ seconds: 1, threads: 1 });
    expect(await readFile(onnxPath)).toEqual(await readFile(shippedDetector));
  }, 120_000);

  it('returns nothing when the steps were only prepared', async () => {
    const planned: string[] = [];
    const trained = await trainScanDetector({
      set: trainingSet(),
      scans,
      workFolder: work,
      onnxPath: join(work, 'unused.onnx'),
      seed: 7,
      epochs: 40,
      runStep: async (step) => {
        planned.push(step);
        return undefined;
      },
      log: () => {},
    });
    expect(trained).toBeUndefined();
    expect(planned).toHaveLength(4);
    expect(existsSync(join(work, 'unused.onnx'))).toBe(false);
  }, 120_000);
});
