import { keywords, RuleSyntaxError, type Span, type Token } from './rule-syntax.js';

const keywordSet: ReadonlySet<string> = new Set(keywords);
const twoCharOperators = new Set(['!=', '<=', '>=']);
const oneCharOperators = new Set(['=', '<', '>', '+', '-', '*', '/', '(', ')', '[', ']', ',']);

/**
 * Splits a rule into tokens. Identifiers may be dotted (`line.hs6`); keywords are case-insensitive;
 * `#` starts a comment to the end of the line; a number directly followed by `%` is a percentage.
 */
export function tokenize(source: string): Token[] {
  const tokens: Token[] = [];
  let offset = 0;
  let line = 1;
  let lineStart = 0;
  const spanFrom = (start: number, startLine: number, startLineStart: number): Span => ({
    offset: start,
    length: offset - start,
    line: startLine,
    column: start - startLineStart + 1,
  });

  while (offset < source.length) {
    const char = source[offset]!;
    if (char === '\n') {
      offset++;
      line++;
      lineStart = offset;
      continue;
    }
    if (char === ' ' || char === '\t' || char === '\r') {
      offset++;
      continue;
    }
    if (char === '#') {
      while (offset < source.length && source[offset] !== '\n') offset++;
      continue;
    }
    const start = offset;
    if (isDigit(char) || (char === '.' && isDigit(source[offset + 1] ?? ''))) {
      while (isDigit(source[offset] ?? '')) offset++;
      if (source[offset] === '.' && isDigit(source[offset + 1] ?? '')) {
        offset++;
        while (isDigit(source[offset] ?? '')) offset++;
      }
      const text = source.slice(start, offset);
      if (isIdentifierStart(source[offset] ?? '')) {
        while (isIdentifierPart(source[offset] ?? '')) offset++;
        throw new RuleSyntaxError({
          message: `"${source.slice(start, offset)}" is not a number; quote text values, e.g. "${source.slice(start, offset)}"`,
          span: spanFrom(start, line, lineStart),
        });
      }
      if (source[offset] === '%') {
        offset++;
        tokens.push({ kind: 'percent', text, span: spanFrom(start, line, lineStart) });
      } else {
        tokens.push({ kind: 'number', text, span: spanFrom(start, line, lineStart) });
      }
      continue;
    }
    if (char === '"' || char === "'") {
      offset++;
      let value = '';
      for (;;) {
        const next = source[offset];
        if (next === undefined || next === '\n') {
          throw new RuleSyntaxError({
            message: `text starting here is not closed with ${char}`,
            span: { offset: start, length: 1, line, column: start - lineStart + 1 },
          });
        }
        offset++;
        if (next === char) break;
        if (next === '\\') {
          const escaped = source[offset];
          if (escaped === undefined) continue;
          offset++;
          value += escaped === 'n' ? '\n' : escaped === 't' ? '\t' : escaped;
          continue;
        }
        value += next;
      }
      tokens.push({ kind: 'string', text: value, span: spanFrom(start, line, lineStart) });
      continue;
    }
    if (isIdentifierStart(char)) {
      while (
        isIdentifierPart(source[offset] ?? '') ||
        (source[offset] === '.' && isIdentifierStart(source[offset + 1] ?? ''))
      )
        offset++;
      const text = source.slice(start, offset);
      const lower = text.toLowerCase();
      tokens.push(
        keywordSet.has(lower)
          ? { kind: 'keyword', text: lower, span: spanFrom(start, line, lineStart) }
          : { kind: 'identifier', text, span: spanFrom(start, line, lineStart) },
      );
      continue;
    }
    const pair = source.slice(offset, offset + 2);
    if (pair === '==') {
      offset += 2;
      throw new RuleSyntaxError({
        message: 'write equality with a single =',
        span: spanFrom(start, line, lineStart),
      });
    }
    if (pair === '&&' || pair === '||') {
      offset += 2;
      throw new RuleSyntaxError({
        message: `write ${pair === '&&' ? 'and' : 'or'} instead of ${pair}`,
        span: spanFrom(start, line, lineStart),
      });
    }
    if (twoCharOperators.has(pair)) {
      offset += 2;
      tokens.push({ kind: 'operator', text: pair, span: spanFrom(start, line, lineStart) });
      continue;
    }
    if (oneCharOperators.has(char)) {
      offset++;
      tokens.push({ kind: 'operator', text: char, span: spanFrom(start, line, lineStart) });
      continue;
    }
    offset++;
    throw new RuleSyntaxError({
      message: `unexpected character ${JSON.stringify(char)}`,
      span: spanFrom(start, line, lineStart),
    });
  }
  tokens.push({ kind: 'end', text: '', span: { offset, length: 0, line, column: offset - lineStart + 1 } });
  return tokens;
}

function isDigit(char: string): boolean {
  return char >= '0' && char <= '9';
}

function isIdentifierStart(char: string): boolean {
  return (char >= 'a' && char <= 'z') || (char >= 'A' && char <= 'Z') || char === '_';
}

function isIdentifierPart(char: string): boolean {
  return isIdentifierStart(char) || isDigit(char);
}
