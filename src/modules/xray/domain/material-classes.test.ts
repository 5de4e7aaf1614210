import { describe, expect, it } from 'vitest';
import {
  classifyMaterials,
  densityClassOf,
  dualEnergyMaterial,
  materialCode,
  materialRegions,
  pseudoColourMaterial,
  summariseMaterials,
} from './material-classes.js';
import { greyScan, type ScanImage } from './scan-image.js';

/** Transmission of a slab with attenuation coefficient x thickness = mu. */
const slab = (mu: number) => Math.exp(-mu);

describe('dual-energy material classes', () => {
  it('tells organic, inorganic and metal apart by the low/high attenuation ratio', () => {
    // Same high-energy attenuation; the low-energy image is darker the higher the atomic number.
    expect(dualEnergyMaterial(slab(1), slab(1.1))).toBe('organic');
    expect(dualEnergyMaterial(slab(1), slab(1.4))).toBe('inorganic');
    expect(dualEnergyMaterial(slab(1), slab(2.2))).toBe('metal');
  });

  it('calls thin material background and opaque pixels metal', () => {
    expect(dualEnergyMaterial(0.995, 0.99)).toBe('background');
    expect(dualEnergyMaterial(0.005, 0.001)).toBe('metal');
  });

  it('classifies a whole dual-energy pair pixel by pixel', () => {
    const high = greyScan(3, 1, Float32Array.from([0.999, slab(1), slab(1)]));
    const low = greyScan(3, 1, Float32Array.from([0.999, slab(1.1), slab(2.2)]));
    const map = classifyMaterials(high, low);
    expect(map.source).toBe('dual-energy');
    expect(Array.from(map.codes)).toEqual([
      materialCode.background,
      materialCode.organic,
      materialCode.metal,
    ]);
  });
});

describe('pseudo-colour material classes', () => {
  it('reads scanner hues: orange organic, green inorganic, blue metal', () => {
    expect(pseudoColourMaterial(240, 150, 40)).toBe('organic');
    expect(pseudoColourMaterial(60, 180, 70)).toBe('inorganic');
    expect(pseudoColourMaterial(40, 80, 220)).toBe('metal');
  });

  it('treats white as background and near-black as opaque metal', () => {
    expect(pseudoColourMaterial(250, 250, 250)).toBe('background');
    expect(pseudoColourMaterial(10, 10, 20)).toBe('metal');
  });

  it('uses hue for pseudo-colour scans', () => {
    const rgb = Uint8Array.from([250, 250, 250, 240, 150, 40, 40, 80, 220]);
    const scan: ScanImage = {
      width: 3,
      height: 1,
      transmission: new Float32Array(3).fill(0.5),
      rgb,
      bitDepth: 8,
      pseudoColour: true,
    };
    const map = classifyMaterials(scan);
    expect(map.source).toBe('pseudo-colour');
    expect(Array.from(map.codes)).toEqual([0, 1, 3]);
  });
});

describe('density from grey level', () => {
  it('orders grey levels from air to dense', () => {
    expect(densityClassOf(0.99)).toBe('air');
    expect(densityClassOf(0.6)).toBe('light');
    expect(densityClassOf(0.15)).toBe('medium');
    expect(densityClassOf(0.02)).toBe('dense');
  });

  it('finds a dense region of handgun size in a grey scan', () => {
    const width = 100;
    const height = 80;
    const transmission = new Float32Array(width * height).fill(0.95);
    for (let y = 20; y < 50; y++) for (let x = 10; x < 60; x++) transmission[y * width + x] = 0.02;
    const summary = summariseMaterials(classifyMaterials(greyScan(width, height, transmission)));
    expect(summary.source).toBe('density');
    expect(summary.metalRegions[0]).toMatchObject({
      x: 10,
      y: 20,
      width: 50,
      height: 30,
      area: 1500,
      material: 'metal',
    });
    expect(summary.fractions.metal).toBeCloseTo(1);
  });

  it('separates regions that do not touch', () => {
    const map = { width: 5, height: 1, codes: Uint8Array.from([3, 3, 0, 3, 0]), source: 'density' as const };
    expect(materialRegions(map, 'metal').map((region) => region.area)).toEqual([2, 1]);
  });
});
