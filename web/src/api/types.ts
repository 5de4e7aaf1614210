/**
 * Shapes of the server's answers, as the console reads them. Where a route declares its response schema,
 * the type is taken from schema.d.ts (generated from /api/openapi.json by `npm run generate:api-types`,
 * checked by test/web-api-types.test.ts) and follows the server by construction. The others are still
 * written by hand (ParcelView mirrors src/modules/intake/intake.views.ts) until their routes declare one.
 */
import type { paths } from './schema';

/** The JSON body a successful GET of this path answers with. */
type Answer<Path extends keyof paths> = paths[Path]['get'] extends {
  responses: { 200: { content: { 'application/json': infer Body } } };
}
  ? Body
  : never;

export interface DeclarationLine {
  lineNumber: number;
  description: string;
  quantity: string;
  netMassKg: string | null;
  value: string;
  currency: string;
  hsCode: string | null;
  originCountry: string | null;
}

export interface ParcelView {
  id: number;
  channel: 'postal' | 'express';
  trackingNumber: string;
  carrierCode: string;
  masterWaybill: string | null;
  flight: string | null;
  pccc: string | null;
  officeCode: string | null;
  category: string | null;
  sender: Record<string, unknown>;
  addressee: Record<string, unknown>;
  seller: {
    id: string;
    name: string | null;
    country: string | null;
    registrationNumber: string | null;
    registrationStatus: string | null;
  } | null;
  grossMassKg: string | null;
  pieces: number | null;
  declaredValue: string;
  currency: string;
  freightValue: string | null;
  arrivalDate: string | null;
  declaredOn: string | null;
  receivedAt: string;
  lines: DeclarationLine[];
  orders: {
    marketplace: string;
    orderNumber: string;
    productTitle: string;
    pricePaid: string;
    currency: string;
    listingUrl: string | null;
    orderedAt: string;
    sellerId: string | null;
  }[];
  payments: {
    marketplace: string;
    paymentReference: string;
    orderNumber: string;
    method: string;
    amount: string;
    currency: string;
    foreignAmount: string | null;
    foreignCurrency: string | null;
    paidAt: string;
  }[];
}

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

/** A scan as GET /api/v1/parcels/{id}/scans answers it (src/modules/xray/xray.repository.ts StoredScan). */
export interface Scan {
  id: number;
  parcelId: number;
  width: number;
  height: number;
  state: 'queued' | 'analysed' | 'failed';
  detections: { label: string; score: number; x: number; y: number; width: number; height: number }[] | null;
  declarationMatch: { mismatch: boolean; findings: string[]; threats: string[] } | null;
  model: string | null;
  analysisMs: number | null;
  error: string | null;
  uploadedAt: string;
  analysedAt: string | null;
}

/** GET /api/v1/parcels/{id}/risk: the active model's score with its reasons in words (src/modules/risk/risk.service.ts). */
export interface RiskAssessment {
  modelVersion: string;
  score: number;
  reasons: string[];
  contributions: { feature: string; value: number; contribution: number; text: string }[];
  lines: { lineNumber: number; score: number }[];
}

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

/** A registered risk model (src/modules/risk/risk.repository.ts StoredModel). */
export interface ModelVersion {
  version: number;
  status: 'candidate' | 'active' | 'retired';
  trainedFrom: string;
  trainedTo: string;
  trainingRows: number;
  metrics: {
    holdout?: {
      rows: number;
      frauds: number;
      precision_at: Record<string, number>;
      recall_at: Record<string, number>;
      auc: number;
      from: string;
      to: string;
    };
  };
  featureImportance: { feature: string; importance: number }[];
  createdBy: string;
  createdAt: string;
  promotedAt: string | null;
  promotedBy: string | null;
}

/** GET /api/v1/models/active/drift: population stability of recent declarations against the active model. */
export interface DriftReport {
  modelVersion: string;
  declarations: number;
  from: string;
  to: string;
  features: { feature: string; psi: number; level: 'stable' | 'moderate' | 'significant' }[];
}

/** GET /api/v1/jobs/{id} (src/platform/jobs/job-queue.ts JobView). */
export interface Job {
  id: number;
  kind: string;
  state: 'queued' | 'running' | 'succeeded' | 'failed';
  progress: { done: number; total: number | null };
  result?: unknown;
  error: string | null;
}

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
  csrfToken?: string;
}
