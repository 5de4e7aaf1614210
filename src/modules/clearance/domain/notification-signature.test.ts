import { describe, expect, it } from 'vitest';
import { retryDelaySeconds, signPayload, verifySignature } from './notification-signature.js';

describe('webhook signatures', () => {
  const body = JSON.stringify({ kind: 'hold', trackingNumber: 'DHL1000000' });

  it('signs the timestamp and body with HMAC-SHA256 and verifies them', () => {
    const header = signPayload('s3cret', body, 1_800_000_000);
    expect(header).toMatch(/^t=1800000000,v1=[0-9a-f]{64}$/);
    expect(verifySignature('s3cret', body, header, 1_800_000_100)).toBe(true);
  });

  it('rejects another secret, a changed body and an old timestamp', () => {
    const header = signPayload('s3cret', body, 1_800_000_000);
    expect(verifySignature('other', body, header, 1_800_000_000)).toBe(false);
    expect(verifySignature('s3cret', `${body} `, header, 1_800_000_000)).toBe(false);
    expect(verifySignature('s3cret', body, header, 1_800_001_000)).toBe(false);
  });

  it('backs off exponentially up to an hour', () => {
    expect([1, 2, 3, 10].map(retryDelaySeconds)).toEqual([30, 60, 120, 3600]);
  });
});
