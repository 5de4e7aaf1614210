import { checkRule, type CheckedRule, type CheckEnvironment } from './rule-checker.js';
import { parseRule } from './rule-parser.js';
import { RuleSyntaxError, type RuleProblem } from './rule-syntax.js';

export type PreparedRule = { ok: true; rule: CheckedRule } | { ok: false; problems: RuleProblem[] };

/** Parses and type-checks rule text: the one gate every rule passes before it is stored or run. */
export function prepareRule(source: string, environment: CheckEnvironment): PreparedRule {
  try {
    return checkRule(parseRule(source), environment);
  } catch (error) {
    if (error instanceof RuleSyntaxError) return { ok: false, problems: [error.problem] };
    throw error;
  }
}
