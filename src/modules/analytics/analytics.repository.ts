import { sql, type Kysely, type RawBuilder } from 'kysely';
import type { Database } from '../../platform/db/database.js';
import type { Locale } from '../../platform/i18n/locale.js';
import type { ModelResult, ParameterValues } from './catalogue/analytical-model.js';
import type { Cadence } from './domain/schedule.js';
import type { RequestStatus, RequestUrgency } from './domain/model-requests.js';

/**
 * The only code that touches the portal's tables (`analytics_run`, `analytics_schedule`,
 * `analytics_request`, `analytics_request_event`) and the one way models read data: `readOnly` runs a
 * model's statement over the published analysis views in a transaction that cannot write, with a
 * statement timeout.
 */
export type RunStatus = 'queued' | 'running' | 'succeeded' | 'failed';

export interface StoredRun {
  id: number;
  modelId: string;
  modelVersion: string;
  parameters: ParameterValues;
  from: string;
  to: string;
  status: RunStatus;
  progress: number;
  result: (ModelResult & { truncated?: boolean }) | null;
  error: string | null;
  requestedBy: string;
  scheduleId: number | null;
  createdAt: string;
  finishedAt: string | null;
}

export interface StoredSchedule {
  id: number;
  modelId: string;
  parameters: ParameterValues;
  cadence: Cadence;
  windowDays: number;
  recipient: string;
  locale: Locale;
  owner: string;
  nextRunAt: string;
  active: boolean;
}

export interface StoredRequest {
  id: number;
  title: string;
  question: string;
  dataNeeded: string;
  urgency: RequestUrgency;
  exampleCases: string;
  status: RequestStatus;
  requester: string;
  requesterName: string;
  estimateDays: number | null;
  deliveredModelId: string | null;
  deliveredModelVersion: string | null;
  createdAt: string;
  updatedAt: string;
}

export interface StoredRequestEvent {
  id: number;
  kind: string;
  author: string;
  authorName: string;
  text: string;
  statusAfter: RequestStatus;
  notified: string | null;
  createdAt: string;
}

/** Raised when a model's statement ran past its time limit (PostgreSQL's query_canceled, 57014). */
export class ModelStatementTimeoutError extends Error {}

const iso = (value: Date | string | null): string | null =>
  value === null ? null : value instanceof Date ? value.toISOString() : new Date(value).toISOString();
const day = (value: Date | string): string =>
  value instanceof Date ? value.toISOString().slice(0, 10) : String(value).slice(0, 10);
const json = <T>(value: unknown): T => (typeof value === 'string' ? JSON.parse(value) : value) as T;

/**
 * Memory for each sort and hash of a model's statement. PostgreSQL's default (4 MB) sends a whole-history
 * run's sorts and hashes to disk in many batches; the bench (bench/analytics.bench.ts) measures the models
 * with this same value, so its figures are what the portal gets.
 */
export const MODEL_WORK_MEM = '256MB';

export class AnalyticsRepository {
  // The portal's tables and the analysis views are not in any Kysely table type: statements are raw SQL.
  private readonly db: Kysely<object>;

  constructor(database: Database) {
    this.db = database.db;
  }

  async readOnly<Row>(statement: RawBuilder<Row>, timeoutMs: number): Promise<Row[]> {
    try {
      return await this.db.transaction().execute(async (tx) => {
        await sql`set transaction read only`.execute(tx);
        await sql.raw(`set local statement_timeout = ${Math.max(1, Math.floor(timeoutMs))}`).execute(tx);
        await sql.raw(`set local work_mem = '${MODEL_WORK_MEM}'`).execute(tx);
        return (await statement.execute(tx)).rows;
      });
    } catch (error) {
      if ((error as { code?: string }).code === '57014')
        throw new ModelStatementTimeoutError('statement timeout');
      throw error;
    }
  }

  // ---- runs

