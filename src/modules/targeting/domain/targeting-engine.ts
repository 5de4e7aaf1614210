import {
  officeDay,
  ThresholdLearner,
  tieBrokenScore,
  type BudgetSettings,
  type HeldLane,
} from './budget-policy.js';
import { decideLane, draw, type Lane, type SelectionPolicy, type SelectionSource } from './lane-decision.js';
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

const NO_OFFICE = '-';

/** The ledger's name of a parcel's office: parcels without one share a ledger of their own. */
export function officeOf(officeCode: string | null): string {
  return officeCode ?? NO_OFFICE;
}

/**
 * The in-memory decision path: score -> rules -> lane, with no I/O, so that a batch of parcels is
 * decided at memory speed and written in bulk afterwards. One engine per deciding process: it learns
 * the thresholds from the scores it sees (each process sees a random share of the same stream, so
 * every process learns the same quantiles); the capacity ledger, which must be exact, is not here.
 */
export class TargetingEngine {
  readonly learner: ThresholdLearner;
  /** Usual values per HS code, learned from the parcels decided (see value-norms.ts). */
  readonly norms = new ValueNorms();

  constructor(
    private scorer: RiskScorer,
    private fallbackScorer: RiskScorer,
    private rules: RuleSet,
    private budgets: BudgetSettings,
    private readonly policy: SelectionPolicy,
    private readonly checks: { listClearanceLimitUsd: ListClearanceLimit; toUsd?: UsdConverter },
  ) {
    this.learner = new ThresholdLearner(budgets);
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

  /** The hard cap of a lane at an office (null: none), from the budgets. */
  dailyCapacity(office: string, lane: HeldLane): number | null {
    return this.learner.budgetOf(office)[lane].dailyCapacity;
  }

  /**
   * Decides one parcel: the lane it should have. Whether that lane has room today is the capacity
   * ledger's question (capacity-admission.ts), asked where the ledger is kept: in the database.
   */
  decide(
    facts: ParcelFacts,
    context: { trigger: DecisionTrigger; receivedAtMs: number; nowMs: number },
  ): { decision: DecisionDraft; hits: RuleHit[] } {
    const parcelId = facts.parcelId!;
    const office = officeOf(facts.officeCode);
    const day = officeDay(context.nowMs, this.budgets.dayOffsetMinutes);

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
    if (risk.reasons.length > 0)
      reasons.push(reason('engine.model_signals', { model: modelVersion, signals: risk.reasons.join('; ') }));
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
    return { decision, hits };
  }
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
