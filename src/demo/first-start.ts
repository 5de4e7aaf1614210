import { mkdirSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { systemActor, type Actor } from '../platform/auth/actor.js';
import type { ClearanceModule } from '../modules/clearance/index.js';
import type { IntakeService } from '../modules/intake/index.js';
import type { PartnersModule } from '../modules/partners/index.js';
import type { RiskService } from '../modules/risk/index.js';
import type { TargetingService } from '../modules/targeting/index.js';
import type { XrayService } from '../modules/xray/index.js';
import { loadDemoBuyer, type DemoBuyerTarget } from './demo-buyer.js';
import { generateDemoHistory } from './demo-history.js';
import { DEMO_CURRENCIES, krwPerUnit } from './demo-money.js';
import { DEFAULT_DEMO_SIZE, loadDemoData, type DemoLoadResult } from './demo-loader.js';
import { demoRecalls } from './product-recalls.js';
import { STARTER_RULES, STARTER_WATCHLISTS } from './starter-rules.js';

/** What the first start needs of a Clearway instance (the composition root's `Clearway` fits). */
export interface FirstStartTarget {
  config?: { DATA_DIR: string };
  intake: { service: IntakeService };
  clearance: Pick<ClearanceModule, 'assessment' | 'lifecycle'>;
  targeting: { service: TargetingService };
  risk: { service: RiskService };
  xray: { service: XrayService };
  /** With it, the product-safety agency's recall reports are filed before the parcels arrive. */
  partners?: Pick<PartnersModule, 'productSafety'>;
  jobs: { get(id: number): Promise<{ state: string; error: string | null } | undefined> };
  /** Runs queued deliveries and jobs until none is left (a running server also does it in the background). */
  settle(): Promise<void>;
  /** With these, the demo also has a buyer for the consumer portal at /my. */
  identity?: DemoBuyerTarget['identity'];
  portal?: DemoBuyerTarget['portal'];
}

export interface FirstStartOptions {
  /** Weeks of labelled history before the current week. */
  historyWeeks?: number;
  /** The current demo: days of parcels ending today, and parcels a day. */
  days?: number;
  parcelsPerDay?: number;
  seed?: number;
  /** Load even when parcels are stored already. */
  force?: boolean;
  /** One line per step, for the terminal of whoever started it. */
  onStep?: (line: string) => void;
}

export interface FirstStartResult extends DemoLoadResult {
  history?: { declarations: number; inspected: number; frauds: number };
  recallReports?: number;
  modelVersion?: number;
  scans?: number;
}

const DAY_MS = 86_400_000;
const SCANS_DIR = join(import.meta.dirname, 'xray-scans');

/**
 * The demo an administration would see on its first day: weekly exchange rates for every demo date,
 * starter rules and watchlists, weeks of earlier parcels with inspection outcomes, a risk model trained
 * on them and promoted (a background job whose progress the console shows), then the current week's
 * parcels, decided by that model, and X-ray scans on the parcels the rules referred to X-ray.
 */
export async function loadFirstStartDemo(
  target: FirstStartTarget,
  options: FirstStartOptions = {},
): Promise<FirstStartResult> {
  if (!options.force && (await target.intake.service.holdsParcels()))
    return { loaded: false, reason: 'the database already holds parcels', summaries: {} };
  const step = options.onStep ?? (() => undefined);
  const days = options.days ?? DEFAULT_DEMO_SIZE.days;
  const seed = options.seed ?? DEFAULT_DEMO_SIZE.seed;
  const historyDays = 7 * (options.historyWeeks ?? 5);
  const today = Date.parse(new Date().toISOString().slice(0, 10));
  const currentStart = new Date(today - (days - 1) * DAY_MS).toISOString().slice(0, 10);
  const historyStart = new Date(today - (days - 1 + historyDays) * DAY_MS).toISOString().slice(0, 10);

  const rates = weeklyRates(historyStart, new Date(today).toISOString().slice(0, 10));
  await target.clearance.assessment.loadExchangeRates(systemActor, rates, 'demo');
  step(
    `weekly exchange rates: ${rates.length} (${DEMO_CURRENCIES.join(', ')}) from ${rates[0]!.weekStarting}`,
  );

  // One world: the history is of the same sellers and buyers as the current week, as an administration's
  // own history is of the traders it sees today; the current week is its continuation (`fromDate`).
  const world = {
    startDate: historyStart,
    days: historyDays + days,
    parcelsPerDay: options.parcelsPerDay ?? DEFAULT_DEMO_SIZE.parcelsPerDay,
    seed,
  };
  const history = generateDemoHistory({ ...world, untilDate: currentStart });
  // Kept beside the current week's files, as the file a customs service would export its history to.
  const directory = target.config
    ? join(target.config.DATA_DIR, 'demo')
    : await mkdtemp(join(tmpdir(), 'clearway-history-'));
  mkdirSync(directory, { recursive: true });
  const historyFile = join(directory, 'history-kcs.csv');
  writeFileSync(historyFile, history.csv);
  await target.intake.service.importFile(systemActor, 'kcs', historyFile);
  if (!target.config) await rm(directory, { recursive: true, force: true });
  step(
    `history: ${history.declarations} declarations from ${historyStart}, ${history.inspected} inspected, ${history.frauds} frauds found`,
  );

  await loadStarterRules(target.targeting.service, history.repeatOffenders);
  step(
    `starter rules: ${STARTER_RULES.length}, watchlists: ${STARTER_WATCHLISTS.length} (docs/demo-data.md)`,
  );
  const recallReports = target.partners ? await fileRecallReports(target.partners) : 0;
  if (recallReports > 0)
    step(`product-safety reports of the agency (KATS): ${recallReports} recalled products on watch`);

  const { jobId } = await target.risk.service.requestTraining(systemActor, { promote: true });
  step(`training a risk model on the history (job ${jobId}; progress on the console's models page)`);
  await target.settle();
  const training = await target.jobs.get(jobId);
  const active = await target.risk.service.loadActiveModel();
  step(
    active
      ? `model version ${active.version} trained and promoted`
      : `no model was promoted (training ${training?.state ?? 'lost'}: ${training?.error ?? ''}); the rules and heuristics decide`,
  );

  const current = await loadDemoData(target, { ...world, fromDate: currentStart, force: options.force });
  await target.settle();
  const scans = await scanReferredParcels(target);
  await target.settle();
  step(`current week: parcels from ${currentStart} decided; ${scans} X-ray scans on referred parcels`);
  if (target.identity && target.portal) {
    const buyer = await loadDemoBuyer(
      { ...target, identity: target.identity, portal: target.portal },
      new Date(today).toISOString().slice(0, 10),
    );
    // The buyer's address is in the README, not here: what a process prints carries no e-mail address.
    step(
      `consumer portal: ${buyer.parcels} parcels for the demo buyer; sign in at /my as the README's demo buyer (codes in DATA_DIR/outbox)`,
    );
  }
  return {
    ...current,
    history: { declarations: history.declarations, inspected: history.inspected, frauds: history.frauds },
    modelVersion: active?.version,
    recallReports,
    scans,
  };
}

/**
 * One rate per currency per week (weeks start on Sunday, as the customs service publishes them), from
 * the week holding `from` to the one holding `to`, around the fixed demo rates with a small weekly drift.
 */
function weeklyRates(from: string, to: string) {
  const first = Date.parse(from) - new Date(from).getUTCDay() * DAY_MS;
  const rates: { currency: string; weekStarting: string; krwPerUnit: string }[] = [];
  for (let week = first, index = 0; week <= Date.parse(to); week += 7 * DAY_MS, index++) {
    for (const currency of DEMO_CURRENCIES) {
      const drift = 1 + 0.01 * Math.sin(index + currency.charCodeAt(0));
      rates.push({
        currency,
        weekStarting: new Date(week).toISOString().slice(0, 10),
        krwPerUnit: (krwPerUnit(currency) * drift).toFixed(4),
      });
    }
  }
  return rates;
}

async function loadStarterRules(
  targeting: TargetingService,
  offenders: { sellers: string[]; pcccs: string[] },
): Promise<void> {
  for (const list of STARTER_WATCHLISTS) {
    await targeting.createWatchlist(systemActor, list);
    const values =
      list.source === 'history-sellers'
        ? offenders.sellers
        : list.source === 'history-pcccs'
          ? offenders.pcccs
          : list.entries;
    if (values.length > 0)
      await targeting.addWatchlistEntries(
        systemActor,
        list.name,
        values.map((value) => ({ value, note: list.note })),
      );
  }
  for (const rule of STARTER_RULES) await targeting.createRule(systemActor, { ...rule, activate: true });
}

/** The agency the demo's recall reports come from (its partner account is DEMO_PARTNER_ACCOUNTS.agency). */
const RECALL_AGENCY: Actor = {
  kind: 'organisation',
  accountId: 'demo-kats',
  role: 'agency',
  organisation: 'KATS',
};

/**
 * The recalls the demo plants in parcels, filed as the product-safety agency files them: every parcel
 * that arrives afterwards is matched against them (partners), and a match re-decides it with the report
 * as its reason, where the starter rule "Recalled products" holds it.
 */
async function fileRecallReports(partners: Pick<PartnersModule, 'productSafety'>): Promise<number> {
  const filed = await partners.productSafety.file(
    RECALL_AGENCY,
    demoRecalls.map(({ productName, brand, model, hsCode, hazard, recallReference }) => ({
      productName,
      brand,
      model,
      hsCode,
      hazard,
      recallReference,
    })),
  );
  return filed.length;
}

/** A sample scan on each parcel a rule referred to X-ray: the image beside the declaration, as at the scanner. */
async function scanReferredParcels(target: FirstStartTarget): Promise<number> {
  const images = readdirSync(SCANS_DIR)
    .filter((name) => name.endsWith('.png'))
    .sort()
    .map((name) => readFileSync(join(SCANS_DIR, name)));
  const queue = await target.targeting.service.queue(systemActor, {}, { limit: 5000 });
  const referred = queue.items.filter((item) => item.xrayReferral);
  for (const [index, item] of referred.entries())
    await target.xray.service.uploadScan(
      systemActor,
      item.parcelId,
      images[index % images.length]!,
      'image/png',
    );
  return referred.length;
}
