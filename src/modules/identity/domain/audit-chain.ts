import { createHash } from 'node:crypto';

/**
 * The audit trail's hash chain. Each entry's hash covers its own fields and the previous entry's hash,
 * so changing, removing or reordering any entry breaks every hash after it. Canonical JSON (keys sorted
 * at every level) makes the hash independent of how the database hands the JSON back.
 */
export const GENESIS_HASH = '0'.repeat(64);

export interface ChainedFields {
  seq: number;
  /** ISO 8601 with milliseconds, UTC. */
  at: string;
  actor: string;
  via: string | null;
  action: string;
  subject: string | null;
  details: unknown;
  previousHash: string;
}

export function canonicalJson(value: unknown): string {
  if (value === null || typeof value !== 'object') {
    const text = JSON.stringify(value);
    return text === undefined ? 'null' : text;
  }
  if (Array.isArray(value))
    return `[${value.map((item) => canonicalJson(item === undefined ? null : item)).join(',')}]`;
  const entries = Object.entries(value as Record<string, unknown>)
    .filter(([, inner]) => inner !== undefined)
    .sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0));
  return `{${entries.map(([key, inner]) => `${JSON.stringify(key)}:${canonicalJson(inner)}`).join(',')}}`;
}

/** Details as the database will store and return them (dates as text, undefined dropped). */
export function normaliseDetails(details: Record<string, unknown> | undefined): Record<string, unknown> {
  return details ? (JSON.parse(JSON.stringify(details)) as Record<string, unknown>) : {};
}

export function entryHash(fields: ChainedFields): string {
  const payload = canonicalJson({
    seq: fields.seq,
    at: fields.at,
    actor: fields.actor,
    via: fields.via,
    action: fields.action,
    subject: fields.subject,
    details: fields.details,
    previousHash: fields.previousHash,
  });
  return createHash('sha256').update(payload).digest('hex');
}

export type ChainProblem =
  | { seq: number; problem: 'hash_mismatch'; message: string }
  | { seq: number; problem: 'broken_link'; message: string }
  | { seq: number; problem: 'gap'; message: string };

/**
 * Checks entries given in seq order, continuing from `previous` (the last entry already checked, or
 * none for the start of the chain). Returns the first problem, or the new last entry.
 */
export function checkChainSegment(
  entries: (ChainedFields & { hash: string })[],
  previous: { seq: number; hash: string } | undefined,
):
  | { ok: true; last: { seq: number; hash: string } | undefined }
  | { ok: false; problem: ChainProblem; last: { seq: number; hash: string } | undefined } {
  let last = previous;
  for (const entry of entries) {
    const expectedSeq = (last?.seq ?? 0) + 1;
    if (entry.seq !== expectedSeq) {
      return {
        ok: false,
        last,
        problem: {
          seq: expectedSeq,
          problem: 'gap',
          message: `entry ${expectedSeq} is missing (next is ${entry.seq})`,
        },
      };
    }
    const expectedPrevious = last?.hash ?? GENESIS_HASH;
    if (entry.previousHash !== expectedPrevious) {
      return {
        ok: false,
        last,
        problem: {
          seq: entry.seq,
          problem: 'broken_link',
          message: `entry ${entry.seq} does not point at the hash of entry ${entry.seq - 1}`,
        },
      };
    }
    if (entryHash(entry) !== entry.hash) {
      return {
        ok: false,
        last,
        problem: {
          seq: entry.seq,
          problem: 'hash_mismatch',
          message: `entry ${entry.seq} was changed after it was written`,
        },
      };
    }
    last = { seq: entry.seq, hash: entry.hash };
  }
  return { ok: true, last };
}
