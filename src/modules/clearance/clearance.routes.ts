import { z } from 'zod';
import { calendarDate } from '../../platform/validation/query-values.js';
import type { HttpServer } from '../../platform/http/http-server.js';
import { assessmentForReader } from './clearance.views.js';
import { readerLocale, requireActor } from '../../platform/http/request-actor.js';
import { serviceValidatesBody } from '../../platform/http/documented-body.js';
import { postalItemSchema } from '../intake/index.js';
import { expressHousePreviewSchema } from './clearance.preview-input.js';
import type { ClearanceModule } from './index.js';
import { inspectionOutcomes, seizureCategories } from './domain/inspection-outcome.js';
import { parcelStates } from './domain/parcel-lifecycle.js';

const tags = ['clearance'];
const parcelParams = z.object({ id: z.coerce.number().int().positive() });
const isoDate = calendarDate;
const amount = z
  .string()
  .regex(/^\d{1,15}(\.\d{1,2})?$/, 'must be a non-negative amount with at most 2 decimals');
const country = z.string().regex(/^[A-Z]{2}$/, 'must be an ISO 3166 alpha-2 code');

const reasonSchema = z.object({
  code: z.string(),
  message: z.string().describe("the sentence in the reader's language (Accept-Language: ko, en, fr)"),
  params: z
    .record(z.string(), z.union([z.string(), z.number(), z.boolean(), z.null()]))
    .optional()
    .describe('the evidence the sentence quotes'),
  line: z.number().optional(),
  parcel: z.string().optional(),
});
const assessmentSchema = z.object({
  listClearance: z.boolean(),
  taxable: z.boolean(),
  reasons: z.array(reasonSchema),
  goodsPriceKrw: z.number().int(),
  goodsPriceUsd: z.string(),
  listClearanceLimitUsd: z.string(),
  customsValueKrw: z.number().int(),
  dutyKrw: z.number().int(),
  exciseKrw: z.number().int(),
  vatKrw: z.number().int(),
  totalTaxKrw: z.number().int(),
  assessedTaxKrw: z.number().int(),
  exchangeRates: z.array(
    z.object({ currency: z.string(), krwPerUnit: z.string(), unit: z.number(), weekStarting: z.string() }),
  ),
  lines: z.array(
    z.object({
      parcel: z.string(),
      lineNumber: z.number(),
      description: z.string(),
      hsCode: z.string().nullable(),
      value: z.string(),
      currency: z.string(),
      excludedAs: z.array(z.object({ category: z.string(), label: z.string(), evidence: z.string() })),
      customsValueKrw: z.number().int(),
      dutyPercent: z.string(),
      tariffPrefix: z.string().nullable(),
      dutyKrw: z.number().int(),
      excisePercent: z.string(),
      exciseKrw: z.number().int(),
      vatPercent: z.string(),
      vatKrw: z.number().int(),
    }),
  ),
});

