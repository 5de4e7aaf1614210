import { hogFeatures, type HogParameters } from '../domain/hog-features.js';
import { softmaxProbabilities, type SoftmaxRegressionModel } from '../domain/softmax-regression.js';
import type { ThreatCropClassifier } from './threat-model.js';

/** The pure TypeScript model: HOG + density histogram features, softmax regression on top. */
export function hogSoftmaxClassifier(
  model: SoftmaxRegressionModel,
  parameters: HogParameters,
  inputSize: number,
): ThreatCropClassifier {
  const classes = model.labels.length;
  return {
    kind: 'classifier',
    labels: model.labels,
    inputSize,
    description: 'hog-softmax (pure TypeScript)',
    async predict(inputs: Float32Array, count: number) {
      const pixels = inputSize * inputSize;
      const result = new Float32Array(count * classes);
      for (let row = 0; row < count; row++) {
        const features = hogFeatures(
          inputs.subarray(row * pixels, (row + 1) * pixels),
          inputSize,
          parameters,
        );
        result.set(softmaxProbabilities(model, features), row * classes);
      }
      return result;
    },
    async dispose() {},
  };
}
