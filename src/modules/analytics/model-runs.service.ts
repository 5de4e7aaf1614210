import type { Actor } from '../../platform/auth/actor.js';
import { describeActor, deny, isOfficer } from '../../platform/auth/actor.js';
import type { AuditTrail } from '../../platform/auth/audit-trail.js';
import type { Locale } from '../../platform/i18n/locale.js';
import type { JobQueue } from '../../platform/jobs/job-queue.js';
import type { MailSender } from '../../platform/mail/mail-sender.js';
import type {
  AnalyticalModel,
  EntityScore,
  LocalisedText,
  ModelGroup,
  ParameterSpec,
  ParameterValues,
} from './catalogue/analytical-model.js';
import { AnalyticsError } from './analytics.errors.js';
import {
  ModelStatementTimeoutError,
  type AnalyticsRepository,
  type StoredRun,
  type StoredSchedule,
} from './analytics.repository.js';
import { PARCEL_FACT } from './catalogue/models/paid-parcels.js';
import { LINE_FACT } from './catalogue/models/declared-lines.js';
import { validateParameters } from './domain/model-parameters.js';
import { boundResult, localiseResult, resultAsCsv, type LocalisedResult } from './domain/run-result.js';
import { nextRunAfter, scheduledWindow, type Cadence } from './domain/schedule.js';
import type { ParcelFacts } from './parcel-facts.js';

export const MODEL_RUN_JOB = 'analytics.model-run';

/** The fact tables one refresh (`ParcelFacts.refresh`) keeps current, parcel and line rows together. */
const FACT_TABLES: readonly string[] = [PARCEL_FACT, LINE_FACT];

/** Which targeting watchlist kind holds each kind of entity a model scores (others cannot be listed). */
const watchlistKindOf: Partial<Record<EntityScore['kind'], string>> = {
  pccc: 'buyer',
  buyer: 'buyer',
  seller: 'seller',
  carrier: 'carrier',
  address: 'address',
  hs6: 'hs',
};

/** Targeting's watchlists, as the portal sees them (wired in main.ts; targeting checks the actor's rights). */
export interface WatchlistPort {
  addEntries(
    actor: Actor,
    watchlist: string,
    entries: { value: string; note: string }[],
  ): Promise<{ added: number }>;
}

export interface ModelRunLimits {
  /** Each statement of a model stops after this long. */
  statementTimeoutMs: number;
  /** The longest data window a run may cover. */
  maxWindowDays: number;
}

export interface ModelView {
  id: string;
  version: string;
  name: string;
  group: ModelGroup;
  firstTwelve: boolean;
  question: string;
  method: string;
  inputs: readonly string[];
  parameters: {
    name: string;
    label: string;
    type: ParameterSpec['type'];
    default: number | boolean | string;
    min: number | null;
    max: number | null;
    choices: readonly string[] | null;
    maxLength: number | null;
  }[];
}

export interface RunView {
  runId: number;
  modelId: string;
  modelVersion: string;
  modelName: string;
  parameters: ParameterValues;
  from: string;
  to: string;
  status: StoredRun['status'];
  progress: number;
  requestedBy: string;
  scheduleId: number | null;
  createdAt: string;
  finishedAt: string | null;
  error: string | null;
}

export type RunResultView = RunView & LocalisedResult & { truncated: boolean };

const DAY_MS = 86_400_000;
const say = (text: LocalisedText, locale: Locale) => text[locale] ?? text.en;

/**
 * Running the catalogue's models: listing them in the reader's language, checking parameters and data
 * windows, queueing each run as a job that reads the published views read-only and stores its result
 * with the model version, parameters and window; CSV export; hits sent to a targeting watchlist;
 * daily and weekly schedules whose results are mailed. Every officer may run models.
 */
export class ModelRunsService {
  private readonly models: Map<string, AnalyticalModel>;

