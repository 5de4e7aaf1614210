import type { Actor } from '../../platform/auth/actor.js';
import { describeActor } from '../../platform/auth/actor.js';
import type { AuditTrail } from '../../platform/auth/audit-trail.js';
import type { JobQueue } from '../../platform/jobs/job-queue.js';
import type { ParcelFactsSource } from './adapters/intake-read-model.js';
import { draw, type SelectionPolicy } from './domain/lane-decision.js';
import { applyUnitValueNorms, type ParcelFacts, type UnitValueNorms } from './domain/parcel-facts.js';
import { prepareRule } from './domain/rule-language.js';
import { RuleSet, type RuleLane, type RuleVersionSpec } from './domain/rule-set.js';
import { describeProblem, type RuleProblem } from './domain/rule-syntax.js';
import { requireAnalyst, requireOwner } from './targeting.access.js';
import { TargetingError } from './targeting.errors.js';
import type {
  ParcelInformation,
  RuleRow,
  RuleVersionRow,
  TargetingRepository,
} from './targeting.repository.js';
import type { TargetingSettings } from './targeting.settings.js';

/** Background job kinds of this module. */
export const DRY_RUN_JOB = 'targeting.dry-run';

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

export interface RuleServiceDependencies {
  repository: TargetingRepository;
  facts: ParcelFactsSource;
  jobs: JobQueue;
  settings: TargetingSettings;
  policy: SelectionPolicy;
  /** Settles when the settings are loaded. */
  ready: Promise<void>;
  audit?: AuditTrail;
  clock: () => number;
}

const DAY_MS = 86_400_000;

/**
 * Analysts' rules: versions with owners, activation, checking of rule text, and dry runs over past
 * declarations (a background job over HTTP). A saved change reaches every deciding process through
 * the settings version (targeting.settings.ts).
 */
export class RuleService {
  private readonly repository: TargetingRepository;
  private readonly facts: ParcelFactsSource;
  private readonly jobs: JobQueue;
  private readonly settings: TargetingSettings;
  private readonly policy: SelectionPolicy;
  private readonly ready: Promise<void>;
  private readonly audit?: AuditTrail;
  private readonly clock: () => number;

  constructor(dependencies: RuleServiceDependencies) {
    this.repository = dependencies.repository;
    this.facts = dependencies.facts;
    this.jobs = dependencies.jobs;
    this.settings = dependencies.settings;
    this.policy = dependencies.policy;
    this.ready = dependencies.ready;
    this.audit = dependencies.audit;
    this.clock = dependencies.clock;
    this.jobs.register(DRY_RUN_JOB, async (payload: { input: DryRunInput }) => this.runDryRun(payload.input));
  }

  async listRules(actor: Actor): Promise<RuleView[]> {
    requireAnalyst(actor, true);
    return this.repository.listRules();
  }

  async getRule(actor: Actor, ruleId: number): Promise<RuleView> {
    requireAnalyst(actor, true);
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
    requireAnalyst(actor, true);
    await this.ready;
    const prepared = prepareRule(expression, { lists: this.settings.lists.kinds() });
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
    requireAnalyst(actor);
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
    await this.settings.reloadRules();
    return this.getRule(actor, ruleId);
  }

  /** Saves a new version of a rule (its owner or an administrator); earlier versions stay on record. */
  async updateRule(actor: Actor, ruleId: number, input: RuleInput): Promise<RuleView> {
    requireAnalyst(actor);
    const rule = await this.repository.findRule(ruleId);
    if (!rule) throw new TargetingError('rule_not_found', `No rule ${ruleId}`);
    requireOwner(actor, rule);
    const version = await this.checkedVersion(actor, input);
    const number = await this.repository.addRuleVersion(ruleId, version);
    if (input.activate) await this.repository.setRuleStatus(ruleId, 'active');
    await this.audit?.append({
      actor,
      action: 'targeting.rule_changed',
      subject: `rule:${ruleId}`,
      details: { version: number, expression: input.expression, lane: input.lane },
    });
    await this.settings.reloadRules();
    return this.getRule(actor, ruleId);
  }

  async setRuleStatus(actor: Actor, ruleId: number, status: RuleRow['status']): Promise<RuleView> {
    requireAnalyst(actor);
    const rule = await this.repository.findRule(ruleId);
    if (!rule) throw new TargetingError('rule_not_found', `No rule ${ruleId}`);
    requireOwner(actor, rule);
    if (status === 'active') {
      // Lists may have changed since the rule was saved: check again before it runs.
      const current = rule.versions.find((version) => version.version === rule.currentVersion)!;
      const prepared = prepareRule(current.expression, { lists: this.settings.lists.kinds() });
      if (!prepared.ok) throw invalidRule(current.expression, prepared.problems);
    }
    await this.repository.setRuleStatus(ruleId, status);
    await this.audit?.append({
      actor,
      action: 'targeting.rule_status_changed',
      subject: `rule:${ruleId}`,
      details: { from: rule.status, to: status },
    });
    await this.settings.reloadRules();
    return this.getRule(actor, ruleId);
  }

  private async checkedVersion(actor: Actor, input: RuleInput) {
    await this.ready;
    if (!input.name?.trim()) throw new TargetingError('invalid_rule', 'A rule needs a name');
    const prepared = prepareRule(input.expression, { lists: this.settings.lists.kinds() });
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
    requireAnalyst(actor, true);
    await this.resolveDryRunRule(input);
    return { jobId: await this.jobs.enqueue(DRY_RUN_JOB, { input }, describeActor(actor)) };
  }

  /**
   * Runs a rule (saved or not) over the declarations of the last `sinceDays` days before `asOf`:
   * how many it would have held, and how many of those were frauds, against the range's base rate.
   */
  async dryRun(actor: Actor, input: DryRunInput, onProgress?: (done: number) => void): Promise<DryRunResult> {
    requireAnalyst(actor, true);
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
    const ruleSet = new RuleSet([spec], this.settings.lists);
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
    information: ParcelInformation | undefined,
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
    const prepared = prepareRule(expression, { lists: this.settings.lists.kinds() });
    if (!prepared.ok) throw invalidRule(expression, prepared.problems);
    return { expression, lane, selectionPercent, checked: prepared.rule };
  }
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
