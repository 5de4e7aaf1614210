import { sql, type Kysely, type RawBuilder } from 'kysely';
import type { Database } from '../db/database.js';
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
}

const MAX_RETRY_DELAY_SECONDS = 300;
const NOTIFY_CHANNEL = 'platform_outbox';

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

  constructor(
    private readonly database: Database,
    private readonly options: EventOutboxOptions = {},
  ) {
    this.db = database.db;
    this.batchSize = options.batchSize ?? 50;
    this.leaseSeconds = options.leaseSeconds ?? 120;
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
    const name = topicName(topic);
    const subscribers = [...this.subscriptions.values()]
      .filter((subscription) => subscription.topic === name)
      .map((subscription) => subscription.subscriber);
    if (subscribers.length === 0) {
      await alongside?.execute(tx);
      return;
    }
    // The NOTIFY is delivered when the transaction commits, to the delivering process whichever it is
    // (with several HTTP processes, one background process delivers): no poll delay, nothing early. It
    // names the topic, so that only its subscribers look for work. A data-modifying CTE runs whether or
    // not the query reads it.
    await sql`
      with ${alongside ? sql`alongside as (${alongside}), ` : sql``}recorded as (
        insert into platform_outbox (subscriber, topic, payload)
        select subscriber, ${name}, ${JSON.stringify(event)}::jsonb from unnest(${subscribers}::text[]) as s(subscriber)
        returning id)
      select pg_notify(${NOTIFY_CHANNEL}, ${name}) where exists (select from recorded)`.execute(tx);
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
      // Rows handled but not yet deleted: the next claim deletes them in the same statement.
      let handled: number[] = [];
      try {
        // No waiting to gather events: under steady traffic the commits that arrive while a batch is
        // handled make the next batch, so batches grow with the load and a lone event goes at once.
        do {
          state.wokenWhileRunning = false;
          for (;;) {
            const delivery = await this.deliverBatch(subscription, handled);
            handled = delivery.handled;
            // A claim short of a full batch took every due row: later commits wake the loop again.
            if (delivery.claimed < this.batchSize) break;
          }
        } while (state.wokenWhileRunning);
        await this.forget(handled);
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

  /** One batch for each subscriber, side by side; true when any had work. */
  private async deliverRound(): Promise<boolean> {
    const claimed = await Promise.all(
      [...this.subscriptions.values()].map(async (subscription) => {
        const delivery = await this.deliverBatch(subscription);
        await this.forget(delivery.handled);
        return delivery.claimed;
      }),
    );
    return claimed.some((count) => count > 0);
  }

  /** Deletes rows whose handler succeeded. */
  private async forget(ids: readonly number[]): Promise<void> {
    if (ids.length > 0)
      await sql`delete from platform_outbox where id = any(${ids}::bigint[])`.execute(this.db);
  }

  /**
   * Claims a batch, deleting in the same statement the rows of the previous batch that were handled
   * (one round trip per batch instead of two), and hands it to the handler. Returns how many rows it
   * claimed and those it handled: the caller deletes them, with its next claim or with `forget`.
   */
  private async deliverBatch(
    subscription: Subscription,
    handledBefore: readonly number[] = [],
  ): Promise<{ claimed: number; handled: number[] }> {
    // Oldest due first, in the order of the index (subscriber, available_at, id): the claim reads its
    // batch off the index and stops, where `order by id` sorted every due row (all of a 100,000-event
    // backlog) at each claim.
    const { rows } = await sql<{ id: number; payload: unknown }>`
      with handled as (delete from platform_outbox where id = any(${handledBefore}::bigint[]))
      update platform_outbox set available_at = now() + make_interval(secs => ${this.leaseSeconds}), attempts = attempts + 1
      where id in (
        select id from platform_outbox
        where subscriber = ${subscription.subscriber} and available_at <= now() and id <> all(${handledBefore}::bigint[])
        order by available_at, id limit ${this.batchSize} for update skip locked)
      returning id, payload`.execute(this.db);
    if (rows.length === 0) return { claimed: 0, handled: [] };
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
      return { claimed: rows.length, handled: ids };
    } catch (error) {
      this.options.logger?.error(
        { err: error, subscriber: subscription.subscriber, events: ids.length },
        'event handler failed; retried later',
      );
      await sql`
        update platform_outbox
        set available_at = now() + make_interval(secs => least(${MAX_RETRY_DELAY_SECONDS}, power(2, attempts)::int)), last_error = ${(error as Error).message}
        where id = any(${ids}::bigint[])`.execute(this.db);
      return { claimed: rows.length, handled: [] };
    } finally {
      clearInterval(renewal);
    }
  }
}

function topicName(topic: Topic<unknown> | string): string {
  return typeof topic === 'string' ? topic : topic.name;
}