  async insertRun(run: {
    modelId: string;
    modelVersion: string;
    parameters: ParameterValues;
    from: string;
    to: string;
    requestedBy: string;
    scheduleId?: number;
  }): Promise<number> {
    const { rows } = await sql<{ id: number }>`
      insert into analytics_run (model_id, model_version, parameters, date_from, date_to, requested_by, schedule_id)
      values (${run.modelId}, ${run.modelVersion}, ${JSON.stringify(run.parameters)}::jsonb, ${run.from}::date,
        ${run.to}::date, ${run.requestedBy}, ${run.scheduleId ?? null})
      returning id`.execute(this.db);
    return Number(rows[0]!.id);
  }

  async markRunning(id: number): Promise<void> {
    await sql`update analytics_run set status = 'running', progress = 0 where id = ${id}`.execute(this.db);
  }

  async setProgress(id: number, progress: number): Promise<void> {
    await sql`update analytics_run set progress = ${progress} where id = ${id} and status = 'running'`.execute(
      this.db,
    );
  }

  async finishRun(id: number, outcome: { result: unknown } | { error: string }): Promise<void> {
    if ('result' in outcome)
      await sql`update analytics_run set status = 'succeeded', progress = 1, finished_at = now(),
        result = ${JSON.stringify(outcome.result)}::jsonb where id = ${id}`.execute(this.db);
    else
      await sql`update analytics_run set status = 'failed', finished_at = now(), error = ${outcome.error}
        where id = ${id}`.execute(this.db);
  }

  async findRun(id: number, withResult = true): Promise<StoredRun | undefined> {
    const { rows } = await sql<RunRow>`
      select id, model_id, model_version, parameters, date_from, date_to, status, progress,
        ${withResult ? sql`result` : sql`null::jsonb as result`}, error, requested_by, schedule_id, created_at, finished_at
      from analytics_run where id = ${id}`.execute(this.db);
    return rows[0] ? toRun(rows[0]) : undefined;
  }

  /** The newest runs first, without their results; optionally one requester's or one model's. */
  async listRuns(filter: { requestedBy?: string; modelId?: string; limit: number }): Promise<StoredRun[]> {
    const { rows } = await sql<RunRow>`
      select id, model_id, model_version, parameters, date_from, date_to, status, progress, null::jsonb as result,
        error, requested_by, schedule_id, created_at, finished_at
      from analytics_run
      where (${filter.requestedBy ?? null}::text is null or requested_by = ${filter.requestedBy ?? null})
        and (${filter.modelId ?? null}::text is null or model_id = ${filter.modelId ?? null})
      order by id desc limit ${filter.limit}`.execute(this.db);
    return rows.map(toRun);
  }

  // ---- schedules

  async insertSchedule(schedule: Omit<StoredSchedule, 'id' | 'active'>): Promise<number> {
    const { rows } = await sql<{ id: number }>`
      insert into analytics_schedule (model_id, parameters, cadence, window_days, recipient, locale, owner, next_run_at)
      values (${schedule.modelId}, ${JSON.stringify(schedule.parameters)}::jsonb, ${schedule.cadence},
        ${schedule.windowDays}, ${schedule.recipient}, ${schedule.locale}, ${schedule.owner}, ${schedule.nextRunAt}::timestamptz)
      returning id`.execute(this.db);
    return Number(rows[0]!.id);
  }

  async listSchedules(owner?: string): Promise<StoredSchedule[]> {
    const { rows } = await sql<ScheduleRow>`
      select * from analytics_schedule
      where active and (${owner ?? null}::text is null or owner = ${owner ?? null}) order by id`.execute(
      this.db,
    );
    return rows.map(toSchedule);
  }

  async findSchedule(id: number): Promise<StoredSchedule | undefined> {
    const { rows } = await sql<ScheduleRow>`select * from analytics_schedule where id = ${id}`.execute(
      this.db,
    );
    return rows[0] ? toSchedule(rows[0]) : undefined;
  }

