import { sql, type Kysely, type RawBuilder } from 'kysely';
import type { Database } from '../db/database.js';
import { prepared } from '../db/prepared-statements.js';
import { monthPartition } from '../db/time-partitions.js';
import type { Logger } from '../logging/logger.js';
import type { Topic } from './topic.js';

/** Handles a batch of events of one subscriber; throwing leaves them all to be retried. */
export type EventHandler<Event> = (events: Event[]) => Promise<void>;

interface Subscription {
  topic: string;
  subscriber: string;
  handler: EventHandler<unknown>;
}

export interface EventOutboxOptions {
  logger?: Pick<Logger, 'error'>;
  /** Rows claimed per delivery: large enough to amortise, small enough for one handler call. */
  batchSize?: number;
  /**
   * How long a claimed row stays invisible to other workers; renewed while its handler runs, so this is
   * how long the rows of a worker that died wait for another.
   */
  leaseSeconds?: number;
  /**
   * Rows this process deletes before it vacuums the month's outbox partition itself (PostgreSQL only;
   * see `vacuumWhenDue`).
   */
  vacuumAfterDeletions?: number;
}

const MAX_RETRY_DELAY_SECONDS = 300;
const NOTIFY_CHANNEL = 'platform_outbox';
/** The least time between two vacuums of one process, whatever it deletes. */
const MIN_VACUUM_INTERVAL_MS = 1000;

/**
 * A transactional outbox (table platform_outbox): what one module tells the others after a write is
 * recorded in the same transaction as the write, one row per subscriber, and delivered afterwards in
 * batches. So a request is answered as soon as its own data is committed, nothing is told before it is
 * committed, and nothing is lost when the process stops between the commit and the delivery: the rows
 * stay until a subscriber has handled them, in this process or in any other worker on the same database
 * (`for update skip locked` shares them out). Delivery is at least once: handlers must be idempotent.
 */
export class EventOutbox {
  private readonly db: Kysely<{}>;
  private readonly subscriptions = new Map<string, Subscription>();
  private readonly batchSize: number;
  private readonly leaseSeconds: number;
  private timer: NodeJS.Timeout | undefined;
  private unlisten: (() => Promise<void>) | undefined;
  /** The delivery loop running for each subscriber, if any. */
  private readonly loops = new Map<string, { wokenWhileRunning: boolean; done: Promise<void> }>();
  /** Subscribers waiting for rows: the next claim statement claims for all of them. */
  private claimRequests: { subscriber: string; claimed: (rows: ClaimedRow[] | Error) => void }[] = [];
  /** Rows handled and not yet deleted: the next statement deletes them. */
  private handledRows: number[] = [];
  /** The statement loop of `flush` while it runs: one claim statement in flight per process at most. */
  private flushing: Promise<void> | undefined;
  private readonly vacuumAfterDeletions: number;
  private deletedSinceVacuum = 0;
  private lastVacuumAt = 0;
  /** This process's vacuum of the outbox while it runs (one at a time). */
  private vacuuming: Promise<void> | undefined;

  constructor(
    private readonly database: Database,
    private readonly options: EventOutboxOptions = {},
  ) {
    this.db = database.db;
    this.batchSize = options.batchSize ?? 50;
    this.leaseSeconds = options.leaseSeconds ?? 120;
    this.vacuumAfterDeletions = options.vacuumAfterDeletions ?? 1000;
  }

  /** Every process that publishes must subscribe the same handlers, before its first publish. */
  subscribe<Event>(topic: Topic<Event> | string, subscriber: string, handler: EventHandler<Event>): void {
    if (this.subscriptions.has(subscriber)) throw new Error(`Subscriber ${subscriber} is already registered`);
    this.subscriptions.set(subscriber, {
      topic: topicName(topic),
      subscriber,
      handler: handler as EventHandler<unknown>,
    });
  }

  /** Who listens to what, in the order of subscription. */
  subscribers(): { topic: string; subscriber: string }[] {
    return [...this.subscriptions.values()].map(({ topic, subscriber }) => ({ topic, subscriber }));
  }

  /**
   * Records an event for each subscriber of the topic, inside the caller's transaction. `alongside`, a
   * data-modifying statement of the caller's (no RETURNING needed), runs in the same round trip: the
   * last write of a single-item request and its event cost one statement, not two.
   */
  async publish<Event>(
    // eslint-disable-next-line @typescript-eslint/no-explicit-any -- Kysely<T> is invariant: a transaction over the caller's own tables
    tx: Kysely<any>,
    topic: Topic<Event> | string,
    event: Event,
    alongside?: RawBuilder<unknown>,
  ): Promise<void> {
    const recorded = this.recording(topic, sql`select ${JSON.stringify(event)}::jsonb as payload`);
    if (!recorded) {
      await alongside?.execute(tx);
      return;
    }
    await sql`${prepared}
      with ${alongside ? sql`alongside as (${alongside}), ` : sql``}${recorded.ctes}
      select ${recorded.notify}`.execute(tx);
  }

