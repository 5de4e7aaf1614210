import { fieldsByName, type FieldDefinition, type ListKind, type ValueType } from './rule-fields.js';
import type { Expression, RuleProblem } from './rule-syntax.js';

/** What the checker needs to know about the world: the lists that exist and what each holds. */
export interface CheckEnvironment {
  lists: ReadonlyMap<string, ListKind>;
  fields?: ReadonlyMap<string, FieldDefinition>;
}

/** A rule that passed the checker, with what it reads (the compiler and the pre-filter use this). */
export interface CheckedRule {
  expression: Expression;
  fields: string[];
  lists: string[];
  /** The rule reads line fields, so it holds when one line satisfies it. */
  usesLines: boolean;
}

export type CheckResult = { ok: true; rule: CheckedRule } | { ok: false; problems: RuleProblem[] };

/**
 * Type-checks a parsed rule: every field exists, every operator gets operands of the right type,
 * every list exists and holds the kind of value it is matched with, and the rule is a condition
 * (boolean). Reports every problem it finds, each with its span.
 */
export function checkRule(expression: Expression, environment: CheckEnvironment): CheckResult {
  const fields = environment.fields ?? fieldsByName;
  const problems: RuleProblem[] = [];
  const usedFields = new Set<string>();
  const usedLists = new Set<string>();
  let usesLines = false;

  /** Returns the type of the expression, or undefined when it is wrong (already reported). */
  const typeOf = (node: Expression): ValueType | undefined => {
    switch (node.kind) {
      case 'literal':
        return node.type;
      case 'field': {
        const field = fields.get(node.name);
        if (!field) {
          const suggestion = closestName(node.name, [...fields.keys()]);
          problems.push({
            message: `unknown field "${node.name}"${suggestion ? `; did you mean "${suggestion}"?` : ''}`,
            span: node.span,
          });
          return undefined;
        }
        usedFields.add(field.name);
        if (field.scope === 'line') usesLines = true;
        return field.type;
      }
      case 'not': {
        expect(node.operand, 'boolean', 'not applies to a condition');
        return 'boolean';
      }
      case 'negate': {
        expect(node.operand, 'number', 'a minus sign applies to a number');
        return 'number';
      }
      case 'logical': {
        expect(node.left, 'boolean', `${node.operator} joins conditions`);
        expect(node.right, 'boolean', `${node.operator} joins conditions`);
        return 'boolean';
      }
      case 'arithmetic': {
        expect(node.left, 'number', `${node.operator} works on numbers`);
        expect(node.right, 'number', `${node.operator} works on numbers`);
        if (node.operator === '/' && node.right.kind === 'literal' && node.right.value === 0)
          problems.push({ message: 'division by zero', span: node.right.span });
        return 'number';
      }
      case 'compare': {
        const left = typeOf(node.left);
        const right = typeOf(node.right);
        if (left && right && left !== right) {
          problems.push({
            message: `cannot compare ${article(left)} with ${article(right)}`,
            span: node.span,
          });
        } else if (left === 'boolean' && node.operator !== '=' && node.operator !== '!=') {
          problems.push({
            message: `${node.operator} does not apply to true/false values; use = or !=`,
            span: node.span,
          });
        }
        return 'boolean';
      }
      case 'text': {
        expect(node.subject, 'string', `${node.operator} works on text`);
        expect(node.pattern, 'string', `${node.operator} needs a text value`);
        return 'boolean';
      }
      case 'inSet': {
        const subject = typeOf(node.subject);
        for (const item of node.items) {
          if (item.kind !== 'literal') {
            problems.push({ message: 'a list of values holds literal values only', span: item.span });
            continue;
          }
          if (subject && item.type !== subject)
            problems.push({
              message: `${article(item.type)} in a list compared with ${article(subject)}`,
              span: item.span,
            });
        }
        return 'boolean';
      }
      case 'inList': {
        const subject = typeOf(node.subject);
        const listKind = environment.lists.get(node.list);
        if (listKind === undefined) {
          const suggestion = closestName(node.list, [...environment.lists.keys()]);
          problems.push({
            message: `no watchlist named "${node.list}"${suggestion ? `; did you mean "${suggestion}"?` : ''}`,
            span: node.listSpan,
          });
          return 'boolean';
        }
        usedLists.add(node.list);
        if (subject === undefined) return 'boolean';
        const field = node.subject.kind === 'field' ? fields.get(node.subject.name) : undefined;
        if (!field) {
          problems.push({ message: 'only a field can be looked up in a watchlist', span: node.subject.span });
        } else if (!field.listKind) {
          problems.push({
            message: `field ${field.name} cannot be looked up in a watchlist`,
            span: node.subject.span,
          });
        } else if (field.listKind !== listKind) {
          problems.push({
            message: `watchlist "${node.list}" holds ${listKind} entries, but ${field.name} is a ${field.listKind} value`,
            span: node.span,
          });
        }
        return 'boolean';
      }
      case 'presence': {
        if (node.subject.kind !== 'field')
          problems.push({ message: 'is missing / is present applies to a field', span: node.subject.span });
        typeOf(node.subject);
        return 'boolean';
      }
    }
  };

  const expect = (node: Expression, wanted: ValueType, why: string) => {
    const actual = typeOf(node);
    if (actual && actual !== wanted)
      problems.push({ message: `${why}; this is ${article(actual)}`, span: node.span });
  };

  const rootType = typeOf(expression);
  if (rootType && rootType !== 'boolean')
    problems.push({
      message: `a rule must be a condition (true or false), but this is ${article(rootType)}`,
      span: expression.span,
    });
  if (problems.length > 0)
    return { ok: false, problems: problems.sort((a, b) => a.span.offset - b.span.offset) };
  return { ok: true, rule: { expression, fields: [...usedFields], lists: [...usedLists], usesLines } };
}

function article(type: ValueType): string {
  return type === 'boolean' ? 'a condition (true/false)' : type === 'number' ? 'a number' : 'a text value';
}

/** The known name nearest to a misspelt one, when it is near enough to be a likely typo. */
export function closestName(name: string, candidates: readonly string[]): string | undefined {
  let best: string | undefined;
  let bestDistance = Infinity;
  const lower = name.toLowerCase();
  for (const candidate of candidates) {
    const distance = editDistance(lower, candidate.toLowerCase());
    if (distance < bestDistance) {
      best = candidate;
      bestDistance = distance;
    }
  }
  return best !== undefined && bestDistance <= Math.max(2, Math.floor(name.length / 3)) ? best : undefined;
}

function editDistance(a: string, b: string): number {
  const previous = Array.from({ length: b.length + 1 }, (_, index) => index);
  for (let i = 1; i <= a.length; i++) {
    let diagonal = previous[0]!;
    previous[0] = i;
    for (let j = 1; j <= b.length; j++) {
      const above = previous[j]!;
      previous[j] = Math.min(
        previous[j]! + 1,
        previous[j - 1]! + 1,
        diagonal + (a[i - 1] === b[j - 1] ? 0 : 1),
      );
      diagonal = above;
    }
  }
  return previous[b.length]!;
}
