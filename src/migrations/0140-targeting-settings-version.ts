import { sql, type Kysely } from 'kysely';

/**
 * Several deciding processes share one database: each keeps the analysts' rules, watchlists, budgets
 * and carrier levels compiled in memory, and must see a change made through any other process. Every
 * change to those tables bumps one counter in the same transaction (statement triggers, so no writer can
 * forget it); a deciding process reads the counter before each batch and reloads when it moved.
 * Rule hit counters are written by every decision batch and are left out on purpose.
 */
export async function up(db: Kysely<any>): Promise<void> {
  await sql`
    create table targeting_settings_version (
      id boolean primary key default true check (id),
      version bigint not null default 0
    );
    insert into targeting_settings_version (id, version) values (true, 0);

    create function targeting_settings_changed() returns trigger language plpgsql as $$
    begin
      update targeting_settings_version set version = version + 1;
      return null;
    end $$;

    create trigger targeting_watchlist_changed after insert or update or delete on targeting_watchlist
      for each statement execute function targeting_settings_changed();
    create trigger targeting_watchlist_entry_changed after insert or update or delete on targeting_watchlist_entry
      for each statement execute function targeting_settings_changed();
    create trigger targeting_rule_changed after insert or delete or update of name, status, current_version on targeting_rule
      for each statement execute function targeting_settings_changed();
    create trigger targeting_rule_version_changed after insert or update or delete on targeting_rule_version
      for each statement execute function targeting_settings_changed();
    create trigger targeting_budget_changed after insert or update or delete on targeting_budget
      for each statement execute function targeting_settings_changed();
    create trigger targeting_carrier_risk_changed after insert or update or delete on targeting_carrier_risk
      for each statement execute function targeting_settings_changed();
  `.execute(db);
}
