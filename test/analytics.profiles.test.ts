import { sql } from 'kysely';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Clearway } from '../src/main.js';
import { systemActor } from '../src/platform/auth/actor.js';
import {
  CATALOGUE_PERIOD,
  loadCatalogueData,
  parcelKeys,
  plantedKeys,
  type PlantedTruth,
} from './support/catalogue-data.js';
import { evaluateProfiles } from './support/entity-profile-evaluation.js';
import { authHeader } from './support/test-app.js';
import { createTestApp } from './support/test-app.js';
import { availableEngines } from './support/test-database.js';

const engines = await availableEngines();

type Headers = Record<string, string>;

/**
 * The per-seller and per-PCCC analysis on the catalogue's demo period (fixed days, planted patterns), on
 * both engines: its scores rank the planted sellers and codes above the others better than a parcel
 * count does, and each profile shows its evidence and timeline to officers only.
 */
describe.each(engines)('seller and PCCC profiles on planted demo data (%s)', (engine) => {
  let app: Clearway;
  let truth: PlantedTruth;
  let inspector: Headers;
  let carrier: Headers;

  const get = (url: string, headers: Headers) => app.http.inject({ method: 'GET', url, headers });

  beforeAll(async () => {
    app = await createTestApp(engine);
    truth = await loadCatalogueData(app);
    inspector = await authHeader(app, 'inspector');
    carrier = await authHeader(app, 'carrier', 'DHL');
  }, 600_000);
  afterAll(async () => app?.close());

  it('ranks the planted sellers and PCCCs above the others, better than their parcel count', async () => {
    const { sellers, pcccs } = await evaluateProfiles(app, truth);
    console.log(
      `[${engine}] profile AUC: sellers ${sellers.auc.toFixed(3)} vs parcel count ${sellers.baselineAuc.toFixed(3)} (${sellers.planted} planted of ${sellers.entities}); ` +
        `PCCCs ${pcccs.auc.toFixed(3)} vs ${pcccs.baselineAuc.toFixed(3)} (${pcccs.planted} of ${pcccs.entities})`,
    );
    expect(sellers.planted).toBeGreaterThan(5);
    expect(pcccs.planted).toBeGreaterThan(20);
    expect(sellers.auc).toBeGreaterThanOrEqual(0.85);
    expect(sellers.auc).toBeGreaterThan(sellers.baselineAuc);
    expect(pcccs.auc).toBeGreaterThanOrEqual(0.8);
    expect(pcccs.auc).toBeGreaterThan(pcccs.baselineAuc);
  });

  it("shows a ring seller's shared contacts as evidence, in Korean, with its parcels on a timeline", async () => {
    const parcels = await parcelKeys(app);
    const ring = [...plantedKeys(truth, parcels, 'seller_key', 'seller_ring')][0]!;
    const response = await get(`/api/v1/analytics/sellers/${encodeURIComponent(ring)}`, {
      ...inspector,
      'accept-language': 'ko',
    });
    expect(response.statusCode, response.body).toBe(200);
    const profile = response.json();
    expect(profile).toMatchObject({ kind: 'seller', key: ring });
    const network = profile.parts.find((part: { part: string }) => part.part === 'network');
    expect(network.evidence).toMatch(/다른 판매자 \d+곳이 같은 전화번호나 주소로 발송/);
    expect(profile.score).toBeGreaterThanOrEqual(network.points);
    const own = parcels.filter((parcel) => parcel.seller_key === ring);
    expect(profile.facts.parcels).toBe(own.length);
    expect(profile.timeline.map((entry: { trackingNumber: string }) => entry.trackingNumber).sort()).toEqual(
      own.map((parcel) => parcel.tracking_number).sort(),
    );
  });

  it("shows the names behind a stolen PCCC, and keeps the officer's read in the audit trail", async () => {
    const parcels = await parcelKeys(app);
    const stolen = [...plantedKeys(truth, parcels, 'pccc', 'pccc_many_names')][0]!;
    const response = await get(`/api/v1/analytics/pccc/${stolen}`, { ...inspector, 'accept-language': 'fr' });
    expect(response.statusCode, response.body).toBe(200);
    const profile = response.json();
    expect(profile.facts.names).toBeGreaterThan(1);
    expect(profile.band).not.toBe('low');
    expect(profile.parts.find((part: { part: string }) => part.part === 'identity').evidence).toMatch(
      /\d+ noms, \d+ téléphones et \d+ adresses sur \d+ colis/,
    );
    const audited = await sql<{ subject: string }>`
      select subject from identity_audit_entry where action = 'analytics.pccc_profile_read'`.execute(
      app.database.db,
    );
    expect(audited.rows.map((row) => row.subject)).toContain(`pccc:${stolen}`);
  });

  it('keeps to the window it is given: a period before the data has nothing to show', async () => {
    const parcels = await parcelKeys(app);
    const code = parcels.find((parcel) => parcel.pccc)!.pccc!;
    const before = await get(`/api/v1/analytics/pccc/${code}?from=2020-01-01&to=2020-12-31`, inspector);
    expect(before.statusCode).toBe(404);
    expect(before.json().error.code).toBe('profile_not_found');
    const within = await get(
      `/api/v1/analytics/pccc/${code}?from=${CATALOGUE_PERIOD.from}&to=${CATALOGUE_PERIOD.to}`,
      inspector,
    );
    expect(within.statusCode).toBe(200);
  });

  it('answers unknown keys with 404, a malformed code or window with 400 naming the field, others with 403', async () => {
    const unknown = await get('/api/v1/analytics/sellers/NOBODY', inspector);
    expect(unknown.statusCode).toBe(404);
    expect(unknown.json().error.code).toBe('profile_not_found');
    const malformed = await get('/api/v1/analytics/pccc/12345', inspector);
    expect(malformed.statusCode).toBe(400);
    expect(malformed.body).toContain('pccc');
    const backwards = await get(
      '/api/v1/analytics/pccc/P000000000001?from=2026-11-30&to=2026-11-01',
      inspector,
    );
    expect(backwards.statusCode).toBe(400);
    expect(backwards.body).toContain('from');
    expect((await get('/api/v1/analytics/sellers/NOBODY', carrier)).statusCode).toBe(403);
    await expect(app.analytics.profiles.rank(systemActor, 'seller', CATALOGUE_PERIOD)).resolves.not.toEqual(
      [],
    );
  });
});
