import type { Actor } from '../../platform/auth/actor.js';
import { describeActor, isOfficer } from '../../platform/auth/actor.js';
import type { AuditTrail } from '../../platform/auth/audit-trail.js';
import type { FieldError } from '../../platform/errors/field-error.js';
import type { JobQueue } from '../../platform/jobs/job-queue.js';
import type { IntakeStoredEvent } from '../intake/index.js';
import type { ParcelFactsSource } from './adapters/intake-read-model.js';
import {
  defaultBudgetSettings,
  officeDay,
  type BudgetSettings,
  type CarrierRiskLevel,
  type HeldLane,
} from './domain/budget-policy.js';
import {
  capacityPriority,
  defaultSelectionPolicy,
  draw,
  type Lane,
  type SelectionPolicy,
} from './domain/lane-decision.js';
import type { UsdConverter } from './domain/declaration-checks.js';
import {
  addressOf,
  applyUnitValueNorms,
  normaliseAddress,
  type ParcelFacts,
  type UnitValueNorms,
} from './domain/parcel-facts.js';
import { encodeReason, reason } from './domain/reason-messages.js';
import { HeuristicScorer, type ListClearanceLimit, type RiskScorer } from './domain/risk-scorer.js';
import type { ListKind } from './domain/rule-fields.js';
import { prepareRule } from './domain/rule-language.js';
import { RuleSet, type RuleLane, type RuleVersionSpec } from './domain/rule-set.js';
import { describeProblem, type RuleProblem } from './domain/rule-syntax.js';
import { TargetingEngine, type DecisionDraft, type DecisionTrigger } from './domain/targeting-engine.js';
import { listValueProblem, normaliseListValue, WatchlistIndex } from './domain/watchlist-index.js';
import { TargetingError } from './targeting.errors.js';
import type {
  DecisionRecord,
  ParcelStateRow,
  QueueFilter,
  RuleRow,
  RuleVersionRow,
  TargetingRepository,
  WatchlistEntryRow,
  WatchlistRow,
} from './targeting.repository.js';

/** Background job kinds of this module. */
export const DRY_RUN_JOB = 'targeting.dry-run';

/** Information about a parcel that arrives after intake and calls for a new decision. */
export type NewInformation =
  | {
      kind: 'xray';
      finding: 'clear' | 'suspicious' | 'threat';
      labels?: string[];
      mismatch?: boolean;
      scanId?: string;
    }
  | {
      kind: 'post_delivery_address';
      address: string | { street?: string; postcode?: string; city?: string; country?: string };
    }
  | { kind: 'order' }
  | { kind: 'payment' };

/** What an analyst sends to create a rule or a new version of it. */
export interface RuleInput {
  name: string;
  expression: string;
  lane: RuleLane;
  description?: string | null;
  xrayReferral?: boolean;
  selectionPercent?: number;
  mandatory?: boolean;
  validFrom?: string | null;
  validTo?: string | null;
  /** Switch the rule on at once (otherwise it is saved as a draft to dry-run first). */
  activate?: boolean;
}

export interface RuleView extends RuleRow {
  current: RuleVersionRow;
  versions?: RuleVersionRow[];
}

/** Result of a dry run of a rule over past declarations. */
export interface DryRunResult {
  rule: { expression: string; lane: RuleLane; selectionPercent: number };
  range: { fromDate: string; toDate: string };
  declarations: number;
  matched: number;
  /** Matched and within the rule's selection share: the parcels it would have held. */
  held: number;
  /** Held declarations with a known inspection outcome, and how many of those were frauds. */
  heldInspected: number;
  heldFrauds: number;
  heldCritical: number;
  /** Frauds among held inspected declarations. */
  precision: number | null;
  /** All inspected declarations of the range and their fraud rate, to compare the rule with. */
  inspected: number;
  frauds: number;
  baseFraudRate: number | null;
  samples: {
    parcelId: number | null;
    declarationId: number | null;
    trackingNumber: string | null;
    fraud: boolean | null;
  }[];
  durationMs: number;
}

export interface QueuePage {
  items: ParcelStateRow[];
  nextCursor: string | null;
  total?: number;
}

/** The decision as a caller sees it; carriers get it without the targeting criteria. */
export type DecisionView = DecisionRecord;

interface Logger {
  error(object: unknown, message?: string): void;
}

export interface TargetingServiceDependencies {
  repository: TargetingRepository;
  facts: ParcelFactsSource;
  jobs: JobQueue;
  /** The risk model; when absent (or until one is set) the transparent heuristics score. */
  scorer?: RiskScorer;
  /** Clearance's list-clearance limit, which the heuristics flag values just under. */
  listClearanceLimitUsd: ListClearanceLimit;
  audit?: AuditTrail;
  logger?: Logger;
  policy?: SelectionPolicy;
  budgets?: Partial<BudgetSettings>;
  /** ms since epoch; tests pin it. */
  clock?: () => number;
  /** How many of the latest declaration lines seed the value norms at start-up. */
  normSeedLines?: number;
  /** Converts declared values into US dollars for the product-class price ranges (default: approximate rates). */
  toUsd?: UsdConverter;
}

const BATCH = 1000;
const DAY_MS = 86_400_000;

/**
 * Targeting use cases: decide a lane for every parcel on arrival and on new information, keep the
 * immutable decision records, serve the risk-ordered queue, and let analysts manage rules, watchlists
 * and budgets. Decisions of one process are serialised, so that sequence numbers and the capacity
 * ledger stay consistent; run one deciding process per database.
 */
