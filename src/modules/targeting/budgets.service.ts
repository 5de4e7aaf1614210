import type { Actor } from '../../platform/auth/actor.js';
import { describeActor } from '../../platform/auth/actor.js';
import type { AuditTrail } from '../../platform/auth/audit-trail.js';
import type { BudgetSettings, CarrierRiskLevel, HeldLane } from './domain/budget-policy.js';
import { requireAnalyst } from './targeting.access.js';
import type { TargetingRepository } from './targeting.repository.js';
import type { TargetingSettings } from './targeting.settings.js';

/**
 * Lane budgets per office (expected share and daily cap) and carriers' risk levels. A change reaches
 * every deciding process through the settings version (targeting.settings.ts); the daily caps are
 * enforced in the database (decisions.service.ts, `commit`).
 */
export class BudgetService {
  constructor(
    private readonly repository: TargetingRepository,
    private readonly settings: TargetingSettings,
    private readonly audit?: AuditTrail,
  ) {}

  async getBudgets(actor: Actor): Promise<{
    budgets: Awaited<ReturnType<TargetingRepository['budgets']>>;
    carriers: Awaited<ReturnType<TargetingRepository['carrierRisks']>>;
    defaults: BudgetSettings;
  }> {
    requireAnalyst(actor, true);
    return {
      budgets: await this.repository.budgets(),
      carriers: await this.repository.carrierRisks(),
      defaults: this.settings.baseBudgets,
    };
  }

  async setBudget(
    actor: Actor,
    budget: { officeCode: string; lane: HeldLane; expectedRate: number; dailyCapacity: number | null },
  ): Promise<void> {
    requireAnalyst(actor);
    await this.repository.setBudget(budget, describeActor(actor));
    await this.audit?.append({
      actor,
      action: 'targeting.budget_changed',
      subject: `office:${budget.officeCode}`,
      details: budget,
    });
    await this.settings.reloadBudgets();
  }

  async setCarrierRisk(
    actor: Actor,
    carrierCode: string,
    level: CarrierRiskLevel,
    note?: string | null,
  ): Promise<void> {
    requireAnalyst(actor);
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
    await this.settings.reloadBudgets();
  }
}
