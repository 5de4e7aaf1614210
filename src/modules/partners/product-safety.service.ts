import { createHash } from 'node:crypto';
import type { Actor } from '../../platform/auth/actor.js';
import { describeActor, deny, isOfficer } from '../../platform/auth/actor.js';
import type { AuditTrail } from '../../platform/auth/audit-trail.js';
import type { EventOutbox } from '../../platform/events/event-outbox.js';
import { defineTopic } from '../../platform/events/topic.js';
import type { JobQueue } from '../../platform/jobs/job-queue.js';
import { savePicture } from './alerts.service.js';
import { ProductWatchlist, type MatchedOn } from './domain/product-watchlist.js';
import { organisationOf } from './partners.access.js';
import { PartnersError } from './partners.errors.js';
import type { DataSharing, NewHit, PartnersRepository, SafetyReportRow } from './partners.repository.js';

/** One product as an agency reports it. */
export interface SafetyReportInput {
  productName: string;
  hazard: string;
  brand?: string | null;
  model?: string | null;
  hsCode?: string | null;
  sellerId?: string | null;
  listingUrl?: string | null;
  recallReference?: string | null;
}

/** A parcel line or order as matching reads it (intake's product lines, through main.ts). */
export interface MatchableLine {
  parcelId: number | null;
  orderId: number | null;
  lineNumber: number;
  text: string;
  hsCode: string | null;
  sellerId: string | null;
  listingUrl: string | null;
  carrierCode: string | null;
  trackingNumber: string | null;
  /** The registration number the seller gave, and the status parcels carry for it. */
  sellerRegistration: string | null;
  sellerRegistrationStatus: string | null;
}

/** Where matching reads parcels from (intake, through main.ts). */
export interface ProductLineSource {
  linesOfParcels(parcelIds: readonly number[]): Promise<MatchableLine[]>;
  linesOfOrders(orderIds: readonly number[]): Promise<MatchableLine[]>;
  linesReceivedSince(
    since: Date,
    page: { afterParcelId: number; parcels: number },
  ): Promise<{ lines: MatchableLine[]; lastParcelId: number | null }>;
}

/** New hits of one matching round: targeting re-decides each parcel with the report as the reason. */
export interface ProductSafetyHits {
  hits: { parcelId: number; reportId: number; hazard: string; matchedOn: string[] }[];
}
/**
 * Published in the transaction that stores the hits, so that a stop between storing a hit and telling
 * targeting cannot lose the re-decision (src/subscriptions.ts: `targeting.product-safety`).
 */
export const PRODUCT_SAFETY_HIT = defineTopic<ProductSafetyHits>('partners.product-safety-hit');

export interface HitView {
  parcelId: number;
  line: { number: number; text: string; orderId: number | null };
  matchedOn: MatchedOn[];
  score: number;
  foundAt: string;
  trackingNumber?: string | null;
  carrierCode?: string | null;
  hsCode?: string | null;
}

/** Days of already-received parcels a new report is matched against. */
export const LOOK_BACK_DAYS = 90;
export const BACKFILL_JOB = 'partners.product-safety-backfill';
/** Parcels read per page while matching a new report against the last 90 days. */
const BACKFILL_PAGE = 2000;

/**
 * Product-safety reports from market-surveillance agencies: each report is a watchlist entry matched
 * against every incoming parcel line and order, and, once, against the last 90 days already received.
 * Hits are kept per report, shown to the agency (within its agreement) and to officers, and told to
 * targeting through the outbox (PRODUCT_SAFETY_HIT) with the report as the reason.
 */
export class ProductSafetyService {
  private watchlist:
    { list: ProductWatchlist; reports: Map<number, SafetyReportRow>; lastId: number } | undefined;

  constructor(
    private readonly repository: PartnersRepository,
    private readonly lines: ProductLineSource,
    private readonly events: EventOutbox,
    private readonly jobs: JobQueue,
    private readonly audit: AuditTrail | undefined,
    private readonly dataSharingOf: (organisationCode: string) => Promise<DataSharing[]>,
  ) {
    jobs.register(BACKFILL_JOB, (payload: { reportId: number }, context) =>
      this.backfill(payload.reportId, (done) => context.reportProgress(done)),
    );
  }

