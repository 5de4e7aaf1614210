import { sql, type Kysely } from 'kysely';

/**
 * The read-only analysis views that intake, targeting and clearance publish (`<owner>_analysis_*`): one
 * row per declaration, per parcel, per current decision and per clearance record, with business names
 * and without personal data (no PCCC, name, address, phone or e-mail). They are each owner's published
 * read surface: the questions module (plain-language questions) names only these views, never the
 * tables under them, so each owner can change its tables as long as its views keep their columns.
 * See docs/questions.md for the meaning of every column.
 */
export async function up(db: Kysely<any>): Promise<void> {
  await sql`
    -- Intake: every declaration (KCS history and parcels' CN23 / express declarations) with its first line
    -- and, where the goods were inspected, the outcome.
    create view intake_analysis_declaration as
    select
      d.id as declaration_id,
      d.source,
      d.declared_on,
      d.office_code,
      d.importer_key,
      d.seller_key,
      d.declarant_key,
      coalesce(d.courier_key, carrier.party_key) as carrier_code,
      substr(l.hs_code, 1, 6) as hs6,
      substr(l.hs_code, 1, 4) as hs_heading,
      substr(l.hs_code, 1, 2) as hs_chapter,
      l.origin_country,
      coalesce(d.attributes ->> 'departureCountry', l.origin_country) as departure_country,
      case when l.currency = 'KRW' then l.value end as value_krw,
      l.net_mass_kg,
      (d.attributes ->> 'taxRate')::numeric as tax_rate,
      d.attributes ->> 'importType' as import_type,
      d.attributes ->> 'transportMode' as transport_mode,
      d.attributes ->> 'paymentType' as payment_type,
      (o.declaration_id is not null) as inspected,
      coalesce(o.fraud, false) as fraud,
      coalesce(o.critical_level = 2, false) as critical_fraud
    from intake_declaration d
    left join intake_declaration_line l on l.declaration_id = d.id and l.line_number = 1
    left join intake_inspection_outcome o on o.declaration_id = d.id
    left join intake_parcel p on p.id = d.parcel_id
    left join intake_party carrier on carrier.id = p.carrier_party_id;

    -- Intake: every parcel as declared by its carrier or post.
    create view intake_analysis_parcel as
    select
      p.id as parcel_id,
      p.channel,
      carrier.party_key as carrier_code,
      p.office_code,
      p.arrival_date,
      coalesce(first_line.origin_country, p.sender ->> 'country') as origin_country,
      p.sender ->> 'country' as departure_country,
      substr(first_line.hs_code, 1, 2) as hs_chapter,
      substr(first_line.hs_code, 1, 4) as hs_heading,
      seller.party_key as seller_key,
      p.category,
      p.declared_value,
      p.currency,
      p.gross_mass_kg,
      p.pieces
    from intake_parcel p
    join intake_party carrier on carrier.id = p.carrier_party_id
    left join intake_party seller on seller.id = p.seller_party_id
    left join lateral (
      select l.origin_country, l.hs_code
      from intake_declaration d
      join intake_declaration_line l on l.declaration_id = d.id
      where d.parcel_id = p.id
      order by d.id, l.line_number
      limit 1
    ) first_line on true;

    -- Targeting: the current decision of each parcel.
    create view targeting_analysis_decision as
    select parcel_id, lane, xray_referral, score, decision_day, decided_at
    from targeting_parcel_state;

    -- Clearance: the clearance state of each parcel and its assessment in won.
    create view clearance_analysis_parcel as
    select
      parcel_id,
      state,
      state in ('held', 'under_inspection', 'seized', 'returned') as held,
      state = 'seized' as seized,
      list_clearance,
      taxable,
      goods_price_krw,
      (assessment ->> 'goodsPriceUsd')::numeric as goods_price_usd,
      (assessment ->> 'dutyKrw')::numeric as duty_krw,
      (assessment ->> 'vatKrw')::numeric as vat_krw,
      total_tax_krw
    from clearance_parcel;
  `.execute(db);
}