  constructor(
    private readonly deps: {
      repository: AnalyticsRepository;
      models: readonly AnalyticalModel[];
      jobs: JobQueue;
      audit: AuditTrail;
      mail: MailSender;
      watchlists: WatchlistPort;
      limits: ModelRunLimits;
      parcelFacts: ParcelFacts;
      clock?: () => Date;
    },
  ) {
    this.models = new Map(deps.models.map((model) => [model.id, model]));
    deps.jobs.register(MODEL_RUN_JOB, (payload: { runId: number }, context) =>
      this.execute(payload.runId, (fraction) => context.reportProgress(Math.round(fraction * 100), 100)),
    );
  }

  private now(): Date {
    return this.deps.clock?.() ?? new Date();
  }

  listModels(actor: Actor, locale: Locale): ModelView[] {
    this.requireOfficer(actor, 'analytics.list_models');
    return [...this.models.values()].map((model) => modelView(model, locale));
  }

  getModel(actor: Actor, id: string, locale: Locale): ModelView {
    this.requireOfficer(actor, 'analytics.get_model');
    return modelView(this.model(id), locale);
  }

  /** Checks the parameters and the window, stores the run as queued and queues its job. */
  async startRun(
    actor: Actor,
    modelId: string,
    input: { parameters?: Record<string, unknown>; from?: string; to?: string },
  ): Promise<{ runId: number }> {
    this.requireOfficer(actor, 'analytics.run_model');
    const model = this.model(modelId);
    const parameters = this.checkedParameters(model, input.parameters ?? {});
    const window = this.checkedWindow(input.from, input.to);
    return { runId: await this.queueRun(model, parameters, window, describeActor(actor)) };
  }

  async getRun(actor: Actor, runId: number, locale: Locale): Promise<RunResultView> {
    this.requireOfficer(actor, 'analytics.get_run');
    const run = await this.deps.repository.findRun(runId);
    if (!run) throw new AnalyticsError('run_not_found', `No run ${runId}`);
    const empty: LocalisedResult = { columns: [], rows: [], entities: [], chart: null, summary: null };
    return {
      ...this.runView(run, locale),
      ...(run.result ? localiseResult(run.result, locale) : empty),
      truncated: run.result?.truncated ?? false,
    };
  }

  async listRuns(
    actor: Actor,
    filter: { mine?: boolean; modelId?: string; limit?: number },
    locale: Locale,
  ): Promise<RunView[]> {
    this.requireOfficer(actor, 'analytics.list_runs');
    const runs = await this.deps.repository.listRuns({
      ...(filter.mine ? { requestedBy: describeActor(actor) } : {}),
      ...(filter.modelId ? { modelId: filter.modelId } : {}),
      limit: Math.min(Math.max(filter.limit ?? 50, 1), 500),
    });
    return runs.map((run) => this.runView(run, locale));
  }

  /** The finished run's table as CSV in the reader's language; the export is audited. */
  async exportRun(actor: Actor, runId: number, locale: Locale): Promise<{ filename: string; csv: string }> {
    const run = await this.finishedRun(actor, runId, 'analytics.export_run');
    await this.deps.audit.append({
      actor,
      action: 'analytics.run_exported',
      subject: `analytics_run:${runId}`,
      details: { modelId: run.modelId, rows: run.result!.rows.length },
    });
    return {
      filename: `${run.modelId}-run-${runId}.csv`,
      csv: resultAsCsv(localiseResult(run.result!, locale), say(EVIDENCE_LABEL, locale)),
    };
  }

