/**
 * Shapes of the server's answers, as the console reads them: taken from schema.d.ts (generated from
 * /api/openapi.json by `npm run generate:api-types`, checked by test/web-api-types.test.ts), so they
 * follow the routes' response schemas by construction. The one exception is a job's result, which the
 * jobs route answers as any JSON: the dry run's is written here, next to its service's type.
 */
import type { paths } from './schema';

/** The JSON body a successful GET of this path answers with. */
type Answer<Path extends keyof paths> = paths[Path]['get'] extends {
  responses: { 200: { content: { 'application/json': infer Body } } };
}
  ? Body
  : never;

/** GET /api/v1/public/statistics: the consumers' portal's public figures, small cells suppressed. */
export type PublicStatistics = Answer<'/api/v1/public/statistics'>;

/** GET /api/v1/analytics/sellers/{sellerId} and .../pccc/{pccc}: a seller's or a buyer code's profile. */
export type EntityProfile = Answer<'/api/v1/analytics/sellers/{sellerId}'>;

/** GET /api/v1/parcels/{id}: a stored parcel as intake shows it. */
export type ParcelView = Answer<'/api/v1/parcels/{id}'>;

/** GET /api/v1/parcels/{id}/decision and each item of .../decisions, as the server's OpenAPI document says. */
export type Decision = Answer<'/api/v1/parcels/{id}/decision'>;

export type Lane = Decision['lane'];

/** GET /api/v1/targeting/queue: a page of the risk-ordered queue. */
export type QueuePage = Answer<'/api/v1/targeting/queue'>;

/** One row of the queue. */
export type QueueItem = QueuePage['items'][number];

/** GET /api/v1/clearance/parcels/{id}: state, assessment, history; officers also see the group, signals and cases. */
export type ParcelClearance = Answer<'/api/v1/clearance/parcels/{id}'>;

export type ParcelState = ParcelClearance['state'];

/** A stored parcel's assessment: won as integers, rates as decimal text, one entry per line. */
export type Assessment = NonNullable<ParcelClearance['assessment']>;

/** The combined-taxation group of a parcel (officers). */
export type CombinedGroup = NonNullable<ParcelClearance['group']>;

export type GroupMember = CombinedGroup['members'][number];

export type SplittingSignal = NonNullable<ParcelClearance['signals']>[number];

/** GET /api/v1/clearance/cases: work for an officer; `details` carries the facts the console words itself. */
export type OfficerCase = Answer<'/api/v1/clearance/cases'>['cases'][number];

/** GET /api/v1/scans/{scanId} and each item of GET /api/v1/parcels/{id}/scans. */
export type Scan = Answer<'/api/v1/scans/{scanId}'>;

/** GET /api/v1/parcels/{id}/risk: the active model's score with its reasons in words. */
export type RiskAssessment = Answer<'/api/v1/parcels/{id}/risk'>;

/** GET /api/v1/targeting/rules items: a rule with its current version and hit counter. */
export type Rule = Answer<'/api/v1/targeting/rules'>['items'][number];

/** The result of the dry-run job (DryRunResult in src/modules/targeting/targeting.service.ts). */
export interface DryRunResult {
  range: { fromDate: string; toDate: string };
  declarations: number;
  matched: number;
  held: number;
  heldInspected: number;
  heldFrauds: number;
  heldCritical: number;
  precision: number | null;
  inspected: number;
  frauds: number;
  baseFraudRate: number | null;
}

/** GET /api/v1/targeting/watchlists items. */
export type Watchlist = Answer<'/api/v1/targeting/watchlists'>['items'][number];

/** A registered risk model: GET /api/v1/models/{version} and each item of GET /api/v1/models. */
export type ModelVersion = Answer<'/api/v1/models/{version}'>;

/** GET /api/v1/models/active/drift: population stability of recent declarations against the active model. */
export type DriftReport = Answer<'/api/v1/models/active/drift'>;

/** GET /api/v1/jobs/{id}: a background job's state and progress. */
export type Job = Answer<'/api/v1/jobs/{id}'>;

/** What the console shows of a job while it runs (also of one it just started, before the first answer). */
export type JobProgress = Pick<Job, 'id' | 'kind' | 'state' | 'progress' | 'error'>;

/** GET /api/v1/statistics/dashboard: one point per day of `days` in every series. */
export type DashboardSeries = Answer<'/api/v1/statistics/dashboard'>;

/** GET /api/v1/auth/me, and `me` in the login answer. */
export type Officer = Answer<'/api/v1/auth/me'>;
