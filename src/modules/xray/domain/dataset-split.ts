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

/** Sides of the far split, in the order of `images` (see {@link defaultFarSplit}). */
export function farSplitSides(
  images: readonly Numbered[],
  options: FarSplitOptions = defaultFarSplit,
): SplitSide[] {
  const numbersBySeries = new Map<string, number[]>();
  for (const image of images)
    numbersBySeries.set(image.series, [...(numbersBySeries.get(image.series) ?? []), image.number]);
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