export class TargetingService {
  readonly ready: Promise<void>;
  private readonly repository: TargetingRepository;
  private readonly facts: ParcelFactsSource;
  private readonly jobs: JobQueue;
  private readonly audit?: AuditTrail;
  private readonly logger?: Logger;
  private readonly clock: () => number;
  private readonly lists = new WatchlistIndex();
  private readonly engine: TargetingEngine;
  private readonly fallbackScorer: HeuristicScorer;
  private readonly policy: SelectionPolicy;
  private readonly baseBudgets: BudgetSettings;
  private readonly normSeedLines: number;
  private queueTail: Promise<unknown> = Promise.resolve();

  constructor(dependencies: TargetingServiceDependencies) {
    this.repository = dependencies.repository;
    this.facts = dependencies.facts;
    this.jobs = dependencies.jobs;
    this.audit = dependencies.audit;
    this.logger = dependencies.logger;
    this.clock = dependencies.clock ?? Date.now;
    this.policy = dependencies.policy ?? defaultSelectionPolicy;
    this.normSeedLines = dependencies.normSeedLines ?? 20_000;
    this.baseBudgets = { ...defaultBudgetSettings, ...dependencies.budgets };
    this.fallbackScorer = new HeuristicScorer(dependencies.listClearanceLimitUsd);
    this.engine = new TargetingEngine(
      dependencies.scorer ?? this.fallbackScorer,
      this.fallbackScorer,
      new RuleSet([], this.lists),
      this.baseBudgets,
      this.policy,
      { listClearanceLimitUsd: dependencies.listClearanceLimitUsd, toUsd: dependencies.toUsd },
    );
    this.jobs.register(DRY_RUN_JOB, async (payload: { input: DryRunInput }) => this.runDryRun(payload.input));
    this.ready = this.load();
  }

  /** Plugs in the risk model (or back to the heuristics with undefined). */
  setScorer(scorer: RiskScorer | undefined): void {
    this.engine.setScorer(scorer ?? this.fallbackScorer);
  }

  get modelVersion(): string {
    return this.engine.modelVersion;
  }

  // ---- the pipeline

  /**
   * Intake listener, in the background after intake's commit: decides new parcels, and re-decides parcels
   * whose order or payment arrived. A failure is retried by intake's outbox; a parcel delivered twice
   * (a retry after a crash) keeps its first arrival decision.
   */
  async onIntakeStored(event: IntakeStoredEvent): Promise<void> {
    const trigger: DecisionTrigger =
      event.kind === 'parcels' ? 'intake' : event.kind === 'orders' ? 'order' : 'payment';
    const parcelIds =
      event.kind === 'parcels'
        ? event.ids
        : event.kind === 'orders'
          ? await this.facts.parcelIdsOfOrders(event.ids)
          : await this.facts.parcelIdsOfPayments(event.ids);
    for (let start = 0; start < parcelIds.length; start += BATCH) {
      const decisions = await this.decideParcels(parcelIds.slice(start, start + BATCH), trigger);
      await this.holdSplitSeries(decisions);
    }
  }

  /**
   * A parcel that completes a split purchase is held; the buyer's earlier parcels of that day, decided
   * before the series was visible, are decided again so that the whole series is held together.
   */
  private async holdSplitSeries(decisions: readonly DecisionDraft[]): Promise<void> {
    const split = decisions.filter((decision) =>
      decision.reasons.some((text) => text.includes('"code":"check.split_series"')),
    );
    if (split.length === 0) return;
    const decided = new Set(decisions.map((decision) => decision.parcelId));
    const siblings = (await this.facts.sameBuyerSameDay(split.map((decision) => decision.parcelId))).filter(
      (id) => !decided.has(id),
    );
    const states = await this.repository.currentStates(siblings);
    const released = siblings.filter((id) => states.get(id)?.lane === 'green');
    if (released.length > 0) await this.decideParcels(released, 'batch');
  }

  /**
   * New information about a parcel (an X-ray finding, the post-delivery address, an order, a payment):
   * stored, then the parcel is decided again, and the new decision returned.
   */
  async onNewInformation(
    parcelId: number,
    information: NewInformation,
    actor: Actor | string = 'system',
  ): Promise<DecisionView> {
    const by = typeof actor === 'string' ? actor : describeActor(actor);
    // Refuse information about a parcel that does not exist before storing anything.
    if ((await this.facts.loadParcelFacts([parcelId])).length === 0)
      throw new TargetingError('parcel_not_found', `No parcel ${parcelId}`);
    let receivedAtMs = this.clock();
    if (information.kind === 'xray') {
      if (!['clear', 'suspicious', 'threat'].includes(information.finding))
        throw new TargetingError('invalid_information', 'finding must be clear, suspicious or threat');
      receivedAtMs = (
        await this.repository.addInformation(
          parcelId,
          'xray',
          {
            finding: information.finding,
            labels: information.labels ?? [],
            mismatch: information.mismatch ?? false,
            scanId: information.scanId ?? null,
          },
          null,
          by,
        )
      ).getTime();
    } else if (information.kind === 'post_delivery_address') {
      const address =
        typeof information.address === 'string'
          ? normaliseAddress([information.address])
          : addressOf(information.address as Record<string, unknown>);
      if (!address) throw new TargetingError('invalid_information', 'the delivery address is empty');
      receivedAtMs = (
        await this.repository.addInformation(
          parcelId,
          'post_delivery_address',
          { address: information.address },
          address,
          by,
        )
      ).getTime();
    }
    const [decision] = await this.decideParcels([parcelId], information.kind, receivedAtMs);
    if (!decision) throw new TargetingError('parcel_not_found', `No parcel ${parcelId}`);
    return (await this.repository.currentDecision(parcelId))!;
  }

