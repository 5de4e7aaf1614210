import { nonMaxSuppression } from './non-max-suppression.js';
import type { Detection } from './scan-image.js';

/** How a scan was scaled and padded into the square detector input, to map boxes back. */
export interface Letterbox {
  readonly scale: number;
  readonly padX: number;
  readonly padY: number;
  readonly scanWidth: number;
  readonly scanHeight: number;
}

/** Letterbox geometry for fitting a scan into a size x size input, centred (Ultralytics convention). */
export function letterboxFor(scanWidth: number, scanHeight: number, size: number): Letterbox {
  const scale = Math.min(size / scanWidth, size / scanHeight);
  return {
    scale,
    padX: (size - scanWidth * scale) / 2,
    padY: (size - scanHeight * scale) / 2,
    scanWidth,
    scanHeight,
  };
}

export interface YoloDecodingOptions {
  readonly scoreThreshold?: number;
  readonly iouThreshold?: number;
  readonly maxDetections?: number;
}

/**
 * Decodes the raw output of a YOLO-style detector into scan-space detections after NMS. Accepts the two
 * common layouts: YOLOv5 `[1, boxes, 5 + classes]` (cx, cy, w, h, objectness, class scores) and
 * YOLOv8/11 `[1, 4 + classes, boxes]` (cx, cy, w, h, class scores, transposed, no objectness). Box
 * coordinates are in input pixels and are mapped back through the letterbox.
 */
export function decodeYoloOutput(
  output: Float32Array,
  dims: readonly number[],
  labels: readonly string[],
  letterbox: Letterbox,
  options: YoloDecodingOptions = {},
): Detection[] {
  const { scoreThreshold = 0.25, iouThreshold = 0.45, maxDetections = 100 } = options;
  const classes = labels.length;
  const shape = dims.length === 3 ? dims.slice(1) : dims;
  if (shape.length !== 2) throw new RangeError(`unexpected YOLO output shape [${dims.join(', ')}]`);
  let boxes: number;
  let stride: number;
  let transposed: boolean;
  let objectness: boolean;
  if (shape[1] === 5 + classes) [boxes, stride, transposed, objectness] = [shape[0], shape[1], false, true];
  else if (shape[0] === 4 + classes)
    [boxes, stride, transposed, objectness] = [shape[1], shape[0], true, false];
  else if (shape[1] === 4 + classes)
    [boxes, stride, transposed, objectness] = [shape[0], shape[1], false, false];
  else throw new RangeError(`YOLO output [${dims.join(', ')}] does not fit ${classes} labels`);
  const value = (box: number, field: number) =>
    transposed ? output[field * boxes + box] : output[box * stride + field];
  const candidates: Detection[] = [];
  const firstClass = objectness ? 5 : 4;
  for (let box = 0; box < boxes; box++) {
    let best = 0;
    let bestScore = -Infinity;
    for (let label = 0; label < classes; label++) {
      const score = value(box, firstClass + label);
      if (score > bestScore) [best, bestScore] = [label, score];
    }
    const score = objectness ? bestScore * value(box, 4) : bestScore;
    if (score < scoreThreshold) continue;
    const centreX = (value(box, 0) - letterbox.padX) / letterbox.scale;
    const centreY = (value(box, 1) - letterbox.padY) / letterbox.scale;
    const width = value(box, 2) / letterbox.scale;
    const height = value(box, 3) / letterbox.scale;
    const x = Math.max(0, centreX - width / 2);
    const y = Math.max(0, centreY - height / 2);
    candidates.push({
      label: labels[best],
      score,
      x,
      y,
      width: Math.min(letterbox.scanWidth, centreX + width / 2) - x,
      height: Math.min(letterbox.scanHeight, centreY + height / 2) - y,
    });
  }
  return nonMaxSuppression(candidates, { iouThreshold, maxDetections, perLabel: true });
}
