import { sql, type Kysely } from 'kysely';

/**
 * Partners publish the product-safety reports (recalls, bans) agencies filed, for the catalogue's recall
 * matching (PS1): the product, brand, model, HS code, hazard and recall reference, without who filed it.
 */
export async function up(db: Kysely<any>): Promise<void> {
  await sql`
    create view partners_analysis_safety_report as
    select id as report_id, agency_code, product_name, brand, model, substr(hs_code, 1, 6) as hs6, hazard,
      recall_reference
    from partners_safety_report;
  `.execute(db);
}
