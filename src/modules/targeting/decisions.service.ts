import type { Actor } from '../../platform/auth/actor.js';
import { describeActor, isOfficer, isParcelOperator, mayReadParcel } from '../../platform/auth/actor.js';
import type { AuditTrail } from '../../platform/auth/audit-trail.js';
import { CommonError } from '../../platform/errors/module-error.js';
import type { IntakeStoredEvent } from '../intake/index.js';
import type { ParcelFactsSource } from './adapters/intake-read-model.js';
import { heldLanes, officeDay } from './domain/budget-policy.js';
import { admitDecisions, ledgerOf } from './domain/capacity-admission.js';
import { capacityPriority, type Lane } from './domain/lane-decision.js';
import { addressOf, normaliseAddress, type ParcelFacts } from './domain/parcel-facts.js';
import { encodeReason, reason } from './domain/reason-messages.js';
import type { RiskScorer } from './domain/risk-scorer.js';
import {
  officeOf,
  type DecisionDraft,
  type DecisionTrigger,
  type TargetingEngine,
} from './domain/targeting-engine.js';
import { TargetingError } from './targeting.errors.js';
import type {
  DecisionRecord,
  ParcelStateRow,
  QueueFilter,
  TargetingRepository,
} from './targeting.repository.js';
import type { TargetingSettings } from './targeting.settings.js';

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
  | { kind: 'payment' }
  /** A product-safety report (partners) matched one of the parcel's lines or orders. */
  | { kind: 'product_safety'; reportId: number; hazard: string; matchedOn: string[] };

export interface QueuePage {
  items: ParcelStateRow[];
  nextCursor: string | null;
  /** On the first page only: the queue's size, counted up to `QUEUE_COUNT_CAP`. */
  total?: number;
  /** On the first page only: true when the queue holds more than `total` (the count stopped at the cap). */
  totalCapped?: boolean;
}

/** The decision as a caller sees it; carriers get it without the targeting criteria. */
export type DecisionView = DecisionRecord;

export interface DecisionServiceDependencies {
  repository: TargetingRepository;
  facts: ParcelFactsSource;
  engine: TargetingEngine;
  settings: TargetingSettings;
  /** What scores when no model is given (the transparent heuristics). */
  fallbackScorer: RiskScorer;
  /** Settles when the settings, rules and value norms are loaded. */
  ready: Promise<void>;
  audit?: AuditTrail;
  clock: () => number;
  onDecisionsWritten?: (decisions: readonly DecisionDraft[]) => void;
}

const BATCH = 1000;

/** PostgreSQL's SQLSTATE for a unique index refusing a row. */
const UNIQUE_VIOLATION = '23505';

/**
 * Decisions: a lane for every parcel on arrival and on new information, immutable decision records,
 * officers' overrides and the risk-ordered queue. Any number of processes may decide against one
 * database: each batch is written in one transaction that holds the locks of what it changes (see
 * `writeLocked`), or, for first decisions that take no capped place, by one statement whose decision
 * key refuses a parcel decided twice (`writeArrivalsAlone`); within a process, batches run one at a
 * time so that its learned thresholds see every score in order.
 */
export class DecisionService {
  private readonly repository: TargetingRepository;
  private readonly facts: ParcelFactsSource;
  private readonly engine: TargetingEngine;
  private readonly settings: TargetingSettings;
  private readonly fallbackScorer: RiskScorer;
  private readonly ready: Promise<void>;
  private readonly audit?: AuditTrail;
  private readonly clock: () => number;
  private readonly onDecisionsWritten?: (decisions: readonly DecisionDraft[]) => void;
  private queueTail: Promise<unknown> = Promise.resolve();

