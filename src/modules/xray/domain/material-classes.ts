import { attenuationOf, type PixelBox, type ScanImage } from './scan-image.js';

/**
 * Material class of a pixel, as scanners show it: organic (low Z: food, plastics, drugs, explosives),
 * inorganic (mixed or light inorganic: aluminium, glass, salts), metal (high Z: steel, copper, lead).
 * `background` is air or too thin to tell. Pixels so dense that nothing measurable passed are `metal`
 * too: in parcels that is almost always thick metal, and an analyst must look at them anyway.
 */
export type MaterialClass = 'background' | 'organic' | 'inorganic' | 'metal';

export const materialClasses: readonly MaterialClass[] = ['background', 'organic', 'inorganic', 'metal'];

/** Codes stored in a {@link MaterialMap}, index into {@link materialClasses}. */
export const materialCode: Record<MaterialClass, number> = {
  background: 0,
  organic: 1,
  inorganic: 2,
  metal: 3,
};

/** One material class per pixel (codes of {@link materialCode}) and where it came from. */
export interface MaterialMap {
  readonly width: number;
  readonly height: number;
  readonly codes: Uint8Array;
  readonly source: 'dual-energy' | 'pseudo-colour' | 'density';
}

/**
 * Thresholds of the dual-energy classifier. R = ln(T_low) / ln(T_high), the ratio of attenuations at the
 * two energies, grows with the effective atomic number because photo-absorption, strongest for high Z,
 * dominates at low energy. Defaults follow the usual Zeff bands (organic < 10 < inorganic < 18 < metal);
 * calibrate them per scanner with step wedges.
 */
export interface DualEnergyThresholds {
  /** High-energy attenuation (scaled 0..1) below which a pixel is background. */
  readonly backgroundAttenuation: number;
  /** High-energy transmission below which the ratio is noise and the pixel counts as opaque metal. */
  readonly opaqueTransmission: number;
  readonly organicMaxRatio: number;
  readonly inorganicMaxRatio: number;
}

export const defaultDualEnergyThresholds: DualEnergyThresholds = {
  backgroundAttenuation: 0.04,
  opaqueTransmission: 0.02,
  organicMaxRatio: 1.25,
  inorganicMaxRatio: 1.55,
};

/** Material of one pixel from its high- and low-energy transmissions (each 0..1). */
export function dualEnergyMaterial(
  highTransmission: number,
  lowTransmission: number,
  thresholds: DualEnergyThresholds = defaultDualEnergyThresholds,
): MaterialClass {
  if (attenuationOf(highTransmission) < thresholds.backgroundAttenuation) return 'background';
  if (highTransmission < thresholds.opaqueTransmission) return 'metal';
  const ratio = Math.log(Math.max(lowTransmission, 1e-4)) / Math.log(Math.min(highTransmission, 0.9999));
  if (ratio <= thresholds.organicMaxRatio) return 'organic';
  if (ratio <= thresholds.inorganicMaxRatio) return 'inorganic';
  return 'metal';
}

/** Hue in degrees (0..360), saturation and value (0..1) of an RGB colour. */
export function rgbToHsv(
  red: number,
  green: number,
  blue: number,
): { hue: number; saturation: number; value: number } {
  const r = red / 255;
  const g = green / 255;
  const b = blue / 255;
  const max = Math.max(r, g, b);
  const min = Math.min(r, g, b);
  const delta = max - min;
  let hue = 0;
  if (delta > 0) {
    if (max === r) hue = 60 * (((g - b) / delta + 6) % 6);
    else if (max === g) hue = 60 * ((b - r) / delta + 2);
    else hue = 60 * ((r - g) / delta + 4);
  }
  return { hue, saturation: max === 0 ? 0 : delta / max, value: max };
}

/**
 * Material of a pseudo-colour pixel from its hue: orange/yellow = organic, green = inorganic (mixed),
 * blue/violet = metal. Near-white or unsaturated pixels are background; near-black ones are opaque, which
 * scanners draw for thick metal.
 */
export function pseudoColourMaterial(red: number, green: number, blue: number): MaterialClass {
  const { hue, saturation, value } = rgbToHsv(red, green, blue);
  if (value < 0.12) return 'metal';
  if (saturation < 0.18) return value > 0.8 ? 'background' : 'inorganic';
  if (hue < 55 || hue >= 330) return 'organic';
  if (hue < 170) return 'inorganic';
  return 'metal';
}

/** Density bands of single-energy grey scans, from attenuation (0 = air, 1 = opaque). */
export type DensityClass = 'air' | 'light' | 'medium' | 'dense';

/** Attenuation limits of the density bands; `dense` is where metal objects (guns, blades) lie. */
export const densityLimits = { air: 0.05, light: 0.25, medium: 0.5 } as const;

/** Density band of a grey level (transmission 0..1). */
export function densityClassOf(transmission: number): DensityClass {
  const attenuation = attenuationOf(transmission);
  if (attenuation < densityLimits.air) return 'air';
  if (attenuation < densityLimits.light) return 'light';
  if (attenuation < densityLimits.medium) return 'medium';
  return 'dense';
}

