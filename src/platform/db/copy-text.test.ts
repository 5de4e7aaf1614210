import { describe, expect, it } from 'vitest';
import { copyTextRow } from './copy-text.js';

describe('copyTextRow', () => {
  it('separates values with tabs, writes null and undefined as \\N and ends the row', () => {
    expect(copyTextRow(['a', 1, true, null, undefined, '2.50'])).toBe('a\t1\ttrue\t\\N\t\\N\t2.50\n');
  });

  it('escapes what would end a value or a row, and the backslash itself', () => {
    expect(copyTextRow(['tab\there', 'two\nlines', 'cr\r', 'C:\\path', '\\N'])).toBe(
      'tab\\there\ttwo\\nlines\tcr\\r\tC:\\\\path\t\\\\N\n',
    );
  });

  it('keeps the empty string apart from null', () => {
    expect(copyTextRow(['', null])).toBe('\t\\N\n');
  });
});
