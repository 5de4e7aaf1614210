import { sql, type Kysely } from 'kysely';
import type { Database } from '../db/database.js';
import type { Logger } from '../logging/logger.js';

/**
 * A job queue kept in the database (table platform_job), so that the embedded default needs no broker
 * and several worker processes on PostgreSQL share the work through `for update skip locked`.
 */
export interface JobContext {
  jobId: number;
  /**
   * Records how far the job has come, and in which stage (a code the console words, e.g. `training`);
   * the API shows it as a progress bar.
   */
  reportProgress(done: number, total?: number, stage?: string): Promise<void>;
}

// eslint-disable-next-line @typescript-eslint/no-explicit-any -- each handler declares its own payload type; the queue stores JSON
export type JobHandler = (payload: any, context: JobContext) => Promise<unknown>;

export interface JobView {
  id: number;
  kind: string;
  state: 'queued' | 'running' | 'succeeded' | 'failed';
  progress: { done: number; total: number | null; stage: string | null };
  result: unknown;
  error: string | null;
  createdBy: string | null;
  createdAt: string;
  startedAt: string | null;
  finishedAt: string | null;
}

interface JobRow {
  id: number;
  kind: string;
  payload: unknown;
  state: JobView['state'];
  progress_done: number;
  progress_total: number | null;
  attempts: number;
  progress_stage: string | null;
  result: unknown;
  error: string | null;
  created_by: string | null;
  created_at: Date;
  started_at: Date | null;
  finished_at: Date | null;
}

export interface JobQueueOptions {
  /**
   * How often a running job's worker stamps it as alive. A job not stamped for `STALE_HEARTBEATS` times
   * this long belonged to a worker that died, and another worker takes it over.
   */
  heartbeatSeconds?: number;
}

/** Missed heartbeats after which a running job is taken over: one late stamp (a long pause) is not death. */
const STALE_HEARTBEATS = 3;
/**
 * Runs of one job: a job whose worker died this many times is failed with that reason rather than handed
 * to the next worker, since the job itself may be what kills them.
 */
const MAX_ATTEMPTS = 3;

export class JobQueue {
  private readonly handlers = new Map<string, JobHandler>();
  private readonly db: Kysely<{}>;
  private timer: NodeJS.Timeout | undefined;
  private running: Promise<void> | undefined;

  private readonly heartbeatSeconds: number;

  constructor(
    database: Database,
    private readonly logger?: Logger,
    /** Told how long each job ran and how it ended (the metrics). */
    private readonly onFinished?: (kind: string, seconds: number, outcome: 'succeeded' | 'failed') => void,
    options: JobQueueOptions = {},
  ) {
    this.db = database.db;
    this.heartbeatSeconds = options.heartbeatSeconds ?? 10;
  }

  register(kind: string, handler: JobHandler): void {
    this.handlers.set(kind, handler);
  }

  async enqueue(kind: string, payload: unknown, createdBy?: string): Promise<number> {
    if (!this.handlers.has(kind)) throw new Error(`No handler registered for job kind ${kind}`);
    const { rows } = await sql<{ id: number }>`
      insert into platform_job (kind, payload, created_by) values (${kind}, ${JSON.stringify(payload)}::jsonb, ${createdBy ?? null})
      returning id`.execute(this.db);
    this.kick();
    return rows[0]!.id;
  }

  async get(id: number): Promise<JobView | undefined> {
    const { rows } = await sql<JobRow>`select * from platform_job where id = ${id}`.execute(this.db);
    return rows[0] ? toView(rows[0]) : undefined;
  }

  /** The latest jobs of a kind, newest first (the console finds a training it did not start itself). */
  async latest(kind: string, limit: number): Promise<JobView[]> {
    const { rows } = await sql<JobRow>`
      select * from platform_job where kind = ${kind} order by id desc limit ${limit}`.execute(this.db);
    return rows.map(toView);
  }

  /** Polls for work until stop(); each process that calls start() is one worker. */
  start(pollMs = 1000): void {
    if (this.timer) return;
    this.timer = setInterval(() => this.kick(), pollMs);
    this.timer.unref();
    this.kick();
  }

