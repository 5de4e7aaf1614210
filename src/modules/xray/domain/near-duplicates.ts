/** Side of the thumbnail two crops are compared by: coarse enough to ignore noise, fine enough for pose. */
const thumbnailSide = 16;

/**
 * A small, zero-mean, unit-length thumbnail of a square model input (size x size), so that the cosine
 * distance between two thumbnails ignores exposure and measures layout.
 */
export function layoutThumbnail(input: Float32Array, size: number): Float32Array {
  const thumbnail = new Float32Array(thumbnailSide * thumbnailSide);
  const cell = size / thumbnailSide;
  for (let y = 0; y < size; y++) {
    const row = Math.min(thumbnailSide - 1, Math.floor(y / cell));
    for (let x = 0; x < size; x++)
      thumbnail[row * thumbnailSide + Math.min(thumbnailSide - 1, Math.floor(x / cell))] +=
        input[y * size + x];
  }
  const mean = thumbnail.reduce((sum, value) => sum + value, 0) / thumbnail.length;
  let norm = 0;
  for (let index = 0; index < thumbnail.length; index++) {
    thumbnail[index] -= mean;
    norm += thumbnail[index] ** 2;
  }
  const scale = norm > 0 ? 1 / Math.sqrt(norm) : 0;
  for (let index = 0; index < thumbnail.length; index++) thumbnail[index] *= scale;
  return thumbnail;
}

/** 1 - cosine similarity of two thumbnails from {@link layoutThumbnail}: 0 for the same layout. */
export function layoutDistance(a: Float32Array, b: Float32Array): number {
  let dot = 0;
  for (let index = 0; index < a.length; index++) dot += a[index] * b[index];
  return 1 - dot;
}

export interface NearDuplicateReport {
  /** Distance under which two crops count as near-duplicates: the median distance of neighbouring
   *  image numbers of one series, which the issue names as near-duplicates. */
  readonly threshold: number;
  /** Per test image, the distance to its nearest training image. */
  readonly nearestDistances: number[];
  /** Test images (indices into `test`) whose nearest training image is closer than the threshold. */
  readonly nearDuplicates: number[];
}

/**
 * Searches the training side for each test image's nearest neighbour. `neighbourPairs` are pairs of
 * training thumbnails with consecutive image numbers in one series; their median distance is what
 * "near-duplicate" means on this data, so a test image closer than that to any training image is flagged.
 */
export function findNearDuplicates(
  test: readonly Float32Array[],
  train: readonly Float32Array[],
  neighbourPairs: readonly (readonly [Float32Array, Float32Array])[],
): NearDuplicateReport {
  const neighbourDistances = neighbourPairs.map(([a, b]) => layoutDistance(a, b)).sort((a, b) => a - b);
  const threshold = neighbourDistances.length ? neighbourDistances[neighbourDistances.length >> 1] : 0;
  const nearestDistances = test.map((thumbnail) =>
    train.reduce((nearest, candidate) => Math.min(nearest, layoutDistance(thumbnail, candidate)), Infinity),
  );
  const nearDuplicates = nearestDistances.flatMap((distance, index) => (distance < threshold ? [index] : []));
  return { threshold, nearestDistances, nearDuplicates };
}
