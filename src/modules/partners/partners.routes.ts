import type { FastifyRequest } from 'fastify';
import { z } from 'zod';
import type { FieldError } from '../../platform/errors/field-error.js';
import { headerValue, serviceValidatesBody } from '../../platform/http/documented-body.js';
import type { HttpServer } from '../../platform/http/http-server.js';
import { readerLocale, requireActor } from '../../platform/http/request-actor.js';
import { readCsvRows } from './adapters/csv-rows.js';
import type { AgreementsService } from './agreements.service.js';
import { MAX_PICTURE_BYTES, PICTURE_MEDIA_TYPES, type AlertsService } from './alerts.service.js';
import type { ComplianceService } from './compliance.service.js';
import { pickLanguage } from './domain/wording.js';
import { PartnersError } from './partners.errors.js';
import { dataSharingFields } from './partners.repository.js';
import type { ProductSafetyService } from './product-safety.service.js';
import type { SellersService } from './sellers.service.js';

export interface PartnersServices {
  agreements: AgreementsService;
  alerts: AlertsService;
  compliance: ComplianceService;
  productSafety: ProductSafetyService;
  sellers: SellersService;
}

const tags = ['partners'];
const JSON_OR_CSV = ['application/json', 'text/csv'];
const idParams = z.object({ id: z.coerce.number().int().positive() });
const pictureParams = idParams.extend({ pictureId: z.coerce.number().int().positive() });
const codeParams = z.object({
  code: z.string().regex(/^[A-Za-z0-9_-]{2,40}$/, 'must be an organisation code'),
});
const isoDate = z.string().regex(/^\d{4}-\d{2}-\d{2}$/, 'must be a date written YYYY-MM-DD');
const quarter = z.string().regex(/^\d{4}-Q[1-4]$/, 'must be a quarter written YYYY-Qn, e.g. 2026-Q1');
const text = (max: number) => z.string().trim().min(1).max(max);
const optionalText = (max: number) => z.string().trim().max(max).nullish();
const lang = z
  .enum(['ko', 'en', 'fr'])
  .optional()
  .describe('Language of names and headings (default: Accept-Language)');

const agreementBody = z.object({
  organisationRole: z.enum(['carrier', 'postal_operator', 'agency']),
  name: text(200),
  startsOn: isoDate,
  endsOn: isoDate,
  offices: z.array(z.string().trim().min(1).max(20)).max(50).default([]),
  contacts: z
    .array(
      z.object({
        name: text(200),
        role: optionalText(100),
        email: z.email().optional(),
        phone: optionalText(40),
      }),
    )
    .max(20)
    .default([]),
  obligations: z.array(text(500)).max(50).default([]),
  dataSharing: z
    .array(z.enum(dataSharingFields))
    .default([])
    .describe('For agencies: parcel details their product-safety hits may show'),
  status: z.enum(['active', 'suspended', 'terminated']),
  statusReason: optionalText(500),
});

const alertBody = z.object({
  kind: z.enum(['alert', 'training']),
  category: z.enum(['narcotics', 'firearms', 'dangerous_goods', 'counterfeit', 'other']),
  title: text(200),
  body: text(10_000),
  concealmentMethod: optionalText(1000),
  route: optionalText(500),
  indicators: z.array(text(500)).max(50).optional().describe('What to look for'),
  caseReference: optionalText(100).describe('Sensitive: shown to officers only'),
  suspectNames: z.array(text(200)).max(50).optional().describe('Sensitive: shown to officers only'),
  audience: z
    .array(z.string().regex(/^[A-Za-z0-9_-]{2,40}$/))
    .max(200)
    .nullish()
    .describe('Organisation codes; absent or empty: every carrier and post'),
});

const inspectionFigures = z.object({
  period: quarter,
  parcelsHandled: z.coerce.number().int().min(0),
  parcelsScreened: z.coerce.number().int().min(0),
  parcelsInspected: z.coerce.number().int().min(0),
  findings: z.coerce.number().int().min(0),
});

const safetyReport = z.object({
  productName: text(500),
  hazard: text(2000),
  brand: optionalText(200),
  model: optionalText(100),
  hsCode: z
    .string()
    .regex(/^\d{4,10}$/, 'must be 4 to 10 digits')
    .nullish(),
  sellerId: optionalText(200),
  listingUrl: z.url().max(1000).nullish(),
  recallReference: optionalText(200),
});

