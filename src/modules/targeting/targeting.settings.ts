import { defaultBudgetSettings, type BudgetSettings, type CarrierRiskLevel } from './domain/budget-policy.js';
import type { ListKind } from './domain/rule-fields.js';
import { prepareRule } from './domain/rule-language.js';
import { RuleSet, type RuleVersionSpec } from './domain/rule-set.js';
import type { TargetingEngine } from './domain/targeting-engine.js';
import type { WatchlistIndex } from './domain/watchlist-index.js';
import type { TargetingRepository } from './targeting.repository.js';

interface Logger {
  error(object: unknown, message?: string): void;
}

/**
 * The analysts' settings (watchlists, active rules, budgets, carrier levels) compiled in this
 * process's memory, where decisions read them at memory speed. Any process may change them (an api
 * process takes the analyst's request, worker processes decide): every change moves the database's
 * settings version in its own transaction, and `refresh`, called before each decision batch, reloads
 * when the version moved. A batch therefore decides with settings no older than its start.
 */
export class TargetingSettings {
  private loadedVersion = -1;
  private refreshing: Promise<void> | undefined;

  constructor(
    private readonly repository: TargetingRepository,
    private readonly engine: TargetingEngine,
    readonly lists: WatchlistIndex,
    readonly baseBudgets: BudgetSettings,
    private readonly logger?: Logger,
  ) {}

  /** Loads everything; the version is read first, so a change committed meanwhile is loaded again later. */
  async load(): Promise<void> {
    const version = await this.repository.settingsVersion();
    await this.reloadLists();
    await this.reloadBudgets();
    await this.reloadRules();
    this.loadedVersion = version;
  }

  /**
   * Reloads when any process changed a setting since the last load: one small query when none did, and
   * none when the caller read the version itself (`statesAndSettingsVersion`, with its own reads).
   */
  async refresh(knownVersion?: number): Promise<void> {
    this.refreshing ??= (async () => {
      try {
        const version = knownVersion ?? (await this.repository.settingsVersion());
        if (version !== this.loadedVersion) await this.load();
      } finally {
        this.refreshing = undefined;
      }
    })();
    return this.refreshing;
  }

  async reloadLists(): Promise<void> {
    const byList = new Map<
      string,
      { kind: ListKind; values: { value: string; expiresAtMs: number | null }[] }
    >();
    for (const entry of await this.repository.allEntries()) {
      const list = byList.get(entry.name) ?? { kind: entry.kind, values: [] };
      if (entry.value !== null)
        list.values.push({
          value: entry.value,
          expiresAtMs: entry.expiresAt ? entry.expiresAt.getTime() : null,
        });
      byList.set(entry.name, list);
    }
    for (const name of [...this.lists.kinds().keys()]) if (!byList.has(name)) this.lists.removeList(name);
    for (const [name, list] of byList) this.lists.setList(name, list.kind, list.values);
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

  async reloadBudgets(): Promise<void> {
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
}
