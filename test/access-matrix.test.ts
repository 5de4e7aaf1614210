/**
 * The access matrix: for every route registered on the server and every kind of caller, allowed or
 * denied. The routes are read from the Fastify instance itself, so a new endpoint without a row here
 * fails this test.
 *
 * Adding an endpoint? Add one row to `matrix` (key `METHOD /path/:param` as registered):
 *   - `request`: what to send. It is called once per caller, so it can create fresh objects each time
 *     (fixtures hold a carrier A parcel, its scan and job, and counters for unique values);
 *   - `allow`: the callers that may do it (`everyone` for public routes); all others are denied;
 *   - `allowedStatus`: what an allowed caller gets when it is not a 2xx (e.g. 404 for a missing model:
 *     it proves the caller got past the access check);
 *   - `denied`: the status of a denial for signed-in callers, 403 unless given (404 where an id must
 *     not reveal that the object exists); per caller when it differs. Callers without valid
 *     credentials (none, an expired session, a revoked key) are always expected to get 401.
 *   - `knownGaps`: cells that should be denied but are allowed today, with the reason. They are checked
 *     to be still open, so closing a gap fails this test until its line here is removed;
 *   - `optional`: for routes that exist only in some set-ups (the built console).
 * Every 401 and 403 must also have been logged as an access denial.
 */
import sharp from 'sharp';
import { sql } from 'kysely';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Clearway } from '../src/main.js';
import { systemActor } from '../src/platform/auth/actor.js';
import type { LoggedDenial } from '../src/modules/identity/index.js';
import { authHeader } from './support/test-app.js';
import { expressManifest, postalItem, s10 } from './support/sample-data.js';
import {
  consumerSession,
  provePccc,
  createIdentityTestApp,
  officerSession,
  outboxMail,
  codeOf,
} from './support/identity-fixtures.js';

const principals = [
  'anonymous',
  'expired_session',
  'revoked_key',
  'targeting_analyst',
  'xray_analyst',
  'inspector',
  'data_analyst',
  'administrator',
  'administrator_session',
  'carrier_a',
  'carrier_b',
  'postal_operator',
  'agency',
  'seller',
  'consumer_a',
  'consumer_b',
  /** Typed consumer A's PCCC at sign-up but never proved it: must see nothing of A's. */
  'consumer_claimant',
] as const;
type Principal = (typeof principals)[number];

const UNAUTHENTICATED: readonly Principal[] = ['anonymous', 'expired_session', 'revoked_key'];
const ADMINISTRATORS: readonly Principal[] = ['administrator', 'administrator_session'];
const OFFICERS: readonly Principal[] = [
  'targeting_analyst',
  'xray_analyst',
  'inspector',
  'data_analyst',
  ...ADMINISTRATORS,
];
const MODEL_EDITORS: readonly Principal[] = ['targeting_analyst', 'data_analyst', ...ADMINISTRATORS];
const TARGETING_READERS: readonly Principal[] = ['targeting_analyst', 'data_analyst', ...ADMINISTRATORS];
const TARGETING_EDITORS: readonly Principal[] = ['targeting_analyst', ...ADMINISTRATORS];
const INSPECTORS: readonly Principal[] = ['inspector', ...ADMINISTRATORS];
const DATA_ANALYSTS: readonly Principal[] = ['data_analyst', ...ADMINISTRATORS];
const PARCEL_OPERATORS: readonly Principal[] = ['carrier_a', 'carrier_b', 'postal_operator'];
/**
 * Who may read parcel A under the one parcel-access rule (`mayReadParcel`, platform/auth): officers, the
 * carrier that declared it and the consumer whose PCCC it carries. Every route that shows the parcel
 * itself (intake's parcel, clearance's record of it) allows exactly these callers.
 */
const PARCEL_A_READERS: readonly Principal[] = [...OFFICERS, 'carrier_a', 'consumer_a'];
const SIGNED_IN: readonly Principal[] = principals.filter(
  (principal) => !UNAUTHENTICATED.includes(principal),
);

/** Carrier A is DHL, whose parcel carries consumer A's PCCC; carrier B is another express carrier. */
const PCCC_A = 'P987654321098';
const PCCC_B = 'P555566667777';
/** Consumers who proved their codes through the registry (A and B). */
const PROVED_CONSUMERS: readonly Principal[] = ['consumer_a', 'consumer_b'];
/** Every signed-in consumer: what needs no proved code (the code's status, proving one). */
const CONSUMERS: readonly Principal[] = [...PROVED_CONSUMERS, 'consumer_claimant'];
/** Whoever has proved no code gets 409 `pccc_not_linked` from every route that shows what is under one. */
const UNPROVED = { consumer_claimant: 409 } as const;
const CASE_OFFICERS: readonly Principal[] = ['targeting_analyst', 'inspector', ...ADMINISTRATORS];
/** The PCCC registry the portal links codes through: both consumers' codes, with their contacts on file. */
const MATRIX_REGISTRY = [
  'pccc,holder_name,email,phone,issued_on,expires_on,status',
  `${PCCC_A},Kim Minji,holder-a@mail.example,,2026-01-01,2026-12-31,active`,
  `${PCCC_B},Lee Jun,holder-b@mail.example,,2026-01-01,2026-12-31,active`,
].join('\n');

interface Fixtures {
  app: Clearway;
  dataDir: string;
  parcelA: number;
  scanA: number;
  jobA: number;
  png: Buffer;
  admin: { accountId: string; email: string; password: string };
  /** A rule owned by the targeting analyst's key, a watchlist, and a notification to carrier A. */
  ruleId: number;
  watchlist: string;
  notificationA: number;
  /** An alert addressed to carrier A with a picture, a report of the agency with a picture, and a seller registration. */
  alertA: number;
  alertPictureA: number;
  reportA: number;
  reportPictureA: number;
  registrationA: number;
  /** Consumer A's inquiry with an attachment, and consumer A's misuse report of parcel A. */
  inquiryA: number;
  inquiryAttachmentA: number;
  misuseReportA: number;
  unique(): number;
}

interface RequestSpec {
  method?: 'GET' | 'POST' | 'PUT' | 'PATCH' | 'DELETE';
  url: string;
  headers?: Record<string, string>;
  payload?: unknown;
}

interface Row {
  request: (fixtures: Fixtures) => RequestSpec | Promise<RequestSpec>;
  allow: readonly Principal[] | 'everyone';
  allowedStatus?: readonly number[];
  denied?: number | Partial<Record<Principal, number>>;
  knownGaps?: Partial<Record<Principal, string>>;
  /** The route exists only in some set-ups (the console's routes depend on whether web/ was built). */
  optional?: true;
}

