import { fuseViews, mirrorScan, unmirrorBox } from '../domain/box-fusion.js';
import { nonMaxSuppression } from '../domain/non-max-suppression.js';
import type { Detection, ScanImage } from '../domain/scan-image.js';
import type { ThreatScanDetector } from './threat-model.js';

/** The mirror images the detector also looks at: a bag lies either way round on the belt. */
const mirrors = ['horizontal', 'vertical'] as const;

/**
 * Each view keeps its weak boxes too, from this score on: a box one view scores low still adds to an
 * object the others see, and the fused score, whatever the final threshold, does not depend on it.
 */
const viewThreshold = 0.02;

/**
 * Runs the bundled detector on the scan and on its two mirror images and fuses the three views' boxes
 * (`fuseViews`): an object every view finds keeps its score, one that a single view imagines keeps a
 * third of it. On the held-out GDXray bags this is what separates guns from bag clutter (see
 * docs/xray.md); it costs two more runs of a 160 x 160 network.
 */
export async function detectInMirroredViews(
  detector: ThreatScanDetector,
  scan: ScanImage,
  options: { scoreThreshold: number; iouThreshold: number },
): Promise<Detection[]> {
  const perView = { ...options, scoreThreshold: viewThreshold };
  const views = [await detector.detect(scan, perView)];
  for (const axis of mirrors)
    views.push(
      (await detector.detect(mirrorScan(scan, axis), perView)).map((box) =>
        unmirrorBox(box, axis, scan.width, scan.height),
      ),
    );
  return fuseViews(views).filter((box) => box.score >= options.scoreThreshold);
}

/** How a detector's boxes become a scan's findings (the sliding window's NMS settings). */
export interface DetectorBoxOptions {
  readonly scoreThreshold: number;
  readonly iouThreshold: number;
  readonly containmentThreshold: number;
  readonly maxDetections: number;
  /** The bundled detector looks at the scan and its mirror images; an operator's detector as it is. */
  readonly mirroredViews: boolean;
}

/**
 * A scan's threat boxes from a detector, as `detectThreats` reports them and as the scan threshold is
 * chosen in training (`detector-training.ts`): one name per object (overlapping boxes of different
 * labels are one detection), whole pixels, scores to four decimals.
 */
export async function detectorBoxes(
  detector: ThreatScanDetector,
  scan: ScanImage,
  options: DetectorBoxOptions,
): Promise<Detection[]> {
  const search = { scoreThreshold: options.scoreThreshold, iouThreshold: options.iouThreshold };
  const found = options.mirroredViews
    ? await detectInMirroredViews(detector, scan, search)
    : await detector.detect(scan, search);
  return nonMaxSuppression(
    found.filter((box) => box.score >= options.scoreThreshold),
    {
      iouThreshold: options.iouThreshold,
      containmentThreshold: options.containmentThreshold,
      perLabel: false,
      maxDetections: options.maxDetections,
    },
  ).map((box) => ({
    ...box,
    x: Math.round(box.x),
    y: Math.round(box.y),
    width: Math.round(box.width),
    height: Math.round(box.height),
    score: Number(box.score.toFixed(4)),
  }));
}
