import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { systemActor } from '../platform/auth/actor.js';
import type { ImportProgress, IntakeChannel, IntakeService, IntakeSummary } from '../modules/intake/index.js';
import type { DemoOptions } from './demo-generator.js';
import { writeDemoData, type DemoCounts } from './demo-writer.js';

/** The part of a Clearway instance the loader needs (the composition root's `Clearway` fits). */
export interface DemoLoadTarget {
  intake: { service: IntakeService };
  config?: { DATA_DIR: string };
}

export interface DemoLoadOptions {
  days?: number;
  parcelsPerDay?: number;
  seed?: number;
  /** First arrival day; by default the last day of demo data is today. */
  startDate?: string;
  /** First arrival day loaded: the days before it are generated but not loaded (see DemoOptions). */
  fromDate?: string;
  /** Where the generated files are kept (default DATA_DIR/demo, or a temporary folder removed afterwards). */
  directory?: string;
  /** Load even when the database already holds parcels (the same seed only adds duplicates). */
  force?: boolean;
  /** Pattern rates other than the generator's defaults (tests that need many planted cases in few parcels). */
  patternRates?: DemoOptions['patternRates'];
  onProgress?: (channel: DemoLoadChannel, progress: ImportProgress) => void;
}

export type DemoLoadChannel = Extract<IntakeChannel, 'orders' | 'payments' | 'postal' | 'express'>;

export interface DemoLoadResult {
  loaded: boolean;
  /** Why nothing was loaded. */
  reason?: string;
  /** Where the files (and ground-truth.csv) are, when they were kept. */
  directory?: string;
  counts?: DemoCounts;
  summaries: Partial<Record<DemoLoadChannel, IntakeSummary>>;
}

/** A small data set: a week of 150 parcels a day, enough for every screen and every injected pattern. */
export const DEFAULT_DEMO_SIZE = Object.freeze({ days: 7, parcelsPerDay: 150, seed: 2026 });

const DAY_MS = 86_400_000;

/**
 * Generates demo data and imports it through the intake service as the system, exactly as files from
 * carriers and marketplaces would be imported, when the database holds no parcel yet. Orders and
 * payments go first so that targeting sees them when the parcels arrive.
 */
export async function loadDemoData(
  clearway: DemoLoadTarget,
  options: DemoLoadOptions = {},
): Promise<DemoLoadResult> {
  if (!options.force && (await clearway.intake.service.holdsParcels())) {
    return { loaded: false, reason: 'the database already holds parcels', summaries: {} };
  }
  const days = options.days ?? DEFAULT_DEMO_SIZE.days;
  const parcelsPerDay = options.parcelsPerDay ?? DEFAULT_DEMO_SIZE.parcelsPerDay;
  const seed = options.seed ?? DEFAULT_DEMO_SIZE.seed;
  const startDate =
    options.startDate ?? new Date(Date.now() - (days - 1) * DAY_MS).toISOString().slice(0, 10);
  const keep = options.directory ?? (clearway.config ? join(clearway.config.DATA_DIR, 'demo') : undefined);
  const directory = keep ?? (await mkdtemp(join(tmpdir(), 'clearway-demo-')));
  try {
    const files = writeDemoData(directory, {
      days,
      parcelsPerDay,
      seed,
      startDate,
      fromDate: options.fromDate,
      patternRates: options.patternRates,
    });
    const summaries: DemoLoadResult['summaries'] = {};
    const plan: [DemoLoadChannel, string | undefined][] = [
      ['orders', files.orders],
      ['payments', files.payments],
      ['postal', files.postal],
      ['express', files.express],
    ];
    for (const [channel, file] of plan) {
      if (!file) continue;
      summaries[channel] = await clearway.intake.service.importFile(
        systemActor,
        channel,
        join(directory, file),
        (progress) => options.onProgress?.(channel, progress),
      );
    }
    return { loaded: true, directory: keep, counts: files.counts, summaries };
  } finally {
    if (!keep) await rm(directory, { recursive: true, force: true });
  }
}