  /**
   * `publish` as parts of the caller's own statement, for a write that is one statement with its event:
   * `ctes` (a CTE named `recorded`) records an event for each subscriber of the topic and each row of
   * `payloads` (a query with one jsonb column, `payload`), and `notify` is an expression for the
   * statement's main query to select (a CTE that only reads runs only when the main query reads it).
   * The NOTIFY is delivered when the transaction commits, to the delivering process whichever it is
   * (with several HTTP processes, one background process delivers): no poll delay, nothing early. It
   * names the topic, so that only its subscribers look for work. Undefined when nobody subscribes.
   */
  recording<Event>(
    topic: Topic<Event> | string,
    payloads: RawBuilder<unknown>,
  ): { ctes: RawBuilder<unknown>; notify: RawBuilder<unknown> } | undefined {
    const name = topicName(topic);
    const subscribers = [...this.subscriptions.values()]
      .filter((subscription) => subscription.topic === name)
      .map((subscription) => subscription.subscriber);
    if (subscribers.length === 0) return undefined;
    return {
      ctes: sql`recorded as (
        insert into platform_outbox (subscriber, topic, payload)
        select s.subscriber, ${name}, p.payload
        from (${payloads}) as p cross join unnest(${subscribers}::text[]) as s(subscriber)
        returning id)`,
      notify: sql`(select pg_notify(${NOTIFY_CHANNEL}, ${name}) where exists (select from recorded))`,
    };
  }

  /**
   * Delivers until stop(): at once when notified of a commit, and on a poll that picks up retries and
   * anything a lost notification left behind.
   */
  async start(pollMs = 1000): Promise<void> {
    if (this.timer) return;
    this.timer = setInterval(() => this.kick(), pollMs);
    this.timer.unref();
    this.unlisten = await this.database.listen(NOTIFY_CHANNEL, (topic) => this.kick(topic));
    this.kick();
  }

  async stop(): Promise<void> {
    if (this.timer) clearInterval(this.timer);
    this.timer = undefined;
    await this.unlisten?.();
    this.unlisten = undefined;
    await this.idle();
    await this.flush();
    await this.vacuuming;
  }

  /** Delivers everything that is due, now (tests and tools use this instead of polling); true if anything was. */
  async drain(): Promise<boolean> {
    await this.idle();
    let delivered = false;
    while (await this.deliverRound()) delivered = true;
    return delivered;
  }

  private async idle(): Promise<void> {
    await Promise.all([...this.loops.values()].map((loop) => loop.done));
  }

  /** Rows not yet handled, per subscriber: a growing number means a subscriber is falling behind or failing. */
  async backlog(): Promise<Record<string, number>> {
    const { rows } = await sql<{ subscriber: string; rows: number }>`
      select subscriber, count(*)::int as rows from platform_outbox group by subscriber`.execute(this.db);
    return Object.fromEntries(rows.map((row) => [row.subscriber, row.rows]));
  }

  /** Per subscriber: rows waiting and the age of the oldest, in seconds (for the metrics). */
  async backlogAges(): Promise<{ subscriber: string; rows: number; oldestSeconds: number }[]> {
    const { rows } = await sql<{ subscriber: string; rows: number; oldest_seconds: number }>`
      select subscriber, count(*)::int as rows, extract(epoch from now() - min(created_at))::float8 as oldest_seconds
      from platform_outbox group by subscriber`.execute(this.db);
    return rows.map((row) => ({
      subscriber: row.subscriber,
      rows: row.rows,
      oldestSeconds: row.oldest_seconds,
    }));
  }

  /**
   * Events whose handler failed and that wait for their retry, per subscriber: the last error and the
   * seconds until the next attempt (settling waits for these instead of returning with work undone).
   */
  async failedBacklog(): Promise<{ subscriber: string; lastError: string; dueInSeconds: number }[]> {
    const { rows } = await sql<{ subscriber: string; last_error: string; due_in_seconds: number }>`
      select subscriber, max(last_error) as last_error,
        greatest(0, extract(epoch from min(available_at) - now()))::float8 as due_in_seconds
      from platform_outbox where last_error is not null group by subscriber`.execute(this.db);
    return rows.map((row) => ({
      subscriber: row.subscriber,
      lastError: row.last_error,
      dueInSeconds: row.due_in_seconds,
    }));
  }