const sellerApplication = z.object({
  legalName: text(300),
  country: z.string().regex(/^[A-Za-z]{2}$/, 'must be an ISO 3166 alpha-2 code'),
  address: z.object({
    street: text(300),
    city: text(100),
    postcode: optionalText(20),
    country: z.string().regex(/^[A-Za-z]{2}$/, 'must be an ISO 3166 alpha-2 code'),
  }),
  marketplaces: z.array(text(200)).min(1).max(20),
  contact: z.object({ email: z.email(), phone: optionalText(40), name: optionalText(200) }),
  documents: z
    .array(text(300))
    .max(20)
    .optional()
    .describe('Names of the documents sent (business licence, ...)'),
  password: z
    .string()
    .min(1)
    .max(256)
    .optional()
    .describe('Opens an account (e-mail: contact.email) with which the seller follows its registration'),
});

const hitSchema = z.object({
  parcelId: z.number(),
  line: z.object({ number: z.number(), text: z.string(), orderId: z.number().nullable() }),
  matchedOn: z.array(z.string()),
  score: z.number(),
  foundAt: z.string(),
  trackingNumber: z.string().nullable().optional(),
  carrierCode: z.string().nullable().optional(),
  hsCode: z.string().nullable().optional(),
});

/** Field errors of a zod failure, with the line of a CSV row when there is one. */
function fieldErrors(error: z.ZodError, input: unknown, line?: number): FieldError[] {
  return error.issues.map((issue) => {
    let value: unknown = input;
    for (const key of issue.path)
      value = (value as Record<PropertyKey, unknown> | undefined)?.[key as PropertyKey];
    return {
      path: issue.path.join('/'),
      value,
      rule: issue.code,
      message: issue.message,
      ...(line ? { line } : {}),
    };
  });
}

/** A JSON object (one), a JSON array, or a CSV document (one per row) validated as a list of `schema`. */
function listBody<T extends z.ZodType>(request: FastifyRequest, schema: T, what: string): z.output<T>[] {
  const contentType = (headerValue(request.headers['content-type']) ?? '').split(';')[0]!.trim();
  let records: unknown[];
  let firstLine = 0;
  if (contentType === 'text/csv') {
    try {
      records = readCsvRows(String(request.body ?? ''));
    } catch (error) {
      throw new PartnersError(
        'invalid_request',
        `The CSV document is malformed: ${(error as Error).message}`,
        {
          fieldErrors: [{ path: '', value: null, rule: 'csv', message: (error as Error).message }],
        },
      );
    }
    firstLine = 2; // line 1 is the header
  } else if (contentType === 'application/json' || contentType === '') {
    records = Array.isArray(request.body) ? request.body : [request.body];
  } else {
    throw new PartnersError(
      'unsupported_media_type',
      `Send ${what} as application/json or text/csv, not ${contentType}`,
    );
  }
  if (records.length === 0)
    throw new PartnersError('invalid_request', `No ${what} in the body`, {
      fieldErrors: [{ path: '', value: null, rule: 'required', message: `send at least one ${what}` }],
    });
  const errors: FieldError[] = [];
  const values = records.map((record, index) => {
    const cleaned =
      firstLine > 0
        ? Object.fromEntries(
            Object.entries(record as Record<string, string>).filter(([, value]) => value !== ''),
          )
        : record;
    const parsed = schema.safeParse(cleaned);
    if (!parsed.success) {
      const line = firstLine > 0 ? firstLine + index : undefined;
      errors.push(
        ...fieldErrors(parsed.error, cleaned, line).map((error) =>
          firstLine === 0 && records.length > 1 ? { ...error, path: `${index}/${error.path}` } : error,
        ),
      );
    }
    return parsed.data as z.output<T>;
  });
  if (errors.length > 0)
    throw new PartnersError(
      'invalid_request',
      `The ${what} is invalid: ${errors
        .slice(0, 3)
        .map(
          (error) => `${error.path || 'body'}${error.line ? ` (line ${error.line})` : ''}: ${error.message}`,
        )
        .join('; ')}`,
      { fieldErrors: errors },
    );
  return values;
}

