import { z } from 'zod';
import type { HttpServer } from '../../platform/http/http-server.js';
import { readerLocale, requireActor } from '../../platform/http/request-actor.js';
import { WHOLE_HISTORY } from './entity-profiles.repository.js';
import type { EntityProfilesService } from './entity-profiles.service.js';

const windowQuery = z
  .object({
    from: z.string().date().optional().describe('First arrival day (default: the whole history)'),
    to: z.string().date().optional().describe('Last arrival day, inclusive'),
  })
  .refine((query) => !query.from || !query.to || query.from <= query.to, {
    message: 'must not be after `to`',
    path: ['from'],
  });

const paymentsSchema = z.object({
  paidOrders: z.number(),
  underDeclared: z.number().describe('paid orders declared under 0.7 of the price paid'),
  paidKrw: z.number(),
  declaredKrw: z.number(),
  medianRatio: z.number().nullable(),
});
const outcomeFields = {
  parcels: z.number(),
  firstDay: z.string().nullable(),
  lastDay: z.string().nullable(),
  inspected: z.number(),
  violations: z.number(),
  seized: z.number(),
  payments: paymentsSchema,
  splitDays: z.number(),
};

const profileSchema = z.object({
  kind: z.enum(['seller', 'pccc']),
  key: z.string(),
  score: z.number(),
  band: z.enum(['low', 'medium', 'high']),
  parts: z.array(
    z.object({
      part: z.enum([
        'payments',
        'violations',
        'seizures',
        'splitting',
        'identity',
        'shared_address',
        'network',
        'registry',
        'volume',
      ]),
      points: z.number(),
      evidence: z.string().describe("why, in the reader's language"),
    }),
  ),
  facts: z.union([
    z.object({
      ...outcomeFields,
      buyers: z.number(),
      registrationNumber: z.string().nullable(),
      registrationStatus: z.string().nullable(),
      codesUnderSeveralNames: z.number(),
      sellersSharingContacts: z.number(),
    }),
    z.object({
      ...outcomeFields,
      sellers: z.number(),
      names: z.number(),
      phones: z.number(),
      addresses: z.number(),
      codesAtOneAddress: z.number(),
      registry: z
        .object({
          status: z.string(),
          suspended: z.boolean(),
          openMisuseReports: z.number(),
          confirmedMisuseReports: z.number(),
        })
        .nullable(),
    }),
  ]),
  seller: z.object({ name: z.string().nullable(), country: z.string().nullable() }).nullable(),
  timeline: z
    .array(
      z.object({
        parcelId: z.number(),
        trackingNumber: z.string(),
        arrivalDate: z.string().nullable(),
        sellerKey: z.string().nullable(),
        pccc: z.string().nullable(),
        declaredKrw: z.number().nullable(),
        paidKrw: z.number().nullable(),
        inspected: z.boolean(),
        violation: z.boolean(),
        seized: z.boolean(),
      }),
    )
    .describe('the newest 200 parcels'),
});

/** The per-seller and per-PCCC analysis over HTTP (officers; a PCCC read is audited). */
export function registerEntityProfileRoutes(app: HttpServer, profiles: EntityProfilesService): void {
  app.get(
    '/api/v1/analytics/sellers/:sellerId',
    {
      schema: {
        tags: ['analytics'],
        summary:
          "A seller's profile: paid against declared, violations and seizures, splitting, shared contacts, with a score, its evidence and a timeline",
        params: z.object({ sellerId: z.string().trim().min(1).max(100) }),
        querystring: windowQuery,
        response: { 200: profileSchema },
      },
    },
    async (request) =>
      profiles.seller(requireActor(request), request.params.sellerId, readerLocale(request), {
        ...WHOLE_HISTORY,
        ...request.query,
      }),
  );

  app.get(
    '/api/v1/analytics/pccc/:pccc',
    {
      schema: {
        tags: ['analytics'],
        summary:
          "A personal customs code's profile: identities behind it, addresses shared with other codes, paid against declared, splitting, violations, the portal's misuse reports (audited)",
        params: z.object({
          pccc: z
            .string()
            .trim()
            .regex(/^[Pp][0-9]{12}$/, 'P and 12 digits'),
        }),
        querystring: windowQuery,
        response: { 200: profileSchema },
      },
    },
    async (request) =>
      profiles.pccc(requireActor(request), request.params.pccc, readerLocale(request), {
        ...WHOLE_HISTORY,
        ...request.query,
      }),
  );
}
