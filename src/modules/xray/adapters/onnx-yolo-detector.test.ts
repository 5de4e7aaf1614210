import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { defaultHogParameters, hogFeatureLength } from '../domain/hog-features.js';
import { greyScan } from '../domain/scan-image.js';
import { loadThreatModel } from './threat-model-loader.js';
import { classifyCrop, detectThreats } from './threat-recognition.js';

/** A stand-in YOLOv8 export with three fixed boxes (scripts/xray/make_tiny_yolo_fixture.py). */
const tinyYolo = fileURLToPath(new URL('./fixtures/tiny-yolo.onnx', import.meta.url));

describe('ONNX Runtime YOLO adapter', () => {
  it('loads a bare .onnx with its labels file as a detector', async () => {
    const model = await loadThreatModel(tinyYolo);
    expect(model.kind).toBe('detector');
    expect(model.labels).toEqual(['gun', 'knife']);
    await model.dispose();
  });

  it('decodes boxes into scan coordinates and suppresses duplicates', async () => {
    const model = await loadThreatModel(tinyYolo);
    if (model.kind !== 'detector') throw new Error('expected a detector');
    // 64 x 32 scan into a 32 x 32 input: scale 0.5, 8 px padding above and below.
    const detections = await model.detect(greyScan(64, 32, new Float32Array(64 * 32).fill(0.8)));
    expect(detections).toEqual([
      { label: 'gun', score: expect.closeTo(0.9, 5), x: 12, y: 0, width: 16, height: 12 },
      { label: 'knife', score: expect.closeTo(0.7, 5), x: 42, y: 28, width: 12, height: 4 },
    ]);
    await model.dispose();
  });

  it('explains a missing model or labels file', async () => {
    await expect(loadThreatModel('/nowhere/model.onnx')).rejects.toMatchObject({ code: 'model_not_found' });
  });
});

describe('a crop classifier shipped with a detector and thresholds', () => {
  it('names crops with its thresholds and searches scans with its detector', async () => {
    const folder = await mkdtemp(join(tmpdir(), 'clearway-xray-manifest-'));
    const inputSize = 32;
    const features = hogFeatureLength(inputSize);
    // A regression that always says gun 0.27, other 0.73: argmax says other, a 0.25 gun threshold says gun.
    const manifest = {
      format: 'clearway-xray-model/1',
      kind: 'hog-softmax',
      labels: ['gun', 'other'],
      inputSize,
      hog: defaultHogParameters,
      regression: {
        labels: ['gun', 'other'],
        mean: new Array(features).fill(0),
        scale: new Array(features).fill(1),
        weights: [new Array(features).fill(0), new Array(features).fill(0)],
        bias: [0, 1],
      },
      thresholds: { gun: 0.25 },
      detector: {
        format: 'clearway-xray-model/1',
        kind: 'onnx-yolo',
        labels: ['gun', 'knife'],
        onnx: tinyYolo,
        scoreThreshold: 0.25,
      },
    };
    await writeFile(join(folder, 'threat-model.json'), JSON.stringify(manifest));
    const model = await loadThreatModel(join(folder, 'threat-model.json'));
    const scan = greyScan(64, 32, new Float32Array(64 * 32).fill(0.8));
    expect((await classifyCrop(scan, model)).label).toBe('gun');
    // The shipped detector also looks at the scan's two mirror images. This fixture's boxes do not
    // follow the picture, so no two views agree and each box keeps a third of its score: the threshold
    // 0.25 keeps the gun (0.9 / 3) and drops the knife (0.7 / 3).
    const result = await detectThreats(scan, { model });
    expect(result.boxes.length).toBeGreaterThan(0);
    expect(new Set(result.boxes.map((box) => box.label))).toEqual(new Set(['gun']));
    expect(result.model).toContain('onnx-yolo');
    await model.dispose();
    await rm(folder, { recursive: true, force: true });
  });
});
