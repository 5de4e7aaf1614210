import { describe, expect, it } from 'vitest';
import { prepareRule } from './rule-language.js';
import { compileRule } from './rule-compiler.js';
import { describeProblem } from './rule-syntax.js';
import { WatchlistIndex } from './watchlist-index.js';
import { RuleSet, type RuleVersionSpec } from './rule-set.js';
import { sampleFacts } from './sample-facts.js';
import type { ListKind } from './rule-fields.js';

const NOW = Date.parse('2026-11-21T00:00:00Z');

function setup() {
  const lists = new WatchlistIndex();
  lists.setList('textile-hs', 'hs', [
    { value: '61', expiresAtMs: null },
    { value: '6204.42', expiresAtMs: null },
  ]);
  lists.setList('bad-sellers', 'seller', [
    { value: 'seller-1', expiresAtMs: null },
    { value: 'OLD', expiresAtMs: NOW - 1 },
  ]);
  lists.setList('drop-addresses', 'address', [
    { value: '123 Teheran-ro, Gangnam-gu 06234 Seoul KR', expiresAtMs: null },
  ]);
  return lists;
}

function compile(source: string, lists = setup()) {
  const prepared = prepareRule(source, { lists: lists.kinds() as Map<string, ListKind> });
  if (!prepared.ok) throw new Error(prepared.problems.map((problem) => problem.message).join('; '));
  return compileRule(prepared.rule, lists);
}

function problemsOf(source: string) {
  const prepared = prepareRule(source, { lists: setup().kinds() });
  if (prepared.ok) throw new Error('expected problems');
  return prepared.problems;
}

describe('rule language', () => {
  it('runs the issue example: HS6 in a list, origin CN, unit value under 20 % of the norm', () => {
    const rule = compile(
      'line.hs6 in list "textile-hs" and line.origin = "CN" and line.unitValueRatio < 20%',
    );
    expect(rule(sampleFacts({}, [{ unitValueRatio: 0.1 }]), NOW)).toBe(true);
    expect(rule(sampleFacts({}, [{ unitValueRatio: 0.5 }]), NOW)).toBe(false);
    expect(rule(sampleFacts({}, [{ unitValueRatio: 0.1, originCountry: 'VN' }]), NOW)).toBe(false);
    // Line conditions hold on one line: a cheap Vietnamese line and a normal Chinese line do not combine.
    expect(
      rule(sampleFacts({}, [{ unitValueRatio: 0.1, originCountry: 'VN' }, { unitValueRatio: 0.9 }]), NOW),
    ).toBe(false);
    expect(
      rule(
        sampleFacts({}, [{ unitValueRatio: 0.9 }, { hs6: '620442', hsChapter: '62', unitValueRatio: 0.05 }]),
        NOW,
      ),
    ).toBe(true);
  });

  it('treats missing values as unknown: neither a condition nor its negation hits', () => {
    const positive = compile('seller.registrationStatus = "suspended"');
    const negative = compile('not seller.registrationStatus = "suspended"');
    const facts = sampleFacts({ sellerRegistrationStatus: null });
    expect(positive(facts, NOW)).toBe(false);
    expect(negative(facts, NOW)).toBe(false);
    expect(compile('seller.registrationStatus is missing')(facts, NOW)).toBe(true);
    expect(compile('seller.registrationStatus is missing or declaredValue > 1000')(facts, NOW)).toBe(true);
  });

  it('matches lists case-insensitively, normalises addresses, and ignores expired entries', () => {
    expect(compile('seller.id in list "bad-sellers"')(sampleFacts({ sellerId: 'SELLER-1' }), NOW)).toBe(true);
    expect(compile('seller.id in list "bad-sellers"')(sampleFacts({ sellerId: 'OLD' }), NOW)).toBe(false);
    expect(compile('seller.id not in list "bad-sellers"')(sampleFacts({ sellerId: 'OLD' }), NOW)).toBe(true);
    expect(compile('buyer.address in list "drop-addresses"')(sampleFacts(), NOW)).toBe(true);
  });

  it('supports arithmetic, percentages, value sets, text operators and precedence', () => {
    const facts = sampleFacts({ declaredValue: 140, orderPricePaid: 200, currency: 'USD' });
    expect(compile('order.pricePaid > declaredValue * 1.2')(facts, NOW)).toBe(true);
    expect(compile('declaredValue >= 90% * 150 and declaredValue <= 150')(facts, NOW)).toBe(true);
    expect(
      compile('sender.country in ["CN", "HK"] and line.description contains "t-SHIRT"')(facts, NOW),
    ).toBe(true);
    expect(compile('line.description startswith "phone"')(facts, NOW)).toBe(false);
    expect(compile('false and true or true')(facts, NOW)).toBe(true);
    expect(compile('false and (true or true)')(facts, NOW)).toBe(false);
    expect(compile('-declaredValue < -100 # comment')(facts, NOW)).toBe(true);
  });

  it('reports syntax errors with line and column, one precise error', () => {
    const [problem] = problemsOf('sender.country = "CN" and\n  line.hs6 = ');
    expect(problem).toMatchObject({
      span: { line: 2, column: 14 },
      message: expect.stringContaining('end of the rule'),
    });
    expect(problemsOf('origin == "CN"')[0]!.message).toContain('single =');
    expect(problemsOf('sender.country = "CN')[0]!.message).toContain('not closed');
    expect(problemsOf('sender.country = CN extra')[0]).toMatchObject({ span: { column: 21 } });
    expect(describeProblem('declaredValue > 10 10', problemsOf('declaredValue > 10 10')[0]!)).toBe(
      'line 1, column 20: unexpected "10" after a complete condition; join conditions with and / or\n  declaredValue > 10 10\n                     ^^',
    );
  });

  it('reports type errors: unknown fields with suggestions, mismatched types, unknown or wrong-kind lists', () => {
    expect(problemsOf('line.orign = "CN"')[0]).toMatchObject({
      message: 'unknown field "line.orign"; did you mean "line.origin"?',
      span: { column: 1, length: 10 },
    });
    expect(problemsOf('declaredValue > "100"')[0]!.message).toBe('cannot compare a number with a text value');
    expect(problemsOf('declaredValue')[0]!.message).toContain('must be a condition');
    expect(problemsOf('seller.id in list "bad-seller"')[0]).toMatchObject({
      message: 'no watchlist named "bad-seller"; did you mean "bad-sellers"?',
      span: { column: 19 },
    });
    expect(problemsOf('buyer.pccc in list "bad-sellers"')[0]!.message).toBe(
      'watchlist "bad-sellers" holds seller entries, but buyer.pccc is a buyer value',
    );
    expect(problemsOf('declaredValue + 1 and true')[0]!.message).toContain('and joins conditions');
    expect(problemsOf('sender.country in ["CN", 2]')[0]!.message).toContain(
      'a number in a list compared with a text value',
    );
    expect(problemsOf('x = 1 and y = 2')).toHaveLength(2);
  });
});