  /**
   * Sends a finished run's hits (all of them, those above a score, or the keys chosen) to a targeting
   * watchlist in one step, through targeting (which checks that the actor may edit watchlists and that
   * each value fits the list's kind); the note on each entry names the run so that a hit can be traced.
   */
  async sendHitsToWatchlist(
    actor: Actor,
    runId: number,
    input: { watchlist: string; minScore?: number; keys?: readonly string[] },
  ): Promise<{ added: number; watchlist: string }> {
    const run = await this.finishedRun(actor, runId, 'analytics.send_hits');
    const chosen = input.keys ? new Set(input.keys) : undefined;
    const hits = run.result!.entities.filter(
      (entity) =>
        watchlistKindOf[entity.kind] !== undefined &&
        (input.minScore === undefined || entity.score >= input.minScore) &&
        (!chosen || chosen.has(entity.key)),
    );
    if (hits.length === 0)
      throw new AnalyticsError(
        'no_hits',
        `Run ${runId} has no hits that a watchlist can hold for this choice`,
      );
    const note = `${run.modelId} ${run.modelVersion} run ${runId} (${run.from}..${run.to})`;
    const { added } = await this.deps.watchlists.addEntries(
      actor,
      input.watchlist,
      hits.map((hit) => ({ value: hit.key, note: `${note}, score ${hit.score}` })),
    );
    await this.deps.audit.append({
      actor,
      action: 'analytics.hits_sent_to_watchlist',
      subject: `analytics_run:${runId}`,
      details: { watchlist: input.watchlist, added, modelId: run.modelId, modelVersion: run.modelVersion },
    });
    return { added, watchlist: input.watchlist };
  }

  // ---- schedules

  async createSchedule(
    actor: Actor,
    input: {
      modelId: string;
      parameters?: Record<string, unknown>;
      cadence: Cadence;
      windowDays: number;
      recipient: string;
      locale: Locale;
    },
  ): Promise<StoredSchedule> {
    this.requireOfficer(actor, 'analytics.create_schedule');
    const model = this.model(input.modelId);
    const parameters = this.checkedParameters(model, input.parameters ?? {});
    if (input.windowDays > this.deps.limits.maxWindowDays)
      throw new AnalyticsError(
        'invalid_window',
        `A window is at most ${this.deps.limits.maxWindowDays} days`,
        {
          fieldErrors: [
            {
              path: 'windowDays',
              value: input.windowDays,
              rule: 'too-large',
              message: `must be at most ${this.deps.limits.maxWindowDays}`,
              params: { max: this.deps.limits.maxWindowDays },
            },
          ],
        },
      );
    const schedule = {
      modelId: model.id,
      parameters,
      cadence: input.cadence,
      windowDays: input.windowDays,
      recipient: input.recipient,
      locale: input.locale,
      owner: describeActor(actor),
      nextRunAt: nextRunAfter(this.now(), input.cadence).toISOString(),
    };
    const id = await this.deps.repository.insertSchedule(schedule);
    await this.deps.audit.append({
      actor,
      action: 'analytics.schedule_created',
      subject: `analytics_schedule:${id}`,
      details: { modelId: model.id, cadence: input.cadence },
    });
    return { id, active: true, ...schedule };
  }

  async listSchedules(actor: Actor): Promise<StoredSchedule[]> {
    this.requireOfficer(actor, 'analytics.list_schedules');
    return this.deps.repository.listSchedules();
  }

  /** The owner or an administrator stops a schedule. */
  async deleteSchedule(actor: Actor, id: number): Promise<void> {
    this.requireOfficer(actor, 'analytics.delete_schedule');
    const schedule = await this.deps.repository.findSchedule(id);
    if (!schedule || !schedule.active) throw new AnalyticsError('schedule_not_found', `No schedule ${id}`);
    if (schedule.owner !== describeActor(actor) && !isOfficer(actor, 'administrator'))
      deny(actor, 'analytics.delete_schedule', `analytics_schedule:${id}`, 'Only its owner stops a schedule');
    await this.deps.repository.deactivateSchedule(id);
    await this.deps.audit.append({
      actor,
      action: 'analytics.schedule_stopped',
      subject: `analytics_schedule:${id}`,
    });
  }

