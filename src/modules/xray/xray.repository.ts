import { sql, type Kysely } from 'kysely';
import type { Database } from '../../platform/db/database.js';

export interface StoredScan {
  id: number;
  parcelId: number;
  contentSha256: string;
  mediaType: string;
  byteSize: number;
  width: number;
  height: number;
  storageKey: string;
  state: 'queued' | 'analysed' | 'failed';
  detections: { label: string; score: number; x: number; y: number; width: number; height: number }[] | null;
  materials: Record<string, unknown> | null;
  declarationMatch: {
    mismatch: boolean;
    findings: string[];
    threats: string[];
    /** Absent from scans analysed before it was recorded. */
    undeclared?: string[];
  } | null;
  model: string | null;
  analysisMs: number | null;
  error: string | null;
  uploadedBy: string;
  uploadedAt: string;
  analysedAt: string | null;
}

interface ScanRow {
  id: number;
  parcel_id: number;
  content_sha256: string;
  media_type: string;
  byte_size: number;
  width: number;
  height: number;
  storage_key: string;
  state: StoredScan['state'];
  detections: StoredScan['detections'];
  materials: StoredScan['materials'];
  declaration_match: StoredScan['declarationMatch'];
  model: string | null;
  analysis_ms: number | null;
  error: string | null;
  uploaded_by: string;
  uploaded_at: Date;
  analysed_at: Date | null;
}

/** The only code that touches xray_scan. */
export class XrayRepository {
  private readonly db: Kysely<{}>;

  constructor(database: Database) {
    this.db = database.db;
  }

  /** Inserts a scan, or returns the existing one when the same file was uploaded for the parcel before. */
  async insertScan(
    scan: Pick<
      StoredScan,
      | 'parcelId'
      | 'contentSha256'
      | 'mediaType'
      | 'byteSize'
      | 'width'
      | 'height'
      | 'storageKey'
      | 'uploadedBy'
    >,
  ): Promise<{ scan: StoredScan; created: boolean }> {
    const { rows } = await sql<ScanRow>`
      insert into xray_scan (parcel_id, content_sha256, media_type, byte_size, width, height, storage_key, uploaded_by)
      values (${scan.parcelId}, ${scan.contentSha256}, ${scan.mediaType}, ${scan.byteSize}, ${scan.width}, ${scan.height}, ${scan.storageKey}, ${scan.uploadedBy})
      on conflict (parcel_id, content_sha256) do nothing
      returning *`.execute(this.db);
    if (rows[0]) return { scan: toStoredScan(rows[0]), created: true };
    const existing =
      await sql<ScanRow>`select * from xray_scan where parcel_id = ${scan.parcelId} and content_sha256 = ${scan.contentSha256}`.execute(
        this.db,
      );
    return { scan: toStoredScan(existing.rows[0]!), created: false };
  }

  async findScan(id: number): Promise<StoredScan | undefined> {
    const { rows } = await sql<ScanRow>`select * from xray_scan where id = ${id}`.execute(this.db);
    return rows[0] ? toStoredScan(rows[0]) : undefined;
  }

  async listScans(parcelId: number): Promise<StoredScan[]> {
    const { rows } =
      await sql<ScanRow>`select * from xray_scan where parcel_id = ${parcelId} order by id`.execute(this.db);
    return rows.map(toStoredScan);
  }

  async saveAnalysis(
    id: number,
    analysis: {
      detections: unknown;
      materials: unknown;
      declarationMatch: unknown;
      model: string;
      analysisMs: number;
    },
    // eslint-disable-next-line @typescript-eslint/no-explicit-any -- Kysely<T> is invariant: a transaction over the caller's own tables
    alsoInTransaction: (tx: Kysely<any>) => Promise<void>,
  ): Promise<void> {
    await this.db.transaction().execute(async (tx) => {
      await alsoInTransaction(tx);
      await sql`
      update xray_scan set state = 'analysed', detections = ${JSON.stringify(analysis.detections)}::jsonb, materials = ${JSON.stringify(analysis.materials)}::jsonb,
        declaration_match = ${JSON.stringify(analysis.declarationMatch)}::jsonb, model = ${analysis.model}, analysis_ms = ${analysis.analysisMs},
        analysed_at = now(), error = null
      where id = ${id}`.execute(tx);
    });
  }

  async saveFailure(id: number, error: string): Promise<void> {
    await sql`update xray_scan set state = 'failed', error = ${error}, analysed_at = now() where id = ${id}`.execute(
      this.db,
    );
  }
}

function toStoredScan(row: ScanRow): StoredScan {
  return {
    id: row.id,
    parcelId: row.parcel_id,
    contentSha256: row.content_sha256,
    mediaType: row.media_type,
    byteSize: row.byte_size,
    width: row.width,
    height: row.height,
    storageKey: row.storage_key,
    state: row.state,
    detections: row.detections,
    materials: row.materials,
    declarationMatch: row.declaration_match,
    model: row.model,
    analysisMs: row.analysis_ms,
    error: row.error,
    uploadedBy: row.uploaded_by,
    uploadedAt: row.uploaded_at.toISOString(),
    analysedAt: row.analysed_at?.toISOString() ?? null,
  };
}
