import {
  MINIMUM_CELL,
  suppressCounts,
  suppressRates,
  type CountCell,
  type RateCell,
} from './domain/small-cells.js';
import type { PortalParcelSource } from './portal.ports.js';
import type { PortalRepository } from './portal.repository.js';

/** Statistics change slowly and anybody may ask: one computation serves everyone for this long. */
export const STATISTICS_CACHE_MS = 10 * 60_000;
/** The period the public page covers, ending today. */
export const STATISTICS_DAYS = 90;

export interface PublicStatistics {
  from: string;
  to: string;
  generatedAt: string;
  minimumCell: number;
  parcelsByChannel: CountCell[];
  parcelsByOrigin: CountCell[];
  holdRateByChannel: RateCell[];
  seizuresByCategory: CountCell[];
}

/** Volumes, hold rates and seizures for everyone, without sign-in; small cells suppressed. */
export class PublicStatisticsService {
  private cached: { at: number; value: PublicStatistics } | undefined;

  constructor(
    private readonly repository: PortalRepository,
    private readonly parcels: PortalParcelSource,
    private readonly clock: () => Date = () => new Date(),
  ) {}

  async statistics(): Promise<PublicStatistics> {
    const now = this.clock();
    if (this.cached && now.getTime() - this.cached.at < STATISTICS_CACHE_MS) return this.cached.value;
    const to = now.toISOString().slice(0, 10);
    const from = new Date(now.getTime() - (STATISTICS_DAYS - 1) * 86_400_000).toISOString().slice(0, 10);
    const [rows, seizures] = await Promise.all([
      this.repository.volumes({ from, to }),
      this.parcels.seizuresByCategory({ from, to }),
    ]);
    const sum = (key: (row: (typeof rows)[number]) => string) => {
      const totals = new Map<string, { parcels: number; held: number }>();
      for (const row of rows) {
        const total = totals.get(key(row)) ?? { parcels: 0, held: 0 };
        total.parcels += row.parcels;
        total.held += row.held;
        totals.set(key(row), total);
      }
      return [...totals].map(([k, total]) => ({ key: k, ...total })).sort((a, b) => b.parcels - a.parcels);
    };
    const byChannel = sum((row) => row.channel);
    const value: PublicStatistics = {
      from,
      to,
      generatedAt: now.toISOString(),
      minimumCell: MINIMUM_CELL,
      parcelsByChannel: suppressCounts(byChannel),
      parcelsByOrigin: suppressCounts(sum((row) => row.origin ?? 'unknown')),
      holdRateByChannel: suppressRates(byChannel),
      seizuresByCategory: suppressCounts(
        seizures.map((row) => ({ key: row.category, parcels: row.parcels })),
      ),
    };
    this.cached = { at: now.getTime(), value };
    return value;
  }
}