/** One row per route. Keep it sorted by module. */
const matrix: Record<string, Row> = {
  // Platform and documentation
  'GET /health': { request: () => ({ url: '/health' }), allow: 'everyone', allowedStatus: [200, 503] },
  'GET /ready': { request: () => ({ url: '/ready' }), allow: 'everyone', allowedStatus: [200, 503] },
  'GET /metrics': { request: () => ({ url: '/metrics' }), allow: ADMINISTRATORS },
  'GET /api/openapi.json': { request: () => ({ url: '/api/openapi.json' }), allow: 'everyone' },
  'GET /api/docs': { request: () => ({ url: '/api/docs' }), allow: 'everyone', allowedStatus: [200, 302] },
  'GET /api/docs/': { request: () => ({ url: '/api/docs/' }), allow: 'everyone', allowedStatus: [200, 302] },
  'GET /api/docs/static/index.html': {
    request: () => ({ url: '/api/docs/static/index.html' }),
    allow: 'everyone',
    allowedStatus: [200, 302],
  },
  'GET /api/docs/static/swagger-initializer.js': {
    request: () => ({ url: '/api/docs/static/swagger-initializer.js' }),
    allow: 'everyone',
  },
  'GET /api/docs/*': { request: () => ({ url: '/api/docs/static/swagger-ui.css' }), allow: 'everyone' },
  'GET /api/docs/json': { request: () => ({ url: '/api/docs/json' }), allow: 'everyone' },
  'GET /api/docs/yaml': { request: () => ({ url: '/api/docs/yaml' }), allow: 'everyone' },
  'GET /api/v1/jobs/:id': {
    request: (f) => ({ url: `/api/v1/jobs/${f.jobA}` }),
    allow: [...OFFICERS, 'carrier_a'],
    denied: 404,
  },
  // The officer console (the built web/ app): public, it signs in through the API. Unbuilt, `/` says so (503).
  'GET /': { request: () => ({ url: '/' }), allow: 'everyone', allowedStatus: [503] },
  'GET /*': { request: () => ({ url: '/queue' }), allow: 'everyone', optional: true },

  // Identity: sign-in (public, rate-limited) and the caller's own session
  'POST /api/v1/auth/login': {
    request: (f) => ({
      method: 'POST',
      url: '/api/v1/auth/login',
      payload: { email: f.admin.email, password: f.admin.password },
    }),
    allow: 'everyone',
  },
  'POST /api/v1/auth/logout': {
    request: () => ({ method: 'POST', url: '/api/v1/auth/logout' }),
    allow: 'everyone',
  },
  'GET /api/v1/auth/me': { request: () => ({ url: '/api/v1/auth/me' }), allow: SIGNED_IN },
  'PUT /api/v1/auth/me/language': {
    request: () => ({ method: 'PUT', url: '/api/v1/auth/me/language', payload: { language: 'en' } }),
    allow: SIGNED_IN,
  },
  'POST /api/v1/auth/password': {
    request: (f) => ({
      method: 'POST',
      url: '/api/v1/auth/password',
      payload: { currentPassword: f.admin.password, newPassword: f.admin.password },
    }),
    allow: ['administrator_session'],
  },
  'POST /api/v1/auth/consumer/register': {
    request: (f) => ({
      method: 'POST',
      url: '/api/v1/auth/consumer/register',
      payload: {
        email: `matrix-${f.unique()}@mail.example`,
        name: 'Lee Jihoon',
      },
    }),
    allow: 'everyone',
  },
  'POST /api/v1/auth/consumer/code': {
    request: (f) => ({
      method: 'POST',
      url: '/api/v1/auth/consumer/code',
      payload: { email: `nobody-${f.unique()}@mail.example` },
    }),
    allow: 'everyone',
  },
  'POST /api/v1/auth/consumer/verify': {
    request: async (f) => {
      const email = `verify-${f.unique()}@mail.example`;
      await f.app.identity.signIn.registerConsumer({
        email,
        name: 'Park Seoyeon',
      });
      const code = codeOf((await outboxMail(f.app, f.dataDir, email)).at(-1));
      return { method: 'POST', url: '/api/v1/auth/consumer/verify', payload: { email, code } };
    },
    allow: 'everyone',
  },

  // Identity: administration
  'GET /api/v1/admin/accounts': { request: () => ({ url: '/api/v1/admin/accounts' }), allow: ADMINISTRATORS },
  'POST /api/v1/admin/accounts': {
    request: (f) => ({
      method: 'POST',
      url: '/api/v1/admin/accounts',
      payload: { kind: 'organisation', role: 'carrier', organisation: `NEW${f.unique()}` },
    }),
    allow: ADMINISTRATORS,
  },
  'POST /api/v1/admin/accounts/:id/disable': {
    request: async (f) => {
      const { account } = await f.app.identity.service.createAccount(systemActor, {
        kind: 'organisation',
        role: 'agency',
        organisation: `OLD${f.unique()}`,
      });
      return { method: 'POST', url: `/api/v1/admin/accounts/${account.id}/disable` };
    },
    allow: ADMINISTRATORS,
  },
  'GET /api/v1/admin/keys': { request: () => ({ url: '/api/v1/admin/keys' }), allow: ADMINISTRATORS },
  'POST /api/v1/admin/keys': {
    request: () => ({
      method: 'POST',
      url: '/api/v1/admin/keys',
      payload: { role: 'carrier', organisation: 'UPS', scopes: ['express:write'] },
    }),
    allow: ADMINISTRATORS,
  },
  'DELETE /api/v1/admin/keys/:id': {
    request: async (f) => ({
      method: 'DELETE',
      url: `/api/v1/admin/keys/${(await f.app.identity.service.createApiKey('carrier', { organisation: 'UPS' })).keyId}`,
    }),
    allow: ADMINISTRATORS,
  },
  'POST /api/v1/admin/keys/:id/rotate': {
    request: async (f) => ({
      method: 'POST',
      url: `/api/v1/admin/keys/${(await f.app.identity.service.createApiKey('carrier', { organisation: 'UPS' })).keyId}/rotate`,
      payload: { graceMinutes: 5 },
    }),
    allow: ADMINISTRATORS,
  },
  'GET /api/v1/admin/audit': {
    request: () => ({ url: '/api/v1/admin/audit?limit=5' }),
    allow: ADMINISTRATORS,
  },
  'GET /api/v1/admin/audit/verify': {
    request: () => ({ url: '/api/v1/admin/audit/verify' }),
    allow: ADMINISTRATORS,
  },

  // Intake: carriers and posts submit their own data; a record of another organisation is refused (422).
  'POST /api/v1/postal/items': {
    request: (f) => ({
      method: 'POST',
      url: '/api/v1/postal/items',
      payload: postalItem({ itemId: s10(50_000_000 + f.unique()) }),
    }),
    allow: [...OFFICERS, 'postal_operator'],
    denied: { carrier_a: 422, carrier_b: 422 },
  },
  'POST /api/v1/postal/itmatt': {
    request: (f) => ({
      method: 'POST',
      url: '/api/v1/postal/itmatt',
      headers: { 'content-type': 'application/xml' },
      payload: itmatt(s10(51_000_000 + f.unique())),
    }),
    allow: [...OFFICERS, 'postal_operator'],
    denied: { carrier_a: 422, carrier_b: 422 },
  },
  'POST /api/v1/express/manifests': {
    request: (f) => ({
      method: 'POST',
      url: '/api/v1/express/manifests',
      payload: manifestWithHawb(`DHL${7_000_000 + f.unique()}`, PCCC_A),
    }),
    allow: [...OFFICERS, 'carrier_a'],
    denied: { carrier_b: 422, postal_operator: 422 },
  },
  'POST /api/v1/marketplace/orders': {
    request: (f) => ({
      method: 'POST',
      url: '/api/v1/marketplace/orders',
      payload: [marketplaceOrder(`GM-${f.unique()}`)],
    }),
    allow: [...OFFICERS, 'carrier_a', 'carrier_b', 'postal_operator'],
  },
  'POST /api/v1/marketplace/payments': {
    request: (f) => ({
      method: 'POST',
      url: '/api/v1/marketplace/payments',
      payload: [marketplacePayment(`PAY-${f.unique()}`)],
    }),
    allow: [...OFFICERS, 'carrier_a', 'carrier_b', 'postal_operator'],
  },
  // A parcel: officers, the carrier that declared it, the consumer whose PCCC it carries. Anyone else
  // gets the answer of a missing parcel.
  'GET /api/v1/parcels/:id': {
    request: (f) => ({ url: `/api/v1/parcels/${f.parcelA}` }),
    allow: PARCEL_A_READERS,
    denied: 404,
  },
  // Anyone signed in may search; the answer lists only the parcels the caller may see (test/intake.postal.test.ts).
  'GET /api/v1/parcels': {
    request: () => ({ url: '/api/v1/parcels?trackingNumber=DHL6000001' }),
    allow: SIGNED_IN,
  },

  // Risk: officers read scores and models; analysts and administrators train and promote.
  'GET /api/v1/parcels/:id/risk': {
    request: (f) => ({ url: `/api/v1/parcels/${f.parcelA}/risk` }),
    allow: OFFICERS,
    allowedStatus: [200, 204],
  },
  'GET /api/v1/models': { request: () => ({ url: '/api/v1/models' }), allow: OFFICERS },
  'GET /api/v1/models/training': {
    request: () => ({ url: '/api/v1/models/training' }),
    allow: OFFICERS,
    allowedStatus: [204],
  },
  'GET /api/v1/statistics/dashboard': {
    request: () => ({ url: '/api/v1/statistics/dashboard?days=7' }),
    allow: OFFICERS,
  },
  // The big-data portal: every officer runs models and files requests; no run or request 999999 exists,
  // so allowed callers get past the access check to a 404 (watchlist rights are targeting's, tested there).
  'GET /api/v1/analytics/models': { request: () => ({ url: '/api/v1/analytics/models' }), allow: OFFICERS },
  'GET /api/v1/analytics/models/:id': {
    request: () => ({ url: '/api/v1/analytics/models/S1' }),
    allow: OFFICERS,
  },
  'POST /api/v1/analytics/models/:id/runs': {
    request: () => ({ method: 'POST', url: '/api/v1/analytics/models/S1/runs', payload: {} }),
    allow: OFFICERS,
  },
  'GET /api/v1/analytics/runs': { request: () => ({ url: '/api/v1/analytics/runs' }), allow: OFFICERS },
  'GET /api/v1/analytics/runs/:runId': {
    request: () => ({ url: '/api/v1/analytics/runs/999999' }),
    allow: OFFICERS,
    allowedStatus: [404],
  },
  'GET /api/v1/analytics/runs/:runId/csv': {
    request: () => ({ url: '/api/v1/analytics/runs/999999/csv' }),
    allow: OFFICERS,
    allowedStatus: [404],
  },
  'POST /api/v1/analytics/runs/:runId/watchlist': {
    request: (f) => ({
      method: 'POST',
      url: '/api/v1/analytics/runs/999999/watchlist',
      payload: { watchlist: f.watchlist },
    }),
    allow: OFFICERS,
    allowedStatus: [404],
  },
  'GET /api/v1/analytics/schedules': {
    request: () => ({ url: '/api/v1/analytics/schedules' }),
    allow: OFFICERS,
  },
  'POST /api/v1/analytics/schedules': {
    request: () => ({
      method: 'POST',
      url: '/api/v1/analytics/schedules',
      payload: { modelId: 'S1', cadence: 'weekly', windowDays: 7, recipient: 'splits@customs.example' },
    }),
    allow: OFFICERS,
  },
  'DELETE /api/v1/analytics/schedules/:id': {
    request: () => ({ method: 'DELETE', url: '/api/v1/analytics/schedules/999999' }),
    allow: OFFICERS,
    allowedStatus: [404],
  },
  'POST /api/v1/analytics/requests': {
    request: () => ({
      method: 'POST',
      url: '/api/v1/analytics/requests',
      payload: {
        title: 'Reshippers',
        question: 'Who reships?',
        dataNeeded: 'Delivery reports',
        urgency: 'normal',
        exampleCases: 'none yet',
      },
    }),
    allow: OFFICERS,
  },
  'GET /api/v1/analytics/requests': {
    request: () => ({ url: '/api/v1/analytics/requests' }),
    allow: OFFICERS,
  },
  'GET /api/v1/analytics/requests/:id': {
    request: () => ({ url: '/api/v1/analytics/requests/999999' }),
    allow: OFFICERS,
    allowedStatus: [404],
  },
  'POST /api/v1/analytics/requests/:id/steps': {
    request: () => ({
      method: 'POST',
      url: '/api/v1/analytics/requests/999999/steps',
      payload: { kind: 'comment', text: 'any news?' },
    }),
    allow: OFFICERS,
    allowedStatus: [404],
  },
  // Per-seller and per-PCCC profiles: officers only; nobody has parcels under these keys, so allowed
  // callers get past the access check to a 404.
  'GET /api/v1/analytics/sellers/:sellerId': {
    request: () => ({ url: '/api/v1/analytics/sellers/NO-SUCH-SELLER' }),
    allow: OFFICERS,
    allowedStatus: [404],
  },
  'GET /api/v1/analytics/pccc/:pccc': {
    request: () => ({ url: '/api/v1/analytics/pccc/P999999999999' }),
    allow: OFFICERS,
    allowedStatus: [404],
  },
  'POST /api/v1/questions': {
    request: () => ({
      method: 'POST',
      url: '/api/v1/questions',
      payload: { question: 'parcels by carrier last week', asOf: '2026-11-29' },
    }),
    allow: [...OFFICERS, ...PARCEL_OPERATORS],
  },
  'POST /api/v1/questions/export': {
    request: () => ({
      method: 'POST',
      url: '/api/v1/questions/export',
      payload: { question: 'parcels by lane' },
    }),
    allow: [...OFFICERS, ...PARCEL_OPERATORS],
  },
  'GET /api/v1/questions/glossary': {
    request: () => ({ url: '/api/v1/questions/glossary' }),
    allow: SIGNED_IN,
  },
  'GET /api/v1/questions/favourites': {
    request: () => ({ url: '/api/v1/questions/favourites' }),
    allow: [...OFFICERS, ...PARCEL_OPERATORS],
  },
  'POST /api/v1/questions/favourites': {
    request: () => ({
      method: 'POST',
      url: '/api/v1/questions/favourites',
      payload: {
        name: 'By lane',
        question: 'parcels by lane',
        language: 'en',
        query: { subject: 'parcels', measure: { aggregate: 'count' }, groupBy: ['lane'] },
      },
    }),
    allow: [...OFFICERS, ...PARCEL_OPERATORS],
  },
  'DELETE /api/v1/questions/favourites/:id': {
    // No caller owns favourite 999999: allowed callers get past the access check to a 404.
    request: () => ({ method: 'DELETE', url: '/api/v1/questions/favourites/999999' }),
    allow: [...OFFICERS, ...PARCEL_OPERATORS],
    allowedStatus: [404],
  },
  'GET /api/v1/models/active/drift': {
    request: () => ({ url: '/api/v1/models/active/drift' }),
    allow: OFFICERS,
    allowedStatus: [200, 409],
  },
  'GET /api/v1/models/:version': {
    request: () => ({ url: '/api/v1/models/999' }),
    allow: OFFICERS,
    allowedStatus: [404],
  },
  'POST /api/v1/models/train': {
    request: () => ({ method: 'POST', url: '/api/v1/models/train', payload: {} }),
    allow: MODEL_EDITORS,
  },
  'POST /api/v1/models/:version/promote': {
    request: () => ({ method: 'POST', url: '/api/v1/models/999/promote' }),
    allow: MODEL_EDITORS,
    allowedStatus: [404],
  },
  'POST /api/v1/models/rollback': {
    request: () => ({ method: 'POST', url: '/api/v1/models/rollback' }),
    allow: MODEL_EDITORS,
    allowedStatus: [409],
  },

  // X-ray: officers read, X-ray analysts and inspectors upload; the carrier of the parcel both.
  'POST /api/v1/parcels/:id/scans': {
    request: (f) => ({
      method: 'POST',
      url: `/api/v1/parcels/${f.parcelA}/scans`,
      headers: { 'content-type': 'image/png' },
      payload: f.png,
    }),
    allow: ['xray_analyst', 'inspector', ...ADMINISTRATORS, 'carrier_a'],
    denied: { carrier_b: 404, postal_operator: 404 },
  },
  'GET /api/v1/parcels/:id/scans': {
    request: (f) => ({ url: `/api/v1/parcels/${f.parcelA}/scans` }),
    allow: [...OFFICERS, 'carrier_a'],
    denied: { carrier_b: 404, postal_operator: 404 },
  },
  'GET /api/v1/scans/:scanId': {
    request: (f) => ({ url: `/api/v1/scans/${f.scanA}` }),
    allow: [...OFFICERS, 'carrier_a'],
    denied: { carrier_b: 404, postal_operator: 404 },
  },
  'GET /api/v1/scans/:scanId/annotated.png': {
    request: (f) => ({ url: `/api/v1/scans/${f.scanA}/annotated.png` }),
    allow: [...OFFICERS, 'carrier_a'],
    denied: { carrier_b: 404, postal_operator: 404 },
  },

  // Targeting: officers see decisions and the queue; carrier A sees its own parcel's lane (without the
  // criteria); rules, lists and budgets are for targeting analysts (data analysts read them).
  'GET /api/v1/parcels/:id/decision': {
    request: (f) => ({ url: `/api/v1/parcels/${f.parcelA}/decision` }),
    allow: [...OFFICERS, 'carrier_a'],
    denied: 404,
  },
  'GET /api/v1/parcels/:id/decisions': {
    request: (f) => ({ url: `/api/v1/parcels/${f.parcelA}/decisions` }),
    allow: [...OFFICERS, 'carrier_a'],
    denied: 404,
  },
  'POST /api/v1/parcels/:id/decision/override': {
    request: (f) => ({
      method: 'POST',
      url: `/api/v1/parcels/${f.parcelA}/decision/override`,
      payload: { lane: 'yellow', reason: 'access matrix check' },
    }),
    allow: ['targeting_analyst', 'xray_analyst', 'inspector', ...ADMINISTRATORS],
  },
  'POST /api/v1/parcels/:id/information': {
    request: (f) => ({
      method: 'POST',
      url: `/api/v1/parcels/${f.parcelA}/information`,
      payload: { kind: 'xray', finding: 'clear' },
    }),
    allow: ['targeting_analyst', 'xray_analyst', 'inspector', ...ADMINISTRATORS],
  },
  'GET /api/v1/targeting/queue': {
    request: () => ({ url: '/api/v1/targeting/queue?limit=5' }),
    allow: OFFICERS,
  },
  'GET /api/v1/targeting/rules': {
    request: () => ({ url: '/api/v1/targeting/rules' }),
    allow: TARGETING_READERS,
  },
  'POST /api/v1/targeting/rules': {
    request: (f) => ({
      method: 'POST',
      url: '/api/v1/targeting/rules',
      payload: { name: `matrix rule ${f.unique()}`, expression: 'sender.country = "CN"', lane: 'yellow' },
    }),
    allow: TARGETING_EDITORS,
  },
  'POST /api/v1/targeting/rules/validate': {
    request: () => ({
      method: 'POST',
      url: '/api/v1/targeting/rules/validate',
      payload: { expression: 'sender.country = "CN"' },
    }),
    allow: TARGETING_READERS,
  },
  'POST /api/v1/targeting/rules/test': {
    request: () => ({
      method: 'POST',
      url: '/api/v1/targeting/rules/test',
      payload: { expression: 'sender.country = "CN"', sinceDays: 30 },
    }),
    allow: TARGETING_READERS,
  },
  'GET /api/v1/targeting/rules/:id': {
    request: (f) => ({ url: `/api/v1/targeting/rules/${f.ruleId}` }),
    allow: TARGETING_READERS,
  },
  'PUT /api/v1/targeting/rules/:id': {
    request: (f) => ({
      method: 'PUT',
      url: `/api/v1/targeting/rules/${f.ruleId}`,
      payload: {
        name: 'matrix owned rule',
        expression: `sender.country = "CN" and line.quantity > ${f.unique()}`,
        lane: 'yellow',
      },
    }),
    allow: TARGETING_EDITORS,
  },
  'POST /api/v1/targeting/rules/:id/status': {
    request: (f) => ({
      method: 'POST',
      url: `/api/v1/targeting/rules/${f.ruleId}/status`,
      payload: { status: 'draft' },
    }),
    allow: TARGETING_EDITORS,
  },
  'GET /api/v1/targeting/watchlists': {
    request: () => ({ url: '/api/v1/targeting/watchlists' }),
    allow: TARGETING_READERS,
  },
  'POST /api/v1/targeting/watchlists': {
    request: (f) => ({
      method: 'POST',
      url: '/api/v1/targeting/watchlists',
      payload: { name: `matrix-${f.unique()}`, kind: 'seller' },
    }),
    allow: TARGETING_EDITORS,
  },
  'GET /api/v1/targeting/watchlists/:name/entries': {
    request: (f) => ({ url: `/api/v1/targeting/watchlists/${f.watchlist}/entries` }),
    allow: TARGETING_READERS,
  },
  'POST /api/v1/targeting/watchlists/:name/entries': {
    request: (f) => ({
      method: 'POST',
      url: `/api/v1/targeting/watchlists/${f.watchlist}/entries`,
      payload: { entries: [{ value: `SELLER-${f.unique()}` }] },
    }),
    allow: TARGETING_EDITORS,
  },
  'DELETE /api/v1/targeting/watchlists/:name/entries/:value': {
    request: async (f) => {
      const value = `SELLER-${f.unique()}`;
      await f.app.targeting.service.addWatchlistEntries(systemActor, f.watchlist, [{ value }]);
      return { method: 'DELETE', url: `/api/v1/targeting/watchlists/${f.watchlist}/entries/${value}` };
    },
    allow: TARGETING_EDITORS,
  },
  'GET /api/v1/targeting/budgets': {
    request: () => ({ url: '/api/v1/targeting/budgets' }),
    allow: TARGETING_READERS,
  },
  'PUT /api/v1/targeting/budgets/:office/:lane': {
    request: () => ({
      method: 'PUT',
      url: '/api/v1/targeting/budgets/*/red',
      payload: { expectedRate: 0.05, dailyCapacity: null },
    }),
    allow: TARGETING_EDITORS,
  },
  'PUT /api/v1/targeting/carriers/:code': {
    request: () => ({ method: 'PUT', url: '/api/v1/targeting/carriers/DHL', payload: { level: 'medium' } }),
    allow: TARGETING_EDITORS,
  },

  // Clearance: assessment for anyone signed in; lifecycle steps by role; a parcel's clearance record for
  // officers, its carrier and its buyer; notifications and webhooks for the carrier they concern.
  'POST /api/v1/assessments/preview': {
    request: () => ({ method: 'POST', url: '/api/v1/assessments/preview', payload: postalItem() }),
    allow: SIGNED_IN,
  },
  'GET /api/v1/clearance/exchange-rates': {
    request: () => ({ url: '/api/v1/clearance/exchange-rates' }),
    allow: SIGNED_IN,
  },
  'PUT /api/v1/clearance/exchange-rates': {
    request: () => ({
      method: 'PUT',
      url: '/api/v1/clearance/exchange-rates',
      payload: [{ currency: 'USD', weekStarting: '2026-11-16', krwPerUnit: '1400.50' }],
    }),
    allow: DATA_ANALYSTS,
  },
  'GET /api/v1/clearance/parcels/:id': {
    request: (f) => ({ url: `/api/v1/clearance/parcels/${f.parcelA}` }),
    allow: PARCEL_A_READERS,
    denied: 404,
  },
  'POST /api/v1/clearance/parcels/:id/assessment': {
    request: (f) => ({ method: 'POST', url: `/api/v1/clearance/parcels/${f.parcelA}/assessment` }),
    allow: ['targeting_analyst', ...ADMINISTRATORS],
  },
  // A move that is never legal: officers get past the access check to the 409.
  'POST /api/v1/clearance/parcels/:id/transitions': {
    request: (f) => ({
      method: 'POST',
      url: `/api/v1/clearance/parcels/${f.parcelA}/transitions`,
      payload: { to: 'received', reason: 'access matrix check' },
    }),
    allow: OFFICERS,
    allowedStatus: [409],
  },
  'POST /api/v1/clearance/parcels/:id/requests': {
    request: (f) => ({
      method: 'POST',
      url: `/api/v1/clearance/parcels/${f.parcelA}/requests`,
      payload: { kind: 'request_for_information', message: 'Please send the invoice' },
    }),
    allow: ['targeting_analyst', 'xray_analyst', 'inspector', ...ADMINISTRATORS],
    allowedStatus: [409],
  },
  'POST /api/v1/clearance/parcels/:id/inspections': {
    request: (f) => ({
      method: 'POST',
      url: `/api/v1/clearance/parcels/${f.parcelA}/inspections`,
      payload: { outcome: 'no_finding' },
    }),
    allow: INSPECTORS,
    allowedStatus: [409],
  },
  'POST /api/v1/clearance/parcels/:id/seizures': {
    request: (f) => ({
      method: 'POST',
      url: `/api/v1/clearance/parcels/${f.parcelA}/seizures`,
      payload: {
        goodsCategory: 'medicines',
        goodsDescription: 'Vitamin tablets',
        quantity: '3',
        quantityUnit: 'box',
        concealmentMethod: 'none',
        route: { departureCountry: 'US', destinationCountry: 'KR' },
      },
    }),
    allow: INSPECTORS,
    allowedStatus: [409],
  },
  'POST /api/v1/clearance/delivery-reports': {
    request: () => ({
      method: 'POST',
      url: '/api/v1/clearance/delivery-reports',
      payload: [
        { carrier: 'DHL', trackingNumber: 'DHL6000001', deliveredTo: '45 Sejong-daero, Jung-gu, Seoul' },
      ],
    }),
    allow: [...OFFICERS, 'carrier_a'],
  },
  'GET /api/v1/clearance/grouping': {
    request: () => ({ url: '/api/v1/clearance/grouping?from=2026-11-01&to=2026-11-30' }),
    allow: ['targeting_analyst', 'data_analyst', ...ADMINISTRATORS],
  },
  'GET /api/v1/clearance/notifications': {
    request: () => ({ url: '/api/v1/clearance/notifications' }),
    allow: [...OFFICERS, ...PARCEL_OPERATORS],
  },
  'POST /api/v1/clearance/notifications/:id/acknowledgement': {
    request: (f) => ({
      method: 'POST',
      url: `/api/v1/clearance/notifications/${f.notificationA}/acknowledgement`,
    }),
    allow: ['carrier_a'],
    denied: 404,
  },
  'PUT /api/v1/clearance/webhooks/:carrier': {
    request: () => ({
      method: 'PUT',
      url: '/api/v1/clearance/webhooks/DHL',
      payload: { url: 'https://hooks.dhl.example/clearway' },
    }),
    allow: ['carrier_a', ...ADMINISTRATORS],
  },
  'POST /api/v1/clearance/labels/delivery': {
    request: () => ({ method: 'POST', url: '/api/v1/clearance/labels/delivery' }),
    allow: DATA_ANALYSTS,
  },
  'GET /api/v1/clearance/cases': {
    request: () => ({ url: '/api/v1/clearance/cases?status=open' }),
    allow: OFFICERS,
  },
  // No such case: the officers who may close cases get past the role check to the 404.
  'POST /api/v1/clearance/cases/:id/closure': {
    request: () => ({
      method: 'POST',
      url: '/api/v1/clearance/cases/999999/closure',
      payload: { resolution: 'additional tax assessed' },
    }),
    allow: ['targeting_analyst', 'inspector', ...ADMINISTRATORS],
    allowedStatus: [404],
  },

  // Partners: agreements, alerts, inspection figures, compliance, product safety, foreign sellers
  'PUT /api/v1/partners/agreements/:code': {
    request: (f) => ({
      method: 'PUT',
      url: `/api/v1/partners/agreements/AGR${f.unique()}`,
      payload: {
        organisationRole: 'carrier',
        name: 'Matrix Express',
        startsOn: '2025-01-01',
        endsOn: '2030-12-31',
        status: 'active',
      },
    }),
    allow: ADMINISTRATORS,
  },
  'GET /api/v1/partners/agreements': {
    request: () => ({ url: '/api/v1/partners/agreements' }),
    allow: OFFICERS,
  },
  'GET /api/v1/partners/agreements/:code': {
    request: () => ({ url: '/api/v1/partners/agreements/DHL' }),
    allow: [...OFFICERS, 'carrier_a'],
    allowedStatus: [404],
  },
  'POST /api/v1/partners/alerts': {
    request: () => ({
      method: 'POST',
      url: '/api/v1/partners/alerts',
      payload: { kind: 'training', category: 'other', title: 'Matrix training', body: 'Read me' },
    }),
    allow: ['targeting_analyst', 'inspector', ...ADMINISTRATORS],
  },
  'GET /api/v1/partners/alerts': {
    request: () => ({ url: '/api/v1/partners/alerts' }),
    allow: [...OFFICERS, ...PARCEL_OPERATORS],
  },
  'POST /api/v1/partners/alerts/:id/acknowledgement': {
    request: (f) => ({ method: 'POST', url: `/api/v1/partners/alerts/${f.alertA}/acknowledgement` }),
    allow: ['carrier_a'],
    denied: { carrier_b: 404, postal_operator: 404 },
  },
  'POST /api/v1/partners/alerts/:id/pictures': {
    request: (f) => ({
      method: 'POST',
      url: `/api/v1/partners/alerts/${f.alertA}/pictures`,
      headers: { 'content-type': 'image/png' },
      payload: f.png,
    }),
    allow: ['targeting_analyst', 'inspector', ...ADMINISTRATORS],
    allowedStatus: [200],
  },
  'GET /api/v1/partners/alerts/:id/pictures/:pictureId': {
    request: (f) => ({ url: `/api/v1/partners/alerts/${f.alertA}/pictures/${f.alertPictureA}` }),
    allow: [...OFFICERS, 'carrier_a'],
    denied: { carrier_b: 404, postal_operator: 404 },
  },
  'POST /api/v1/partners/carriers/:code/inspection-reports': {
    request: () => ({
      method: 'POST',
      url: '/api/v1/partners/carriers/DHL/inspection-reports',
      payload: {
        period: '2026-Q4',
        parcelsHandled: 10,
        parcelsScreened: 10,
        parcelsInspected: 1,
        findings: 0,
      },
    }),
    allow: [...OFFICERS, 'carrier_a'],
  },
  'GET /api/v1/partners/carriers/:code/inspection-reports': {
    request: () => ({ url: '/api/v1/partners/carriers/DHL/inspection-reports?period=2026-Q4' }),
    allow: [...OFFICERS, 'carrier_a'],
  },
  'GET /api/v1/partners/carriers/:code/compliance': {
    request: () => ({ url: '/api/v1/partners/carriers/DHL/compliance?period=2026-Q4' }),
    allow: [...OFFICERS, 'carrier_a'],
  },
  'GET /api/v1/partners/carriers/:code/compliance/trend': {
    request: () => ({ url: '/api/v1/partners/carriers/DHL/compliance/trend?period=2026-Q4&quarters=2' }),
    allow: [...OFFICERS, 'carrier_a'],
  },
  'GET /api/v1/partners/carriers/:code/compliance/report': {
    request: () => ({ url: '/api/v1/partners/carriers/DHL/compliance/report?period=2026-Q4' }),
    allow: [...OFFICERS, 'carrier_a'],
  },
  'POST /api/v1/partners/product-safety/reports': {
    request: (f) => ({
      method: 'POST',
      url: '/api/v1/partners/product-safety/reports',
      payload: { productName: `Matrix heater ${f.unique()}`, hazard: 'fire' },
    }),
    allow: [...OFFICERS, 'agency'],
  },
  'GET /api/v1/partners/product-safety/reports': {
    request: () => ({ url: '/api/v1/partners/product-safety/reports' }),
    allow: [...OFFICERS, 'agency'],
  },
  'GET /api/v1/partners/product-safety/reports/:id': {
    request: (f) => ({ url: `/api/v1/partners/product-safety/reports/${f.reportA}` }),
    allow: [...OFFICERS, 'agency'],
  },
  'GET /api/v1/partners/product-safety/reports/:id/hits': {
    request: (f) => ({ url: `/api/v1/partners/product-safety/reports/${f.reportA}/hits` }),
    allow: [...OFFICERS, 'agency'],
  },
  'POST /api/v1/partners/product-safety/reports/:id/pictures': {
    request: (f) => ({
      method: 'POST',
      url: `/api/v1/partners/product-safety/reports/${f.reportA}/pictures`,
      headers: { 'content-type': 'image/png' },
      payload: f.png,
    }),
    allow: [...OFFICERS, 'agency'],
    allowedStatus: [200],
  },
  'GET /api/v1/partners/product-safety/reports/:id/pictures/:pictureId': {
    request: (f) => ({
      url: `/api/v1/partners/product-safety/reports/${f.reportA}/pictures/${f.reportPictureA}`,
    }),
    allow: [...OFFICERS, 'agency'],
  },
  'POST /api/v1/sellers/registrations': {
    request: () => ({ method: 'POST', url: '/api/v1/sellers/registrations', payload: sellerApplication() }),
    allow: 'everyone',
  },
  'GET /api/v1/sellers/registrations': {
    request: () => ({ url: '/api/v1/sellers/registrations' }),
    allow: OFFICERS,
  },
  'GET /api/v1/sellers/me': { request: () => ({ url: '/api/v1/sellers/me' }), allow: ['seller'] },
  'GET /api/v1/sellers/registrations/:id': {
    request: (f) => ({ url: `/api/v1/sellers/registrations/${f.registrationA}` }),
    allow: OFFICERS,
  },
  'POST /api/v1/sellers/registrations/:id/decision': {
    request: async (f) => {
      const { id } = await f.app.partners.sellers.apply(undefined, sellerApplication());
      return {
        method: 'POST',
        url: `/api/v1/sellers/registrations/${id}/decision`,
        payload: { decision: 'approved' },
      };
    },
    allow: TARGETING_EDITORS,
  },
  // Portal: consumers see only what is under their own proved code (another's parcel or inquiry is a
  // 404); officers who work cases (targeting analysts, inspectors) answer reports and inquiries.
  'POST /api/v1/portal/pccc/link-requests': {
    request: () => ({ method: 'POST', url: '/api/v1/portal/pccc/link-requests', payload: { pccc: PCCC_A } }),
    // A proved the code already: nobody else gets a code for it, and B holds a code of their own (one per account).
    allow: ['consumer_a'],
    denied: { consumer_b: 409, ...UNPROVED },
  },
  'POST /api/v1/portal/pccc/link': {
    request: () => ({
      method: 'POST',
      url: '/api/v1/portal/pccc/link',
      payload: { pccc: PCCC_A, code: '000000' },
    }),
    allow: CONSUMERS,
    allowedStatus: [422],
  },
  'GET /api/v1/portal/pccc': { request: () => ({ url: '/api/v1/portal/pccc' }), allow: CONSUMERS },
  'POST /api/v1/portal/pccc/suspension': {
    request: () => ({ method: 'POST', url: '/api/v1/portal/pccc/suspension' }),
    allow: PROVED_CONSUMERS,
    denied: UNPROVED,
  },
  'DELETE /api/v1/portal/pccc/suspension': {
    request: () => ({ method: 'DELETE', url: '/api/v1/portal/pccc/suspension' }),
    allow: PROVED_CONSUMERS,
    denied: UNPROVED,
  },
  'POST /api/v1/portal/pccc/addresses': {
    request: (f) => ({
      method: 'POST',
      url: '/api/v1/portal/pccc/addresses',
      payload: { label: `Home ${f.unique()}`, address: `${f.unique()} Teheran-ro, Seoul` },
    }),
    allow: PROVED_CONSUMERS,
    denied: UNPROVED,
  },
  'DELETE /api/v1/portal/pccc/addresses/:id': {
    request: () => ({ method: 'DELETE', url: '/api/v1/portal/pccc/addresses/999999' }),
    allow: PROVED_CONSUMERS,
    allowedStatus: [404],
    denied: UNPROVED,
  },
  'POST /api/v1/portal/pccc/misuse-reports': {
    request: (f) => ({
      method: 'POST',
      url: '/api/v1/portal/pccc/misuse-reports',
      payload: { parcelIds: [f.parcelA], statement: 'Not mine' },
    }),
    allow: ['consumer_a'],
    denied: { consumer_b: 404, ...UNPROVED },
  },
  'GET /api/v1/portal/pccc/misuse-reports': {
    request: () => ({ url: '/api/v1/portal/pccc/misuse-reports' }),
    allow: PROVED_CONSUMERS,
    denied: UNPROVED,
  },
  'GET /api/v1/portal/parcels': {
    request: () => ({ url: '/api/v1/portal/parcels' }),
    allow: PROVED_CONSUMERS,
    denied: UNPROVED,
  },
  'GET /api/v1/portal/parcels/:id': {
    request: (f) => ({ url: `/api/v1/portal/parcels/${f.parcelA}` }),
    allow: ['consumer_a'],
    denied: { consumer_b: 404, ...UNPROVED },
  },
  'POST /api/v1/portal/inquiries': {
    request: () => ({
      method: 'POST',
      url: '/api/v1/portal/inquiries',
      payload: { subject: 'Matrix question', body: 'Where is my parcel?' },
    }),
    allow: PROVED_CONSUMERS,
    denied: UNPROVED,
  },
  'GET /api/v1/portal/inquiries': {
    request: () => ({ url: '/api/v1/portal/inquiries' }),
    allow: PROVED_CONSUMERS,
    denied: UNPROVED,
  },
  'GET /api/v1/portal/inquiries/:id': {
    request: (f) => ({ url: `/api/v1/portal/inquiries/${f.inquiryA}` }),
    allow: ['consumer_a', ...CASE_OFFICERS],
    denied: { consumer_b: 404, ...UNPROVED },
  },
  'POST /api/v1/portal/inquiries/:id/messages': {
    request: (f) => ({
      method: 'POST',
      url: `/api/v1/portal/inquiries/${f.inquiryA}/messages`,
      payload: { body: 'More detail' },
    }),
    allow: ['consumer_a', ...CASE_OFFICERS],
    // Once closed by the closure row, replies get past the access check to the 409.
    allowedStatus: [409],
    denied: { consumer_b: 404, ...UNPROVED },
  },
  'POST /api/v1/portal/inquiries/:id/closure': {
    request: (f) => ({ method: 'POST', url: `/api/v1/portal/inquiries/${f.inquiryA}/closure` }),
    allow: ['consumer_a', ...CASE_OFFICERS],
    denied: { consumer_b: 404, ...UNPROVED },
  },
  'GET /api/v1/portal/inquiries/:id/attachments/:attachmentId': {
    request: (f) => ({ url: `/api/v1/portal/inquiries/${f.inquiryA}/attachments/${f.inquiryAttachmentA}` }),
    allow: ['consumer_a', ...CASE_OFFICERS],
    denied: { consumer_b: 404, ...UNPROVED },
  },
  'GET /api/v1/portal/officer/misuse-reports': {
    request: () => ({ url: '/api/v1/portal/officer/misuse-reports' }),
    allow: CASE_OFFICERS,
  },
  'POST /api/v1/portal/officer/misuse-reports/:id/decision': {
    request: (f) => ({
      method: 'POST',
      url: `/api/v1/portal/officer/misuse-reports/${f.misuseReportA}/decision`,
      payload: { status: 'dismissed', note: 'Parcel was the buyer’s after all' },
    }),
    allow: CASE_OFFICERS,
    // Worked by the first officer: the others get past the role check to the 409.
    allowedStatus: [409],
  },
  'GET /api/v1/portal/officer/inquiries': {
    request: () => ({ url: '/api/v1/portal/officer/inquiries' }),
    allow: CASE_OFFICERS,
  },
  'PUT /api/v1/portal/pccc-registry': {
    request: () => ({
      method: 'PUT',
      url: '/api/v1/portal/pccc-registry',
      headers: { 'content-type': 'text/csv' },
      payload: MATRIX_REGISTRY,
    }),
    allow: ADMINISTRATORS,
  },
  'POST /api/v1/portal/pccc-registry/renewal-reminders': {
    request: () => ({ method: 'POST', url: '/api/v1/portal/pccc-registry/renewal-reminders' }),
    allow: ADMINISTRATORS,
  },
  'GET /api/v1/public/statistics': {
    request: () => ({ url: '/api/v1/public/statistics' }),
    allow: 'everyone',
  },
};

