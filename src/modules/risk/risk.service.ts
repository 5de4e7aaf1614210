import type { Actor } from '../../platform/auth/actor.js';
import type { AuditTrail } from '../../platform/auth/audit-trail.js';
import { describeActor, isOfficer, systemActor } from '../../platform/auth/actor.js';
import type { JobContext, JobQueue, JobView } from '../../platform/jobs/job-queue.js';
import type { EventOutbox } from '../../platform/events/event-outbox.js';
import { defineTopic } from '../../platform/events/topic.js';
import type { IntakeService, ParcelFacts, ParcelFactsReader } from '../intake/index.js';
import { evaluateRanking } from './domain/ranking-metrics.js';
import type { GbdtParams } from './domain/gbdt.js';
import type { LabelledRiskDeclaration } from './domain/risk-declaration.js';
import {
  assessDeclarations,
  driftOfDeclarations,
  riskModelFromJson,
  riskModelToJson,
  scoreDeclarations,
  trainRiskModelByTree,
  type FeatureContribution,
  type RiskModel,
} from './domain/risk-model.js';
import { treeShapContributions } from './domain/tree-shap.js';
import { RiskError } from './risk.errors.js';
import {
  labelledFromStored,
  riskDeclarationFromStored,
  riskDeclarationsOfParcel,
  type DutyRateOf,
  type KrwConverter,
} from './risk-input.mapper.js';
import type { RiskDeclaration } from './domain/risk-declaration.js';
import type { FeatureDrift } from './domain/drift-indicators.js';
import type { ModelMetrics, RiskRepository, StoredModel } from './risk.repository.js';

export interface TrainingRequest {
  from?: string;
  to?: string;
  params?: Partial<GbdtParams>;
  /** Share of the latest days held out to measure the model before it is registered. */
  holdoutShare?: number;
  /** Make the new model the active one at once (the first start, which has no model yet). */
  promote?: boolean;
}

/** A parcel's risk: the riskiest line's probability of fraud, with the reasons in words. */
export interface ParcelRiskAssessment {
  modelVersion: string;
  score: number;
  reasons: string[];
  contributions: FeatureContribution[];
  lines: { lineNumber: number; score: number }[];
}

/** The active model, ready to score synchronously (targeting decides in-line on arrival). */
export interface ActiveRiskModel {
  version: number;
  /** The parcel's risk, as the parcel page shows it; undefined for a parcel without declaration lines. */
  assessParcel(parcel: ParcelFacts): ParcelRiskAssessment | undefined;
}

/**
 * Published in the transaction that promotes (or rolls back to) a model: whoever scores with the active
 * model loads it again (`loadActiveModel`).
 */
export const ACTIVE_MODEL_CHANGED = defineTopic<{ version: number }>('risk.active-model-changed');

export const TRAIN_JOB = 'risk.train';
const ACTIVE_MODEL_RECHECK_MS = 10_000;

/** Risk use cases: train models from inspection history, keep the registry, score parcels with reasons. */
export class RiskService {
  private active: { version: number; model: RiskModel; checkedAt: number } | undefined;

  constructor(
    private readonly repository: RiskRepository,
    private readonly intake: IntakeService,
    private readonly parcelFacts: ParcelFactsReader,
    private readonly jobs: JobQueue,
    private readonly toKrw: KrwConverter,
    private readonly audit: AuditTrail,
    private readonly events: EventOutbox,
    private readonly dutyRateOf?: DutyRateOf,
  ) {
    jobs.register(TRAIN_JOB, (payload: { request: TrainingRequest; requestedBy: Actor }, context) =>
      this.train(payload.requestedBy, payload.request, context),
    );
  }

  /** Loads the active model (at start-up and on ACTIVE_MODEL_CHANGED); undefined when none is active yet. */
  async loadActiveModel(): Promise<ActiveRiskModel | undefined> {
    this.active = undefined;
    const active = await this.activeModel();
    const ready = active && {
      version: active.version,
      assessParcel: (parcel: ParcelFacts) => assessParcelWith(active, parcel, this.toKrw, this.dutyRateOf),
    };
    return ready;
  }

