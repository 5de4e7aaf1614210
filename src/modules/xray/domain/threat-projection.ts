import { borderMedian, resampleRegion } from './image-resampling.js';
import { intersectionOverSmaller } from './non-max-suppression.js';
import type { PixelBox } from './scan-image.js';

/**
 * Threat image projection (TIP) into whole scans, in attenuation: overlapping objects add
 * (Beer-Lambert), so a threat crop photographed on air, added into a bag's attenuation, looks as it
 * would packed in that bag, and its box is exact because we placed it. Detector training projects in
 * Python (scripts/xray/train_threat_detector.py); this is the same physics for the scans the scan
 * threshold is chosen on.
 */

/** A crop is "on air" when its border is below this attenuation: only then is its object's outline known. */
const airBorder = 0.08;
/** Pixels above this share of the projected object's peak make its box (what an annotator would draw). */
const boxLevel = 0.12;

/** An attenuation map: row-major, width x height. */
export interface AttenuationImage {
  readonly width: number;
  readonly height: number;
  readonly attenuation: Float32Array;
}

/**
 * The object of a square crop photographed on air: attenuation above the crop's border level, or
 * undefined for a crop cut from a bag (its clutter would come with it, and its box would be wrong).
 */
export function isolatedObject(input: Float32Array, side: number): AttenuationImage | undefined {
  const border = borderMedian(input, side, side);
  if (border >= airBorder) return undefined;
  const attenuation = new Float32Array(input.length);
  for (let index = 0; index < input.length; index++) attenuation[index] = Math.max(0, input[index] - border);
  return { width: side, height: side, attenuation };
}

/** The image turned clockwise by `quarterTurns` right angles (a bag lies any way round on the belt). */
export function turned(image: AttenuationImage, quarterTurns: number): AttenuationImage {
  const turns = ((quarterTurns % 4) + 4) % 4;
  const { width, height, attenuation } = image;
  const odd = turns % 2 === 1;
  const outWidth = odd ? height : width;
  const outHeight = odd ? width : height;
  const result = new Float32Array(attenuation.length);
  for (let y = 0; y < outHeight; y++)
    for (let x = 0; x < outWidth; x++) {
      const [sourceX, sourceY] =
        turns === 0
          ? [x, y]
          : turns === 1
            ? [y, height - 1 - x]
            : turns === 2
              ? [width - 1 - x, height - 1 - y]
              : [width - 1 - y, x];
      result[y * outWidth + x] = attenuation[sourceY * width + sourceX];
    }
  return { width: outWidth, height: outHeight, attenuation: result };
}

/** A box of a `width` x `height` image, where it lies once the image is turned as {@link turned} turns it. */
export function turnedBox(box: PixelBox, width: number, height: number, quarterTurns: number): PixelBox {
  const turns = ((quarterTurns % 4) + 4) % 4;
  if (turns === 0) return box;
  const right = box.x + box.width;
  const bottom = box.y + box.height;
  if (turns === 1) return { x: height - bottom, y: box.x, width: box.height, height: box.width };
  if (turns === 2) return { x: width - right, y: height - bottom, width: box.width, height: box.height };
  return { x: box.y, y: width - right, width: box.height, height: box.width };
}

/** The image mirrored left to right. */
export function mirrored(image: AttenuationImage): AttenuationImage {
  const { width, height, attenuation } = image;
  const result = new Float32Array(attenuation.length);
  for (let y = 0; y < height; y++)
    for (let x = 0; x < width; x++) result[y * width + x] = attenuation[y * width + width - 1 - x];
  return { width, height, attenuation: result };
}

/** Where and how large the object goes: its square image scaled to `side` px, its top-left at (x, y). */
export interface Placement {
  readonly x: number;
  readonly y: number;
  readonly side: number;
}

/**
 * Adds `object` (square) into `scan` at `placement`, clipped to the scan; the new attenuation and the
 * box of the pixels the object darkens noticeably, or undefined when less than 70 % of the object lands
 * inside the scan (a threat mostly outside the picture would be a threat without a box).
 */