/**
 * Files of the built console and of the consumer app under /my/ (hashed assets, icons, manifest, service
 * worker): public, matched by shape since names change with every build.
 */
const CONSOLE_FILE =
  /^\/(?:my\/)?(?:assets\/[\w.-]+|[\w.-]+\.(?:html|js|css|png|svg|ico|webmanifest|txt|map|woff2?|gz|br))?$/;
const consoleFileRow = (path: string): Row => ({ request: () => ({ url: path }), allow: 'everyone' });

function itmatt(itemId: string): string {
  return `<?xml version="1.0" encoding="UTF-8"?>
<ITMATT><Item>
  <itemId>${itemId}</itemId><postalOperator>KPOST</postalOperator><category>gift</category>
  <sender><name>Anna</name><street>1 Rue</street><city>Paris</city><country>FR</country></sender>
  <addressee><name>Park</name><street>2 Jong-ro</street><city>Seoul</city><country>KR</country><importerReference>${PCCC_B}</importerReference></addressee>
  <contents><line><description>Book</description><quantity>1</quantity><value>20</value><currency>EUR</currency><hsCode>490199</hsCode></line></contents>
  <grossMassKg>0.5</grossMassKg><currency>EUR</currency><postedOn>2026-11-19</postedOn>
</Item></ITMATT>`;
}

