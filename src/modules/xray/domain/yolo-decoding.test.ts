import { describe, expect, it } from 'vitest';
import { decodeYoloOutput, letterboxFor } from './yolo-decoding.js';

describe('YOLO output decoding', () => {
  const labels = ['gun', 'knife'];
  const identity = { scale: 1, padX: 0, padY: 0, scanWidth: 100, scanHeight: 100 };

  it('decodes the YOLOv5 layout with objectness', () => {
    // [1, boxes, 5 + classes]: cx, cy, w, h, objectness, gun, knife
    const output = Float32Array.from([50, 50, 20, 10, 0.9, 0.9, 0.1, 10, 10, 4, 4, 0.1, 0.9, 0.1]);
    const detections = decodeYoloOutput(output, [1, 2, 7], labels, identity);
    expect(detections).toHaveLength(1);
    expect(detections[0]).toMatchObject({ label: 'gun', x: 40, y: 45, width: 20, height: 10 });
    expect(detections[0].score).toBeCloseTo(0.81);
  });

  it('decodes the transposed YOLOv8 layout and maps boxes through the letterbox', () => {
    const letterbox = letterboxFor(200, 100, 100); // scale 0.5, padded 25 px above and below
    expect(letterbox).toMatchObject({ scale: 0.5, padX: 0, padY: 25 });
    // [1, 4 + classes, boxes] with a single box: cx 50, cy 50, w 20, h 10, gun 0.2, knife 0.7
    const detections = decodeYoloOutput(
      Float32Array.from([50, 50, 20, 10, 0.2, 0.7]),
      [1, 6, 1],
      labels,
      letterbox,
    );
    expect(detections).toEqual([
      { label: 'knife', score: expect.closeTo(0.7, 5), x: 80, y: 40, width: 40, height: 20 },
    ]);
  });

  it('rejects an output that does not fit the labels', () => {
    expect(() => decodeYoloOutput(new Float32Array(30), [1, 3, 10], labels, identity)).toThrow(
      /does not fit 2 labels/,
    );
  });
});
