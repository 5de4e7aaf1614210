import type { FastifyRequest } from 'fastify';
import { z } from 'zod';
import type { HttpServer } from '../../platform/http/http-server.js';
import { readerLocale, requireActor } from '../../platform/http/request-actor.js';
import { headerValue, serviceValidatesBody } from '../../platform/http/documented-body.js';
import { postalItemSchema } from './domain/postal-item.js';
import { houseWaybillSchema, manifestHeaderSchema } from './domain/express-manifest.js';
import { marketplaceOrderSchema, paymentSchema } from './domain/marketplace-records.js';
import { IntakeError, intakeFieldRuleMessages } from './intake.errors.js';
import { localisedFieldErrors } from '../../platform/http/error-messages.js';
import type { DocumentFormat, IntakeService, IntakeSummary } from './intake.service.js';

const idempotencyHeaders = z.object({
  'idempotency-key': z
    .string()
    .min(1)
    .max(200)
    .optional()
    .describe('Makes a retry of the same request return the first answer'),
});

const fieldErrorSchema = z.object({
  path: z.string(),
  value: z.unknown().optional(),
  rule: z.string(),
  message: z.string(),
  line: z.number().optional(),
});
const summarySchema = z.object({
  messageId: z.number(),
  received: z.number(),
  accepted: z.number(),
  duplicates: z.number(),
  conflicts: z.number(),
  rejected: z.number(),
  errors: z.array(fieldErrorSchema),
  records: z.array(z.object({ line: z.number(), status: z.string(), id: z.number().optional() })).optional(),
});

/** Documents of many records come as JSON or as CSV (text/csv); the HTTP layer refuses other types with 415. */
/** A stored parcel as intake shows it (intake.views.ts ParcelView): decimals as text, times as ISO text. */
const decimalText = z.string().describe('A decimal number written as text, without padding zeros');
const parcelViewSchema = z.object({
  id: z.number(),
  channel: z.enum(['postal', 'express']),
  trackingNumber: z.string(),
  carrierCode: z.string(),
  masterWaybill: z.string().nullable(),
  flight: z.string().nullable(),
  pccc: z.string().nullable(),
  officeCode: z.string().nullable(),
  category: z.string().nullable(),
  sender: z.record(z.string(), z.unknown()).describe('The sender as declared'),
  addressee: z.record(z.string(), z.unknown()).describe('The addressee as declared'),
  seller: z
    .object({
      id: z.string(),
      name: z.string().nullable(),
      country: z.string().nullable(),
      registrationNumber: z.string().nullable(),
      registrationStatus: z.string().nullable(),
    })
    .nullable(),
  grossMassKg: decimalText.nullable(),
  pieces: z.number().nullable(),
  declaredValue: decimalText,
  currency: z.string(),
  freightValue: decimalText.nullable(),
  insuranceValue: decimalText.nullable(),
  arrivalDate: z.string().nullable(),
  declaredOn: z.string().nullable(),
  documents: z.record(z.string(), z.unknown()).nullable().describe('Document references as declared'),
  receivedAt: z.string(),
  messageId: z.number(),
  declarationId: z.number().nullable(),
  lines: z.array(
    z.object({
      lineNumber: z.number(),
      description: z.string(),
      quantity: decimalText,
      netMassKg: decimalText.nullable(),
      value: decimalText,
      currency: z.string(),
      hsCode: z.string().nullable(),
      originCountry: z.string().nullable(),
    }),
  ),
  orders: z.array(
    z.object({
      marketplace: z.string(),
      orderNumber: z.string(),
      productTitle: z.string(),
      pricePaid: decimalText,
      currency: z.string(),
      listingUrl: z.string().nullable(),
      orderedAt: z.string(),
      sellerId: z.string().nullable(),
      splitFromWaybill: z.string().nullable(),
    }),
  ),
  payments: z.array(
    z.object({
      marketplace: z.string(),
      paymentReference: z.string(),
      orderNumber: z.string(),
      method: z.string(),
      amount: decimalText,
      currency: z.string(),
      foreignAmount: decimalText.nullable(),
      foreignCurrency: z.string().nullable(),
      paidAt: z.string(),
    }),
  ),
});

