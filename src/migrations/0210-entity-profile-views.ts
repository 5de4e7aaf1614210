import { sql, type Kysely } from 'kysely';

/**
 * The views the per-seller and per-PCCC profiles (the KCS model, issue 17 point 3) need beyond those of
 * 0050/0120/0190: intake's sellers with their Korean registration, and the portal's standing of each PCCC
 * (registry status, list clearance suspended, misuse reports by the holder). Each owner publishes its own
 * view, so analytics never names the tables under them (docs/analytics-catalogue-views.md).
 */
export async function up(db: Kysely<any>): Promise<void> {
  await sql`
    -- Intake: every seller named on a parcel or an order, with its foreign-seller registration if any.
    create view intake_analysis_seller as
    select party_key as seller_key, name, country, registration_number, registration_status
    from intake_party
    where kind = 'seller';

    -- Portal: each registered PCCC's standing; no holder name, e-mail or phone.
    create view portal_analysis_pccc as
    select
      r.pccc,
      r.status,
      r.expires_on,
      exists (select 1 from portal_pccc_suspension s where s.pccc = r.pccc) as suspended,
      (select count(*) from portal_misuse_report m where m.pccc = r.pccc and m.status = 'open') as open_misuse_reports,
      (select count(*) from portal_misuse_report m where m.pccc = r.pccc and m.status = 'confirmed')
        as confirmed_misuse_reports
    from portal_pccc_registry r;
  `.execute(db);
}
