import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { sql } from 'kysely';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Clearway } from '../src/main.js';
import { systemActor } from '../src/platform/auth/actor.js';
import { authHeader, createTestApp } from './support/test-app.js';
import { availableEngines } from './support/test-database.js';
import { postalItem, s10 } from './support/sample-data.js';

describe.each(await availableEngines())('targeting decisions on %s', (engine) => {
  let app: Clearway;
  let analyst: { authorization: string };
  let inspector: { authorization: string };
  let post: { authorization: string };
  let otherCarrier: { authorization: string };

  beforeAll(async () => {
    app = await createTestApp(engine);
    analyst = await authHeader(app, 'targeting_analyst');
    inspector = await authHeader(app, 'inspector');
    post = await authHeader(app, 'postal_operator', 'KPOST');
    otherCarrier = await authHeader(app, 'carrier', 'DHL');
  });
  afterAll(async () => app?.close());

  const receive = async (serial: number, overrides: Record<string, unknown> = {}) => {
    const response = await app.http.inject({
      method: 'POST',
      url: '/api/v1/postal/items',
      headers: post,
      payload: postalItem({ itemId: s10(serial), ...overrides }),
    });
    expect(response.statusCode).toBe(201);
    await app.settle(); // decided in the background, once intake has committed
    return response.json().id as number;
  };

  it('decides a parcel on receipt: lane, score, model version, reasons, time from receipt', async () => {
    const id = await receive(50000001);
    const response = await app.http.inject({
      method: 'GET',
      url: `/api/v1/parcels/${id}/decision`,
      headers: analyst,
    });
    expect(response.statusCode).toBe(200);
    const decision = response.json();
    expect(['green', 'yellow', 'red', 'blue']).toContain(decision.lane);
    expect(decision).toMatchObject({
      parcelId: id,
      sequence: 1,
      modelVersion: 'heuristic-v1',
      trigger: 'intake',
      carrierCode: 'KPOST',
    });
    expect(decision.score).toBeGreaterThanOrEqual(0);
    expect(decision.score).toBeLessThanOrEqual(1);
    expect(decision.reasons.length).toBeGreaterThan(0);
    expect(decision.decidedInMs).toBeGreaterThanOrEqual(0);
    expect(decision.decidedInMs).toBeLessThan(10_000);

    // The declaring post sees the lane without the criteria; another carrier sees nothing.
    const own = await app.http.inject({
      method: 'GET',
      url: `/api/v1/parcels/${id}/decision`,
      headers: post,
    });
    expect(own.statusCode).toBe(200);
    expect(own.json()).toMatchObject({ lane: decision.lane, ruleHits: [] });
    expect(
      (await app.http.inject({ method: 'GET', url: `/api/v1/parcels/${id}/decision`, headers: otherCarrier }))
        .statusCode,
    ).toBe(404);
  });

  it('refuses a bad rule with its position, and holds parcels that a good rule hits', async () => {
    const bad = await app.http.inject({
      method: 'POST',
      url: '/api/v1/targeting/rules',
      headers: analyst,
      payload: {
        name: 'typo',
        expression: 'sender.country = "CN" and line.hs6 in list "textile"',
        lane: 'red',
      },
    });
    expect(bad.statusCode).toBe(422);
    expect(bad.json().error).toMatchObject({
      code: 'invalid_rule',
      problems: [{ message: 'no watchlist named "textile"', span: { line: 1, column: 44 } }],
    });

    const list = await app.http.inject({
      method: 'POST',
      url: '/api/v1/targeting/watchlists',
      headers: analyst,
      payload: { name: 'textile', kind: 'hs' },
    });
    expect(list.statusCode).toBe(201);
    const badEntry = await app.http.inject({
      method: 'POST',
      url: '/api/v1/targeting/watchlists/textile/entries',
      headers: analyst,
      payload: { entries: [{ value: '123' }] },
    });
    expect(badEntry.statusCode).toBe(422);
    expect(badEntry.json().error.fieldErrors[0]).toMatchObject({
      path: 'entries/0/value',
      rule: 'watchlist-hs',
    });
    expect(
      (
        await app.http.inject({
          method: 'POST',
          url: '/api/v1/targeting/watchlists/textile/entries',
          headers: analyst,
          payload: { entries: [{ value: '61' }, { value: '6204' }] },
        })
      ).statusCode,
    ).toBe(200);

    const created = await app.http.inject({
      method: 'POST',
      url: '/api/v1/targeting/rules',
      headers: analyst,
      payload: {
        name: 'Chinese textiles',
        expression: 'sender.country = "CN" and line.hs6 in list "textile"',
        lane: 'red',
        xrayReferral: true,
        activate: true,
      },
    });
    expect(created.statusCode).toBe(201);
    const rule = created.json();
    expect(rule).toMatchObject({
      status: 'active',
      currentVersion: 1,
      current: {
        lane: 'red',
        fields: expect.arrayContaining(['sender.country', 'line.hs6']),
        lists: ['textile'],
      },
    });

    const id = await receive(50000002);
    const decision = (
      await app.http.inject({ method: 'GET', url: `/api/v1/parcels/${id}/decision`, headers: analyst })
    ).json();
    expect(decision).toMatchObject({
      lane: 'red',
      xrayReferral: true,
      // The rule looks the HS code up in a watchlist: the queue says the list selected it.
      selection: 'list',
      ruleHits: [{ ruleId: rule.id, version: 1, name: 'Chinese textiles' }],
    });
    expect(decision.reasons[0]).toBe('Rule "Chinese textiles" (v1) matched: red (physical inspection).');
    // The same reason in the reader's language, with its code for the console.
    const korean = (
      await app.http.inject({
        method: 'GET',
        url: `/api/v1/parcels/${id}/decision`,
        headers: { ...analyst, 'accept-language': 'ko-KR,ko;q=0.9,en;q=0.5' },
      })
    ).json();
    expect(korean.reasons[0]).toBe('규칙 "Chinese textiles"(v1)에 해당: 적색(물품 검사).');
    expect(korean.reasonDetails[0]).toMatchObject({ code: 'lane.rule_matched', detail: false });
    const after = (
      await app.http.inject({ method: 'GET', url: `/api/v1/targeting/rules/${rule.id}`, headers: analyst })
    ).json();
    expect(after.hitCount).toBe(1);

    // A new version is recorded; carriers cannot manage rules.
    const updated = await app.http.inject({
      method: 'PUT',
      url: `/api/v1/targeting/rules/${rule.id}`,
      headers: analyst,
      payload: { name: 'Chinese textiles', expression: 'line.hs6 in list "textile"', lane: 'yellow' },
    });
    expect(updated.json()).toMatchObject({
      currentVersion: 2,
      versions: [{ version: 1 }, { version: 2, lane: 'yellow' }],
    });
    expect(
      (await app.http.inject({ method: 'GET', url: '/api/v1/targeting/rules', headers: post })).statusCode,
    ).toBe(403);
  });

  it('decides again on new information, keeps every record, and lets an officer override with a reason', async () => {
    const id = await receive(50000003, {
      contents: [
        {
          description: 'Phone case',
          quantity: 1,
          netMassKg: 0.1,
          value: 6,
          currency: 'USD',
          hsCode: '392690',
          originCountry: 'CN',
        },
      ],
    });
    const xray = await app.http.inject({
      method: 'POST',
      url: `/api/v1/parcels/${id}/information`,
      headers: inspector,
      payload: { kind: 'xray', finding: 'threat', labels: ['knife'], mismatch: true },
    });
    expect(xray.statusCode).toBe(201);
    expect(xray.json()).toMatchObject({ sequence: 2, trigger: 'xray' });
    expect(xray.json().reasons.join(' ')).toContain('X-ray threat recognised: knife');
    expect(xray.json().score).toBeGreaterThan(0.9);

    const address = await app.targeting.service.onNewInformation(id, {
      kind: 'post_delivery_address',
      address: '1 Warehouse-ro, Incheon',
    });
    expect(address).toMatchObject({ sequence: 3, trigger: 'post_delivery_address' });

    const badOverride = await app.http.inject({
      method: 'POST',
      url: `/api/v1/parcels/${id}/decision/override`,
      headers: post,
      payload: { lane: 'green', reason: 'looks fine to me' },
    });
    expect(badOverride.statusCode).toBe(403);
    const override = await app.http.inject({
      method: 'POST',
      url: `/api/v1/parcels/${id}/decision/override`,
      headers: inspector,
      payload: { lane: 'green', reason: 'opened: a toy knife, allowed' },
    });
    expect(override.statusCode).toBe(201);
    expect(override.json()).toMatchObject({
      sequence: 4,
      lane: 'green',
      trigger: 'override',
      selection: 'override',
      override: { reason: 'opened: a toy knife, allowed' },
    });

    const history = (
      await app.http.inject({ method: 'GET', url: `/api/v1/parcels/${id}/decisions`, headers: analyst })
    ).json().items;
    expect(history.map((decision: { sequence: number }) => decision.sequence)).toEqual([1, 2, 3, 4]);
    await expect(
      sql`update targeting_decision set lane = 'green' where parcel_id = ${id}`.execute(app.database.db),
    ).rejects.toThrow(/immutable/);
  });

  it('serves the queue by risk, filtered and paged with a cursor', async () => {
    for (let serial = 50000010; serial < 50000016; serial++) await receive(serial);
    const first = await app.http.inject({
      method: 'GET',
      url: '/api/v1/targeting/queue?limit=3',
      headers: analyst,
    });
    expect(first.statusCode).toBe(200);
    const page = first.json();
    expect(page.items).toHaveLength(3);
    expect(page.total).toBeGreaterThanOrEqual(9);
    const second = (
      await app.http.inject({
        method: 'GET',
        url: `/api/v1/targeting/queue?limit=100&cursor=${page.nextCursor}`,
        headers: analyst,
      })
    ).json();
    const all = [...page.items, ...second.items];
    expect(new Set(all.map((item: { parcelId: number }) => item.parcelId)).size).toBe(all.length);
    // Officers name parcels by tracking number: the queue carries it.
    expect(
      all.find((item: { parcelId: number }) => item.parcelId === page.items[0].parcelId)?.trackingNumber,
    ).toMatch(/^[A-Z]{2}\d{9}[A-Z]{2}$/);
    expect(
      all.every((item: { trackingNumber: string | null }) => typeof item.trackingNumber === 'string'),
    ).toBe(true);
    // In the order an officer should take them, each row saying why it was selected and what it holds.
    for (let index = 1; index < all.length; index++)
      expect(all[index - 1].queueRank).toBeGreaterThanOrEqual(all[index].queueRank);
    const latest = all.find((item: { trackingNumber: string }) => item.trackingNumber === s10(50000015));
    expect(latest).toMatchObject({
      whySelected: expect.any(String),
      goods: expect.any(String),
      declaredValue: expect.any(Number),
      currency: expect.any(String),
      originCountry: expect.any(String),
    });
    const red = (
      await app.http.inject({
        method: 'GET',
        url: '/api/v1/targeting/queue?lane=red&hsChapter=61',
        headers: analyst,
      })
    ).json();
    expect(
      red.items.every(
        (item: { lane: string; hsChapters: string[] }) =>
          item.lane === 'red' && item.hsChapters.includes('61'),
      ),
    ).toBe(true);
    expect(
      (
        await app.http.inject({
          method: 'GET',
          url: '/api/v1/targeting/queue?cursor=nonsense',
          headers: analyst,
        })
      ).statusCode,
    ).toBe(400);
    expect(
      (await app.http.inject({ method: 'GET', url: '/api/v1/targeting/queue', headers: post })).statusCode,
    ).toBe(403);
  });

  it('holds obvious fraud from the first parcel: an absurd price, weapon words, a split series', async () => {
    const decisionOf = async (id: number) =>
      (
        await app.http.inject({ method: 'GET', url: `/api/v1/parcels/${id}/decision`, headers: analyst })
      ).json();
    const line = (description: string, value: number, hsCode: string) => ({
      description,
      quantity: 1,
      netMassKg: 0.2,
      value,
      currency: 'USD',
      hsCode,
      originCountry: 'CN',
    });
    const phone = await decisionOf(
      await receive(50000040, { contents: [line('iPhone 15 Pro', 1, '851713')] }),
    );
    expect(phone).toMatchObject({ lane: 'red', selection: 'check' });
    expect(phone.reasons[0]).toBe(
      'Declared at USD 1 a unit for "iPhone 15 Pro" (about USD 1); a genuine flagship smartphone sells for USD 300-2,000.',
    );
    const pistol = await decisionOf(
      await receive(50000041, { contents: [line('Airsoft pistol gas blowback', 60, '950300')] }),
    );
    expect(pistol).toMatchObject({ lane: 'red', selection: 'check' });

    // Five parcels for one buyer on one day, each under USD 150: every one of them is held.
    const buyer = { ...(postalItem().addressee as object), importerReference: 'P987654321098' };
    const series: number[] = [];
    for (let index = 0; index < 5; index++)
      series.push(
        await receive(50000050 + index, {
          expectedArrivalDate: '2026-11-21',
          addressee: buyer,
          contents: [line('Wireless earbuds', 145 + index, '851830')],
        }),
      );
    for (const id of series) {
      const decision = await decisionOf(id);
      expect(decision.lane).not.toBe('green');
      expect(decision.reasonDetails.map((reason: { code: string }) => reason.code)).toContain(
        'check.split_series',
      );
    }
  });

  it('reads a series in two currencies and sellers sharing one phone from the stored parcels', async () => {
    const goods = (value: number, currency: string) => ({
      currency,
      contents: [
        {
          description: 'Down jacket',
          quantity: 1,
          netMassKg: 0.9,
          value,
          currency,
          hsCode: '620193',
          originCountry: 'CN',
        },
      ],
    });
    // One purchase in two parcels, one declared in euros and one in dollars, together over USD 150.
    const buyer = { ...(postalItem().addressee as object), importerReference: 'P555555555555' };
    const pieces = [
      await receive(50000060, { expectedArrivalDate: '2026-11-22', addressee: buyer, ...goods(100, 'EUR') }),
      await receive(50000061, { expectedArrivalDate: '2026-11-22', addressee: buyer, ...goods(110, 'USD') }),
    ];
    const [facts] = await app.intake.parcelFacts.loadParcelFacts([pieces[1]!]);
    expect(facts!.buyerValuesSameDay).toEqual([
      { currency: 'EUR', value: 100 },
      { currency: 'USD', value: 110 },
    ]);
    for (const id of pieces) {
      const decision = (
        await app.http.inject({ method: 'GET', url: `/api/v1/parcels/${id}/decision`, headers: analyst })
      ).json();
      expect(decision.lane).not.toBe('green');
      expect(decision.reasonDetails.map((reason: { code: string }) => reason.code)).toContain(
        'check.split_series',
      );
    }

    // Three seller names, one phone: the third parcel's seller shares its contact with two others.
    const ring: number[] = [];
    for (const [index, name] of ['Lucky Star Trading', 'Golden Bridge Store', 'Sunrise Goods'].entries())
      ring.push(
        await receive(50000070 + index, {
          sender: {
            name,
            street: `${index + 1} Ring Road`,
            city: 'Shenzhen',
            country: 'CN',
            phone: '+8613800000001',
          },
          seller: { id: `RING-${index + 1}`, name, country: 'CN' },
        }),
      );
    const ringFacts = await app.intake.parcelFacts.loadParcelFacts(ring);
    expect(ringFacts.map((parcel) => parcel.sellersSharingContact).sort()).toEqual([3, 3, 3]);
    // One holder whose name is written with different spaces and case is one name under the code.
    const holder = (name: string) => ({
      ...(postalItem().addressee as object),
      name,
      importerReference: 'P444444444444',
    });
    const spelt = [
      await receive(50000080, { addressee: holder('Sun Soo Kim') }),
      await receive(50000081, { addressee: holder('SUN  SOO   KIM') }),
    ];
    const [namesFacts] = await app.intake.parcelFacts.loadParcelFacts([spelt[1]!]);
    expect(namesFacts!.buyerNamesUnderPccc).toBe(1);
    // Clearance reads the same parcels without targeting's history features: everything else is equal.
    const history = new Set([
      'sellerPriorParcels',
      'buyerParcelsSameDay',
      'buyerValuesSameDay',
      'deliverySameDay',
      'sellersSharingContact',
      'buyerNamesUnderPccc',
    ]);
    const byParcel = (a: { parcelId: number }, b: { parcelId: number }) => a.parcelId - b.parcelId;
    const declared = await app.intake.parcelFacts.loadDeclaredParcels(ring);
    expect(declared.sort(byParcel)).toEqual(
      ringFacts
        .sort(byParcel)
        .map((facts) => Object.fromEntries(Object.entries(facts).filter(([key]) => !history.has(key)))),
    );
  });

  it('scores with the risk model once one is plugged in', async () => {
    const scorer = {
      modelVersion: 'gbdt-v7',
      score: () => ({
        score: 0.97,
        signals: [{ code: 'signal.fraud_rate', params: { entity: 'seller', rate: 40, effect: 'raises' } }],
      }),
    };
    app.targeting.service.setScorer(scorer);
    try {
      const id = await receive(50000030);
      expect(
        (
          await app.http.inject({ method: 'GET', url: `/api/v1/parcels/${id}/decision`, headers: analyst })
        ).json(),
      ).toMatchObject({
        modelVersion: 'gbdt-v7',
        score: 0.97,
        reasons: expect.arrayContaining(['Model gbdt-v7: past fraud rate of this seller 40 % (raises risk)']),
      });
      const korean = await app.http.inject({
        method: 'GET',
        url: `/api/v1/parcels/${id}/decision`,
        headers: { ...analyst, 'accept-language': 'ko' },
      });
      expect(korean.json().reasons).toContain('모델 gbdt-v7: 이 판매자의 과거 부정 비율 40 % (위험 증가)');
    } finally {
      app.targeting.service.setScorer(undefined);
    }
    expect(
      (
        await app.http.inject({
          method: 'GET',
          url: `/api/v1/parcels/${await receive(50000031)}/decision`,
          headers: analyst,
        })
      ).json().modelVersion,
    ).toBe('heuristic-v1');
  });

  it('dry-runs a rule over past declarations and counts the frauds among those it would hold', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'clearway-targeting-'));
    const file = join(dir, 'kcs.csv');
    const header =
      'Declaration ID,Date,Office ID,Process Type,Import Type,Import Use,Payment Type,Mode of Transport,Declarant ID,Importer ID,Seller ID,Courier ID,HS6 Code,Country of Departure,Country of Origin,Tax Rate,Tax Type,Country of Origin Indicator,Net Mass,Item Price,Fraud,Critical Fraud';
    const rows = [
      '90000001,2021-03-01,40,B,11,11,11,40,D1,I1,S1,,610910,CN,CN,13,FCN1,E,1.0,1000,1,1',
      '90000002,2021-03-02,40,B,11,11,11,40,D1,I2,S1,,610910,CN,CN,13,FCN1,E,1.0,2000,0,0',
      '90000003,2021-03-03,40,B,11,11,11,40,D1,I3,S2,,610910,US,US,13,FCN1,E,1.0,3000,1,2',
      '90000004,2021-03-04,40,B,11,11,11,40,D1,I4,S2,,847130,CN,CN,0,FCN1,E,1.0,900000,0,0',
      '90000005,2020-01-04,40,B,11,11,11,40,D1,I4,S2,,610910,CN,CN,0,FCN1,E,1.0,900000,1,1',
    ];
    writeFileSync(file, [header, ...rows].join('\n'));
    await app.intake.service.importFile(systemActor, 'kcs', file);
    const result = await app.targeting.service.dryRun(systemActor, {
      expression: 'line.hs6 in list "textile" and sender.country = "CN"',
      sinceDays: 30,
      asOf: '2021-03-31',
    });
    expect(result).toMatchObject({
      range: { fromDate: '2021-03-01', toDate: '2021-03-31' },
      declarations: 4,
      matched: 2,
      held: 2,
      heldInspected: 2,
      heldFrauds: 1,
      inspected: 4,
      frauds: 2,
    });
    expect(result.precision).toBe(0.5);

    const job = await app.http.inject({
      method: 'POST',
      url: '/api/v1/targeting/rules/test',
      headers: analyst,
      payload: { expression: 'line.hs6 = "610910"', sinceDays: 30, asOf: '2021-03-31' },
    });
    expect(job.statusCode).toBe(202);
    await app.settle();
    const done = (
      await app.http.inject({ method: 'GET', url: `/api/v1/jobs/${job.json().jobId}`, headers: analyst })
    ).json();
    expect(done.result).toMatchObject({ matched: 3, heldFrauds: 2, heldCritical: 1 });
  });
});
