/**
 * Public statistics must not single anybody out: a cell counting fewer parcels than the threshold is
 * shown as suppressed, and so is a rate whose numerator or denominator is that small.
 */
export const MINIMUM_CELL = 10;

export interface CountCell {
  key: string;
  /** Null when suppressed. */
  parcels: number | null;
  suppressed: boolean;
}

export function suppressCounts(
  counts: { key: string; parcels: number }[],
  minimum = MINIMUM_CELL,
): CountCell[] {
  return counts.map(({ key, parcels }) =>
    parcels < minimum ? { key, parcels: null, suppressed: true } : { key, parcels, suppressed: false },
  );
}

export interface RateCell {
  key: string;
  parcels: number | null;
  held: number | null;
  /** Held parcels per 100, one decimal; null when suppressed. */
  percent: number | null;
  suppressed: boolean;
}

export function suppressRates(
  rows: { key: string; parcels: number; held: number }[],
  minimum = MINIMUM_CELL,
): RateCell[] {
  return rows.map(({ key, parcels, held }) =>
    parcels < minimum || (held > 0 && held < minimum)
      ? { key, parcels: null, held: null, percent: null, suppressed: true }
      : { key, parcels, held, percent: Math.round((held / parcels) * 1000) / 10, suppressed: false },
  );
}
