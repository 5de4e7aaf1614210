import { sql } from 'kysely';
import type { Database } from '../../src/platform/db/database.js';

/**
 * Counted, not assumed (the resilience suite and the load bench): parcels stored, parcels with a current
 * decision, parcels without exactly one arrival decision, parcels whose decision records are not
 * numbered 1..n, clearance assessments, parcels in clearance, and tracking numbers stored twice.
 */
export async function tallyParcels(database: Database) {
  return (
    await sql<{
      parcels: number;
      states: number;
      arrivals_not_one: number;
      gaps: number;
      assessed: number;
      assessed_parcels: number;
      doubled: number;
    }>`
    select
      (select count(*)::int from intake_parcel) as parcels,
      (select count(*)::int from targeting_parcel_state) as states,
      (select count(*)::int from (select p.id from intake_parcel p
         left join targeting_decision d on d.parcel_id = p.id and d.trigger = 'intake'
         group by p.id having count(d.id) <> 1) as wrong) as arrivals_not_one,
      (select count(*)::int from (select parcel_id from targeting_decision
         group by parcel_id having max(sequence) <> count(*)) as gapped) as gaps,
      (select count(*)::int from clearance_parcel where assessment is not null) as assessed,
      (select count(distinct parcel_id)::int from clearance_parcel) as assessed_parcels,
      (select count(*)::int from (select tracking_number from intake_parcel
         group by carrier_party_id, tracking_number having count(*) > 1) as doubled) as doubled`.execute(
      database.db,
    )
  ).rows[0]!;
}
