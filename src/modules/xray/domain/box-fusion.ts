import { intersectionOverUnion } from './non-max-suppression.js';
import type { Detection, ScanImage } from './scan-image.js';

/** A scan mirrored left-right or top-bottom (grey transmission and, for pseudo-colour, RGB). */
export function mirrorScan(scan: ScanImage, axis: 'horizontal' | 'vertical'): ScanImage {
  const { width, height } = scan;
  const source = (x: number, y: number) =>
    axis === 'horizontal' ? y * width + (width - 1 - x) : (height - 1 - y) * width + x;
  const transmission = new Float32Array(width * height);
  const rgb = scan.rgb ? new Uint8Array(width * height * 3) : undefined;
  for (let y = 0; y < height; y++)
    for (let x = 0; x < width; x++) {
      const from = source(x, y);
      transmission[y * width + x] = scan.transmission[from];
      if (rgb) rgb.set(scan.rgb!.subarray(from * 3, from * 3 + 3), (y * width + x) * 3);
    }
  return { ...scan, transmission, ...(rgb ? { rgb } : {}) };
}

/** A box found on a mirrored scan, put back into the scan's own coordinates. */
export function unmirrorBox<T extends Detection>(
  box: T,
  axis: 'horizontal' | 'vertical',
  width: number,
  height: number,
): T {
  return axis === 'horizontal'
    ? { ...box, x: width - box.x - box.width }
    : { ...box, y: height - box.y - box.height };
}

/**
 * Weighted box fusion of the detections of several views of one scan (the scan and its mirror images):
 * boxes of one label overlapping by `iou` or more are one object, whose box is the score-weighted mean
 * and whose score is the sum of its views' best scores over the number of views. An object every view
 * sees keeps its score; one a single view imagines keeps a fraction of it, which is what makes the
 * mirrored views worth running (bag clutter seldom fools the net from every side).
 */
export function fuseViews(views: readonly (readonly Detection[])[], iou = 0.55): Detection[] {
  interface Cluster {
    label: string;
    members: { box: Detection; view: number }[];
    box: Detection;
  }
  const clusters: Cluster[] = [];
  const ranked = views
    .flatMap((boxes, view) => boxes.map((box) => ({ box, view })))
    .sort((a, b) => b.box.score - a.box.score);
  for (const entry of ranked) {
    const home = clusters.find(
      (cluster) =>
        cluster.label === entry.box.label &&
        !cluster.members.some((member) => member.view === entry.view) &&
        intersectionOverUnion(cluster.box, entry.box) >= iou,
    );
    if (!home) {
      clusters.push({ label: entry.box.label, members: [entry], box: entry.box });
      continue;
    }
    home.members.push(entry);
    const total = home.members.reduce((sum, member) => sum + member.box.score, 0);
    const mean = (field: 'x' | 'y' | 'width' | 'height') =>
      home.members.reduce((sum, member) => sum + member.box[field] * member.box.score, 0) / total;
    home.box = { ...home.box, x: mean('x'), y: mean('y'), width: mean('width'), height: mean('height') };
  }
  return clusters
    .map((cluster) => ({
      ...cluster.box,
      score: cluster.members.reduce((sum, member) => sum + member.box.score, 0) / views.length,
    }))
    .sort((a, b) => b.score - a.score);
}
