import { describe, expect, it } from 'vitest';
import { connectedGroups } from './connected-groups.js';

describe('connectedGroups', () => {
  it('joins items through chains of shared keys and keeps the others apart', () => {
    const groups = connectedGroups([
      ['a', ['phone:1']],
      ['b', ['phone:1', 'address:x']],
      ['c', ['address:x']],
      ['d', ['phone:2']],
    ]);
    expect([...groups.get('a')!].sort()).toEqual(['a', 'b', 'c']);
    expect([...groups.get('d')!]).toEqual(['d']);
  });
});
