import type { Actor } from './actor.js';

/**
 * The tamper-evident audit trail, as other modules see it. The identity module implements it
 * (hash-chained, append-only table); the composition root hands it to every module that records
 * decisions, overrides, rule changes, model promotions, exports and logins.
 *
 * Keep `details` free of personal data where an id will do (a parcel id, not the buyer's name): the
 * trail is kept for years and cannot be edited.
 */
export interface AuditTrail {
  append(entry: AuditEntryInput, options?: AuditAppendOptions): Promise<AuditEntry>;
}

export interface AuditEntryInput {
  /** Who did it: an actor, or an already described one (`system`, `anonymous`, `cli`). */
  actor: Actor | string;
  /** `<module>.<what happened>`, past tense or noun: `clearance.decision`, `risk.rule_changed`, `identity.login`. */
  action: string;
  /** What it was done to: `parcel:123`, `rule:7`, `account:abc`. */
  subject?: string;
  /** Anything JSON that explains the entry (old and new values, reasons, counts). */
  details?: Record<string, unknown>;
}

export interface AuditAppendOptions {
  /**
   * A Kysely transaction of the caller, so that the entry is committed together with the change it
   * records (or not at all). Without it the entry is written in its own transaction.
   */
  transaction?: unknown;
}

export interface AuditEntry {
  /** Position in the chain, from 1. */
  seq: number;
  at: string;
  actor: string;
  /** The credential the actor used: `api_key:<id>` or `session:<id>`. */
  via: string | null;
  action: string;
  subject: string | null;
  details: Record<string, unknown>;
  /** Hash of the previous entry (64 zeros for the first). */
  previousHash: string;
  /** SHA-256 over this entry's fields and `previousHash`. */
  hash: string;
}
