import type { FastifyRequest } from 'fastify';
import { z } from 'zod';
import { describeActor } from '../../platform/auth/actor.js';
import type { HttpServer } from '../../platform/http/http-server.js';
import { readerLocale, requireActor } from '../../platform/http/request-actor.js';
import type { InquiriesService } from './inquiries.service.js';
import { ATTACHMENT_MEDIA_TYPES, MAX_ATTACHMENTS } from './inquiries.service.js';
import type { MyParcelsService } from './my-parcels.service.js';
import type { PcccProtectionService } from './pccc-protection.service.js';
import { PortalError } from './portal.errors.js';
import type { PublicStatisticsService } from './public-statistics.service.js';

export interface PortalServices {
  protection: PcccProtectionService;
  parcels: MyParcelsService;
  inquiries: InquiriesService;
  statistics: PublicStatisticsService;
}

export interface PortalRateLimits {
  /** Requests per minute from one client address (public and sign-in-like routes). */
  perAddressPerMinute: number;
  /** Requests per minute from one signed-in account. */
  perAccountPerMinute: number;
}

const tags = ['portal'];
const pccc = z.string().regex(/^P\d{12}$/, 'must be P followed by 12 digits');
const idParams = z.object({ id: z.coerce.number().int().positive() });
const text = (max: number) => z.string().trim().min(1).max(max);

const statusSchema = z.object({
  pccc: z.string().nullable().describe('The proved code; null until the consumer has proved one'),
  linked: z.boolean(),
  expiresOn: z.string().nullable(),
  renewalDue: z.boolean(),
  listClearanceSuspended: z.boolean(),
  suspensions: z.array(z.object({ source: z.enum(['holder', 'misuse_report']), since: z.string() })),
  addresses: z.array(z.object({ id: z.number(), label: z.string(), address: z.string() })),
  maxAddresses: z.number(),
});

const reportSchema = z.object({
  id: z.number(),
  parcelIds: z.array(z.number()),
  statement: z.string(),
  status: z.enum(['open', 'confirmed', 'dismissed']),
  officerNote: z.string().nullable(),
  createdAt: z.string(),
  workedAt: z.string().nullable(),
});

const stepSchema = z.enum([
  'declared',
  'arrived',
  'assessed',
  'held',
  'inspected',
  'released',
  'seized',
  'returned',
]);

const parcelSchema = z.object({
  parcelId: z.number(),
  trackingNumber: z.string(),
  carrier: z.string(),
  channel: z.enum(['postal', 'express']),
  declaredAt: z.string(),
  seller: z.string().nullable(),
  goods: z.array(
    z.object({ description: z.string(), quantity: z.string(), value: z.string(), currency: z.string() }),
  ),
  reported: z.boolean(),
  timeline: z.array(
    z.object({ step: stepSchema, label: z.string(), at: z.string().nullable(), done: z.boolean() }),
  ),
  status: stepSchema,
  statusLabel: z.string(),
  holdReason: z.string().nullable().describe('Plain words; never the criteria that selected the parcel'),
  check: z.string().nullable().describe('What the parcel will go through before release, if anything'),
  tax: z.object({
    rule: z.enum(['list_clearance', 'duty_free', 'taxed', 'pending']),
    explanation: z.array(z.string()),
    exchangeRates: z.array(z.string()),
    lines: z.array(
      z.object({
        description: z.string(),
        value: z.string(),
        currency: z.string(),
        customsValueKrw: z.number(),
        dutyPercent: z.string(),
        dutyRule: z.string(),
        dutyKrw: z.number(),
        vatPercent: z.string(),
        vatKrw: z.number(),
      }),
    ),
    totalTaxKrw: z.number(),
    combinedWith: z
      .array(z.string())
      .describe('Tracking numbers of the parcels taxed together with this one'),
    listClearanceSuspended: z.boolean(),
  }),
  nextSteps: z.array(z.string()),
});

