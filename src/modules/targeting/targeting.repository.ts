import { sql, type Kysely, type Transaction } from 'kysely';
import { prepared } from '../../platform/db/prepared-statements.js';
import type { Database } from '../../platform/db/database.js';
import { unnestInsert } from '../../platform/db/bulk-insert.js';
import type { HeldLane, CarrierRiskLevel } from './domain/budget-policy.js';
import { queueRank, type Lane } from './domain/lane-decision.js';
import type { ListKind } from './domain/rule-fields.js';
import type { RuleLane } from './domain/rule-set.js';
import type { DecisionDraft } from './domain/targeting-engine.js';
import type { ParcelFacts, XrayFacts } from './domain/parcel-facts.js';

type Db = Kysely<{}>;

export interface WatchlistRow {
  id: number;
  name: string;
  kind: ListKind;
  description: string | null;
  owner: string;
  createdAt: string;
  entryCount: number;
}

export interface WatchlistEntryRow {
  value: string;
  expiresAt: string | null;
  note: string | null;
  addedBy: string;
  addedAt: string;
}

export interface RuleVersionRow {
  ruleId: number;
  version: number;
  expression: string;
  description: string | null;
  lane: RuleLane;
  xrayReferral: boolean;
  selectionPercent: number;
  mandatory: boolean;
  validFrom: string | null;
  validTo: string | null;
  fields: string[];
  lists: string[];
  createdBy: string;
  createdAt: string;
}

export interface RuleRow {
  id: number;
  name: string;
  owner: string;
  status: 'draft' | 'active' | 'disabled';
  currentVersion: number;
  hitCount: number;
  lastHitAt: string | null;
  createdAt: string;
  updatedAt: string;
}

export type NewRuleVersion = Omit<RuleVersionRow, 'ruleId' | 'version' | 'createdAt'>;

/** A stored decision record, as the API shows it. */
export interface DecisionRecord {
  decisionId: number;
  parcelId: number;
  sequence: number;
  lane: Lane;
  xrayReferral: boolean;
  score: number;
  modelVersion: string;
  ruleHits: { ruleId: number; version: number; name: string }[];
  reasons: string[];
  selection: string;
  priority: number;
  trigger: string;
  officeCode: string | null;
  carrierCode: string | null;
  receivedAt: string;
  decidedAt: string;
  decidedInMs: number;
  override: { by: string; reason: string } | null;
}

/** The current decision of a parcel (the queue's row). */
export interface ParcelStateRow {
  parcelId: number;
  decisionId: number;
  sequence: number;
  lane: Lane;
  xrayReferral: boolean;
  score: number;
  priority: number;
  modelVersion: string;
  officeCode: string | null;
  carrierCode: string | null;
  trackingNumber: string | null;
  hsChapters: string[];
  ruleIds: number[];
  arrivalDate: string | null;
  decisionDay: string;
  decidedAt: string;
  settled: boolean;
  /** The queue's order: selection tier, lane, score (see `queueRank`). */
  queueRank: number;
  /** What selected the parcel: rule, list, check, xray, model, exploration, random, override ... */
  whySelected: string;
  /** The first line's goods (with the number of further lines), declared value, currency and origin. */
  goods: string | null;
  declaredValue: number | null;
  currency: string | null;
  originCountry: string | null;
}

export interface QueueFilter {
  office?: string;
  carrier?: string;
  lanes?: Lane[];
  ruleId?: number;
  hsChapter?: string;
  arrivalFrom?: string;
  arrivalTo?: string;
}

/** The most parcels the queue's first page counts; beyond it the total reads "10,000+". */
export const QUEUE_COUNT_CAP = 10_000;

/** The queue's size as the first page reports it: exact up to the cap, else the cap and `capped`. */
export interface QueueTotal {
  count: number;
  capped: boolean;
}

export interface QueueCursor {
  rank: number;
  parcelId: number;
}

const iso = (value: Date | string | null): string | null =>
  value === null ? null : new Date(value).toISOString();

/** The only code that reads or writes the targeting tables. */
/** What arrived about a parcel after intake, as decisions read it. */
export type ParcelInformation = Pick<
  ParcelFacts,
  'deliveryAddress' | 'deliveryAddressParcels' | 'xray' | 'productSafety'
>;

export class TargetingRepository {
  private readonly db: Db;

  /** On a database, or inside a transaction (`{ db: tx }`, see `transaction`). */
  constructor(database: Pick<Database, 'db'>) {
    this.db = database.db;
  }

  transaction<T>(work: (tx: Transaction<{}>) => Promise<T>): Promise<T> {
    return this.db.transaction().execute(work);
  }

  /** Runs `work` in one transaction with a repository bound to it. */
  inTransaction<T>(work: (repository: TargetingRepository) => Promise<T>): Promise<T> {
    return this.transaction((tx) => work(new TargetingRepository({ db: tx })));
  }