function manifestWithHawb(hawb: string, pccc: string, carrier = 'DHL'): Record<string, unknown> {
  const manifest = expressManifest(1, { carrier });
  const [house] = manifest.houses as Record<string, unknown>[];
  return { ...manifest, houses: [{ ...house, hawb, consignee: { ...(house!.consignee as object), pccc } }] };
}

function sellerApplication() {
  return {
    legalName: 'Matrix Trading Ltd',
    country: 'CN',
    address: { street: '1 Matrix Rd', city: 'Shenzhen', country: 'CN' },
    marketplaces: ['GlobalMart'],
    contact: { email: 'seller@matrix.example' },
  };
}

function marketplaceOrder(orderNumber: string): Record<string, unknown> {
  return {
    marketplace: 'GlobalMart',
    orderNumber,
    seller: { id: 'S-88', name: 'Audio World', country: 'CN' },
    productTitle: 'Wireless earbuds pro',
    pricePaid: '89.90',
    currency: 'USD',
    buyer: { pccc: PCCC_B },
    orderedAt: '2026-11-15T10:00:00Z',
  };
}

function marketplacePayment(paymentReference: string): Record<string, unknown> {
  return {
    marketplace: 'GlobalMart',
    paymentReference,
    orderNumber: 'GM-1',
    method: 'card',
    amount: '89.90',
    currency: 'USD',
    paidAt: '2026-11-15T10:01:00Z',
  };
}

