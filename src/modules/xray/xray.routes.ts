import { z } from 'zod';
import type { HttpServer } from '../../platform/http/http-server.js';
import { readerLocale, requireActor } from '../../platform/http/request-actor.js';
import { ACCEPTED_MEDIA_TYPES, type XrayService } from './xray.service.js';

const parcelParams = z.object({ id: z.coerce.number().int().positive() });
const scanParams = z.object({ scanId: z.coerce.number().int().positive() });

/** A stored scan with its analysis (xray.repository.ts StoredScan). */
const scanSchema = z.object({
  id: z.number(),
  parcelId: z.number(),
  contentSha256: z.string(),
  mediaType: z.string(),
  byteSize: z.number(),
  width: z.number(),
  height: z.number(),
  storageKey: z.string(),
  state: z.enum(['queued', 'analysed', 'failed']),
  detections: z
    .array(
      z.object({
        label: z.string(),
        score: z.number(),
        x: z.number(),
        y: z.number(),
        width: z.number(),
        height: z.number(),
      }),
    )
    .nullable()
    .describe('Named threats with their boxes, in image pixels'),
  materials: z.record(z.string(), z.unknown()).nullable().describe('Shares of organic, inorganic and metal'),
  declarationMatch: z
    .object({
      mismatch: z.boolean(),
      findings: z.array(z.string()),
      threats: z.array(z.string()),
      undeclared: z
        .array(z.string())
        .optional()
        .describe('Threats no declared line explains (absent on scans analysed before it was recorded)'),
    })
    .nullable(),
  model: z.string().nullable(),
  analysisMs: z.number().nullable(),
  error: z.string().nullable(),
  uploadedBy: z.string(),
  uploadedAt: z.string(),
  analysedAt: z.string().nullable(),
});
const uploadSchema = z.object({ scan: scanSchema, jobId: z.number().nullable() });

/** Largest accepted scan file: a 16-bit 4,000 x 3,000 PNG fits. */
export const MAX_SCAN_BYTES = 40 * 1024 * 1024;

export function registerXrayRoutes(app: HttpServer, xray: XrayService): void {
  app.addContentTypeParser(
    [...ACCEPTED_MEDIA_TYPES],
    { parseAs: 'buffer', bodyLimit: MAX_SCAN_BYTES },
    (_request, body, done) => done(null, body),
  );

  app.post(
    '/api/v1/parcels/:id/scans',
    {
      bodyLimit: MAX_SCAN_BYTES,
      schema: {
        tags: ['xray'],
        summary:
          'Upload an X-ray scan of a parcel (PNG, 16-bit PNG or JPEG); it is analysed in the background',
        description:
          'Send the image as the raw body with Content-Type image/png or image/jpeg. 202 with the scan and the analysis job; 200 when the same file was uploaded before.',
        params: parcelParams,
        response: { 200: uploadSchema, 202: uploadSchema },
      },
    },
    async (request, reply) => {
      const body = request.body;
      const contentType = String(request.headers['content-type'] ?? '')
        .split(';')[0]!
        .trim();
      const result = await xray.uploadScan(
        requireActor(request),
        request.params.id,
        Buffer.isBuffer(body) ? body : Buffer.alloc(0),
        contentType,
      );
      return reply
        .status(result.created ? 202 : 200)
        .send({ scan: result.scan, jobId: result.jobId ?? null });
    },
  );

  app.get(
    '/api/v1/parcels/:id/scans',
    {
      schema: {
        tags: ['xray'],
        summary: "A parcel's scans with their analysis",
        params: parcelParams,
        response: { 200: z.array(scanSchema) },
      },
    },
    async (request) => xray.listScans(requireActor(request), request.params.id),
  );

  app.get(
    '/api/v1/scans/:scanId',
    {
      schema: {
        tags: ['xray'],
        summary: 'One scan with its named threats, materials and match with the declaration',
        params: scanParams,
        response: { 200: scanSchema },
      },
    },
    async (request) => xray.getScan(requireActor(request), request.params.scanId),
  );

  app.get(
    '/api/v1/scans/:scanId/annotated.png',
    {
      schema: {
        tags: ['xray'],
        summary:
          "The scan with boxes and threat names (in the reader's language) drawn on it: red where no declared line explains the threat",
        params: scanParams,
        querystring: z.object({
          materials: z.enum(['0', '1']).optional().describe('1 to colour organic, inorganic and metal areas'),
          boxes: z
            .enum(['0', '1'])
            .optional()
            .describe(
              '0 for the scan without boxes (the console draws them itself); 1, the default, with them',
            ),
        }),
      },
    },
    async (request, reply) => {
      const png = await xray.annotatedImage(requireActor(request), request.params.scanId, {
        materialOverlay: request.query.materials === '1',
        boxes: request.query.boxes !== '0',
        locale: readerLocale(request),
      });
      return reply.type('image/png').header('cache-control', 'private, max-age=60').send(png);
    },
  );
}
