import { describe, expect, it } from 'vitest';
import { fillTemplate, localeOf, namedLocale } from './locale.js';

describe('locale of a request', () => {
  it('takes the best of Korean, English and French from Accept-Language', () => {
    expect(localeOf('ko-KR,ko;q=0.9,en-US;q=0.8')).toBe('ko');
    expect(localeOf('de-DE, fr;q=0.7, en;q=0.5')).toBe('fr');
    expect(localeOf('en;q=0.4, fr;q=0.9')).toBe('fr');
    expect(localeOf('de, ja')).toBe('en');
    expect(localeOf(undefined)).toBe('en');
    expect(localeOf('fr;q=0, ko')).toBe('ko');
  });

  it('names no language when the header names none of ours, so that a stored choice can decide', () => {
    expect(namedLocale(undefined)).toBeUndefined();
    expect(namedLocale('*')).toBeUndefined();
    expect(namedLocale('de, ja')).toBeUndefined();
    expect(namedLocale('de, ko;q=0.1')).toBe('ko');
  });

  it('fills placeholders', () => {
    expect(fillTemplate('최대 {max}', { max: 1000000 })).toBe('최대 1,000,000');
  });
});