  /** Queues a run for every schedule that is due (called every minute by the background process). */
  async runDueSchedules(): Promise<number> {
    const now = this.now();
    const due = await this.deps.repository.claimDueSchedules(now, (schedule) =>
      nextRunAfter(now, schedule.cadence),
    );
    for (const schedule of due) {
      const model = this.models.get(schedule.modelId);
      if (!model) continue;
      await this.queueRun(
        model,
        schedule.parameters,
        scheduledWindow(now, schedule.windowDays),
        `schedule:${schedule.id}`,
        schedule.id,
      );
    }
    return due.length;
  }

  // ---- the job

  private async execute(
    runId: number,
    reportProgress: (fraction: number) => Promise<void>,
  ): Promise<{ runId: number }> {
    const run = await this.deps.repository.findRun(runId, false);
    if (!run || run.status !== 'queued') return { runId };
    const model = this.models.get(run.modelId);
    await this.deps.repository.markRunning(runId);
    try {
      if (!model) throw new Error(`Model ${run.modelId} is no longer in the catalogue`);
      // The days intake stored records of since the last refresh are copied again before the model reads.
      if (model.inputs.some((input) => FACT_TABLES.includes(input))) await this.deps.parcelFacts.refresh();
      let lastWritten = 0;
      const result = await model.run({
        from: run.from,
        to: run.to,
        parameters: run.parameters,
        locale: 'en',
        query: (statement) => this.deps.repository.readOnly(statement, this.deps.limits.statementTimeoutMs),
        progress: (fraction) => {
          const bounded = Math.min(Math.max(fraction, 0), 0.99);
          // Progress is written at most every 5 %, so that a chatty model does not hammer the database.
          if (bounded - lastWritten < 0.05) return;
          lastWritten = bounded;
          void this.deps.repository
            .setProgress(runId, bounded)
            .then(() => reportProgress(bounded))
            .catch(() => undefined);
        },
      });
      const { result: stored, truncated } = boundResult(result);
      await this.deps.repository.finishRun(runId, { result: { ...stored, truncated } });
      if (run.scheduleId !== null) await this.mailScheduledResult(run.scheduleId, runId);
    } catch (error) {
      const message =
        error instanceof ModelStatementTimeoutError
          ? `The model ran past its time limit of ${this.deps.limits.statementTimeoutMs} ms; choose a shorter period`
          : (error as Error).message;
      await this.deps.repository.finishRun(runId, { error: message });
    }
    return { runId };
  }

  private async mailScheduledResult(scheduleId: number, runId: number): Promise<void> {
    const schedule = await this.deps.repository.findSchedule(scheduleId);
    const run = await this.deps.repository.findRun(runId);
    if (!schedule || !run?.result) return;
    const model = this.model(run.modelId);
    const locale = schedule.locale;
    const result = localiseResult(run.result, locale);
    const top = result.entities
      .slice(0, 20)
      .map((entity) => `- ${entity.key} (${entity.score}): ${entity.evidence.join('; ')}`);
    await this.deps.mail.send({
      to: schedule.recipient,
      subject: `[Clearway] ${say(model.name, locale)} ${run.from}..${run.to}`,
      text: [
        say(SCHEDULED_INTRO, locale),
        '',
        result.summary ?? '',
        '',
        ...top,
        '',
        `${say(RUN_LINK, locale)}: /analytics/runs/${runId}`,
      ].join('\n'),
    });
  }

  // ---- helpers

  private async queueRun(
    model: AnalyticalModel,
    parameters: ParameterValues,
    window: { from: string; to: string },
    requestedBy: string,
    scheduleId?: number,
  ): Promise<number> {
    const runId = await this.deps.repository.insertRun({
      modelId: model.id,
      modelVersion: model.version,
      parameters,
      ...window,
      requestedBy,
      ...(scheduleId === undefined ? {} : { scheduleId }),
    });
    await this.deps.jobs.enqueue(MODEL_RUN_JOB, { runId }, requestedBy);
    return runId;
  }

