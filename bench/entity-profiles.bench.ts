/**
 * The per-seller and per-PCCC profiles (issue 17 point 3) on the catalogue's demo period with planted
 * truth (test/support/entity-profile-evaluation.ts, which test/analytics.profiles.test.ts asserts on):
 * the area under the ROC curve of the profile score against the simplest baseline, the parcel count, in
 * the same run; and how long one profile and one ranking of every entity take.
 *
 *   nice npx tsx bench/entity-profiles.bench.ts [--engine embedded|postgres] [--rounds 5]
 */
import { parseArgs } from 'node:util';
import { systemActor } from '../src/platform/auth/actor.js';
import { CATALOGUE_PERIOD, loadCatalogueData, parcelKeys } from '../test/support/catalogue-data.js';
import { evaluateProfiles } from '../test/support/entity-profile-evaluation.js';
import { createTestApp } from '../test/support/test-app.js';

const { values: options } = parseArgs({
  options: {
    engine: { type: 'string', default: 'embedded' },
    rounds: { type: 'string', default: '5' },
  },
});
const engine = options.engine === 'postgres' ? 'postgres' : 'embedded';
const rounds = Math.max(1, Number(options.rounds));

const app = await createTestApp(engine);
try {
  const truth = await loadCatalogueData(app);
  const { sellers, pcccs } = await evaluateProfiles(app, truth);
  for (const [name, result] of [
    ['sellers', sellers],
    ['PCCCs', pcccs],
  ] as const)
    console.log(
      `${name}: AUC ${result.auc.toFixed(3)} vs parcel-count baseline ${result.baselineAuc.toFixed(3)} ` +
        `(ratio ${(result.auc / result.baselineAuc).toFixed(2)}x; ${result.planted} planted of ${result.entities})`,
    );

  const parcels = await parcelKeys(app);
  const seller = parcels.find((parcel) => parcel.seller_key)!.seller_key!;
  const pccc = parcels.find((parcel) => parcel.pccc)!.pccc!;
  const timed = async (label: string, work: () => Promise<unknown>) => {
    const started = performance.now();
    for (let round = 0; round < rounds; round++) await work();
    console.log(
      `${label}: ${((performance.now() - started) / rounds).toFixed(0)} ms per call (${rounds} rounds)`,
    );
  };
  await timed('one seller profile', () => app.analytics.profiles.seller(systemActor, seller, 'en'));
  await timed('one PCCC profile', () => app.analytics.profiles.pccc(systemActor, pccc, 'en'));
  await timed('rank every seller', () =>
    app.analytics.profiles.rank(systemActor, 'seller', CATALOGUE_PERIOD),
  );
  await timed('rank every PCCC', () => app.analytics.profiles.rank(systemActor, 'pccc', CATALOGUE_PERIOD));
  console.log(`engine ${engine}, ${parcels.length} parcels`);
} finally {
  await app.close();
}
