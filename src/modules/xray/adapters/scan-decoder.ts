import sharp, { type Metadata, type OutputInfo } from 'sharp';
import type { ScanImage } from '../domain/scan-image.js';
import { XrayError } from '../domain/xray-error.js';

/** Formats scanners and datasets deliver; anything else is refused rather than guessed at. */
const acceptedFormats = new Set(['png', 'jpeg', 'tiff', 'webp']);

/**
 * Decodes a PNG, JPEG, TIFF or WebP scan (8 or 16 bits per sample, grey or pseudo-colour) into a
 * {@link ScanImage}. Corrupt, truncated or unsupported files fail with an {@link XrayError} that says
 * why, never with a half-decoded image.
 */
export async function decodeScan(buffer: Buffer | Uint8Array): Promise<ScanImage> {
  if (buffer.length === 0) throw new XrayError('unreadable_image', 'the scan file is empty');
  let metadata: Metadata;
  try {
    metadata = await sharp(buffer).metadata();
  } catch (error) {
    throw new XrayError('unreadable_image', `the scan is not a readable image: ${(error as Error).message}`);
  }
  if (!metadata.format || !acceptedFormats.has(metadata.format)) {
    throw new XrayError(
      'unsupported_image',
      `scan format ${metadata.format ?? 'unknown'} is not supported (PNG, JPEG, TIFF, WebP)`,
    );
  }
  const sixteenBit = metadata.depth === 'ushort';
  const greyInput = (metadata.channels ?? 3) - (metadata.hasAlpha ? 1 : 0) < 3;
  // Without an explicit 16-bit colourspace libvips would convert to 8-bit sRGB and lose the depth.
  const colourspace = sixteenBit ? (greyInput ? 'grey16' : 'rgb16') : greyInput ? 'b-w' : 'srgb';
  let raw: { data: Buffer; info: OutputInfo };
  try {
    // failOn 'warning' (the default) also refuses truncated JPEGs and PNGs with bad checksums.
    raw = await sharp(buffer, { failOn: 'warning' })
      .removeAlpha()
      .toColourspace(colourspace)
      .raw({ depth: sixteenBit ? 'ushort' : 'uchar' })
      .toBuffer({ resolveWithObject: true });
  } catch (error) {
    throw new XrayError('unreadable_image', `the scan is corrupt or truncated: ${(error as Error).message}`);
  }
  const { width, height, channels } = raw.info;
  const pixelCount = width * height;
  const samples = sixteenBit ? new Uint16Array(pixelCount * channels) : new Uint8Array(pixelCount * channels);
  if (sixteenBit) {
    // Copy rather than view: the Buffer may start at an odd byte offset.
    for (let index = 0; index < samples.length; index++) samples[index] = raw.data.readUInt16LE(index * 2);
  } else {
    samples.set(raw.data.subarray(0, samples.length));
  }
  const maximum = sixteenBit ? 65535 : 255;
  const transmission = new Float32Array(pixelCount);
  let pseudoColour = false;
  let rgb: Uint8Array | undefined;
  if (channels >= 3) {
    rgb = new Uint8Array(pixelCount * 3);
    const toByte = sixteenBit ? 255 / 65535 : 1;
    for (let pixel = 0; pixel < pixelCount; pixel++) {
      const red = samples[pixel * channels];
      const green = samples[pixel * channels + 1];
      const blue = samples[pixel * channels + 2];
      if (!pseudoColour && (Math.abs(red - green) > maximum / 32 || Math.abs(green - blue) > maximum / 32))
        pseudoColour = true;
      // Rec. 601 luma: the brightness of a pseudo-colour rendering tracks transmission.
      transmission[pixel] = (0.299 * red + 0.587 * green + 0.114 * blue) / maximum;
      rgb[pixel * 3] = Math.round(red * toByte);
      rgb[pixel * 3 + 1] = Math.round(green * toByte);
      rgb[pixel * 3 + 2] = Math.round(blue * toByte);
    }
  } else {
    for (let pixel = 0; pixel < pixelCount; pixel++)
      transmission[pixel] = samples[pixel * channels] / maximum;
  }
  return {
    width,
    height,
    transmission,
    rgb: pseudoColour ? rgb : undefined,
    bitDepth: sixteenBit ? 16 : 8,
    pseudoColour,
  };
}

/**
 * Decodes a dual-energy pair (two grey images of the same size, high and low energy) for material
 * classification. The high-energy image doubles as the display and recognition image.
 */
export async function decodeDualEnergyScan(
  highEnergy: Buffer | Uint8Array,
  lowEnergy: Buffer | Uint8Array,
): Promise<{ high: ScanImage; low: ScanImage }> {
  const [high, low] = await Promise.all([decodeScan(highEnergy), decodeScan(lowEnergy)]);
  if (high.width !== low.width || high.height !== low.height) {
    throw new XrayError(
      'unreadable_image',
      `high- and low-energy images differ in size (${high.width}x${high.height} vs ${low.width}x${low.height})`,
    );
  }
  return { high, low };
}