const JSON_OR_CSV = ['application/json', 'text/csv'];
const isoDay = z.string().regex(/^\d{4}-\d{2}-\d{2}$/, 'a day as YYYY-MM-DD');

function formatOf(contentType: string | undefined): DocumentFormat {
  const type = (contentType ?? '').split(';')[0]!.trim().toLowerCase();
  if (type === 'text/csv') return 'csv';
  if (type === 'application/xml' || type === 'text/xml') return 'xml';
  if (type === 'application/json' || type === '') return 'json';
  throw new IntakeError(
    'malformed_document',
    `Unsupported content type ${type}: send application/json, text/csv or application/xml`,
  );
}

/** The summary with its field errors in the caller's language (Accept-Language, else their choice). */
function inCallersLanguage(summary: IntakeSummary, request: FastifyRequest): IntakeSummary {
  const locale = readerLocale(request);
  return { ...summary, errors: localisedFieldErrors(summary.errors, locale, intakeFieldRuleMessages) };
}

/** 200 when at least one record was taken or was already there; 422 when every record was refused. */
function summaryStatus(summary: IntakeSummary): 200 | 422 {
  return summary.received > 0 && summary.rejected + summary.conflicts === summary.received ? 422 : 200;
}

export function registerIntakeRoutes(app: HttpServer, intake: IntakeService): void {
  app.post(
    '/api/v1/postal/items',
    {
      validatorCompiler: serviceValidatesBody,
      schema: {
        tags: ['intake'],
        summary: 'Receive one electronic CN22/CN23 postal item',
        description:
          'Answers 201 with the new parcel id, or 200 with the same id when the same item was sent before.',
        headers: idempotencyHeaders,
        body: postalItemSchema,
        response: {
          200: z.object({ id: z.number(), status: z.literal('duplicate') }),
          201: z.object({ id: z.number(), status: z.literal('created') }),
        },
      },
    },
    async (request, reply) => {
      const result = await intake.receivePostalItem(
        requireActor(request),
        request.body,
        headerValue(request.headers['idempotency-key']),
      );
      return reply.status(result.status === 'created' ? 201 : 200).send(result as never);
    },
  );

  app.post(
    '/api/v1/postal/itmatt',
    {
      validatorCompiler: serviceValidatesBody,
      schema: {
        tags: ['intake'],
        summary: 'Receive an ITMATT-style XML document holding many postal items',
        description:
          'Content type application/xml. Each <Item> is validated on its own; the answer accounts for every item.',
        headers: idempotencyHeaders,
        consumes: ['application/xml', 'text/xml'],
        body: z.string().describe('<ITMATT><Item>...</Item></ITMATT>'),
        response: { 200: summarySchema, 422: summarySchema },
      },
    },
    async (request, reply) => {
      if (formatOf(request.headers['content-type']) !== 'xml')
        throw new IntakeError('malformed_document', 'Send the ITMATT document as application/xml');
      const summary = await intake.receiveDocument(
        requireActor(request),
        'postal',
        'xml',
        request.body,
        headerValue(request.headers['idempotency-key']),
      );
      return reply.status(summaryStatus(summary)).send(inCallersLanguage(summary, request));
    },
  );

  app.post(
    '/api/v1/express/manifests',
    {
      validatorCompiler: serviceValidatesBody,
      schema: {
        tags: ['intake'],
        summary: 'Receive an express manifest with its house-level declarations (JSON or CSV)',
        description:
          'JSON: the manifest header with "houses". CSV (text/csv): one row per declaration line, columns named by JSON path (hawb, consignee.pccc, line.hsCode, ...); rows of one house are consecutive.',
        headers: idempotencyHeaders,
        consumes: JSON_OR_CSV,
        body: manifestHeaderSchema.extend({ houses: z.array(houseWaybillSchema) }),
        response: { 200: summarySchema, 422: summarySchema },
      },
    },
    async (request, reply) => {
      const format = formatOf(request.headers['content-type']);
      const summary = await intake.receiveDocument(
        requireActor(request),
        'express',
        format,
        request.body,
        headerValue(request.headers['idempotency-key']),
      );
      return reply.status(summaryStatus(summary)).send(inCallersLanguage(summary, request));
    },
  );

  app.post(
    '/api/v1/marketplace/orders',
    {
      validatorCompiler: serviceValidatesBody,
      schema: {
        tags: ['intake'],
        summary: 'Receive marketplace orders (one object, an array, or CSV)',
        headers: idempotencyHeaders,
        consumes: JSON_OR_CSV,
        body: z.union([marketplaceOrderSchema, z.array(marketplaceOrderSchema)]),
        response: { 200: summarySchema, 422: summarySchema },
      },
    },
    async (request, reply) => {
      const summary = await intake.receiveDocument(
        requireActor(request),
        'orders',
        formatOf(request.headers['content-type']),
        request.body,
        headerValue(request.headers['idempotency-key']),
      );
      return reply.status(summaryStatus(summary)).send(inCallersLanguage(summary, request));
    },
  );

  app.post(
    '/api/v1/marketplace/payments',
    {
      validatorCompiler: serviceValidatesBody,
      schema: {
        tags: ['intake'],
        summary: 'Receive payments for marketplace orders (one object, an array, or CSV)',
        headers: idempotencyHeaders,
        consumes: JSON_OR_CSV,
        body: z.union([paymentSchema, z.array(paymentSchema)]),
        response: { 200: summarySchema, 422: summarySchema },
      },
    },
    async (request, reply) => {
      const summary = await intake.receiveDocument(
        requireActor(request),
        'payments',
        formatOf(request.headers['content-type']),
        request.body,
        headerValue(request.headers['idempotency-key']),
      );
      return reply.status(summaryStatus(summary)).send(inCallersLanguage(summary, request));
    },
  );

  app.get(
    '/api/v1/parcels',
    {
      schema: {
        tags: ['intake'],
        summary:
          'Parcels the caller may see, newest first, with filters and paging (officers: all; carriers and posts: their own; consumers: under their PCCC)',
        querystring: z.object({
          trackingNumber: z
            .string()
            .trim()
            .min(1)
            .max(64)
            .optional()
            .describe('S10 item id or house waybill, as typed or upper-cased'),
          channel: z.enum(['postal', 'express']).optional(),
          carrier: z
            .string()
            .trim()
            .min(1)
            .max(32)
            .optional()
            .describe('carrier or post code, e.g. DHL, KPOST'),
          arrivedFrom: isoDay.optional().describe('first arrival day, YYYY-MM-DD'),
          arrivedTo: isoDay.optional().describe('last arrival day, YYYY-MM-DD'),
          limit: z.coerce.number().int().min(1).max(200).default(50),
          beforeId: z.coerce
            .number()
            .int()
            .positive()
            .optional()
            .describe('the nextBeforeId of the previous page'),
        }),
        response: {
          200: z.object({
            items: z.array(
              z.object({
                id: z.number(),
                trackingNumber: z.string(),
                carrierCode: z.string(),
                channel: z.enum(['postal', 'express']),
                receivedAt: z.string(),
                arrivalDate: z.string(),
                declaredValue: z.number(),
                currency: z.string(),
              }),
            ),
            nextBeforeId: z.number().optional().describe('present when another page follows'),
          }),
        },
      },
    },
    async (request) => {
      const { carrier, ...filter } = request.query;
      return intake.listParcels(requireActor(request), { ...filter, carrierCode: carrier });
    },
  );

  app.get(
    '/api/v1/parcels/:id',
    {
      schema: {
        tags: ['intake'],
        summary: 'A stored parcel with its declaration lines, parties, orders and payments',
        params: z.object({ id: z.coerce.number().int().positive() }),
        response: { 200: parcelViewSchema },
      },
    },
    async (request) => intake.getParcel(requireActor(request), request.params.id),
  );
}
