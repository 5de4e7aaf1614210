import { createHash } from 'node:crypto';
import type { Actor } from '../../platform/auth/actor.js';
import { assertOfficer, describeActor, deny, isOfficer } from '../../platform/auth/actor.js';
import type { AuditTrail } from '../../platform/auth/audit-trail.js';
import { organisationOf, requireOrganisation } from './partners.access.js';
import { PartnersError } from './partners.errors.js';
import type { AlertRow, PartnersRepository, PictureInfo, ReceiptRow } from './partners.repository.js';

export interface NewAlert {
  kind: 'alert' | 'training';
  category: 'narcotics' | 'firearms' | 'dangerous_goods' | 'counterfeit' | 'other';
  title: string;
  body: string;
  concealmentMethod?: string | null;
  route?: string | null;
  indicators?: string[];
  /** Sensitive: officers only, never sent to carriers. */
  caseReference?: string | null;
  /** Sensitive: officers only, never sent to carriers. */
  suspectNames?: string[];
  /** Organisation codes; absent or empty means every carrier and post. */
  audience?: string[] | null;
}

/** What a carrier or post sees of an alert: no case reference, no suspects, no other readers. */
export interface PartnerAlertView {
  id: number;
  kind: AlertRow['kind'];
  category: string;
  title: string;
  body: string;
  concealmentMethod: string | null;
  route: string | null;
  indicators: string[];
  pictures: { id: number; mediaType: string }[];
  publishedAt: string;
  readAt: string | null;
  acknowledgedAt: string | null;
}

/** What officers see: everything, with who read and acknowledged it. */
export interface OfficerAlertView extends Omit<PartnerAlertView, 'readAt' | 'acknowledgedAt'> {
  caseReference: string | null;
  suspectNames: string[];
  audience: string[] | null;
  publishedBy: string;
  receipts: { organisationCode: string; accountId: string; readAt: string; acknowledgedAt: string | null }[];
}

export const PICTURE_MEDIA_TYPES = ['image/png', 'image/jpeg', 'image/webp'] as const;
export const MAX_PICTURE_BYTES = 8 * 1024 * 1024;

/**
 * Alerts (seizure patterns: narcotics, firearms, dangerous goods) and training material that officers
 * publish to every carrier or to named ones. Reading and acknowledging are recorded per account.
 */
export class AlertsService {
  constructor(
    private readonly repository: PartnersRepository,
    private readonly audit: AuditTrail | undefined,
  ) {}

  async publish(actor: Actor, alert: NewAlert): Promise<OfficerAlertView> {
    assertOfficer(actor, 'targeting_analyst', 'inspector');
    const audience =
      alert.audience && alert.audience.length > 0 ? alert.audience.map((c) => c.toUpperCase()) : null;
    const row = await this.repository.insertAlert({
      kind: alert.kind,
      category: alert.category,
      title: alert.title,
      body: alert.body,
      concealment_method: alert.concealmentMethod ?? null,
      route: alert.route ?? null,
      indicators: alert.indicators ?? [],
      case_reference: alert.caseReference ?? null,
      suspect_names: alert.suspectNames ?? [],
      audience,
      published_by: describeActor(actor),
    });
    await this.audit?.append({
      actor,
      action: 'partners.alert_published',
      subject: `alert:${row.id}`,
      details: { kind: row.kind, category: row.category, audience },
    });
    return this.officerView(row, [], []);
  }

  /** Officers: every alert with its readers. Carriers and posts: what is addressed to them, read receipts recorded. */
  async list(actor: Actor): Promise<{ alerts: (OfficerAlertView | PartnerAlertView)[] }> {
    if (isOfficer(actor)) {
      const rows = await this.repository.listAlerts();
      const ids = rows.map((row) => Number(row.id));
      const [receipts, pictures] = await Promise.all([
        this.repository.receiptsOf(ids),
        this.repository.picturesOf('alert', ids),
      ]);
      return { alerts: rows.map((row) => this.officerView(row, receipts, pictures)) };
    }
    const organisation = requireOrganisation(actor, 'partners.read_alerts', 'carrier', 'postal_operator');
    const rows = await this.repository.listAlerts(organisation.code);
    const ids = rows.map((row) => Number(row.id));
    const receipts = await Promise.all(
      ids.map((id) => this.repository.recordReceipt(id, organisation.accountId, organisation.code, false)),
    );
    const pictures = await this.repository.picturesOf('alert', ids);
    return { alerts: rows.map((row, index) => this.partnerView(row, receipts[index]!, pictures)) };
  }

  async acknowledge(actor: Actor, alertId: number): Promise<PartnerAlertView> {
    const organisation = requireOrganisation(
      actor,
      'partners.acknowledge_alert',
      'carrier',
      'postal_operator',
    );
    const row = await this.addressedAlert(alertId, organisation.code);
    const receipt = await this.repository.recordReceipt(
      alertId,
      organisation.accountId,
      organisation.code,
      true,
    );
    return this.partnerView(row, receipt, await this.repository.picturesOf('alert', [alertId]));
  }