  constructor(dependencies: DecisionServiceDependencies) {
    this.repository = dependencies.repository;
    this.facts = dependencies.facts;
    this.engine = dependencies.engine;
    this.settings = dependencies.settings;
    this.fallbackScorer = dependencies.fallbackScorer;
    this.ready = dependencies.ready;
    this.audit = dependencies.audit;
    this.clock = dependencies.clock;
    this.onDecisionsWritten = dependencies.onDecisionsWritten;
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
   * A parcel that completes a split purchase is held; the earlier parcels of that day of the same buyer
   * or delivery address, decided before the series was visible, are decided again so that the whole
   * series is held together.
   */
  private async holdSplitSeries(decisions: readonly DecisionDraft[]): Promise<void> {
    const split = decisions.filter((decision) =>
      decision.reasons.some(
        (text) =>
          text.includes('"code":"check.split_series"') ||
          text.includes('"code":"check.split_address_series"'),
      ),
    );
    if (split.length === 0) return;
    const decided = new Set(decisions.map((decision) => decision.parcelId));
    const siblings = (await this.facts.sameDaySeries(split.map((decision) => decision.parcelId))).filter(
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
    } else if (information.kind === 'product_safety') {
      const { reportId, hazard, matchedOn } = information;
      receivedAtMs = (
        await this.repository.addInformation(
          parcelId,
          'product_safety',
          { reportId, hazard, matchedOn },
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
      // Only the parcel's own carrier reports where it delivered it.
      if (!current?.carrierCode || !isParcelOperator(actor, current.carrierCode)) {
        throw new TargetingError('parcel_not_found', `No parcel ${parcelId}`);
      }
    }
    if (
      (information.kind === 'order' ||
        information.kind === 'payment' ||
        information.kind === 'product_safety') &&
      !isOfficer(actor)
    )
      throw new TargetingError('forbidden', 'Orders and payments arrive through intake');
    return this.onNewInformation(parcelId, information, actor);
  }
  /**
   * Decides parcels: facts -> score -> rules -> lane in memory, then one transaction that admits them
   * to their lanes' capacity and writes the decision records (and those of any parcels displaced), or
   * one statement for first decisions that take no capped place. Returns the new decisions.
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
      const [facts, information, { states, settingsVersion }] = await Promise.all([
        this.facts.loadParcelFacts(parcelIds),
        arrival ? new Map<number, never>() : this.repository.informationOf(parcelIds),
        this.repository.statesAndSettingsVersion(parcelIds),
      ]);
      // The settings are no older than this batch's start: reloaded here when the version moved.
      await this.settings.refresh(settingsVersion);
      const decisions: DecisionDraft[] = [];
      const hitCounts = new Map<number, number>();
      for (const parcel of facts) {
        // Delivered again (the outbox retries after a crash): the arrival decision already made stands.
        if (arrival && states.has(parcel.parcelId!)) continue;
        this.enrich(parcel, information.get(parcel.parcelId!));
        const { decision, hits } = this.engine.decide(parcel, {
          trigger,
          receivedAtMs: receivedAtMs ?? parcel.receivedAtMs,
          nowMs: this.clock(),
        });
        decisions.push(decision);
        for (const hit of hits) hitCounts.set(hit.ruleId, (hitCounts.get(hit.ruleId) ?? 0) + 1);
      }
      return this.commit(decisions, states, hitCounts, arrival);
    });
  }

  /** Writes a batch of decisions, by one statement where it can, and returns those written. */
  private async commit(
    decisions: DecisionDraft[],
    before: ReadonlyMap<number, ParcelStateRow>,
    hitCounts: ReadonlyMap<number, number>,
    arrival: boolean,
  ): Promise<DecisionDraft[]> {
    if (decisions.length === 0) return [];
    const written =
      (arrival && (await this.writeArrivalsAlone(decisions, hitCounts))) ||
      (await this.writeLocked(decisions, before, hitCounts, arrival));
    this.onDecisionsWritten?.(written);
    return written;
  }

  /**
   * Arrival decisions that take no capped place (green, or no cap at their office) are written by one
   * statement, without the transaction's round trips (begin, state locks, commit): nothing is locked
   * because nothing is read to write them. Each is its parcel's first decision, and the decision key
   * (parcel, number 1) refuses a second one: a parcel decided meanwhile by another process fails the
   * statement, which wrote nothing, and the batch goes through the transaction, where that decision
   * stands. Returns undefined when the batch needs the transaction.
   */
  private async writeArrivalsAlone(
    decisions: DecisionDraft[],
    hitCounts: ReadonlyMap<number, number>,
  ): Promise<DecisionDraft[] | undefined> {
    if (
      decisions.some((decision) => decision.lane !== 'green' && this.isCapped(officeOf(decision.officeCode)))
    )
      return undefined;
    const written = decisions.map((decision) => ({
      ...decision,
      sequence: 1,
      decidedAtMs: Math.max(decision.decidedAtMs, this.clock()),
    }));
    try {
      await this.repository.saveDecisions(written, hitCounts);
    } catch (error) {
      if ((error as { code?: string }).code === UNIQUE_VIOLATION) return undefined;
      throw error;
    }
    return written;
  }

  /**
   * Writes a batch of decisions in one transaction holding, whichever process runs it, the locks that
   * keep it exact: an advisory lock on every capped office day it admits to or gives a place back on,
   * and a row lock on every decided parcel's current state (its next sequence number). The capacity
   * ledger of those office days is read from the committed places under the lock, so two processes
   * never hand out the same last place, and a higher-ranked parcel displaces a lower one, never the
   * reverse. `before` holds the states read before deciding, to know which office days to lock first.
   */
  private async writeLocked(
    decisions: DecisionDraft[],
    before: ReadonlyMap<number, ParcelStateRow>,
    hitCounts: ReadonlyMap<number, number>,
    arrival: boolean,
  ): Promise<DecisionDraft[]> {
    return this.repository.inTransaction(async (repository) => {
      const officeDays = new Set<string>();
      const lockedLater: string[] = [];
      const capped = (officeCode: string | null, day: string, into: string[] | Set<string>) => {
        const office = officeOf(officeCode);
        const key = `${office}|${day}`;
        if (officeDays.has(key) || !this.isCapped(office)) return;
        officeDays.add(key);
        if (Array.isArray(into)) into.push(key);
      };
      for (const decision of decisions)
        if (decision.lane !== 'green') capped(decision.officeCode, decision.day, officeDays);
      for (const state of before.values())
        if (state.lane !== 'green') capped(state.officeCode, state.decisionDay, officeDays);
      await repository.lockOfficeDays([...officeDays]);
      const states = await repository.lockStates(decisions.map((decision) => decision.parcelId));
      // A parcel that took a place on another office day since it was read: that day is locked too.
      for (const state of states.values())
        if (state.lane !== 'green') capped(state.officeCode, state.decisionDay, lockedLater);
      await repository.lockOfficeDays(lockedLater);

      // Decided meanwhile by another process (a delivery retried while the first still ran): it stands.
      const fresh = arrival ? decisions.filter((decision) => !states.has(decision.parcelId)) : decisions;
      const sequence = new Map([...states].map(([id, state]) => [id, state.sequence]));
      let displaced: DecisionDraft[] = [];
      if (officeDays.size > 0) {
        const held = await repository.heldPlaces(
          [...officeDays].map((key) => {
            const cut = key.lastIndexOf('|');
            return { office: key.slice(0, cut), day: key.slice(cut + 1) };
          }),
        );
        for (const { state } of held) sequence.set(state.parcelId, state.sequence);
        const ledger = ledgerOf(
          held.map(({ state, decision }) => ({
            decision: storedDraft(state, decision),
            displaceable: !state.settled && decision.selection !== 'mandatory-rule',
          })),
          (office, lane) => this.engine.dailyCapacity(office, lane),
        );
        // A parcel decided again gives back the place it held first.
        for (const decision of fresh) {
          const previous = states.get(decision.parcelId);
          if (previous && previous.lane !== 'green')
            ledger.release(
              officeOf(previous.officeCode),
              previous.decisionDay,
              previous.lane,
              decision.parcelId,
            );
        }
        displaced = admitDecisions(ledger, fresh, this.clock());
      }
      const written = [...fresh, ...displaced];
      await repository.saveDecisions(
        written.map((decision) => {
          const next = (sequence.get(decision.parcelId) ?? 0) + 1;
          sequence.set(decision.parcelId, next);
          // Decided-in is measured at the write, the moment the decision becomes visible.
          return { ...decision, sequence: next, decidedAtMs: Math.max(decision.decidedAtMs, this.clock()) };
        }),
        hitCounts,
      );
      return written;
    });
  }

  /** Whether any held lane at this office has a daily cap: its office days are then locked to decide. */
  private isCapped(office: string): boolean {
    return heldLanes.some((lane) => this.engine.dailyCapacity(office, lane) !== null);
  }

  private enrich(
    facts: ParcelFacts,
    information:
      Pick<ParcelFacts, 'deliveryAddress' | 'deliveryAddressParcels' | 'xray' | 'productSafety'> | undefined,
  ): void {
    if (information) {
      facts.deliveryAddress = information.deliveryAddress;
      facts.deliveryAddressParcels = information.deliveryAddressParcels;
      facts.xray = information.xray;
      facts.productSafety = information.productSafety;
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
    // Who may see the parcel at all is the one rule (`mayReadParcel`); the PCCC is left out on purpose:
    // its holder reads the parcel, but learns next steps from the portal, never the lane.
    if (mayReadParcel(actor, { carrierCode: decision.carrierCode ?? '', pccc: null })) {
      if (isOfficer(actor)) return decision;
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
        day: officeDay(nowMs, this.settings.baseBudgets.dayOffsetMinutes),
        receivedAtMs: nowMs,
        decidedAtMs: nowMs,
        overrideBy: by,
        overrideReason: input.reason.trim(),
      };
      // An override takes its place whatever the capacity, and displaces no one: no office-day lock.
      await this.repository.inTransaction(async (repository) => {
        const locked = (await repository.lockStates([parcelId])).get(parcelId);
        await repository.saveDecisions(
          [{ ...draft, sequence: (locked?.sequence ?? current.sequence) + 1 }],
          new Map(),
        );
      });
      await this.audit?.append({
        actor,
        action: 'targeting.decision_overridden',
        subject: `parcel:${parcelId}`,
        details: { from: current.lane, to: input.lane, reason: input.reason.trim() },
      });
      return (await this.repository.currentDecision(parcelId))!;
    });
  }

  /** Parcels per day and current lane, for the dashboard; officers only. */
  async laneCountsByDay(
    actor: Actor,
    range: { from: string; to: string },
  ): Promise<{ day: string; lane: Lane; parcels: number }[]> {
    if (!isOfficer(actor)) throw new CommonError('forbidden', 'Statistics are for customs officers');
    return this.repository.laneCountsByDay(range);
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
      ...(total !== undefined ? { total: total.count, totalCapped: total.capped } : {}),
    };
  }

  /** Runs this process's decision work one batch at a time (the learned thresholds see scores in order). */
  private exclusive<T>(work: () => Promise<T>): Promise<T> {
    const run = this.queueTail.then(work, work);
    this.queueTail = run.catch(() => undefined);
    return run;
  }
}

/** A stored current decision as a draft: what a displaced parcel's new decision starts from. */
function storedDraft(state: ParcelStateRow, decision: DecisionRecord): DecisionDraft {
  return {
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