const inquirySchema = z.object({
  id: z.number(),
  subject: z.string(),
  parcelId: z.number().nullable(),
  status: z.enum(['open', 'answered', 'closed']),
  createdAt: z.string(),
  answerDueAt: z.string().describe('Response-time target'),
  answeredAt: z.string().nullable(),
  overdue: z.boolean(),
  messages: z.array(z.object({ author: z.enum(['consumer', 'officer']), body: z.string(), at: z.string() })),
  attachments: z.array(
    z.object({ id: z.number(), fileName: z.string(), mediaType: z.string(), byteSize: z.number() }),
  ),
});

const countCell = z.object({ key: z.string(), parcels: z.number().nullable(), suppressed: z.boolean() });
const statisticsSchema = z.object({
  from: z.string(),
  to: z.string(),
  generatedAt: z.string(),
  minimumCell: z.number().describe('Cells counting fewer parcels are suppressed'),
  parcelsByChannel: z.array(countCell),
  parcelsByOrigin: z.array(countCell),
  holdRateByChannel: z.array(
    z.object({
      key: z.string(),
      parcels: z.number().nullable(),
      held: z.number().nullable(),
      percent: z.number().nullable(),
      suppressed: z.boolean(),
    }),
  ),
  seizuresByCategory: z.array(countCell),
});