  async addPicture(actor: Actor, alertId: number, content: Buffer, mediaType: string) {
    assertOfficer(actor, 'targeting_analyst', 'inspector');
    if (!(await this.repository.findAlert(alertId)))
      throw new PartnersError('alert_not_found', `No alert ${alertId}`);
    return savePicture(this.repository, actor, 'alert', alertId, content, mediaType);
  }

  /** A picture of an alert, for officers and for the organisations the alert is addressed to. */
  async picture(actor: Actor, alertId: number, pictureId: number) {
    if (!isOfficer(actor)) {
      const organisation = requireOrganisation(actor, 'partners.read_alerts', 'carrier', 'postal_operator');
      await this.addressedAlert(alertId, organisation.code);
    }
    const picture = await this.repository.picture(pictureId);
    if (!picture || picture.owner_kind !== 'alert' || Number(picture.owner_id) !== alertId)
      throw new PartnersError('alert_not_found', `No picture ${pictureId} on alert ${alertId}`);
    return { mediaType: picture.media_type, content: picture.content };
  }

  private async addressedAlert(alertId: number, organisationCode: string): Promise<AlertRow> {
    const row = await this.repository.findAlert(alertId);
    // An alert not addressed to the caller answers as missing: its existence is not the caller's business.
    if (!row || (row.audience !== null && !row.audience.includes(organisationCode)))
      throw new PartnersError('alert_not_found', `No alert ${alertId}`);
    return row;
  }

  private partnerView(
    row: AlertRow,
    receipt: ReceiptRow | undefined,
    pictures: PictureInfo[],
  ): PartnerAlertView {
    return {
      id: Number(row.id),
      kind: row.kind,
      category: row.category,
      title: row.title,
      body: row.body,
      concealmentMethod: row.concealment_method,
      route: row.route,
      indicators: row.indicators,
      pictures: picturesOf(row, pictures),
      publishedAt: new Date(row.published_at).toISOString(),
      readAt: receipt ? new Date(receipt.read_at).toISOString() : null,
      acknowledgedAt: receipt?.acknowledged_at ? new Date(receipt.acknowledged_at).toISOString() : null,
    };
  }

  private officerView(row: AlertRow, receipts: ReceiptRow[], pictures: PictureInfo[]): OfficerAlertView {
    const {
      readAt: _readAt,
      acknowledgedAt: _acknowledgedAt,
      ...shared
    } = this.partnerView(row, undefined, pictures);
    return {
      ...shared,
      caseReference: row.case_reference,
      suspectNames: row.suspect_names,
      audience: row.audience,
      publishedBy: row.published_by,
      receipts: receipts
        .filter((receipt) => Number(receipt.alert_id) === Number(row.id))
        .map((receipt) => ({
          organisationCode: receipt.organisation_code,
          accountId: receipt.account_id,
          readAt: new Date(receipt.read_at).toISOString(),
          acknowledgedAt: receipt.acknowledged_at ? new Date(receipt.acknowledged_at).toISOString() : null,
        })),
    };
  }
}

function picturesOf(row: AlertRow, pictures: PictureInfo[]) {
  return pictures
    .filter((picture) => Number(picture.owner_id) === Number(row.id))
    .map((picture) => ({ id: Number(picture.id), mediaType: picture.media_type }));
}

/** Stores a picture once per owner (the same file again answers with the first copy). */
export async function savePicture(
  repository: PartnersRepository,
  actor: Actor,
  ownerKind: 'alert' | 'safety_report',
  ownerId: number,
  content: Buffer,
  mediaType: string,
): Promise<{ id: number; created: boolean }> {
  if (!(PICTURE_MEDIA_TYPES as readonly string[]).includes(mediaType))
    throw new PartnersError(
      'unsupported_media_type',
      `Send the picture as ${PICTURE_MEDIA_TYPES.join(', ')} (Content-Type), not ${mediaType || 'nothing'}`,
    );
  if (content.length === 0)
    throw new PartnersError('invalid_request', 'The picture is empty', {
      fieldErrors: [{ path: 'body', value: null, rule: 'required', message: 'send the image as the body' }],
    });
  if (content.length > MAX_PICTURE_BYTES)
    throw new PartnersError(
      'picture_too_large',
      `Pictures are limited to ${MAX_PICTURE_BYTES / 1024 / 1024} MiB`,
    );
  if (!isOfficer(actor) && !organisationOf(actor)) deny(actor, 'partners.upload_picture');
  return repository.savePicture({
    ownerKind,
    ownerId,
    mediaType,
    content,
    sha256: createHash('sha256').update(content).digest('hex'),
    by: describeActor(actor),
  });
}