  /** Information sent over the API: X-ray findings by officers, post-delivery addresses by the parcel's carrier. */
  async receiveInformation(
    actor: Actor,
    parcelId: number,
    information: NewInformation,
  ): Promise<DecisionView> {
    if (information.kind === 'xray' && !isOfficer(actor, 'xray_analyst', 'inspector', 'targeting_analyst'))
      throw new TargetingError('forbidden', 'Only officers record X-ray findings');
    if (information.kind === 'post_delivery_address' && !isOfficer(actor)) {
      const current = await this.repository.currentDecision(parcelId);
      if (!(
        actor.kind === 'organisation' &&
        current &&
        current.carrierCode?.toUpperCase() === actor.organisation.toUpperCase()
      )) {
        throw new TargetingError('parcel_not_found', `No parcel ${parcelId}`);
      }
    }
    if ((information.kind === 'order' || information.kind === 'payment') && !isOfficer(actor))
      throw new TargetingError('forbidden', 'Orders and payments arrive through intake');
    return this.onNewInformation(parcelId, information, actor);
  }

  /**
   * Decides parcels: facts -> score -> rules -> lane -> budget in memory, then one batched write of
   * the decision records (and of any parcels displaced by capacity). Returns the new decisions.
   */
  async decideParcels(
    parcelIds: readonly number[],
    trigger: DecisionTrigger,
    receivedAtMs?: number,
  ): Promise<DecisionDraft[]> {
    await this.ready;
    if (parcelIds.length === 0) return [];
    return this.exclusive(async () => {
      // A parcel just stored has no later information yet: one query saved on the receipt path.
      const arrival = trigger === 'intake';
      const [facts, information, states] = await Promise.all([
        this.facts.loadParcelFacts(parcelIds),
        arrival ? new Map<number, never>() : this.repository.informationOf(parcelIds),
        this.repository.currentStates(parcelIds),
      ]);
      const decisions: DecisionDraft[] = [];
      const hitCounts = new Map<number, number>();
      for (const parcel of facts) {
        // Delivered again (the outbox retries after a crash): the arrival decision already made stands.
        if (arrival && states.has(parcel.parcelId!)) continue;
        this.enrich(parcel, information.get(parcel.parcelId!));
        const nowMs = this.clock();
        const { decision, hits, displaced } = this.engine.decide(parcel, {
          trigger,
          receivedAtMs: receivedAtMs ?? parcel.receivedAtMs,
          nowMs,
        });
        decisions.push(decision, ...displaced);
        for (const hit of hits) hitCounts.set(hit.ruleId, (hitCounts.get(hit.ruleId) ?? 0) + 1);
      }
      await this.save(decisions, states, new Set(parcelIds), hitCounts);
      return decisions;
    });
  }

  /** `states` holds the current state of every parcel in `statesRead` that has one; others are read here. */
  private async save(
    decisions: DecisionDraft[],
    states: Map<number, ParcelStateRow>,
    statesRead: ReadonlySet<number>,
    hitCounts: Map<number, number>,
  ): Promise<void> {
    const unknown = [
      ...new Set(decisions.map((decision) => decision.parcelId).filter((id) => !statesRead.has(id))),
    ];
    const more = await this.repository.currentStates(unknown);
    const sequence = new Map<number, number>();
    for (const [id, state] of [...states, ...more]) sequence.set(id, state.sequence);
    const numbered = decisions.map((decision) => {
      const next = (sequence.get(decision.parcelId) ?? 0) + 1;
      sequence.set(decision.parcelId, next);
      // Decided-in is measured at the write, the moment the decision becomes visible.
      return { ...decision, sequence: next, decidedAtMs: Math.max(decision.decidedAtMs, this.clock()) };
    });
    await this.repository.saveDecisions(numbered, hitCounts);
  }

  private enrich(
    facts: ParcelFacts,
    information:
      | { deliveryAddress: string | null; deliveryAddressParcels: number | null; xray: ParcelFacts['xray'] }
      | undefined,
  ): void {
    if (information) {
      facts.deliveryAddress = information.deliveryAddress;
      facts.deliveryAddressParcels = information.deliveryAddressParcels;
      facts.xray = information.xray;
    }
  }

  // ---- decisions

  /** The current decision of a parcel. Carriers see their own parcels only, without the criteria. */
  async getDecision(actor: Actor, parcelId: number): Promise<DecisionView> {
    const decision = await this.repository.currentDecision(parcelId);
    if (!decision) throw new TargetingError('decision_not_found', `No decision for parcel ${parcelId} (yet)`);
    return this.visibleTo(actor, decision);
  }

  async getDecisionHistory(actor: Actor, parcelId: number): Promise<DecisionView[]> {
    const decisions = await this.repository.decisionsOf(parcelId);
    if (decisions.length === 0)
      throw new TargetingError('decision_not_found', `No decision for parcel ${parcelId} (yet)`);
    return decisions.map((decision) => this.visibleTo(actor, decision));
  }