/** `METHOD /path` of every route on the instance, from Fastify's own route tree; HEAD twins of GET routes left out. */
function registeredRoutes(app: Clearway): { method: string; url: string }[] {
  const tree = app.http.printRoutes({ commonPrefix: false });
  const stack: string[] = [];
  const routes: { method: string; url: string }[] = [];
  for (const line of tree.split('\n')) {
    const match = /^((?:[│ ] {3})*)[├└]── (.*?)(?: \(([A-Z, ]+)\))?$/.exec(line);
    if (!match) continue;
    const depth = match[1]!.length / 4;
    stack.length = depth;
    const prefix = stack.join('');
    const path = prefix + match[2]!;
    stack.push(match[2]!);
    for (const method of (match[3] ?? '')
      .split(',')
      .map((word) => word.trim())
      .filter(Boolean))
      routes.push({ method, url: path });
  }
  const keys = new Set(routes.map((route) => `${route.method} ${route.url}`));
  return routes.filter((route) => !(route.method === 'HEAD' && keys.has(`GET ${route.url}`)));
}

describe('access matrix', () => {
  let fixtures: Fixtures;
  let headersOf: (principal: Principal) => Promise<Record<string, string>>;
  const denials: LoggedDenial[] = [];
  let routes: { method: string; url: string }[];

  beforeAll(async () => {
    const { app, dataDir } = await createIdentityTestApp('embedded');
    app.identity.denialListeners.add((denial) => denials.push(denial));
    let counter = 0;
    const unique = () => ++counter;

    const keys: Partial<Record<Principal, Record<string, string>>> = {
      targeting_analyst: await authHeader(app, 'targeting_analyst'),
      xray_analyst: await authHeader(app, 'xray_analyst'),
      inspector: await authHeader(app, 'inspector'),
      data_analyst: await authHeader(app, 'data_analyst'),
      administrator: await authHeader(app, 'administrator'),
      carrier_a: await authHeader(app, 'carrier', 'DHL'),
      carrier_b: await authHeader(app, 'carrier', 'FEDEX'),
      postal_operator: await authHeader(app, 'postal_operator', 'KPOST'),
      agency: await authHeader(app, 'agency', 'MFDS'),
    };
    const revoked = await app.identity.service.createApiKey('administrator');
    await app.identity.service.revokeKey('test', revoked.keyId);
    const admin = await officerSession(app, ['administrator'], 'matrix.admin@customs.example');
    const expired = await officerSession(app, ['administrator'], 'expired.admin@customs.example');
    await sql`update identity_session set expires_at = now() - interval '1 minute' where account_id = ${expired.accountId}`.execute(
      app.database.db,
    );
    const consumerA = await consumerSession(app, dataDir);
    const consumerB = await consumerSession(app, dataDir);
    const claimant = await consumerSession(app, dataDir, undefined, PCCC_A);

    const manifest = await app.http.inject({
      method: 'POST',
      url: '/api/v1/express/manifests',
      headers: keys.carrier_a,
      payload: manifestWithHawb('DHL6000001', PCCC_A),
    });
    const parcelA = manifest.json().records[0].id as number;
    // Targeting and clearance take the parcel in after intake's commit, through the outbox: wait for them.
    await app.settle();
    const png = await sharp({
      create: { width: 64, height: 48, channels: 3, background: { r: 200, g: 200, b: 200 } },
    })
      .png()
      .toBuffer();
    const upload = await app.http.inject({
      method: 'POST',
      url: `/api/v1/parcels/${parcelA}/scans`,
      headers: { ...keys.carrier_a, 'content-type': 'image/png' },
      payload: png,
    });
    expect(upload.statusCode, upload.body).toBe(202);

    const rule = await app.http.inject({
      method: 'POST',
      url: '/api/v1/targeting/rules',
      headers: keys.targeting_analyst,
      payload: { name: 'matrix owned rule', expression: 'sender.country = "CN"', lane: 'yellow' },
    });
    expect(rule.statusCode, rule.body).toBe(201);
    await app.targeting.service.createWatchlist(systemActor, { name: 'matrix-sellers', kind: 'seller' });
    const rates = await app.http.inject({
      method: 'PUT',
      url: '/api/v1/clearance/exchange-rates',
      headers: keys.administrator,
      payload: [{ currency: 'USD', weekStarting: '2026-11-16', krwPerUnit: '1400.50' }],
    });
    expect(rates.statusCode, rates.body).toBe(200);
    const assessed = await app.http.inject({
      method: 'POST',
      url: `/api/v1/clearance/parcels/${parcelA}/assessment`,
      headers: keys.administrator,
    });
    expect(assessed.statusCode, assessed.body).toBe(200);
    const request = await app.http.inject({
      method: 'POST',
      url: `/api/v1/clearance/parcels/${parcelA}/requests`,
      headers: keys.administrator,
      payload: { kind: 'request_for_information', message: 'Please send the invoice' },
    });
    expect(request.statusCode, request.body).toBe(201);

    const alert = await app.partners.alerts.publish(systemActor, {
      kind: 'alert',
      category: 'firearms',
      title: 'Pistol parts in toy boxes',
      body: 'Look for dense metal in toy shipments.',
      caseReference: 'CASE-MATRIX',
      audience: ['DHL'],
    });
    const alertPicture = await app.partners.alerts.addPicture(systemActor, alert.id, png, 'image/png');
    const report = await app.http.inject({
      method: 'POST',
      url: '/api/v1/partners/product-safety/reports',
      headers: keys.agency,
      payload: { productName: 'Matrix kettle', hazard: 'electric shock', model: 'MK-100' },
    });
    expect(report.statusCode, report.body).toBe(201);
    const reportPicture = await app.http.inject({
      method: 'POST',
      url: `/api/v1/partners/product-safety/reports/${report.json().id}/pictures`,
      headers: { ...keys.agency, 'content-type': 'image/png' },
      payload: png,
    });
    expect(reportPicture.statusCode, reportPicture.body).toBe(201);
    const registration = await app.partners.sellers.apply(undefined, sellerApplication());
    // The seller is the registered seller of registration A.
    keys.seller = await authHeader(app, 'seller', registration.registrationNumber);
    // Both consumers prove their codes through the registry; consumer A asks a question and reports parcel A.
    const registry = await app.http.inject({
      method: 'PUT',
      url: '/api/v1/portal/pccc-registry',
      headers: { ...keys.administrator, 'content-type': 'text/csv' },
      payload: MATRIX_REGISTRY,
    });
    expect(registry.statusCode, registry.body).toBe(200);
    await provePccc(app, dataDir, consumerA, PCCC_A, 'holder-a@mail.example');
    await provePccc(app, dataDir, consumerB, PCCC_B, 'holder-b@mail.example');
    const inquiry = await app.http.inject({
      method: 'POST',
      url: '/api/v1/portal/inquiries',
      headers: consumerA.headers,
      payload: {
        subject: 'Tax question',
        body: 'Why?',
        attachments: [
          { fileName: 'shot.png', mediaType: 'image/png', contentBase64: png.toString('base64') },
        ],
      },
    });
    expect(inquiry.statusCode, inquiry.body).toBe(201);
    const misuseReport = await app.http.inject({
      method: 'POST',
      url: '/api/v1/portal/pccc/misuse-reports',
      headers: consumerA.headers,
      payload: { parcelIds: [parcelA], statement: 'I did not order this' },
    });
    expect(misuseReport.statusCode, misuseReport.body).toBe(201);

    fixtures = {
      app,
      alertA: alert.id,
      alertPictureA: alertPicture.id,
      reportA: report.json().id,
      reportPictureA: reportPicture.json().id,
      registrationA: registration.id,
      inquiryA: inquiry.json().id,
      inquiryAttachmentA: inquiry.json().attachments[0].id,
      misuseReportA: misuseReport.json().id,
      dataDir,
      parcelA,
      scanA: upload.json().scan.id,
      jobA: upload.json().jobId,
      png,
      admin,
      unique,
      ruleId: rule.json().id,
      watchlist: 'matrix-sellers',
      notificationA: request.json().notificationId,
    };
    // Sessions are opened afresh for every request, so that logging out in one row does not end them for the next.
    const session = async (accountId: string) => {
      const started = await app.identity.signIn.openSession(accountId);
      return { cookie: `clearway_session=${started.token}`, 'x-csrf-token': started.csrfToken };
    };
    headersOf = async (principal) => {
      switch (principal) {
        case 'anonymous':
          return {};
        case 'expired_session':
          return expired.headers;
        case 'revoked_key':
          return { authorization: `Bearer ${revoked.token}` };
        case 'administrator_session':
          return session(admin.accountId);
        case 'consumer_a':
          return session(consumerA.accountId);
        case 'consumer_b':
          return session(consumerB.accountId);
        case 'consumer_claimant':
          return session(claimant.accountId);
        default:
          return keys[principal]!;
      }
    };
    routes = registeredRoutes(app);
  });
  afterAll(async () => fixtures?.app.close());

  const rowOf = (key: string): Row | undefined => {
    if (matrix[key]) return matrix[key];
    const [method, path] = key.split(' ') as [string, string];
    return method === 'GET' && CONSOLE_FILE.test(path) && !path.startsWith('/api/')
      ? consoleFileRow(path)
      : undefined;
  };

  it('reads every route from the server (the parser agrees with Fastify)', () => {
    expect(routes.length).toBeGreaterThan(20);
    // hasRoute does not find wildcard routes by their pattern; every other route must be known to Fastify as printed.
    const unknown = routes.filter(
      (route) =>
        !route.url.endsWith('*') &&
        !fixtures.app.http.hasRoute({ method: route.method as 'GET', url: route.url }),
    );
    expect(unknown).toEqual([]);
    expect(routes).toContainEqual({ method: 'GET', url: '/api/v1/parcels/:id' });
    expect(routes).toContainEqual({ method: 'POST', url: '/api/v1/admin/keys/:id/rotate' });
  });

  it('has an expectation for every registered route', () => {
    const missing = routes.map((route) => `${route.method} ${route.url}`).filter((key) => !rowOf(key));
    expect(
      missing,
      `Add a row to the access matrix (test/access-matrix.test.ts) for: ${missing.join(', ')}`,
    ).toEqual([]);
  });

  it('has no row for a route that does not exist any more', () => {
    const keys = new Set(routes.map((route) => `${route.method} ${route.url}`));
    expect(
      Object.entries(matrix)
        .filter(([key, row]) => !keys.has(key) && !row.optional)
        .map(([key]) => key),
    ).toEqual([]);
  });

  it(
    'allows and denies every caller as the matrix says, and logs every denial',
    { timeout: 300_000 },
    async () => {
      const problems: string[] = [];
      for (const route of routes) {
        const key = `${route.method} ${route.url}`;
        const row = rowOf(key);
        if (!row) continue;
        for (const principal of principals) {
          const spec = await row.request(fixtures);
          const response = await fixtures.app.http.inject({
            method: spec.method ?? 'GET',
            url: spec.url,
            headers: { ...(await headersOf(principal)), ...spec.headers },
            ...(spec.payload === undefined ? {} : { payload: spec.payload as string }),
          });
          const status = response.statusCode;
          const allowed = row.allow === 'everyone' || row.allow.includes(principal);
          const gap = row.knownGaps?.[principal];
          const okStatus = (code: number) =>
            (code >= 200 && code < 300) || (row.allowedStatus ?? []).includes(code);
          const where = `${key} as ${principal}: got ${status} ${response.body.slice(0, 160)}`;
          if (allowed || gap) {
            if (!okStatus(status))
              problems.push(
                `${where}; expected ${gap ? 'the known gap to be still open (allowed)' : 'allowed'}`,
              );
            else if (gap && !allowed) {
              // Still open: fine, it is listed. Nothing to check.
            }
            continue;
          }
          const expected = UNAUTHENTICATED.includes(principal)
            ? 401
            : typeof row.denied === 'number'
              ? row.denied
              : (row.denied?.[principal] ?? 403);
          if (status !== expected) problems.push(`${where}; expected ${expected}`);
          if (
            (status === 401 || status === 403) &&
            !denials.some((denial) => denial.requestId === response.headers['x-request-id'])
          ) {
            problems.push(`${key} as ${principal}: ${status} was not logged as an access denial`);
          }
        }
      }
      expect(problems).toEqual([]);
    },
  );

  it(
    'shows a consumer none of another holder’s parcels, inquiries or reports, whatever code they typed at sign-up',
    { timeout: 60_000 },
    async () => {
      const read = async (principal: Principal, url: string) =>
        fixtures.app.http.inject({ url, headers: await headersOf(principal) });
      const parcelIds = async (principal: Principal, url: string) =>
        ((await read(principal, url)).json().items as { id?: number; parcelId?: number }[]).map(
          (item) => item.id ?? item.parcelId,
        );
      const searches = ['/api/v1/parcels', '/api/v1/parcels?trackingNumber=DHL6000001'];
      // Consumer A proved the code the parcel carries: the searches find it, so the checks below can fail.
      for (const url of searches) expect(await parcelIds('consumer_a', url)).toContain(fixtures.parcelA);
      expect(await parcelIds('consumer_a', '/api/v1/portal/parcels')).toContain(fixtures.parcelA);
      for (const principal of ['consumer_b', 'consumer_claimant'] as const) {
        for (const url of searches)
          expect(await parcelIds(principal, url), url).not.toContain(fixtures.parcelA);
        for (const url of [
          `/api/v1/parcels/${fixtures.parcelA}`,
          `/api/v1/clearance/parcels/${fixtures.parcelA}`,
          `/api/v1/portal/parcels/${fixtures.parcelA}`,
          `/api/v1/portal/inquiries/${fixtures.inquiryA}`,
        ])
          expect((await read(principal, url)).statusCode, url).toBeGreaterThanOrEqual(404);
      }
      expect(await parcelIds('consumer_b', '/api/v1/portal/parcels')).not.toContain(fixtures.parcelA);
      const inquiriesOfB = (await read('consumer_b', '/api/v1/portal/inquiries')).json() as { id: number }[];
      expect(inquiriesOfB.map((inquiry) => inquiry.id)).not.toContain(fixtures.inquiryA);
      const reportsOfB = (await read('consumer_b', '/api/v1/portal/pccc/misuse-reports')).json() as {
        id: number;
      }[];
      expect(reportsOfB.map((report) => report.id)).not.toContain(fixtures.misuseReportA);
      // The claimant proved no code: no search shows any parcel at all.
      for (const url of searches) expect(await parcelIds('consumer_claimant', url), url).toEqual([]);
      // The claimant's own view of the code: nothing proved, nothing shown.
      expect((await read('consumer_claimant', '/api/v1/portal/pccc')).json()).toMatchObject({
        pccc: null,
        linked: false,
      });
      expect((await read('consumer_claimant', '/api/v1/auth/me')).json().pccc).toBeNull();
    },
  );

  it('lists only gaps that are still open', async () => {
    const closed: string[] = [];
    for (const [key, row] of Object.entries(matrix)) {
      for (const [principal, why] of Object.entries(row.knownGaps ?? {}) as [Principal, string][]) {
        const spec = await row.request(fixtures);
        const response = await fixtures.app.http.inject({
          method: spec.method ?? 'GET',
          url: spec.url,
          headers: { ...(await headersOf(principal)), ...spec.headers },
          ...(spec.payload === undefined ? {} : { payload: spec.payload as string }),
        });
        if (response.statusCode >= 400)
          closed.push(
            `${key} as ${principal} (${why}) is now denied with ${response.statusCode}: remove it from knownGaps`,
          );
      }
    }
    expect(closed).toEqual([]);
  });
});
