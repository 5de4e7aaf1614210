import { describe, expect, it } from 'vitest';
import {
  canonicalJson,
  checkChainSegment,
  entryHash,
  GENESIS_HASH,
  normaliseDetails,
  type ChainedFields,
} from './audit-chain.js';

function chain(count: number): (ChainedFields & { hash: string })[] {
  const entries: (ChainedFields & { hash: string })[] = [];
  for (let seq = 1; seq <= count; seq++) {
    const fields: ChainedFields = {
      seq,
      at: new Date(Date.UTC(2026, 10, 20, 9, 0, seq)).toISOString(),
      actor: 'officer:a1',
      via: 'session:s1',
      action: 'clearance.decision',
      subject: `parcel:${seq}`,
      details: { lane: seq % 2 ? 'red' : 'green' },
      previousHash: entries.at(-1)?.hash ?? GENESIS_HASH,
    };
    entries.push({ ...fields, hash: entryHash(fields) });
  }
  return entries;
}

describe('audit hash chain', () => {
  it('writes JSON the same whatever the key order', () => {
    expect(canonicalJson({ b: 1, a: { d: [1, { y: 2, x: 1 }], c: null } })).toBe(
      '{"a":{"c":null,"d":[1,{"x":1,"y":2}]},"b":1}',
    );
    expect(canonicalJson({ a: undefined, b: 1 })).toBe('{"b":1}');
    expect(normaliseDetails({ at: new Date(0), skip: undefined })).toEqual({
      at: '1970-01-01T00:00:00.000Z',
    });
  });

  it('accepts an intact chain, also checked in segments', () => {
    const entries = chain(6);
    expect(checkChainSegment(entries, undefined)).toEqual({
      ok: true,
      last: { seq: 6, hash: entries[5]!.hash },
    });
    const first = checkChainSegment(entries.slice(0, 3), undefined);
    expect(first.ok).toBe(true);
    expect(checkChainSegment(entries.slice(3), first.last).ok).toBe(true);
  });

  it('finds a changed field, a removed entry, a swapped pair and a re-hashed forgery', () => {
    const changed = chain(5);
    changed[2] = { ...changed[2]!, details: { lane: 'green' } };
    expect(checkChainSegment(changed, undefined)).toMatchObject({
      ok: false,
      problem: { seq: 3, problem: 'hash_mismatch' },
    });

    const removed = chain(5);
    removed.splice(1, 1);
    expect(checkChainSegment(removed, undefined)).toMatchObject({
      ok: false,
      problem: { seq: 2, problem: 'gap' },
    });

    const swapped = chain(5);
    [swapped[1], swapped[2]] = [swapped[2]!, swapped[1]!];
    expect(checkChainSegment(swapped, undefined)).toMatchObject({ ok: false, problem: { seq: 2 } });

    // Rewriting one entry and its own hash still breaks the link from the next one.
    const forged = chain(5);
    const rewritten = { ...forged[1]!, actor: 'officer:someone-else' };
    forged[1] = { ...rewritten, hash: entryHash(rewritten) };
    expect(checkChainSegment(forged, undefined)).toMatchObject({
      ok: false,
      problem: { seq: 3, problem: 'broken_link' },
    });
  });
});
