import { sql } from 'kysely';
import type { Actor } from '../../platform/auth/actor.js';
import { isOfficer } from '../../platform/auth/actor.js';
import type { Database } from '../../platform/db/database.js';
import { CommonError } from '../../platform/errors/module-error.js';
import type { Lane } from './domain/lane-decision.js';

/** Parcels per decision day and current lane, for the dashboard; officers only. */
export async function laneCountsByDay(
  database: Database,
  actor: Actor,
  range: { from: string; to: string },
): Promise<{ day: string; lane: Lane; parcels: number }[]> {
  if (!isOfficer(actor)) throw new CommonError('forbidden', 'Statistics are for customs officers');
  const { rows } = await sql<{ day: string; lane: Lane; parcels: number }>`
    select to_char(decision_day, 'YYYY-MM-DD') as day, lane, count(*)::int as parcels
    from targeting_parcel_state
    where decision_day between ${range.from}::date and ${range.to}::date
    group by 1, 2 order by 1`.execute(database.db);
  return rows;
}
