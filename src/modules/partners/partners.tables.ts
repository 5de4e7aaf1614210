import type { ColumnType, Generated } from 'kysely';

type Timestamp = ColumnType<Date, never, never>;
type DateText = ColumnType<string, string, string>;

/** Kysely row types of the tables owned by the partners module (schema in src/migrations/0060-partners.ts). */
export type PartnersTables = {
  partners_agreement: {
    organisation_code: string;
    organisation_role: 'carrier' | 'postal_operator' | 'agency';
    name: string;
    starts_on: DateText;
    ends_on: DateText;
    offices: string[];
    contacts: ColumnType<unknown, string, string>;
    obligations: string[];
    data_sharing: string[];
    status: 'active' | 'suspended' | 'terminated';
    status_reason: string | null;
    updated_by: string;
    updated_at: ColumnType<Date, Date | undefined, Date>;
  };
  partners_alert: {
    id: Generated<number>;
    kind: 'alert' | 'training';
    category: string;
    title: string;
    body: string;
    concealment_method: string | null;
    route: string | null;
    indicators: string[];
    case_reference: string | null;
    suspect_names: string[];
    audience: string[] | null;
    published_by: string;
    published_at: Timestamp;
  };
  partners_alert_receipt: {
    alert_id: number;
    account_id: string;
    organisation_code: string;
    read_at: ColumnType<Date, Date | undefined, Date>;
    acknowledged_at: Date | null;
  };
  partners_picture: {
    id: Generated<number>;
    owner_kind: 'alert' | 'safety_report';
    owner_id: number;
    media_type: string;
    byte_size: number;
    content_sha256: string;
    content: Buffer;
    uploaded_by: string;
    uploaded_at: Timestamp;
  };
  partners_inspection_report: {
    carrier_code: string;
    period: string;
    parcels_handled: number;
    parcels_screened: number;
    parcels_inspected: number;
    findings: number;
    revision: Generated<number>;
    submitted_by: string;
    submitted_at: ColumnType<Date, Date | undefined, Date>;
  };
  partners_compliance_evaluation: {
    carrier_code: string;
    period: string;
    score: ColumnType<string, number, number>;
    level: 'low' | 'medium' | 'high';
    indicators: ColumnType<unknown, string, string>;
    evaluated_at: ColumnType<Date, Date | undefined, Date>;
  };
  partners_safety_report: {
    id: Generated<number>;
    agency_code: string;
    product_name: string;
    brand: string | null;
    model: string | null;
    hs_code: string | null;
    seller_id: string | null;
    listing_url: string | null;
    hazard: string;
    recall_reference: string | null;
    content_sha256: string;
    submitted_by: string;
    created_at: Timestamp;
    backfilled_at: Date | null;
  };
  partners_safety_hit: {
    report_id: number;
    parcel_id: number;
    line_number: number;
    order_id: number | null;
    line_text: string;
    carrier_code: string | null;
    tracking_number: string | null;
    hs_code: string | null;
    matched_on: string[];
    score: number;
    found_at: Timestamp;
  };
  partners_seller_registration: {
    id: Generated<number>;
    registration_number: string;
    legal_name: string;
    country: string;
    address: ColumnType<unknown, string, string>;
    marketplaces: string[];
    contact: ColumnType<unknown, string, string>;
    documents: string[];
    status: 'applied' | 'approved' | 'rejected' | 'suspended';
    applicant_email: string;
    created_at: Timestamp;
  };
  partners_seller_decision: {
    id: Generated<number>;
    registration_id: number;
    decision: 'approved' | 'rejected' | 'suspended';
    reason: string | null;
    decided_by: string;
    decided_at: Timestamp;
  };
};
