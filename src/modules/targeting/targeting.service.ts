import type { AuditTrail } from '../../platform/auth/audit-trail.js';
import type { JobQueue } from '../../platform/jobs/job-queue.js';
import type { ParcelFactsSource } from './adapters/intake-read-model.js';
import { defaultBudgetSettings, type BudgetSettings } from './domain/budget-policy.js';
import type { UsdConverter } from './domain/declaration-checks.js';
import { defaultSelectionPolicy, type SelectionPolicy } from './domain/lane-decision.js';
import { HeuristicScorer, type ListClearanceLimit, type RiskScorer } from './domain/risk-scorer.js';
import { RuleSet } from './domain/rule-set.js';
import { TargetingEngine, type DecisionDraft } from './domain/targeting-engine.js';
import { WatchlistIndex } from './domain/watchlist-index.js';
import { BudgetService } from './budgets.service.js';
import { DecisionService } from './decisions.service.js';
import { RuleService } from './rules.service.js';
import type { TargetingRepository } from './targeting.repository.js';
import { TargetingSettings } from './targeting.settings.js';
import { WatchlistService } from './watchlists.service.js';

export { DRY_RUN_JOB } from './rules.service.js';
export type { RuleInput, RuleView, DryRunInput, DryRunResult } from './rules.service.js';
export type { NewInformation, QueuePage, DecisionView } from './decisions.service.js';

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
  /** Told of every batch of decisions once committed. */
  onDecisionsWritten?: (decisions: readonly DecisionDraft[]) => void;
  /** Converts declared values into US dollars for the product-class price ranges (default: approximate rates). */
  toUsd?: UsdConverter;
}

/**
 * Targeting's use cases in one place for the routes and the other modules: decisions
 * (decisions.service.ts), rules and dry runs (rules.service.ts), watchlists (watchlists.service.ts),
 * budgets and carrier levels (budgets.service.ts), over one engine and one in-memory copy of the
 * analysts' settings (targeting.settings.ts) that follows the database whichever process changes it.
 */
export class TargetingService {
  readonly ready: Promise<void>;
  readonly decisions: DecisionService;
  readonly rules: RuleService;
  readonly watchlists: WatchlistService;
  readonly budgets: BudgetService;

  /** Replaceable (a benchmark measures intake without targeting). */
  onIntakeStored: DecisionService['onIntakeStored'];
  readonly onNewInformation: DecisionService['onNewInformation'];
  readonly receiveInformation: DecisionService['receiveInformation'];
  readonly decideParcels: DecisionService['decideParcels'];
  readonly getDecision: DecisionService['getDecision'];
  readonly getDecisionHistory: DecisionService['getDecisionHistory'];
  readonly override: DecisionService['override'];
  readonly queue: DecisionService['queue'];
  readonly laneCountsByDay: DecisionService['laneCountsByDay'];
  readonly listRules: RuleService['listRules'];
  readonly getRule: RuleService['getRule'];
  readonly validateRule: RuleService['validateRule'];
  readonly createRule: RuleService['createRule'];
  readonly updateRule: RuleService['updateRule'];
  readonly setRuleStatus: RuleService['setRuleStatus'];
  readonly requestDryRun: RuleService['requestDryRun'];
  readonly dryRun: RuleService['dryRun'];
  readonly listWatchlists: WatchlistService['listWatchlists'];
  readonly createWatchlist: WatchlistService['createWatchlist'];
  readonly addWatchlistEntries: WatchlistService['addWatchlistEntries'];
  readonly removeWatchlistEntry: WatchlistService['removeWatchlistEntry'];
  readonly watchlistEntries: WatchlistService['watchlistEntries'];
  readonly getBudgets: BudgetService['getBudgets'];
  readonly setBudget: BudgetService['setBudget'];
  readonly setCarrierRisk: BudgetService['setCarrierRisk'];

  constructor(dependencies: TargetingServiceDependencies) {
    const { repository, facts, jobs, audit } = dependencies;
    const clock = dependencies.clock ?? Date.now;
    const policy = dependencies.policy ?? defaultSelectionPolicy;
    const baseBudgets = { ...defaultBudgetSettings, ...dependencies.budgets };
    const fallbackScorer = new HeuristicScorer(dependencies.listClearanceLimitUsd);
    const lists = new WatchlistIndex();
    const engine = new TargetingEngine(
      dependencies.scorer ?? fallbackScorer,
      fallbackScorer,
      new RuleSet([], lists),
      baseBudgets,
      policy,
      { listClearanceLimitUsd: dependencies.listClearanceLimitUsd, toUsd: dependencies.toUsd },
    );
    const settings = new TargetingSettings(repository, engine, lists, baseBudgets, dependencies.logger);
    this.ready = (async () => {
      await settings.load();
      // The value norms start from the latest stored lines and then follow every arriving parcel.
      engine.learnValues(await facts.latestLines(dependencies.normSeedLines ?? 20_000));
    })();
    this.decisions = new DecisionService({
      repository,
      facts,
      engine,
      settings,
      fallbackScorer,
      ready: this.ready,
      audit,
      clock,
      onDecisionsWritten: dependencies.onDecisionsWritten,
    });
    this.rules = new RuleService({
      repository,
      facts,
      jobs,
      settings,
      policy,
      ready: this.ready,
      audit,
      clock,
    });
    this.watchlists = new WatchlistService(repository, settings, this.ready, audit);
    this.budgets = new BudgetService(repository, settings, audit);

    const { decisions, rules, watchlists, budgets } = this;
    this.onIntakeStored = decisions.onIntakeStored.bind(decisions);
    this.onNewInformation = decisions.onNewInformation.bind(decisions);
    this.receiveInformation = decisions.receiveInformation.bind(decisions);
    this.decideParcels = decisions.decideParcels.bind(decisions);
    this.getDecision = decisions.getDecision.bind(decisions);
    this.getDecisionHistory = decisions.getDecisionHistory.bind(decisions);
    this.override = decisions.override.bind(decisions);
    this.queue = decisions.queue.bind(decisions);
    this.laneCountsByDay = decisions.laneCountsByDay.bind(decisions);
    this.listRules = rules.listRules.bind(rules);
    this.getRule = rules.getRule.bind(rules);
    this.validateRule = rules.validateRule.bind(rules);
    this.createRule = rules.createRule.bind(rules);
    this.updateRule = rules.updateRule.bind(rules);
    this.setRuleStatus = rules.setRuleStatus.bind(rules);
    this.requestDryRun = rules.requestDryRun.bind(rules);
    this.dryRun = rules.dryRun.bind(rules);
    this.listWatchlists = watchlists.listWatchlists.bind(watchlists);
    this.createWatchlist = watchlists.createWatchlist.bind(watchlists);
    this.addWatchlistEntries = watchlists.addWatchlistEntries.bind(watchlists);
    this.removeWatchlistEntry = watchlists.removeWatchlistEntry.bind(watchlists);
    this.watchlistEntries = watchlists.watchlistEntries.bind(watchlists);
    this.getBudgets = budgets.getBudgets.bind(budgets);
    this.setBudget = budgets.setBudget.bind(budgets);
    this.setCarrierRisk = budgets.setCarrierRisk.bind(budgets);
  }

  /** Plugs in the risk model (or back to the heuristics with undefined). */
  setScorer(scorer: RiskScorer | undefined): void {
    this.decisions.setScorer(scorer);
  }

  get modelVersion(): string {
    return this.decisions.modelVersion;
  }
}
