/**
 * The partner area's endpoints (OpenAPI templates) and the shapes of their answers, written by hand
 * after src/modules/partners (its routes declare no response schema yet, except the hits).
 */
export const partnerEndpoints = {
  agreements: '/api/v1/partners/agreements',
  alerts: '/api/v1/partners/alerts',
  alertAcknowledgement: '/api/v1/partners/alerts/{id}/acknowledgement',
  alertPicture: '/api/v1/partners/alerts/{id}/pictures/{pictureId}',
  inspectionReports: '/api/v1/partners/carriers/{code}/inspection-reports',
  compliance: '/api/v1/partners/carriers/{code}/compliance',
  complianceTrend: '/api/v1/partners/carriers/{code}/compliance/trend',
  complianceReport: '/api/v1/partners/carriers/{code}/compliance/report',
  safetyReports: '/api/v1/partners/product-safety/reports',
  safetyReport: '/api/v1/partners/product-safety/reports/{id}',
  safetyReportHits: '/api/v1/partners/product-safety/reports/{id}/hits',
  registrations: '/api/v1/sellers/registrations',
  registration: '/api/v1/sellers/registrations/{id}',
  registrationDecision: '/api/v1/sellers/registrations/{id}/decision',
  ownRegistration: '/api/v1/sellers/me',
} as const;

export type OrganisationRole = 'carrier' | 'postal_operator' | 'agency' | 'seller';

export interface Agreement {
  organisationCode: string;
  organisationRole: 'carrier' | 'postal_operator' | 'agency';
  name: string;
  startsOn: string;
  endsOn: string;
  offices: string[];
  obligations: string[];
  dataSharing: string[];
  status: 'active' | 'suspended' | 'terminated';
  statusReason: string | null;
  inForce: boolean;
}

export const alertCategories = ['narcotics', 'firearms', 'dangerous_goods', 'counterfeit', 'other'] as const;
export type AlertCategory = (typeof alertCategories)[number];

export interface Alert {
  id: number;
  kind: 'alert' | 'training';
  category: AlertCategory;
  title: string;
  body: string;
  concealmentMethod: string | null;
  route: string | null;
  indicators: string[];
  pictures: { id: number; mediaType: string }[];
  publishedAt: string;
  /** A carrier's own receipt. */
  readAt?: string | null;
  acknowledgedAt?: string | null;
  /** Officers only. */
  caseReference?: string | null;
  suspectNames?: string[];
  audience?: string[] | null;
  receipts?: { organisationCode: string; accountId: string; readAt: string; acknowledgedAt: string | null }[];
}

export interface FigureComparison {
  figure: 'parcels' | 'inspected' | 'findings';
  carrier: number | null;
  customs: number;
  difference: number | null;
  differs: boolean;
}

export interface InspectionComparison {
  carrier: string;
  period: string;
  submittedAt: string | null;
  revision: number | null;
  screened: number | null;
  figures: FigureComparison[];
}

export interface ComplianceEvaluation {
  carrier: string;
  period: string;
  score: number | null;
  level: 'low' | 'medium' | 'high';
  levelName: string;
  indicators: {
    code: string;
    name: string;
    /** What the evidence's two counts are, in the reader's language. */
    explanation: string;
    value: number | null;
    weight: number;
    evidence: {
      numerator: number;
      denominator: number;
      parcelSamples: (number | string)[];
      facts?: Record<string, number | null>;
    };
  }[];
}

export interface ComplianceTrend {
  carrier: string;
  points: { period: string; score: number | null; level: string }[];
}

export interface SafetyReport {
  id: number;
  agency: string;
  productName: string;
  brand: string | null;
  model: string | null;
  hsCode: string | null;
  sellerId: string | null;
  listingUrl: string | null;
  hazard: string;
  recallReference: string | null;
  createdAt: string;
  lookBackDone: boolean;
  hits?: number;
}

export interface SafetyHit {
  parcelId: number;
  line: { number: number; text: string; orderId: number | null };
  matchedOn: string[];
  score: number;
  foundAt: string;
  trackingNumber?: string | null;
  carrierCode?: string | null;
  hsCode?: string | null;
}

export type RegistrationStatus = 'applied' | 'approved' | 'rejected' | 'suspended';

export interface Registration {
  id: number;
  registrationNumber: string;
  legalName: string;
  country: string;
  address: { street?: string; city?: string; postcode?: string | null; country?: string };
  marketplaces: string[];
  contact: { email?: string; phone?: string | null; name?: string | null };
  documents: string[];
  status: RegistrationStatus;
  createdAt: string;
}

export interface SellerPage {
  registration: Registration;
  decisions: { decision: string; reason: string | null; decidedBy: string; decidedAt: string }[];
  parcels: {
    id: number;
    trackingNumber: string;
    carrierCode: string;
    receivedAt: string;
    inspected: boolean;
    fraud: boolean | null;
  }[];
  orders: {
    id: number;
    orderNumber: string;
    productTitle: string;
    listingUrl: string | null;
    orderedAt: string;
  }[];
  inspections: { inspected: number; violations: number };
  hits: { reportId: number; parcelId: number; line: string; matchedOn: string[]; score: number }[];
}

/** The quarter a date falls in, written as the API wants it (2026-Q4). */
export function quarterOf(date: Date): string {
  return `${date.getUTCFullYear()}-Q${Math.floor(date.getUTCMonth() / 3) + 1}`;
}

/** This quarter and the `count - 1` before it, newest first. */
export function recentQuarters(count: number, today = new Date()): string[] {
  const quarters: string[] = [];
  let year = today.getUTCFullYear();
  let index = Math.floor(today.getUTCMonth() / 3);
  for (let step = 0; step < count; step++) {
    quarters.push(`${year}-Q${index + 1}`);
    index -= 1;
    if (index < 0) {
      index = 3;
      year -= 1;
    }
  }
  return quarters;
}
