import type { ColumnType, Generated } from 'kysely';

/** A timestamp the database sets by default; written as a Date when the caller decides it. */
type Timestamp = ColumnType<Date, Date | undefined, Date>;
type DateText = ColumnType<string, string, string>;

/** Kysely row types of the tables owned by the portal module (schema in src/migrations/0100-portal.ts). */
export type PortalTables = {
  portal_pccc_registry: {
    pccc: string;
    holder_name: string;
    email: string | null;
    phone: string | null;
    issued_on: DateText;
    expires_on: DateText;
    status: 'active' | 'cancelled';
    renewal_reminded_for: DateText | null;
    imported_at: Timestamp;
  };
  portal_pccc_link: { pccc: string; account_id: string; linked_at: Timestamp };
  portal_link_code: {
    id: Generated<number>;
    account_id: string;
    pccc: string;
    code_hash: string;
    attempts: Generated<number>;
    created_at: Timestamp;
    expires_at: Date;
    consumed_at: Date | null;
  };
  portal_misuse_report: {
    id: Generated<number>;
    pccc: string;
    account_id: string;
    parcel_ids: number[];
    statement: string;
    status: Generated<'open' | 'confirmed' | 'dismissed'>;
    officer_note: string | null;
    worked_by: string | null;
    worked_at: Date | null;
    created_at: Timestamp;
  };
  portal_pccc_suspension: {
    pccc: string;
    source: 'holder' | 'misuse_report';
    misuse_report_id: number | null;
    suspended_by: string;
    suspended_at: Timestamp;
  };
  portal_delivery_address: {
    id: Generated<number>;
    pccc: string;
    label: string;
    address: string;
    address_key: string;
    created_at: Timestamp;
  };
  portal_parcel_notice: {
    parcel_id: number;
    kind: 'unregistered_address';
    pccc: string;
    sent_at: Timestamp;
  };
  portal_inquiry: {
    id: Generated<number>;
    pccc: string;
    account_id: string;
    parcel_id: number | null;
    subject: string;
    status: Generated<'open' | 'answered' | 'closed'>;
    language: 'ko' | 'en' | 'fr';
    created_at: Timestamp;
    answer_due_at: Date;
    answered_at: Date | null;
  };
  portal_inquiry_message: {
    id: Generated<number>;
    inquiry_id: number;
    author_kind: 'consumer' | 'officer';
    author: string;
    body: string;
    created_at: Timestamp;
  };
  portal_inquiry_attachment: {
    id: Generated<number>;
    inquiry_id: number;
    file_name: string;
    media_type: string;
    byte_size: number;
    content_sha256: string;
    content: Buffer;
    created_at: Timestamp;
  };
};
