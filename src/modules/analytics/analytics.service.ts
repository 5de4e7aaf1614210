import type { Actor } from '../../platform/auth/actor.js';
import { isOfficer } from '../../platform/auth/actor.js';
import { CommonError } from '../../platform/errors/module-error.js';
import { buildDashboard, daysBetween, type Dashboard, type Lane } from './domain/dashboard.js';

/** Office calendar days, inclusive; instants are shifted by the office's offset from UTC before taking their day. */
type Range = { from: string; to: string; utcOffsetMinutes: number };

/** What analytics reads from the modules that own the data (wired in main.ts); it writes nothing. */
export interface AnalyticsSources {
  parcelVolumes(
    actor: Actor,
    range: Range,
  ): Promise<
    { day: string; channel: 'postal' | 'express'; carrier: string; office: string | null; parcels: number }[]
  >;
  laneCounts(actor: Actor, range: Range): Promise<{ day: string; lane: Lane; parcels: number }[]>;
  inspectionStatistics(
    actor: Actor,
    range: Range,
  ): Promise<{
    inspections: { day: string; inspected: number; frauds: number }[];
    seizures: { day: string; category: string; carrier: string; parcelId: number }[];
  }>;
  officesOfParcels(actor: Actor, parcelIds: readonly number[]): Promise<Map<number, string | null>>;
}

const MAX_DAYS = 366;

/** Statistics for officers: the dashboard of volumes, lanes, hit rates and seizures over time. */
export class AnalyticsService {
  constructor(
    private readonly sources: AnalyticsSources,
    private readonly utcOffsetMinutes: number,
  ) {}

  async dashboard(actor: Actor, options: { days?: number; to?: string } = {}): Promise<Dashboard> {
    if (!isOfficer(actor)) throw new CommonError('forbidden', 'Statistics are for customs officers');
    const days = Math.min(Math.max(options.days ?? 30, 1), MAX_DAYS);
    const to = options.to ?? new Date(Date.now() + this.utcOffsetMinutes * 60_000).toISOString().slice(0, 10);
    const from = new Date(Date.parse(`${to}T00:00:00Z`) - (days - 1) * 86_400_000).toISOString().slice(0, 10);
    const range = { from, to, utcOffsetMinutes: this.utcOffsetMinutes };
    const [volumes, lanes, outcomes] = await Promise.all([
      this.sources.parcelVolumes(actor, range),
      this.sources.laneCounts(actor, range),
      this.sources.inspectionStatistics(actor, range),
    ]);
    const offices = await this.sources.officesOfParcels(
      actor,
      outcomes.seizures.map((seizure) => seizure.parcelId),
    );
    return buildDashboard({
      days: daysBetween(from, to),
      volumes,
      lanes,
      inspections: outcomes.inspections,
      seizures: outcomes.seizures.map((seizure) => ({
        ...seizure,
        office: offices.get(seizure.parcelId) ?? null,
      })),
    });
  }
}
