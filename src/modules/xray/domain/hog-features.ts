/** Parameters of the histogram-of-oriented-gradients descriptor (Dalal and Triggs defaults). */
export interface HogParameters {
  readonly cellSize: number;
  readonly blockCells: number;
  readonly orientations: number;
  /** Bins of the attenuation histogram appended to HOG (shape says what, density says how much metal). */
  readonly densityBins: number;
}

export const defaultHogParameters: HogParameters = {
  cellSize: 16,
  blockCells: 2,
  orientations: 9,
  densityBins: 16,
};

/** Length of the feature vector {@link hogFeatures} returns for a size x size input. */
export function hogFeatureLength(size: number, parameters: HogParameters = defaultHogParameters): number {
  const cells = Math.floor(size / parameters.cellSize);
  const blocks = cells - parameters.blockCells + 1;
  return (
    blocks * blocks * parameters.blockCells * parameters.blockCells * parameters.orientations +
    parameters.densityBins
  );
}

/**
 * HOG descriptor of a size x size attenuation map (unsigned gradients, bilinear orientation voting,
 * L2-Hys block normalisation), followed by a normalised attenuation histogram.
 */
export function hogFeatures(
  input: Float32Array,
  size: number,
  parameters: HogParameters = defaultHogParameters,
): Float32Array {
  const { cellSize, blockCells, orientations, densityBins } = parameters;
  const cells = Math.floor(size / cellSize);
  const histogram = new Float32Array(cells * cells * orientations);
  for (let y = 0; y < cells * cellSize; y++) {
    for (let x = 0; x < cells * cellSize; x++) {
      const left = input[y * size + Math.max(0, x - 1)];
      const right = input[y * size + Math.min(size - 1, x + 1)];
      const up = input[Math.max(0, y - 1) * size + x];
      const down = input[Math.min(size - 1, y + 1) * size + x];
      const gx = right - left;
      const gy = down - up;
      const magnitude = Math.sqrt(gx * gx + gy * gy);
      if (magnitude === 0) continue;
      let angle = Math.atan2(gy, gx);
      if (angle < 0) angle += Math.PI;
      const position = (angle / Math.PI) * orientations - 0.5;
      const lower = Math.floor(position);
      const fraction = position - lower;
      const cell = (Math.floor(y / cellSize) * cells + Math.floor(x / cellSize)) * orientations;
      histogram[cell + ((lower + orientations) % orientations)] += magnitude * (1 - fraction);
      histogram[cell + ((lower + 1) % orientations)] += magnitude * fraction;
    }
  }
  const blocks = cells - blockCells + 1;
  const blockLength = blockCells * blockCells * orientations;
  const features = new Float32Array(hogFeatureLength(size, parameters));
  const block = new Float32Array(blockLength);
  let offset = 0;
  for (let by = 0; by < blocks; by++) {
    for (let bx = 0; bx < blocks; bx++) {
      let index = 0;
      for (let cy = 0; cy < blockCells; cy++) {
        for (let cx = 0; cx < blockCells; cx++) {
          const cell = ((by + cy) * cells + bx + cx) * orientations;
          for (let bin = 0; bin < orientations; bin++) block[index++] = histogram[cell + bin];
        }
      }
      normaliseL2Hys(block);
      features.set(block, offset);
      offset += blockLength;
    }
  }
  for (let pixel = 0; pixel < size * size; pixel++) {
    const bin = Math.min(densityBins - 1, Math.max(0, Math.floor(input[pixel] * densityBins)));
    features[offset + bin] += 1 / (size * size);
  }
  return features;
}

/** L2 normalise, clip at 0.2, normalise again: keeps one strong edge from dominating a block. */
function normaliseL2Hys(values: Float32Array): void {
  const normalise = () => {
    let sum = 1e-10;
    for (const value of values) sum += value * value;
    const norm = Math.sqrt(sum);
    for (let index = 0; index < values.length; index++) values[index] /= norm;
  };
  normalise();
  for (let index = 0; index < values.length; index++) values[index] = Math.min(values[index], 0.2);
  normalise();
}