  /** Moves whenever an analyst's setting changes, in any process (triggers of migration 0140). */
  async settingsVersion(): Promise<number> {
    const { rows } = await sql<{ version: string }>`
      select version from targeting_settings_version`.execute(this.db);
    return Number(rows[0]?.version ?? 0);
  }

  // ---- watchlists

  async createWatchlist(list: {
    name: string;
    kind: ListKind;
    description: string | null;
    owner: string;
  }): Promise<number> {
    const { rows } = await sql<{ id: number }>`
      insert into targeting_watchlist (name, kind, description, owner) values (${list.name}, ${list.kind}, ${list.description}, ${list.owner})
      on conflict (name) do nothing returning id`.execute(this.db);
    return rows[0]?.id ?? 0;
  }

  async listWatchlists(): Promise<WatchlistRow[]> {
    const { rows } = await sql<{
      id: number;
      name: string;
      kind: ListKind;
      description: string | null;
      owner: string;
      created_at: Date;
      entry_count: number;
    }>`
      select w.*, (select count(*) from targeting_watchlist_entry e where e.watchlist_id = w.id) as entry_count
      from targeting_watchlist w order by w.name`.execute(this.db);
    return rows.map((row) => ({
      id: row.id,
      name: row.name,
      kind: row.kind,
      description: row.description,
      owner: row.owner,
      createdAt: iso(row.created_at)!,
      entryCount: Number(row.entry_count),
    }));
  }

  async findWatchlist(name: string): Promise<WatchlistRow | undefined> {
    return (await this.listWatchlists()).find((list) => list.name === name);
  }

  async upsertEntries(
    watchlistId: number,
    entries: { value: string; expiresAt: string | null; note: string | null }[],
    addedBy: string,
  ): Promise<void> {
    if (entries.length === 0) return;
    await unnestInsert(
      'targeting_watchlist_entry',
      { watchlist_id: 'bigint', value: 'text', expires_at: 'timestamptz', note: 'text', added_by: 'text' },
      entries.map((entry) => ({
        watchlist_id: watchlistId,
        value: entry.value,
        expires_at: entry.expiresAt,
        note: entry.note,
        added_by: addedBy,
      })),
      sql`on conflict (watchlist_id, value) do update set expires_at = excluded.expires_at, note = excluded.note, added_by = excluded.added_by, added_at = now()`,
    ).execute(this.db);
  }

  async removeEntry(watchlistId: number, value: string): Promise<boolean> {
    const result =
      await sql`delete from targeting_watchlist_entry where watchlist_id = ${watchlistId} and value = ${value}`.execute(
        this.db,
      );
    return Number(result.numAffectedRows ?? 0) > 0;
  }

  async entriesOf(
    watchlistId: number,
    page: { afterValue: string; limit: number },
  ): Promise<WatchlistEntryRow[]> {
    const { rows } = await sql<{
      value: string;
      expires_at: Date | null;
      note: string | null;
      added_by: string;
      added_at: Date;
    }>`
      select value, expires_at, note, added_by, added_at from targeting_watchlist_entry
      where watchlist_id = ${watchlistId} and value > ${page.afterValue} order by value limit ${page.limit}`.execute(
      this.db,
    );
    return rows.map((row) => ({
      value: row.value,
      expiresAt: iso(row.expires_at),
      note: row.note,
      addedBy: row.added_by,
      addedAt: iso(row.added_at)!,
    }));
  }

  /** Every entry of every list (expired ones too: expiry is checked at evaluation time). */
  async allEntries(): Promise<{ name: string; kind: ListKind; value: string; expiresAt: Date | null }[]> {
    const { rows } = await sql<{ name: string; kind: ListKind; value: string; expires_at: Date | null }>`
      select w.name, w.kind, e.value, e.expires_at from targeting_watchlist w
      left join targeting_watchlist_entry e on e.watchlist_id = w.id`.execute(this.db);
    return rows.map((row) => ({
      name: row.name,
      kind: row.kind,
      value: row.value,
      expiresAt: row.expires_at,
    }));
  }

  // ---- rules

  async createRule(name: string, owner: string, version: NewRuleVersion): Promise<number | undefined> {
    return this.transaction(async (tx) => {
      const { rows } = await sql<{ id: number }>`
        insert into targeting_rule (name, owner, current_version) values (${name}, ${owner}, 1) on conflict (name) do nothing returning id`.execute(
        tx,
      );
      const id = rows[0]?.id;
      if (id === undefined) return undefined;
      await this.insertVersion(tx, id, 1, version);
      return id;
    });
  }

