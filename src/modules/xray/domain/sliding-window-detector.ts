import { resampleRegion } from './image-resampling.js';
import { nonMaxSuppression } from './non-max-suppression.js';
import type { Detection, PixelBox } from './scan-image.js';
import { noThreatLabel } from './threat-metrics.js';

/** Settings of the window detector; defaults suit parcels whose threats span a quarter or more of the scan. */
export interface WindowDetectorOptions {
  /** Window sides as fractions of the scan's shorter side. */
  readonly windowFractions: readonly number[];
  /** Step between windows as a fraction of the window side. */
  readonly strideFraction: number;
  /** Windows whose mean attenuation is below this hold only air and clothing: not worth a model call. */
  readonly minimumMeanAttenuation: number;
  /** Attenuation above which a pixel is dense (thick metal), for proposals and box tightening. */
  readonly denseAttenuation: number;
  /** Smallest threat probability reported. */
  readonly scoreThreshold: number;
  readonly iouThreshold: number;
  /** A box lying this much inside a better box is a part of the same object and is dropped. */
  readonly containmentThreshold: number;
  readonly maxDetections: number;
  /** Threats made of thick metal: a window is only named one if it holds dense pixels at all. */
  readonly denseLabels: readonly string[];
  /** Share of dense pixels a window needs before it may be named one of `denseLabels`. */
  readonly minimumDenseFraction: number;
}

export const defaultWindowDetectorOptions: WindowDetectorOptions = {
  windowFractions: [0.3, 0.45, 0.65, 0.9],
  strideFraction: 0.5,
  minimumMeanAttenuation: 0.06,
  denseAttenuation: 0.3,
  scoreThreshold: 0.6,
  iouThreshold: 0.3,
  containmentThreshold: 0.7,
  maxDetections: 20,
  denseLabels: ['gun', 'shuriken', 'knife'],
  minimumDenseFraction: 0.02,
};

/** Start positions of windows of `side` covering `length`, the last one flush with the far edge. */
function positions(length: number, side: number, stride: number): number[] {
  if (side >= length) return [(length - side) / 2];
  const result: number[] = [];
  for (let start = 0; start + side < length; start += stride) result.push(start);
  result.push(length - side);
  return result;
}

/** Mean of `values` over a box, from a summed-area table of the image. */
function boxMean(integral: Float64Array, width: number, box: PixelBox): number {
  const x0 = Math.max(0, Math.floor(box.x));
  const y0 = Math.max(0, Math.floor(box.y));
  const x1 = Math.min(width, Math.ceil(box.x + box.width));
  const rows = integral.length / (width + 1) - 1;
  const y1 = Math.min(rows, Math.ceil(box.y + box.height));
  if (x1 <= x0 || y1 <= y0) return 0;
  const stride = width + 1;
  const sum =
    integral[y1 * stride + x1] -
    integral[y0 * stride + x1] -
    integral[y1 * stride + x0] +
    integral[y0 * stride + x0];
  return sum / ((x1 - x0) * (y1 - y0));
}

/** Summed-area table with one leading row and column of zeros. */
export function summedAreaTable(values: Float32Array, width: number, height: number): Float64Array {
  const stride = width + 1;
  const table = new Float64Array(stride * (height + 1));
  for (let y = 0; y < height; y++) {
    let rowSum = 0;
    for (let x = 0; x < width; x++) {
      rowSum += values[y * width + x];
      table[(y + 1) * stride + x + 1] = table[y * stride + x + 1] + rowSum;
    }
  }
  return table;
}

/**
 * Square windows to show the crop classifier: a multi-scale grid over the scan, without windows that
 * hold next to nothing. Attenuation is the scan's attenuation map (0 = air).
 */
export function windowProposals(
  attenuation: Float32Array,
  width: number,
  height: number,
  options: WindowDetectorOptions = defaultWindowDetectorOptions,
): PixelBox[] {
  const integral = summedAreaTable(attenuation, width, height);
  const shorter = Math.min(width, height);
  const windows: PixelBox[] = [];
  for (const fraction of options.windowFractions) {
    const side = Math.round(shorter * fraction);
    const stride = Math.max(1, Math.round(side * options.strideFraction));
    for (const y of positions(height, side, stride)) {
      for (const x of positions(width, side, stride)) {
        const window = { x, y, width: side, height: side };
        if (boxMean(integral, width, window) >= options.minimumMeanAttenuation) windows.push(window);
      }
    }
  }
  return windows;
}

/**
 * Shrinks a window to the dense pixels inside it, when they form a clear object (at least 5 % of the
 * window), so the reported box hugs the object rather than the grid.
 */