  private visibleTo(actor: Actor, decision: DecisionRecord): DecisionView {
    if (isOfficer(actor)) return decision;
    if (
      actor.kind === 'organisation' &&
      (actor.role === 'carrier' || actor.role === 'postal_operator') &&
      decision.carrierCode?.toUpperCase() === actor.organisation.toUpperCase()
    ) {
      // Targeting criteria stay confidential: a carrier learns the lane, not which rule or signal chose it.
      return {
        ...decision,
        ruleHits: [],
        reasons: [encodeReason(reason('carrier.outcome', { outcome: decision.lane }))],
        override: decision.override ? { by: 'customs', reason: 'decided by an officer' } : null,
      };
    }
    // Same answer as a missing decision: an id alone must not reveal that someone else's parcel exists.
    throw new TargetingError('decision_not_found', `No decision for parcel ${decision.parcelId}`);
  }

  /** An officer's decision with a reason: a new record that takes its place whatever the capacity. */
  async override(
    actor: Actor,
    parcelId: number,
    input: { lane: Lane; reason: string; xrayReferral?: boolean },
  ): Promise<DecisionView> {
    if (!isOfficer(actor, 'targeting_analyst', 'inspector', 'xray_analyst'))
      throw new TargetingError(
        'forbidden',
        'Only targeting analysts, inspectors and administrators override decisions',
      );
    if (input.reason.trim().length < 5)
      throw new TargetingError('invalid_override', 'An override needs a reason of at least 5 characters');
    await this.ready;
    return this.exclusive(async () => {
      const current = await this.repository.currentDecision(parcelId);
      if (!current)
        throw new TargetingError('decision_not_found', `No decision for parcel ${parcelId} to override`);
      const nowMs = this.clock();
      const by = describeActor(actor);
      const state = (await this.repository.currentStates([parcelId])).get(parcelId);
      const draft: DecisionDraft = {
        parcelId,
        lane: input.lane,
        xrayReferral: input.xrayReferral ?? current.xrayReferral,
        score: current.score,
        modelVersion: current.modelVersion,
        ruleHits: current.ruleHits.map((hit) => ({ ...hit, lane: 'red' as const })),
        reasons: [
          encodeReason(reason('override', { by, reason: input.reason.trim(), was: current.lane })),
          ...current.reasons,
        ],
        source: 'override',
        priority: capacityPriority('override', current.score),
        trigger: 'override',
        officeCode: current.officeCode,
        carrierCode: current.carrierCode,
        hsChapters: state?.hsChapters ?? [],
        arrivalDate: state?.arrivalDate ?? null,
        day: officeDay(nowMs, this.baseBudgets.dayOffsetMinutes),
        receivedAtMs: nowMs,
        decidedAtMs: nowMs,
        overrideBy: by,
        overrideReason: input.reason.trim(),
      };
      this.engine.placeOverride(draft);
      await this.repository.saveDecisions([{ ...draft, sequence: current.sequence + 1 }], new Map());
      await this.audit?.append({
        actor,
        action: 'targeting.decision_overridden',
        subject: `parcel:${parcelId}`,
        details: { from: current.lane, to: input.lane, reason: input.reason.trim() },
      });
      return (await this.repository.currentDecision(parcelId))!;
    });
  }

  /** The risk-ordered queue for officers, a page at a time. */
  async queue(
    actor: Actor,
    filter: QueueFilter,
    page: { cursor?: string; limit?: number },
  ): Promise<QueuePage> {
    if (!isOfficer(actor)) throw new TargetingError('forbidden', 'The targeting queue is for officers');
    const limit = Math.min(Math.max(page.limit ?? 100, 1), 5000);
    const cursor = page.cursor ? decodeCursor(page.cursor) : undefined;
    const { rows, total } = await this.repository.queue(filter, cursor, limit, !cursor);
    const last = rows[rows.length - 1];
    return {
      items: rows,
      nextCursor: rows.length === limit && last ? encodeCursor(last.queueRank, last.parcelId) : null,
      ...(total !== undefined ? { total } : {}),
    };
  }

  // ---- rules

  async listRules(actor: Actor): Promise<RuleView[]> {
    this.requireAnalyst(actor, true);
    return this.repository.listRules();
  }

  async getRule(actor: Actor, ruleId: number): Promise<RuleView> {
    this.requireAnalyst(actor, true);
    const rule = await this.repository.findRule(ruleId);
    if (!rule) throw new TargetingError('rule_not_found', `No rule ${ruleId}`);
    return { ...rule, current: rule.versions.find((version) => version.version === rule.currentVersion)! };
  }

  /** Parses and checks rule text without saving it: the problems, each with line and column. */
  async validateRule(
    actor: Actor,
    expression: string,
  ): Promise<{
    ok: boolean;
    problems: (RuleProblem & { text: string })[];
    fields: string[];
    lists: string[];
  }> {
    this.requireAnalyst(actor, true);
    await this.ready;
    const prepared = prepareRule(expression, { lists: this.lists.kinds() });
    if (prepared.ok)
      return { ok: true, problems: [], fields: prepared.rule.fields, lists: prepared.rule.lists };
    return {
      ok: false,
      problems: prepared.problems.map((problem) => ({
        ...problem,
        text: describeProblem(expression, problem),
      })),
      fields: [],
      lists: [],
    };
  }

  async createRule(actor: Actor, input: RuleInput): Promise<RuleView> {
    this.requireAnalyst(actor);
    const version = await this.checkedVersion(actor, input);
    const ruleId = await this.repository.createRule(input.name.trim(), describeActor(actor), version);
    if (ruleId === undefined)
      throw new TargetingError('rule_name_taken', `A rule named ${input.name} exists already`);
    if (input.activate) await this.repository.setRuleStatus(ruleId, 'active');
    await this.audit?.append({
      actor,
      action: 'targeting.rule_created',
      subject: `rule:${ruleId}`,
      details: {
        name: input.name,
        expression: input.expression,
        lane: input.lane,
        active: Boolean(input.activate),
      },
    });
    await this.reloadRules();
    return this.getRule(actor, ruleId);
  }