  async addRuleVersion(ruleId: number, version: NewRuleVersion): Promise<number> {
    return this.transaction(async (tx) => {
      const { rows } = await sql<{ current_version: number }>`
        update targeting_rule set current_version = current_version + 1, updated_at = now() where id = ${ruleId} returning current_version`.execute(
        tx,
      );
      const next = rows[0]!.current_version;
      await this.insertVersion(tx, ruleId, next, version);
      return next;
    });
  }

  private async insertVersion(tx: Db, ruleId: number, version: number, row: NewRuleVersion): Promise<void> {
    await sql`
      insert into targeting_rule_version (rule_id, version, expression, description, lane, xray_referral, selection_percent, mandatory,
        valid_from, valid_to, fields, lists, created_by)
      values (${ruleId}, ${version}, ${row.expression}, ${row.description}, ${row.lane}, ${row.xrayReferral}, ${row.selectionPercent}, ${row.mandatory},
        ${row.validFrom}::timestamptz, ${row.validTo}::timestamptz, ${row.fields}::text[], ${row.lists}::text[], ${row.createdBy})`.execute(
      tx,
    );
  }

  async setRuleStatus(ruleId: number, status: RuleRow['status']): Promise<void> {
    await sql`update targeting_rule set status = ${status}, updated_at = now() where id = ${ruleId}`.execute(
      this.db,
    );
  }

  async listRules(): Promise<(RuleRow & { current: RuleVersionRow })[]> {
    const { rows } = await sql<Record<string, unknown>>`
      select r.*, v.* from targeting_rule r join targeting_rule_version v on v.rule_id = r.id and v.version = r.current_version order by r.id`.execute(
      this.db,
    );
    return rows.map((row) => ({ ...ruleOf(row), current: versionOf(row) }));
  }

  async findRule(ruleId: number): Promise<(RuleRow & { versions: RuleVersionRow[] }) | undefined> {
    const { rows } = await sql<
      Record<string, unknown>
    >`select * from targeting_rule where id = ${ruleId}`.execute(this.db);
    if (!rows[0]) return undefined;
    const versions = await sql<
      Record<string, unknown>
    >`select * from targeting_rule_version where rule_id = ${ruleId} order by version`.execute(this.db);
    return { ...ruleOf(rows[0]), versions: versions.rows.map(versionOf) };
  }

  /** The current version of every active rule. */
  async activeRuleVersions(): Promise<(RuleVersionRow & { name: string })[]> {
    const { rows } = await sql<Record<string, unknown>>`
      select r.name, v.* from targeting_rule r join targeting_rule_version v on v.rule_id = r.id and v.version = r.current_version
      where r.status = 'active' order by r.id`.execute(this.db);
    return rows.map((row) => ({ ...versionOf(row), name: String(row.name) }));
  }

  /** Names of the active rules that look a list up (a list they use cannot be deleted or change kind). */
  async rulesUsingList(name: string): Promise<string[]> {
    const { rows } = await sql<{ name: string }>`
      select r.name from targeting_rule r join targeting_rule_version v on v.rule_id = r.id and v.version = r.current_version
      where r.status <> 'disabled' and ${name} = any(v.lists)`.execute(this.db);
    return rows.map((row) => row.name);
  }

  // ---- budgets and carrier risk levels

  async budgets(): Promise<
    { officeCode: string; lane: HeldLane; expectedRate: number; dailyCapacity: number | null }[]
  > {
    const { rows } = await sql<{
      office_code: string;
      lane: HeldLane;
      expected_rate: number;
      daily_capacity: number | null;
    }>`
      select office_code, lane, expected_rate, daily_capacity from targeting_budget order by office_code, lane`.execute(
      this.db,
    );
    return rows.map((row) => ({
      officeCode: row.office_code,
      lane: row.lane,
      expectedRate: Number(row.expected_rate),
      dailyCapacity: row.daily_capacity,
    }));
  }

  async setBudget(
    budget: { officeCode: string; lane: HeldLane; expectedRate: number; dailyCapacity: number | null },
    by: string,
  ): Promise<void> {
    await sql`
      insert into targeting_budget (office_code, lane, expected_rate, daily_capacity, updated_by)
      values (${budget.officeCode}, ${budget.lane}, ${budget.expectedRate}, ${budget.dailyCapacity}, ${by})
      on conflict (office_code, lane) do update set expected_rate = excluded.expected_rate, daily_capacity = excluded.daily_capacity,
        updated_by = excluded.updated_by, updated_at = now()`.execute(this.db);
  }

  async carrierRisks(): Promise<
    { carrierCode: string; level: CarrierRiskLevel; note: string | null; updatedAt: string }[]
  > {
    const { rows } = await sql<{
      carrier_code: string;
      level: CarrierRiskLevel;
      note: string | null;
      updated_at: Date;
    }>`
      select carrier_code, level, note, updated_at from targeting_carrier_risk order by carrier_code`.execute(
      this.db,
    );
    return rows.map((row) => ({
      carrierCode: row.carrier_code,
      level: row.level,
      note: row.note,
      updatedAt: iso(row.updated_at)!,
    }));
  }

