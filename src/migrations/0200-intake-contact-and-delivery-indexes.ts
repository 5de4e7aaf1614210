import { sql, type Kysely } from 'kysely';

/**
 * Targeting reads, for each parcel, how many sellers ship under the same sender phone or street (a
 * seller ring shares one warehouse and one phone under several seller names) and which parcels of the
 * day go to the same delivery address on their orders (a purchase split over several names and codes).
 * Both are looked up per parcel decided: expression indexes on exactly the expressions the queries use.
 */
export async function up(db: Kysely<any>): Promise<void> {
  await sql`
    create index intake_parcel_sender_phone on intake_parcel ((sender->>'phone')) where sender->>'phone' is not null;
    create index intake_parcel_sender_street on intake_parcel ((lower(sender->>'street'))) where sender->>'street' is not null;
    create index intake_order_deliver_street on intake_order ((lower(deliver_to->>'street'))) where deliver_to->>'street' is not null;
  `.execute(db);
}
