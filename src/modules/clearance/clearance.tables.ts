import type { ColumnType, Generated } from 'kysely';

/** Kysely row types of the tables owned by the clearance module (schema in src/migrations/0006-clearance.ts, 0020). */
type Timestamp = ColumnType<Date, Date | string | undefined, Date | string>;
/** bigint columns come back as JS numbers (int8 parser in platform/db); money in won stays well below 2^53. */
type Won = ColumnType<number, bigint | number | string, bigint | number | string>;

export type ClearanceTables = {
  clearance_exchange_rate: {
    currency: string;
    week_starting: ColumnType<string, string, string>;
    krw_per_unit: string;
    unit: number;
    source: string;
    loaded_by: string;
    loaded_at: Timestamp;
  };
  clearance_parcel: {
    parcel_id: number;
    channel: 'postal' | 'express';
    carrier_code: string;
    tracking_number: string;
    state: string;
    pccc: string | null;
    seller_key: string | null;
    importer_key: string | null;
    addressee_name_key: string | null;
    purchase_date: string | null;
    arrival_date: string | null;
    split_from_waybill: string | null;
    addressee_address_key: string | null;
    delivery_address_key: string | null;
    goods_price_krw: Won | null;
    limit_krw: Won | null;
    list_clearance: boolean | null;
    taxable: boolean | null;
    total_tax_krw: Won | null;
    assessment: unknown;
    assessment_error: string | null;
    assessed_at: Timestamp | null;
    created_at: Timestamp;
    updated_at: Timestamp;
  };
  clearance_case: {
    id: Generated<number>;
    parcel_id: number;
    kind: 'additional_tax' | 'exchange_rate_missing';
    status: Generated<'open' | 'closed'>;
    details: unknown;
    opened_at: Timestamp;
    closed_at: Timestamp | null;
    closed_by: string | null;
    resolution: string | null;
  };
  clearance_transition: {
    id: Generated<number>;
    parcel_id: number;
    from_state: string | null;
    to_state: string;
    actor: string;
    reason: string;
    at: Timestamp;
  };
  clearance_inspection: {
    id: Generated<number>;
    parcel_id: number;
    outcome: string;
    corrected_value: string | null;
    corrected_currency: string | null;
    corrected_description: string | null;
    corrected_hs_code: string | null;
    corrected_assessment: unknown;
    notes: string | null;
    inspector: string;
    recorded_at: Timestamp;
    label_fraud: boolean;
    label_critical_level: number;
    label_delivered_at: Timestamp | null;
    label_error: string | null;
  };
  clearance_seizure: {
    id: Generated<number>;
    parcel_id: number;
    inspection_id: number | null;
    goods_category: string;
    goods_description: string;
    quantity: string;
    quantity_unit: string;
    concealment_method: string;
    route: unknown;
    parties: unknown;
    images: unknown;
    recorded_by: string;
    recorded_at: Timestamp;
  };
  clearance_delivery_report: {
    id: Generated<number>;
    carrier_code: string;
    tracking_number: string;
    parcel_id: number | null;
    delivered_to: string;
    address_key: string;
    delivered_at: Timestamp | null;
    reported_by: string;
    reported_at: Timestamp;
  };
  clearance_webhook: {
    carrier_code: string;
    url: string;
    secret: string;
    active: boolean;
    updated_by: string;
    updated_at: Timestamp;
  };
  clearance_notification: {
    id: Generated<number>;
    carrier_code: string;
    parcel_id: number;
    tracking_number: string;
    kind: string;
    payload: unknown;
    created_at: Timestamp;
    delivery_status: Generated<'pending' | 'delivered' | 'failed'>;
    attempts: Generated<number>;
    next_attempt_at: Timestamp;
    last_error: string | null;
    delivered_at: Timestamp | null;
    acknowledged_at: Timestamp | null;
  };
};
