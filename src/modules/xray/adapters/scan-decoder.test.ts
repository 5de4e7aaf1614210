import sharp from 'sharp';
import { describe, expect, it } from 'vitest';
import { decodeDualEnergyScan, decodeScan } from './scan-decoder.js';

const greyPng = (values: number[], width: number, height: number) =>
  sharp(Buffer.from(values), { raw: { width, height, channels: 1 } })
    .png()
    .toBuffer();

describe('decoding scans', () => {
  it('reads an 8-bit grey PNG as transmission in 0..1', async () => {
    const scan = await decodeScan(await greyPng([0, 51, 255, 255], 2, 2));
    expect(scan).toMatchObject({ width: 2, height: 2, bitDepth: 8, pseudoColour: false });
    expect(Array.from(scan.transmission)).toEqual([0, expect.closeTo(0.2, 5), 1, 1]);
  });

  it('keeps the full range of a 16-bit PNG', async () => {
    const png = await sharp(new Uint16Array([0, 1000, 32768, 65535]), {
      raw: { width: 2, height: 2, channels: 1 },
    })
      .toColourspace('grey16')
      .png()
      .toBuffer();
    const scan = await decodeScan(png);
    expect(scan.bitDepth).toBe(16);
    // 1000 / 65535 would be lost to rounding in 8 bits (0.0153 vs 4 / 255 = 0.0157).
    expect(scan.transmission[1]).toBeCloseTo(1000 / 65535, 6);
    expect(scan.transmission[3]).toBe(1);
  });

  it('reads a grey JPEG saved as three equal channels as grey, not pseudo-colour', async () => {
    const jpeg = await sharp(Buffer.alloc(16 * 16 * 3, 128), { raw: { width: 16, height: 16, channels: 3 } })
      .jpeg()
      .toBuffer();
    const scan = await decodeScan(jpeg);
    expect(scan.pseudoColour).toBe(false);
    expect(scan.rgb).toBeUndefined();
    expect(scan.transmission[0]).toBeCloseTo(128 / 255, 1);
  });

  it('keeps the colours of a pseudo-colour scan', async () => {
    const pixels = Buffer.from([240, 150, 40, 40, 80, 220]);
    const scan = await decodeScan(
      await sharp(pixels, { raw: { width: 2, height: 1, channels: 3 } })
        .png()
        .toBuffer(),
    );
    expect(scan.pseudoColour).toBe(true);
    expect(Array.from(scan.rgb ?? [])).toEqual([240, 150, 40, 40, 80, 220]);
  });

  it('rejects corrupt, truncated and empty files with a clear error', async () => {
    const png = await greyPng(
      Array.from({ length: 64 * 64 }, (_, index) => index % 256),
      64,
      64,
    );
    await expect(decodeScan(Buffer.from('definitely not an image'))).rejects.toMatchObject({
      code: 'unreadable_image',
      message: /not a readable image/,
    });
    await expect(decodeScan(png.subarray(0, png.length - 40))).rejects.toMatchObject({
      code: 'unreadable_image',
    });
    await expect(decodeScan(Buffer.alloc(0))).rejects.toThrow(/empty/);
    const jpeg = await sharp(Buffer.alloc(64 * 64 * 3, 90), { raw: { width: 64, height: 64, channels: 3 } })
      .jpeg()
      .toBuffer();
    await expect(decodeScan(jpeg.subarray(0, jpeg.length / 2))).rejects.toMatchObject({
      code: 'unreadable_image',
      message: /corrupt or truncated/,
    });
  });

  it('refuses a dual-energy pair of different sizes', async () => {
    await expect(
      decodeDualEnergyScan(await greyPng([1, 2, 3, 4], 2, 2), await greyPng([1, 2], 2, 1)),
    ).rejects.toThrow(/differ in size/);
  });
});
