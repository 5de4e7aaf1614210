import { existsSync } from 'node:fs';
import { readdir, readFile } from 'node:fs/promises';
import { join } from 'node:path';
import type { PixelBox } from '../domain/scan-image.js';

/** A whole GDXray baggage scan with the boxes of the threats in it (all handguns in these series). */
export interface BoxedScan {
  readonly path: string;
  readonly series: string;
  readonly number: number;
  readonly boxes: PixelBox[];
  /** The ground truth names no class; every boxed object in these series is a handgun. */
  readonly label: 'gun';
}

/**
 * Series whose boxed scans are never trained on: the detector and the sliding window are compared on
 * them. Whole series, because the scans of one series show the same bag turned a little.
 */
export const heldOutScanSeries: readonly string[] = ['B0014', 'B0032', 'B0046'];

/** The folders of ../shared/data/xray-samples that hold GDXray scans and their ground truth. */
const truthFolder = 'gdxray_ground_truth_from_zhouheping239';
const scanFolder = 'results/GDXray/Original';

/**
 * Reads the boxed GDXray scans of an xray-samples folder. Ground-truth lines are `n x1 x2 y1 y2`, or `n`
 * and the four corners of a rotated box (B0046), of which we take the bounds.
 */
export async function readBoxedScans(samplesDir: string): Promise<BoxedScan[]> {
  const truth = join(samplesDir, truthFolder);
  if (!existsSync(truth)) return [];
  const byName = new Map<string, { series: string; number: number; boxes: PixelBox[] }>();
  for (const file of (await readdir(truth)).sort()) {
    const series = file.slice(0, 5);
    for (const line of (await readFile(join(truth, file), 'utf8')).split('\n')) {
      const numbers = line.trim().split(/\s+/).filter(Boolean).map(Number);
      if (numbers.length < 5 || numbers.some(Number.isNaN)) continue;
      const number = Math.round(numbers[0]);
      const name = `${series}_${String(number).padStart(4, '0')}.png`;
      const box =
        numbers.length === 5
          ? { x: numbers[1], y: numbers[3], width: numbers[2] - numbers[1], height: numbers[4] - numbers[3] }
          : boundsOf(numbers.slice(1));
      const entry = byName.get(name) ?? { series, number, boxes: [] };
      entry.boxes.push(box);
      byName.set(name, entry);
    }
  }
  return [...byName]
    .map(([name, entry]) => ({ path: join(samplesDir, scanFolder, name), label: 'gun' as const, ...entry }))
    .filter((scan) => existsSync(scan.path))
    .sort((a, b) => a.path.localeCompare(b.path));
}

function boundsOf(corners: number[]): PixelBox {
  const xs = corners.filter((_, index) => index % 2 === 0);
  const ys = corners.filter((_, index) => index % 2 === 1);
  return {
    x: Math.min(...xs),
    y: Math.min(...ys),
    width: Math.max(...xs) - Math.min(...xs),
    height: Math.max(...ys) - Math.min(...ys),
  };
}
