/**
 * X-ray threat recognition benchmark: Clearway's models against a HOG + SVM baseline (scikit-learn),
 * on the same honest hold-out of the GDXray crops, measured in the same run.
 *
 *   npx tsx bench/xray.bench.ts [--data <dir>] [--work <dir>] [--reuse] [--seed <n>]
 *
 * The hold-out is whole blocks of 10 consecutive image numbers per series (about a fifth), so views of
 * one object never sit on both sides. Clearway's models are trained here on the other side only (the
 * bundled model is trained on everything and would flatter itself). --reuse skips training when the
 * work folder already holds the models of an earlier run. Also times inference per crop and per 512 x 512
 * scan on this CPU.
 */
import { spawnSync } from 'node:child_process';
import { existsSync } from 'node:fs';
import { readdir, readFile } from 'node:fs/promises';
import { join, resolve } from 'node:path';
import { parseArgs } from 'node:util';
import sharp from 'sharp';
import { listLabelledImages } from '../src/modules/xray/adapters/labelled-image-folders.js';
import { evaluateThreatModel } from '../src/modules/xray/adapters/threat-model-evaluation.js';
import { loadThreatModel } from '../src/modules/xray/adapters/threat-model-loader.js';
import {
  debianPython,
  prepareTrainingSet,
  torchAvailable,
  trainThreatModel,
  writeTrainingSet,
} from '../src/modules/xray/adapters/threat-model-training.js';
import { decodeScan, detectThreats } from '../src/modules/xray/adapters/threat-recognition.js';
import { splitBySeriesBlocks } from '../src/modules/xray/domain/dataset-split.js';
import { intersectionOverUnion } from '../src/modules/xray/domain/non-max-suppression.js';
import type { PixelBox } from '../src/modules/xray/domain/scan-image.js';
import {
  evaluateThreatPredictions,
  type ThreatEvaluation,
} from '../src/modules/xray/domain/threat-metrics.js';

const { values: args } = parseArgs({
  options: {
    data: { type: 'string', default: '/work/shared/data/xray-gdxray/train' },
    work: { type: 'string', default: '/tmp/clearway-xray-bench' },
    scan: {
      type: 'string',
      default: '/work/shared/data/xray-samples/results/GDXray/Original/B0009_0001.png',
    },
    reuse: { type: 'boolean', default: false },
    seed: { type: 'string', default: '7' },
  },
});
const dataDir = resolve(args.data);
const work = resolve(args.work);
const seed = Number(args.seed);
const log = (line: string) => process.stderr.write(`${line}\n`);

interface Row {
  readonly name: string;
  readonly evaluation: Pick<
    ThreatEvaluation,
    'images' | 'balanced_accuracy' | 'threat_miss_rate' | 'false_alarm_rate' | 'accuracy'
  >;
  readonly msPerCrop: number;
}
const rows: Row[] = [];

// Baseline: HOG + linear / RBF SVM on the same preprocessed crops and the same split.
const set = await prepareTrainingSet(dataDir, true);
await writeTrainingSet(set, join(work, 'dataset'));
const baseline = spawnSync(
  debianPython,
  [resolve('bench/baselines/xray_hog_svm.py'), join(work, 'dataset')],
  { encoding: 'utf8' },
);
if (baseline.status !== 0) {
  log(`baseline failed (needs python3-sklearn and python3-skimage): ${baseline.stderr.slice(-500)}`);
} else {
  const result = JSON.parse(baseline.stdout) as Record<
    string,
    { predicted: string[]; ms_per_crop: number }
  > & { held_out_indices: number[] };
  const truth = result.held_out_indices.map((index) => set.images[index].label);
  for (const name of ['hog_linear_svm', 'hog_rbf_svm']) {
    rows.push({
      name: `baseline ${name.replace(/_/g, ' ')} (sklearn)`,
      evaluation: evaluateThreatPredictions(truth, result[name].predicted),
      msPerCrop: result[name].ms_per_crop,
    });
  }
}