  async setCarrierRisk(
    carrierCode: string,
    level: CarrierRiskLevel,
    note: string | null,
    by: string,
  ): Promise<void> {
    await sql`
      insert into targeting_carrier_risk (carrier_code, level, note, updated_by) values (${carrierCode}, ${level}, ${note}, ${by})
      on conflict (carrier_code) do update set level = excluded.level, note = excluded.note, updated_by = excluded.updated_by, updated_at = now()`.execute(
      this.db,
    );
  }

  // ---- decisions

  /** Current sequence and place of each parcel that has a decision. */
  async currentStates(parcelIds: readonly number[]): Promise<Map<number, ParcelStateRow>> {
    if (parcelIds.length === 0) return new Map();
    const { rows } = await sql<Record<string, unknown>>`
      ${prepared}select ${PARCEL_STATE_COLUMNS} from targeting_parcel_state s
      where s.parcel_id = any(${[...parcelIds]}::bigint[])`.execute(this.db);
    return new Map(rows.map((row) => [Number(row.parcel_id), stateOf(row)]));
  }

  /**
   * `currentStates` and `settingsVersion` in one round trip: what a decision batch reads before it
   * decides (the settings it decides with, and which parcels were decided already).
   */
  async statesAndSettingsVersion(
    parcelIds: readonly number[],
  ): Promise<{ states: Map<number, ParcelStateRow>; settingsVersion: number }> {
    const { rows } = await sql<Record<string, unknown>>`
      ${prepared}select v.version as settings_version_, ${PARCEL_STATE_COLUMNS}
      from (select coalesce((select version from targeting_settings_version), 0) as version) v
      left join targeting_parcel_state s on s.parcel_id = any(${[...parcelIds]}::bigint[])`.execute(this.db);
    return {
      states: new Map(
        rows.filter((row) => row.parcel_id !== null).map((row) => [Number(row.parcel_id), stateOf(row)]),
      ),
      settingsVersion: Number(rows[0]!.settings_version_),
    };
  }