export function projectObject(
  scan: AttenuationImage,
  object: AttenuationImage,
  placement: Placement,
): { attenuation: Float32Array; box: PixelBox } | undefined {
  const side = Math.max(1, Math.round(placement.side));
  const layer = resampleRegion(
    object.attenuation,
    object.width,
    object.height,
    { x: 0, y: 0, width: object.width, height: object.height },
    side,
    side,
  );
  const left = Math.round(placement.x);
  const top = Math.round(placement.y);
  const attenuation = Float32Array.from(scan.attenuation);
  let total = 0;
  let inside = 0;
  let peak = 0;
  for (const value of layer) {
    total += value;
    peak = Math.max(peak, value);
  }
  let [x0, y0, x1, y1] = [Infinity, Infinity, -Infinity, -Infinity];
  for (let y = 0; y < side; y++)
    for (let x = 0; x < side; x++) {
      const value = layer[y * side + x];
      const scanX = left + x;
      const scanY = top + y;
      if (scanX < 0 || scanY < 0 || scanX >= scan.width || scanY >= scan.height) continue;
      attenuation[scanY * scan.width + scanX] += value;
      inside += value;
      if (value > boxLevel * peak) {
        x0 = Math.min(x0, scanX);
        y0 = Math.min(y0, scanY);
        x1 = Math.max(x1, scanX + 1);
        y1 = Math.max(y1, scanY + 1);
      }
    }
  if (total === 0 || inside < 0.7 * total) return undefined;
  return { attenuation, box: { x: x0, y: y0, width: x1 - x0, height: y1 - y0 } };
}

/** The box of an object's pixels above {@link boxLevel} of its peak, in its own image. */
export function objectBox(object: AttenuationImage): PixelBox | undefined {
  return projectObject(
    {
      width: object.width,
      height: object.height,
      attenuation: new Float32Array(object.attenuation.length),
    },
    object,
    { x: 0, y: 0, side: object.width },
  )?.box;
}

/** A scan to choose the scan threshold on: its attenuation and every threat's box in it. */
export interface CalibrationScan {
  readonly image: AttenuationImage;
  readonly truth: readonly PixelBox[];
  /** How many of the truth boxes were projected (the rest are the scan's own threats). */
  readonly projected: number;
}

/** Pixels of a scan at or above this attenuation are inside the bag: projected threats are packed there. */
const bagLevel = 0.05;
/**
 * The projected object's longer side as a share of the scan's longer side: the handguns boxed in the
 * training bags span 0.26 to 0.50 of it.
 */
const projectedExtent = { smallest: 0.25, largest: 0.45 };

/**
 * The scan in its three other right-angle turns, each with one isolated threat projected into the bag
 * (a random object, mirrored and turned at random, away from the scan's own threats): three more scans
 * of that bag's clutter in poses the service's mirror views do not cover, with a threat more in each.
 * Seeded through `random`, so a training run is reproducible.
 */
export function projectedTurns(
  scan: AttenuationImage,
  truth: readonly PixelBox[],
  threats: readonly AttenuationImage[],
  random: () => number,
): CalibrationScan[] {
  const result: CalibrationScan[] = [];
  for (const quarterTurns of [1, 2, 3]) {
    const image = turned(scan, quarterTurns);
    const boxes = truth.map((box) => turnedBox(box, scan.width, scan.height, quarterTurns));
    const projection = threats.length === 0 ? undefined : projectOneThreat(image, boxes, threats, random);
    result.push(
      projection
        ? {
            image: { ...image, attenuation: projection.attenuation },
            truth: [...boxes, projection.box],
            projected: 1,
          }
        : { image, truth: boxes, projected: 0 },
    );
  }
  return result;
}

function projectOneThreat(
  image: AttenuationImage,
  truth: readonly PixelBox[],
  threats: readonly AttenuationImage[],
  random: () => number,
): { attenuation: Float32Array; box: PixelBox } | undefined {
  for (let attempt = 0; attempt < 50; attempt++) {
    let object = threats[Math.floor(random() * threats.length)];
    if (random() < 0.5) object = mirrored(object);
    object = turned(object, Math.floor(random() * 4));
    const own = objectBox(object);
    if (!own) continue;
    const extent = projectedExtent.smallest + (projectedExtent.largest - projectedExtent.smallest) * random();
    const side =
      (object.width * extent * Math.max(image.width, image.height)) / Math.max(own.width, own.height);
    const centre = bagPixel(image, random);
    if (!centre) return undefined;
    // The object's box, not its square image, is centred on the bag pixel.
    const scale = side / object.width;
    const placement = {
      x: centre.x - (own.x + own.width / 2) * scale,
      y: centre.y - (own.y + own.height / 2) * scale,
      side,
    };
    const projection = projectObject(image, object, placement);
    // On top of a real threat the two boxes would be one object to the detector and two to the count.
    if (projection && truth.every((box) => intersectionOverSmaller(projection.box, box) < 0.1))
      return projection;
  }
  return undefined;
}

function bagPixel(image: AttenuationImage, random: () => number): { x: number; y: number } | undefined {
  for (let attempt = 0; attempt < 500; attempt++) {
    const x = Math.floor(random() * image.width);
    const y = Math.floor(random() * image.height);
    if (image.attenuation[y * image.width + x] >= bagLevel) return { x, y };
  }
  return undefined;
}
