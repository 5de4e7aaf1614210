import { randomBytes } from 'node:crypto';
import { describeActor, isOfficer, isParcelOperator, type Actor } from '../../platform/auth/actor.js';
import type { AuditTrail } from '../../platform/auth/audit-trail.js';
import { CommonError } from '../../platform/errors/module-error.js';
import { recordAudit } from './clearance.access.js';
import { ClearanceError } from './clearance.errors.js';
import type { ClearanceRepository, NotificationRow } from './clearance.repository.js';

/** Notifications to carriers and posts: the pull API, acknowledgements, and each carrier's webhook. */
export class NotificationsService {
  constructor(
    private readonly repository: ClearanceRepository,
    private readonly audit: AuditTrail | undefined,
  ) {}

  /** The pull API: a carrier reads its own notifications after a cursor; officers may read any carrier's. */
  async listNotifications(
    actor: Actor,
    options: { after: number; limit: number; carrier?: string; unacknowledgedOnly: boolean },
  ): Promise<{ notifications: ReturnType<typeof notificationView>[]; nextAfter: number }> {
    let carrier: string | null;
    if (isOfficer(actor)) carrier = options.carrier?.toUpperCase() ?? null;
    else if (isParcelOperator(actor)) {
      if (options.carrier && options.carrier.toUpperCase() !== actor.organisation.toUpperCase())
        throw new ClearanceError('not_your_organisation', 'You may only read your own notifications');
      carrier = actor.organisation.toUpperCase();
    } else throw new CommonError('forbidden', 'Notifications are for carriers, posts and customs officers');
    const rows = await this.repository.listNotifications(
      carrier,
      options.after,
      options.limit,
      options.unacknowledgedOnly,
    );
    return {
      notifications: rows.map(notificationView),
      nextAfter: rows.length ? rows[rows.length - 1]!.id : options.after,
    };
  }

  async acknowledgeNotification(actor: Actor, notificationId: number): Promise<void> {
    const row = await this.repository.findNotification(notificationId);
    const own = row !== undefined && isParcelOperator(actor, row.carrier_code);
    if (!row || !(own || actor.kind === 'system'))
      throw new ClearanceError('notification_not_found', `No notification ${notificationId}`);
    await this.repository.acknowledgeNotification(notificationId);
  }

  /** Sets the webhook of a carrier (the carrier itself or an administrator); answers the new signing secret once. */
  async setWebhook(
    actor: Actor,
    carrier: string,
    url: string,
  ): Promise<{ carrier: string; url: string; secret: string }> {
    const code = carrier.toUpperCase();
    const own = isParcelOperator(actor, code);
    const administrator =
      actor.kind === 'system' || (actor.kind === 'officer' && actor.roles.includes('administrator'));
    if (!own && !administrator)
      throw new ClearanceError(
        'not_your_organisation',
        `Only ${code} or an administrator may set its webhook`,
      );
    let parsed: URL;
    try {
      parsed = new URL(url);
    } catch {
      throw new ClearanceError('invalid_request', 'url must be an absolute https URL');
    }
    if (parsed.protocol !== 'https:' && parsed.protocol !== 'http:')
      throw new ClearanceError('invalid_request', 'url must be an http(s) URL');
    const secret = randomBytes(32).toString('hex');
    await this.repository.upsertWebhook(code, parsed.toString(), secret, describeActor(actor));
    await recordAudit(this.audit, {
      actor,
      action: 'clearance.webhook_set',
      subject: `carrier:${code}`,
      details: { url: parsed.toString() },
    });
    return { carrier: code, url: parsed.toString(), secret };
  }
}

function notificationView(row: NotificationRow) {
  return {
    id: row.id,
    carrier: row.carrier_code,
    parcelId: row.parcel_id,
    trackingNumber: row.tracking_number,
    kind: row.kind,
    payload: row.payload as Record<string, unknown>,
    createdAt: new Date(row.created_at).toISOString(),
    deliveryStatus: row.delivery_status,
    attempts: row.attempts,
    acknowledgedAt: row.acknowledged_at ? new Date(row.acknowledged_at).toISOString() : null,
  };
}