const parcelStateSchema = z.enum(parcelStates);
const groupMemberSchema = z.object({
  parcelId: z.number(),
  trackingNumber: z.string(),
  state: parcelStateSchema,
  goodsPriceKrw: z.number().nullable().describe('null while the parcel has no assessment'),
  splitFromWaybill: z.string().nullable(),
  sellerKey: z.string().nullable(),
  purchaseDate: z.string().nullable(),
  arrivalDate: z.string().nullable(),
});
const groupTriggerSchema = z.enum(['same_waybill', 'same_seller_same_date']);
const combinedGroupSchema = z.object({
  id: z.string().describe('stable while the members stay: named after the lowest member id'),
  triggers: z.array(groupTriggerSchema),
  evidence: z
    .array(
      z.object({
        trigger: groupTriggerSchema,
        waybill: z.string().optional(),
        seller: z.string().optional(),
        purchaseDate: z.string().optional(),
        parcelIds: z.array(z.number()),
      }),
    )
    .describe('the shared facts behind each trigger, all per importer'),
  members: z.array(groupMemberSchema),
  goodsPriceKrw: z.number(),
  limitKrw: z.number().nullable().describe('the strictest member limit; null while no member is assessed'),
  overLimit: z.boolean(),
});
const splittingSignalSchema = z.object({
  kind: z.enum(['same_pccc_same_day', 'same_delivery_address']),
  evidence: z.object({
    pccc: z.string().optional(),
    arrivalDate: z.string().optional(),
    deliveryAddressKey: z.string().optional(),
    distinctPcccs: z.number().optional(),
  }),
  members: z.array(groupMemberSchema),
  goodsPriceKrw: z.number(),
  overLimitIfCombined: z.boolean(),
});
const officerCaseSchema = z.object({
  id: z.number(),
  parcelId: z.number(),
  kind: z.enum(['additional_tax', 'exchange_rate_missing']),
  status: z.enum(['open', 'closed']),
  task: z.string().describe("what to do, in the reader's language (Accept-Language: ko, en, fr)"),
  details: z
    .object({
      kind: z.enum(['additional_tax', 'exchange_rate_missing']),
      currency: z.string().optional(),
      date: z.string().optional(),
      weekStarting: z.string().optional(),
      isoYear: z.number().optional(),
      isoWeek: z.number().optional(),
      groupParcelIds: z.array(z.number()).optional(),
      triggers: z.array(z.string()).optional(),
      goodsPriceKrw: z.number().optional(),
      limitKrw: z.number().optional(),
      additionalTaxKrw: z.number().optional(),
    })
    .describe('the facts the task words'),
  openedAt: z.string(),
  closedAt: z.string().nullable(),
  closedBy: z.string().nullable(),
  resolution: z.string().nullable(),
});
/** A parcel's clearance; the officers' parts are absent for carriers and posts. */
const parcelClearanceSchema = z.object({
  parcelId: z.number(),
  channel: z.enum(['postal', 'express']),
  carrierCode: z.string(),
  trackingNumber: z.string(),
  state: parcelStateSchema,
  assessment: assessmentSchema.nullable(),
  assessmentError: z.string().nullable(),
  history: z.array(
    z.object({
      from: parcelStateSchema.nullable(),
      to: parcelStateSchema,
      actor: z.string(),
      at: z.string(),
      reason: z.string(),
    }),
  ),
  inspections: z
    .array(
      z.looseObject({
        id: z.number(),
        outcome: z.string(),
        notes: z.string().nullable(),
        inspector: z.string(),
        recorded_at: z.string(),
        corrected_value: z.string().nullable(),
        corrected_currency: z.string().nullable(),
      }),
    )
    .optional(),
  seizures: z
    .array(
      z.looseObject({
        id: z.number(),
        goods_category: z.string(),
        goods_description: z.string(),
        quantity: z.string(),
        quantity_unit: z.string(),
        recorded_by: z.string(),
        recorded_at: z.string(),
      }),
    )
    .optional(),
  deliveryAddressKey: z.string().nullable().optional(),
  group: combinedGroupSchema.nullable().optional(),
  signals: z.array(splittingSignalSchema).optional(),
  cases: z.array(officerCaseSchema).optional(),
});

const rateRowSchema = z.object({
  currency: z.string(),
  weekStarting: isoDate,
  krwPerUnit: z.union([z.string(), z.number()]),
  unit: z.number().int().optional(),
});

