import { basename } from 'node:path';
import * as ort from 'onnxruntime-node';
import { resampleRegion } from '../domain/image-resampling.js';
import type { ScanImage } from '../domain/scan-image.js';
import { decodeYoloOutput, letterboxFor } from '../domain/yolo-decoding.js';
import { XrayError } from '../domain/xray-error.js';
import { openOnnxSession } from './onnx-crop-classifier.js';
import type { ThreatScanDetector } from './threat-model.js';

/** Grey level of the letterbox padding in Ultralytics training (114 of 255). */
const paddingLevel = 114 / 255;

/**
 * An operator's YOLO-style ONNX detector (YOLOv5 or YOLOv8/11 export, input `[1, 3, S, S]` RGB in 0..1,
 * letterboxed) with its labels. Grey scans are fed as three equal channels; pseudo-colour scans as RGB.
 */
export async function loadOnnxYoloDetector(
  path: string,
  labels: readonly string[],
  scoreThreshold?: number,
): Promise<ThreatScanDetector> {
  const session = await openOnnxSession(path);
  const inputName = session.inputNames[0];
  const outputName = session.outputNames[0];
  const metadata = session.inputMetadata[0];
  const declared = metadata && 'shape' in metadata ? metadata.shape : [];
  const size = typeof declared[3] === 'number' && declared[3] > 0 ? declared[3] : 640;
  return {
    kind: 'detector',
    labels,
    description: `onnx-yolo ${basename(path)} (${size}x${size})`,
    scoreThreshold,
    async detect(scan: ScanImage, options = {}) {
      const letterbox = letterboxFor(scan.width, scan.height, size);
      const region = {
        x: -letterbox.padX / letterbox.scale,
        y: -letterbox.padY / letterbox.scale,
        width: size / letterbox.scale,
        height: size / letterbox.scale,
      };
      const input = new Float32Array(3 * size * size);
      for (let channel = 0; channel < 3; channel++) {
        let plane: Float32Array;
        if (scan.rgb) {
          const values = new Float32Array(scan.width * scan.height);
          for (let pixel = 0; pixel < values.length; pixel++)
            values[pixel] = scan.rgb[pixel * 3 + channel] / 255;
          plane = values;
        } else {
          plane = scan.transmission;
        }
        input.set(
          resampleRegion(plane, scan.width, scan.height, region, size, size, paddingLevel),
          channel * size * size,
        );
      }
      const result = await session.run({ [inputName]: new ort.Tensor('float32', input, [1, 3, size, size]) });
      const output = result[outputName];
      if (output.type !== 'float32')
        throw new XrayError('invalid_model', `detector ${path} returned ${output.type}, expected float32`);
      return decodeYoloOutput(output.data as Float32Array, output.dims, labels, letterbox, options);
    },
    async dispose() {
      await session.release();
    },
  };
}
