import { intersectionOverUnion } from './non-max-suppression.js';
import type { PixelBox } from './scan-image.js';

/** One scan's detections (with scores) and its true boxes. */
export interface ScoredScan {
  readonly detected: readonly (PixelBox & { readonly score: number })[];
  readonly truth: readonly PixelBox[];
}

export interface DetectionFigures {
  readonly scans: number;
  readonly objects: number;
  /** Share of true boxes matched by a detection with IoU >= iou. */
  readonly recall: number;
  /** Share of detections that match a true box. */
  readonly precision: number;
  readonly falseBoxesPerScan: number;
  /** Area under the interpolated precision-recall curve over all score thresholds (VOC style). */
  readonly averagePrecision: number;
  readonly iou: number;
}

/**
 * Greedy matching per scan, best score first: a detection is a true positive when it overlaps a true
 * box not yet taken by IoU >= `iou`. The ground truth of the GDXray scans names no class, so boxes of any
 * threat label count.
 */
export function detectionFigures(scans: readonly ScoredScan[], iou: number): DetectionFigures {
  const ranked: { score: number; hit: boolean }[] = [];
  let objects = 0;
  for (const scan of scans) {
    objects += scan.truth.length;
    const taken = new Set<number>();
    for (const detection of [...scan.detected].sort((a, b) => b.score - a.score)) {
      let best = -1;
      let bestOverlap = iou;
      scan.truth.forEach((box, index) => {
        const overlap = intersectionOverUnion(detection, box);
        if (!taken.has(index) && overlap >= bestOverlap) [best, bestOverlap] = [index, overlap];
      });
      if (best >= 0) taken.add(best);
      ranked.push({ score: detection.score, hit: best >= 0 });
    }
  }
  ranked.sort((a, b) => b.score - a.score);
  const hits = ranked.filter((entry) => entry.hit).length;
  return {
    scans: scans.length,
    objects,
    recall: objects === 0 ? 0 : hits / objects,
    precision: ranked.length === 0 ? 0 : hits / ranked.length,
    falseBoxesPerScan: scans.length === 0 ? 0 : (ranked.length - hits) / scans.length,
    averagePrecision: averagePrecision(ranked, objects),
    iou,
  };
}

function averagePrecision(ranked: readonly { hit: boolean }[], objects: number): number {
  if (objects === 0) return 0;
  const points: { recall: number; precision: number }[] = [];
  let hits = 0;
  ranked.forEach((entry, index) => {
    if (entry.hit) hits += 1;
    points.push({ recall: hits / objects, precision: hits / (index + 1) });
  });
  // Interpolated: precision at a recall is the best precision at that recall or beyond.
  let area = 0;
  let previousRecall = 0;
  for (let index = 0; index < points.length; index++) {
    if (points[index].recall === previousRecall) continue;
    const best = Math.max(...points.slice(index).map((point) => point.precision));
    area += (points[index].recall - previousRecall) * best;
    previousRecall = points[index].recall;
  }
  return area;
}

/**
 * The lowest score threshold (highest recall) at which the detections of `scans` make no more than
 * `falseBoxesPerScan` false boxes (IoU below `iou` with every true box); 1 when none does.
 */
export function chooseScoreThreshold(
  scans: readonly ScoredScan[],
  iou: number,
  falseBoxesPerScan: number,
): number {
  const scores = [...new Set(scans.flatMap((scan) => scan.detected.map((box) => box.score)))].sort(
    (a, b) => a - b,
  );
  for (const threshold of scores) {
    const kept = scans.map((scan) => ({
      ...scan,
      detected: scan.detected.filter((box) => box.score >= threshold),
    }));
    if (detectionFigures(kept, iou).falseBoxesPerScan <= falseBoxesPerScan) return threshold;
  }
  return 1;
}
