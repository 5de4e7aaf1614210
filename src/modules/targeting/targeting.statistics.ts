import { sql } from 'kysely';
import type { Actor } from '../../platform/auth/actor.js';
import { isOfficer } from '../../platform/auth/actor.js';
import type { Database } from '../../platform/db/database.js';
import { CommonError } from '../../platform/errors/module-error.js';
import type { Lane } from './domain/lane-decision.js';

/**
 * Parcels per arrival day (the decision day for a parcel without one) and current lane, for the
 * dashboard, so that lanes and volumes fall on the same days; officers only.
 */
export async function laneCountsByDay(
  database: Database,
  actor: Actor,
  range: { from: string; to: string },
): Promise<{ day: string; lane: Lane; parcels: number }[]> {
  if (!isOfficer(actor)) throw new CommonError('forbidden', 'Statistics are for customs officers');
  const { rows } = await sql<{ day: string; lane: Lane; parcels: number }>`
    select to_char(coalesce(arrival_date, decision_day), 'YYYY-MM-DD') as day, lane, count(*)::int as parcels
    from targeting_parcel_state
    where coalesce(arrival_date, decision_day) between ${range.from}::date and ${range.to}::date
    group by 1, 2 order by 1`.execute(database.db);
  return rows;
}
