import { mkdir, mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import sharp from 'sharp';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { greyScan } from '../domain/scan-image.js';
import { trainThreatModel } from './threat-model-training.js';
import {
  bundledThreatModel,
  classifyCrop,
  decodeScan,
  detectThreats,
  loadThreatModel,
  renderAnnotated,
} from './threat-recognition.js';

const fixture = (name: string) => fileURLToPath(new URL(`./fixtures/${name}`, import.meta.url));

afterAll(async () => (await bundledThreatModel()).dispose());

describe('bundled threat model on real GDXray crops', () => {
  it.each([
    ['gun-B0049_0071.jpg', 'gun'],
    ['shuriken-B0050_0036.jpg', 'shuriken'],
    ['razor_blade-B0081_0024.jpg', 'razor_blade'],
    ['other-B0078_0400.jpg', 'other'],
  ])('names %s as %s', async (file, label) => {
    const result = await classifyCrop(await decodeScan(await readFile(fixture(file))));
    expect(result.label).toBe(label);
    expect(result.isThreat).toBe(label !== 'other');
    expect(Object.values(result.probabilities).reduce((sum, value) => sum + value, 0)).toBeCloseTo(1, 2);
  });
});

describe('detection and rendering', () => {
  // A bag-like grey scan with a dense L-shaped object (the outline of a handgun) in it.
  const width = 320;
  const height = 240;
  const transmission = new Float32Array(width * height).fill(0.9);
  for (let y = 60; y < 90; y++) for (let x = 80; x < 220; x++) transmission[y * width + x] = 0.03;
  for (let y = 90; y < 170; y++) for (let x = 180; x < 215; x++) transmission[y * width + x] = 0.03;
  const scan = greyScan(width, height, transmission);

  it('returns boxes inside the scan and a material summary', async () => {
    const result = await detectThreats(scan);
    expect(result.width).toBe(width);
    for (const box of result.boxes) {
      expect(box.x).toBeGreaterThanOrEqual(0);
      expect(box.x + box.width).toBeLessThanOrEqual(width);
      expect(box.score).toBeGreaterThanOrEqual(0.6);
    }
    expect(result.materials.source).toBe('density');
    expect(result.materials.metalRegions[0]).toMatchObject({ x: 80, y: 60, width: 140, height: 110 });
  });

  it('renders an annotated PNG of the scan size, with a material overlay', async () => {
    const png = await renderAnnotated(
      scan,
      [{ label: 'gun', score: 0.93, x: 80, y: 60, width: 140, height: 110 }],
      { materialOverlay: true },
    );
    const metadata = await sharp(png).metadata();
    expect(metadata).toMatchObject({ format: 'png', width, height });
    // The box outline is drawn in the threat colour (red) over the grey scan.
    const { data, info } = await sharp(png).raw().toBuffer({ resolveWithObject: true });
    const pixel = (60 * width + 150) * info.channels;
    expect(data[pixel]).toBeGreaterThan(200);
    expect(data[pixel + 1]).toBeLessThan(80);
  });
});

describe('pure TypeScript training path', () => {
  let folder: string;
  beforeAll(async () => {
    folder = await mkdtemp(join(tmpdir(), 'clearway-xray-test-'));
    // Two toy classes: a dense bar ("gun") and an empty tray ("other").
    for (const [label, draw] of [
      ['gun', true],
      ['other', false],
    ] as const) {
      await mkdir(join(folder, 'data', label), { recursive: true });
      for (let index = 0; index < 6; index++) {
        const pixels = Buffer.alloc(64 * 64, 230 - index * 3);
        if (draw) for (let y = 20; y < 44; y++) for (let x = 8 + index; x < 56; x++) pixels[y * 64 + x] = 20;
        await writeFile(
          // Numbers 20 apart: no cross-fit fold's gap of 5 numbers leaves a class out of its training.
          join(folder, 'data', label, `T0001_${String((index + 1) * 20).padStart(4, '0')}.png`),
          await sharp(pixels, { raw: { width: 64, height: 64, channels: 1 } })
            .png()
            .toBuffer(),
        );
      }
    }
  });
  afterAll(() => rm(folder, { recursive: true, force: true }));

  it('trains a HOG model that a fresh process can load and use', async () => {
    const result = await trainThreatModel({
      dataDir: join(folder, 'data'),
      out: join(folder, 'model.json'),
      engine: 'hog',
      epochs: 15,
    });
    expect(result).toMatchObject({ engine: 'hog', images: 12, trainedOn: 12 });
    expect(result.dataSha256).toMatch(/^[0-9a-f]{64}$/);
    // Cross-fitted: every crop scored by the fold model that never saw it, the gun threshold set on them.
    expect(result.calibration?.images).toBe(12);
    expect(result.thresholds?.gun).toBeGreaterThanOrEqual(0.2);
    const manifest = JSON.parse(await readFile(result.manifestPath!, 'utf8'));
    expect(manifest.training).toMatchObject({ dataSha256: result.dataSha256, seed: 7, engine: 'hog' });
    expect(manifest.thresholds).toEqual(result.thresholds);
    const model = await loadThreatModel(result.manifestPath!);
    const crop = await decodeScan(await readFile(join(folder, 'data', 'gun', 'T0001_0020.png')));
    expect((await classifyCrop(crop, model)).label).toBe('gun');
  });
});