export function tightenToDensePixels(
  attenuation: Float32Array,
  width: number,
  height: number,
  window: PixelBox,
  denseAttenuation: number,
): PixelBox {
  const x0 = Math.max(0, Math.floor(window.x));
  const y0 = Math.max(0, Math.floor(window.y));
  const x1 = Math.min(width, Math.ceil(window.x + window.width));
  const y1 = Math.min(height, Math.ceil(window.y + window.height));
  let minX = x1;
  let minY = y1;
  let maxX = x0 - 1;
  let maxY = y0 - 1;
  let dense = 0;
  for (let y = y0; y < y1; y++) {
    for (let x = x0; x < x1; x++) {
      if (attenuation[y * width + x] < denseAttenuation) continue;
      dense += 1;
      if (x < minX) minX = x;
      if (x > maxX) maxX = x;
      if (y < minY) minY = y;
      if (y > maxY) maxY = y;
    }
  }
  if (dense < 0.05 * (x1 - x0) * (y1 - y0)) return { x: x0, y: y0, width: x1 - x0, height: y1 - y0 };
  return { x: minX, y: minY, width: maxX - minX + 1, height: maxY - minY + 1 };
}

/** Share of a window's pixels at or above `denseAttenuation`. */
export function denseFraction(
  attenuation: Float32Array,
  width: number,
  height: number,
  window: PixelBox,
  denseAttenuation: number,
): number {
  const x0 = Math.max(0, Math.floor(window.x));
  const y0 = Math.max(0, Math.floor(window.y));
  const x1 = Math.min(width, Math.ceil(window.x + window.width));
  const y1 = Math.min(height, Math.ceil(window.y + window.height));
  if (x1 <= x0 || y1 <= y0) return 0;
  let dense = 0;
  for (let y = y0; y < y1; y++)
    for (let x = x0; x < x1; x++) if (attenuation[y * width + x] >= denseAttenuation) dense += 1;
  return dense / ((x1 - x0) * (y1 - y0));
}

/**
 * Turns per-window class probabilities into detections: a window whose most likely class is a threat,
 * with at least the score threshold, becomes a box (tightened to its dense pixels); overlapping and
 * nested boxes are then suppressed across labels, since one object has one name.
 */
export function windowDetections(
  windows: readonly PixelBox[],
  probabilities: Float32Array,
  labels: readonly string[],
  attenuation: Float32Array,
  width: number,
  height: number,
  options: WindowDetectorOptions = defaultWindowDetectorOptions,
): Detection[] {
  const classes = labels.length;
  const candidates: Detection[] = [];
  windows.forEach((window, row) => {
    let best = 0;
    for (let label = 1; label < classes; label++)
      if (probabilities[row * classes + label] > probabilities[row * classes + best]) best = label;
    const score = probabilities[row * classes + best];
    if (labels[best] === noThreatLabel || score < options.scoreThreshold) return;
    // "A dense metal region of gun size": a handgun or a throwing star is thick steel, so a window
    // without dense pixels is the classifier reading shape into bag clutter.
    if (
      options.denseLabels.includes(labels[best]) &&
      denseFraction(attenuation, width, height, window, options.denseAttenuation) <
        options.minimumDenseFraction
    )
      return;
    const box = tightenToDensePixels(attenuation, width, height, window, options.denseAttenuation);
    candidates.push({ label: labels[best], score, ...box });
  });
  return nonMaxSuppression(candidates, {
    iouThreshold: options.iouThreshold,
    containmentThreshold: options.containmentThreshold,
    perLabel: false,
    maxDetections: options.maxDetections,
  });
}

/**
 * Model inputs (size x size each, packed) for square windows. Windows of one side share one rescaled
 * copy of the attenuation map, from which each input is a plain copy: resampling every window on its own
 * costs several times more, and the detector must stay within a few hundred milliseconds per scan.
 * Pixels outside the scan are air (0).
 */
export function windowInputs(
  attenuation: Float32Array,
  width: number,
  height: number,
  windows: readonly PixelBox[],
  size: number,
): Float32Array {
  const packed = new Float32Array(windows.length * size * size);
  const scaledBySide = new Map<
    number,
    { values: Float32Array; width: number; height: number; factor: number }
  >();
  windows.forEach((window, index) => {
    let scaled = scaledBySide.get(window.width);
    if (!scaled) {
      const factor = size / window.width;
      const scaledWidth = Math.max(1, Math.round(width * factor));
      const scaledHeight = Math.max(1, Math.round(height * factor));
      const values = resampleRegion(
        attenuation,
        width,
        height,
        { x: 0, y: 0, width, height },
        scaledWidth,
        scaledHeight,
      );
      scaled = { values, width: scaledWidth, height: scaledHeight, factor };
      scaledBySide.set(window.width, scaled);
    }
    const left = Math.round(window.x * scaled.factor);
    const top = Math.round(window.y * scaled.factor);
    const offset = index * size * size;
    for (let row = 0; row < size; row++) {
      const sourceRow = top + row;
      if (sourceRow < 0 || sourceRow >= scaled.height) continue;
      const from = Math.max(0, left);
      const to = Math.min(scaled.width, left + size);
      if (to <= from) continue;
      packed.set(
        scaled.values.subarray(sourceRow * scaled.width + from, sourceRow * scaled.width + to),
        offset + row * size + (from - left),
      );
    }
  });
  return packed;
}
