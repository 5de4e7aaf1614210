import type { LineFacts, ParcelFacts } from './parcel-facts.js';
import type { CheckedRule } from './rule-checker.js';
import { fieldsByName, type FieldDefinition, type FieldValue } from './rule-fields.js';
import type { Expression } from './rule-syntax.js';
import type { WatchlistIndex } from './watchlist-index.js';

/**
 * A compiled node: reads the facts (and the current line, for line fields) and returns a value.
 * Conditions use three-valued logic, as SQL does: `undefined` means unknown (a field is missing), so
 * `origin = "CN"` and `not origin = "CN"` are both unknown for a parcel without an origin, and a rule
 * hits only when its condition is true.
 */
type Compiled = (facts: ParcelFacts, line: LineFacts | undefined, nowMs: number) => FieldValue;

/** A rule turned into a closure: true when the parcel matches (for line rules: when one line does). */
export type RulePredicate = (facts: ParcelFacts, nowMs: number) => boolean;

/** Compiles a checked rule to nested closures; lists are looked up through the index's Maps. */
export function compileRule(rule: CheckedRule, lists: WatchlistIndex): RulePredicate {
  const condition = compileNode(rule.expression, lists);
  if (!rule.usesLines) return (facts, nowMs) => condition(facts, undefined, nowMs) === true;
  return (facts, nowMs) => {
    const lines = facts.lines;
    for (let index = 0; index < lines.length; index++) {
      if (condition(facts, lines[index], nowMs) === true) return true;
    }
    return false;
  };
}

function fieldOf(name: string): FieldDefinition {
  const field = fieldsByName.get(name);
  if (!field) throw new Error(`compileRule: unknown field ${name} (the rule was not checked)`);
  return field;
}

function compileNode(node: Expression, lists: WatchlistIndex): Compiled {
  switch (node.kind) {
    case 'literal': {
      const value = node.value;
      return () => value;
    }
    case 'field':
      return fieldOf(node.name).read;
    case 'not': {
      const operand = compileNode(node.operand, lists);
      return (facts, line, nowMs) => {
        const value = operand(facts, line, nowMs);
        return value === undefined ? undefined : !value;
      };
    }
    case 'negate': {
      const operand = compileNode(node.operand, lists);
      return (facts, line, nowMs) => {
        const value = operand(facts, line, nowMs);
        return value === undefined ? undefined : -(value as number);
      };
    }
    case 'logical': {
      const left = compileNode(node.left, lists);
      const right = compileNode(node.right, lists);
      if (node.operator === 'and') {
        return (facts, line, nowMs) => {
          const a = left(facts, line, nowMs);
          if (a === false) return false;
          const b = right(facts, line, nowMs);
          if (b === false) return false;
          return a === undefined || b === undefined ? undefined : true;
        };
      }
      return (facts, line, nowMs) => {
        const a = left(facts, line, nowMs);
        if (a === true) return true;
        const b = right(facts, line, nowMs);
        if (b === true) return true;
        return a === undefined || b === undefined ? undefined : false;
      };
    }
    case 'arithmetic': {
      const left = compileNode(node.left, lists);
      const right = compileNode(node.right, lists);
      const apply = arithmetic[node.operator];
      return (facts, line, nowMs) => {
        const a = left(facts, line, nowMs);
        if (a === undefined) return undefined;
        const b = right(facts, line, nowMs);
        if (b === undefined) return undefined;
        const result = apply(a as number, b as number);
        return Number.isFinite(result) ? result : undefined;
      };
    }
    case 'compare': {
      const compare = comparison[node.operator];
      // The common shape `field <op> literal` reads the field directly: one closure call less.
      if (node.right.kind === 'literal' && node.left.kind === 'field') {
        const read = fieldOf(node.left.name).read;
        const constant = node.right.value;
        return (facts, line) => {
          const a = read(facts, line);
          return a === undefined ? undefined : compare(a, constant);
        };
      }
      const left = compileNode(node.left, lists);
      const right = compileNode(node.right, lists);
      return (facts, line, nowMs) => {
        const a = left(facts, line, nowMs);
        if (a === undefined) return undefined;
        const b = right(facts, line, nowMs);
        return b === undefined ? undefined : compare(a, b);
      };
    }
    case 'text': {
      const subject = compileNode(node.subject, lists);
      if (node.pattern.kind === 'literal') {
        const needle = String(node.pattern.value).toLowerCase();
        if (node.operator === 'contains') {
          return (facts, line, nowMs) => {
            const value = subject(facts, line, nowMs);
            return value === undefined ? undefined : (value as string).toLowerCase().includes(needle);
          };
        }
        return (facts, line, nowMs) => {
          const value = subject(facts, line, nowMs);
          return value === undefined ? undefined : (value as string).toLowerCase().startsWith(needle);
        };
      }
      const pattern = compileNode(node.pattern, lists);
      return (facts, line, nowMs) => {
        const value = subject(facts, line, nowMs);
        const needle = pattern(facts, line, nowMs);
        if (value === undefined || needle === undefined) return undefined;
        const haystack = (value as string).toLowerCase();
        const wanted = (needle as string).toLowerCase();
        return node.operator === 'contains' ? haystack.includes(wanted) : haystack.startsWith(wanted);
      };
    }
    case 'inSet': {
      const subject = compileNode(node.subject, lists);
      const members = new Set(node.items.map((item) => (item.kind === 'literal' ? item.value : undefined)));
      const negated = node.negated;
      return (facts, line, nowMs) => {
        const value = subject(facts, line, nowMs);
        return value === undefined ? undefined : members.has(value) !== negated;
      };
    }
    case 'inList': {
      const subject = compileNode(node.subject, lists);
      const isMember = lists.matcher(node.list);
      const negated = node.negated;
      return (facts, line, nowMs) => {
        const value = subject(facts, line, nowMs);
        return value === undefined ? undefined : isMember(value as string, nowMs) !== negated;
      };
    }
    case 'presence': {
      const subject = compileNode(node.subject, lists);
      const present = node.present;
      return (facts, line, nowMs) => (subject(facts, line, nowMs) !== undefined) === present;
    }
  }
}