  /**
   * Files reports (one per product): 201 for each new one, the first copy's id for one sent before.
   * Agencies file in their own name; officers may file too.
   */
  async file(
    actor: Actor,
    inputs: readonly SafetyReportInput[],
  ): Promise<{ id: number; created: boolean }[]> {
    const agency = organisationOf(actor, 'agency');
    if (!agency && !isOfficer(actor))
      deny(
        actor,
        'partners.file_safety_report',
        undefined,
        'Only agencies and officers file product-safety reports',
      );
    const agencyCode = agency?.code ?? 'CUSTOMS';
    const results: { id: number; created: boolean }[] = [];
    for (const input of inputs) {
      const saved = await this.repository.saveSafetyReport({
        agency_code: agencyCode,
        product_name: input.productName.trim(),
        brand: blankToNull(input.brand),
        model: blankToNull(input.model),
        hs_code: blankToNull(input.hsCode),
        seller_id: blankToNull(input.sellerId),
        listing_url: blankToNull(input.listingUrl),
        hazard: input.hazard.trim(),
        recall_reference: blankToNull(input.recallReference),
        content_sha256: contentHash(input),
        submitted_by: describeActor(actor),
      });
      if (saved.created) {
        this.watchlist = undefined;
        await this.audit?.append({
          actor,
          action: 'partners.safety_report_filed',
          subject: `safety_report:${saved.id}`,
          details: { agency: agencyCode, productName: input.productName, hazard: input.hazard },
        });
        await this.jobs.enqueue(BACKFILL_JOB, { reportId: saved.id }, describeActor(actor));
      }
      results.push(saved);
    }
    return results;
  }

  async list(actor: Actor) {
    const agency = this.readerAgency(actor);
    const rows = await this.repository.listSafetyReports(agency);
    return { reports: rows.map((row) => ({ ...reportView(row), hits: Number(row.hits) })) };
  }

  async get(actor: Actor, reportId: number) {
    const report = await this.readableReport(actor, reportId);
    const pictures = await this.repository.picturesOf('safety_report', [reportId]);
    return {
      ...reportView(report),
      pictures: pictures.map((p) => ({ id: Number(p.id), mediaType: p.media_type })),
    };
  }

  async addPicture(actor: Actor, reportId: number, content: Buffer, mediaType: string) {
    await this.readableReport(actor, reportId);
    return savePicture(this.repository, actor, 'safety_report', reportId, content, mediaType);
  }

  async picture(actor: Actor, reportId: number, pictureId: number) {
    await this.readableReport(actor, reportId);
    const picture = await this.repository.picture(pictureId);
    if (!picture || picture.owner_kind !== 'safety_report' || Number(picture.owner_id) !== reportId)
      throw new PartnersError('report_not_found', `No picture ${pictureId} on report ${reportId}`);
    return { mediaType: picture.media_type, content: picture.content };
  }

  /** The hits of a report; an agency sees parcel details only as far as its agreement shares them. */
  async hits(actor: Actor, reportId: number, limit = 1000): Promise<{ hits: HitView[] }> {
    const report = await this.readableReport(actor, reportId);
    const sharing = isOfficer(actor)
      ? new Set<DataSharing>(['tracking_number', 'carrier', 'hs_code'])
      : new Set(await this.dataSharingOf(report.agency_code));
    const rows = await this.repository.hitsOfReport(reportId, Math.min(Math.max(limit, 1), 5000));
    return {
      hits: rows.map((row) => ({
        parcelId: Number(row.parcel_id),
        line: {
          number: row.line_number,
          text: row.line_text,
          orderId: row.order_id === null ? null : Number(row.order_id),
        },
        matchedOn: row.matched_on as MatchedOn[],
        score: Math.round(row.score * 1000) / 1000,
        foundAt: new Date(row.found_at).toISOString(),
        ...(sharing.has('carrier') ? { carrierCode: row.carrier_code } : {}),
        ...(sharing.has('tracking_number') ? { trackingNumber: row.tracking_number } : {}),
        ...(sharing.has('hs_code') ? { hsCode: row.hs_code } : {}),
      })),
    };
  }

  /** Hits on these parcels (a seller's page), for officers. */
  async hitsOfParcels(parcelIds: readonly number[]) {
    const rows = await this.repository.hitsOfParcels(parcelIds);
    return rows.map((row) => ({
      reportId: Number(row.report_id),
      parcelId: Number(row.parcel_id),
      line: row.line_text,
      matchedOn: row.matched_on,
      score: Math.round(row.score * 1000) / 1000,
    }));
  }

  /** Matches newly stored parcel lines and orders against every report. */
  async matchLines(lines: readonly MatchableLine[]): Promise<void> {
    const watchlist = await this.currentWatchlist();
    if (watchlist.list.size > 0 && lines.length > 0)
      await this.recordHits(lines, watchlist.list, watchlist.reports);
  }

  /** Matches one report against the parcels of the last 90 days, a page at a time. */
  async backfill(
    reportId: number,
    progress?: (done: number) => Promise<void>,
  ): Promise<{ parcelsRead: number; hits: number }> {
    const report = await this.repository.findSafetyReport(reportId);
    if (!report) return { parcelsRead: 0, hits: 0 };
    const list = new ProductWatchlist([watchEntry(report)]);
    const reports = new Map([[reportId, report]]);
    const since = new Date(Date.now() - LOOK_BACK_DAYS * 86_400_000);
    let after = 0;
    let parcelsRead = 0;
    let hits = 0;
    for (;;) {
      const page = await this.lines.linesReceivedSince(since, {
        afterParcelId: after,
        parcels: BACKFILL_PAGE,
      });
      if (page.lastParcelId === null) break;
      hits += await this.recordHits(page.lines, list, reports);
      parcelsRead += new Set(page.lines.map((line) => line.parcelId)).size;
      after = page.lastParcelId;
      await progress?.(parcelsRead);
    }
    await this.repository.markBackfilled(reportId);
    return { parcelsRead, hits };
  }

