import { readFileSync } from 'node:fs';
import sharp from 'sharp';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Clearway } from '../src/main.js';
import { intersectionOverUnion } from '../src/modules/xray/domain/non-max-suppression.js';
import { authHeader, createTestApp } from './support/test-app.js';
import { availableEngines } from './support/test-database.js';
import { postalItem, s10 } from './support/sample-data.js';

/**
 * A whole GDXray baggage scan (612 x 452, a handgun among bag clutter) with its ground-truth box. It is
 * one of the detector's training scans: this test checks that a whole scan goes through upload, the
 * background analysis and both ways of showing its boxes; how well the detector finds guns in bags it
 * has never seen is measured by bench/xray-detect.bench.ts on the held-out series. XRAY_SAMPLES_DIR
 * points elsewhere than ../shared/data/xray-samples (from a worktree, say).
 */
const SCAN = new URL(
  'results/GDXray/Original/B0009_0001.png',
  process.env.XRAY_SAMPLES_DIR
    ? `file://${process.env.XRAY_SAMPLES_DIR.replace(/\/?$/, '/')}`
    : new URL('../../shared/data/xray-samples/', import.meta.url),
);
const GUN = { x: 212, y: 164, width: 355 - 212, height: 366 - 164 };

const engines = await availableEngines();

describe.each(engines)('threat detection on a whole scan over the API (%s)', (engine) => {
  let app: Clearway;
  let inspector: { authorization: string };
  let scanId: number;

  beforeAll(async () => {
    app = await createTestApp(engine);
    const post = await authHeader(app, 'postal_operator', 'KPOST');
    inspector = await authHeader(app, 'inspector');
    // Declared as clothing (postalItem's lines: a T-shirt and a phone case): a gun is not explained.
    const { id } = (
      await app.http.inject({
        method: 'POST',
        url: '/api/v1/postal/items',
        headers: post,
        payload: postalItem({ itemId: s10(90000019) }),
      })
    ).json();
    const upload = await app.http.inject({
      method: 'POST',
      url: `/api/v1/parcels/${id}/scans`,
      headers: { ...inspector, 'content-type': 'image/png' },
      payload: readFileSync(SCAN),
    });
    expect(upload.statusCode).toBe(202);
    scanId = upload.json().scan.id;
    await app.settle();
  });
  afterAll(async () => app?.close());

  const annotated = (query: string, language = 'en') =>
    app.http.inject({
      method: 'GET',
      url: `/api/v1/scans/${scanId}/annotated.png${query}`,
      headers: { ...inspector, 'accept-language': language },
    });

  /** RGB of one pixel of a PNG. */
  async function pixel(png: Buffer, x: number, y: number): Promise<number[]> {
    const { data, info } = await sharp(png).raw().toBuffer({ resolveWithObject: true });
    const offset = (y * info.width + x) * info.channels;
    return [data[offset], data[offset + 1], data[offset + 2]];
  }

  it('boxes the gun in the scan and records it as not declared', async () => {
    const scan = (
      await app.http.inject({ method: 'GET', url: `/api/v1/scans/${scanId}`, headers: inspector })
    ).json();
    expect(scan).toMatchObject({ state: 'analysed', width: 612, height: 452 });
    const gun = scan.detections.find(
      (box: { label: string; x: number; y: number; width: number; height: number }) =>
        box.label === 'gun' && intersectionOverUnion(box, GUN) >= 0.5,
    );
    expect(gun).toBeDefined();
    for (const box of scan.detections) {
      expect(box.x).toBeGreaterThanOrEqual(0);
      expect(box.x + box.width).toBeLessThanOrEqual(612);
      expect(box.y + box.height).toBeLessThanOrEqual(452);
    }
    expect(scan.declarationMatch).toMatchObject({ mismatch: true, undeclared: ['gun'] });
    expect(scan.model).toMatch(/onnx/);
  });

  it('draws the undeclared gun red on annotated.png, in the reader’s language, and leaves it out with boxes=0', async () => {
    const scan = (
      await app.http.inject({ method: 'GET', url: `/api/v1/scans/${scanId}`, headers: inspector })
    ).json();
    const gun = scan.detections.find((box: { label: string }) => box.label === 'gun');
    const english = await annotated('');
    expect(english.statusCode).toBe(200);
    expect(english.headers['content-type']).toBe('image/png');
    expect(await sharp(english.rawPayload).metadata()).toMatchObject({ width: 612, height: 452 });
    // A point on the box's left edge (the stroke is centred on it), half-way down.
    const edge = [gun.x, gun.y + Math.round(gun.height / 2)] as const;
    const [red, green, blue] = await pixel(english.rawPayload, ...edge);
    expect(red).toBeGreaterThan(200);
    expect(Math.max(green, blue)).toBeLessThan(90);

    const plain = await annotated('?boxes=0');
    expect(plain.statusCode).toBe(200);
    const [r, g, b] = await pixel(plain.rawPayload, ...edge);
    expect(Math.max(r, g, b) - Math.min(r, g, b)).toBeLessThan(10); // the grey scan itself

    const korean = await annotated('', 'ko');
    const french = await annotated('', 'fr');
    expect(korean.rawPayload.equals(english.rawPayload)).toBe(false);
    expect(french.rawPayload.equals(english.rawPayload)).toBe(false);
  });

  it('refuses a boxes value it does not know, naming the field', async () => {
    const response = await annotated('?boxes=2');
    expect(response.statusCode).toBe(400);
    expect(response.body).toMatch(/boxes/);
  });
});
