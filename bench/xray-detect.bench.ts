/**
 * Whole-scan threat detection benchmark: the shipped detector (on the scan and its mirror images, as
 * the service runs it) against the sliding window over the shipped crop classifier, in the same run, on the boxed GDXray scans of the series held out from training (by series: the scans of one series
 * show one bag turned a little), and the time per 512 x 512 scan.
 *
 *   npx tsx bench/xray-detect.bench.ts [--scans <xray-samples>] [--model <manifest>] [--detector <onnx>]
 *
 * `--detector` swaps in another detector ONNX file (same labels) beside the shipped classifier, to judge
 * a retrained one before it is shipped. The ground truth names no class (every boxed object is a
 * handgun), so a box of any threat label counts. Figures at IoU 0.3 (the "found") and 0.5
 * (mAP@0.5, VOC-style interpolated, one class).
 */
import { readFile } from 'node:fs/promises';
import { cpus, loadavg } from 'node:os';
import { join, resolve } from 'node:path';
import { parseArgs } from 'node:util';
import sharp from 'sharp';
import { heldOutScanSeries, readBoxedScans } from '../src/modules/xray/adapters/boxed-scans.js';
import type { ScanThresholdChoice } from '../src/modules/xray/adapters/detector-training.js';
import { loadOnnxYoloDetector } from '../src/modules/xray/adapters/onnx-yolo-detector.js';
import {
  decodeScan,
  detectThreats,
  loadThreatModel,
  type ThreatModel,
} from '../src/modules/xray/adapters/threat-recognition.js';
import {
  detectionFigures,
  type DetectionFigures,
  type ScoredScan,
} from '../src/modules/xray/domain/detection-metrics.js';

const { values: args } = parseArgs({
  options: {
    scans: { type: 'string', default: '/work/shared/data/xray-samples' },
    model: { type: 'string', default: 'models/xray/threat-model.json' },
    detector: { type: 'string' },
  },
});

/** The operating budget: false boxes per scan at which recall is read off the curve. */
const falseBoxBudget = 0.3;

let model: ThreatModel = await loadThreatModel(resolve(args.model));
if (model.kind !== 'classifier' || !model.detector)
  throw new Error(`${args.model} has no scan detector to compare with the sliding window`);
if (args.detector) {
  const shipped = model.detector;
  const candidate = await loadOnnxYoloDetector(
    resolve(args.detector),
    shipped.labels,
    shipped.scoreThreshold,
  );
  await shipped.dispose();
  model = { ...model, detector: candidate };
}
const classifier = model;
const detector = classifier.detector!;

const boxedScans = (await readBoxedScans(resolve(args.scans))).filter((scan) =>
  heldOutScanSeries.includes(scan.series),
);
if (boxedScans.length === 0)
  throw new Error(`no boxed scans of ${heldOutScanSeries.join(', ')} in ${args.scans}`);

async function scoreScans(method: 'detector' | 'window', scoreThreshold?: number): Promise<ScoredScan[]> {
  const scored: ScoredScan[] = [];
  for (const scan of boxedScans) {
    const image = await decodeScan(await readFile(scan.path));
    const result = await detectThreats(image, { model: classifier, method, scoreThreshold });
    scored.push({ truth: scan.boxes, detected: result.boxes });
  }
  return scored;
}

/** Keeps the boxes from `threshold` on. */
const atThreshold = (scans: readonly ScoredScan[], threshold: number): ScoredScan[] =>
  scans.map((scan) => ({ ...scan, detected: scan.detected.filter((box) => box.score >= threshold) }));

/**
 * The best recall whose false boxes per scan stay within the budget, reading the held-out curve: the
 * operating point a threshold chosen on these scans would give (an upper bound for the shipped one).
 */
function recallWithinBudget(scans: readonly ScoredScan[], iou: number) {
  const scores = [...new Set(scans.flatMap((scan) => scan.detected.map((box) => box.score)))].sort(
    (a, b) => a - b,
  );
  for (const threshold of scores) {
    const figures = detectionFigures(atThreshold(scans, threshold), iou);
    if (figures.falseBoxesPerScan <= falseBoxBudget) return { threshold, figures };
  }
  return undefined;
}

// Proposals from a low score on, for the whole precision-recall curve; the service keeps those from
// the detector's threshold on. The window's boxes from its own threshold (what the service would show).
const detectorCurve = await scoreScans('detector', 0.05);
const windowCurve = await scoreScans('window', 0.3);
const windowThreshold = 0.6;
const rows: { method: string; figures: DetectionFigures[] }[] = [
  {
    method: 'detector, every proposal from 0.05',
    figures: [0.3, 0.5].map((iou) => detectionFigures(detectorCurve, iou)),
  },
  {
    method: `detector at its threshold ${detector.scoreThreshold ?? 'none'}`,
    figures: [0.3, 0.5].map((iou) =>
      detectionFigures(atThreshold(detectorCurve, detector.scoreThreshold ?? 0), iou),
    ),
  },
  {
    method: 'sliding window, every window from 0.3',
    figures: [0.3, 0.5].map((iou) => detectionFigures(windowCurve, iou)),
  },
  {
    method: `sliding window at its threshold ${windowThreshold}`,
    figures: [0.3, 0.5].map((iou) => detectionFigures(atThreshold(windowCurve, windowThreshold), iou)),
  },
];
const budgetPoints = {
  detector: recallWithinBudget(detectorCurve, 0.3),
  window: recallWithinBudget(windowCurve, 0.3),
};

