import { tokenize } from './rule-lexer.js';
import {
  joinSpans,
  RuleSyntaxError,
  type ComparisonOperator,
  type Expression,
  type Token,
} from './rule-syntax.js';

const comparisonOperators: ReadonlySet<string> = new Set(['=', '!=', '<', '<=', '>', '>=']);

/**
 * Parses a rule into its syntax tree (recursive descent, one function per precedence level):
 *
 *   expression := and ('or' and)*
 *   and        := not ('and' not)*
 *   not        := 'not' not | predicate
 *   predicate  := sum [ ('=' | '!=' | '<' | '<=' | '>' | '>=') sum
 *                     | ['not'] 'in' ( 'list' name | '[' sum (',' sum)* ']' )
 *                     | ('contains' | 'startswith') sum
 *                     | 'is' ['not'] ('missing' | 'present') ]
 *   sum        := product (('+' | '-') product)*
 *   product    := unary (('*' | '/') unary)*
 *   unary      := '-' unary | primary
 *   primary    := number | number '%' | text | 'true' | 'false' | field | '(' expression ')'
 *
 * Throws RuleSyntaxError with the span of the first offending token.
 */
export function parseRule(source: string): Expression {
  const parser = new Parser(tokenize(source));
  if (parser.peek().kind === 'end')
    throw new RuleSyntaxError({ message: 'the rule is empty', span: parser.peek().span });
  const expression = parser.expression();
  const rest = parser.peek();
  if (rest.kind !== 'end')
    throw new RuleSyntaxError({
      message: `unexpected ${describe(rest)} after a complete condition; join conditions with and / or`,
      span: rest.span,
    });
  return expression;
}

class Parser {
  private position = 0;

  constructor(private readonly tokens: Token[]) {}

  peek(ahead = 0): Token {
    return this.tokens[Math.min(this.position + ahead, this.tokens.length - 1)]!;
  }

  private next(): Token {
    const token = this.peek();
    if (token.kind !== 'end') this.position++;
    return token;
  }

  private isKeyword(word: string, ahead = 0): boolean {
    const token = this.peek(ahead);
    return token.kind === 'keyword' && token.text === word;
  }

  private isOperator(text: string): boolean {
    const token = this.peek();
    return token.kind === 'operator' && token.text === text;
  }

  private expectOperator(text: string, context: string): Token {
    const token = this.peek();
    if (token.kind !== 'operator' || token.text !== text)
      throw new RuleSyntaxError({
        message: `expected ${text} ${context}, found ${describe(token)}`,
        span: token.span,
      });
    return this.next();
  }

  expression(): Expression {
    let left = this.and();
    while (this.isKeyword('or')) {
      this.next();
      const right = this.and();
      left = { kind: 'logical', operator: 'or', left, right, span: joinSpans(left.span, right.span) };
    }
    return left;
  }

  private and(): Expression {
    let left = this.not();
    while (this.isKeyword('and')) {
      this.next();
      const right = this.not();
      left = { kind: 'logical', operator: 'and', left, right, span: joinSpans(left.span, right.span) };
    }
    return left;
  }

  private not(): Expression {
    if (this.isKeyword('not') && !this.isKeyword('in', 1)) {
      const keyword = this.next();
      const operand = this.not();
      return { kind: 'not', operand, span: joinSpans(keyword.span, operand.span) };
    }
    return this.predicate();
  }