function registerPictureParser(app: HttpServer): void {
  const missing = PICTURE_MEDIA_TYPES.filter((type) => !app.hasContentTypeParser(type));
  if (missing.length > 0)
    app.addContentTypeParser(
      [...missing],
      { parseAs: 'buffer', bodyLimit: MAX_PICTURE_BYTES },
      (_request, body, done) => done(null, body),
    );
}

function pictureUpload(request: FastifyRequest): { content: Buffer; mediaType: string } {
  const mediaType = (headerValue(request.headers['content-type']) ?? '').split(';')[0]!.trim();
  return { content: Buffer.isBuffer(request.body) ? request.body : Buffer.alloc(0), mediaType };
}

/** Partners' HTTP edge: agreements, alerts, inspection figures, compliance, product safety, foreign sellers. */
export function registerPartnersRoutes(app: HttpServer, services: PartnersServices): void {
  const { agreements, alerts, compliance, productSafety, sellers } = services;
  registerPictureParser(app);

  // ---- agreements
  app.put(
    '/api/v1/partners/agreements/:code',
    {
      schema: {
        tags,
        summary: 'Create or change the agreement with a carrier, post or agency (administrators)',
        description:
          "Organisation accounts and API keys belong to the organisation of the same code. An agreement that is suspended, terminated or outside its dates refuses that organisation's submissions (403 agreement_not_in_force).",
        params: codeParams,
        body: agreementBody,
      },
    },
    async (request) =>
      agreements.save(requireActor(request), {
        ...request.body,
        organisationCode: request.params.code,
        statusReason: request.body.statusReason ?? null,
        contacts: request.body.contacts,
      }),
  );
  app.get(
    '/api/v1/partners/agreements',
    { schema: { tags, summary: 'Every agreement (officers)' } },
    async (request) => ({ agreements: await agreements.list(requireActor(request)) }),
  );
  app.get(
    '/api/v1/partners/agreements/:code',
    { schema: { tags, summary: 'One agreement: officers, or the organisation itself', params: codeParams } },
    async (request) => agreements.get(requireActor(request), request.params.code),
  );

  // ---- alerts and training material
  app.post(
    '/api/v1/partners/alerts',
    {
      schema: {
        tags,
        summary:
          'Publish an alert or training material to every carrier and post, or to named ones (officers)',
        body: alertBody,
      },
    },
    async (request, reply) =>
      reply.status(201).send(await alerts.publish(requireActor(request), request.body)),
  );
  app.get(
    '/api/v1/partners/alerts',
    {
      schema: {
        tags,
        summary:
          'Alerts: a carrier or post sees those addressed to it (reading is recorded); officers see all with readers',
        description: "Case references and suspects' names are never sent to carriers and posts.",
      },
    },
    async (request) => alerts.list(requireActor(request)),
  );
  app.post(
    '/api/v1/partners/alerts/:id/acknowledgement',
    {
      schema: {
        tags,
        summary: 'Acknowledge an alert (the carrier or post it is addressed to)',
        params: idParams,
      },
    },
    async (request) => alerts.acknowledge(requireActor(request), request.params.id),
  );
  app.post(
    '/api/v1/partners/alerts/:id/pictures',
    {
      bodyLimit: MAX_PICTURE_BYTES,
      schema: {
        tags,
        summary: 'Add a picture to an alert (raw PNG, JPEG or WebP body; officers)',
        consumes: [...PICTURE_MEDIA_TYPES],
        params: idParams,
      },
    },
    async (request, reply) => {
      const { content, mediaType } = pictureUpload(request);
      const saved = await alerts.addPicture(requireActor(request), request.params.id, content, mediaType);
      return reply.status(saved.created ? 201 : 200).send({ id: saved.id });
    },
  );
  app.get(
    '/api/v1/partners/alerts/:id/pictures/:pictureId',
    { schema: { tags, summary: 'A picture of an alert', params: pictureParams } },
    async (request, reply) => {
      const picture = await alerts.picture(
        requireActor(request),
        request.params.id,
        request.params.pictureId,
      );
      return reply.type(picture.mediaType).send(picture.content);
    },
  );

  // ---- inspection figures and compliance
  app.post(
    '/api/v1/partners/carriers/:code/inspection-reports',
    {
      validatorCompiler: serviceValidatesBody,
      schema: {
        tags,
        summary:
          "A carrier's own screening and inspection figures per quarter (JSON object or array, or CSV)",
        description:
          'CSV columns: period,parcelsHandled,parcelsScreened,parcelsInspected,findings. A quarter sent again replaces the earlier figures (its revision grows).',
        params: codeParams,
        consumes: JSON_OR_CSV,
        body: z.union([inspectionFigures, z.array(inspectionFigures)]),
      },
    },
    async (request, reply) => {
      const rows = listBody(request, inspectionFigures, 'inspection figures');
      return reply
        .status(201)
        .send(await compliance.submitInspectionFigures(requireActor(request), request.params.code, rows));
    },
  );
  app.get(
    '/api/v1/partners/carriers/:code/inspection-reports',
    {
      schema: {
        tags,
        summary:
          "The carrier's figures and customs' figures for one quarter side by side, differences flagged",
        params: codeParams,
        querystring: z.object({ period: quarter }),
      },
    },
    async (request) =>
      compliance.compareInspectionFigures(requireActor(request), request.params.code, request.query.period),
  );
  app.get(
    '/api/v1/partners/carriers/:code/compliance',
    {
      schema: {
        tags,
        summary:
          'Compliance evaluation of a carrier for a quarter: indicators with their evidence, score and level',
        description:
          "Evaluating the carrier's latest quarter sets its risk level in targeting at once when it changes (audited): low risk halves the share of its parcels selected, high risk doubles it.",
        params: codeParams,
        querystring: z.object({ period: quarter, lang }),
      },
    },
    async (request) =>
      compliance.evaluate(
        requireActor(request),
        request.params.code,
        request.query.period,
        pickLanguage(request.query.lang, readerLocale(request)),
      ),
  );
  app.get(
    '/api/v1/partners/carriers/:code/compliance/trend',
    {
      schema: {
        tags,
        summary: 'Score and level of the quarters up to `period` (the trend chart)',
        params: codeParams,
        querystring: z.object({
          period: quarter,
          quarters: z.coerce.number().int().min(1).max(12).default(6),
        }),
      },
    },
    async (request) =>
      compliance.trend(
        requireActor(request),
        request.params.code,
        request.query.period,
        request.query.quarters,
      ),
  );
  app.get(
    '/api/v1/partners/carriers/:code/compliance/report',
    {
      schema: {
        tags,
        summary: 'The compliance evaluation as a CSV file to download, in Korean, English or French',
        params: codeParams,
        querystring: z.object({ period: quarter, lang }),
      },
    },
    async (request, reply) => {
      const language = pickLanguage(request.query.lang, readerLocale(request));
      const csv = await compliance.report(
        requireActor(request),
        request.params.code,
        request.query.period,
        language,
      );
      return reply
        .type('text/csv; charset=utf-8')
        .header(
          'content-disposition',
          `attachment; filename="compliance-${request.params.code.toUpperCase()}-${request.query.period}-${language}.csv"`,
        )
        .send(`\uFEFF${csv}`);
    },
  );

  // ---- product safety
  app.post(
    '/api/v1/partners/product-safety/reports',
    {
      validatorCompiler: serviceValidatesBody,
      schema: {
        tags,
        summary:
          'Report an illegal, defective or dangerous product (agencies): JSON, or CSV with one report per row',
        description:
          'JSON answers 201 {id} (200 with the first id when the same report was sent before). A JSON array or a CSV body (columns productName,hazard,brand,model,hsCode,sellerId,listingUrl,recallReference) answers {reports: [{id, created}]}. Each report is matched against incoming parcels and, in the background, the last 90 days.',
        consumes: JSON_OR_CSV,
        body: z.union([safetyReport, z.array(safetyReport)]),
      },
    },
    async (request, reply) => {
      const inputs = listBody(request, safetyReport, 'product-safety report');
      const results = await productSafety.file(requireActor(request), inputs);
      const single = !Array.isArray(request.body) && typeof request.body !== 'string';
      const status = results.some((result) => result.created) ? 201 : 200;
      return reply.status(status).send(single ? { id: results[0]!.id } : { reports: results });
    },
  );
  app.get(
    '/api/v1/partners/product-safety/reports',
    {
      schema: {
        tags,
        summary: 'Product-safety reports with their hit counts: an agency sees its own; officers all',
      },
    },
    async (request) => productSafety.list(requireActor(request)),
  );
  app.get(
    '/api/v1/partners/product-safety/reports/:id',
    { schema: { tags, summary: 'One product-safety report', params: idParams } },
    async (request) => productSafety.get(requireActor(request), request.params.id),
  );
  app.get(
    '/api/v1/partners/product-safety/reports/:id/hits',
    {
      schema: {
        tags,
        summary:
          "Parcels whose lines or orders match the report (parcel details as far as the agency's agreement allows)",
        params: idParams,
        querystring: z.object({ limit: z.coerce.number().int().min(1).max(5000).default(1000) }),
        response: { 200: z.object({ hits: z.array(hitSchema) }) },
      },
    },
    async (request) => productSafety.hits(requireActor(request), request.params.id, request.query.limit),
  );
  app.post(
    '/api/v1/partners/product-safety/reports/:id/pictures',
    {
      bodyLimit: MAX_PICTURE_BYTES,
      schema: {
        tags,
        summary: 'Add a picture of the product (raw PNG, JPEG or WebP body)',
        consumes: [...PICTURE_MEDIA_TYPES],
        params: idParams,
      },
    },
    async (request, reply) => {
      const { content, mediaType } = pictureUpload(request);
      const saved = await productSafety.addPicture(
        requireActor(request),
        request.params.id,
        content,
        mediaType,
      );
      return reply.status(saved.created ? 201 : 200).send({ id: saved.id });
    },
  );
  app.get(
    '/api/v1/partners/product-safety/reports/:id/pictures/:pictureId',
    { schema: { tags, summary: 'A picture of a reported product', params: pictureParams } },
    async (request, reply) => {
      const picture = await productSafety.picture(
        requireActor(request),
        request.params.id,
        request.params.pictureId,
      );
      return reply.type(picture.mediaType).send(picture.content);
    },
  );

  // ---- foreign online sellers
  app.post(
    '/api/v1/sellers/registrations',
    {
      config: { rateLimit: { max: 20, timeWindow: '1 minute' } },
      schema: {
        tags: ['sellers'],
        summary: 'A foreign online seller applies for registration (no account needed)',
        security: [],
        body: sellerApplication,
      },
    },
    async (request, reply) => reply.status(201).send(await sellers.apply(request.actor, request.body)),
  );
  app.get(
    '/api/v1/sellers/registrations',
    {
      schema: {
        tags: ['sellers'],
        summary: 'Seller registrations (officers)',
        querystring: z.object({
          status: z.enum(['applied', 'approved', 'rejected', 'suspended']).optional(),
        }),
      },
    },
    async (request) => sellers.list(requireActor(request), request.query.status),
  );
  app.get(
    '/api/v1/sellers/me',
    {
      schema: {
        tags: ['sellers'],
        summary:
          "The signed-in seller's own registration, decisions and history (parcels, orders, inspections, hits)",
      },
    },
    async (request) => sellers.own(requireActor(request)),
  );
  app.get(
    '/api/v1/sellers/registrations/:id',
    {
      schema: {
        tags: ['sellers'],
        summary:
          "A seller's page: registration, decisions, parcels, orders, inspections, violations, hits (officers)",
        params: idParams,
      },
    },
    async (request) => sellers.page(requireActor(request), request.params.id),
  );
  app.post(
    '/api/v1/sellers/registrations/:id/decision',
    {
      schema: {
        tags: ['sellers'],
        summary: 'Approve, reject or suspend a registration (targeting analysts; audited)',
        params: idParams,
        body: z.object({
          decision: z.enum(['approved', 'rejected', 'suspended']),
          reason: optionalText(1000),
        }),
      },
    },
    async (request) =>
      sellers.decide(
        requireActor(request),
        request.params.id,
        request.body.decision,
        request.body.reason ?? null,
      ),
  );
}
