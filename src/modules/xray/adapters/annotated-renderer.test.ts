import sharp from 'sharp';
import { describe, expect, it } from 'vitest';
import type { ScanImage } from '../domain/scan-image.js';
import { renderAnnotated } from './annotated-renderer.js';

const width = 320;
const height = 240;
/** A plain light-grey scan: whatever is coloured in the picture was drawn by the renderer. */
const scan: ScanImage = {
  width,
  height,
  transmission: new Float32Array(width * height).fill(0.8),
  bitDepth: 8,
  pseudoColour: false,
};
const gun = { label: 'gun', score: 0.91, x: 60, y: 80, width: 150, height: 100 };

async function pixelAt(png: Buffer, x: number, y: number): Promise<number[]> {
  const { data, info } = await sharp(png).raw().toBuffer({ resolveWithObject: true });
  const offset = (y * info.width + x) * info.channels;
  return [data[offset], data[offset + 1], data[offset + 2]];
}

describe('annotated scan', () => {
  it('draws an undeclared threat red and a declared one amber', async () => {
    // A point on the box's left edge.
    const [red, green] = await pixelAt(await renderAnnotated(scan, [gun], { undeclared: ['gun'] }), 60, 130);
    expect(red).toBeGreaterThan(200);
    expect(green).toBeLessThan(60);
    const amber = await pixelAt(await renderAnnotated(scan, [gun], { undeclared: [] }), 60, 130);
    expect(amber[0]).toBeGreaterThan(200);
    expect(amber[1]).toBeGreaterThan(150);
    expect(amber[2]).toBeLessThan(60);
  });

  it("writes the threat's name in the reader's language", async () => {
    const english = await renderAnnotated(scan, [gun], { locale: 'en' });
    const korean = await renderAnnotated(scan, [gun], { locale: 'ko' });
    const french = await renderAnnotated(scan, [gun], { locale: 'fr' });
    const caption = { left: 60, top: 80 - 17, width: 150, height: 17 };
    const captionOf = (png: Buffer) => sharp(png).extract(caption).raw().toBuffer();
    const [en, ko, fr] = await Promise.all([english, korean, french].map(captionOf));
    expect(en.equals(ko)).toBe(false);
    expect(en.equals(fr)).toBe(false);
  });
});