  /** Reports whose look-back never finished (a stop between filing and the job): queued again. */
  async resumeBackfills(): Promise<void> {
    for (const report of await this.repository.allSafetyReports())
      if (report.backfilled_at === null)
        await this.jobs.enqueue(BACKFILL_JOB, { reportId: Number(report.id) });
  }

  private async recordHits(
    lines: readonly MatchableLine[],
    list: ProductWatchlist,
    reports: Map<number, SafetyReportRow>,
  ): Promise<number> {
    const found: NewHit[] = [];
    for (const line of lines) {
      if (line.parcelId === null) continue; // an order whose parcel has not arrived: matched when it does
      for (const match of list.match(line))
        found.push({
          reportId: match.reportId,
          parcelId: line.parcelId,
          // Orders get negative line numbers so that a parcel's declaration line 1 and order 1 stay apart.
          lineNumber: line.orderId === null ? line.lineNumber : -line.orderId,
          orderId: line.orderId,
          lineText: line.text,
          carrierCode: line.carrierCode,
          trackingNumber: line.trackingNumber,
          hsCode: line.hsCode,
          matchedOn: match.matchedOn,
          score: match.score,
        });
    }
    if (found.length === 0) return 0; // most pages of a look-back: no transaction to open
    // A hit stored twice (a line matched again) is not new: only new hits are told, once.
    const created = await this.repository.transaction(async (tx) => {
      const saved = await this.repository.saveHits(found, tx);
      if (saved.length > 0)
        await this.events.publish(tx, PRODUCT_SAFETY_HIT, {
          hits: saved.map((hit) => ({
            parcelId: hit.parcelId,
            reportId: hit.reportId,
            hazard: reports.get(hit.reportId)?.hazard ?? '',
            matchedOn: hit.matchedOn,
          })),
        });
      return saved;
    });
    return created.length;
  }

  /** The watchlist of every report, rebuilt when a report was filed (here or by another process). */
  private async currentWatchlist() {
    const lastId = await this.repository.lastSafetyReportId();
    if (!this.watchlist || this.watchlist.lastId !== lastId) {
      const reports = await this.repository.allSafetyReports();
      this.watchlist = {
        list: new ProductWatchlist(reports.map(watchEntry)),
        reports: new Map(reports.map((report) => [Number(report.id), report])),
        lastId: reports.length > 0 ? Number(reports[reports.length - 1]!.id) : 0,
      };
    }
    return this.watchlist;
  }

  private readerAgency(actor: Actor): string | undefined {
    if (isOfficer(actor)) return undefined;
    const agency = organisationOf(actor, 'agency');
    if (!agency)
      deny(
        actor,
        'partners.read_safety_reports',
        undefined,
        'Product-safety reports are for agencies and officers',
      );
    return agency.code;
  }

  private async readableReport(actor: Actor, reportId: number): Promise<SafetyReportRow> {
    const agency = this.readerAgency(actor);
    const report = await this.repository.findSafetyReport(reportId);
    if (!report) throw new PartnersError('report_not_found', `No report ${reportId}`);
    if (agency !== undefined && report.agency_code !== agency)
      throw new PartnersError('not_your_report', `No report ${reportId}`);
    return report;
  }
}

function watchEntry(report: SafetyReportRow) {
  return {
    reportId: Number(report.id),
    productName: report.product_name,
    brand: report.brand,
    model: report.model,
    sellerId: report.seller_id,
    listingUrl: report.listing_url,
  };
}

function reportView(row: SafetyReportRow) {
  return {
    id: Number(row.id),
    agency: row.agency_code,
    productName: row.product_name,
    brand: row.brand,
    model: row.model,
    hsCode: row.hs_code,
    sellerId: row.seller_id,
    listingUrl: row.listing_url,
    hazard: row.hazard,
    recallReference: row.recall_reference,
    createdAt: new Date(row.created_at).toISOString(),
    lookBackDone: row.backfilled_at !== null,
  };
}

function blankToNull(value: string | null | undefined): string | null {
  const trimmed = value?.trim();
  return trimmed ? trimmed : null;
}

/** The same product reported twice by one agency is one report. */
function contentHash(input: SafetyReportInput): string {
  const fields = [
    input.productName,
    input.hazard,
    input.brand,
    input.model,
    input.hsCode,
    input.sellerId,
    input.listingUrl,
    input.recallReference,
  ];
  return createHash('sha256')
    .update(JSON.stringify(fields.map((field) => blankToNull(field)?.toLowerCase() ?? null)))
    .digest('hex');
}