// Speed per 512 x 512 scan: the detector on the scan and its two mirror images, and materials, one scan at a
// time. CPU time of this process is one core's work, whatever the machine's load does to the wall clock.
const scan512 = await decodeScan(
  await sharp(await readFile(join(resolve(args.scans), 'results/GDXray/Original/B0009_0001.png')))
    .resize(512, 512, { fit: 'fill' })
    .png()
    .toBuffer(),
);
const speed: Record<string, { wallMs: number; cpuMs: number }> = {};
for (const method of ['detector', 'window'] as const) {
  await detectThreats(scan512, { model: classifier, method });
  const wall: number[] = [];
  const cpu: number[] = [];
  for (let run = 0; run < 9; run++) {
    const before = process.cpuUsage();
    const started = performance.now();
    await detectThreats(scan512, { model: classifier, method });
    wall.push(performance.now() - started);
    const used = process.cpuUsage(before);
    cpu.push((used.user + used.system) / 1000);
  }
  const median = (values: number[]) => [...values].sort((a, b) => a - b)[values.length >> 1];
  speed[method] = { wallMs: Math.round(median(wall)), cpuMs: Math.round(median(cpu)) };
}
await classifier.dispose();

const percent = (value: number) => `${(value * 100).toFixed(1)} %`;
console.log(
  `\nDetection on ${boxedScans.length} boxed GDXray scans of held-out series ${heldOutScanSeries.join(', ')} ` +
    `(${boxedScans.reduce((sum, scan) => sum + scan.boxes.length, 0)} handguns; any threat box counts)` +
    `\ndetector: ${detector.description}\n`,
);
console.log(
  '| method | recall IoU 0.3 | false boxes per scan IoU 0.3 | recall IoU 0.5 | precision IoU 0.5 | mAP@0.5 |',
);
console.log('|---|---|---|---|---|---|');
for (const {
  method,
  figures: [loose, strict],
} of rows)
  console.log(
    `| ${method} | ${percent(loose.recall)} | ${loose.falseBoxesPerScan.toFixed(2)} | ${percent(strict.recall)} | ${percent(strict.precision)} | ${strict.averagePrecision.toFixed(3)} |`,
  );
for (const [method, point] of Object.entries(budgetPoints))
  console.log(
    point
      ? `${method}: best recall within ${falseBoxBudget} false boxes per scan on these scans ${percent(point.figures.recall)} (${point.figures.falseBoxesPerScan.toFixed(2)}, threshold ${point.threshold.toFixed(3)})`
      : `${method}: no threshold keeps false boxes within ${falseBoxBudget} per scan`,
  );
const [shippedDetector, , , shippedWindow] = rows;
console.log(
  `detector vs sliding window: mAP@0.5 x${(shippedDetector.figures[1].averagePrecision / Math.max(1e-9, rows[2].figures[1].averagePrecision)).toFixed(2)}, ` +
    `recall IoU 0.3 at their thresholds ${percent(rows[1].figures[0].recall)} vs ${percent(shippedWindow.figures[0].recall)}`,
);
// How the shipped threshold was chosen (`clearway xray train`, on left-out training bags, never these).
const manifest = JSON.parse(await readFile(resolve(args.model), 'utf8')) as {
  training?: { pythonSteps?: { detector?: { scanThreshold?: ScanThresholdChoice } } };
};
const choice = manifest.training?.pythonSteps?.detector?.scanThreshold;
if (choice && !args.detector)
  console.log(
    `shipped threshold ${choice.scoreThreshold}: chosen ${choice.method} (${choice.folds.map((fold) => fold.series).join(', ')}; ` +
      `${choice.outOfFold.scans} scans) for ${choice.falseBoxBudget} false boxes per scan; there ${percent(choice.outOfFold.recall)} recall at ${choice.outOfFold.falseBoxesPerScan.toFixed(2)}` +
      // Older manifests chose on the real left-out scans alone and have no separate figure for them.
      (choice.outOfFoldRealScans
        ? `; on the ${choice.outOfFoldRealScans.scans} real scans alone ${percent(choice.outOfFoldRealScans.recall)} at ${choice.outOfFoldRealScans.falseBoxesPerScan.toFixed(2)}`
        : ''),
  );
const [load1] = loadavg();
console.log(
  `\nper 512 x 512 scan (median of 9; detection in three views + materials, the whole analysis of a scan): ` +
    Object.entries(speed)
      .map(([method, time]) => `${method} ${time.wallMs} ms wall / ${time.cpuMs} ms CPU`)
      .join(', ') +
    `; load average ${load1.toFixed(2)} on ${cpus().length} cores`,
);
console.log(JSON.stringify({ rows, budgetPoints, speed, load: load1 }));
