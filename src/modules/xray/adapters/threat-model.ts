import type { Detection, ScanImage } from '../domain/scan-image.js';
import type { ThreatThresholds } from '../domain/threat-thresholds.js';

/**
 * A model that names the object in a square crop. Inputs are `count` attenuation maps of
 * inputSize x inputSize (see `regionModelInput`), packed row-major one after another; the result holds
 * `count` rows of probabilities in `labels` order.
 */
export interface ThreatCropClassifier {
  readonly kind: 'classifier';
  readonly labels: readonly string[];
  readonly inputSize: number;
  /** What the model is, for logs and the scan caption officers read: the file name only (e.g. "onnx-classifier threat-model.cnn.onnx"), never a server path. */
  readonly description: string;
  /** Per-class thresholds calibrated for a false-alarm budget; without them the most likely label wins. */
  readonly thresholds?: ThreatThresholds;
  /** A whole-scan detector trained with the classifier; scans go to it instead of sliding windows. */
  readonly detector?: ThreatScanDetector;
  predict(inputs: Float32Array, count: number): Promise<Float32Array>;
  dispose(): Promise<void>;
}

/** A model that finds objects in a whole scan by itself (e.g. a YOLO-style ONNX detector). */
export interface ThreatScanDetector {
  readonly kind: 'detector';
  readonly labels: readonly string[];
  readonly description: string;
  /** Score from which a box is reported, chosen when the detector was trained. */
  readonly scoreThreshold?: number;
  detect(scan: ScanImage, options?: { scoreThreshold?: number; iouThreshold?: number }): Promise<Detection[]>;
  dispose(): Promise<void>;
}

/**
 * The replaceable model runtime behind threat recognition: the bundled CNN (ONNX Runtime), the pure
 * TypeScript HOG model, or an operator's own ONNX detector with a labels file.
 */
export type ThreatModel = ThreatCropClassifier | ThreatScanDetector;
