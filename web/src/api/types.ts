/**
 * Shapes of the server's answers, as the console reads them. Where a route declares its response schema,
 * the type is taken from schema.d.ts (generated from /api/openapi.json by `npm run generate:api-types`,
 * checked by test/web-api-types.test.ts) and follows the server by construction. The others are still
 * written by hand until their routes declare one.
 */
import type { paths } from './schema';

/** The JSON body a successful GET of this path answers with. */
type Answer<Path extends keyof paths> = paths[Path]['get'] extends {
  responses: { 200: { content: { 'application/json': infer Body } } };
}
  ? Body
  : never;

/** GET /api/v1/parcels/{id}: a stored parcel as intake shows it. */
export type ParcelView = Answer<'/api/v1/parcels/{id}'>;

export type Lane = 'green' | 'yellow' | 'red' | 'blue';

/** GET /api/v1/parcels/{id}/decision and each item of .../decisions, as the server's OpenAPI document says. */
export type Decision = Answer<'/api/v1/parcels/{id}/decision'>;

/** One row of GET /api/v1/targeting/queue (ParcelStateRow). */
export interface QueueItem {
  parcelId: number;
  decisionId: number;
  lane: Lane;
  xrayReferral: boolean;
  score: number;
  priority: number;
  modelVersion: string;
  officeCode: string | null;
  carrierCode: string | null;
  hsChapters: string[];
  ruleIds: number[];
  arrivalDate: string | null;
  decidedAt: string;
  settled: boolean;
  /** S10 id or house waybill; null only for decisions recorded before the queue kept it. */
  trackingNumber: string | null;
  queueRank: number;
  /** override, mandatory-rule, rule, list, check, xray, model, exploration, random, none. */
  whySelected: string;
  goods: string | null;
  declaredValue: number | null;
  currency: string | null;
  originCountry: string | null;
}

export interface QueuePage {
  items: QueueItem[];
  nextCursor: string | null;
  /** Only on the first page. */
  total?: number;
}

export type ParcelState =
  'received' | 'assessed' | 'held' | 'under_inspection' | 'released' | 'seized' | 'returned';

/** GET /api/v1/clearance/parcels/{id}. */
export interface ParcelClearance {
  parcelId: number;
  trackingNumber: string;
  state: ParcelState;
  assessment: Assessment | null;
  assessmentError: string | null;
  history: { from: ParcelState | null; to: ParcelState; actor: string; at: string; reason: string }[];
  inspections?: {
    id: number;
    outcome: string;
    notes: string | null;
    inspector: string;
    recorded_at: string;
    corrected_value: string | null;
    corrected_currency: string | null;
  }[];
  seizures?: {
    id: number;
    goods_category: string;
    goods_description: string;
    quantity: string;
    quantity_unit: string;
    recorded_by: string;
    recorded_at: string;
  }[];
  /** Officers: the combined-taxation group and the splitting signals, with their evidence. */
  group?: CombinedGroup | null;
  signals?: SplittingSignal[];
  cases?: OfficerCase[];
}

export interface GroupMember {
  parcelId: number;
  trackingNumber: string;
  state: ParcelState;
  goodsPriceKrw: number | null;
  splitFromWaybill: string | null;
  sellerKey: string | null;
  purchaseDate: string | null;
  arrivalDate: string | null;
}

export interface CombinedGroup {
  id: string;
  triggers: ('same_waybill' | 'same_seller_same_date')[];
  evidence: {
    trigger: 'same_waybill' | 'same_seller_same_date';
    waybill?: string;
    seller?: string;
    purchaseDate?: string;
    parcelIds: number[];
  }[];
  members: GroupMember[];
  goodsPriceKrw: number;
  limitKrw: number | null;
  overLimit: boolean;
}

export interface SplittingSignal {
  kind: 'same_pccc_same_day' | 'same_delivery_address';
  evidence: { pccc?: string; arrivalDate?: string; deliveryAddressKey?: string; distinctPcccs?: number };
  members: GroupMember[];
  goodsPriceKrw: number;
  overLimitIfCombined: boolean;
}

