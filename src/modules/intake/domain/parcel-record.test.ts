import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { canonicalJson, contentHash, sumMoney } from './parcel-record.js';

/** The definition stored hashes were made with: JSON of a copy with sorted keys, undefined keys left out. */
function sortKeys(value: unknown): unknown {
  if (Array.isArray(value)) return value.map(sortKeys);
  if (value && typeof value === 'object') {
    return Object.fromEntries(
      Object.keys(value as object)
        .filter((key) => (value as Record<string, unknown>)[key] !== undefined)
        .sort()
        .map((key) => [key, sortKeys((value as Record<string, unknown>)[key])]),
    );
  }
  return value;
}

const text = fc.oneof(
  fc.string(),
  fc.string({ unit: 'binary' }),
  fc.constantFrom('"', '\\', '\n', '\u2028', '\ud800', 'a\udc00b'),
);
const key = fc.oneof(
  text,
  fc.constantFrom(
    '0',
    '1',
    '9',
    '10',
    '01',
    '-1',
    '1.5',
    '1a',
    '4294967294',
    '4294967295',
    '__proto__',
    'a',
    'B',
  ),
);
const leaf = fc.oneof(
  text,
  fc.integer(),
  fc.double(),
  fc.boolean(),
  fc.constant(null),
  fc.constant(undefined),
);
const nested = fc.letrec((tie) => ({
  value: fc.oneof({ depthSize: 'small' }, leaf, tie('array'), tie('object')),
  array: fc.array(tie('value'), { maxLength: 5 }),
  object: fc.dictionary(key, tie('value'), { maxKeys: 6 }),
})).value;

describe('canonicalJson', () => {
  it('writes the same bytes as JSON.stringify of the value with sorted keys', () => {
    fc.assert(
      fc.property(nested, (value) => {
        expect(canonicalJson(value)).toBe(JSON.stringify(sortKeys(value)));
      }),
      { numRuns: 3000 },
    );
  });

  it('hashes content whatever its key order, without undefined keys', () => {
    expect(contentHash({ b: 1, a: { d: [1, undefined], c: 'x', e: undefined } })).toBe(
      contentHash({ a: { c: 'x', d: [1, null] }, b: 1 }),
    );
    expect(canonicalJson({ b: 1, 10: 'x', 9: 'y', a: [{ z: 1, y: undefined }] })).toBe(
      '{"9":"y","10":"x","a":[{"z":1}],"b":1}',
    );
  });
});

/** The exact definition: BigInt cents, whatever the size of the amounts. */
function sumMoneyExactly(values: readonly string[]): string {
  let cents = 0n;
  for (const value of values) {
    const [whole, fraction = ''] = value.split('.');
    cents += BigInt(whole!) * 100n + BigInt((fraction + '00').slice(0, 2));
  }
  const whole = cents / 100n;
  const fraction = (cents % 100n).toString().padStart(2, '0').replace(/0+$/, '');
  return fraction ? `${whole}.${fraction}` : `${whole}`;
}

describe('sumMoney', () => {
  it('sums exactly, small amounts and amounts too large for doubles alike', () => {
    const digits = (min: number, max: number) =>
      fc.string({ unit: fc.constantFrom('0', '1', '5', '9'), minLength: min, maxLength: max });
    const amount = fc
      .tuple(digits(1, 15), fc.option(digits(1, 2)))
      .map(([whole, fraction]) => (fraction === null ? whole : `${whole}.${fraction}`));
    fc.assert(
      fc.property(fc.array(amount, { maxLength: 30 }), (values) => {
        expect(sumMoney(values)).toBe(sumMoneyExactly(values));
      }),
      { numRuns: 3000 },
    );
    expect(sumMoney(['0.1', '0.2'])).toBe('0.3');
    expect(sumMoney(['9999999999999.99', '9999999999999.99'])).toBe('19999999999999.98');
  });
});
