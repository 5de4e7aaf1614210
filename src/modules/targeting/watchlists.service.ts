import type { Actor } from '../../platform/auth/actor.js';
import { describeActor } from '../../platform/auth/actor.js';
import type { AuditTrail } from '../../platform/auth/audit-trail.js';
import type { FieldError } from '../../platform/errors/field-error.js';
import type { ListKind } from './domain/rule-fields.js';
import { listValueProblem, normaliseListValue } from './domain/watchlist-index.js';
import { requireAnalyst } from './targeting.access.js';
import { TargetingError } from './targeting.errors.js';
import type { TargetingRepository, WatchlistEntryRow, WatchlistRow } from './targeting.repository.js';
import type { TargetingSettings } from './targeting.settings.js';

/**
 * Watchlists (PCCCs, addresses, sellers ... that rules name): their entries with expiry and note.
 * A change reaches every deciding process through the settings version (targeting.settings.ts).
 */
export class WatchlistService {
  constructor(
    private readonly repository: TargetingRepository,
    private readonly settings: TargetingSettings,
    /** Settles when the settings are loaded. */
    private readonly ready: Promise<void>,
    private readonly audit?: AuditTrail,
  ) {}

  async listWatchlists(actor: Actor): Promise<WatchlistRow[]> {
    requireAnalyst(actor, true);
    return this.repository.listWatchlists();
  }

  async createWatchlist(
    actor: Actor,
    input: { name: string; kind: ListKind; description?: string | null },
  ): Promise<WatchlistRow> {
    requireAnalyst(actor);
    await this.ready;
    const id = await this.repository.createWatchlist({
      name: input.name,
      kind: input.kind,
      description: input.description ?? null,
      owner: describeActor(actor),
    });
    if (!id)
      throw new TargetingError('watchlist_name_taken', `A watchlist named ${input.name} exists already`);
    this.settings.lists.setList(input.name, input.kind, []);
    await this.audit?.append({
      actor,
      action: 'targeting.watchlist_created',
      subject: `watchlist:${input.name}`,
      details: { kind: input.kind },
    });
    return (await this.repository.findWatchlist(input.name))!;
  }

  /** Adds entries (or refreshes their expiry and note); values are normalised for the list's kind. */
  async addWatchlistEntries(
    actor: Actor,
    name: string,
    entries: { value: string; expiresAt?: string | null; note?: string | null }[],
  ): Promise<{ added: number }> {
    requireAnalyst(actor);
    await this.ready;
    const list = await this.repository.findWatchlist(name);
    if (!list) throw new TargetingError('watchlist_not_found', `No watchlist ${name}`);
    const problems: FieldError[] = [];
    const rows = entries.map((entry, index) => {
      const problem = listValueProblem(list.kind, entry.value);
      if (problem)
        problems.push({
          path: `entries/${index}/value`,
          value: entry.value,
          rule: `watchlist-${list.kind}`,
          message: problem,
        });
      const expires = entry.expiresAt ? new Date(entry.expiresAt) : null;
      if (expires && Number.isNaN(expires.getTime()))
        problems.push({
          path: `entries/${index}/expiresAt`,
          value: entry.expiresAt,
          rule: 'date-time',
          message: 'must be an ISO 8601 date-time',
        });
      return {
        value: normaliseListValue(list.kind, entry.value),
        expiresAt: expires?.toISOString() ?? null,
        note: entry.note ?? null,
      };
    });
    if (problems.length > 0)
      throw new TargetingError(
        'invalid_watchlist_entry',
        `${problems.length} entries are invalid: ${problems
          .slice(0, 3)
          .map((problem) => `${problem.path} ${problem.message}`)
          .join('; ')}`,
        { fieldErrors: problems.slice(0, 1000) },
      );
    for (let start = 0; start < rows.length; start += 10_000)
      await this.repository.upsertEntries(list.id, rows.slice(start, start + 10_000), describeActor(actor));
    this.settings.lists.addEntries(
      name,
      list.kind,
      rows.map((row) => ({
        value: row.value,
        expiresAtMs: row.expiresAt ? Date.parse(row.expiresAt) : null,
      })),
    );
    await this.audit?.append({
      actor,
      action: 'targeting.watchlist_entries_added',
      subject: `watchlist:${name}`,
      details: { count: rows.length },
    });
    return { added: rows.length };
  }

  async removeWatchlistEntry(actor: Actor, name: string, value: string): Promise<void> {
    requireAnalyst(actor);
    await this.ready;
    const list = await this.repository.findWatchlist(name);
    if (!list) throw new TargetingError('watchlist_not_found', `No watchlist ${name}`);
    const removed = await this.repository.removeEntry(list.id, normaliseListValue(list.kind, value));
    if (!removed) throw new TargetingError('watchlist_not_found', `Watchlist ${name} has no entry ${value}`);
    this.settings.lists.removeEntry(name, value);
    await this.audit?.append({
      actor,
      action: 'targeting.watchlist_entry_removed',
      subject: `watchlist:${name}`,
      details: { value: normaliseListValue(list.kind, value) },
    });
  }

  async watchlistEntries(
    actor: Actor,
    name: string,
    page: { after?: string; limit?: number },
  ): Promise<{ items: WatchlistEntryRow[]; nextAfter: string | null }> {
    requireAnalyst(actor, true);
    const list = await this.repository.findWatchlist(name);
    if (!list) throw new TargetingError('watchlist_not_found', `No watchlist ${name}`);
    const limit = Math.min(Math.max(page.limit ?? 500, 1), 5000);
    const items = await this.repository.entriesOf(list.id, { afterValue: page.after ?? '', limit });
    return { items, nextAfter: items.length === limit ? items[items.length - 1]!.value : null };
  }
}
