import { basename } from 'node:path';
import * as ort from 'onnxruntime-node';
import { XrayError } from '../domain/xray-error.js';
import type { ThreatCropClassifier } from './threat-model.js';

/** Sessions use at most two threads: the service shares its CPU with the rest of Clearway. */
const sessionOptions: ort.InferenceSession.SessionOptions = {
  intraOpNumThreads: 2,
  interOpNumThreads: 1,
  graphOptimizationLevel: 'all',
};

/** Opens an ONNX session, turning ONNX Runtime's errors into an XrayError that names the file. */
export async function openOnnxSession(path: string): Promise<ort.InferenceSession> {
  try {
    return await ort.InferenceSession.create(path, sessionOptions);
  } catch (error) {
    throw new XrayError('invalid_model', `cannot load ONNX model ${path}: ${(error as Error).message}`);
  }
}

/**
 * A crop classifier served by ONNX Runtime. The model takes `[batch, 1, size, size]` attenuation and
 * returns `[batch, classes]`; `outputIsProbability` says whether a softmax is still to be applied (left
 * out: rows that already sum to 1 are taken as probabilities, anything else as logits).
 */
export async function loadOnnxCropClassifier(
  path: string,
  labels: readonly string[],
  inputSize: number,
  outputIsProbability?: boolean,
): Promise<ThreatCropClassifier> {
  const session = await openOnnxSession(path);
  const inputName = session.inputNames[0];
  const outputName = session.outputNames[0];
  const classes = labels.length;
  return {
    kind: 'classifier',
    labels,
    inputSize,
    description: `onnx-classifier ${basename(path)}`,
    async predict(inputs: Float32Array, count: number): Promise<Float32Array> {
      if (count === 0) return new Float32Array(0);
      const tensor = new ort.Tensor('float32', inputs, [count, 1, inputSize, inputSize]);
      const result = await session.run({ [inputName]: tensor });
      const output = result[outputName].data as Float32Array;
      if (output.length !== count * classes) {
        throw new XrayError(
          'invalid_model',
          `model ${path} returned ${output.length / count} scores per crop, labels file has ${classes}`,
        );
      }
      if (outputIsProbability ?? looksLikeProbabilities(output, classes)) return Float32Array.from(output);
      const probabilities = new Float32Array(output.length);
      for (let row = 0; row < count; row++) {
        let maximum = -Infinity;
        for (let label = 0; label < classes; label++)
          maximum = Math.max(maximum, output[row * classes + label]);
        let total = 0;
        for (let label = 0; label < classes; label++)
          total += probabilities[row * classes + label] = Math.exp(output[row * classes + label] - maximum);
        for (let label = 0; label < classes; label++) probabilities[row * classes + label] /= total;
      }
      return probabilities;
    },
    async dispose() {
      await session.release();
    },
  };
}

/** True when every row lies in [0, 1] and sums to 1, i.e. the model ends in a softmax already. */
function looksLikeProbabilities(output: Float32Array, classes: number): boolean {
  for (let row = 0; row < output.length / classes; row++) {
    let sum = 0;
    for (let label = 0; label < classes; label++) {
      const value = output[row * classes + label];
      if (value < 0 || value > 1) return false;
      sum += value;
    }
    if (Math.abs(sum - 1) > 1e-3) return false;
  }
  return true;
}
