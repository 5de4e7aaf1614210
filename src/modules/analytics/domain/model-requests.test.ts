import { describe, expect, it } from 'vitest';
import { mayTakeStep, statusAfter } from './model-requests.js';

describe('model request workflow', () => {
  it('moves from filed through triage and estimate to delivery', () => {
    expect(statusAfter('filed', { kind: 'triaged', text: 'ok' })).toBe('triaged');
    expect(statusAfter('triaged', { kind: 'estimated', text: '', estimateDays: 5 })).toBe('estimated');
    expect(statusAfter('estimated', { kind: 'estimated', text: '', estimateDays: 8 })).toBe('estimated');
    expect(
      statusAfter('estimated', { kind: 'delivered', text: '', modelId: 'S1', modelVersion: '1.0.0' }),
    ).toBe('delivered');
  });

  it('keeps a closed request closed and a comment where it is', () => {
    expect(statusAfter('delivered', { kind: 'triaged', text: '' })).toBeUndefined();
    expect(
      statusAfter('declined', { kind: 'delivered', text: '', modelId: 'S1', modelVersion: '1' }),
    ).toBeUndefined();
    expect(statusAfter('triaged', { kind: 'comment', text: 'why?' })).toBe('triaged');
  });

  it('lets only analysts move a request, and the requester comment while it is open', () => {
    expect(mayTakeStep('triaged', { isAnalyst: false, isRequester: true }, 'filed')).toBe(false);
    expect(mayTakeStep('comment', { isAnalyst: false, isRequester: true }, 'filed')).toBe(true);
    expect(mayTakeStep('comment', { isAnalyst: false, isRequester: false }, 'filed')).toBe(false);
    expect(mayTakeStep('comment', { isAnalyst: true, isRequester: false }, 'delivered')).toBe(false);
  });
});