/** GET /api/v1/clearance/cases: work for an officer; `details` carries the facts the console words itself. */
export interface OfficerCase {
  id: number;
  parcelId: number;
  kind: 'additional_tax' | 'exchange_rate_missing';
  status: 'open' | 'closed';
  task: string;
  details: {
    currency?: string;
    date?: string;
    weekStarting?: string;
    isoWeek?: number;
    isoYear?: number;
    groupParcelIds?: number[];
    goodsPriceKrw?: number;
    limitKrw?: number;
    additionalTaxKrw?: number;
  };
  openedAt: string;
  resolution: string | null;
}

export interface Assessment {
  listClearance: boolean;
  taxable: boolean;
  reasons: { code: string; message: string; line?: number }[];
  goodsPriceKrw: number;
  goodsPriceUsd: string;
  listClearanceLimitUsd: string;
  customsValueKrw: number;
  dutyKrw: number;
  exciseKrw: number;
  vatKrw: number;
  totalTaxKrw: number;
  assessedTaxKrw: number;
  exchangeRates: { currency: string; krwPerUnit: string; unit: number; weekStarting: string }[];
  lines: {
    lineNumber: number;
    description: string;
    dutyPercent: string;
    dutyKrw: number;
    vatKrw: number;
    customsValueKrw: number;
    excludedAs: { label: string; evidence: string }[];
  }[];
}

/** GET /api/v1/scans/{scanId} and each item of GET /api/v1/parcels/{id}/scans. */
export type Scan = Answer<'/api/v1/scans/{scanId}'>;

/** GET /api/v1/parcels/{id}/risk: the active model's score with its reasons in words. */
export type RiskAssessment = Answer<'/api/v1/parcels/{id}/risk'>;

/** GET /api/v1/targeting/rules items (RuleView). */
export interface Rule {
  id: number;
  name: string;
  owner: string;
  status: 'draft' | 'active' | 'disabled';
  currentVersion: number;
  hitCount: number;
  lastHitAt: string | null;
  current: {
    expression: string;
    lane: Lane;
    selectionPercent: number;
    mandatory: boolean;
    xrayReferral: boolean;
    validFrom: string | null;
    validTo: string | null;
  };
}

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

export interface Watchlist {
  id: number;
  name: string;
  kind: string;
  description: string | null;
  owner: string;
  createdAt: string;
  entryCount: number;
}

/** A registered risk model: GET /api/v1/models/{version} and each item of GET /api/v1/models. */
export type ModelVersion = Answer<'/api/v1/models/{version}'>;

/** GET /api/v1/models/active/drift: population stability of recent declarations against the active model. */
export type DriftReport = Answer<'/api/v1/models/active/drift'>;

/** GET /api/v1/jobs/{id}: a background job's state and progress. */
export type Job = Answer<'/api/v1/jobs/{id}'>;

/** What the console shows of a job while it runs (also of one it just started, before the first answer). */
export type JobProgress = Pick<Job, 'id' | 'kind' | 'state' | 'progress' | 'error'>;

export interface DashboardSeries {
  /** One point per day. */
  days: string[];
  volumesByChannel: Record<string, number[]>;
  lanes: Record<string, number[]>;
  hitRate: number[];
  seizuresByCategory: Record<string, number>;
  byCarrier: { carrier: string; parcels: number; seizures: number }[];
  byOffice: { office: string; parcels: number; seizures: number }[];
}

/** GET /api/v1/auth/me, and `me` in the login answer. */
export interface Officer {
  kind: string;
  accountId: string;
  name: string | null;
  roles: string[];
  /** Organisation accounts (partner area): the carrier's, agency's code or the seller's registration number. */
  organisation?: string | null;
  via?: 'api_key' | 'session' | null;
  /** The language stored on the account (PUT /auth/me/language), or null until the holder chooses one. */
  language?: 'ko' | 'en' | 'fr' | null;
  csrfToken?: string;
}
