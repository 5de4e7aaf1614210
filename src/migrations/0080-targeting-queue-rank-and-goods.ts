import { sql, type Kysely } from 'kysely';

/**
 * The queue is ordered by what an officer should do first (`queue_rank`: findings, then model picks, then
 * the random-control and exploration samples; within each, red before yellow, then the score), says why
 * each parcel was selected, and shows the goods, declared value and origin without opening the parcel.
 * Existing rows get their rank from their current decision's selection; their goods stay empty until
 * they are decided again.
 */
export async function up(db: Kysely<any>): Promise<void> {
  await sql`
    alter table targeting_parcel_state
      add column queue_rank double precision not null default 0,
      add column why_selected text not null default 'none',
      add column goods text,
      add column declared_value numeric,
      add column currency text,
      add column origin_country text;
    update targeting_parcel_state s set
      why_selected = d.selection,
      queue_rank = (case d.selection when 'override' then 80 when 'mandatory-rule' then 70 when 'rule' then 50
                      when 'model' then 30 when 'exploration' then 20 when 'random' then 10 else 0 end)
        + (case s.lane when 'red' then 6 when 'yellow' then 4 when 'blue' then 2 else 0 end)
        + least(1, greatest(0, s.score))
    from targeting_decision d where d.id = s.decision_id;
    create index targeting_parcel_state_rank on targeting_parcel_state (queue_rank desc, parcel_id desc);
    create index targeting_parcel_state_lane_rank on targeting_parcel_state (lane, queue_rank desc, parcel_id desc);
  `.execute(db);
}