  /** Queues a training run on the inspection outcomes in the database; answers with the job to follow. */
  async requestTraining(actor: Actor, request: TrainingRequest): Promise<{ jobId: number }> {
    this.assertAnalyst(actor);
    const jobId = await this.jobs.enqueue(TRAIN_JOB, { request, requestedBy: actor }, describeActor(actor));
    return { jobId };
  }

  /**
   * Trains twice: a twin without the latest days measures precision@n % on those held-out days, then the
   * registered model learns from the whole window. The new model is a candidate until promoted.
   */
  async train(
    actor: Actor,
    request: TrainingRequest,
    context?: Pick<JobContext, 'reportProgress'>,
  ): Promise<StoredModel> {
    this.assertAnalyst(actor);
    const report = (percent: number, stage: TrainingStage) =>
      context?.reportProgress(Math.round(percent), 100, stage);
    await report(0, 'history');
    const labelled: LabelledRiskDeclaration[] = [];
    for await (const page of this.intake.readDeclarationHistory(
      actor,
      { from: request.from, to: request.to },
      { inspectedOnly: true },
    )) {
      for (const row of page) {
        const example = labelledFromStored(row, this.toKrw, this.dutyRateOf);
        if (example) labelled.push(example);
      }
    }
    if (labelled.length < 100)
      throw new RiskError(
        'not_enough_history',
        `Only ${labelled.length} inspected declarations in the window; at least 100 are needed`,
      );

    const holdoutShare = request.holdoutShare ?? 0.15;
    let split = Math.floor(labelled.length * (1 - holdoutShare));
    while (
      split < labelled.length &&
      labelled[split]!.declaration.date === labelled[split - 1]!.declaration.date
    )
      split++;
    const holdout = labelled.slice(split);
    let twinShare = 0;
    let modelShare = 0;
    if (split < 50 || holdout.length < 20)
      throw new RiskError(
        'not_enough_history',
        'The window is too short to hold out its latest days for measurement',
      );

    // The twin takes 5-45 % of the bar, the model 50-95 %; the server answers between trees.
    const twin = await trainGivingWay(
      trainRiskModelByTree(labelled.slice(0, split), {
        params: request.params,
        onProgress: (tree) => (twinShare = shareOfTraining(tree)),
      }),
      () => report(5 + 40 * twinShare, 'twin'),
    );
    await report(45, 'measuring');
    const holdoutScores = scoreDeclarations(
      twin,
      holdout.map((example) => example.declaration),
    );
    const metrics: ModelMetrics = {
      holdout: {
        ...evaluateRanking(
          holdoutScores,
          holdout.map((example) => (example.label.fraud ? 1 : 0)),
          holdout.map((example) => (example.label.critical ? 1 : 0)),
        ),
        from: holdout[0]!.declaration.date,
        to: holdout[holdout.length - 1]!.declaration.date,
      },
    };
    const model = await trainGivingWay(
      trainRiskModelByTree(labelled, {
        params: request.params,
        onProgress: (tree) => (modelShare = shareOfTraining(tree)),
      }),
      () => report(50 + 45 * modelShare, 'training'),
    );
    await report(95, 'registering');
    const version = await this.repository.insertModel({
      trainedFrom: model.info.trainedFrom,
      trainedTo: model.info.trainedTo,
      trainingRows: model.info.trainingRows,
      params: model.info.params,
      metrics,
      featureImportance: meanAbsoluteContributions(model, holdout.slice(-2000)),
      modelJson: riskModelToJson(model),
      createdBy: describeActor(actor),
    });
    await report(100, 'registering');
    await this.audit.append({
      actor,
      action: 'risk.model_trained',
      subject: `model:${version}`,
      details: { rows: labelled.length, holdoutPrecisionAt: metrics.holdout.precision_at },
    });
    if (request.promote) return this.promote(actor, version);
    return (await this.repository.findModel(version))!;
  }

