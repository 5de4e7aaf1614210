import type { ParcelFacts } from './parcel-facts.js';
import { compileRule, indexableConstraint, type RulePredicate } from './rule-compiler.js';
import type { CheckedRule } from './rule-checker.js';
import { fieldsByName, type FieldDefinition } from './rule-fields.js';
import type { WatchlistIndex } from './watchlist-index.js';

export type RuleLane = 'yellow' | 'red' | 'blue';

/** One active version of a rule, as the engine runs it. */
export interface RuleVersionSpec {
  ruleId: number;
  version: number;
  name: string;
  lane: RuleLane;
  xrayReferral: boolean;
  /** Share of hits that get the lane (ASYCUDA's "red 30 %"), 1..100. */
  selectionPercent: number;
  /** Hits of mandatory rules are never moved to another lane by capacity limits. */
  mandatory: boolean;
  /** Validity period in ms since epoch; null is open-ended. */
  validFromMs: number | null;
  validToMs: number | null;
  checked: CheckedRule;
}

export interface RuleHit {
  ruleId: number;
  version: number;
  name: string;
  lane: RuleLane;
  xrayReferral: boolean;
  selectionPercent: number;
  mandatory: boolean;
  /** The rule looks parcels up in a watchlist: the queue says "list" rather than "rule". */
  usesLists: boolean;
}

interface LoadedRule {
  spec: RuleVersionSpec;
  hit: RuleHit;
  predicate: RulePredicate;
}

/**
 * The active rules, compiled, with a pre-filter: a rule that needs `field = "value"` (or
 * `field in [...]`) is filed under that value and is evaluated only for parcels that have it, so the
 * cost per parcel grows with the rules that could hit, not with all rules.
 */
export class RuleSet {
  private readonly rules: LoadedRule[] = [];
  private readonly unindexed: number[] = [];
  private readonly buckets = new Map<string, { field: FieldDefinition; byValue: Map<string, number[]> }>();
  /** Rules filed under a watchlist lookup: checked once per parcel, whatever the number of rules. */
  private readonly listBuckets = new Map<
    string,
    { field: FieldDefinition; isMember: (value: string, nowMs: number) => boolean; rules: number[] }
  >();
  private readonly seen: Uint32Array;
  private epoch = 0;

  constructor(
    specs: readonly RuleVersionSpec[],
    lists: WatchlistIndex,
    options: { prefilter?: boolean } = {},
  ) {
    const prefilter = options.prefilter ?? true;
    for (const spec of specs) {
      const index = this.rules.length;
      this.rules.push({
        spec,
        predicate: compileRule(spec.checked, lists),
        hit: {
          ruleId: spec.ruleId,
          version: spec.version,
          name: spec.name,
          lane: spec.lane,
          xrayReferral: spec.xrayReferral,
          selectionPercent: spec.selectionPercent,
          mandatory: spec.mandatory,
          usesLists: spec.checked.lists.length > 0,
        },
      });
      const constraint = prefilter ? indexableConstraint(spec.checked.expression) : undefined;
      if (!constraint) {
        this.unindexed.push(index);
        continue;
      }
      if (constraint.list !== undefined) {
        const key = `${constraint.field}\u0000${constraint.list}`;
        let listBucket = this.listBuckets.get(key);
        if (!listBucket) {
          listBucket = {
            field: fieldsByName.get(constraint.field)!,
            isMember: lists.matcher(constraint.list),
            rules: [],
          };
          this.listBuckets.set(key, listBucket);
        }
        listBucket.rules.push(index);
        continue;
      }
      let bucket = this.buckets.get(constraint.field);
      if (!bucket) {
        bucket = { field: fieldsByName.get(constraint.field)!, byValue: new Map() };
        this.buckets.set(constraint.field, bucket);
      }
      for (const value of new Set(constraint.values)) {
        const list = bucket.byValue.get(value);
        if (list) list.push(index);
        else bucket.byValue.set(value, [index]);
      }
    }
    this.seen = new Uint32Array(this.rules.length);
  }

  get size(): number {
    return this.rules.length;
  }

  /** How many rules are filed under a value (the rest run for every parcel). */
  get indexedCount(): number {
    return this.rules.length - this.unindexed.length;
  }

  /** The rules that hit the parcel at `nowMs`, in rule order. */
  evaluate(facts: ParcelFacts, nowMs: number): RuleHit[] {
    const hits: RuleHit[] = [];
    const run = (index: number) => {
      const rule = this.rules[index]!;
      const spec = rule.spec;
      if (
        (spec.validFromMs !== null && nowMs < spec.validFromMs) ||
        (spec.validToMs !== null && nowMs >= spec.validToMs)
      )
        return;
      if (rule.predicate(facts, nowMs)) hits.push(rule.hit);
    };
    for (const index of this.unindexed) run(index);
    if (this.buckets.size === 0 && this.listBuckets.size === 0) return hits;
    // A fresh epoch marks the rules already run for this parcel (two lines with one HS code, say).
    this.epoch = this.epoch === 0xffffffff ? 1 : this.epoch + 1;
    if (this.epoch === 1) this.seen.fill(0);
    const epoch = this.epoch;
    for (const bucket of this.buckets.values()) {
      const field = bucket.field;
      if (field.scope === 'parcel') {
        const value = field.read(facts, undefined);
        if (typeof value !== 'string') continue;
        const candidates = bucket.byValue.get(value);
        if (candidates)
          for (const index of candidates)
            if (this.seen[index] !== epoch) {
              this.seen[index] = epoch;
              run(index);
            }
      } else {
        for (const line of facts.lines) {
          const value = field.read(facts, line);
          if (typeof value !== 'string') continue;
          const candidates = bucket.byValue.get(value);
          if (candidates)
            for (const index of candidates)
              if (this.seen[index] !== epoch) {
                this.seen[index] = epoch;
                run(index);
              }
        }
      }
    }
    for (const bucket of this.listBuckets.values()) {
      const field = bucket.field;
      let member = false;
      if (field.scope === 'parcel') {
        const value = field.read(facts, undefined);
        member = typeof value === 'string' && bucket.isMember(value, nowMs);
      } else {
        for (const line of facts.lines) {
          const value = field.read(facts, line);
          if (typeof value === 'string' && bucket.isMember(value, nowMs)) {
            member = true;
            break;
          }
        }
      }
      if (member)
        for (const index of bucket.rules)
          if (this.seen[index] !== epoch) {
            this.seen[index] = epoch;
            run(index);
          }
    }
    if (hits.length > 1) hits.sort((a, b) => a.ruleId - b.ruleId);
    return hits;
  }
}