  /** Saves a new version of a rule (its owner or an administrator); earlier versions stay on record. */
  async updateRule(actor: Actor, ruleId: number, input: RuleInput): Promise<RuleView> {
    this.requireAnalyst(actor);
    const rule = await this.repository.findRule(ruleId);
    if (!rule) throw new TargetingError('rule_not_found', `No rule ${ruleId}`);
    this.requireOwner(actor, rule);
    const version = await this.checkedVersion(actor, input);
    const number = await this.repository.addRuleVersion(ruleId, version);
    if (input.activate) await this.repository.setRuleStatus(ruleId, 'active');
    await this.audit?.append({
      actor,
      action: 'targeting.rule_changed',
      subject: `rule:${ruleId}`,
      details: { version: number, expression: input.expression, lane: input.lane },
    });
    await this.reloadRules();
    return this.getRule(actor, ruleId);
  }

  async setRuleStatus(actor: Actor, ruleId: number, status: RuleRow['status']): Promise<RuleView> {
    this.requireAnalyst(actor);
    const rule = await this.repository.findRule(ruleId);
    if (!rule) throw new TargetingError('rule_not_found', `No rule ${ruleId}`);
    this.requireOwner(actor, rule);
    if (status === 'active') {
      // Lists may have changed since the rule was saved: check again before it runs.
      const current = rule.versions.find((version) => version.version === rule.currentVersion)!;
      const prepared = prepareRule(current.expression, { lists: this.lists.kinds() });
      if (!prepared.ok) throw invalidRule(current.expression, prepared.problems);
    }
    await this.repository.setRuleStatus(ruleId, status);
    await this.audit?.append({
      actor,
      action: 'targeting.rule_status_changed',
      subject: `rule:${ruleId}`,
      details: { from: rule.status, to: status },
    });
    await this.reloadRules();
    return this.getRule(actor, ruleId);
  }

  private async checkedVersion(actor: Actor, input: RuleInput) {
    await this.ready;
    if (!input.name?.trim()) throw new TargetingError('invalid_rule', 'A rule needs a name');
    const prepared = prepareRule(input.expression, { lists: this.lists.kinds() });
    if (!prepared.ok) throw invalidRule(input.expression, prepared.problems);
    const selectionPercent = input.selectionPercent ?? 100;
    if (!Number.isInteger(selectionPercent) || selectionPercent < 1 || selectionPercent > 100)
      throw new TargetingError('invalid_rule', 'selectionPercent must be a whole number from 1 to 100');
    const validFrom = input.validFrom ? new Date(input.validFrom) : null;
    const validTo = input.validTo ? new Date(input.validTo) : null;
    if ((validFrom && Number.isNaN(validFrom.getTime())) || (validTo && Number.isNaN(validTo.getTime())))
      throw new TargetingError('invalid_rule', 'validFrom and validTo must be ISO dates');
    if (validFrom && validTo && validTo <= validFrom)
      throw new TargetingError('invalid_rule', 'validTo must be after validFrom');
    return {
      expression: input.expression,
      description: input.description ?? null,
      lane: input.lane,
      xrayReferral: input.xrayReferral ?? false,
      selectionPercent,
      mandatory: input.mandatory ?? false,
      validFrom: validFrom?.toISOString() ?? null,
      validTo: validTo?.toISOString() ?? null,
      fields: prepared.rule.fields,
      lists: prepared.rule.lists,
      createdBy: describeActor(actor),
    };
  }

  /** Dry run as a background job (HTTP); the CLI calls `dryRun` directly. */
  async requestDryRun(actor: Actor, input: DryRunInput): Promise<{ jobId: number }> {
    this.requireAnalyst(actor, true);
    await this.resolveDryRunRule(input);
    return { jobId: await this.jobs.enqueue(DRY_RUN_JOB, { input }, describeActor(actor)) };
  }

  /**
   * Runs a rule (saved or not) over the declarations of the last `sinceDays` days before `asOf`:
   * how many it would have held, and how many of those were frauds, against the range's base rate.
   */
  async dryRun(actor: Actor, input: DryRunInput, onProgress?: (done: number) => void): Promise<DryRunResult> {
    this.requireAnalyst(actor, true);
    return this.runDryRun(input, onProgress);
  }