/** Registers the clearance endpoints. Bodies that the service validates (documents, CSV) keep their schema for the OpenAPI document. */
export function registerClearanceRoutes(app: HttpServer, clearance: ClearanceModule): void {
  const { assessment, grouping, lifecycle, inspections, notifications, cases } = clearance;
  app.post(
    '/api/v1/assessments/preview',
    {
      validatorCompiler: serviceValidatesBody,
      schema: {
        tags,
        summary:
          'Assess a parcel without storing it: list clearance, customs value, duty and VAT line by line',
        description:
          'The body is a CN23 item as for POST /api/v1/postal/items, or one express house with its manifest header fields ' +
          '(carrier, mawb, flight, arrivalDate) at the top level; freight and insurance (CIF) as in intake. Uses the weekly exchange rate of the arrival (or posting) date ' +
          'and the active rate tables. Amounts in won are integers; fractions of a won are dropped (configurable).',
        querystring: z.object({
          domesticShipping: amount
            .optional()
            .describe('Shipping inside the seller country, in the parcel currency: part of the goods price'),
          localTax: amount
            .optional()
            .describe(
              'Sales tax paid in the seller country, in the parcel currency: part of the goods price',
            ),
          rateDate: isoDate
            .optional()
            .describe('Use the weekly rate of this date instead of the arrival date'),
        }),
        body: z.union([postalItemSchema, expressHousePreviewSchema]),
        response: { 200: assessmentSchema },
      },
    },
    async (request) =>
      assessmentForReader(
        await assessment.preview(requireActor(request), request.body, request.query),
        readerLocale(request),
      ),
  );

  app.get(
    '/api/v1/clearance/exchange-rates',
    {
      schema: {
        tags,
        summary: 'Weekly customs exchange rates (newest first)',
        querystring: z.object({ from: isoDate.optional(), to: isoDate.optional() }),
      },
    },
    async (request) => ({
      rates: await assessment.listExchangeRates(requireActor(request), request.query.from, request.query.to),
    }),
  );

  app.put(
    '/api/v1/clearance/exchange-rates',
    {
      validatorCompiler: serviceValidatesBody,
      schema: {
        tags,
        summary:
          'Load weekly exchange rates (JSON rows, or CSV in our layout or as the customs service publishes them); all rows or none',
        description:
          'Data analysts and administrators. A rate applies for seven days from weekStarting; JPY is usually quoted per 100 (unit 100). ' +
          'CSV: header currency,weekStarting,krwPerUnit[,unit], or the published Korean headers (통화부호, 과세환율, 적용시작일; ' +
          'dates 2026.11.29, unit in the currency cell as JPY(100)); see docs/clearance.md. Parcels held for the loaded weeks are assessed.',
        consumes: ['application/json', 'text/csv'],
        querystring: z.object({ source: z.string().max(100).optional() }),
        body: z.union([z.array(rateRowSchema), z.object({ rates: z.array(rateRowSchema) }), z.string()]),
        response: {
          200: z.object({ loaded: z.number(), weeks: z.array(z.string()), parcelsAssessed: z.number() }),
        },
      },
    },
    async (request) =>
      assessment.loadExchangeRates(
        requireActor(request),
        request.body,
        request.query.source ?? (typeof request.body === 'string' ? 'csv upload' : 'api'),
      ),
  );

  app.get(
    '/api/v1/clearance/parcels/:id',
    {
      schema: {
        tags,
        summary: 'Clearance state, assessment and history of a parcel',
        description:
          'Officers also see inspections, seizures, the combined-taxation group (trigger, members with their values, ' +
          'the sum and the limit, and the shared facts), the splitting signals with their evidence, and open cases, ' +
          'worded in the Accept-Language (ko, en, fr).',
        params: parcelParams,
        response: { 200: parcelClearanceSchema },
      },
    },
    async (request) =>
      lifecycle.getParcelClearance(requireActor(request), request.params.id, readerLocale(request)),
  );

  app.post(
    '/api/v1/clearance/parcels/:id/assessment',
    {
      schema: {
        tags,
        summary: 'Re-assess a stored parcel with the parcels it must be taxed with (targeting analysts)',
        params: parcelParams,
        response: { 200: parcelClearanceSchema },
      },
    },
    async (request) => {
      const actor = requireActor(request);
      await assessment.assessParcel(actor, request.params.id);
      return lifecycle.getParcelClearance(actor, request.params.id, readerLocale(request));
    },
  );

  app.post(
    '/api/v1/clearance/parcels/:id/transitions',
    {
      schema: {
        tags,
        summary:
          'Move a parcel to another clearance state (recorded with who, when and why; illegal moves are refused with 409)',
        params: parcelParams,
        body: z.object({ to: parcelStateSchema, reason: z.string().max(1000) }),
        response: { 200: parcelClearanceSchema },
      },
    },
    async (request) => {
      const actor = requireActor(request);
      await lifecycle.transition(actor, request.params.id, request.body.to, request.body.reason);
      return lifecycle.getParcelClearance(actor, request.params.id, readerLocale(request));
    },
  );

  app.post(
    '/api/v1/clearance/parcels/:id/requests',
    {
      schema: {
        tags,
        summary: 'Ask the carrier for information or an amendment (holds an assessed parcel)',
        params: parcelParams,
        body: z.object({
          kind: z.enum(['request_for_information', 'request_for_amendment']),
          message: z.string().max(2000),
          fields: z.array(z.string().max(100)).max(50).default([]),
        }),
        response: { 201: z.object({ notificationId: z.number(), state: z.enum(parcelStates) }) },
      },
    },
    async (request, reply) =>
      reply
        .status(201)
        .send(
          await lifecycle.requestFromCarrier(
            requireActor(request),
            request.params.id,
            request.body.kind,
            request.body.message,
            request.body.fields,
          ),
        ),
  );

  app.post(
    '/api/v1/clearance/parcels/:id/inspections',
    {
      schema: {
        tags,
        summary: "Record the outcome of an inspection (inspectors); it becomes the parcel's training label",
        params: parcelParams,
        body: z.object({
          outcome: z.enum(inspectionOutcomes),
          correctedValue: amount.optional().describe('Undervaluation: the true total price'),
          correctedCurrency: z
            .string()
            .regex(/^[A-Z]{3}$/)
            .optional(),
          correctedDescription: z.string().max(500).optional(),
          correctedHsCode: z
            .string()
            .regex(/^\d{6,10}$/)
            .optional(),
          notes: z.string().max(4000).optional(),
        }),
      },
    },
    async (request, reply) =>
      reply
        .status(201)
        .send(await inspections.recordInspection(requireActor(request), request.params.id, request.body)),
  );

  app.post(
    '/api/v1/clearance/parcels/:id/seizures',
    {
      schema: {
        tags,
        summary:
          'Record a seizure with the WCO CEN fields (inspectors); the parcel becomes seized and the carrier is alerted',
        params: parcelParams,
        body: z.object({
          inspectionId: z.number().int().positive().optional(),
          goodsCategory: z.enum(seizureCategories),
          goodsDescription: z.string().min(1).max(500),
          quantity: z.string().regex(/^\d{1,11}(\.\d{1,3})?$/),
          quantityUnit: z.string().min(1).max(20),
          concealmentMethod: z.string().min(1).max(500),
          route: z.object({
            departureCountry: country,
            transitCountries: z.array(country).max(20).default([]),
            destinationCountry: country,
            transport: z.string().max(100).optional(),
          }),
          parties: z
            .array(
              z.object({
                role: z.enum(['sender', 'addressee', 'seller', 'carrier', 'other']),
                name: z.string().min(1).max(200),
                country: country.optional(),
                reference: z.string().max(100).optional(),
              }),
            )
            .max(50)
            .default([]),
          images: z
            .array(
              z.object({
                kind: z.enum(['photo', 'xray']),
                reference: z.string().min(1).max(500),
                caption: z.string().max(500).optional(),
              }),
            )
            .max(100)
            .default([]),
        }),
        response: { 201: z.object({ seizureId: z.number(), inspectionId: z.number() }) },
      },
    },
    async (request, reply) =>
      reply
        .status(201)
        .send(await inspections.recordSeizure(requireActor(request), request.params.id, request.body)),
  );

  app.post(
    '/api/v1/clearance/delivery-reports',
    {
      validatorCompiler: serviceValidatesBody,
      schema: {
        tags,
        summary:
          'Final delivery addresses reported by express carriers (JSON or CSV trackingNumber,deliveredTo,deliveredAt)',
        description:
          'Each address is normalised (Hangul and Latin forms meet) and every parcel delivered to it is re-analysed for splitting.',
        consumes: ['application/json', 'text/csv'],
        body: z.union([
          z.array(
            z.object({
              carrier: z.string().optional(),
              trackingNumber: z.string(),
              deliveredTo: z.string(),
              deliveredAt: z.string().optional(),
            }),
          ),
          z.string(),
        ]),
      },
    },
    async (request) => grouping.reportDeliveries(requireActor(request), request.body),
  );

  app.get(
    '/api/v1/clearance/grouping',
    {
      schema: {
        tags,
        summary:
          'Combined-taxation groups and splitting risk clusters among parcels arriving between two dates',
        querystring: z.object({ from: isoDate, to: isoDate }),
      },
    },
    async (request) => grouping.analyseGrouping(requireActor(request), request.query.from, request.query.to),
  );

  app.get(
    '/api/v1/clearance/notifications',
    {
      schema: {
        tags,
        summary:
          'Pull API: holds, requests, releases and seizure decisions for the calling carrier, after a cursor',
        querystring: z.object({
          after: z.coerce.number().int().min(0).default(0),
          limit: z.coerce.number().int().min(1).max(1000).default(100),
          carrier: z.string().max(20).optional(),
          unacknowledged: z.enum(['true', 'false']).default('false'),
        }),
      },
    },
    async (request) =>
      notifications.listNotifications(requireActor(request), {
        after: request.query.after,
        limit: request.query.limit,
        carrier: request.query.carrier,
        unacknowledgedOnly: request.query.unacknowledged === 'true',
      }),
  );

  app.post(
    '/api/v1/clearance/notifications/:id/acknowledgement',
    {
      schema: { tags, summary: 'The carrier confirms it has processed a notification', params: parcelParams },
    },
    async (request, reply) => {
      await notifications.acknowledgeNotification(requireActor(request), request.params.id);
      return reply.status(204).send();
    },
  );

  app.put(
    '/api/v1/clearance/webhooks/:carrier',
    {
      schema: {
        tags,
        summary:
          "Set the webhook that receives a carrier's notifications; answers a new HMAC signing secret once",
        params: z.object({ carrier: z.string().min(1).max(20) }),
        body: z.object({ url: z.string().max(500) }),
      },
    },
    async (request) =>
      notifications.setWebhook(requireActor(request), request.params.carrier, request.body.url),
  );

  app.post(
    '/api/v1/clearance/labels/delivery',
    {
      schema: {
        tags,
        summary:
          "Send inspection labels that have not reached the risk model's label store yet (data analysts)",
      },
    },
    async (request) => inspections.deliverPendingLabels(requireActor(request)),
  );

  app.get(
    '/api/v1/clearance/cases',
    {
      schema: {
        tags,
        summary: 'Cases for officers: additional tax after release, parcels held for a missing week of rates',
        description:
          'Each case says what to do in the Accept-Language (ko, en, fr), with the facts behind it.',
        querystring: z.object({
          status: z.enum(['open', 'closed']).optional(),
          kind: z.enum(['additional_tax', 'exchange_rate_missing']).optional(),
          limit: z.coerce.number().int().min(1).max(1000).default(100),
        }),
        response: { 200: z.object({ cases: z.array(officerCaseSchema) }) },
      },
    },
    async (request) => ({
      cases: await cases.listCases(requireActor(request), request.query, readerLocale(request)),
    }),
  );

  app.post(
    '/api/v1/clearance/cases/:id/closure',
    {
      schema: {
        tags,
        summary: 'Close a case with what was done (targeting analysts, inspectors)',
        params: parcelParams,
        body: z.object({ resolution: z.string().max(2000) }),
      },
    },
    async (request) =>
      cases.closeCase(
        requireActor(request),
        request.params.id,
        request.body.resolution,
        readerLocale(request),
      ),
  );
}