// Clearway's models, trained on the training side only.
const heldOut = splitBySeriesBlocks(await listLabelledImages(dataDir)).heldOut;
const engines = torchAvailable() ? (['hog', 'torch', 'ensemble'] as const) : (['hog'] as const);
for (const engine of engines) {
  const manifest = join(work, engine, 'threat-model.json');
  if (!(args.reuse && existsSync(manifest))) {
    if (
      engine === 'ensemble' &&
      existsSync(join(work, 'torch', 'threat-model.json')) &&
      existsSync(join(work, 'hog', 'threat-model.json'))
    ) {
      await composeEnsemble(manifest);
    } else {
      await trainThreatModel({ dataDir, out: manifest, engine, holdOut: true, seed, log });
    }
  }
  const model = await loadThreatModel(manifest);
  const report = await evaluateThreatModel(model, heldOut);
  const { predictions: _predictions, ...evaluation } = report;
  rows.push({
    name: `clearway ${engine === 'ensemble' ? 'CNN + HOG ensemble (bundled recipe)' : engine === 'torch' ? 'CNN (ONNX)' : 'HOG + softmax (pure TS)'}`,
    evaluation,
    msPerCrop: report.ms_per_crop,
  });
  await model.dispose();
}

/** The ensemble of the two models trained above, rather than training both again. */
async function composeEnsemble(manifestPath: string) {
  const { mkdir, writeFile, copyFile } = await import('node:fs/promises');
  const torchManifest = JSON.parse(await readFile(join(work, 'torch', 'threat-model.json'), 'utf8'));
  const hogManifest = JSON.parse(await readFile(join(work, 'hog', 'threat-model.json'), 'utf8'));
  await mkdir(join(work, 'ensemble'), { recursive: true });
  await copyFile(join(work, 'torch', torchManifest.onnx), join(work, 'ensemble', torchManifest.onnx));
  const { training: _torchTraining, ...cnn } = torchManifest;
  const { training: _hogTraining, ...hog } = hogManifest;
  const ensemble = {
    format: cnn.format,
    kind: 'ensemble',
    labels: cnn.labels,
    inputSize: cnn.inputSize,
    members: [cnn, hog],
    training: { composedFrom: ['torch', 'hog'] },
  };
  await writeFile(manifestPath, JSON.stringify(ensemble));
}

// Inference time per 512 x 512 scan: a real GDXray baggage scan resized, else a synthetic one.
const scanBuffer = existsSync(args.scan)
  ? await sharp(await readFile(args.scan))
      .resize(512, 512, { fit: 'fill' })
      .png()
      .toBuffer()
  : await sharp({ create: { width: 512, height: 512, channels: 3, background: '#777' } })
      .png()
      .toBuffer();
const scan = await decodeScan(scanBuffer);
const scanTimes: Record<string, number> = {};
for (const engine of engines) {
  const model = await loadThreatModel(join(work, engine, 'threat-model.json'));
  await detectThreats(scan, { model });
  const times: number[] = [];
  for (let run = 0; run < 7; run++) times.push((await detectThreats(scan, { model })).elapsedMs);
  scanTimes[engine] = times.sort((a, b) => a - b)[3];
  await model.dispose();
}

// Detection on full GDXray baggage scans with ground-truth boxes (series never seen in training). The
// ground truth carries no class, so a box counts as found when any threat box overlaps it (IoU >= 0.3).
const detection: Record<string, Awaited<ReturnType<typeof evaluateDetection>>> = {};
for (const engine of engines)
  detection[engine] = await evaluateDetection(join(work, engine, 'threat-model.json'));

