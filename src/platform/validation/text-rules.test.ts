import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { textProblem, textProblemsIn } from './text-rules.js';

describe('text rules', () => {
  it('accepts text people write, in any script, with tabs and line breaks', () => {
    for (const text of ['Kim Minji', '김민지', 'Zoé Lefèvre', 'emoji 📦 parcel', 'two\nlines\tand tab', ''])
      expect(textProblem(text), text).toBeUndefined();
  });

  it('refuses NUL and other control characters, naming the character and its position', () => {
    expect(textProblem('Kim\u0000Minji')).toEqual({
      rule: 'control-character',
      message: 'must not contain the control character U+0000 (at character 4)',
    });
    expect(textProblem('bell\u0007')?.rule).toBe('control-character');
    expect(textProblem('c1\u0085')?.rule).toBe('control-character');
  });

  it('refuses halves of surrogate pairs and the replacement character of a failed decode', () => {
    expect(textProblem('A\ud800')?.rule).toBe('lone-surrogate');
    expect(textProblem('\udc00B')?.rule).toBe('lone-surrogate');
    expect(textProblem('Kim \ufffd Minji')?.rule).toBe('invalid-utf-8');
  });

  it('refuses every string that UTF-8 cannot carry unchanged', () => {
    fc.assert(
      fc.property(fc.string({ unit: 'binary' }), (value) => {
        const survivesUtf8 = Buffer.from(value, 'utf8').toString('utf8') === value;
        return survivesUtf8 || textProblem(value) !== undefined;
      }),
      { numRuns: 2000 },
    );
  });

  it('finds problems anywhere in a JSON value, keys included, with their paths', () => {
    const found = textProblemsIn({ a: [{ b: 'ok' }, { c: 'x\u0000' }], ['k\u0001']: 1 });
    expect(found.map((entry) => entry.path)).toEqual(['a/1/c', 'k\u0001']);
  });
});