  private async finishedRun(actor: Actor, runId: number, action: string): Promise<StoredRun> {
    this.requireOfficer(actor, action);
    const run = await this.deps.repository.findRun(runId);
    if (!run) throw new AnalyticsError('run_not_found', `No run ${runId}`);
    if (run.status !== 'succeeded' || !run.result)
      throw new AnalyticsError('run_not_finished', `Run ${runId} is ${run.status}, not finished`);
    return run;
  }

  private model(id: string): AnalyticalModel {
    const model = this.models.get(id);
    if (!model) throw new AnalyticsError('model_not_found', `No model ${id} in the catalogue`);
    return model;
  }

  private checkedParameters(model: AnalyticalModel, input: Record<string, unknown>): ParameterValues {
    const checked = validateParameters(model.parameters, input);
    if (!checked.ok)
      throw new AnalyticsError(
        'invalid_parameters',
        `Parameters of ${model.id}: ${checked.errors.map((error) => `${error.path} ${error.message}`).join('; ')}`,
        { fieldErrors: checked.errors },
      );
    return checked.values;
  }

  /** Defaults to the last 30 days; `to` is inclusive and a window is at most `maxWindowDays`. */
  private checkedWindow(from: string | undefined, to: string | undefined): { from: string; to: string } {
    const end = to ?? this.now().toISOString().slice(0, 10);
    const start = from ?? new Date(Date.parse(end) - 29 * DAY_MS).toISOString().slice(0, 10);
    const days = (Date.parse(end) - Date.parse(start)) / DAY_MS + 1;
    const problem =
      days < 1
        ? { path: 'from', value: start, rule: 'custom', message: `must not be after to (${end})` }
        : days > this.deps.limits.maxWindowDays
          ? {
              path: 'from',
              value: start,
              rule: 'custom',
              message: `the period is ${days} days; at most ${this.deps.limits.maxWindowDays}`,
            }
          : undefined;
    if (problem)
      throw new AnalyticsError('invalid_window', `from ${problem.message}`, { fieldErrors: [problem] });
    return { from: start, to: end };
  }

  private requireOfficer(actor: Actor, action: string): void {
    if (!isOfficer(actor)) deny(actor, action, undefined, 'The analytical models are for customs officers');
  }

  private runView(run: StoredRun, locale: Locale): RunView {
    const model = this.models.get(run.modelId);
    return {
      runId: run.id,
      modelId: run.modelId,
      modelVersion: run.modelVersion,
      modelName: model ? say(model.name, locale) : run.modelId,
      parameters: run.parameters,
      from: run.from,
      to: run.to,
      status: run.status,
      progress: run.progress,
      requestedBy: run.requestedBy,
      scheduleId: run.scheduleId,
      createdAt: run.createdAt,
      finishedAt: run.finishedAt,
      error: run.error,
    };
  }
}

function modelView(model: AnalyticalModel, locale: Locale): ModelView {
  return {
    id: model.id,
    version: model.version,
    name: say(model.name, locale),
    group: model.group,
    firstTwelve: model.firstTwelve,
    question: say(model.question, locale),
    method: say(model.method, locale),
    inputs: model.inputs,
    parameters: model.parameters.map((spec) => ({
      name: spec.name,
      label: say(spec.label, locale),
      type: spec.type,
      default: spec.default,
      min: spec.type === 'number' || spec.type === 'integer' ? spec.min : null,
      max: spec.type === 'number' || spec.type === 'integer' ? spec.max : null,
      choices: spec.type === 'choice' ? spec.choices : null,
      maxLength: spec.type === 'text' ? spec.maxLength : null,
    })),
  };
}

const EVIDENCE_LABEL: LocalisedText = { ko: '근거', en: 'Evidence', fr: 'Éléments' };
const SCHEDULED_INTRO: LocalisedText = {
  ko: '예약된 분석 모델 실행 결과입니다.',
  en: 'The result of your scheduled model run.',
  fr: "Le résultat de l'exécution planifiée de votre modèle.",
};
const RUN_LINK: LocalisedText = { ko: '전체 결과', en: 'Full result', fr: 'Résultat complet' };
