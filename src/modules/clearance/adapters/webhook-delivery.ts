import type { ClearanceRepository } from '../clearance.repository.js';
import { retryDelaySeconds, signPayload, SIGNATURE_HEADER } from '../domain/notification-signature.js';

/** The HTTP client used to push notifications; `fetch` in production, a fake in tests. */
export type WebhookPoster = (
  url: string,
  init: { method: 'POST'; headers: Record<string, string>; body: string; signal: AbortSignal },
) => Promise<{ status: number }>;

export interface WebhookDeliveryOptions {
  /** Attempts before a notification is marked failed (it stays readable through the pull API). */
  maxAttempts?: number;
  timeoutMs?: number;
  batchSize?: number;
  now?: () => Date;
}

/**
 * Pushes pending outbox notifications to the carriers' webhooks, signed with each carrier's secret
 * (HMAC-SHA256, header `Clearway-Signature`), retrying with exponential back-off. Runs as a background
 * loop (`start`) in the `serve` process, or one pass at a time (`deliverDue`).
 */
export class WebhookDelivery {
  private timer: NodeJS.Timeout | undefined;
  private running: Promise<unknown> | undefined;
  private readonly maxAttempts: number;
  private readonly timeoutMs: number;
  private readonly batchSize: number;
  private readonly now: () => Date;

  constructor(
    private readonly repository: ClearanceRepository,
    private readonly post: WebhookPoster = (url, init) => fetch(url, init),
    options: WebhookDeliveryOptions = {},
  ) {
    this.maxAttempts = options.maxAttempts ?? 10;
    this.timeoutMs = options.timeoutMs ?? 10_000;
    this.batchSize = options.batchSize ?? 100;
    this.now = options.now ?? (() => new Date());
  }

  /** One pass over the due notifications; answers how many were delivered and how many failed this time. */
  async deliverDue(): Promise<{ delivered: number; failed: number }> {
    const now = this.now();
    const due = await this.repository.dueDeliveries(now, this.batchSize);
    let delivered = 0;
    let failed = 0;
    for (const notification of due) {
      const body = JSON.stringify({
        id: notification.id,
        kind: notification.kind,
        createdAt: new Date(notification.created_at).toISOString(),
        ...(notification.payload as object),
      });
      const signature = signPayload(notification.secret, body, Math.floor(now.getTime() / 1000));
      let problem: string | null = null;
      try {
        const response = await this.post(notification.url, {
          method: 'POST',
          headers: {
            'content-type': 'application/json',
            [SIGNATURE_HEADER]: signature,
            'clearway-notification-id': String(notification.id),
          },
          body,
          signal: AbortSignal.timeout(this.timeoutMs),
        });
        if (response.status < 200 || response.status >= 300)
          problem = `webhook answered HTTP ${response.status}`;
      } catch (error) {
        problem = `webhook unreachable: ${(error as Error).message}`;
      }
      if (problem === null) {
        await this.repository.markDelivered(notification.id);
        delivered += 1;
      } else {
        const attempt = notification.attempts + 1;
        const next =
          attempt >= this.maxAttempts ? null : new Date(now.getTime() + retryDelaySeconds(attempt) * 1000);
        await this.repository.markAttemptFailed(notification.id, problem, next);
        failed += 1;
      }
    }
    return { delivered, failed };
  }

  /** Starts polling every `intervalMs`; passes never overlap. */
  start(intervalMs = 5_000, onError: (error: unknown) => void = () => {}): void {
    if (this.timer) return;
    this.timer = setInterval(() => {
      if (this.running) return;
      this.running = this.deliverDue()
        .catch(onError)
        .finally(() => {
          this.running = undefined;
        });
    }, intervalMs);
    this.timer.unref();
  }

  async stop(): Promise<void> {
    if (this.timer) clearInterval(this.timer);
    this.timer = undefined;
    await this.running;
  }
}