  /** The latest training job, whoever started it (the console shows its progress). */
  async latestTraining(actor: Actor): Promise<JobView | undefined> {
    this.assertOfficer(actor);
    const [job] = await this.jobs.latest(TRAIN_JOB, 1);
    return job;
  }

  async listModels(actor: Actor): Promise<StoredModel[]> {
    this.assertOfficer(actor);
    return this.repository.listModels();
  }

  async getModel(actor: Actor, version: number): Promise<StoredModel> {
    this.assertOfficer(actor);
    const model = await this.repository.findModel(version);
    if (!model) throw new RiskError('model_not_found', `No model version ${version}`);
    return model;
  }

  /** Makes a model the one that scores every new declaration. */
  async promote(actor: Actor, version: number): Promise<StoredModel> {
    this.assertAnalyst(actor);
    const model = await this.getModel(actor, version);
    await this.repository.activate(version, describeActor(actor), (tx) =>
      this.events.publish(tx, ACTIVE_MODEL_CHANGED, { version }),
    );
    await this.loadActiveModel();
    await this.audit.append({
      actor,
      action: 'risk.model_promoted',
      subject: `model:${version}`,
      details: { previous: (await this.repository.previousActiveVersion()) ?? null },
    });
    return { ...model, status: 'active' };
  }

  /** Goes back to the model that was active before the current one. */
  async rollback(actor: Actor): Promise<StoredModel> {
    this.assertAnalyst(actor);
    const previous = await this.repository.previousActiveVersion();
    if (previous === undefined) throw new RiskError('no_active_model', 'No earlier model to roll back to');
    const model = await this.promote(actor, previous);
    await this.audit.append({ actor, action: 'risk.model_rolled_back', subject: `model:${previous}` });
    return model;
  }

  /**
   * Drift of the declarations of a period (default: the last 30 days) against the active model's training
   * window: PSI of the score and of the watched features, largest first.
   */
  async drift(
    actor: Actor,
    range: { from?: string; to?: string },
  ): Promise<{
    modelVersion: string;
    declarations: number;
    from: string;
    to: string;
    features: FeatureDrift[];
  }> {
    this.assertOfficer(actor);
    const active = await this.activeModel();
    if (!active) throw new RiskError('no_active_model', 'No model is active yet: train one and promote it');
    const to = range.to ?? new Date().toISOString().slice(0, 10);
    const from =
      range.from ?? new Date(Date.parse(`${to}T00:00:00Z`) - 30 * 86_400_000).toISOString().slice(0, 10);
    const recent: RiskDeclaration[] = [];
    for await (const page of this.intake.readDeclarationHistory(
      systemActor,
      { from, to },
      { inspectedOnly: false },
    )) {
      for (const row of page) recent.push(riskDeclarationFromStored(row, this.toKrw, this.dutyRateOf));
    }
    return {
      modelVersion: String(active.version),
      declarations: recent.length,
      from,
      to,
      features: driftOfDeclarations(active.model, recent),
    };
  }

  /** A parcel's risk under the active model (the parcel page); undefined when no model is active yet. */
  async assessParcel(actor: Actor, parcelId: number): Promise<ParcelRiskAssessment | undefined> {
    this.assertOfficer(actor);
    const [parcel] = await this.parcelFacts.loadParcelFacts([parcelId]);
    if (!parcel) throw new RiskError('parcel_not_found', `No parcel ${parcelId}`);
    const active = await this.activeModel();
    return active && assessParcelWith(active, parcel, this.toKrw, this.dutyRateOf);
  }

  private async activeModel(): Promise<{ version: number; model: RiskModel } | undefined> {
    const now = Date.now();
    if (this.active && now - this.active.checkedAt < ACTIVE_MODEL_RECHECK_MS) return this.active;
    const version = await this.repository.activeVersion();
    if (version === undefined) {
      this.active = undefined;
      return undefined;
    }
    if (this.active?.version !== version) {
      this.active = {
        version,
        model: riskModelFromJson(await this.repository.loadModelJson(version)),
        checkedAt: now,
      };
    }
    this.active.checkedAt = now;
    return this.active;
  }