  /**
   * Appends decision records, moves each parcel's current decision to the newest one, and adds rule
   * hits to the counters, in one statement (data-modifying CTEs) whatever the batch size: the batch
   * travels once, as one array per column. `sequence` must be each parcel's next.
   */
  async saveDecisions(
    decisions: readonly (DecisionDraft & { sequence: number })[],
    hitCounts: ReadonlyMap<number, number>,
  ): Promise<void> {
    if (decisions.length === 0) return;
    const column = <T>(read: (decision: DecisionDraft & { sequence: number }) => T) => decisions.map(read);
    const counts =
      hitCounts.size > 0
        ? sql`, counted as (
          update targeting_rule r set hit_count = r.hit_count + h.hits, last_hit_at = now()
          from unnest(${[...hitCounts.keys()]}::bigint[], ${[...hitCounts.values()]}::bigint[]) as h(rule_id, hits)
          where r.id = h.rule_id returning r.id)`
        : sql``;
    // Array columns travel as array literals, one text per row (unnest cannot take a ragged two-dimensional array).
    await sql`${prepared}
      with input as (
        select * from unnest(${column((d) => d.parcelId)}::bigint[], ${column((d) => d.sequence)}::int[], ${column((d) => d.lane)}::text[],
          ${column((d) => d.xrayReferral)}::boolean[], ${column((d) => d.score)}::float8[], ${column((d) => d.modelVersion)}::text[],
          ${column((d) => arrayLiteral(d.ruleHits.map((hit) => hit.ruleId)))}::text[], ${column((d) => arrayLiteral(d.ruleHits.map((hit) => hit.version)))}::text[],
          ${column((d) => arrayLiteral(d.ruleHits.map((hit) => hit.name)))}::text[], ${column((d) => arrayLiteral(d.reasons))}::text[],
          ${column((d) => d.source)}::text[], ${column((d) => d.priority)}::float8[], ${column((d) => d.trigger)}::text[],
          ${column((d) => d.officeCode)}::text[], ${column((d) => d.carrierCode)}::text[],
          ${column((d) => new Date(d.receivedAtMs).toISOString())}::timestamptz[], ${column((d) => new Date(d.decidedAtMs).toISOString())}::timestamptz[],
          ${column((d) => Math.max(0, d.decidedAtMs - d.receivedAtMs))}::float8[], ${column((d) => d.overrideBy ?? null)}::text[],
          ${column((d) => d.overrideReason ?? null)}::text[], ${column((d) => arrayLiteral(d.hsChapters))}::text[], ${column((d) => d.arrivalDate)}::date[],
          ${column((d) => d.day)}::date[], ${column((d) => d.trackingNumber ?? null)}::text[],
          ${column((d) => queueRank(d.source, d.lane, d.score))}::float8[], ${column((d) => d.goods?.description ?? null)}::text[],
          ${column((d) => d.goods?.declaredValue ?? null)}::numeric[], ${column((d) => d.goods?.currency ?? null)}::text[],
          ${column((d) => d.goods?.originCountry ?? null)}::text[])
          as d(parcel_id, sequence, lane, xray_referral, score, model_version, rule_ids, rule_versions, rule_names, reasons, selection, priority,
               trigger, office_code, carrier_code, received_at, decided_at, decided_in_ms, override_by, override_reason, hs_chapters, arrival_date, decision_day,
               tracking_number, queue_rank, goods, declared_value, currency, origin_country)
      ), claimed as (
        -- Each decision's number, unique per parcel (targeting_decision_key, migration 0221): a second
        -- claim of one number fails the batch, as the partitioned records cannot refuse it themselves.
        insert into targeting_decision_key (parcel_id, sequence) select parcel_id, sequence from input
      ), inserted as (
        insert into targeting_decision (parcel_id, sequence, lane, xray_referral, score, model_version, rule_ids, rule_versions, rule_names,
          reasons, selection, priority, trigger, office_code, carrier_code, received_at, decided_at, decided_in_ms, override_by, override_reason)
        select parcel_id, sequence, lane, xray_referral, score, model_version, rule_ids::bigint[], rule_versions::int[], rule_names::text[],
          reasons::text[], selection, priority, trigger, office_code, carrier_code, received_at, decided_at, decided_in_ms, override_by, override_reason
        from input
        returning id, parcel_id, sequence
      )${counts}
      insert into targeting_parcel_state (parcel_id, decision_id, sequence, lane, xray_referral, score, priority, model_version, office_code,
        carrier_code, hs_chapters, rule_ids, arrival_date, decision_day, decided_at, settled, tracking_number, queue_rank, why_selected,
        goods, declared_value, currency, origin_country)
      -- Within a batch a parcel can be decided twice (displaced after its own decision): the last one wins.
      select distinct on (i.parcel_id) i.parcel_id, i.id, i.sequence, n.lane, n.xray_referral, n.score, n.priority, n.model_version, n.office_code,
        n.carrier_code, n.hs_chapters::text[], n.rule_ids::bigint[], n.arrival_date, n.decision_day, n.decided_at, n.override_by is not null, n.tracking_number,
        n.queue_rank, n.selection, n.goods, n.declared_value, n.currency, n.origin_country
      from inserted i join input n on n.parcel_id = i.parcel_id and n.sequence = i.sequence
      order by i.parcel_id, i.sequence desc
      on conflict (parcel_id) do update set decision_id = excluded.decision_id, sequence = excluded.sequence, lane = excluded.lane,
        xray_referral = excluded.xray_referral, score = excluded.score, priority = excluded.priority, model_version = excluded.model_version,
        office_code = excluded.office_code, carrier_code = excluded.carrier_code, hs_chapters = excluded.hs_chapters, rule_ids = excluded.rule_ids,
        arrival_date = excluded.arrival_date, decision_day = excluded.decision_day, decided_at = excluded.decided_at, settled = excluded.settled,
        tracking_number = coalesce(excluded.tracking_number, targeting_parcel_state.tracking_number),
        queue_rank = excluded.queue_rank, why_selected = excluded.why_selected,
        -- A decision that does not carry the goods (an override) keeps the parcel's earlier ones.
        goods = coalesce(excluded.goods, targeting_parcel_state.goods),
        declared_value = coalesce(excluded.declared_value, targeting_parcel_state.declared_value),
        currency = coalesce(excluded.currency, targeting_parcel_state.currency),
        origin_country = coalesce(excluded.origin_country, targeting_parcel_state.origin_country)
      where targeting_parcel_state.sequence < excluded.sequence`.execute(this.db);
  }

  async decisionsOf(parcelId: number): Promise<DecisionRecord[]> {
    const { rows } = await sql<
      Record<string, unknown>
    >`select * from targeting_decision where parcel_id = ${parcelId} order by sequence`.execute(this.db);
    return rows.map(decisionOf);
  }

  async currentDecision(parcelId: number): Promise<DecisionRecord | undefined> {
    const { rows } = await sql<Record<string, unknown>>`
      select d.* from targeting_parcel_state s join targeting_decision d on d.id = s.decision_id where s.parcel_id = ${parcelId}`.execute(
      this.db,
    );
    return rows[0] ? decisionOf(rows[0]) : undefined;
  }

