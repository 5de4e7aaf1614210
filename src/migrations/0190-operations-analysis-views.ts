import { sql, type Kysely } from 'kysely';

/**
 * The analysis views the catalogue's operations and cross-cutting models need (M1, M3, K1, X1): what
 * inspectors found per parcel (clearance), which rules selected each parcel (targeting), and when each
 * parcel's data reached customs against its arrival (intake). Each owner publishes its own view, so the
 * portal never names the tables under them (docs/analytics-catalogue-views.md).
 */
export async function up(db: Kysely<any>): Promise<void> {
  await sql`
    -- Clearance: every recorded inspection with its outcome and the training label it gave.
    create view clearance_analysis_inspection as
    select parcel_id, outcome, label_fraud as fraud, label_critical_level as critical_level,
      cast(recorded_at as date) as inspected_on
    from clearance_inspection;

    -- Targeting: one row per rule that fired in a parcel's current decision, by the rule's name.
    create view targeting_analysis_rule_hit as
    select s.parcel_id, r.name as rule_name, s.arrival_date, s.decision_day
    from targeting_parcel_state s
    cross join lateral unnest(s.rule_ids) as fired(rule_id)
    join targeting_rule r on r.id = fired.rule_id;

    -- Targeting: the rules as they stand, so that a rule that never fires is still seen.
    create view targeting_analysis_rule as
    select r.name as rule_name, r.status, v.lane, v.mandatory, v.selection_percent
    from targeting_rule r
    join targeting_rule_version v on v.rule_id = r.id and v.version = r.current_version;

    -- Intake: when each parcel's data was received, for the carriers' timeliness.
    create view intake_analysis_parcel_receipt as
    select p.id as parcel_id, carrier.party_key as carrier_code, p.arrival_date, p.received_at
    from intake_parcel p
    join intake_party carrier on carrier.id = p.carrier_party_id;
  `.execute(db);
}
