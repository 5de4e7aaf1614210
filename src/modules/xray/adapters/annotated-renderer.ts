import sharp, { type OverlayOptions } from 'sharp';
import { classifyMaterials, type MaterialMap } from '../domain/material-classes.js';
import type { Detection, ScanImage } from '../domain/scan-image.js';
import { threatName } from '../domain/threat-names.js';
import type { Locale } from '../../../platform/i18n/locale.js';

/** Overlay colours follow scanner convention: orange organic, green inorganic, blue metal. */
const overlayColour: readonly (readonly [number, number, number, number])[] = [
  [0, 0, 0, 0],
  [255, 140, 0, 90],
  [40, 190, 60, 90],
  [30, 90, 255, 110],
];

/** Box colour per label; threats in warm colours so they stand out on the material overlay. */
const boxColour: Record<string, string> = {
  gun: '#ff1744',
  knife: '#ff9100',
  shuriken: '#ffea00',
  razor_blade: '#f50057',
};

/** With a declaration to compare with: red for a threat no declared line explains, amber otherwise. */
const undeclaredColour = '#ff1744';
const declaredColour = '#ffc400';

export interface RenderOptions {
  /** Tint pixels by material class; `true` computes the map from the scan itself. */
  readonly materialOverlay?: boolean | MaterialMap;
  /** Language of the names written above the boxes (English when left out). */
  readonly locale?: Locale;
  /**
   * Labels that no declared line explains: their boxes are red, every other box amber. Left out (no
   * declaration to compare with, as in the CLI), each label has its own colour.
   */
  readonly undeclared?: readonly string[];
}

/** Width of a caption in font-size units: CJK and Hangul glyphs are about square, Latin ones narrower. */
const captionUnits = (text: string) =>
  [...text].reduce(
    (sum, character) => sum + (/[\u1100-\u11ff\u2e80-\ua4cf\uac00-\ud7af]/.test(character) ? 1 : 0.62),
    0,
  );

const escapeXml = (text: string) => text.replace(/[<>&"']/g, (character) => `&#${character.charCodeAt(0)};`);

/**
 * The scan as a PNG with each detection boxed and named above the box with its score, and optionally the
 * material classes tinted over it, ready to show an analyst next to the manifest lines.
 */
export async function renderAnnotated(
  scan: ScanImage,
  detections: readonly Detection[],
  options: RenderOptions = {},
): Promise<Buffer> {
  const { width, height } = scan;
  const base = scan.rgb
    ? sharp(Buffer.from(scan.rgb), { raw: { width, height, channels: 3 } })
    : sharp(
        Buffer.from(
          Uint8Array.from(scan.transmission, (value) => Math.round(Math.min(1, Math.max(0, value)) * 255)),
        ),
        {
          raw: { width, height, channels: 1 },
        },
      );
  const layers: OverlayOptions[] = [];
  if (options.materialOverlay) {
    const map = options.materialOverlay === true ? classifyMaterials(scan) : options.materialOverlay;
    const tint = new Uint8Array(width * height * 4);
    for (let pixel = 0; pixel < map.codes.length; pixel++)
      tint.set(overlayColour[map.codes[pixel]], pixel * 4);
    layers.push({ input: Buffer.from(tint), raw: { width, height, channels: 4 } });
  }
  if (detections.length > 0) {
    const stroke = Math.max(2, Math.round(Math.min(width, height) / 200));
    const fontSize = Math.max(12, Math.round(Math.min(width, height) / 30));
    const shapes = detections.map((detection) => {
      const colour = options.undeclared
        ? options.undeclared.includes(detection.label)
          ? undeclaredColour
          : declaredColour
        : (boxColour[detection.label] ?? undeclaredColour);
      const text = `${threatName(detection.label, options.locale ?? 'en')} ${detection.score.toFixed(2)}`;
      const caption = escapeXml(text);
      const captionWidth = Math.round((captionUnits(text) + 0.6) * fontSize);
      // Name above the box; inside its top edge when the box touches the top of the scan.
      const captionY = detection.y >= fontSize * 1.4 ? detection.y - fontSize * 1.4 : detection.y;
      return [
        `<rect x="${detection.x}" y="${detection.y}" width="${detection.width}" height="${detection.height}" fill="none" stroke="${colour}" stroke-width="${stroke}"/>`,
        `<rect x="${detection.x}" y="${captionY}" width="${captionWidth}" height="${fontSize * 1.4}" fill="${colour}"/>`,
        `<text x="${detection.x + fontSize * 0.3}" y="${captionY + fontSize * 1.05}" font-family="DejaVu Sans, Noto Sans CJK KR, Noto Serif CJK KR, sans-serif" font-weight="bold" font-size="${fontSize}" fill="#000">${caption}</text>`,
      ].join('');
    });
    const svg = `<svg xmlns="http://www.w3.org/2000/svg" width="${width}" height="${height}">${shapes.join('')}</svg>`;
    layers.push({ input: Buffer.from(svg), top: 0, left: 0 });
  }
  return base.toColourspace('srgb').composite(layers).png().toBuffer();
}
