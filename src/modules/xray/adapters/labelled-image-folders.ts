import { readdir, readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { seriesAndNumber, type LabelledImage } from '../domain/dataset-split.js';
import { XrayError } from '../domain/xray-error.js';
import { cropModelInput } from '../domain/model-input.js';
import { decodeScan } from './scan-decoder.js';

const imageExtensions = /\.(png|jpe?g|tiff?|webp)$/i;

/**
 * Lists `<root>/<label>/<image>` files: the folder name is the true label. Sorted, so that every run
 * sees the same order (reproducible training and splits).
 */
export async function listLabelledImages(root: string): Promise<LabelledImage[]> {
  let labels: string[];
  try {
    labels = (await readdir(root, { withFileTypes: true }))
      .filter((entry) => entry.isDirectory())
      .map((entry) => entry.name)
      .sort();
  } catch (error) {
    throw new XrayError(
      'unreadable_image',
      `cannot read the data folder ${root}: ${(error as Error).message}`,
    );
  }
  const images: LabelledImage[] = [];
  for (const label of labels) {
    const files = (await readdir(join(root, label))).filter((name) => imageExtensions.test(name)).sort();
    files.forEach((file, position) =>
      images.push({ path: join(root, label, file), label, ...seriesAndNumber(file, label, position) }),
    );
  }
  if (images.length === 0)
    throw new XrayError(
      'unreadable_image',
      `no labelled images under ${root} (expected <label>/<image> folders)`,
    );
  return images;
}

/** Decodes images and turns each into a size x size model input, a few at a time. */
export async function loadCropInputs(
  images: readonly LabelledImage[],
  size: number,
  onProgress?: (done: number) => void,
): Promise<Float32Array> {
  const inputs = new Float32Array(images.length * size * size);
  let next = 0;
  let done = 0;
  const worker = async () => {
    while (next < images.length) {
      const index = next++;
      const scan = await decodeScan(await readFile(images[index].path));
      inputs.set(cropModelInput(scan, size), index * size * size);
      onProgress?.(++done);
    }
  };
  await Promise.all([worker(), worker(), worker()]);
  return inputs;
}