  private predicate(): Expression {
    const left = this.sum();
    const token = this.peek();
    if (token.kind === 'operator' && comparisonOperators.has(token.text)) {
      this.next();
      const right = this.sum();
      return {
        kind: 'compare',
        operator: token.text as ComparisonOperator,
        left,
        right,
        span: joinSpans(left.span, right.span),
      };
    }
    if (this.isKeyword('in') || (this.isKeyword('not') && this.isKeyword('in', 1))) {
      const negated = this.isKeyword('not');
      if (negated) this.next();
      this.next();
      if (this.isKeyword('list')) {
        this.next();
        const name = this.next();
        if (name.kind !== 'string' && name.kind !== 'identifier') {
          throw new RuleSyntaxError({
            message: `expected a list name after "in list", found ${describe(name)}`,
            span: name.span,
          });
        }
        return {
          kind: 'inList',
          negated,
          subject: left,
          list: name.text,
          listSpan: name.span,
          span: joinSpans(left.span, name.span),
        };
      }
      if (!this.isOperator('[')) {
        const found = this.peek();
        throw new RuleSyntaxError({
          message: `expected "list <name>" or [values] after "in", found ${describe(found)}`,
          span: found.span,
        });
      }
      this.next();
      const items: Expression[] = [];
      if (!this.isOperator(']')) {
        items.push(this.sum());
        while (this.isOperator(',')) {
          this.next();
          items.push(this.sum());
        }
      }
      const close = this.expectOperator(']', 'to close the list of values');
      if (items.length === 0)
        throw new RuleSyntaxError({
          message: 'a list of values must hold at least one value',
          span: close.span,
        });
      return { kind: 'inSet', negated, subject: left, items, span: joinSpans(left.span, close.span) };
    }
    if (this.isKeyword('contains') || this.isKeyword('startswith')) {
      const operator = this.next().text as 'contains' | 'startswith';
      const pattern = this.sum();
      return { kind: 'text', operator, subject: left, pattern, span: joinSpans(left.span, pattern.span) };
    }
    if (this.isKeyword('is')) {
      this.next();
      let negated = false;
      if (this.isKeyword('not')) {
        this.next();
        negated = true;
      }
      const word = this.next();
      if (word.kind !== 'keyword' || (word.text !== 'missing' && word.text !== 'present')) {
        throw new RuleSyntaxError({
          message: `expected missing or present after "is", found ${describe(word)}`,
          span: word.span,
        });
      }
      return {
        kind: 'presence',
        present: (word.text === 'present') !== negated,
        subject: left,
        span: joinSpans(left.span, word.span),
      };
    }
    return left;
  }

  private sum(): Expression {
    let left = this.product();
    while (this.isOperator('+') || this.isOperator('-')) {
      const operator = this.next().text as '+' | '-';
      const right = this.product();
      left = { kind: 'arithmetic', operator, left, right, span: joinSpans(left.span, right.span) };
    }
    return left;
  }

  private product(): Expression {
    let left = this.unary();
    while (this.isOperator('*') || this.isOperator('/')) {
      const operator = this.next().text as '*' | '/';
      const right = this.unary();
      left = { kind: 'arithmetic', operator, left, right, span: joinSpans(left.span, right.span) };
    }
    return left;
  }

  private unary(): Expression {
    if (this.isOperator('-')) {
      const minus = this.next();
      const operand = this.unary();
      return { kind: 'negate', operand, span: joinSpans(minus.span, operand.span) };
    }
    return this.primary();
  }

  private primary(): Expression {
    const token = this.next();
    switch (token.kind) {
      case 'number':
        return { kind: 'literal', type: 'number', value: Number(token.text), span: token.span };
      case 'percent':
        return { kind: 'literal', type: 'number', value: Number(token.text) / 100, span: token.span };
      case 'string':
        return { kind: 'literal', type: 'string', value: token.text, span: token.span };
      case 'identifier':
        return { kind: 'field', name: token.text, span: token.span };
      case 'keyword':
        if (token.text === 'true' || token.text === 'false')
          return { kind: 'literal', type: 'boolean', value: token.text === 'true', span: token.span };
        break;
      case 'operator':
        if (token.text === '(') {
          const inner = this.expression();
          const close = this.expectOperator(')', 'to close the parenthesis');
          return { ...inner, span: joinSpans(token.span, close.span) };
        }
        break;
      default:
        break;
    }
    throw new RuleSyntaxError({
      message: `expected a field, a number or a text value, found ${describe(token)}`,
      span: token.span,
    });
  }
}

function describe(token: Token): string {
  switch (token.kind) {
    case 'end':
      return 'the end of the rule';
    case 'string':
      return `text "${token.text}"`;
    case 'keyword':
      return `the word ${token.text}`;
    default:
      return `"${token.text}"`;
  }
}
