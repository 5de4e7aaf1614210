import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { greyScan } from '../domain/scan-image.js';
import { loadThreatModel } from './threat-model-loader.js';

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
