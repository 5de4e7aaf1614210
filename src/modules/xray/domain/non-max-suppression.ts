import type { Detection, PixelBox } from './scan-image.js';

/** Intersection over union of two boxes (0 when they do not overlap). */
export function intersectionOverUnion(a: PixelBox, b: PixelBox): number {
  const left = Math.max(a.x, b.x);
  const top = Math.max(a.y, b.y);
  const right = Math.min(a.x + a.width, b.x + b.width);
  const bottom = Math.min(a.y + a.height, b.y + b.height);
  if (right <= left || bottom <= top) return 0;
  const intersection = (right - left) * (bottom - top);
  return intersection / (a.width * a.height + b.width * b.height - intersection);
}

/** Share of the smaller box covered by the other; catches a small box nested inside a big one. */
export function intersectionOverSmaller(a: PixelBox, b: PixelBox): number {
  const left = Math.max(a.x, b.x);
  const top = Math.max(a.y, b.y);
  const right = Math.min(a.x + a.width, b.x + b.width);
  const bottom = Math.min(a.y + a.height, b.y + b.height);
  if (right <= left || bottom <= top) return 0;
  return ((right - left) * (bottom - top)) / Math.min(a.width * a.height, b.width * b.height);
}

export interface SuppressionOptions {
  /** Boxes overlapping a better one by more than this IoU are dropped. */
  readonly iouThreshold?: number;
  /** Also drop a box lying this much inside a better one (sliding windows nest); 1 disables it. */
  readonly containmentThreshold?: number;
  /** Suppress only among boxes of the same label (YOLO-style) or across all labels. */
  readonly perLabel?: boolean;
  readonly maxDetections?: number;
}

/**
 * Greedy non-maximum suppression: keeps the best-scoring box, drops those that overlap it too much,
 * repeats. Returns the kept detections, best first.
 */
export function nonMaxSuppression<T extends Detection>(
  detections: readonly T[],
  options: SuppressionOptions = {},
): T[] {
  const { iouThreshold = 0.45, containmentThreshold = 1, perLabel = true, maxDetections = 100 } = options;
  const ordered = [...detections].sort((a, b) => b.score - a.score);
  const kept: T[] = [];
  for (const candidate of ordered) {
    if (kept.length >= maxDetections) break;
    const overlapsKept = kept.some(
      (better) =>
        (!perLabel || better.label === candidate.label) &&
        (intersectionOverUnion(better, candidate) > iouThreshold ||
          intersectionOverSmaller(better, candidate) > containmentThreshold),
    );
    if (!overlapsKept) kept.push(candidate);
  }
  return kept;
}
