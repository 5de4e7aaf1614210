import type { Actor } from '../../platform/auth/actor.js';
import { describeActor, isOfficer } from '../../platform/auth/actor.js';
import { TargetingError } from './targeting.errors.js';
import type { RuleRow } from './targeting.repository.js';

/** Analysts manage targeting settings; data analysts may read them. */
export function requireAnalyst(actor: Actor, readOnly = false): void {
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

/** A rule is changed by its owner or an administrator. */
export function requireOwner(actor: Actor, rule: RuleRow): void {
  const administrator =
    actor.kind === 'system' || (actor.kind === 'officer' && actor.roles.includes('administrator'));
  if (!administrator && rule.owner !== describeActor(actor))
    throw new TargetingError(
      'not_rule_owner',
      `Rule ${rule.id} belongs to ${rule.owner}; ask its owner or an administrator`,
    );
}