  /**
   * Inside a transaction: waits until no other transaction admits parcels to these office days
   * (`office|day` keys), whichever process it runs in; the locks end with the transaction. Taken in
   * sorted order so that two batches never wait for each other.
   */
  async lockOfficeDays(keys: readonly string[]): Promise<void> {
    if (keys.length === 0) return;
    // One statement for all: the locks are taken row by row in the order of the ordered subquery.
    await sql`
      select count(pg_advisory_xact_lock(hashtextextended(k.key, 0)))
      from (select key from unnest(${[...keys].sort().map((key) => `targeting-capacity|${key}`)}::text[]) as u(key) order by key) k`.execute(
      this.db,
    );
  }

  /** Inside a transaction: the current states of these parcels, locked until it ends (sequence numbers). */
  async lockStates(parcelIds: readonly number[]): Promise<Map<number, ParcelStateRow>> {
    if (parcelIds.length === 0) return new Map();
    const { rows } = await sql<Record<string, unknown>>`
      ${prepared}select ${PARCEL_STATE_COLUMNS} from targeting_parcel_state s
      where s.parcel_id = any(${[...new Set(parcelIds)]}::bigint[])
      order by s.parcel_id for update`.execute(this.db);
    return new Map(rows.map((row) => [Number(row.parcel_id), stateOf(row)]));
  }

  /**
   * Inside a transaction holding the office days' locks: every parcel holding a place in a held lane on
   * those office days (office `-` is parcels without one), with its current decision, locked.
   */
  async heldPlaces(
    officeDays: readonly { office: string; day: string }[],
  ): Promise<{ state: ParcelStateRow; decision: DecisionRecord }[]> {
    if (officeDays.length === 0) return [];
    const { rows } = await sql<Record<string, unknown>>`
      select s.*, d.id as d_id, d.parcel_id as d_parcel_id, d.sequence as d_sequence, d.lane as d_lane, d.xray_referral as d_xray_referral,
        d.score as d_score, d.model_version as d_model_version, d.rule_ids as d_rule_ids, d.rule_versions as d_rule_versions, d.rule_names as d_rule_names,
        d.reasons as d_reasons, d.selection as d_selection, d.priority as d_priority, d.trigger as d_trigger, d.office_code as d_office_code,
        d.carrier_code as d_carrier_code, d.received_at as d_received_at, d.decided_at as d_decided_at, d.decided_in_ms as d_decided_in_ms,
        d.override_by as d_override_by, d.override_reason as d_override_reason
      from targeting_parcel_state s join targeting_decision d on d.id = s.decision_id
      join unnest(${officeDays.map((key) => key.office)}::text[], ${officeDays.map((key) => key.day)}::date[]) as k(office, day)
        on s.decision_day = k.day and coalesce(s.office_code, '-') = k.office
      where s.lane <> 'green'
      order by s.parcel_id
      for update of s`.execute(this.db);
    return rows.map((row) => {
      const decisionRow = Object.fromEntries(
        Object.entries(row)
          .filter(([key]) => key.startsWith('d_'))
          .map(([key, value]) => [key.slice(2), value]),
      );
      return { state: stateOf(row), decision: decisionOf(decisionRow) };
    });
  }

  async markSettled(parcelId: number): Promise<void> {
    await sql`update targeting_parcel_state set settled = true where parcel_id = ${parcelId}`.execute(
      this.db,
    );
  }

  /**
   * The queue: current decisions by what an officer should do first (`queue_rank`: findings, model
   * picks, then control samples; lane; score), a page at a time with a keyset cursor so that page 1,000
   * costs what page 1 does.
   */
  async queue(
    filter: QueueFilter,
    cursor: QueueCursor | undefined,
    limit: number,
    withTotal: boolean,
  ): Promise<{ rows: ParcelStateRow[]; total?: QueueTotal }> {
    const conditions = [sql`true`];
    if (filter.office) conditions.push(sql`office_code = ${filter.office}`);
    if (filter.carrier) conditions.push(sql`carrier_code = ${filter.carrier}`);
    // One lane as an equality: the lane index then holds the page in queue order and reads only its rows
    // (with `= any(...)` the planner walks the rank index and skips the other lanes' parcels).
    if (filter.lanes?.length === 1) conditions.push(sql`lane = ${filter.lanes[0]}`);
    else if (filter.lanes && filter.lanes.length > 0)
      conditions.push(sql`lane = any(${filter.lanes}::text[])`);
    if (filter.ruleId !== undefined) conditions.push(sql`rule_ids @> array[${filter.ruleId}]::bigint[]`);
    if (filter.hsChapter) conditions.push(sql`hs_chapters @> array[${filter.hsChapter}]::text[]`);
    if (filter.arrivalFrom) conditions.push(sql`arrival_date >= ${filter.arrivalFrom}::date`);
    if (filter.arrivalTo) conditions.push(sql`arrival_date <= ${filter.arrivalTo}::date`);
    const where = sql.join(conditions, sql` and `);
    const page = cursor
      ? sql`and (queue_rank, parcel_id) < (${cursor.rank}::float8, ${cursor.parcelId}::bigint)`
      : sql``;
    const { rows } = await sql<Record<string, unknown>>`
      select * from targeting_parcel_state where ${where} ${page} order by queue_rank desc, parcel_id desc limit ${limit}`.execute(
      this.db,
    );
    let total: QueueTotal | undefined;
    if (withTotal) {
      // Counted up to the cap and no further: a whole count reads every current decision (419 ms at
      // 10,000,000 parcels, as much as reading the table), and past the cap the number only says "many".
      const { rows: counted } = await sql<{ parcels: number }>`
        select count(*)::int as parcels from (
          select from targeting_parcel_state where ${where} limit ${QUEUE_COUNT_CAP + 1}
        ) as capped`.execute(this.db);
      const parcels = Number(counted[0]!.parcels);
      total = { count: Math.min(parcels, QUEUE_COUNT_CAP), capped: parcels > QUEUE_COUNT_CAP };
    }
    return { rows: rows.map(stateOf), total };
  }

