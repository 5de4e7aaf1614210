import { spawn } from 'node:child_process';
import { existsSync } from 'node:fs';
import { mkdir, mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import sharp from 'sharp';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { classifyCrop, decodeScan, loadThreatModel, torchAvailable } from '../src/modules/xray/index.js';

/**
 * `clearway xray train` as a user runs it: with Debian's python3-torch the CNN (exported to ONNX and
 * served by onnxruntime-node, thresholds cross-fitted over five folds), the bundled scan detector
 * kept, and data hash, seed and command in the manifest; without it, the TypeScript model and a line
 * that says so.
 */
const binary = join(process.cwd(), 'bin', 'clearway.js');
let folder: string;

function train(args: string[]): Promise<{ code: number | null; output: string }> {
  const child = spawn(process.execPath, [binary, 'xray', 'train', ...args], {
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let output = '';
  child.stdout.on('data', (chunk: Buffer) => (output += chunk.toString()));
  child.stderr.on('data', (chunk: Buffer) => (output += chunk.toString()));
  return new Promise((resolve) => child.on('close', (code) => resolve({ code, output })));
}

beforeAll(async () => {
  folder = await mkdtemp(join(tmpdir(), 'clearway-xray-train-'));
  // Two toy classes: a dense bar ("gun") and an empty tray ("other"), numbered 20 apart so that no
  // cross-fit fold's gap of numbers leaves a class out of its training.
  for (const [label, draw] of [
    ['gun', true],
    ['other', false],
  ] as const) {
    await mkdir(join(folder, 'data', label), { recursive: true });
    for (let index = 0; index < 6; index++) {
      const pixels = Buffer.alloc(64 * 64, 230 - index * 3);
      if (draw) for (let y = 20; y < 44; y++) for (let x = 8 + index; x < 56; x++) pixels[y * 64 + x] = 20;
      await writeFile(
        join(folder, 'data', label, `T0001_${String((index + 1) * 20).padStart(4, '0')}.png`),
        await sharp(pixels, { raw: { width: 64, height: 64, channels: 1 } })
          .png()
          .toBuffer(),
      );
    }
  }
});
afterAll(() => rm(folder, { recursive: true, force: true }));

describe.runIf(torchAvailable())('clearway xray train with python3-torch', () => {
  it(
    'trains the CNN into ONNX with cross-fitted thresholds, keeps the bundled detector, records how',
    { timeout: 600_000 },
    async () => {
      const out = join(folder, 'ensemble');
      const { code, output } = await train([
        '--data',
        join(folder, 'data'),
        '--out',
        out,
        '--epochs',
        '2',
        '--keep-detector',
        'models/xray/threat-model.json',
      ]);
      expect(code, output).toBe(0);
      expect(output).toContain('engine torch');
      const manifest = JSON.parse(await readFile(join(out, 'threat-model.json'), 'utf8'));
      expect(manifest).toMatchObject({ kind: 'onnx-classifier', onnx: 'threat-model.cnn.onnx' });
      expect(Object.keys(manifest.thresholds).sort()).toEqual(['gun']);
      expect(existsSync(join(out, 'threat-model.cnn.onnx'))).toBe(true);
      expect(existsSync(join(out, 'threat-detector.onnx'))).toBe(true);
      expect(manifest.training).toMatchObject({
        seed: 7,
        detectorKeptFrom: 'models/xray/threat-model.json',
        epochs: { cnn: 2 },
      });
      expect(manifest.training.command).toMatch(/^npx clearway xray train --data .* --epochs 2 /);
      expect(manifest.training.dataSha256).toMatch(/^[0-9a-f]{64}$/);
      expect(manifest.training.pythonSteps.cnn.torch).toMatch(/^\d/);
      expect(Object.keys(manifest.training.pythonSteps).sort()).toEqual([
        'cnn',
        'detector',
        'fold-1',
        'fold-2',
        'fold-3',
        'fold-4',
        'fold-5',
      ]);
      // Cross-fitted: every training crop is scored by the fold model that never saw it.
      expect(manifest.training.calibration.images).toBe(12);
      const model = await loadThreatModel(join(out, 'threat-model.json'));
      try {
        expect(model.kind === 'classifier' && model.detector).toBeTruthy();
        const crop = await decodeScan(await readFile(join(folder, 'data', 'gun', 'T0001_0020.png')));
        const result = await classifyCrop(crop, model);
        expect(Object.values(result.probabilities).reduce((sum, value) => sum + value, 0)).toBeCloseTo(1, 3);
      } finally {
        await model.dispose();
      }
    },
  );
});

describe.runIf(!torchAvailable())('clearway xray train without python3-torch', () => {
  it('says so and trains the TypeScript HOG model', { timeout: 120_000 }, async () => {
    const out = join(folder, 'hog');
    const { code, output } = await train(['--data', join(folder, 'data'), '--out', out, '--epochs', '5']);
    expect(code, output).toBe(0);
    expect(output).toContain('python3-torch is not installed');
    const manifest = JSON.parse(await readFile(join(out, 'threat-model.json'), 'utf8'));
    expect(manifest).toMatchObject({ kind: 'hog-softmax', training: { engine: 'hog', seed: 7 } });
  });
});
