import { describe, expect, it } from 'vitest';
import { shownValue } from './field-error.js';

describe('values shown in field errors', () => {
  it('masks personal fields to their first character and free text by pattern', () => {
    expect(shownValue('consignee/name', 'Lee Jihoon')).toBe('L***');
    expect(shownValue('buyer/pccc', 'P98765432109')).toBe('P***');
    expect(shownValue('description', 'call 010-1234-5678')).toBe('call 010***78');
    expect(shownValue('lines/0/quantity', 3)).toBe(3);
  });

  it('writes out invisible characters and cuts long text, so that the error can be stored and read', () => {
    expect(shownValue('description', 'a\u0000b\ud800')).toBe('a\\u{0}b\\u{D800}');
    expect(String(shownValue('description', 'x'.repeat(500)))).toHaveLength(203);
    expect(shownValue('lines', [1, 2])).toBeUndefined();
  });
});
