/** Shapes of the server's answers, as the console reads them. ParcelView mirrors src/modules/intake/intake.views.ts. */

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
  seller: { id: string; name: string | null; country: string | null; registrationNumber: string | null; registrationStatus: string | null } | null;
  grossMassKg: string | null;
  pieces: number | null;
  declaredValue: string;
  currency: string;
  freightValue: string | null;
  arrivalDate: string | null;
  declaredOn: string | null;
  receivedAt: string;
  lines: DeclarationLine[];
  orders: { marketplace: string; orderNumber: string; productTitle: string; pricePaid: string; currency: string; listingUrl: string | null; orderedAt: string; sellerId: string | null }[];
  payments: { marketplace: string; paymentReference: string; orderNumber: string; method: string; amount: string; currency: string; foreignAmount: string | null; foreignCurrency: string | null; paidAt: string }[];
}

export type Lane = 'green' | 'yellow' | 'red' | 'blue';

/** A reason is either a sentence or a structured item; the console shows whatever words it carries. */
export type DecisionReason = string | { code?: string; text?: string; message?: string; description?: string; weight?: number; contribution?: number; rule?: string; ruleId?: string | number };

export interface Decision {
  lane: Lane;
  score: number;
  modelVersion: string | null;
  reasons: DecisionReason[];
  decidedInMs: number;
  ruleHits?: { ruleId?: string | number; id?: string | number; name: string; lane?: Lane }[];
  decidedAt?: string;
}

export interface QueueItem {
  parcelId: number;
  trackingNumber: string;
  channel: 'postal' | 'express';
  carrierCode: string;
  officeCode: string | null;
  lane: Lane;
  score: number;
  status: string;
  ruleHits: string[];
  hsChapters: string[];
  arrivalDate: string | null;
  declaredValue: string;
  currency: string;
}

export interface QueuePage {
  items: QueueItem[];
  nextCursor: string | null;
  total: number;
}

export interface AssessmentPreview {
  listClearance?: boolean;
  customsValueKrw?: string | number;
  dutyKrw?: string | number;
  vatKrw?: string | number;
  exciseKrw?: string | number;
  totalKrw?: string | number;
  reasons?: string[];
  [key: string]: unknown;
}

export interface HistoryEntry {
  at: string;
  actor: string;
  action: string;
  lane?: Lane;
  reason?: string;
  details?: Record<string, unknown>;
}

export interface RelatedParcel {
  parcelId: number;
  trackingNumber: string;
  relation: string;
  lane?: Lane;
  arrivalDate?: string | null;
}

export interface XrayDetection {
  label: string;
  score: number;
  box: { x: number; y: number; width: number; height: number };
}

export interface XrayView {
  imageUrl: string;
  width: number;
  height: number;
  detections: XrayDetection[];
  /** Detected classes that no declaration line explains, named by the server. */
  mismatches?: string[];
}

export interface Rule {
  id: string | number;
  name: string;
  expression?: string;
  source?: string;
  lane: Lane;
  status: string;
  validFrom?: string | null;
  validUntil?: string | null;
  hits?: number;
}

export interface DryRunResult {
  parcels: number;
  matched: number;
  frauds?: number;
  frauds_matched?: number;
  fraudsMatched?: number;
  [key: string]: unknown;
}

export interface Watchlist {
  id: string | number;
  name: string;
  kind: string;
  entries?: number | string[];
  expiresAt?: string | null;
}

export interface ModelVersion {
  version: string;
  status: string;
  createdAt: string;
  metrics?: Record<string, number>;
  precisionHistory?: { at: string; precisionAt5?: number; precisionAt10?: number }[];
  featureImportance?: { feature: string; importance: number }[];
}

export interface Job {
  id: string | number;
  status: string;
  progress?: number | { done: number; total: number } | null;
  error?: string | null;
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

export interface Officer {
  accountId?: string;
  id?: string;
  name: string;
  roles?: string[];
  kind?: string;
}
