import { sql } from 'kysely';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import type { Clearway } from '../src/main.js';
import { systemActor } from '../src/platform/auth/actor.js';
import { authHeader, createTestApp } from './support/test-app.js';
import { availableEngines } from './support/test-database.js';
import { expressManifest } from './support/sample-data.js';
import { DEMO_PARTNER_ACCOUNTS, ensureDemoPartners } from '../src/demo/index.js';
import { parseQuarter } from '../src/modules/partners/domain/compliance.js';

type Headers = { authorization: string };

const yesterday = new Date(Date.now() - 86_400_000).toISOString().slice(0, 10);
const thisQuarter = `${new Date().getUTCFullYear()}-Q${Math.floor(new Date().getUTCMonth() / 3) + 1}`;

function agreement(overrides: Record<string, unknown> = {}) {
  return {
    organisationRole: 'carrier',
    name: 'DHL Korea',
    startsOn: '2025-01-01',
    endsOn: '2030-12-31',
    offices: ['ICN'],
    contacts: [{ name: 'Compliance desk', email: 'customs@dhl.example' }],
    obligations: ['data before arrival', 'final-address reports'],
    status: 'active',
    ...overrides,
  };
}

describe.each(await availableEngines())('partners API on %s', (engine) => {
  let app: Clearway;
  let admin: Headers;
  let analyst: Headers;
  let dhl: Headers;
  let ups: Headers;
  let agency: Headers;
  let otherAgency: Headers;
  let houses = 0;

  const inject = (
    method: 'GET' | 'POST' | 'PUT',
    url: string,
    headers: Headers | Record<string, string>,
    payload?: unknown,
    type?: string,
  ) =>
    app.http.inject({
      method,
      url,
      headers: type ? { ...headers, 'content-type': type } : headers,
      payload: payload as never,
    });
  /** A DHL manifest of houses whose lines say `description`; numbered so that no two are duplicates. */
  const manifest = (description: string, extra: Record<string, unknown> = {}) => {
    const base = expressManifest(1, { arrivalDate: '2099-01-01' });
    const house = (base.houses as Record<string, unknown>[])[0]!;
    houses++;
    return {
      ...base,
      mawb: '180-12345675',
      houses: [
        {
          ...house,
          hawb: `DHLP${1000 + houses}`,
          lines: [{ ...(house.lines as object[])[0], description }],
          ...extra,
        },
      ],
    };
  };

  beforeAll(async () => {
    app = await createTestApp(engine);
    admin = await authHeader(app, 'administrator');
    analyst = await authHeader(app, 'targeting_analyst');
    dhl = await authHeader(app, 'carrier', 'DHL');
    ups = await authHeader(app, 'carrier', 'UPS');
    agency = await authHeader(app, 'agency', 'KATS');
    otherAgency = await authHeader(app, 'agency', 'MFDS');
  });
  afterAll(async () => app?.close());

  it('stops a carrier whose agreement is suspended or expired, with a clear error, and lets it submit when in force', async () => {
    expect((await inject('PUT', '/api/v1/partners/agreements/DHL', dhl, agreement())).statusCode).toBe(403);
    const suspended = await inject(
      'PUT',
      '/api/v1/partners/agreements/DHL',
      admin,
      agreement({ status: 'suspended', statusReason: 'late manifests' }),
    );
    expect(suspended.statusCode).toBe(200);
    expect(suspended.json()).toMatchObject({ status: 'suspended', inForce: false });

    const refused = await inject('POST', '/api/v1/express/manifests', dhl, manifest('Cotton socks'));
    expect(refused.statusCode).toBe(403);
    expect(refused.json().error).toMatchObject({ code: 'agreement_not_in_force' });
    expect(refused.json().error.message).toContain('suspended (late manifests)');

    await inject(
      'PUT',
      '/api/v1/partners/agreements/DHL',
      admin,
      agreement({ endsOn: yesterday, startsOn: '2025-01-01' }),
    );
    const expired = await inject('POST', '/api/v1/express/manifests', dhl, manifest('Cotton socks'));
    expect(expired.json().error.message).toContain(`expired on ${yesterday}`);

    const active = await inject('PUT', '/api/v1/partners/agreements/DHL', admin, agreement());
    expect(active.json()).toMatchObject({ inForce: true, endsOn: '2030-12-31' });
    expect(
      (await inject('POST', '/api/v1/express/manifests', dhl, manifest('Cotton socks'))).statusCode,
    ).toBe(200);
    expect((await inject('GET', '/api/v1/partners/agreements/DHL', dhl)).statusCode).toBe(200);
    expect((await inject('GET', '/api/v1/partners/agreements/DHL', ups)).statusCode).toBe(403);
    const bad = await inject(
      'PUT',
      '/api/v1/partners/agreements/DHL',
      admin,
      agreement({ endsOn: '2024-01-01' }),
    );
    expect(bad.statusCode).toBe(422);
    expect(bad.json().error.fieldErrors[0].path).toBe('endsOn');
  });

  it('shows carriers the alerts addressed to them without sensitive fields, and officers who read and acknowledged', async () => {
    const addressed = await inject('POST', '/api/v1/partners/alerts', analyst, {
      kind: 'alert',
      category: 'narcotics',
      title: 'Methamphetamine in tea packets',
      body: 'Crystals hidden in vacuum-packed tea from the Golden Triangle.',
      concealmentMethod: 'vacuum-packed tea bags',
      route: 'LA -> ICN',
      indicators: ['tea declared as gift', 'heavier than declared'],
      caseReference: 'CASE-2026-0042',
      suspectNames: ['Hong Gildong'],
      audience: ['DHL'],
    });
    expect(addressed.statusCode).toBe(201);
    await inject('POST', '/api/v1/partners/alerts', analyst, {
      kind: 'training',
      category: 'dangerous_goods',
      title: 'Lithium batteries in parcels',
      body: 'How to spot loose cells.',
    });

    const forDhl = (await inject('GET', '/api/v1/partners/alerts', dhl)).json().alerts;
    expect(forDhl.map((alert: { title: string }) => alert.title)).toEqual([
      'Lithium batteries in parcels',
      'Methamphetamine in tea packets',
    ]);
    expect(JSON.stringify(forDhl)).not.toContain('CASE-2026-0042');
    expect(JSON.stringify(forDhl)).not.toContain('Hong Gildong');
    const forUps = (await inject('GET', '/api/v1/partners/alerts', ups)).json().alerts;
    expect(forUps).toHaveLength(1);

    const id = addressed.json().id;
    expect((await inject('POST', `/api/v1/partners/alerts/${id}/acknowledgement`, ups)).statusCode).toBe(404);
    const acknowledged = await inject('POST', `/api/v1/partners/alerts/${id}/acknowledgement`, dhl);
    expect(acknowledged.json().acknowledgedAt).not.toBeNull();

    const officerView = (await inject('GET', '/api/v1/partners/alerts', analyst)).json().alerts;
    const alert = officerView.find((entry: { id: number }) => entry.id === id);
    expect(alert).toMatchObject({ caseReference: 'CASE-2026-0042', suspectNames: ['Hong Gildong'] });
    expect(alert.receipts).toEqual([
      expect.objectContaining({ organisationCode: 'DHL', acknowledgedAt: expect.any(String) }),
    ]);
  });

  it("compares a carrier's own inspection figures with customs', evaluates its compliance and sets its level in targeting", async () => {
    const csv = `period,parcelsHandled,parcelsScreened,parcelsInspected,findings\n${thisQuarter},2,2,1,0\n`;
    const submitted = await inject(
      'POST',
      '/api/v1/partners/carriers/DHL/inspection-reports',
      dhl,
      csv,
      'text/csv',
    );
    expect(submitted.statusCode).toBe(201);
    const wrong = await inject(
      'POST',
      '/api/v1/partners/carriers/DHL/inspection-reports',
      dhl,
      `period,parcelsHandled,parcelsScreened,parcelsInspected,findings\n2026-Q9,2,3,1,0\n`,
      'text/csv',
    );
    expect(wrong.statusCode).toBe(422);
    expect(wrong.json().error.fieldErrors[0]).toMatchObject({ path: 'period', line: 2 });
    expect(
      (await inject('POST', '/api/v1/partners/carriers/DHL/inspection-reports', ups, csv, 'text/csv'))
        .statusCode,
    ).toBe(403);

    const sideBySide = await inject(
      'GET',
      `/api/v1/partners/carriers/DHL/inspection-reports?period=${thisQuarter}`,
      analyst,
    );
    expect(sideBySide.json().figures).toEqual(
      expect.arrayContaining([
        expect.objectContaining({ figure: 'inspected', carrier: 1, customs: 0, differs: true }),
      ]),
    );

    const evaluation = await inject(
      'GET',
      `/api/v1/partners/carriers/DHL/compliance?period=${thisQuarter}&lang=ko`,
      dhl,
    );
    expect(evaluation.statusCode).toBe(200);
    const body = evaluation.json();
    expect(body).toMatchObject({ carrier: 'DHL', period: thisQuarter });
    expect(body.indicators.map((indicator: { code: string }) => indicator.code)).toEqual([
      'data_completeness',
      'timeliness',
      'declaration_accuracy',
      'inspection_reporting',
      'rfi_answers',
      'declaration_corrections',
      'final_address_reports',
      'seizures',
    ]);
    const completeness = body.indicators[0];
    expect(completeness.evidence.denominator).toBeGreaterThan(0);
    expect(completeness.name).toContain('완전성');
    expect(['low', 'medium', 'high']).toContain(body.level);

    const budgets = (await inject('GET', '/api/v1/targeting/budgets', analyst)).json();
    expect(budgets.carriers).toEqual(
      expect.arrayContaining([expect.objectContaining({ carrierCode: 'DHL', level: body.level })]),
    );
    const audit = await app.identity.audit.list(systemActor, { action: 'partners.compliance_level_changed' });
    expect(JSON.stringify(audit)).toContain('carrier:DHL');

    const report = await inject(
      'GET',
      `/api/v1/partners/carriers/DHL/compliance/report?period=${thisQuarter}&lang=fr`,
      analyst,
    );
    expect(report.headers['content-type']).toContain('text/csv');
    expect(report.body).toContain('Complétude des données');
    expect(report.body).toContain('demandes d’information acquittées en 24 heures');
    expect(report.body).toMatch(/carrier_parcels=2 customs_parcels=\d+/);
    const trend = await inject(
      'GET',
      `/api/v1/partners/carriers/DHL/compliance/trend?period=${thisQuarter}&quarters=4`,
      dhl,
    );
    expect(trend.json().points).toHaveLength(4);
    expect(
      (await inject('GET', `/api/v1/partners/carriers/DHL/compliance?period=${thisQuarter}`, ups)).statusCode,
    ).toBe(403);
    expect(
      (await inject('GET', '/api/v1/partners/carriers/DHL/compliance?period=2026-13', analyst)).statusCode,
    ).toBe(400);
  });

  it("measures a carrier's answers to requests for information, corrections, final-address reports and seizures from clearance's records", async () => {
    const cj = await authHeader(app, 'carrier', 'CJL');
    const inspector = await authHeader(app, 'inspector');
    const base = expressManifest(5, { carrier: 'CJL', arrivalDate: '2099-01-01' });
    const houses = (base.houses as Record<string, unknown>[]).map((house, index) => ({
      ...house,
      hawb: `CJL${7000 + index}`,
    }));
    const stored = await inject('POST', '/api/v1/express/manifests', cj, { ...base, houses });
    expect(stored.statusCode, stored.body).toBe(200);
    await app.settle();
    const [answered, answeredLate, amended, corrected, releasedOnly] = stored
      .json()
      .records.map((record: { id: number }) => record.id) as number[];
    const clearance = (parcelId: number, action: string, who: Headers, body: Record<string, unknown>) =>
      inject('POST', `/api/v1/clearance/parcels/${parcelId}/${action}`, who, body);
    const request = (parcelId: number, kind: string) =>
      clearance(parcelId, 'requests', analyst, { kind, message: 'Send the invoice', fields: ['invoice'] });

    // Requests for information: one acknowledged at once, one a day and a half after it was sent.
    expect((await request(answered!, 'request_for_information')).statusCode).toBe(201);
    expect((await request(answeredLate!, 'request_for_information')).statusCode).toBe(201);
    const notifications = (await inject('GET', '/api/v1/clearance/notifications', cj)).json()
      .notifications as {
      id: number;
      parcelId: number;
    }[];
    for (const notification of notifications)
      await inject('POST', `/api/v1/clearance/notifications/${notification.id}/acknowledgement`, cj);
    const late = notifications.find((notification) => notification.parcelId === answeredLate)!;
    await sql`update clearance_notification set acknowledged_at = created_at + interval '36 hours'
      where id = ${late.id}`.execute(app.database.db);
    // Corrections: an amendment requested, and an HS code corrected at inspection.
    expect((await request(amended!, 'request_for_amendment')).statusCode).toBe(201);
    await clearance(corrected!, 'transitions', analyst, { to: 'under_inspection', reason: 'X-ray' });
    const inspection = await clearance(corrected!, 'inspections', inspector, {
      outcome: 'misdeclared_goods',
      correctedHsCode: '851310',
    });
    expect(inspection.statusCode, inspection.body).toBe(201);
    // Final addresses: the corrected parcel is released and reported, another released and not yet due.
    await clearance(corrected!, 'transitions', inspector, { to: 'released', reason: 'duty paid' });
    await clearance(releasedOnly!, 'transitions', inspector, { to: 'released', reason: 'clear' });
    const delivery = await inject('POST', '/api/v1/clearance/delivery-reports', cj, [
      { trackingNumber: 'CJL7003', deliveredTo: '45 Sejong-daero, Jung-gu, Seoul' },
    ]);
    expect(delivery.json()).toMatchObject({ matched: 1 });
    // A seizure in its flow.
    await clearance(answered!, 'transitions', analyst, { to: 'under_inspection', reason: 'X-ray' });
    const seized = await clearance(answered!, 'seizures', inspector, {
      goodsCategory: 'narcotics',
      goodsDescription: 'methamphetamine',
      quantity: '0.2',
      quantityUnit: 'kg',
      concealmentMethod: 'inside vitamin tablets',
      route: { departureCountry: 'US', transitCountries: [], destinationCountry: 'KR', transport: 'air' },
      parties: [],
      images: [],
    });
    expect(seized.statusCode, seized.body).toBe(201);

    const evaluation = await inject(
      'GET',
      `/api/v1/partners/carriers/CJL/compliance?period=${thisQuarter}&lang=fr`,
      cj,
    );
    expect(evaluation.statusCode, evaluation.body).toBe(200);
    const indicators = Object.fromEntries(
      (evaluation.json().indicators as { code: string; explanation: string }[]).map((indicator) => [
        indicator.code,
        indicator,
      ]),
    );
    expect(indicators.rfi_answers).toMatchObject({
      value: 0.5,
      weight: 0.1,
      name: 'Demandes d’information traitées dans les délais',
      evidence: {
        numerator: 1,
        denominator: 2,
        parcelSamples: [answeredLate],
        facts: { answered_late: 1, unanswered: 0, deadline_hours: 24 },
      },
    });
    expect(indicators.declaration_corrections).toMatchObject({
      value: 0.6,
      evidence: {
        numerator: 3,
        denominator: 5,
        parcelSamples: [amended, corrected],
        facts: { amendment_requests: 1, corrected_at_inspection: 1 },
      },
    });
    expect(indicators.final_address_reports).toMatchObject({
      value: 1,
      evidence: { numerator: 1, denominator: 1, parcelSamples: [], facts: { pending: 1 } },
    });
    expect(indicators.seizures).toMatchObject({
      value: 0,
      evidence: { parcelSamples: [answered], facts: { seized_parcels: 1, category_narcotics: 1 } },
    });
    expect(indicators.seizures!.explanation).toContain('1 %');

    // Judged a week later, the unreported parcel counts against the carrier, and so would an RFI left
    // unanswered (clearance's read surface, as partners calls it).
    const quarter = parseQuarter(thisQuarter)!;
    const weekLater = await app.clearance.carrierRecords.carrierRecords(systemActor, {
      carrierCode: 'CJL',
      from: quarter.from,
      to: quarter.to,
      answerWithinHours: 24,
      deliveryReportDays: 7,
      asOf: new Date(Date.now() + 8 * 86_400_000),
    });
    expect(weekLater.finalAddressReports).toEqual({
      due: 2,
      reported: 1,
      pending: 0,
      missingSamples: [releasedOnly],
    });
    expect(weekLater.requestsForInformation).toMatchObject({ due: 2, answeredOnTime: 1, pending: 0 });
    expect(
      (await inject('GET', `/api/v1/partners/carriers/CJL/compliance?period=${thisQuarter}`, dhl)).statusCode,
    ).toBe(403);
  });

  it("turns an agency's report into hits on parcels received before and after it, seen by the agency and by targeting", async () => {
    await inject('PUT', '/api/v1/partners/agreements/KATS', admin, {
      ...agreement({ organisationRole: 'agency', name: 'Korean Agency for Technology and Standards' }),
      dataSharing: ['tracking_number'],
    });
    await inject('POST', '/api/v1/express/manifests', dhl, manifest('Power bank PB 20000 fast charge'));
    await app.settle();

    const filed = await inject('POST', '/api/v1/partners/product-safety/reports', agency, {
      productName: 'Portable power bank 20000mAh',
      brand: 'Voltix',
      model: 'PB-20000',
      hazard: 'overheating cells, fire risk',
      recallReference: 'KATS-2026-117',
    });
    expect(filed.statusCode).toBe(201);
    const reportId = filed.json().id;
    expect(
      (
        await inject('POST', '/api/v1/partners/product-safety/reports', agency, {
          productName: 'Portable power bank 20000mAh',
          brand: 'Voltix',
          model: 'PB-20000',
          hazard: 'overheating cells, fire risk',
          recallReference: 'KATS-2026-117',
        })
      ).json(),
    ).toEqual({ id: reportId });
    await app.settle(); // the look-back over the last 90 days runs as a job

    await inject('POST', '/api/v1/express/manifests', dhl, manifest('보조배터리 pb20000 white'));
    await inject('POST', '/api/v1/express/manifests', dhl, manifest('Power bank PB-20001 (another model)'));
    await app.settle();

    const hits = (
      await inject('GET', `/api/v1/partners/product-safety/reports/${reportId}/hits`, agency)
    ).json().hits;
    expect(hits).toHaveLength(2);
    expect(hits[0]).toMatchObject({ matchedOn: ['model'], trackingNumber: expect.stringMatching(/^DHLP/) });
    expect(hits[0]).not.toHaveProperty('carrierCode');
    expect(
      (await inject('GET', `/api/v1/partners/product-safety/reports/${reportId}/hits`, otherAgency))
        .statusCode,
    ).toBe(404);
    const officerHits = (
      await inject('GET', `/api/v1/partners/product-safety/reports/${reportId}/hits`, analyst)
    ).json().hits;
    expect(officerHits[0].carrierCode).toBe('DHL');

    const decision = (await inject('GET', `/api/v1/parcels/${hits[0].parcelId}/decision`, analyst)).json();
    expect(JSON.stringify(decision)).toContain(`product-safety report #${reportId}`);

    const csv = 'productName,hazard,model\nKids magnet set,swallowing hazard,MG-12\n';
    const fromCsv = await inject('POST', '/api/v1/partners/product-safety/reports', agency, csv, 'text/csv');
    expect(fromCsv.statusCode).toBe(201);
    expect(fromCsv.json().reports).toHaveLength(1);
    const missingHazard = await inject(
      'POST',
      '/api/v1/partners/product-safety/reports',
      agency,
      'productName,model\nKettle,K-1\n',
      'text/csv',
    );
    expect(missingHazard.statusCode).toBe(422);
    expect(missingHazard.json().error.fieldErrors[0]).toMatchObject({ path: 'hazard', line: 2 });
    const png = Buffer.from('89504e470d0a1a0a0000000d4948445200000001000000010806000000', 'hex');
    const picture = await inject(
      'POST',
      `/api/v1/partners/product-safety/reports/${reportId}/pictures`,
      agency,
      png,
      'image/png',
    );
    expect(picture.statusCode).toBe(201);
    expect(
      (
        await inject(
          'POST',
          `/api/v1/partners/product-safety/reports/${reportId}/pictures`,
          agency,
          png,
          'text/plain',
        )
      ).statusCode,
    ).toBe(415);
  });

  it('tells targeting of hits through the outbox, and retries when targeting fails', async () => {
    const filed = await inject('POST', '/api/v1/partners/product-safety/reports', agency, {
      productName: 'Magnetic building set',
      model: 'MB-64X',
      hazard: 'small magnets, swallowing hazard',
    });
    expect(filed.statusCode).toBe(201);
    await app.settle();
    const redecide = vi
      .spyOn(app.targeting.service, 'onNewInformation')
      .mockRejectedValueOnce(new Error('targeting unavailable'));
    const stored = await inject('POST', '/api/v1/express/manifests', dhl, manifest('Magnet set MB 64X'));
    const parcelId = stored.json().records[0].id as number;
    await app.settle();
    // The hit is kept, and so is the event for targeting while it fails.
    const hits = (
      await inject('GET', `/api/v1/partners/product-safety/reports/${filed.json().id}/hits`, analyst)
    ).json().hits;
    expect(hits).toEqual([expect.objectContaining({ parcelId, matchedOn: ['model'] })]);
    expect(await app.events.backlog()).toEqual({ 'targeting.product-safety': 1 });

    await sql`update platform_outbox set available_at = now()`.execute(app.database.db);
    await app.settle();
    expect(await app.events.backlog()).toEqual({});
    expect(redecide).toHaveBeenCalledTimes(2);
    redecide.mockRestore();
    const decision = (await inject('GET', `/api/v1/parcels/${parcelId}/decision`, analyst)).json();
    expect(JSON.stringify(decision)).toContain(`product-safety report #${filed.json().id}`);
  });

  it("takes a foreign seller's registration from application to approval, shows it on its parcels, and audits decisions", async () => {
    const applied = await inject(
      'POST',
      '/api/v1/sellers/registrations',
      {},
      {
        legalName: 'Shenzhen Bright Trading Ltd',
        country: 'CN',
        address: { street: '88 Futian Rd', city: 'Shenzhen', country: 'CN' },
        marketplaces: ['AliExpress'],
        contact: { email: 'export@bright.example' },
        documents: ['business-licence.pdf'],
      },
    );
    expect(applied.statusCode).toBe(201);
    const { id, registrationNumber } = applied.json();
    expect(registrationNumber).toMatch(/^FS-/);
    expect((await inject('POST', '/api/v1/sellers/registrations', {}, { legalName: 'x' })).statusCode).toBe(
      400,
    );

    const approved = await inject('POST', `/api/v1/sellers/registrations/${id}/decision`, analyst, {
      decision: 'approved',
    });
    expect(approved.statusCode).toBe(200);
    expect(approved.json().registration.status).toBe('approved');
    const illegal = await inject('POST', `/api/v1/sellers/registrations/${id}/decision`, analyst, {
      decision: 'rejected',
      reason: 'x',
    });
    expect(illegal.statusCode).toBe(409);
    expect(
      (
        await inject('POST', `/api/v1/sellers/registrations/${id}/decision`, dhl, {
          decision: 'suspended',
          reason: 'x',
        })
      ).statusCode,
    ).toBe(403);

    await inject(
      'POST',
      '/api/v1/express/manifests',
      dhl,
      manifest('LED desk lamp', {
        seller: { id: 'BRIGHT-1', name: 'Bright', country: 'CN', registrationNumber },
      }),
    );
    await app.settle();
    const page = (await inject('GET', `/api/v1/sellers/registrations/${id}`, analyst)).json();
    expect(page.parcels).toHaveLength(1);
    // Its parcels carry the status targeting trusts, as those named before the decision would.
    const parcel = (await inject('GET', `/api/v1/parcels/${page.parcels[0].id}`, analyst)).json();
    expect(parcel.seller).toMatchObject({ registrationNumber, registrationStatus: 'registered' });
    expect(page.decisions).toEqual([expect.objectContaining({ decision: 'approved' })]);

    const suspended = await inject('POST', `/api/v1/sellers/registrations/${id}/decision`, analyst, {
      decision: 'suspended',
      reason: 'counterfeit goods seized',
    });
    expect(suspended.json().registration.status).toBe('suspended');
    const audit = await app.identity.audit.list(systemActor, { action: 'partners.seller_decision' });
    expect(JSON.stringify(audit)).toContain('counterfeit goods seized');
  });

  it('signs a carrier and an agency in with their organisation accounts (e-mail and password)', async () => {
    const password = 'carrier partner password 42';
    const created = await inject('POST', '/api/v1/admin/accounts', admin, {
      kind: 'organisation',
      role: 'agency',
      organisation: 'KCA',
      email: 'desk@kca.example',
      password,
    });
    expect(created.statusCode, created.body).toBe(201);
    const login = await inject('POST', '/api/v1/auth/login', {}, { email: 'desk@kca.example', password });
    expect(login.statusCode, login.body).toBe(200);
    expect(login.json().me).toMatchObject({ kind: 'organisation', organisation: 'KCA', roles: ['agency'] });
    const generated = await inject('POST', '/api/v1/admin/accounts', admin, {
      kind: 'organisation',
      role: 'carrier',
      organisation: 'FEDEX',
      email: 'customs@fedex.example',
    });
    expect(generated.json().temporaryPassword).toEqual(expect.any(String));
    const taken = await inject('POST', '/api/v1/admin/accounts', admin, {
      kind: 'organisation',
      role: 'carrier',
      organisation: 'TNT',
      email: 'customs@fedex.example',
    });
    expect(taken.statusCode).toBe(409);
  });

  it('gives a seller that applies with a password an account that sees its own registration only', async () => {
    const password = 'seller partner password 42';
    const applied = await inject(
      'POST',
      '/api/v1/sellers/registrations',
      {},
      {
        legalName: 'Hangzhou Lantern Co',
        country: 'CN',
        address: { street: '1 West Lake Rd', city: 'Hangzhou', country: 'CN' },
        marketplaces: ['Temu'],
        contact: { email: 'Sales@Lantern.example' },
        password,
      },
    );
    expect(applied.statusCode, applied.body).toBe(201);
    const login = await inject(
      'POST',
      '/api/v1/auth/login',
      {},
      { email: 'sales@lantern.example', password },
    );
    expect(login.statusCode, login.body).toBe(200);
    const cookie = String(login.headers['set-cookie']).match(/clearway_session=[^;]+/)![0];
    const own = await inject('GET', '/api/v1/sellers/me', { cookie });
    expect(own.statusCode, own.body).toBe(200);
    expect(own.json().registration).toMatchObject({
      registrationNumber: applied.json().registrationNumber,
      status: 'applied',
    });
    expect((await inject('GET', '/api/v1/sellers/registrations', { cookie })).statusCode).toBe(403);
    expect((await inject('GET', '/api/v1/sellers/me', dhl)).statusCode).toBe(403);
    // The same address again: refused before anything is stored.
    const registrationsBefore = (await app.partners.sellers.list(systemActor)).registrations.length;
    const again = await inject(
      'POST',
      '/api/v1/sellers/registrations',
      {},
      {
        legalName: 'Lantern copy',
        country: 'CN',
        address: { street: '2 West Lake Rd', city: 'Hangzhou', country: 'CN' },
        marketplaces: ['Temu'],
        contact: { email: 'sales@lantern.example' },
        password,
      },
    );
    expect((await app.partners.sellers.list(systemActor)).registrations).toHaveLength(registrationsBefore);
    expect(again.statusCode).toBe(409);
  });

  it('gives the demo a carrier, an agency and an approved seller that sign in with the shared password', async () => {
    // A fresh instance, as at a first start: this suite's DHL already has a key-only account.
    const demo = await createTestApp(engine);
    const password = 'demo partners password 2026';
    await ensureDemoPartners(demo, password);
    await ensureDemoPartners(demo, password); // a later start changes nothing
    for (const [role, email] of Object.entries(DEMO_PARTNER_ACCOUNTS)) {
      const login = await demo.http.inject({
        method: 'POST',
        url: '/api/v1/auth/login',
        payload: { email, password },
      });
      expect(login.statusCode, `${role}: ${login.body}`).toBe(200);
      expect(login.json().me.kind).toBe('organisation');
    }
    const sellers = (await demo.partners.sellers.list(systemActor, 'approved')).registrations;
    expect(sellers).toHaveLength(1);
    expect((await demo.partners.alerts.list(systemActor)).alerts).toHaveLength(1);
    await demo.close();
  });
});
