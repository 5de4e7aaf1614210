import type { LabelledImage } from '../domain/dataset-split.js';
import { evaluateThreatPredictions, type ThreatEvaluation } from '../domain/threat-metrics.js';
import { XrayError } from '../domain/xray-error.js';
import { loadCropInputs } from './labelled-image-folders.js';
import { classifyModelInputs } from './threat-recognition.js';
import type { ThreatModel } from './threat-model.js';

export interface EvaluationReport extends ThreatEvaluation {
  readonly model: string;
  readonly ms_per_crop: number;
  readonly predictions: { path: string; truth: string; predicted: string; score: number }[];
}

/**
 * Classifies every labelled crop and scores the result; the folder name is the truth and `other` means
 * no threat. Timing covers preprocessing excluded, model and pose averaging included.
 */
export async function evaluateThreatModel(
  model: ThreatModel,
  images: readonly LabelledImage[],
  testTimeAugmentation = true,
): Promise<EvaluationReport> {
  if (model.kind !== 'classifier')
    throw new XrayError('invalid_model', 'evaluation on crops needs a crop classifier');
  const size = model.inputSize;
  const packed = await loadCropInputs(images, size);
  const inputs = images.map((_, index) => packed.subarray(index * size * size, (index + 1) * size * size));
  const started = performance.now();
  const results = await classifyModelInputs(model, inputs, testTimeAugmentation);
  const msPerCrop = (performance.now() - started) / Math.max(1, images.length);
  const evaluation = evaluateThreatPredictions(
    images.map((image) => image.label),
    results.map((result) => result.label),
  );
  return {
    ...evaluation,
    model: model.description,
    ms_per_crop: Number(msPerCrop.toFixed(2)),
    predictions: images.map((image, index) => ({
      path: image.path,
      truth: image.label,
      predicted: results[index].label,
      score: Number(results[index].score.toFixed(4)),
    })),
  };
}