  private assertOfficer(actor: Actor): void {
    if (!isOfficer(actor))
      throw new RiskError('forbidden', 'Only customs officers may see risk models and scores');
  }

  private assertAnalyst(actor: Actor): void {
    if (!isOfficer(actor, 'data_analyst', 'targeting_analyst'))
      throw new RiskError('forbidden', 'Only data or targeting analysts may train and promote models');
  }
}

/** One parcel's risk: its riskiest line's score, with that line's reasons; every score of a parcel comes from here. */
export function assessParcelWith(
  active: { version: number; model: RiskModel },
  parcel: ParcelFacts,
  toKrw: KrwConverter,
  dutyRateOf?: DutyRateOf,
): ParcelRiskAssessment | undefined {
  if (parcel.lines.length === 0) return undefined;
  const assessments = assessDeclarations(active.model, riskDeclarationsOfParcel(parcel, toKrw, dutyRateOf));
  let riskiest = 0;
  assessments.forEach((assessment, index) => {
    if (assessment.score > assessments[riskiest]!.score) riskiest = index;
  });
  const top = assessments[riskiest]!;
  return {
    modelVersion: String(active.version),
    score: top.score,
    reasons: top.reasons.filter((reason) => reason.contribution > 0).map((reason) => reason.text),
    contributions: top.reasons,
    lines: assessments.map((assessment, index) => ({
      lineNumber: parcel.lines[index]!.lineNumber,
      score: assessment.score,
    })),
  };
}

/** Feature importance: mean absolute TreeSHAP contribution over recent declarations. */
function meanAbsoluteContributions(
  model: RiskModel,
  sample: readonly LabelledRiskDeclaration[],
): { feature: string; importance: number }[] {
  const matrix = model.encoder.encode(sample.map((example) => example.declaration));
  const totals = new Float64Array(matrix.columns);
  const contributions = new Float64Array(matrix.columns);
  for (let row = 0; row < matrix.rows; row++) {
    treeShapContributions(
      model.forest,
      matrix.values.subarray(row * matrix.columns, (row + 1) * matrix.columns),
      contributions,
    );
    for (let column = 0; column < matrix.columns; column++)
      totals[column] += Math.abs(contributions[column]!);
  }
  return Array.from(totals, (total, column) => ({
    feature: model.featureNames[column]!,
    importance: matrix.rows ? total / matrix.rows : 0,
  })).sort((a, b) => b.importance - a.importance);
}

/** What a training job is doing (`GET /api/v1/models/training`; the console words each in its language). */
export type TrainingStage = 'history' | 'twin' | 'measuring' | 'training' | 'registering';

/**
 * How far one model's training has come, 0..1: the fraud forest (early stopping, then the refit on the
 * whole window), then the critical-fraud forest the same way; early stopping makes the bar jump ahead.
 */
function shareOfTraining(progress: {
  tree: number;
  maxTrees: number;
  phase: 'early-stopping' | 'refit';
  label: 'fraud' | 'critical';
}): number {
  const part = (progress.label === 'critical' ? 2 : 0) + (progress.phase === 'refit' ? 1 : 0);
  return (part + Math.min(1, progress.tree / progress.maxTrees)) / 4;
}

/**
 * Runs a training tree by tree, and every fifth of a second records its progress and gives way, so that
 * the server answers (the console's progress bar among others) while a model trains in the same process.
 */
async function trainGivingWay<T>(
  steps: Generator<void, T>,
  report: () => Promise<void> | undefined,
): Promise<T> {
  let gaveWayAt = performance.now();
  for (;;) {
    const step = steps.next();
    if (step.done) return step.value;
    if (performance.now() - gaveWayAt < 200) continue;
    await report();
    await new Promise((resolve) => setImmediate(resolve));
    gaveWayAt = performance.now();
  }
}
