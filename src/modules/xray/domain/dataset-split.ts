/** A labelled training image, named by its source series and image number where the name allows it. */
export interface LabelledImage {
  readonly path: string;
  readonly label: string;
  /** Source series, e.g. GDXray `B0049`; the folder name when the file name carries none. */
  readonly series: string;
  /** Image number within the series, or the position in the folder when the name carries none. */
  readonly number: number;
}

/** Consecutive image numbers in a GDXray series show the same object turned a little: one block. */
export const splitBlockSize = 10;

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

/**
 * Honest hold-out split: whole blocks of consecutive image numbers go to one side, so near-duplicate
 * views of one object never sit on both sides. One block in `folds` is held out, chosen per series by a
 * seeded rotation so that every series contributes held-out images.
 */
export function isHeldOut(image: Pick<LabelledImage, 'series' | 'number'>, seed = 0, folds = 5): boolean {
  const block = Math.floor(image.number / splitBlockSize);
  let seriesHash = seed;
  for (const character of image.series) seriesHash = (seriesHash * 31 + character.charCodeAt(0)) >>> 0;
  return (block + seriesHash) % folds === 0;
}

/** Splits images into training and held-out parts with {@link isHeldOut}. */
export function splitBySeriesBlocks<T extends Pick<LabelledImage, 'series' | 'number'>>(
  images: readonly T[],
  seed = 0,
  folds = 5,
): { train: T[]; heldOut: T[] } {
  const train: T[] = [];
  const heldOut: T[] = [];
  for (const image of images) (isHeldOut(image, seed, folds) ? heldOut : train).push(image);
  return { train, heldOut };
}
