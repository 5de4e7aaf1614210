/**
 * Shared shapes of the rule language: source spans, tokens, the syntax tree and the error type.
 * Every node keeps its span, so that every error names the exact place in the rule text.
 */

/** A range of the rule text: 0-based offset and length, 1-based line and column of its start. */
export interface Span {
  offset: number;
  length: number;
  line: number;
  column: number;
}

export type TokenKind = 'number' | 'percent' | 'string' | 'identifier' | 'keyword' | 'operator' | 'end';

export interface Token {
  kind: TokenKind;
  /** The text as written (strings: their decoded value; numbers: as written). */
  text: string;
  span: Span;
}

export const keywords = [
  'and',
  'or',
  'not',
  'in',
  'list',
  'true',
  'false',
  'is',
  'missing',
  'present',
  'contains',
  'startswith',
] as const;

export type ComparisonOperator = '=' | '!=' | '<' | '<=' | '>' | '>=';
export type ArithmeticOperator = '+' | '-' | '*' | '/';

export type Expression =
  | { kind: 'literal'; type: 'number'; value: number; span: Span }
  | { kind: 'literal'; type: 'string'; value: string; span: Span }
  | { kind: 'literal'; type: 'boolean'; value: boolean; span: Span }
  | { kind: 'field'; name: string; span: Span }
  | { kind: 'not'; operand: Expression; span: Span }
  | { kind: 'negate'; operand: Expression; span: Span }
  | { kind: 'logical'; operator: 'and' | 'or'; left: Expression; right: Expression; span: Span }
  | { kind: 'compare'; operator: ComparisonOperator; left: Expression; right: Expression; span: Span }
  | { kind: 'arithmetic'; operator: ArithmeticOperator; left: Expression; right: Expression; span: Span }
  | {
      kind: 'text';
      operator: 'contains' | 'startswith';
      subject: Expression;
      pattern: Expression;
      span: Span;
    }
  | { kind: 'inList'; negated: boolean; subject: Expression; list: string; listSpan: Span; span: Span }
  | { kind: 'inSet'; negated: boolean; subject: Expression; items: Expression[]; span: Span }
  | { kind: 'presence'; present: boolean; subject: Expression; span: Span };

export type LiteralExpression = Extract<Expression, { kind: 'literal' }>;

/** A problem in a rule, with where it is; `message` is a sentence for the analyst. */
export interface RuleProblem {
  message: string;
  span: Span;
}

/** Thrown by the parser at the first syntax error (one precise error beats a cascade of guesses). */
export class RuleSyntaxError extends Error {
  constructor(readonly problem: RuleProblem) {
    super(`${problem.span.line}:${problem.span.column}: ${problem.message}`);
  }
}

/** `line 1, column 12: message`, with the rule line and a caret under the offending text. */
export function describeProblem(source: string, problem: RuleProblem): string {
  const lines = source.split('\n');
  const text = lines[problem.span.line - 1] ?? '';
  const caretLength = Math.max(1, Math.min(problem.span.length, text.length - problem.span.column + 1));
  return `line ${problem.span.line}, column ${problem.span.column}: ${problem.message}\n  ${text}\n  ${' '.repeat(problem.span.column - 1)}${'^'.repeat(caretLength)}`;
}

/** A span covering both spans (they are in source order). */
export function joinSpans(first: Span, last: Span): Span {
  return {
    offset: first.offset,
    line: first.line,
    column: first.column,
    length: last.offset + last.length - first.offset,
  };
}
