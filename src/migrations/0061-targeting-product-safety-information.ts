import { sql, type Kysely } from 'kysely';

/** A product-safety hit (partners) is information about a parcel that re-decides it, like an X-ray finding. */
export async function up(db: Kysely<any>): Promise<void> {
  await sql`
    alter table targeting_parcel_information drop constraint targeting_parcel_information_kind_check;
    alter table targeting_parcel_information add constraint targeting_parcel_information_kind_check
      check (kind in ('post_delivery_address', 'xray', 'product_safety'));
  `.execute(db);
}