  // ---- information that arrives after intake

  async addInformation(
    parcelId: number,
    kind: 'post_delivery_address' | 'xray' | 'product_safety',
    payload: Record<string, unknown>,
    address: string | null,
    by: string,
  ): Promise<Date> {
    const { rows } = await sql<{ received_at: Date }>`
      insert into targeting_parcel_information (parcel_id, kind, payload, address, submitted_by)
      values (${parcelId}, ${kind}, ${JSON.stringify(payload)}::jsonb, ${address}, ${by}) returning received_at`.execute(
      this.db,
    );
    return new Date(rows[0]!.received_at);
  }

  /**
   * The latest delivery address (with how many parcels share it), X-ray finding and product-safety hit
   * of each parcel.
   */
  async informationOf(parcelIds: readonly number[]): Promise<Map<number, ParcelInformation>> {
    const result = new Map<number, ParcelInformation>();
    if (parcelIds.length === 0) return result;
    const { rows } = await sql<{
      parcel_id: number;
      kind: 'post_delivery_address' | 'xray' | 'product_safety';
      payload: Record<string, unknown>;
      address: string | null;
      sharing: number | null;
    }>`
      select distinct on (i.parcel_id, i.kind) i.parcel_id, i.kind, i.payload, i.address,
        case when i.address is null then null else
          (select count(distinct other.parcel_id) from targeting_parcel_information other where other.address = i.address) end as sharing
      from targeting_parcel_information i where i.parcel_id = any(${[...parcelIds]}::bigint[])
      order by i.parcel_id, i.kind, i.id desc`.execute(this.db);
    for (const row of rows) {
      const entry = result.get(row.parcel_id) ?? {
        deliveryAddress: null,
        deliveryAddressParcels: null,
        xray: null,
        productSafety: null,
      };
      if (row.kind === 'product_safety') {
        entry.productSafety = {
          reportId: Number(row.payload.reportId),
          hazard: String(row.payload.hazard ?? ''),
          matchedOn: (row.payload.matchedOn as string[]) ?? [],
        };
      } else if (row.kind === 'post_delivery_address') {
        entry.deliveryAddress = row.address;
        entry.deliveryAddressParcels = row.sharing === null ? null : Number(row.sharing);
      } else {
        entry.xray = {
          finding: row.payload.finding as XrayFacts['finding'],
          labels: (row.payload.labels as string[]) ?? [],
          mismatch: row.payload.mismatch === true,
        };
      }
      result.set(row.parcel_id, entry);
    }
    return result;
  }

  /**
   * Parcels per arrival day (the decision day for a parcel without one) and current lane, so that the
   * dashboard's lanes and volumes fall on the same days.
   */
  async laneCountsByDay(range: {
    from: string;
    to: string;
  }): Promise<{ day: string; lane: Lane; parcels: number }[]> {
    const { rows } = await sql<{ day: string; lane: Lane; parcels: number }>`
      select to_char(coalesce(arrival_date, decision_day), 'YYYY-MM-DD') as day, lane, count(*)::int as parcels
      from targeting_parcel_state
      where coalesce(arrival_date, decision_day) between ${range.from}::date and ${range.to}::date
      group by 1, 2 order by 1`.execute(this.db);
    return rows;
  }
}

function ruleOf(row: Record<string, unknown>): RuleRow {
  return {
    id: Number(row.id ?? row.rule_id),
    name: String(row.name),
    owner: String(row.owner),
    status: row.status as RuleRow['status'],
    currentVersion: Number(row.current_version),
    hitCount: Number(row.hit_count),
    lastHitAt: iso(row.last_hit_at as Date | null),
    createdAt: iso(row.created_at as Date)!,
    updatedAt: iso(row.updated_at as Date)!,
  };
}

