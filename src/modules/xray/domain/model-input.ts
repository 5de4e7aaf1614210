import { borderMedian, enclosingSquare, resampleRegion } from './image-resampling.js';
import { attenuationOf, type PixelBox, type ScanImage } from './scan-image.js';

/** Attenuation (0 = air, 1 = opaque) of every pixel of a scan, the representation all models read. */
export function attenuationMap(scan: ScanImage): Float32Array {
  const result = new Float32Array(scan.transmission.length);
  for (let index = 0; index < result.length; index++) result[index] = attenuationOf(scan.transmission[index]);
  return result;
}

/**
 * The square model input (size x size attenuation, row-major) for a region of a scan: the region is
 * widened to its enclosing square so shapes keep their proportions, and what falls outside the scan takes
 * `fill` (the scan's background level by default).
 */
export function regionModelInput(
  attenuation: Float32Array,
  width: number,
  height: number,
  region: PixelBox,
  size: number,
  fill?: number,
): Float32Array {
  const background = fill ?? borderMedian(attenuation, width, height);
  return resampleRegion(attenuation, width, height, enclosingSquare(region), size, size, background);
}

/** Model input for a whole crop (a picture of one object), padded to a square with its background. */
export function cropModelInput(
  scan: ScanImage,
  size: number,
  attenuation = attenuationMap(scan),
): Float32Array {
  return regionModelInput(
    attenuation,
    scan.width,
    scan.height,
    { x: 0, y: 0, width: scan.width, height: scan.height },
    size,
  );
}
