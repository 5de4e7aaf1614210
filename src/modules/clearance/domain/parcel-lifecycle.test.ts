import { describe, expect, it } from 'vitest';
import { checkTransition, nextStates, parcelStates } from './parcel-lifecycle.js';

const anyRole = () => true;

describe('parcel lifecycle', () => {
  it('follows received -> assessed -> held / under inspection -> released, seized or returned', () => {
    expect(checkTransition('received', 'assessed', 'rules applied', anyRole)).toBeUndefined();
    expect(checkTransition('assessed', 'held', 'invoice requested', anyRole)).toBeUndefined();
    expect(checkTransition('held', 'under_inspection', 'X-ray anomaly', anyRole)).toBeUndefined();
    expect(checkTransition('under_inspection', 'seized', 'narcotics found', anyRole)).toBeUndefined();
    expect(checkTransition('under_inspection', 'released', 'no finding', anyRole)).toBeUndefined();
    expect(checkTransition('held', 'returned', 'sender asked', anyRole)).toBeUndefined();
  });

  it('refuses illegal moves and says which are possible', () => {
    expect(checkTransition('received', 'released', 'x', anyRole)).toMatchObject({
      kind: 'illegal',
      message: expect.stringContaining('it can become assessed'),
    });
    expect(checkTransition('released', 'held', 'x', anyRole)).toMatchObject({
      kind: 'illegal',
      message: expect.stringContaining('final'),
    });
    expect(checkTransition('assessed', 'seized', 'x', anyRole)?.kind).toBe('illegal');
    for (const terminal of ['released', 'seized', 'returned'] as const)
      expect(nextStates(terminal)).toEqual([]);
    for (const state of parcelStates)
      expect(checkTransition(state, 'received', 'x', anyRole)?.kind).toBe('illegal');
  });

  it('needs the right role and a reason', () => {
    const refusal = checkTransition('under_inspection', 'seized', 'found', (roles) =>
      roles.includes('targeting_analyst'),
    );
    expect(refusal).toMatchObject({ kind: 'role', roles: ['inspector'] });
    expect(checkTransition('assessed', 'held', '  ', anyRole)?.kind).toBe('reason_required');
  });
});