  async deactivateSchedule(id: number): Promise<void> {
    await sql`update analytics_schedule set active = false where id = ${id}`.execute(this.db);
  }

  /**
   * Claims the schedules due at `now` and moves each one's next run forward in the same statement, so
   * that two processes never start the same scheduled run twice.
   */
  async claimDueSchedules(
    now: Date,
    nextRunAt: (schedule: StoredSchedule) => Date,
  ): Promise<StoredSchedule[]> {
    return this.db.transaction().execute(async (tx) => {
      const { rows } = await sql<ScheduleRow>`
        select * from analytics_schedule where active and next_run_at <= ${now.toISOString()}::timestamptz
        order by id for update skip locked`.execute(tx);
      const due = rows.map(toSchedule);
      for (const schedule of due)
        await sql`update analytics_schedule set next_run_at = ${nextRunAt(schedule).toISOString()}::timestamptz
          where id = ${schedule.id}`.execute(tx);
      return due;
    });
  }

  // ---- model requests

  async insertRequest(
    request: Pick<
      StoredRequest,
      'title' | 'question' | 'dataNeeded' | 'urgency' | 'exampleCases' | 'requester' | 'requesterName'
    >,
    event: { text: string; notified: string | null },
  ): Promise<number> {
    return this.db.transaction().execute(async (tx) => {
      const { rows } = await sql<{ id: number }>`
        insert into analytics_request (title, question, data_needed, urgency, example_cases, requester, requester_name)
        values (${request.title}, ${request.question}, ${request.dataNeeded}, ${request.urgency},
          ${request.exampleCases}, ${request.requester}, ${request.requesterName})
        returning id`.execute(tx);
      const id = Number(rows[0]!.id);
      await sql`insert into analytics_request_event (request_id, kind, author, author_name, text, status_after, notified)
        values (${id}, 'filed', ${request.requester}, ${request.requesterName}, ${event.text}, 'filed', ${event.notified})`.execute(
        tx,
      );
      return id;
    });
  }

  async listRequests(filter: {
    requester?: string;
    status?: RequestStatus;
    limit: number;
  }): Promise<StoredRequest[]> {
    const { rows } = await sql<RequestRow>`
      select * from analytics_request
      where (${filter.requester ?? null}::text is null or requester = ${filter.requester ?? null})
        and (${filter.status ?? null}::text is null or status = ${filter.status ?? null})
      order by id desc limit ${filter.limit}`.execute(this.db);
    return rows.map(toRequest);
  }

  async findRequest(
    id: number,
  ): Promise<{ request: StoredRequest; events: StoredRequestEvent[] } | undefined> {
    const { rows } = await sql<RequestRow>`select * from analytics_request where id = ${id}`.execute(this.db);
    if (!rows[0]) return undefined;
    const events = await sql<EventRow>`
      select * from analytics_request_event where request_id = ${id} order by id`.execute(this.db);
    return { request: toRequest(rows[0]), events: events.rows.map(toEvent) };
  }

  /**
   * Records one step and the request's new status together, but only if the status is still the one the
   * step was checked against (two analysts answering at once: the second is refused, not applied twice).
   */
  async recordStep(
    id: number,
    expectedStatus: RequestStatus,
    step: {
      kind: string;
      author: string;
      authorName: string;
      text: string;
      statusAfter: RequestStatus;
      estimateDays?: number;
      deliveredModelId?: string;
      deliveredModelVersion?: string;
    },
  ): Promise<number | undefined> {
    return this.db.transaction().execute(async (tx) => {
      const updated = await sql`
        update analytics_request set status = ${step.statusAfter}, updated_at = now(),
          estimate_days = coalesce(${step.estimateDays ?? null}::int, estimate_days),
          delivered_model_id = coalesce(${step.deliveredModelId ?? null}::text, delivered_model_id),
          delivered_model_version = coalesce(${step.deliveredModelVersion ?? null}::text, delivered_model_version)
        where id = ${id} and status = ${expectedStatus}`.execute(tx);
      if (Number(updated.numAffectedRows ?? 0) === 0) return undefined;
      const { rows } = await sql<{ id: number }>`
        insert into analytics_request_event (request_id, kind, author, author_name, text, status_after)
        values (${id}, ${step.kind}, ${step.author}, ${step.authorName}, ${step.text}, ${step.statusAfter})
        returning id`.execute(tx);
      return Number(rows[0]!.id);
    });
  }

