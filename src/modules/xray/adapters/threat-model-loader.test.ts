import { copyFile, mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { averagingEnsemble, loadThreatModel } from './threat-model-loader.js';
import type { ThreatCropClassifier } from './threat-model.js';

const tinyYolo = fileURLToPath(new URL('./fixtures/tiny-yolo.onnx', import.meta.url));

/** A classifier that always answers the same probabilities. */
const constant = (probabilities: number[], labels = ['gun', 'other']): ThreatCropClassifier => ({
  kind: 'classifier',
  labels,
  inputSize: 4,
  description: 'constant',
  predict: async (_inputs, count) =>
    Float32Array.from({ length: count * labels.length }, (_, index) => probabilities[index % labels.length]),
  dispose: async () => {},
});

describe('loading threat models', () => {
  let folder: string;
  beforeAll(async () => {
    folder = await mkdtemp(join(tmpdir(), 'clearway-xray-models-'));
  });
  afterAll(() => rm(folder, { recursive: true, force: true }));

  it('refuses a manifest that is not JSON or not ours', async () => {
    await writeFile(join(folder, 'broken.json'), '{ not json');
    await writeFile(join(folder, 'foreign.json'), '{"format":"something-else"}');
    await expect(loadThreatModel(join(folder, 'broken.json'))).rejects.toMatchObject({
      code: 'invalid_model',
    });
    await expect(loadThreatModel(join(folder, 'foreign.json'))).rejects.toThrow(
      /not a clearway-xray-model\/1 manifest/,
    );
  });

  it('asks for a labels file beside a bare ONNX model', async () => {
    await copyFile(tinyYolo, join(folder, 'detector.onnx'));
    await expect(loadThreatModel(join(folder, 'detector.onnx'))).rejects.toThrow(/no labels file/);
  });

  it('averages ensemble members and refuses members that disagree on labels', async () => {
    const ensemble = averagingEnsemble([constant([0.8, 0.2]), constant([0.4, 0.6])], ['gun', 'other'], 4);
    expect(Array.from(await ensemble.predict(new Float32Array(16), 1))).toEqual([
      expect.closeTo(0.6, 5),
      expect.closeTo(0.4, 5),
    ]);
    expect(() => averagingEnsemble([constant([1, 0], ['knife', 'other'])], ['gun', 'other'], 4)).toThrow(
      /does not share labels/,
    );
  });
});
