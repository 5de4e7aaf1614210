import type { Actor } from '../../platform/auth/actor.js';
import type { StoredParcel } from './intake.repository.js';

export type ParcelView = Omit<StoredParcel, 'receivedAt' | 'orders' | 'payments'> & {
  receivedAt: string;
  orders: (Omit<StoredParcel['orders'][number], 'orderedAt'> & { orderedAt: string })[];
  payments: (Omit<StoredParcel['payments'][number], 'paidAt'> & { paidAt: string })[];
};

/** `24.50` -> `24.5`, `2.000` -> `2`: numeric columns have a fixed scale, people read plain decimals. */
export function plainDecimal<T extends string | null>(value: T): T {
  if (value === null || !value.includes('.')) return value;
  return value.replace(/\.?0+$/, '') as T;
}

/** What a caller sees of a parcel: dates as ISO text, decimals without padding zeros. */
export function toParcelView(parcel: StoredParcel, _actor: Actor): ParcelView {
  return {
    ...parcel,
    grossMassKg: plainDecimal(parcel.grossMassKg),
    declaredValue: plainDecimal(parcel.declaredValue),
    freightValue: plainDecimal(parcel.freightValue),
    insuranceValue: plainDecimal(parcel.insuranceValue),
    receivedAt: parcel.receivedAt.toISOString(),
    lines: parcel.lines.map((line) => ({
      ...line,
      quantity: plainDecimal(line.quantity),
      netMassKg: plainDecimal(line.netMassKg),
      value: plainDecimal(line.value),
    })),
    orders: parcel.orders.map((order) => ({
      ...order,
      pricePaid: plainDecimal(order.pricePaid),
      orderedAt: new Date(order.orderedAt).toISOString(),
    })),
    payments: parcel.payments.map((payment) => ({
      ...payment,
      amount: plainDecimal(payment.amount),
      foreignAmount: plainDecimal(payment.foreignAmount),
      paidAt: new Date(payment.paidAt).toISOString(),
    })),
  };
}