function versionOf(row: Record<string, unknown>): RuleVersionRow {
  return {
    ruleId: Number(row.rule_id),
    version: Number(row.version),
    expression: String(row.expression),
    description: (row.description as string | null) ?? null,
    lane: row.lane as RuleLane,
    xrayReferral: Boolean(row.xray_referral),
    selectionPercent: Number(row.selection_percent),
    mandatory: Boolean(row.mandatory),
    validFrom: iso(row.valid_from as Date | null),
    validTo: iso(row.valid_to as Date | null),
    fields: (row.fields as string[]) ?? [],
    lists: (row.lists as string[]) ?? [],
    createdBy: String(row.created_by),
    createdAt: iso(row.created_at as Date)!,
  };
}

/**
 * The columns `stateOf` reads, named: the reads of parcel states run prepared, and a prepared `select *`
 * fails ("cached plan must not change result type") once a migration adds a column under a running worker.
 */
const PARCEL_STATE_COLUMNS = sql.join(
  [
    'parcel_id',
    'decision_id',
    'sequence',
    'lane',
    'xray_referral',
    'score',
    'priority',
    'model_version',
    'office_code',
    'carrier_code',
    'tracking_number',
    'hs_chapters',
    'rule_ids',
    'arrival_date',
    'decision_day',
    'decided_at',
    'settled',
    'queue_rank',
    'why_selected',
    'goods',
    'declared_value',
    'currency',
    'origin_country',
  ].map((column) => sql.ref(`s.${column}`)),
);

function stateOf(row: Record<string, unknown>): ParcelStateRow {
  return {
    parcelId: Number(row.parcel_id),
    decisionId: Number(row.decision_id),
    sequence: Number(row.sequence),
    lane: row.lane as Lane,
    xrayReferral: Boolean(row.xray_referral),
    score: Number(row.score),
    priority: Number(row.priority),
    modelVersion: String(row.model_version),
    officeCode: (row.office_code as string | null) ?? null,
    carrierCode: (row.carrier_code as string | null) ?? null,
    trackingNumber: (row.tracking_number as string | null) ?? null,
    hsChapters: (row.hs_chapters as string[]) ?? [],
    ruleIds: ((row.rule_ids as (number | string)[]) ?? []).map(Number),
    arrivalDate:
      row.arrival_date === null || row.arrival_date === undefined
        ? null
        : dateText(row.arrival_date as Date | string),
    decisionDay: dateText(row.decision_day as Date | string),
    decidedAt: iso(row.decided_at as Date)!,
    settled: Boolean(row.settled),
    queueRank: Number(row.queue_rank ?? 0),
    whySelected: String(row.why_selected ?? 'none'),
    goods: (row.goods as string | null) ?? null,
    declaredValue:
      row.declared_value === null || row.declared_value === undefined ? null : Number(row.declared_value),
    currency: (row.currency as string | null) ?? null,
    originCountry: (row.origin_country as string | null) ?? null,
  };
}

function decisionOf(row: Record<string, unknown>): DecisionRecord {
  const ruleIds = ((row.rule_ids as (number | string)[]) ?? []).map(Number);
  const ruleVersions = ((row.rule_versions as (number | string)[]) ?? []).map(Number);
  const ruleNames = (row.rule_names as string[]) ?? [];
  return {
    decisionId: Number(row.id),
    parcelId: Number(row.parcel_id),
    sequence: Number(row.sequence),
    lane: row.lane as Lane,
    xrayReferral: Boolean(row.xray_referral),
    score: Number(row.score),
    modelVersion: String(row.model_version),
    ruleHits: ruleIds.map((ruleId, index) => ({
      ruleId,
      version: ruleVersions[index]!,
      name: ruleNames[index]!,
    })),
    reasons: (row.reasons as string[]) ?? [],
    selection: String(row.selection),
    priority: Number(row.priority),
    trigger: String(row.trigger),
    officeCode: (row.office_code as string | null) ?? null,
    carrierCode: (row.carrier_code as string | null) ?? null,
    receivedAt: iso(row.received_at as Date)!,
    decidedAt: iso(row.decided_at as Date)!,
    decidedInMs: Number(row.decided_in_ms),
    override: row.override_by ? { by: String(row.override_by), reason: String(row.override_reason) } : null,
  };
}

/** A `date` column as `YYYY-MM-DD`, whichever way the driver returns it (pg parses dates in local time). */
function dateText(value: Date | string): string {
  if (typeof value === 'string') return value.slice(0, 10);
  const local = new Date(value.getTime() - value.getTimezoneOffset() * 60_000);
  return local.toISOString().slice(0, 10);
}

/** A PostgreSQL array literal (`{"a","b \\"c\\""}`) for one row's array column. */
function arrayLiteral(values: readonly (string | number)[]): string {
  return `{${values.map((value) => (typeof value === 'number' ? String(value) : `"${value.replace(/[\\"]/g, (char) => `\\${char}`)}"`)).join(',')}}`;
}