  private async runDryRun(input: DryRunInput, onProgress?: (done: number) => void): Promise<DryRunResult> {
    await this.ready;
    const started = performance.now();
    const rule = await this.resolveDryRunRule(input);
    const asOf = input.asOf ? new Date(`${input.asOf}T00:00:00Z`).getTime() : this.clock();
    const toDate = new Date(asOf).toISOString().slice(0, 10);
    const fromDate = new Date(asOf - input.sinceDays * DAY_MS).toISOString().slice(0, 10);
    const norms = await this.facts.unitValueNorms({ fromDate, toDate });
    const spec: RuleVersionSpec = {
      ruleId: 0,
      version: 0,
      name: 'dry run',
      lane: rule.lane,
      xrayReferral: false,
      selectionPercent: rule.selectionPercent,
      mandatory: false,
      validFromMs: null,
      validToMs: null,
      checked: rule.checked,
    };
    const ruleSet = new RuleSet([spec], this.lists);
    const result: DryRunResult = {
      rule: { expression: rule.expression, lane: rule.lane, selectionPercent: rule.selectionPercent },
      range: { fromDate, toDate },
      declarations: 0,
      matched: 0,
      held: 0,
      heldInspected: 0,
      heldFrauds: 0,
      heldCritical: 0,
      precision: null,
      inspected: 0,
      frauds: 0,
      baseFraudRate: null,
      samples: [],
      durationMs: 0,
    };
    let after = 0;
    for (;;) {
      const page = await this.facts.declarationFacts({
        fromDate,
        toDate,
        afterDeclarationId: after,
        limit: 5000,
      });
      if (page.length === 0) break;
      const information = await this.repository.informationOf(
        page.map((facts) => facts.parcelId).filter((id): id is number => id !== null),
      );
      for (const facts of page) {
        after = Math.max(after, facts.declarationId ?? after);
        if (facts.parcelId !== null) this.enrichWith(facts, information.get(facts.parcelId), norms);
        else applyUnitValueNorms(facts, norms);
        result.declarations++;
        if (facts.outcome) {
          result.inspected++;
          if (facts.outcome.fraud) result.frauds++;
        }
        if (ruleSet.evaluate(facts, facts.receivedAtMs).length === 0) continue;
        result.matched++;
        const key = facts.parcelId ?? facts.declarationId ?? 0;
        if (rule.selectionPercent < 100 && draw(this.policy.seed, key, 0) * 100 >= rule.selectionPercent)
          continue;
        result.held++;
        if (facts.outcome) {
          result.heldInspected++;
          if (facts.outcome.fraud) result.heldFrauds++;
          if (facts.outcome.criticalLevel === 2) result.heldCritical++;
        }
        if (result.samples.length < 20)
          result.samples.push({
            parcelId: facts.parcelId,
            declarationId: facts.declarationId,
            trackingNumber: facts.trackingNumber,
            fraud: facts.outcome?.fraud ?? null,
          });
      }
      onProgress?.(result.declarations);
      if (page.length < 5000) break;
    }
    result.precision = result.heldInspected > 0 ? result.heldFrauds / result.heldInspected : null;
    result.baseFraudRate = result.inspected > 0 ? result.frauds / result.inspected : null;
    result.durationMs = Math.round(performance.now() - started);
    return result;
  }

  private enrichWith(
    facts: ParcelFacts,
    information: Parameters<TargetingService['enrich']>[1],
    norms: UnitValueNorms,
  ): void {
    if (information) {
      facts.deliveryAddress = information.deliveryAddress;
      facts.deliveryAddressParcels = information.deliveryAddressParcels;
      facts.xray = information.xray;
    }
    applyUnitValueNorms(facts, norms);
  }

  private async resolveDryRunRule(input: DryRunInput) {
    await this.ready;
    if (!Number.isFinite(input.sinceDays) || input.sinceDays <= 0 || input.sinceDays > 3660)
      throw new TargetingError('invalid_rule', 'sinceDays must be between 1 and 3660');
    let expression = input.expression;
    let lane: RuleLane = input.lane ?? 'red';
    let selectionPercent = input.selectionPercent ?? 100;
    if (input.ruleId !== undefined) {
      const rule = await this.repository.findRule(input.ruleId);
      if (!rule) throw new TargetingError('rule_not_found', `No rule ${input.ruleId}`);
      const current = rule.versions.find((version) => version.version === rule.currentVersion)!;
      expression = current.expression;
      lane = current.lane;
      selectionPercent = current.selectionPercent;
    }
    if (!expression) throw new TargetingError('invalid_rule', 'Give a rule expression or a rule id');
    const prepared = prepareRule(expression, { lists: this.lists.kinds() });
    if (!prepared.ok) throw invalidRule(expression, prepared.problems);
    return { expression, lane, selectionPercent, checked: prepared.rule };
  }

  // ---- watchlists

  async listWatchlists(actor: Actor): Promise<WatchlistRow[]> {
    this.requireAnalyst(actor, true);
    return this.repository.listWatchlists();
  }

  async createWatchlist(
    actor: Actor,
    input: { name: string; kind: ListKind; description?: string | null },
  ): Promise<WatchlistRow> {
    this.requireAnalyst(actor);
    await this.ready;
    const id = await this.repository.createWatchlist({
      name: input.name,
      kind: input.kind,
      description: input.description ?? null,
      owner: describeActor(actor),
    });
    if (!id)
      throw new TargetingError('watchlist_name_taken', `A watchlist named ${input.name} exists already`);
    this.lists.setList(input.name, input.kind, []);
    await this.audit?.append({
      actor,
      action: 'targeting.watchlist_created',
      subject: `watchlist:${input.name}`,
      details: { kind: input.kind },
    });
    return (await this.repository.findWatchlist(input.name))!;
  }