async function evaluateDetection(manifest: string) {
  const samples = resolve(args.scan, '../../../..');
  const truthFolder = join(samples, 'gdxray_ground_truth_from_zhouheping239');
  if (!existsSync(truthFolder)) return undefined;
  const truth = new Map<string, PixelBox[]>();
  for (const file of await readdir(truthFolder)) {
    const series = file.slice(0, 5);
    for (const line of (await readFile(join(truthFolder, file), 'utf8')).split('\n')) {
      const numbers = line.trim().split(/\s+/).filter(Boolean).map(Number);
      if (numbers.length < 5) continue;
      const name = `${series}_${String(Math.round(numbers[0])).padStart(4, '0')}.png`;
      // `n x1 x2 y1 y2`, or for B0046 `n` and four corners of a rotated box (x, y pairs): take its bounds.
      const box =
        numbers.length === 5
          ? { x: numbers[1], y: numbers[3], width: numbers[2] - numbers[1], height: numbers[4] - numbers[3] }
          : boundsOf(numbers.slice(1));
      truth.set(name, [...(truth.get(name) ?? []), box]);
    }
  }
  const model = await loadThreatModel(manifest);
  let found = 0;
  let total = 0;
  let falsePositives = 0;
  let scans = 0;
  let milliseconds = 0;
  for (const [name, boxes] of truth) {
    const path = join(samples, 'results/GDXray/Original', name);
    if (!existsSync(path)) continue;
    const result = await detectThreats(await decodeScan(await readFile(path)), { model });
    scans += 1;
    milliseconds += result.elapsedMs;
    total += boxes.length;
    found += boxes.filter((box) =>
      result.boxes.some((detected) => intersectionOverUnion(detected, box) >= 0.3),
    ).length;
    falsePositives += result.boxes.filter(
      (detected) => !boxes.some((box) => intersectionOverUnion(detected, box) >= 0.3),
    ).length;
  }
  await model.dispose();
  return {
    scans,
    objects: total,
    recall: found / Math.max(1, total),
    falsePositivesPerScan: falsePositives / Math.max(1, scans),
    msPerScan: Math.round(milliseconds / Math.max(1, scans)),
  };
}

function boundsOf(corners: number[]): PixelBox {
  const xs = corners.filter((_, index) => index % 2 === 0);
  const ys = corners.filter((_, index) => index % 2 === 1);
  return {
    x: Math.min(...xs),
    y: Math.min(...ys),
    width: Math.max(...xs) - Math.min(...xs),
    height: Math.max(...ys) - Math.min(...ys),
  };
}

const format = (value: number) => value.toFixed(3);
const percent = (value: number) => `${(value * 100).toFixed(1)} %`;
console.log(
  `\nX-ray threat recognition, ${heldOut.length} held-out GDXray crops (series-block split), ${set.images.length - heldOut.length} for training\n`,
);
console.log('| model | balanced accuracy | threats missed | false alarms | accuracy | ms per crop |');
console.log('|---|---|---|---|---|---|');
for (const row of rows) {
  console.log(
    `| ${row.name} | ${format(row.evaluation.balanced_accuracy)} | ${percent(row.evaluation.threat_miss_rate)} | ${percent(row.evaluation.false_alarm_rate)} | ${format(row.evaluation.accuracy)} | ${row.msPerCrop.toFixed(2)} |`,
  );
}
console.log(
  `\nms per 512 x 512 scan (window detector, median of 7): ${Object.entries(scanTimes)
    .map(([engine, ms]) => `${engine} ${ms}`)
    .join(', ')}`,
);
const best = rows.find((row) => row.name.includes('ensemble')) ?? rows[rows.length - 1];
const reference = rows.find((row) => row.name.includes('rbf'));
if (reference) {
  console.log(
    `ratio vs HOG + RBF SVM: balanced accuracy x${(best.evaluation.balanced_accuracy / reference.evaluation.balanced_accuracy).toFixed(3)}, ` +
      `threats missed ${percent(best.evaluation.threat_miss_rate)} vs ${percent(reference.evaluation.threat_miss_rate)}`,
  );
}
for (const [engine, result] of Object.entries(detection)) {
  if (!result) continue;
  console.log(
    `detection on ${result.scans} GDXray baggage scans with ${result.objects} boxed objects (${engine}): ` +
      `recall ${percent(result.recall)} at IoU >= 0.3, ${result.falsePositivesPerScan.toFixed(2)} false boxes per scan, ${result.msPerScan} ms per scan`,
  );
}
console.log(JSON.stringify({ heldOut: heldOut.length, rows, msPerScan: scanTimes, detection }));