  async stop(): Promise<void> {
    if (this.timer) clearInterval(this.timer);
    this.timer = undefined;
    await this.running;
  }

  /** Runs queued jobs until none is left (tests and the command line use this instead of polling). */
  /** Runs every queued job now; true if any ran. */
  async drain(): Promise<boolean> {
    await this.running;
    let ran = false;
    while (await this.runOne()) ran = true;
    return ran;
  }

  private kick(): void {
    if (this.running) return;
    this.running = (async () => {
      try {
        while (await this.runOne()) {
          // keep going
        }
      } catch (error) {
        this.logger?.error({ err: error }, 'job queue loop failed');
      } finally {
        this.running = undefined;
      }
    })();
  }

  private async runOne(): Promise<boolean> {
    const kinds = [...this.handlers.keys()];
    if (kinds.length === 0) return false;
    // Queued jobs, and running jobs whose worker stopped stamping them (it died): taken over.
    const { rows } = await sql<JobRow>`
      update platform_job set state = 'running', started_at = now(), heartbeat_at = now(), attempts = attempts + 1
      where id = (
        select id from platform_job
        where kind = any(${kinds}::text[]) and (
          (state = 'queued' and run_after <= now())
          or (state = 'running'
            and heartbeat_at < now() - make_interval(secs => ${STALE_HEARTBEATS * this.heartbeatSeconds})))
        order by id limit 1 for update skip locked)
      returning *`.execute(this.db);
    const job = rows[0];
    if (!job) return false;
    // Every write below names the attempt: a worker presumed dead that wakes up again cannot overwrite
    // what the worker that took its job over records.
    const ours = sql`id = ${job.id} and attempts = ${job.attempts}`;
    if (job.attempts > MAX_ATTEMPTS) {
      this.logger?.error({ jobId: job.id, kind: job.kind, attempts: job.attempts }, 'job abandoned');
      await sql`update platform_job set state = 'failed', finished_at = now(), error = ${`abandoned: the workers running it stopped ${job.attempts - 1} times`} where ${ours}`.execute(
        this.db,
      );
      return true;
    }
    const handler = this.handlers.get(job.kind)!;
    const context: JobContext = {
      jobId: job.id,
      reportProgress: async (done, total, stage) => {
        await sql`update platform_job set progress_done = ${done}, progress_total = ${total ?? null},
          progress_stage = coalesce(${stage ?? null}, progress_stage), heartbeat_at = now() where ${ours}`.execute(
          this.db,
        );
      },
    };
    const heartbeat = setInterval(() => {
      sql`update platform_job set heartbeat_at = now() where ${ours}`
        .execute(this.db)
        .catch((error: unknown) =>
          // A lost connection (database restart) costs one stamp; the next one retries.
          this.logger?.warn({ err: error, jobId: job.id }, 'job heartbeat failed'),
        );
    }, this.heartbeatSeconds * 1000);
    heartbeat.unref();
    const started = performance.now();
    const finished = (outcome: 'succeeded' | 'failed') =>
      this.onFinished?.(job.kind, (performance.now() - started) / 1000, outcome);
    try {
      const result = await handler(job.payload, context);
      finished('succeeded');
      await sql`update platform_job set state = 'succeeded', finished_at = now(), result = ${JSON.stringify(result ?? null)}::jsonb where ${ours}`.execute(
        this.db,
      );
    } catch (error) {
      finished('failed');
      this.logger?.error({ err: error, jobId: job.id, kind: job.kind }, 'job failed');
      await sql`update platform_job set state = 'failed', finished_at = now(), error = ${(error as Error).message} where ${ours}`.execute(
        this.db,
      );
    } finally {
      clearInterval(heartbeat);
    }
    return true;
  }
}

function toView(row: JobRow): JobView {
  return {
    id: row.id,
    kind: row.kind,
    state: row.state,
    progress: { done: row.progress_done, total: row.progress_total, stage: row.progress_stage },
    result: row.result,
    error: row.error,
    createdBy: row.created_by,
    createdAt: row.created_at.toISOString(),
    startedAt: row.started_at?.toISOString() ?? null,
    finishedAt: row.finished_at?.toISOString() ?? null,
  };
}