describe('rule set pre-filter', () => {
  const spec = (ruleId: number, source: string, lists: WatchlistIndex): RuleVersionSpec => {
    const prepared = prepareRule(source, { lists: lists.kinds() });
    if (!prepared.ok) throw new Error(prepared.problems[0]!.message);
    return {
      ruleId,
      version: 1,
      name: `rule ${ruleId}`,
      lane: 'red',
      xrayReferral: false,
      selectionPercent: 100,
      mandatory: false,
      validFromMs: null,
      validToMs: null,
      checked: prepared.rule,
    };
  };

  it('gives the same hits with and without the pre-filter', () => {
    const lists = setup();
    const sources = [
      'line.hs6 = "610910" and declaredValue > 10',
      'line.hs6 = "999999"',
      'sender.country in ["CN", "HK"] and line.unitValueRatio < 0.3',
      'office = "ICN" and carrier = "KPOST"',
      'seller.id in list "bad-sellers"',
      'declaredValue > 20 or line.hs6 = "000000"',
      'buyer.pccc = "P000000000000"',
    ];
    const specs = sources.map((source, index) => spec(index + 1, source, lists));
    const filtered = new RuleSet(specs, lists);
    const plain = new RuleSet(specs, lists, { prefilter: false });
    expect(filtered.indexedCount).toBe(6);
    for (const facts of [
      sampleFacts(),
      sampleFacts({ senderCountry: 'HK', officeCode: 'PUS' }, [{ unitValueRatio: 0.1 }, { hs6: '999999' }]),
      sampleFacts({ sellerId: 'x', declaredValue: 5 }),
    ]) {
      expect(filtered.evaluate(facts, NOW).map((hit) => hit.ruleId)).toEqual(
        plain.evaluate(facts, NOW).map((hit) => hit.ruleId),
      );
    }
    expect(filtered.evaluate(sampleFacts(), NOW).map((hit) => hit.ruleId)).toEqual([1, 4, 5, 6]);
  });

  it('respects the validity period', () => {
    const lists = setup();
    const rule = { ...spec(1, 'declaredValue > 0', lists), validFromMs: NOW + 1 };
    expect(new RuleSet([rule], lists).evaluate(sampleFacts(), NOW)).toEqual([]);
    expect(new RuleSet([rule], lists).evaluate(sampleFacts(), NOW + 1)).toHaveLength(1);
  });
});

describe('docs/rule-language.md', () => {
  it('has examples that all check', async () => {
    const { readFile } = await import('node:fs/promises');
    const text = await readFile(new URL('../../../../docs/rule-language.md', import.meta.url), 'utf8');
    const examples = text
      .split('## Examples')[1]!
      .split('```')[1]!
      .split('\n')
      .map((line) => line.trim())
      .filter((line) => line !== '' && !line.startsWith('#'));
    expect(examples.length).toBeGreaterThanOrEqual(8);
    const lists = new Map<string, ListKind>([
      ['textile-hs', 'hs'],
      ['suspect-sellers', 'seller'],
      ['pccc-misuse', 'buyer'],
      ['drop-addresses', 'address'],
    ]);
    for (const example of examples) {
      const prepared = prepareRule(example, { lists });
      expect(prepared.ok ? [] : prepared.problems.map((problem) => problem.message), example).toEqual([]);
    }
  });
});
