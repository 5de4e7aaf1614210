import {
  CapacityLedger,
  officeDay,
  ThresholdLearner,
  tieBrokenScore,
  type BudgetSettings,
  type HeldLane,
  type HeldPlace,
} from './budget-policy.js';
import {
  decideLane,
  draw,
  nextLane,
  type Lane,
  type SelectionPolicy,
  type SelectionSource,
} from './lane-decision.js';
import { checkDeclaration, type UsdConverter } from './declaration-checks.js';
import type { LineFacts, ParcelFacts } from './parcel-facts.js';
import { encodeReason, reason, type ReasonMessage } from './reason-messages.js';
import type { ListClearanceLimit, RiskScore, RiskScorer } from './risk-scorer.js';
import type { RuleHit, RuleSet } from './rule-set.js';
import { ValueNorms } from './value-norms.js';

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
  /** Stored reasons: encoded reason messages (see reason-messages.ts), or texts of older decisions. */
  reasons: string[];
  source: SelectionSource;
  priority: number;
  trigger: DecisionTrigger;
  officeCode: string | null;
  carrierCode: string | null;
  /** For the queue; a decision without it (one restored from the records) keeps the parcel's earlier one. */
  trackingNumber?: string | null;
  /** For the queue, kept like the tracking number: the goods in words, declared value and origin. */
  goods?: QueueGoods;
  hsChapters: string[];
  arrivalDate: string | null;
  /** The office day whose capacity the decision counts against. */
  day: string;
  receivedAtMs: number;
  decidedAtMs: number;
  overrideBy?: string;
  overrideReason?: string;
}

/** What the queue shows of a parcel's declaration. */
export interface QueueGoods {
  description: string | null;
  declaredValue: number | null;
  currency: string | null;
  originCountry: string | null;
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
  /** Usual values per HS code, learned from the parcels decided (see value-norms.ts). */
  readonly norms = new ValueNorms();
  private readonly held = new Map<number, HeldPosition>();

  constructor(
    private scorer: RiskScorer,
    private fallbackScorer: RiskScorer,
    private rules: RuleSet,
    private budgets: BudgetSettings,
    private readonly policy: SelectionPolicy,
    private readonly checks: { listClearanceLimitUsd: ListClearanceLimit; toUsd?: UsdConverter },
  ) {
    this.learner = new ThresholdLearner(budgets);
    this.ledger = new CapacityLedger((office, lane) => this.learner.budgetOf(office)[lane].dailyCapacity);
  }

  get modelVersion(): string {
    return this.scorer.modelVersion;
  }

  /** A new model scores on its own scale: its thresholds warm up afresh. */
  setScorer(scorer: RiskScorer): void {
    if (scorer.modelVersion !== this.scorer.modelVersion) this.learner.reset();
    this.scorer = scorer;
  }

  /** Adds declaration lines to the value norms (start-up: the latest stored lines). */
  learnValues(lines: readonly LineFacts[]): void {
    for (const line of lines)
      this.norms.add({
        hsCode: line.hs6 ?? line.hsChapter,
        currency: line.currency,
        unitValue: line.unitValue,
        value: line.value,
        netMassKg: line.netMassKg,
      });
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

    for (const line of facts.lines) {
      const norm = this.norms.unitValueNorm(line.hs6 ?? line.hsChapter, line.currency);
      line.hs6Norm = norm?.median ?? null;
      line.unitValueRatio = norm && norm.median > 0 ? line.unitValue / norm.median : null;
    }
    let risk: RiskScore;
    let modelVersion = this.scorer.modelVersion;
    const engineReasons: ReasonMessage[] = [];
    try {
      risk = this.scorer.score(facts);
    } catch (error) {
      risk = this.fallbackScorer.score(facts);
      engineReasons.push(
        reason('engine.model_failed', {
          model: modelVersion,
          error: (error as Error).message,
          fallback: this.fallbackScorer.modelVersion,
        }),
      );
      modelVersion = this.fallbackScorer.modelVersion;
    }
    const hits = this.rules.evaluate(facts, context.nowMs);
    const findings = checkDeclaration(facts, { norms: this.norms, ...this.checks });
    const learned = this.learner.learned(office, facts.carrierCode);
    const outcome = decideLane({
      parcelKey: parcelId,
      score: risk.score,
      comparedScore: tieBrokenScore(risk.score, draw(this.policy.seed, parcelId, -3)),
      hits,
      findings,
      thresholds: learned.thresholds,
      shares: learned.shares,
      meanUncertainty: this.learner.meanUncertainty(office),
      policy: this.policy,
    });
    this.learner.record(
      office,
      risk.score,
      outcome.lane,
      outcome.source === 'model' || outcome.source === 'none',
    );
    // A parcel's lines join the norms once, on arrival, after it was judged against them.
    if (context.trigger === 'intake') this.learnValues(facts.lines);

    const reasons = [...outcome.reasons, ...engineReasons];
    if (risk.signals.length > 0)
      reasons.push(
        reason('engine.model_signals', { model: modelVersion, signals: JSON.stringify(risk.signals) }),
      );
    // Whatever scored the parcel, the report that matched it is named (rules can select on it).
    if (facts.productSafety)
      reasons.push(
        reason('engine.product_safety', {
          report: facts.productSafety.reportId,
          hazard: facts.productSafety.hazard,
          matchedOn: facts.productSafety.matchedOn.join(', '),
        }),
      );
    const carrier = this.learner.carrierMultiplier(facts.carrierCode);
    if (carrier.level !== 'medium' && outcome.source === 'model')
      reasons.push(
        reason('lane.carrier_level', {
          carrier: facts.carrierCode,
          level: carrier.level,
          multiplier: carrier.multiplier,
        }),
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
      reasons: reasons.map(encodeReason),
      source: outcome.source,
      priority: outcome.priority,
      trigger: context.trigger,
      officeCode: facts.officeCode,
      carrierCode: facts.carrierCode,
      trackingNumber: facts.trackingNumber,
      goods: goodsOf(facts),
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
          encodeReason(
            reason('capacity.moved', { from: wanted, to: admission.lane, office, day: current.day }),
          ),
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
            encodeReason(
              reason('capacity.displaced', {
                from,
                to: nextLane(from),
                parcel: current.trackingNumber ?? current.parcelId,
                office,
                day: current.day,
              }),
            ),
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

/** The first line's goods (and how many more lines), the declared value and the origin, for the queue. */
function goodsOf(facts: ParcelFacts): QueueGoods {
  const first = facts.lines[0];
  const more = facts.lines.length - 1;
  return {
    description: first ? (more > 0 ? `${first.description} (+${more})` : first.description) : null,
    declaredValue: facts.declaredValue,
    currency: facts.currency,
    originCountry: first?.originCountry ?? facts.senderCountry,
  };
}
