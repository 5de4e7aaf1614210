import { describe, expect, it } from 'vitest';
import { seededRandom } from '../../../platform/random/seeded-random.js';
import { selectForInspection } from './inspection-selection.js';

describe('inspection selection', () => {
  const scores = Array.from({ length: 100 }, (_, i) => i / 100); // index 99 is the riskiest

  it('spends the budget on top scores and keeps the exploration share for others', () => {
    const selection = selectForInspection(scores, 10, {
      explorationShare: 0.2,
      strategy: 'random',
      random: seededRandom(1),
    });
    expect(selection.indices.length).toBe(10);
    expect(Array.from(selection.indices.slice(0, 8))).toEqual([99, 98, 97, 96, 95, 94, 93, 92]);
    expect(selection.reasons.filter((r) => r === 'exploration').length).toBe(2);
    for (const index of selection.indices.slice(8)) expect(index).toBeLessThan(92);
    expect(new Set(selection.indices).size).toBe(10);
  });

  it('explores where the model is least sure with the uncertainty strategy', () => {
    const selection = selectForInspection(scores, 10, {
      explorationShare: 0.2,
      strategy: 'uncertainty',
      random: seededRandom(1),
    });
    expect(Array.from(selection.indices.slice(8)).sort()).toEqual([49, 50]);
  });

  it('is reproducible with a seeded generator', () => {
    const a = selectForInspection(scores, 20, {
      explorationShare: 0.5,
      strategy: 'random',
      random: seededRandom(9),
    });
    const b = selectForInspection(scores, 20, {
      explorationShare: 0.5,
      strategy: 'random',
      random: seededRandom(9),
    });
    expect(Array.from(a.indices)).toEqual(Array.from(b.indices));
  });
});
