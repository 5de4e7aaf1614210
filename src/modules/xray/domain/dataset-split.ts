/** A labelled training image, named by its source series and image number where the name allows it. */
export interface LabelledImage {
  readonly path: string;
  readonly label: string;
  /** Source series, e.g. GDXray `B0049`; the folder name when the file name carries none. */
  readonly series: string;
  /** Image number within the series, or the position in the folder when the name carries none. */
  readonly number: number;
}

type Numbered = Pick<LabelledImage, 'series' | 'number'>;

/**
 * Parses `B0049_0012.jpg` style names into series and number. Names without that pattern fall back to
 * the folder and the file's position, which still keeps neighbouring files together.
 */
export function seriesAndNumber(
  fileName: string,
  fallbackSeries: string,
  position: number,
): { series: string; number: number } {
  const match = /^([A-Za-z]+\d+)[_-](\d+)/.exec(fileName);
  if (match) return { series: match[1], number: Number(match[2]) };
  return { series: fallbackSeries, number: position };
}

/** Which side of a split an image is on; `gap` images are used on neither side. */
export type SplitSide = 'train' | 'test' | 'gap';

export interface FarSplitOptions {
  /** Share of each series' image numbers held out, taken from the top of its number range. */
  readonly testShare: number;
  /** Image numbers left out between the training and the test range of a series. */
  readonly gap: number;
}

/**
 * Consecutive image numbers of a GDXray series show one object turned a little, so a random or
 * interleaved split tests on near-copies of training images. New images of a series come after the
 * ones we hold, so the far split tests on the last `testShare` of every series' numbers and drops the
 * `gap` numbers before them: no test image has a neighbour closer than `gap` numbers in training.
 */
export const defaultFarSplit: FarSplitOptions = { testShare: 0.2, gap: 10 };

/** The image numbers of each series, in the order of `images`. */
function imageNumbersBySeries(images: readonly Numbered[]): Map<string, number[]> {
  const numbersBySeries = new Map<string, number[]>();
  for (const image of images) {
    const numbers = numbersBySeries.get(image.series);
    if (numbers) numbers.push(image.number);
    else numbersBySeries.set(image.series, [image.number]);
  }
  return numbersBySeries;
}

/** Sides of the far split, in the order of `images` (see {@link defaultFarSplit}). */
export function farSplitSides(
  images: readonly Numbered[],
  options: FarSplitOptions = defaultFarSplit,
): SplitSide[] {
  const numbersBySeries = imageNumbersBySeries(images);
  const testFrom = new Map<string, number>();
  for (const [series, numbers] of numbersBySeries) {
    const sorted = [...numbers].sort((a, b) => a - b);
    const testCount = Math.max(1, Math.round(sorted.length * options.testShare));
    testFrom.set(series, sorted[sorted.length - testCount]);
  }
  return images.map((image) => {
    const start = testFrom.get(image.series)!;
    if (image.number >= start) return 'test';
    return image.number > start - options.gap ? 'gap' : 'train';
  });
}

/** Leave-one-series-out: train on every other series, test on `series` alone. */
export function leaveOneSeriesOutSides(images: readonly Numbered[], series: string): SplitSide[] {
  return images.map((image) => (image.series === series ? 'test' : 'train'));
}

/** The distinct series of a data set, sorted (one leave-one-series-out fold each). */
export function seriesOf(images: readonly Numbered[]): string[] {
  return [...new Set(images.map((image) => image.series))].sort();
}

export interface CrossFitOptions {
  /** Number of folds: each image is scored by the one model of the k that never saw it. */
  readonly folds: number;
  /** Image numbers on either side of a fold's block (same series) left out of that fold's training. */
  readonly gap: number;
}

/**
 * Five folds with a gap of 5 numbers: each fold model trains on about three quarters of every series,
 * and no held-out image has a training neighbour of its own series closer than 5 numbers.
 */
export const defaultCrossFit: CrossFitOptions = { folds: 5, gap: 5 };

/**
 * The fold of every image for cross-fitting (out-of-fold scores): each series' image numbers are cut
 * into `folds` contiguous blocks, so a fold holds runs of neighbouring frames, not near-copies of
 * frames left in training the way an interleaved split would.
 */
export function crossFitFolds(
  images: readonly Numbered[],
  options: CrossFitOptions = defaultCrossFit,
): number[] {
  const numbersBySeries = imageNumbersBySeries(images);
  const foldOf = new Map<string, Map<number, number>>();
  for (const [series, numbers] of numbersBySeries) {
    const distinct = [...new Set(numbers)].sort((a, b) => a - b);
    foldOf.set(
      series,
      new Map(distinct.map((number, rank) => [number, Math.floor((rank * options.folds) / distinct.length)])),
    );
  }
  return images.map((image) => foldOf.get(image.series)!.get(image.number)!);
}

/**
 * Sides of one cross-fit fold: its block is the test side, the images within `gap` numbers of the
 * block in the same series are left out, every other image trains.
 */
export function crossFitSides(
  images: readonly Numbered[],
  folds: readonly number[],
  fold: number,
  options: CrossFitOptions = defaultCrossFit,
): SplitSide[] {
  const range = new Map<string, { lowest: number; highest: number }>();
  images.forEach((image, index) => {
    if (folds[index] !== fold) return;
    const current = range.get(image.series) ?? { lowest: Infinity, highest: -Infinity };
    range.set(image.series, {
      lowest: Math.min(current.lowest, image.number),
      highest: Math.max(current.highest, image.number),
    });
  });
  return images.map((image, index) => {
    if (folds[index] === fold) return 'test';
    const block = range.get(image.series);
    const near =
      block !== undefined &&
      image.number > block.lowest - options.gap &&
      image.number < block.highest + options.gap;
    return near ? 'gap' : 'train';
  });
}
