import { normaliseAddress } from './parcel-facts.js';
import type { ListKind } from './rule-fields.js';

/** One watchlist entry as stored: the value, and when it stops counting (ms since epoch). */
export interface WatchlistEntryInput {
  value: string;
  expiresAtMs: number | null;
}

/**
 * The canonical form of a list value, so that a lookup is one Map access: codes in upper case,
 * HS codes as digits, addresses normalised like the parcel's address fields.
 */
export function normaliseListValue(kind: ListKind, value: string): string {
  switch (kind) {
    case 'address':
      return normaliseAddress([value]) ?? '';
    case 'hs':
      return value.replace(/[^0-9]/g, '');
    default:
      return value.trim().toUpperCase();
  }
}

/** A problem with a value for a list of this kind, or undefined when it is acceptable. */
export function listValueProblem(kind: ListKind, value: string): string | undefined {
  const normalised = normaliseListValue(kind, value);
  if (normalised === '') return 'must not be empty';
  if (kind === 'hs' && ![2, 4, 6, 8, 10].includes(normalised.length))
    return 'must be an HS chapter, heading or subheading of 2, 4, 6, 8 or 10 digits';
  if (kind === 'country' && !/^[A-Z]{2}$/.test(normalised)) return 'must be an ISO 3166 alpha-2 country code';
  if (kind === 'buyer' && !/^P\d{12}$/.test(normalised)) return 'must be a PCCC (P and 12 digits)';
  return undefined;
}

const NEVER = Number.POSITIVE_INFINITY;

/**
 * In-memory watchlists: per list, a Map from canonical value to expiry. Compiled rules hold a
 * reference to a list's lookup, so replacing a list's entries takes effect without recompiling.
 */
export class WatchlistIndex {
  private readonly lists = new Map<string, { kind: ListKind; entries: Map<string, number> }>();

  /** Replaces (or creates) a list with these entries. */
  setList(name: string, kind: ListKind, entries: readonly WatchlistEntryInput[]): void {
    const map = this.entriesOf(name, kind);
    map.clear();
    for (const entry of entries) this.put(map, kind, entry);
  }

  /** Adds or refreshes entries of an existing list. */
  addEntries(name: string, kind: ListKind, entries: readonly WatchlistEntryInput[]): void {
    const map = this.entriesOf(name, kind);
    for (const entry of entries) this.put(map, kind, entry);
  }

  removeEntry(name: string, value: string): void {
    const list = this.lists.get(name);
    list?.entries.delete(normaliseListValue(list.kind, value));
  }

  removeList(name: string): void {
    this.lists.delete(name);
  }

  kinds(): Map<string, ListKind> {
    return new Map([...this.lists].map(([name, list]) => [name, list.kind]));
  }

  size(name: string): number {
    return this.lists.get(name)?.entries.size ?? 0;
  }

  /**
   * A membership test for one list, valid at `nowMs`. HS lists match a code by any of its 2-, 4-, 6-,
   * 8- and 10-digit prefixes, so one entry "93" covers the whole chapter.
   */
  matcher(name: string): (value: string, nowMs: number) => boolean {
    const list = this.lists.get(name);
    if (!list) throw new Error(`No watchlist ${name}`);
    const entries = list.entries;
    if (list.kind === 'hs') {
      return (value, nowMs) => {
        const digits =
          value.length === 6 || value.length === 10 || value.length === 8
            ? value
            : value.replace(/[^0-9]/g, '');
        for (let length = 2; length <= digits.length; length += 2) {
          const expires = entries.get(length === digits.length ? digits : digits.slice(0, length));
          if (expires !== undefined && expires > nowMs) return true;
        }
        return false;
      };
    }
    if (list.kind === 'address') {
      // Address fields are normalised when the facts are built, so the value is already canonical.
      return (value, nowMs) => {
        const expires = entries.get(value);
        return expires !== undefined && expires > nowMs;
      };
    }
    // Codes in parcel facts are upper case already (the read model normalises them), so one lookup.
    return (value, nowMs) => {
      const expires = entries.get(value);
      return expires !== undefined && expires > nowMs;
    };
  }

  private entriesOf(name: string, kind: ListKind): Map<string, number> {
    let list = this.lists.get(name);
    if (!list || list.kind !== kind) {
      list = { kind, entries: list?.kind === kind ? list.entries : new Map() };
      this.lists.set(name, list);
    }
    return list.entries;
  }

  private put(map: Map<string, number>, kind: ListKind, entry: WatchlistEntryInput): void {
    map.set(normaliseListValue(kind, entry.value), entry.expiresAtMs ?? NEVER);
  }
}
