import { parse as parseCsv } from 'csv-parse/sync';
import type { FieldError } from '../../../platform/errors/field-error.js';

/** One final delivery address reported by a carrier after delivery. */
export interface DeliveryReportInput {
  carrier?: string;
  trackingNumber: string;
  deliveredTo: string;
  deliveredAt?: string;
}

export const MAX_DELIVERY_REPORTS = 10_000;

export type DeliveryRowsResult =
  { ok: true; rows: DeliveryReportInput[] } | { ok: false; message: string; fieldErrors?: FieldError[] };

/**
 * Reads a delivery report: JSON rows (or one row) or CSV `carrier,trackingNumber,deliveredTo,deliveredAt`.
 * Every row is checked; the caller stores nothing when one is wrong.
 */
export function readDeliveryRows(body: unknown): DeliveryRowsResult {
  let raw: unknown[];
  if (typeof body === 'string') {
    try {
      raw = parseCsv(body, { columns: true, skip_empty_lines: true, trim: true, bom: true }) as unknown[];
    } catch (error) {
      return { ok: false, message: `The delivery report is not valid CSV: ${(error as Error).message}` };
    }
  } else raw = Array.isArray(body) ? body : [body];
  if (raw.length === 0 || raw.length > MAX_DELIVERY_REPORTS)
    return { ok: false, message: 'Send 1 to 10,000 delivery reports' };
  const errors: FieldError[] = [];
  const rows = raw.map((entry, index) => {
    const record = (entry ?? {}) as Record<string, unknown>;
    const trackingNumber =
      typeof record.trackingNumber === 'string' ? record.trackingNumber.trim().toUpperCase() : '';
    const deliveredTo = typeof record.deliveredTo === 'string' ? record.deliveredTo.trim() : '';
    const deliveredAt =
      typeof record.deliveredAt === 'string' && record.deliveredAt.trim()
        ? record.deliveredAt.trim()
        : undefined;
    const line = index + 1;
    if (!trackingNumber)
      errors.push({
        path: `${index}/trackingNumber`,
        value: record.trackingNumber,
        rule: 'required',
        message: 'is required',
        line,
      });
    if (!deliveredTo || deliveredTo.length > 500)
      errors.push({
        path: `${index}/deliveredTo`,
        value: record.deliveredTo,
        rule: 'address',
        message: 'must be the delivery address (1 to 500 characters)',
        line,
      });
    if (deliveredAt !== undefined && Number.isNaN(Date.parse(deliveredAt)))
      errors.push({
        path: `${index}/deliveredAt`,
        value: deliveredAt,
        rule: 'date-time',
        message: 'must be an ISO 8601 date-time',
        line,
      });
    return {
      carrier:
        typeof record.carrier === 'string' && record.carrier.trim() ? record.carrier.trim() : undefined,
      trackingNumber,
      deliveredTo,
      deliveredAt,
    };
  });
  if (errors.length > 0)
    return {
      ok: false,
      message: `${errors.length} problems in the delivery report; nothing was stored`,
      fieldErrors: errors,
    };
  return { ok: true, rows };
}
