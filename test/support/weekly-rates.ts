import type { Clearway } from '../../src/main.js';
import { DEMO_CURRENCIES, krwPerUnit } from '../../src/demo/demo-money.js';
import { systemActor } from '../../src/platform/auth/actor.js';

/**
 * Weekly customs rates of the demo currencies for the weeks demo parcels arrive in (October to
 * December 2026): without them clearance holds every parcel unassessed, waiting for its week's rate.
 * For the suites and benches that run whole processes against one database (resilience, load).
 */
export async function loadDemoWeeklyRates(clearway: Clearway): Promise<void> {
  const rates: { currency: string; weekStarting: string; krwPerUnit: string }[] = [];
  // 2026-10-04 is a Sunday, the day customs weeks start on.
  for (let week = Date.parse('2026-10-04'); week <= Date.parse('2026-12-27'); week += 7 * 86_400_000)
    for (const currency of DEMO_CURRENCIES)
      rates.push({
        currency,
        weekStarting: new Date(week).toISOString().slice(0, 10),
        krwPerUnit: krwPerUnit(currency).toFixed(4),
      });
  await clearway.clearance.assessment.loadExchangeRates(systemActor, rates, 'weekly rates of the demo data');
}