  /** True when more than `limit` rows wait, counting no further than that (cheap at any backlog). */
  async hasBacklogOver(limit: number): Promise<boolean> {
    const { rows } = await sql<{ waiting: number }>`
      select count(*)::int as waiting from (select 1 from platform_outbox limit ${limit + 1}) as waiting`.execute(
      this.db,
    );
    return (rows[0]?.waiting ?? 0) > limit;
  }

  /**
   * Each subscriber delivers in its own loop, so a slow one never holds up the others. A notification
   * wakes the subscribers of its topic only (at hundreds of commits a second, waking the idle ones cost
   * a query each); the poll and a notification without topic wake them all.
   */
  private kick(topic = ''): void {
    for (const subscription of this.subscriptions.values())
      if (topic === '' || subscription.topic === topic) this.kickOne(subscription);
  }

  private kickOne(subscription: Subscription): void {
    const loop = this.loops.get(subscription.subscriber);
    if (loop) {
      loop.wokenWhileRunning = true;
      return;
    }
    const state = { wokenWhileRunning: false, done: Promise.resolve() };
    this.loops.set(subscription.subscriber, state);
    state.done = (async () => {
      try {
        // No waiting to gather events: under steady traffic the commits that arrive while a batch is
        // handled make the next batch, so batches grow with the load and a lone event goes at once.
        do {
          state.wokenWhileRunning = false;
          // A claim short of a full batch took every due row: later commits wake the loop again.
          while ((await this.deliverBatch(subscription)) === this.batchSize);
        } while (state.wokenWhileRunning);
      } catch (error) {
        this.options.logger?.error(
          { err: error, subscriber: subscription.subscriber },
          'event delivery loop failed',
        );
      } finally {
        this.loops.delete(subscription.subscriber);
      }
    })();
  }

  /** One batch for each subscriber, side by side (one claim statement for all); true when any had work. */
  private async deliverRound(): Promise<boolean> {
    const claimed = await Promise.all(
      [...this.subscriptions.values()].map((subscription) => this.deliverBatch(subscription)),
    );
    // The handled rows are deleted before drain() returns: its caller then reads the backlog it left.
    await this.flush();
    return claimed.some((count) => count > 0);
  }

  /**
   * Claims a batch and hands it to the handler; returns how many rows it claimed. The rows handled are
   * deleted by the process's next statement.
   */
  private async deliverBatch(subscription: Subscription): Promise<number> {
    const rows = await this.claim(subscription.subscriber);
    if (rows.length === 0) return 0;
    rows.sort((a, b) => a.id - b.id);
    const ids = rows.map((row) => row.id);
    // While the handler runs its lease is renewed, so that a short lease (a killed worker's rows return
    // soon) never hands a slow but living delivery to a second worker.
    const renewal = setInterval(
      () => {
        sql`update platform_outbox set available_at = now() + make_interval(secs => ${this.leaseSeconds}) where id = any(${ids}::bigint[])`
          .execute(this.db)
          .catch((error: unknown) =>
            // A lost connection (a database restart) costs one renewal; the next one retries.
            this.options.logger?.error(
              { err: error, subscriber: subscription.subscriber },
              'lease renewal failed',
            ),
          );
      },
      (this.leaseSeconds * 1000) / 3,
    );
    renewal.unref();
    try {
      await subscription.handler(rows.map((row) => row.payload));
      this.forget(ids);
    } catch (error) {
      this.options.logger?.error(
        { err: error, subscriber: subscription.subscriber, events: ids.length },
        'event handler failed; retried later',
      );
      await sql`
        update platform_outbox
        set available_at = now() + make_interval(secs => least(${MAX_RETRY_DELAY_SECONDS}, power(2, attempts)::int)), last_error = ${(error as Error).message}
        where id = any(${ids}::bigint[])`.execute(this.db);
    } finally {
      clearInterval(renewal);
    }
    return rows.length;
  }

  /**
   * Claims for one subscriber through the process's next claim statement: the subscribers that one
   * notification wakes (four for a stored parcel), or the poll (all of them), share one round trip
   * instead of sending one each.
   */
  private claim(subscriber: string): Promise<ClaimedRow[]> {
    return new Promise((resolve, reject) => {
      this.claimRequests.push({
        subscriber,
        claimed: (rows) => (rows instanceof Error ? reject(rows) : resolve(rows)),
      });
      void this.flush();
    });
  }

  /** Rows whose handler succeeded: deleted by the next statement, a claim's or a delete of its own. */
  private forget(ids: readonly number[]): void {
    this.handledRows.push(...ids);
    void this.flush();
  }

