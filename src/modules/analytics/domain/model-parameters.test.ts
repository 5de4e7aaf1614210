import { describe, expect, it } from 'vitest';
import type { ParameterSpec } from '../catalogue/analytical-model.js';
import { validateParameters } from './model-parameters.js';

const label = { ko: '라벨', en: 'label', fr: 'libellé' };
const specs: ParameterSpec[] = [
  { name: 'limit_usd', label, type: 'number', default: 150, min: 1, max: 1000 },
  { name: 'window_days', label, type: 'integer', default: 3, min: 1, max: 31 },
  { name: 'grouping', label, type: 'choice', default: 'buyer', choices: ['buyer', 'buyer_and_seller'] },
  { name: 'strict', label, type: 'boolean', default: false },
];

describe('model parameters', () => {
  it('fills defaults and accepts numbers given as text (query strings, the command line)', () => {
    expect(validateParameters(specs, { window_days: '7', strict: 'true' })).toEqual({
      ok: true,
      values: { limit_usd: 150, window_days: 7, grouping: 'buyer', strict: true },
    });
  });

  it('names each unknown, mistyped or out-of-limit parameter', () => {
    const result = validateParameters(specs, {
      limit: 3,
      limit_usd: 5000,
      window_days: 1.5,
      grouping: 'seller',
      strict: 'yes',
    });
    expect(result.ok).toBe(false);
    if (result.ok) return;
    expect(result.errors.map((error) => [error.path, error.rule])).toEqual([
      ['parameters/limit', 'unknown-field'],
      ['parameters/limit_usd', 'too-large'],
      ['parameters/window_days', 'type'],
      ['parameters/grouping', 'one-of'],
      ['parameters/strict', 'type'],
    ]);
    expect(result.errors[1]!.params).toEqual({ max: 1000 });
  });

  it('refuses a number below the minimum and a blank text', () => {
    const result = validateParameters(specs, { limit_usd: 0, window_days: ' ' });
    expect(result.ok ? [] : result.errors.map((error) => error.rule)).toEqual(['too-small', 'type']);
  });
});
