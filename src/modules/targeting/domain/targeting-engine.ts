import {
  CapacityLedger,
  officeDay,
  ThresholdLearner,
  type BudgetSettings,
  type HeldLane,
  type HeldPlace,
} from './budget-policy.js';
import {
  decideLane,
  nextLane,
  type Lane,
  type SelectionPolicy,
  type SelectionSource,
} from './lane-decision.js';
import type { ParcelFacts } from './parcel-facts.js';
import type { RiskScore, RiskScorer } from './risk-scorer.js';
import type { RuleHit, RuleSet } from './rule-set.js';

/** What caused a decision: the parcel's arrival, later information, capacity, or an officer. */
export type DecisionTrigger =
  | 'intake'
  | 'order'
  | 'payment'
  | 'post_delivery_address'
  | 'xray'
  | 'product_safety'
  | 'capacity'
  | 'override'
  | 'batch';

/** A decision before it is stored: everything the decision record keeps. */
export interface DecisionDraft {
  parcelId: number;
  lane: Lane;
  xrayReferral: boolean;
  score: number;
  modelVersion: string;
  ruleHits: Pick<RuleHit, 'ruleId' | 'version' | 'name' | 'lane'>[];
  reasons: string[];
  source: SelectionSource;
  priority: number;
  trigger: DecisionTrigger;
  officeCode: string | null;
  carrierCode: string | null;
  /** For the queue; a decision without it (one restored from the records) keeps the parcel's earlier one. */
  trackingNumber?: string | null;
  hsChapters: string[];
  arrivalDate: string | null;
  /** The office day whose capacity the decision counts against. */
  day: string;
  receivedAtMs: number;
  decidedAtMs: number;
  overrideBy?: string;
  overrideReason?: string;
}

/** Where a parcel currently holds a place, so that a re-decision gives it back first. */
export interface HeldPosition {
  office: string;
  day: string;
  lane: Lane;
}

const NO_OFFICE = '-';

/**
 * The in-memory decision path: score -> rules -> lane -> budget, with no I/O, so that a batch of
 * parcels is decided at memory speed and written in bulk afterwards. One engine per process: it owns
 * the learned thresholds and the capacity ledger.
 */
export class TargetingEngine {
  readonly learner: ThresholdLearner;
  readonly ledger: CapacityLedger;
  private readonly held = new Map<number, HeldPosition>();

  constructor(
    private scorer: RiskScorer,
    private fallbackScorer: RiskScorer,
    private rules: RuleSet,
    private budgets: BudgetSettings,
    private readonly policy: SelectionPolicy,
  ) {
    this.learner = new ThresholdLearner(budgets);
    this.ledger = new CapacityLedger((office, lane) => this.learner.budgetOf(office)[lane].dailyCapacity);
  }

  get modelVersion(): string {
    return this.scorer.modelVersion;
  }

  setScorer(scorer: RiskScorer): void {
    this.scorer = scorer;
  }

  setRules(rules: RuleSet): void {
    this.rules = rules;
  }

  setBudgets(budgets: BudgetSettings): void {
    this.budgets = budgets;
    this.learner.update(budgets);
  }

  /** Restores a held place from the stored current decision (start-up). */
  restorePlace(
    draft: Pick<DecisionDraft, 'parcelId' | 'officeCode' | 'day' | 'lane' | 'priority'> & {
      settled: boolean;
    },
    decision?: DecisionDraft,
  ): void {
    if (draft.lane === 'green') return;
    const office = draft.officeCode ?? NO_OFFICE;
    this.ledger.restore(
      office,
      draft.day,
      draft.lane,
      placeOf(draft.parcelId, draft.priority, !draft.settled, decision),
    );
    this.held.set(draft.parcelId, { office, day: draft.day, lane: draft.lane });
  }

  /** An officer acted on a held parcel: it keeps its place and can no longer be displaced. */
  settle(parcelId: number): void {
    const position = this.held.get(parcelId);
    if (position) this.ledger.settle(position.office, position.day, position.lane, parcelId);
  }