  /** Adds entries (or refreshes their expiry and note); values are normalised for the list's kind. */
  async addWatchlistEntries(
    actor: Actor,
    name: string,
    entries: { value: string; expiresAt?: string | null; note?: string | null }[],
  ): Promise<{ added: number }> {
    this.requireAnalyst(actor);
    await this.ready;
    const list = await this.repository.findWatchlist(name);
    if (!list) throw new TargetingError('watchlist_not_found', `No watchlist ${name}`);
    const problems: FieldError[] = [];
    const rows = entries.map((entry, index) => {
      const problem = listValueProblem(list.kind, entry.value);
      if (problem)
        problems.push({
          path: `entries/${index}/value`,
          value: entry.value,
          rule: `watchlist-${list.kind}`,
          message: problem,
        });
      const expires = entry.expiresAt ? new Date(entry.expiresAt) : null;
      if (expires && Number.isNaN(expires.getTime()))
        problems.push({
          path: `entries/${index}/expiresAt`,
          value: entry.expiresAt,
          rule: 'date-time',
          message: 'must be an ISO 8601 date-time',
        });
      return {
        value: normaliseListValue(list.kind, entry.value),
        expiresAt: expires?.toISOString() ?? null,
        note: entry.note ?? null,
      };
    });
    if (problems.length > 0)
      throw new TargetingError(
        'invalid_watchlist_entry',
        `${problems.length} entries are invalid: ${problems
          .slice(0, 3)
          .map((problem) => `${problem.path} ${problem.message}`)
          .join('; ')}`,
        { fieldErrors: problems.slice(0, 1000) },
      );
    for (let start = 0; start < rows.length; start += 10_000)
      await this.repository.upsertEntries(list.id, rows.slice(start, start + 10_000), describeActor(actor));
    this.lists.addEntries(
      name,
      list.kind,
      rows.map((row) => ({
        value: row.value,
        expiresAtMs: row.expiresAt ? Date.parse(row.expiresAt) : null,
      })),
    );
    await this.audit?.append({
      actor,
      action: 'targeting.watchlist_entries_added',
      subject: `watchlist:${name}`,
      details: { count: rows.length },
    });
    return { added: rows.length };
  }

  async removeWatchlistEntry(actor: Actor, name: string, value: string): Promise<void> {
    this.requireAnalyst(actor);
    await this.ready;
    const list = await this.repository.findWatchlist(name);
    if (!list) throw new TargetingError('watchlist_not_found', `No watchlist ${name}`);
    const removed = await this.repository.removeEntry(list.id, normaliseListValue(list.kind, value));
    if (!removed) throw new TargetingError('watchlist_not_found', `Watchlist ${name} has no entry ${value}`);
    this.lists.removeEntry(name, value);
    await this.audit?.append({
      actor,
      action: 'targeting.watchlist_entry_removed',
      subject: `watchlist:${name}`,
      details: { value: normaliseListValue(list.kind, value) },
    });
  }

  async watchlistEntries(
    actor: Actor,
    name: string,
    page: { after?: string; limit?: number },
  ): Promise<{ items: WatchlistEntryRow[]; nextAfter: string | null }> {
    this.requireAnalyst(actor, true);
    const list = await this.repository.findWatchlist(name);
    if (!list) throw new TargetingError('watchlist_not_found', `No watchlist ${name}`);
    const limit = Math.min(Math.max(page.limit ?? 500, 1), 5000);
    const items = await this.repository.entriesOf(list.id, { afterValue: page.after ?? '', limit });
    return { items, nextAfter: items.length === limit ? items[items.length - 1]!.value : null };
  }

  // ---- budgets and carrier risk levels

  async getBudgets(actor: Actor): Promise<{
    budgets: Awaited<ReturnType<TargetingRepository['budgets']>>;
    carriers: Awaited<ReturnType<TargetingRepository['carrierRisks']>>;
    defaults: BudgetSettings;
  }> {
    this.requireAnalyst(actor, true);
    return {
      budgets: await this.repository.budgets(),
      carriers: await this.repository.carrierRisks(),
      defaults: this.baseBudgets,
    };
  }

  async setBudget(
    actor: Actor,
    budget: { officeCode: string; lane: HeldLane; expectedRate: number; dailyCapacity: number | null },
  ): Promise<void> {
    this.requireAnalyst(actor);
    await this.repository.setBudget(budget, describeActor(actor));
    await this.audit?.append({
      actor,
      action: 'targeting.budget_changed',
      subject: `office:${budget.officeCode}`,
      details: budget,
    });
    await this.reloadBudgets();
  }

  async setCarrierRisk(
    actor: Actor,
    carrierCode: string,
    level: CarrierRiskLevel,
    note?: string | null,
  ): Promise<void> {
    this.requireAnalyst(actor);
    await this.repository.setCarrierRisk(
      carrierCode.toUpperCase(),
      level,
      note ?? null,
      describeActor(actor),
    );
    await this.audit?.append({
      actor,
      action: 'targeting.carrier_risk_changed',
      subject: `carrier:${carrierCode.toUpperCase()}`,
      details: { level },
    });
    await this.reloadBudgets();
  }

  // ---- loading

  private async load(): Promise<void> {
    const entries = await this.repository.allEntries();
    const byList = new Map<
      string,
      { kind: ListKind; values: { value: string; expiresAtMs: number | null }[] }
    >();
    for (const entry of entries) {
      const list = byList.get(entry.name) ?? { kind: entry.kind, values: [] };
      if (entry.value !== null)
        list.values.push({
          value: entry.value,
          expiresAtMs: entry.expiresAt ? entry.expiresAt.getTime() : null,
        });
      byList.set(entry.name, list);
    }
    for (const [name, list] of byList) this.lists.setList(name, list.kind, list.values);
    await this.reloadBudgets();
    await this.reloadRules();
    await this.restoreLedger();
    // The value norms start from the latest stored lines and then follow every arriving parcel.
    this.engine.learnValues(await this.facts.latestLines(this.normSeedLines));
  }

