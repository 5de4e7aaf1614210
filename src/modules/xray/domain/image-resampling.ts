import type { PixelBox } from './scan-image.js';

/** Source taps of one output sample along one axis; an index of -1 stands for "outside the image". */
interface AxisTaps {
  readonly indices: Int32Array;
  readonly weights: Float32Array;
  readonly offsets: Int32Array;
}

/**
 * Taps for resampling `span` source pixels starting at `start` onto `outputLength` samples. Shrinking uses
 * exact area coverage (no aliasing of fine texture such as razor-blade serrations); enlarging uses linear
 * interpolation so that small crops do not turn blocky.
 */
function axisTaps(start: number, span: number, outputLength: number, sourceLength: number): AxisTaps {
  const scale = span / outputLength;
  const indices: number[] = [];
  const weights: number[] = [];
  const offsets = new Int32Array(outputLength + 1);
  const inside = (index: number) => (index >= 0 && index < sourceLength ? index : -1);
  for (let output = 0; output < outputLength; output++) {
    offsets[output] = indices.length;
    if (scale >= 1) {
      const from = start + output * scale;
      const to = from + scale;
      for (let source = Math.floor(from); source < Math.ceil(to); source++) {
        const coverage = Math.min(to, source + 1) - Math.max(from, source);
        if (coverage <= 0) continue;
        indices.push(inside(source));
        weights.push(coverage / scale);
      }
    } else {
      const centre = start + (output + 0.5) * scale - 0.5;
      const left = Math.floor(centre);
      const fraction = centre - left;
      indices.push(inside(left), inside(left + 1));
      weights.push(1 - fraction, fraction);
    }
  }
  offsets[outputLength] = indices.length;
  return { indices: Int32Array.from(indices), weights: Float32Array.from(weights), offsets };
}

/**
 * Resamples the `region` of a single-channel image to `outputWidth` x `outputHeight`. The region may
 * reach outside the image; those pixels take `fill`, which lets callers letterbox without copying.
 */
export function resampleRegion(
  values: Float32Array,
  width: number,
  height: number,
  region: PixelBox,
  outputWidth: number,
  outputHeight: number,
  fill = 0,
): Float32Array {
  const columns = axisTaps(region.x, region.width, outputWidth, width);
  const rows = axisTaps(region.y, region.height, outputHeight, height);
  // Horizontal pass over every source row the vertical taps touch, cached by row index.
  const horizontal = new Map<number, Float32Array>();
  const rowSamples = (row: number): Float32Array => {
    let cached = horizontal.get(row);
    if (cached) return cached;
    cached = new Float32Array(outputWidth);
    const base = row * width;
    for (let output = 0; output < outputWidth; output++) {
      let sum = 0;
      for (let tap = columns.offsets[output]; tap < columns.offsets[output + 1]; tap++) {
        const index = columns.indices[tap];
        sum += columns.weights[tap] * (index < 0 ? fill : values[base + index]);
      }
      cached[output] = sum;
    }
    horizontal.set(row, cached);
    return cached;
  };
  const result = new Float32Array(outputWidth * outputHeight);
  for (let outputRow = 0; outputRow < outputHeight; outputRow++) {
    const target = outputRow * outputWidth;
    for (let tap = rows.offsets[outputRow]; tap < rows.offsets[outputRow + 1]; tap++) {
      const row = rows.indices[tap];
      const weight = rows.weights[tap];
      if (row < 0) {
        for (let column = 0; column < outputWidth; column++) result[target + column] += weight * fill;
      } else {
        const samples = rowSamples(row);
        for (let column = 0; column < outputWidth; column++)
          result[target + column] += weight * samples[column];
      }
    }
  }
  return result;
}

/** The square that contains `box`, centred on it; used so that no model input is ever stretched. */
export function enclosingSquare(box: PixelBox): PixelBox {
  const side = Math.max(box.width, box.height);
  return { x: box.x + (box.width - side) / 2, y: box.y + (box.height - side) / 2, width: side, height: side };
}

/** Median of the outermost ring of pixels: the background level used to pad a crop to a square. */
export function borderMedian(values: Float32Array, width: number, height: number): number {
  const ring: number[] = [];
  for (let x = 0; x < width; x++) ring.push(values[x], values[(height - 1) * width + x]);
  for (let y = 1; y < height - 1; y++) ring.push(values[y * width], values[y * width + width - 1]);
  ring.sort((a, b) => a - b);
  return ring[Math.floor(ring.length / 2)] ?? 0;
}