const arithmetic: Record<'+' | '-' | '*' | '/', (a: number, b: number) => number> = {
  '+': (a, b) => a + b,
  '-': (a, b) => a - b,
  '*': (a, b) => a * b,
  '/': (a, b) => a / b,
};

const comparison: Record<
  '=' | '!=' | '<' | '<=' | '>' | '>=',
  (a: NonNullable<FieldValue>, b: NonNullable<FieldValue>) => boolean
> = {
  '=': (a, b) => a === b,
  '!=': (a, b) => a !== b,
  '<': (a, b) => a < b,
  '<=': (a, b) => a <= b,
  '>': (a, b) => a > b,
  '>=': (a, b) => a >= b,
};

/** A condition a rule cannot hit without: its field equals one of `values`, or is in watchlist `list`. */
export type IndexableConstraint =
  { field: string; values: string[]; list?: undefined } | { field: string; list: string; values?: undefined };

/**
 * The most selective condition a rule cannot hit without (a top-level `field = "text"`,
 * `field in [...]` or `field in list "name"` conjunct), used to index rules by what they need;
 * undefined when the rule has no such conjunct.
 */
export function indexableConstraint(expression: Expression): IndexableConstraint | undefined {
  const conjuncts: Expression[] = [];
  const collect = (node: Expression) => {
    if (node.kind === 'logical' && node.operator === 'and') {
      collect(node.left);
      collect(node.right);
    } else conjuncts.push(node);
  };
  collect(expression);
  let best: (IndexableConstraint & { rank: number }) | undefined;
  for (const node of conjuncts) {
    let candidate: IndexableConstraint | undefined;
    if (node.kind === 'compare' && node.operator === '=') {
      const [field, literal] = node.left.kind === 'field' ? [node.left, node.right] : [node.right, node.left];
      if (field.kind === 'field' && literal.kind === 'literal' && literal.type === 'string')
        candidate = { field: field.name, values: [literal.value] };
    } else if (
      node.kind === 'inSet' &&
      !node.negated &&
      node.subject.kind === 'field' &&
      node.items.every((item) => item.kind === 'literal' && item.type === 'string')
    ) {
      candidate = {
        field: node.subject.name,
        values: node.items.map((item) => String((item as { value: unknown }).value)),
      };
    } else if (node.kind === 'inList' && !node.negated && node.subject.kind === 'field') {
      candidate = { field: node.subject.name, list: node.list };
    }
    if (!candidate || !fieldsByName.has(candidate.field)) continue;
    // Fewer accepted values and more distinct field values mean fewer candidate parcels; a watchlist
    // holds a small share of all sellers, buyers or addresses, so membership is selective too.
    const rank =
      candidate.list !== undefined
        ? LIST_SELECTIVITY
        : (selectivity[candidate.field] ?? 1) / candidate.values.length;
    if (!best || rank > best.rank) best = { ...candidate, rank };
  }
  if (!best) return undefined;
  return best.list !== undefined
    ? { field: best.field, list: best.list }
    : { field: best.field, values: best.values! };
}

const LIST_SELECTIVITY = 300;

const selectivity: Record<string, number> = {
  trackingNumber: 1000,
  'buyer.pccc': 500,
  'seller.id': 400,
  'buyer.address': 400,
  'delivery.address': 400,
  'line.hs6': 200,
  'sender.name': 100,
  'line.hsChapter': 50,
  declarant: 30,
  carrier: 20,
  'line.origin': 20,
  'sender.country': 20,
  'seller.country': 20,
  office: 10,
};
