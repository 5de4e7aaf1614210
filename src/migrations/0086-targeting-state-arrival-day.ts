import { sql, type Kysely } from 'kysely';

/** The dashboard counts lanes per arrival day (decision day without one), read in date ranges. */
export async function up(db: Kysely<any>): Promise<void> {
  await sql`
    create index targeting_parcel_state_arrival_day
      on targeting_parcel_state ((coalesce(arrival_date, decision_day)), lane)
  `.execute(db);
}
