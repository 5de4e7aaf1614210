import { createHash } from 'node:crypto';
import type { Actor } from '../../platform/auth/actor.js';
import type { Locale } from '../../platform/i18n/locale.js';
import { describeActor, isOfficer, isParcelOperator, systemActor } from '../../platform/auth/actor.js';
import type { JobQueue } from '../../platform/jobs/job-queue.js';
import type { EventOutbox } from '../../platform/events/event-outbox.js';
import { defineTopic } from '../../platform/events/topic.js';
import { CommonError } from '../../platform/errors/module-error.js';
import type { IntakeService, ParcelView } from '../intake/index.js';
import { decodeScan, detectThreats, renderAnnotated } from './adapters/threat-recognition.js';
import type { ScanStore } from './adapters/scan-file-store.js';
import { compareWithDeclaration, type DeclarationMatch } from './declaration-match.js';
import { XrayError } from './domain/xray-error.js';
import type { StoredScan, XrayRepository } from './xray.repository.js';

export const ANALYSE_JOB = 'xray.analyse';
export const ACCEPTED_MEDIA_TYPES = ['image/png', 'image/jpeg'] as const;

/** What targeting hears when a scan has been analysed. */
export interface XrayFinding {
  parcelId: number;
  scanId: number;
  threats: string[];
  mismatch: boolean;
  findings: string[];
}

/** Published in the transaction that stores a scan's analysis: targeting re-decides the parcel. */
export const XRAY_FINDING = defineTopic<XrayFinding>('xray.finding');

/** X-ray use cases: scans uploaded per parcel, analysed in the background, shown annotated. */
export class XrayService {
  constructor(
    private readonly repository: XrayRepository,
    private readonly store: ScanStore,
    private readonly intake: IntakeService,
    private readonly jobs: JobQueue,
    private readonly events: EventOutbox,
  ) {
    jobs.register(ANALYSE_JOB, (payload: { scanId: number }) => this.analyse(payload.scanId));
  }

  /**
   * Stores a scan for a parcel and queues its analysis. The image is decoded first, so a corrupt or
   * foreign file is refused before anything is stored; the same file sent twice is stored once.
   */
  async uploadScan(
    actor: Actor,
    parcelId: number,
    content: Buffer,
    mediaType: string,
  ): Promise<{ scan: StoredScan; created: boolean; jobId?: number }> {
    await this.readableParcel(actor, parcelId, 'upload');
    if (!(ACCEPTED_MEDIA_TYPES as readonly string[]).includes(mediaType)) {
      throw new XrayError(
        'unsupported_image',
        `Send the scan as ${ACCEPTED_MEDIA_TYPES.join(' or ')}, not ${mediaType}`,
      );
    }
    const image = await decodeScan(content);
    const contentSha256 = createHash('sha256').update(content).digest('hex');
    const storageKey = `${contentSha256}.${mediaType === 'image/png' ? 'png' : 'jpg'}`;
    await this.store.put(storageKey, content);
    const { scan, created } = await this.repository.insertScan({
      parcelId,
      contentSha256,
      mediaType,
      byteSize: content.length,
      width: image.width,
      height: image.height,
      storageKey,
      uploadedBy: describeActor(actor),
    });
    if (!created) return { scan, created };
    const jobId = await this.jobs.enqueue(ANALYSE_JOB, { scanId: scan.id }, describeActor(actor));
    return { scan, created, jobId };
  }

  async listScans(actor: Actor, parcelId: number): Promise<StoredScan[]> {
    await this.readableParcel(actor, parcelId, 'read');
    return this.repository.listScans(parcelId);
  }

  async getScan(actor: Actor, scanId: number): Promise<StoredScan> {
    const scan = await this.repository.findScan(scanId);
    if (!scan) throw new CommonError('not_found', `No scan ${scanId}`);
    await this.readableParcel(actor, scan.parcelId, 'read');
    return scan;
  }

  /**
   * The scan as a PNG with boxes and names (in `locale`) drawn on it, red where the declaration explains
   * no threat of the label, and the material colours when asked; `boxes: false` for the scan alone.
   */
  async annotatedImage(
    actor: Actor,
    scanId: number,
    options: { materialOverlay?: boolean; boxes?: boolean; locale?: Locale } = {},
  ): Promise<Buffer> {
    const scan = await this.getScan(actor, scanId);
    const image = await decodeScan(await this.store.get(scan.storageKey));
    return renderAnnotated(image, options.boxes === false ? [] : (scan.detections ?? []), {
      materialOverlay: options.materialOverlay ?? false,
      locale: options.locale,
      undeclared: scan.declarationMatch ? (scan.declarationMatch.undeclared ?? []) : undefined,
    });
  }

  /** The background analysis of one scan: threats, materials, and whether they fit the declared goods. */
  async analyse(scanId: number): Promise<XrayFinding | undefined> {
    const scan = await this.repository.findScan(scanId);
    if (!scan) return undefined;
    try {
      const image = await decodeScan(await this.store.get(scan.storageKey));
      const result = await detectThreats(image);
      const parcel = await this.intake.getParcel(systemActor, scan.parcelId);
      const match: DeclarationMatch = compareWithDeclaration(
        result.boxes,
        result.materials.fractions.metal,
        parcel.lines,
      );
      const finding: XrayFinding = {
        parcelId: scan.parcelId,
        scanId,
        threats: match.threats,
        mismatch: match.mismatch,
        findings: match.findings,
      };
      await this.repository.saveAnalysis(
        scanId,
        {
          detections: result.boxes,
          materials: result.materials,
          declarationMatch: match,
          model: result.model,
          analysisMs: result.elapsedMs,
        },
        (tx) => this.events.publish(tx, XRAY_FINDING, finding),
      );
      return finding;
    } catch (error) {
      await this.repository.saveFailure(scanId, (error as Error).message);
      throw error;
    }
  }

  /**
   * Officers see every parcel's scans; a carrier or post may upload and read scans of its own parcels
   * (express carriers scan in their own warehouses under customs supervision). Consumers never.
   */
  private async readableParcel(
    actor: Actor,
    parcelId: number,
    purpose: 'upload' | 'read',
  ): Promise<ParcelView> {
    if (actor.kind === 'consumer' || (actor.kind === 'organisation' && !isParcelOperator(actor))) {
      throw new CommonError(
        'forbidden',
        'X-ray scans are for customs officers and the carrier that scanned the parcel',
      );
    }
    if (actor.kind === 'officer' && purpose === 'upload' && !isOfficer(actor, 'xray_analyst', 'inspector')) {
      throw new CommonError('forbidden', 'Only X-ray analysts and inspectors upload scans');
    }
    return this.intake.getParcel(actor, parcelId);
  }
}
