/**
 * A decoded X-ray scan. `transmission` is the grey level scaled to [0, 1] (1 = X-rays passed freely,
 * 0 = fully absorbed), whatever the bit depth of the file, so that every later step works on one scale.
 * `rgb` is kept for pseudo-colour scans because their hue carries the material class.
 */
export interface ScanImage {
  readonly width: number;
  readonly height: number;
  readonly transmission: Float32Array;
  readonly rgb?: Uint8Array;
  /** Bits per sample in the source file (8 or 16); informative only. */
  readonly bitDepth: number;
  /** True when the source had distinct colour channels (a pseudo-colour rendering). */
  readonly pseudoColour: boolean;
}

/** An axis-aligned rectangle in pixel coordinates of a scan. */
export interface PixelBox {
  readonly x: number;
  readonly y: number;
  readonly width: number;
  readonly height: number;
}

/** A labelled box with the model's confidence, in scan pixel coordinates. */
export interface Detection extends PixelBox {
  readonly label: string;
  readonly score: number;
}

/** Grey level below which a pixel is treated as saturated (nothing measurable passed). */
const minimumTransmission = 1 / 256;

/**
 * Attenuation (optical density) scaled to [0, 1]: -ln(transmission) / ln(256). Models take attenuation
 * rather than grey level because overlapping objects add in attenuation (Beer-Lambert), which is what
 * the clutter augmentation and the density features rely on.
 */
export function attenuationOf(transmission: number): number {
  const clamped =
    transmission < minimumTransmission ? minimumTransmission : transmission > 1 ? 1 : transmission;
  return -Math.log(clamped) / Math.log(256);
}

/** Builds a grey scan from transmission values; handy for tests and synthetic inputs. */
export function greyScan(width: number, height: number, transmission: Float32Array): ScanImage {
  if (transmission.length !== width * height)
    throw new RangeError('transmission length does not match width x height');
  return { width, height, transmission, bitDepth: 8, pseudoColour: false };
}