  async markNotified(eventId: number, recipient: string): Promise<void> {
    await sql`update analytics_request_event set notified = ${recipient} where id = ${eventId}`.execute(
      this.db,
    );
  }
}

interface RunRow {
  id: number | string;
  model_id: string;
  model_version: string;
  parameters: unknown;
  date_from: Date | string;
  date_to: Date | string;
  status: RunStatus;
  progress: number;
  result: unknown;
  error: string | null;
  requested_by: string;
  schedule_id: number | string | null;
  created_at: Date | string;
  finished_at: Date | string | null;
}

function toRun(row: RunRow): StoredRun {
  return {
    id: Number(row.id),
    modelId: row.model_id,
    modelVersion: row.model_version,
    parameters: json<ParameterValues>(row.parameters),
    from: day(row.date_from),
    to: day(row.date_to),
    status: row.status,
    progress: Number(row.progress),
    result: row.result === null ? null : json<StoredRun['result']>(row.result),
    error: row.error,
    requestedBy: row.requested_by,
    scheduleId: row.schedule_id === null ? null : Number(row.schedule_id),
    createdAt: iso(row.created_at)!,
    finishedAt: iso(row.finished_at),
  };
}

interface ScheduleRow {
  id: number | string;
  model_id: string;
  parameters: unknown;
  cadence: Cadence;
  window_days: number;
  recipient: string;
  locale: Locale;
  owner: string;
  next_run_at: Date | string;
  active: boolean;
}

function toSchedule(row: ScheduleRow): StoredSchedule {
  return {
    id: Number(row.id),
    modelId: row.model_id,
    parameters: json<ParameterValues>(row.parameters),
    cadence: row.cadence,
    windowDays: Number(row.window_days),
    recipient: row.recipient,
    locale: row.locale,
    owner: row.owner,
    nextRunAt: iso(row.next_run_at)!,
    active: row.active,
  };
}

interface RequestRow {
  id: number | string;
  title: string;
  question: string;
  data_needed: string;
  urgency: RequestUrgency;
  example_cases: string;
  status: RequestStatus;
  requester: string;
  requester_name: string;
  estimate_days: number | null;
  delivered_model_id: string | null;
  delivered_model_version: string | null;
  created_at: Date | string;
  updated_at: Date | string;
}

function toRequest(row: RequestRow): StoredRequest {
  return {
    id: Number(row.id),
    title: row.title,
    question: row.question,
    dataNeeded: row.data_needed,
    urgency: row.urgency,
    exampleCases: row.example_cases,
    status: row.status,
    requester: row.requester,
    requesterName: row.requester_name,
    estimateDays: row.estimate_days === null ? null : Number(row.estimate_days),
    deliveredModelId: row.delivered_model_id,
    deliveredModelVersion: row.delivered_model_version,
    createdAt: iso(row.created_at)!,
    updatedAt: iso(row.updated_at)!,
  };
}

interface EventRow {
  id: number | string;
  kind: string;
  author: string;
  author_name: string;
  text: string;
  status_after: RequestStatus;
  notified: string | null;
  created_at: Date | string;
}

function toEvent(row: EventRow): StoredRequestEvent {
  return {
    id: Number(row.id),
    kind: row.kind,
    author: row.author,
    authorName: row.author_name,
    text: row.text,
    statusAfter: row.status_after,
    notified: row.notified,
    createdAt: iso(row.created_at)!,
  };
}
