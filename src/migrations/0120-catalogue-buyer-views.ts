import { sql, type Kysely } from 'kysely';

/**
 * The analysis views the big-data portal's models need beyond those of 0050: parcels with their buyer
 * keys, declaration lines, and marketplace orders with their payments. They are intake's published read
 * surface for the catalogue (docs/analytics-catalogue-views.md): PCCC in clear (a PCCC page needs it),
 * but names, addresses and phones only as md5 keys of their normalised form, so two records of one
 * person match without any view showing who the person is.
 */
export async function up(db: Kysely<any>): Promise<void> {
  await sql`
    -- Intake: every parcel with the keys that tie it to a buyer, a seller and an order.
    create view intake_analysis_buyer_parcel as
    select
      p.id as parcel_id,
      p.tracking_number,
      p.channel,
      carrier.party_key as carrier_code,
      mawb.mawb as master_waybill,
      p.arrival_date,
      p.category,
      seller.party_key as seller_key,
      coalesce(seller.country, p.sender ->> 'country') as seller_country,
      md5(regexp_replace(coalesce(p.sender ->> 'phone', seller.phone, ''), '[^0-9]', '', 'g')) as seller_phone_key,
      md5(lower(regexp_replace(coalesce(p.sender ->> 'street', '') || (p.sender ->> 'city'), '[[:space:][:punct:]]', '', 'g')))
        as seller_address_key,
      upper(nullif(trim(coalesce(p.pccc, p.addressee ->> 'pccc', p.addressee ->> 'importerReference')), '')) as pccc,
      md5(lower(regexp_replace(coalesce(p.addressee ->> 'name', ''), '[[:space:][:punct:]]', '', 'g'))) as consignee_name_key,
      md5(lower(regexp_replace(
        coalesce(p.addressee ->> 'postcode', '') || coalesce(p.addressee ->> 'street', ''), '[[:space:][:punct:]]', '', 'g'
      ))) as consignee_address_key,
      md5(regexp_replace(coalesce(p.addressee ->> 'phone', ''), '[^0-9]', '', 'g')) as consignee_phone_key,
      p.addressee ->> 'postcode' as consignee_postcode,
      coalesce(p.documents ->> 'invoiceNumber', p.documents ->> 'orderNumber') as invoice_number,
      p.declared_value,
      p.currency,
      p.freight_value,
      p.gross_mass_kg,
      p.pieces
    from intake_parcel p
    join intake_party carrier on carrier.id = p.carrier_party_id
    left join intake_party seller on seller.id = p.seller_party_id
    left join intake_master_waybill mawb on mawb.id = p.master_waybill_id;

    -- Intake: every declared line of a parcel (description, quantity, value, HS code, origin).
    create view intake_analysis_parcel_line as
    select
      d.parcel_id,
      l.line_number,
      l.description,
      l.quantity,
      l.net_mass_kg,
      l.value,
      l.currency,
      substr(l.hs_code, 1, 6) as hs6,
      substr(l.hs_code, 1, 4) as hs_heading,
      substr(l.hs_code, 1, 2) as hs_chapter,
      l.origin_country
    from intake_declaration d
    join intake_declaration_line l on l.declaration_id = d.id
    where d.parcel_id is not null;

    -- Intake: marketplace orders with what was paid for them, in won (payments' own KRW amounts).
    create view intake_analysis_order_payment as
    select
      o.id as order_id,
      o.order_number,
      marketplace.party_key as marketplace,
      seller.party_key as seller_key,
      o.tracking_number,
      o.product_title,
      o.listing_url,
      o.price_paid,
      o.currency,
      o.quantity,
      upper(nullif(trim(o.buyer_pccc), '')) as buyer_pccc,
      md5(lower(regexp_replace(coalesce(o.buyer_name, ''), '[[:space:][:punct:]]', '', 'g'))) as buyer_name_key,
      md5(lower(regexp_replace(
        coalesce(o.deliver_to ->> 'postcode', '') || coalesce(o.deliver_to ->> 'street', ''), '[[:space:][:punct:]]', '', 'g'
      ))) as deliver_to_key,
      o.ordered_at,
      pay.paid_krw,
      pay.payments,
      pay.payer_name_key
    from intake_order o
    join intake_party marketplace on marketplace.id = o.marketplace_party_id
    left join intake_party seller on seller.id = o.seller_party_id
    left join lateral (
      select
        sum(case when p.currency = 'KRW' then p.amount end) as paid_krw,
        count(*) as payments,
        min(md5(lower(regexp_replace(coalesce(p.payer_name, ''), '[[:space:][:punct:]]', '', 'g')))) as payer_name_key
      from intake_payment p
      where p.marketplace_party_id = o.marketplace_party_id and p.order_number = o.order_number
    ) pay on true;
  `.execute(db);
}