  /**
   * Decides one parcel. Returns its decision first, then a new decision for every held parcel it
   * displaced (moved to the next lane because it ranks lower).
   */
  decide(
    facts: ParcelFacts,
    context: { trigger: DecisionTrigger; receivedAtMs: number; nowMs: number },
  ): { decision: DecisionDraft; hits: RuleHit[]; displaced: DecisionDraft[] } {
    const parcelId = facts.parcelId!;
    const office = facts.officeCode ?? NO_OFFICE;
    const day = officeDay(context.nowMs, this.budgets.dayOffsetMinutes);
    this.releasePlace(parcelId);

    let risk: RiskScore;
    let modelVersion = this.scorer.modelVersion;
    try {
      risk = this.scorer.score(facts);
    } catch (error) {
      risk = this.fallbackScorer.score(facts);
      risk = {
        score: risk.score,
        reasons: [
          `model ${modelVersion} failed (${(error as Error).message}); scored by ${this.fallbackScorer.modelVersion}`,
          ...risk.reasons,
        ],
      };
      modelVersion = this.fallbackScorer.modelVersion;
    }
    const hits = this.rules.evaluate(facts, context.nowMs);
    const thresholds = this.learner.thresholds(office, facts.carrierCode);
    const outcome = decideLane({
      parcelKey: parcelId,
      score: risk.score,
      hits,
      thresholds,
      meanUncertainty: this.learner.meanUncertainty(office),
      policy: this.policy,
    });
    this.learner.record(
      office,
      risk.score,
      outcome.lane,
      outcome.source === 'model' || outcome.source === 'none',
    );

    const reasons = [...outcome.reasons];
    if (risk.reasons.length > 0) reasons.push(`${modelVersion}: ${risk.reasons.join('; ')}`);
    // Whatever scored the parcel, the report that matched it is named (rules can select on it).
    if (facts.productSafety)
      reasons.push(
        `product-safety report #${facts.productSafety.reportId} (${facts.productSafety.hazard}) matched on ${facts.productSafety.matchedOn.join(', ')}`,
      );
    const carrier = this.learner.carrierMultiplier(facts.carrierCode);
    if (carrier.level !== 'medium' && outcome.source === 'model')
      reasons.push(
        `carrier ${facts.carrierCode} at ${carrier.level} risk: selection rate x${carrier.multiplier}`,
      );

    const decision: DecisionDraft = {
      parcelId,
      lane: outcome.lane,
      xrayReferral: outcome.xrayReferral,
      score: risk.score,
      modelVersion,
      ruleHits: outcome.appliedHits.map((hit) => ({
        ruleId: hit.ruleId,
        version: hit.version,
        name: hit.name,
        lane: hit.lane,
      })),
      reasons,
      source: outcome.source,
      priority: outcome.priority,
      trigger: context.trigger,
      officeCode: facts.officeCode,
      carrierCode: facts.carrierCode,
      trackingNumber: facts.trackingNumber,
      hsChapters: [
        ...new Set(
          facts.lines.map((line) => line.hsChapter).filter((chapter): chapter is string => chapter !== null),
        ),
      ],
      arrivalDate: facts.arrivalDate,
      day,
      receivedAtMs: context.receivedAtMs,
      decidedAtMs: context.nowMs,
    };
    const displaced = this.place(decision, context.nowMs);
    return { decision, hits, displaced };
  }

  /** Records an officer's decision: it takes its place whatever the capacity and cannot be displaced. */
  placeOverride(decision: DecisionDraft): void {
    this.releasePlace(decision.parcelId);
    if (decision.lane === 'green') return;
    const office = decision.officeCode ?? NO_OFFICE;
    this.ledger.restore(
      office,
      decision.day,
      decision.lane,
      placeOf(decision.parcelId, decision.priority, false, decision),
    );
    this.held.set(decision.parcelId, { office, day: decision.day, lane: decision.lane });
  }

  private releasePlace(parcelId: number): void {
    const previous = this.held.get(parcelId);
    if (!previous) return;
    this.ledger.release(previous.office, previous.day, previous.lane, parcelId);
    this.held.delete(parcelId);
  }

  /** Admits the decision into its lane (or a lower one) and re-decides the parcels it displaces. */
  private place(decision: DecisionDraft, nowMs: number): DecisionDraft[] {
    const office = decision.officeCode ?? NO_OFFICE;
    const moved: DecisionDraft[] = [];
    const queue: DecisionDraft[] = [decision];
    while (queue.length > 0) {
      const current = queue.shift()!;
      if (current.lane === 'green') continue;
      const wanted = current.lane;
      const admission = this.ledger.admit(
        office,
        current.day,
        wanted,
        placeOf(current.parcelId, current.priority, current.source !== 'mandatory-rule', current),
      );
      if (admission.lane !== wanted) {
        current.reasons.push(
          `${wanted} capacity of office ${office} for ${current.day} is full with higher-ranked parcels: moved to ${admission.lane}`,
        );
        current.lane = admission.lane;
      }
      if (admission.lane !== 'green')
        this.held.set(current.parcelId, { office, day: current.day, lane: admission.lane });
      admission.displaced.forEach((place, index) => {
        const from = admission.movedDown[index]! as HeldLane;
        const previous = place.decision as DecisionDraft | undefined;
        this.held.delete(place.parcelKey);
        if (!previous) return;
        const next: DecisionDraft = {
          ...previous,
          lane: nextLane(from),
          reasons: [
            ...previous.reasons,
            `displaced from ${from} by higher-ranked parcel ${current.parcelId} (${from} capacity of office ${office} for ${current.day} full): moved to ${nextLane(from)}`,
          ],
          trigger: 'capacity',
          receivedAtMs: nowMs,
          decidedAtMs: nowMs,
          overrideBy: undefined,
          overrideReason: undefined,
        };
        moved.push(next);
        queue.push(next);
      });
    }
    return moved;
  }
}

function placeOf(
  parcelKey: number,
  priority: number,
  displaceable: boolean,
  decision?: DecisionDraft,
): HeldPlace {
  return { parcelKey, priority, displaceable, decision };
}
