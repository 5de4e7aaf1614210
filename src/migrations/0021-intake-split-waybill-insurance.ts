import { sql, type Kysely } from 'kysely';

/**
 * Intake carries what combined taxation and the customs value need (issue 14): the insurance paid to the
 * border (part of CIF) on each parcel, and the original B/L or AWB a consignment was split from on each
 * marketplace order (on parcels it is a document reference, kept in `documents.splitFromWaybill`).
 */
export async function up(db: Kysely<any>): Promise<void> {
  await sql`
    alter table intake_parcel add column insurance_value numeric(18, 2);
    alter table intake_order add column split_from_waybill text;
  `.execute(db);
}