  /** Rebuilds the compiled rule set from the active rule versions. */
  async reloadRules(): Promise<void> {
    const versions = await this.repository.activeRuleVersions();
    const specs: RuleVersionSpec[] = [];
    for (const version of versions) {
      const prepared = prepareRule(version.expression, { lists: this.lists.kinds() });
      if (!prepared.ok) {
        // A list the rule needs was removed: the rule cannot run; say so rather than fail every decision.
        this.logger?.error(
          { ruleId: version.ruleId, problems: prepared.problems },
          'active rule no longer checks; skipped',
        );
        continue;
      }
      specs.push({
        ruleId: version.ruleId,
        version: version.version,
        name: version.name,
        lane: version.lane,
        xrayReferral: version.xrayReferral,
        selectionPercent: version.selectionPercent,
        mandatory: version.mandatory,
        validFromMs: version.validFrom ? Date.parse(version.validFrom) : null,
        validToMs: version.validTo ? Date.parse(version.validTo) : null,
        checked: prepared.rule,
      });
    }
    this.engine.setRules(new RuleSet(specs, this.lists));
  }

  private async reloadBudgets(): Promise<void> {
    const [budgets, carriers] = await Promise.all([
      this.repository.budgets(),
      this.repository.carrierRisks(),
    ]);
    const offices: BudgetSettings['offices'] = structuredClone(this.baseBudgets.offices);
    const fallback = offices['*'] ?? defaultBudgetSettings.offices['*']!;
    for (const budget of budgets) {
      const office = (offices[budget.officeCode] ??= structuredClone(fallback));
      office[budget.lane] = { expectedRate: budget.expectedRate, dailyCapacity: budget.dailyCapacity };
    }
    const carrierLevels: Record<string, CarrierRiskLevel> = { ...this.baseBudgets.carrierLevels };
    for (const carrier of carriers) carrierLevels[carrier.carrierCode] = carrier.level;
    this.engine.setBudgets({ ...this.baseBudgets, offices, carrierLevels });
  }

  private async restoreLedger(): Promise<void> {
    const day = officeDay(this.clock(), this.baseBudgets.dayOffsetMinutes);
    for (const { state, decision } of await this.repository.heldOn(day)) {
      const draft: DecisionDraft = {
        parcelId: state.parcelId,
        lane: state.lane,
        xrayReferral: state.xrayReferral,
        score: state.score,
        modelVersion: state.modelVersion,
        ruleHits: decision.ruleHits.map((hit) => ({ ...hit, lane: 'red' as const })),
        reasons: decision.reasons,
        source: decision.selection as DecisionDraft['source'],
        priority: state.priority,
        trigger: decision.trigger as DecisionTrigger,
        officeCode: state.officeCode,
        carrierCode: state.carrierCode,
        hsChapters: state.hsChapters,
        arrivalDate: state.arrivalDate,
        day: state.decisionDay,
        receivedAtMs: Date.parse(decision.receivedAt),
        decidedAtMs: Date.parse(decision.decidedAt),
      };
      this.engine.restorePlace(
        {
          parcelId: state.parcelId,
          officeCode: state.officeCode,
          day: state.decisionDay,
          lane: state.lane,
          priority: state.priority,
          settled: state.settled || decision.selection === 'mandatory-rule',
        },
        draft,
      );
    }
  }

  /** Runs decision work one batch at a time (sequence numbers and the ledger must not interleave). */
  private exclusive<T>(work: () => Promise<T>): Promise<T> {
    const run = this.queueTail.then(work, work);
    this.queueTail = run.catch(() => undefined);
    return run;
  }

  private requireAnalyst(actor: Actor, readOnly = false): void {
    const allowed = readOnly
      ? isOfficer(actor, 'targeting_analyst', 'data_analyst')
      : isOfficer(actor, 'targeting_analyst');
    if (!allowed)
      throw new TargetingError(
        'forbidden',
        readOnly
          ? 'Only targeting and data analysts may read targeting settings'
          : 'Only targeting analysts and administrators manage targeting rules, lists and budgets',
      );
  }

  private requireOwner(actor: Actor, rule: RuleRow): void {
    const administrator =
      actor.kind === 'system' || (actor.kind === 'officer' && actor.roles.includes('administrator'));
    if (!administrator && rule.owner !== describeActor(actor))
      throw new TargetingError(
        'not_rule_owner',
        `Rule ${rule.id} belongs to ${rule.owner}; ask its owner or an administrator`,
      );
  }
}

/** What a dry run needs: a saved rule or rule text, and the range. */
export interface DryRunInput {
  ruleId?: number;
  expression?: string;
  lane?: RuleLane;
  selectionPercent?: number;
  sinceDays: number;
  /** `YYYY-MM-DD`; the range ends here (default: today). */
  asOf?: string;
}

function invalidRule(expression: string, problems: RuleProblem[]): TargetingError {
  return new TargetingError(
    'invalid_rule',
    `The rule does not check: ${problems.map((problem) => describeProblem(expression, problem).split('\n')[0]).join('; ')}`,
    {
      problems: problems.map((problem) => ({ ...problem, text: describeProblem(expression, problem) })),
    },
  );
}

function encodeCursor(rank: number, parcelId: number): string {
  return Buffer.from(JSON.stringify([rank, parcelId])).toString('base64url');
}

function decodeCursor(cursor: string): { rank: number; parcelId: number } {
  try {
    const [rank, parcelId] = JSON.parse(Buffer.from(cursor, 'base64url').toString('utf8')) as [
      number,
      number,
    ];
    if (typeof rank !== 'number' || !Number.isInteger(parcelId)) throw new Error('shape');
    return { rank, parcelId };
  } catch {
    throw new TargetingError('invalid_cursor', 'The cursor is not one this API returned');
  }
}