/** Maps a density band onto the material classes, for scans that carry no atomic-number information. */
const densityAsMaterial: Record<DensityClass, MaterialClass> = {
  air: 'background',
  light: 'organic',
  medium: 'inorganic',
  dense: 'metal',
};

/**
 * Material map of a scan: from the low-energy image when one is given (dual energy), else from hue for
 * pseudo-colour scans, else a density-only approximation from grey level (marked `source: 'density'`,
 * because grey level alone cannot separate a thick book from a thin steel plate).
 */
export function classifyMaterials(
  scan: ScanImage,
  lowEnergy?: ScanImage,
  thresholds?: DualEnergyThresholds,
): MaterialMap {
  const pixelCount = scan.width * scan.height;
  const codes = new Uint8Array(pixelCount);
  if (lowEnergy) {
    if (lowEnergy.width !== scan.width || lowEnergy.height !== scan.height)
      throw new RangeError('dual-energy images differ in size');
    for (let pixel = 0; pixel < pixelCount; pixel++) {
      codes[pixel] =
        materialCode[dualEnergyMaterial(scan.transmission[pixel], lowEnergy.transmission[pixel], thresholds)];
    }
    return { width: scan.width, height: scan.height, codes, source: 'dual-energy' };
  }
  if (scan.pseudoColour && scan.rgb) {
    const rgb = scan.rgb;
    for (let pixel = 0; pixel < pixelCount; pixel++) {
      codes[pixel] =
        materialCode[pseudoColourMaterial(rgb[pixel * 3], rgb[pixel * 3 + 1], rgb[pixel * 3 + 2])];
    }
    return { width: scan.width, height: scan.height, codes, source: 'pseudo-colour' };
  }
  for (let pixel = 0; pixel < pixelCount; pixel++)
    codes[pixel] = materialCode[densityAsMaterial[densityClassOf(scan.transmission[pixel])]];
  return { width: scan.width, height: scan.height, codes, source: 'density' };
}

/** A connected region of one material, e.g. a dense metal blob of handgun size. */
export interface MaterialRegion extends PixelBox {
  readonly material: MaterialClass;
  /** Pixels of the region (not of its box). */
  readonly area: number;
}

/**
 * Connected regions (8-neighbourhood) of the given material at least `minimumArea` pixels large, largest
 * first. Used as features ("dense metal region of gun size") and as detector proposals.
 */
export function materialRegions(
  map: MaterialMap,
  material: MaterialClass,
  minimumArea = 1,
): MaterialRegion[] {
  const { width, height, codes } = map;
  const wanted = materialCode[material];
  const visited = new Uint8Array(codes.length);
  const stack = new Int32Array(codes.length);
  const regions: MaterialRegion[] = [];
  for (let start = 0; start < codes.length; start++) {
    if (visited[start] || codes[start] !== wanted) continue;
    let top = 0;
    stack[top++] = start;
    visited[start] = 1;
    let area = 0;
    let minX = width;
    let minY = height;
    let maxX = 0;
    let maxY = 0;
    while (top > 0) {
      const pixel = stack[--top];
      const x = pixel % width;
      const y = (pixel - x) / width;
      area += 1;
      if (x < minX) minX = x;
      if (x > maxX) maxX = x;
      if (y < minY) minY = y;
      if (y > maxY) maxY = y;
      for (let dy = -1; dy <= 1; dy++) {
        const ny = y + dy;
        if (ny < 0 || ny >= height) continue;
        for (let dx = -1; dx <= 1; dx++) {
          const nx = x + dx;
          if (nx < 0 || nx >= width) continue;
          const neighbour = ny * width + nx;
          if (!visited[neighbour] && codes[neighbour] === wanted) {
            visited[neighbour] = 1;
            stack[top++] = neighbour;
          }
        }
      }
    }
    if (area >= minimumArea)
      regions.push({ material, area, x: minX, y: minY, width: maxX - minX + 1, height: maxY - minY + 1 });
  }
  return regions.sort((a, b) => b.area - a.area);
}

/** What a scan contains by material: shares of the non-background area and the largest metal regions. */
export interface MaterialSummary {
  readonly source: MaterialMap['source'];
  /** Share of the object (non-background) area per class. */
  readonly fractions: Record<Exclude<MaterialClass, 'background'>, number>;
  /** Share of the scan that is background. */
  readonly backgroundFraction: number;
  /** Metal (or, on grey scans, dense) regions covering at least 0.2 % of the scan, largest first. */
  readonly metalRegions: MaterialRegion[];
}

/** Summarises a material map; the metal regions are the "dense region of gun size" features. */
export function summariseMaterials(map: MaterialMap, maxRegions = 10): MaterialSummary {
  const counts = [0, 0, 0, 0];
  for (const code of map.codes) counts[code] += 1;
  const objectPixels = counts[1] + counts[2] + counts[3];
  const share = (count: number) => (objectPixels === 0 ? 0 : count / objectPixels);
  const minimumArea = Math.max(16, Math.round(map.codes.length * 0.002));
  return {
    source: map.source,
    fractions: { organic: share(counts[1]), inorganic: share(counts[2]), metal: share(counts[3]) },
    backgroundFraction: counts[0] / map.codes.length,
    metalRegions: materialRegions(map, 'metal', minimumArea).slice(0, maxRegions),
  };
}