  /**
   * Sends the waiting claims and deletions, one statement at a time: what is asked while a statement is
   * in flight goes into the next one, so that a process never has more than one claim in flight and
   * each statement serves every subscriber that asked meanwhile. Settles when nothing is waiting.
   */
  private flush(): Promise<void> {
    this.flushing ??= (async () => {
      // The loops that one notification wakes all ask in the current turn of the event loop.
      await new Promise((resolve) => setImmediate(resolve));
      try {
        while (this.claimRequests.length > 0 || this.handledRows.length > 0)
          if (!(await this.sendWaiting())) break;
      } finally {
        // In the same turn as the check that found nothing waiting: what is asked later starts a new round.
        this.flushing = undefined;
      }
    })();
    return this.flushing;
  }

  /** One statement for what waits; false when it failed (its claims are refused, its deletions kept). */
  private async sendWaiting(): Promise<boolean> {
    const requests = this.claimRequests;
    const handled = this.handledRows;
    this.claimRequests = [];
    this.handledRows = [];
    try {
      const rows = await this.claimAndDelete(
        [...new Set(requests.map((request) => request.subscriber))],
        handled,
      );
      this.deletedSinceVacuum += handled.length;
      this.vacuumWhenDue();
      // A subscriber that asked twice (drain() beside a notified loop) gets its rows once.
      const served = new Set<string>();
      for (const request of requests) {
        const first = !served.has(request.subscriber);
        served.add(request.subscriber);
        request.claimed(first ? rows.filter((row) => row.subscriber === request.subscriber) : []);
      }
      return true;
    } catch (error) {
      // Handled rows stay leased: deleted by a later statement, or delivered again once the lease ends.
      this.handledRows.push(...handled);
      for (const request of requests) request.claimed(error as Error);
      return false;
    }
  }

  /**
   * Every event row is inserted, updated when claimed and deleted when handled, so the outbox leaves
   * dead row versions behind at about twice the rate it delivers, at the front of the delivery index
   * that every claim walks. Autovacuum visits a database at most once a minute (`autovacuum_naptime`):
   * at 100 parcels a second, 50,000 dead versions piled up between its visits and each claim cost
   * 0.52-0.60 ms of the server's CPU, against 0.26-0.33 ms with the partition vacuumed every two
   * seconds (docs/operations.md, "CPU per statement, and the outbox vacuumed by its deliverers"). So a delivering process
   * vacuums the month's partition itself after `vacuumAfterDeletions` deletions, at most once a second;
   * `skip_locked` leaves it to whoever is vacuuming already, and without `truncate` it never waits for
   * the exclusive lock that giving back the table's end would take. A role that does not own the table
   * gets a warning from PostgreSQL and nothing else. The embedded database has one process and no
   * autovacuum worth racing: nothing is done there.
   */
  private vacuumWhenDue(): void {
    if (this.database.engine !== 'postgres' || this.vacuuming) return;
    if (this.deletedSinceVacuum < this.vacuumAfterDeletions) return;
    if (Date.now() - this.lastVacuumAt < MIN_VACUUM_INTERVAL_MS) return;
    this.deletedSinceVacuum = 0;
    this.lastVacuumAt = Date.now();
    const partition = monthPartition('platform_outbox', new Date()).name;
    this.vacuuming = sql`vacuum (skip_locked, truncate false) ${sql.table(partition)}`
      .execute(this.db)
      .then(
        () => undefined,
        (error: unknown) => this.options.logger?.error({ err: error, partition }, 'outbox vacuum failed'),
      )
      .finally(() => (this.vacuuming = undefined));
  }

  /**
   * One statement: deletes the handled rows and claims, for each subscriber asking, its oldest due rows
   * (up to a batch), leased to this process. Oldest due first, in the order of the index (subscriber,
   * available_at, id): each claim reads its batch off the index and stops, where `order by id` sorted
   * every due row (all of a 100,000-event backlog) at each claim.
   */
  private async claimAndDelete(subscribers: string[], handled: number[]): Promise<ClaimedRow[]> {
    if (subscribers.length === 0) {
      await sql`${prepared}delete from platform_outbox where id = any(${handled}::bigint[])`.execute(this.db);
      return [];
    }
    const { rows } = await sql<ClaimedRow>`${prepared}
      with handled as (delete from platform_outbox where id = any(${handled}::bigint[])),
      due as (
        select due.id from unnest(${subscribers}::text[]) as asking(subscriber)
        cross join lateral (
          select id from platform_outbox
          where subscriber = asking.subscriber and available_at <= now() and id <> all(${handled}::bigint[])
          order by available_at, id limit ${this.batchSize} for update skip locked) as due)
      update platform_outbox set available_at = now() + make_interval(secs => ${this.leaseSeconds}), attempts = attempts + 1
      where id in (select id from due)
      returning id, subscriber, payload`.execute(this.db);
    return rows;
  }
}

interface ClaimedRow {
  id: number;
  subscriber: string;
  payload: unknown;
}

function topicName(topic: Topic<unknown> | string): string {
  return typeof topic === 'string' ? topic : topic.name;
}