/** The portal's HTTP edge: consumers' parcels, code protection and inquiries; officers' worklists; public statistics. */
export function registerPortalRoutes(
  app: HttpServer,
  services: PortalServices,
  limits: PortalRateLimits,
): void {
  const { protection, parcels, inquiries, statistics } = services;
  const perAddress = { rateLimit: { max: limits.perAddressPerMinute, timeWindow: '1 minute' } };
  // Keyed on the account when there is one, so that a consumer cannot go faster from many addresses.
  const perAccount = {
    rateLimit: {
      max: limits.perAccountPerMinute,
      timeWindow: '1 minute',
      keyGenerator: (request: FastifyRequest) =>
        request.actor ? `account:${describeActor(request.actor)}` : `address:${request.ip}`,
    },
  };

  // ---- proving the code is mine
  app.post(
    '/api/v1/portal/pccc/link-requests',
    {
      config: perAccount,
      schema: {
        tags,
        summary: 'Link step 1: a one-time code goes to the e-mail on file for the PCCC in the registry',
        body: z.object({ pccc }),
        response: { 202: z.object({ sentTo: z.string().describe('The contact on file, masked') }) },
      },
    },
    async (request, reply) =>
      reply
        .status(202)
        .send(await protection.requestLink(request.actor, request.body.pccc, readerLocale(request))),
  );
  app.post(
    '/api/v1/portal/pccc/link',
    {
      config: perAccount,
      schema: {
        tags,
        summary: 'Link step 2: the code from the contact on file proves the PCCC is the caller’s',
        body: z.object({ pccc, code: z.string().regex(/^\d{6}$/, 'six digits') }),
        response: { 200: statusSchema },
      },
    },
    async (request) => protection.confirmLink(request.actor, request.body.pccc, request.body.code),
  );
  app.get(
    '/api/v1/portal/pccc',
    {
      config: perAccount,
      schema: {
        tags,
        summary: 'My code: validity, suspensions, delivery addresses',
        response: { 200: statusSchema },
      },
    },
    async (request) => protection.status(request.actor),
  );

  // ---- protection
  app.post(
    '/api/v1/portal/pccc/suspension',
    {
      config: perAccount,
      schema: { tags, summary: 'Suspend list clearance under my code', response: { 200: statusSchema } },
    },
    async (request) => protection.suspend(request.actor),
  );
  app.delete(
    '/api/v1/portal/pccc/suspension',
    {
      config: perAccount,
      schema: {
        tags,
        summary: 'Lift my suspension (a misuse report’s stays while officers have not worked it)',
        response: { 200: statusSchema },
      },
    },
    async (request) => protection.lift(request.actor),
  );
  app.post(
    '/api/v1/portal/pccc/addresses',
    {
      config: perAccount,
      schema: {
        tags,
        summary: 'Register a delivery address (up to 20)',
        body: z.object({ label: text(100), address: text(300) }),
        response: { 201: statusSchema },
      },
    },
    async (request, reply) =>
      reply.status(201).send(await protection.addAddress(request.actor, request.body)),
  );
  app.delete(
    '/api/v1/portal/pccc/addresses/:id',
    {
      config: perAccount,
      schema: {
        tags,
        summary: 'Remove a delivery address',
        params: idParams,
        response: { 200: statusSchema },
      },
    },
    async (request) => protection.removeAddress(request.actor, request.params.id),
  );
  app.post(
    '/api/v1/portal/pccc/misuse-reports',
    {
      config: perAccount,
      schema: {
        tags,
        summary: 'Report parcels I do not recognise: list clearance under my code is suspended at once',
        body: z.object({
          parcelIds: z.array(z.number().int().positive()).min(1).max(100),
          statement: text(4000),
        }),
        response: { 201: reportSchema },
      },
    },
    async (request, reply) =>
      reply.status(201).send(await protection.reportMisuse(request.actor, request.body)),
  );
  app.get(
    '/api/v1/portal/pccc/misuse-reports',
    {
      config: perAccount,
      schema: { tags, summary: 'My misuse reports', response: { 200: z.array(reportSchema) } },
    },
    async (request) => protection.myReports(request.actor),
  );

  // ---- my parcels
  app.get(
    '/api/v1/portal/parcels',
    {
      config: perAccount,
      schema: {
        tags,
        summary: 'My parcels: every parcel declared under my code, with timeline, tax and next steps',
        querystring: z.object({
          beforeId: z.coerce.number().int().positive().optional(),
          limit: z.coerce.number().int().min(1).max(50).default(20),
        }),
        response: { 200: z.object({ items: z.array(parcelSchema), nextBeforeId: z.number().optional() }) },
      },
    },
    async (request) => parcels.list(request.actor, request.query, readerLocale(request)),
  );
  app.get(
    '/api/v1/portal/parcels/:id',
    {
      config: perAccount,
      schema: { tags, summary: 'One of my parcels', params: idParams, response: { 200: parcelSchema } },
    },
    async (request) => parcels.get(request.actor, request.params.id, readerLocale(request)),
  );

  // ---- inquiries
  app.post(
    '/api/v1/portal/inquiries',
    {
      config: perAccount,
      schema: {
        tags,
        summary: 'Ask customs a question, with attachments (PDF, PNG, JPEG as base64)',
        body: z.object({
          subject: text(200),
          body: text(8000),
          parcelId: z.number().int().positive().nullish(),
          attachments: z
            .array(
              z.object({
                fileName: text(200),
                mediaType: z.enum(ATTACHMENT_MEDIA_TYPES),
                contentBase64: z.base64(),
              }),
            )
            .max(MAX_ATTACHMENTS)
            .default([]),
        }),
        response: { 201: inquirySchema },
      },
    },
    async (request, reply) => {
      const { attachments, ...question } = request.body;
      const created = await inquiries.ask(
        request.actor,
        {
          ...question,
          attachments: attachments.map((attachment) => ({
            fileName: attachment.fileName,
            mediaType: attachment.mediaType,
            content: Buffer.from(attachment.contentBase64, 'base64'),
          })),
        },
        readerLocale(request),
      );
      return reply.status(201).send(created);
    },
  );
  app.get(
    '/api/v1/portal/inquiries',
    {
      config: perAccount,
      schema: { tags, summary: 'My inquiries', response: { 200: z.array(inquirySchema) } },
    },
    async (request) => inquiries.mine(request.actor),
  );
  app.get(
    '/api/v1/portal/inquiries/:id',
    {
      config: perAccount,
      schema: {
        tags,
        summary: 'An inquiry (its consumer, or officers)',
        params: idParams,
        response: { 200: inquirySchema },
      },
    },
    async (request) => inquiries.get(request.actor, request.params.id),
  );
  app.post(
    '/api/v1/portal/inquiries/:id/messages',
    {
      config: perAccount,
      schema: {
        tags,
        summary: 'Reply: an officer’s answer is mailed to the consumer; a consumer’s follow-up reopens it',
        params: idParams,
        body: z.object({ body: text(8000) }),
        response: { 201: inquirySchema },
      },
    },
    async (request, reply) =>
      reply.status(201).send(await inquiries.reply(request.actor, request.params.id, request.body.body)),
  );
  app.post(
    '/api/v1/portal/inquiries/:id/closure',
    {
      config: perAccount,
      schema: { tags, summary: 'Close an inquiry', params: idParams, response: { 200: inquirySchema } },
    },
    async (request) => inquiries.close(request.actor, request.params.id),
  );
  app.get(
    '/api/v1/portal/inquiries/:id/attachments/:attachmentId',
    {
      config: perAccount,
      schema: {
        tags,
        summary: 'An attachment of an inquiry',
        params: idParams.extend({ attachmentId: z.coerce.number().int().positive() }),
      },
    },
    async (request, reply) => {
      const file = await inquiries.attachment(request.actor, request.params.id, request.params.attachmentId);
      return reply
        .type(file.mediaType)
        .header('content-disposition', `attachment; filename="${file.fileName.replace(/[^\w.-]/g, '_')}"`)
        .send(file.content);
    },
  );

  // ---- officers
  app.get(
    '/api/v1/portal/officer/misuse-reports',
    {
      schema: {
        tags,
        summary: 'Consumers’ misuse reports to work (targeting analysts, inspectors)',
        querystring: z.object({ status: z.enum(['open', 'confirmed', 'dismissed']).optional() }),
        response: { 200: z.array(reportSchema.extend({ pccc: z.string() })) },
      },
    },
    async (request) => protection.listReports(request.actor, request.query.status),
  );
  app.post(
    '/api/v1/portal/officer/misuse-reports/:id/decision',
    {
      schema: {
        tags,
        summary: 'Confirm or dismiss a misuse report (dismissing lifts the suspension it caused)',
        params: idParams,
        body: z.object({ status: z.enum(['confirmed', 'dismissed']), note: text(2000) }),
        response: { 200: reportSchema },
      },
    },
    async (request) => protection.decideReport(request.actor, request.params.id, request.body),
  );
  app.get(
    '/api/v1/portal/officer/inquiries',
    {
      schema: {
        tags,
        summary: 'Consumers’ inquiries, the oldest due first (targeting analysts, inspectors)',
        querystring: z.object({ status: z.enum(['open', 'answered', 'closed']).optional() }),
        response: { 200: z.array(inquirySchema) },
      },
    },
    async (request) => inquiries.worklist(request.actor, request.query.status),
  );

  // ---- administrators
  app.put(
    '/api/v1/portal/pccc-registry',
    {
      schema: {
        tags,
        summary: 'Load the issuing system’s PCCC registry export (text/csv; administrators)',
        description:
          'Columns: pccc, holder_name, email, phone, issued_on, expires_on, status (active|cancelled). All rows or none.',
        consumes: ['text/csv'],
        body: z.string().describe('The CSV file'),
        response: { 200: z.object({ inserted: z.number(), updated: z.number() }) },
      },
    },
    async (request) => {
      if (typeof request.body !== 'string')
        throw new PortalError('registry_file_invalid', 'Send the registry as text/csv');
      return protection.importRegistry(requireActor(request), request.body);
    },
  );
  app.post(
    '/api/v1/portal/pccc-registry/renewal-reminders',
    {
      schema: {
        tags,
        summary: 'Mail holders whose code expires within 30 days, once per expiry (administrators)',
        response: { 200: z.object({ reminded: z.number() }) },
      },
    },
    async (request) => protection.sendRenewalReminders(requireActor(request)),
  );

  // ---- everyone
  app.get(
    '/api/v1/public/statistics',
    {
      config: perAddress,
      schema: {
        tags,
        summary: 'Public statistics: volumes by channel and origin, hold rates, seizures (no sign-in)',
        description:
          'Cached for ten minutes; cells under ten parcels are suppressed so nobody can be singled out.',
        security: [],
        response: { 200: statisticsSchema },
      },
    },
    async (_request, reply) => {
      reply.header('cache-control', 'public, max-age=600');
      return statistics.statistics();
    },
  );
}
