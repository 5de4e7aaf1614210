import { sql, type Kysely } from 'kysely';
import type { Database } from '../../platform/db/database.js';
import type { RankingReport } from './domain/ranking-metrics.js';

export interface StoredModel {
  version: number;
  status: 'candidate' | 'active' | 'retired';
  trainedFrom: string;
  trainedTo: string;
  trainingRows: number;
  params: unknown;
  metrics: ModelMetrics;
  featureImportance: { feature: string; importance: number }[];
  createdBy: string;
  createdAt: string;
  promotedAt: string | null;
  promotedBy: string | null;
}

/** Metrics of a registered model: measured on the latest days of its window, held out from a twin model. */
export interface ModelMetrics {
  holdout: RankingReport & { from: string; to: string };
}

interface ModelRow {
  version: number;
  status: StoredModel['status'];
  trained_from: string;
  trained_to: string;
  training_rows: number;
  params: unknown;
  metrics: ModelMetrics;
  feature_importance: StoredModel['featureImportance'];
  created_by: string;
  created_at: Date;
  promoted_at: Date | null;
  promoted_by: string | null;
}

const SUMMARY_COLUMNS = sql`version, status, to_char(trained_from, 'YYYY-MM-DD') as trained_from, to_char(trained_to, 'YYYY-MM-DD') as trained_to,
  training_rows, params, metrics, feature_importance, created_by, created_at, promoted_at, promoted_by`;

/** The only code that touches risk_model. */
export class RiskRepository {
  private readonly db: Kysely<{}>;

  constructor(database: Database) {
    this.db = database.db;
  }

  async insertModel(model: {
    trainedFrom: string;
    trainedTo: string;
    trainingRows: number;
    params: unknown;
    metrics: ModelMetrics;
    featureImportance: StoredModel['featureImportance'];
    modelJson: unknown;
    createdBy: string;
  }): Promise<number> {
    const { rows } = await sql<{ version: number }>`
      insert into risk_model (status, trained_from, trained_to, training_rows, params, metrics, feature_importance, model, created_by)
      values ('candidate', ${model.trainedFrom}, ${model.trainedTo}, ${model.trainingRows}, ${JSON.stringify(model.params)}::jsonb,
        ${JSON.stringify(model.metrics)}::jsonb, ${JSON.stringify(model.featureImportance)}::jsonb, ${JSON.stringify(model.modelJson)}::jsonb, ${model.createdBy})
      returning version`.execute(this.db);
    return rows[0]!.version;
  }

  async listModels(): Promise<StoredModel[]> {
    const { rows } =
      await sql<ModelRow>`select ${SUMMARY_COLUMNS} from risk_model order by version desc`.execute(this.db);
    return rows.map(toStoredModel);
  }

  async findModel(version: number): Promise<StoredModel | undefined> {
    const { rows } =
      await sql<ModelRow>`select ${SUMMARY_COLUMNS} from risk_model where version = ${version}`.execute(
        this.db,
      );
    return rows[0] ? toStoredModel(rows[0]) : undefined;
  }

  async loadModelJson(version: number): Promise<unknown | undefined> {
    const { rows } = await sql<{
      model: unknown;
    }>`select model from risk_model where version = ${version}`.execute(this.db);
    return rows[0]?.model;
  }

  async activeVersion(): Promise<number | undefined> {
    const { rows } = await sql<{
      version: number;
    }>`select version from risk_model where status = 'active'`.execute(this.db);
    return rows[0]?.version;
  }

  /** Makes one model active and retires the one before, in one transaction (with `alsoInTransaction`). */
  async activate(
    version: number,
    promotedBy: string,
    // eslint-disable-next-line @typescript-eslint/no-explicit-any -- Kysely<T> is invariant: a transaction over the caller's own tables
    alsoInTransaction: (tx: Kysely<any>) => Promise<void>,
  ): Promise<void> {
    await this.db.transaction().execute(async (tx) => {
      await alsoInTransaction(tx);
      await sql`update risk_model set status = 'retired' where status = 'active'`.execute(tx);
      await sql`update risk_model set status = 'active', promoted_at = now(), promoted_by = ${promotedBy} where version = ${version}`.execute(
        tx,
      );
    });
  }

  /** The model that was active before the current one (the latest promoted among the others). */
  async previousActiveVersion(): Promise<number | undefined> {
    const { rows } = await sql<{ version: number }>`
      select version from risk_model where status = 'retired' and promoted_at is not null order by promoted_at desc limit 1`.execute(
      this.db,
    );
    return rows[0]?.version;
  }
}

function toStoredModel(row: ModelRow): StoredModel {
  return {
    version: row.version,
    status: row.status,
    trainedFrom: row.trained_from,
    trainedTo: row.trained_to,
    trainingRows: row.training_rows,
    params: row.params,
    metrics: row.metrics,
    featureImportance: row.feature_importance,
    createdBy: row.created_by,
    createdAt: row.created_at.toISOString(),
    promotedAt: row.promoted_at?.toISOString() ?? null,
    promotedBy: row.promoted_by,
  };
}
