import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Clearway } from '../src/main.js';
import { systemActor } from '../src/platform/auth/actor.js';
import { authHeader, createTestApp } from './support/test-app.js';
import { availableEngines } from './support/test-database.js';
import { expressManifest, s10 } from './support/sample-data.js';
import { EXPRESS_TEST_HEADER as EXPRESS_CSV_HEADER } from './support/express-rows.js';

function expressCsvRow(hawb: string, description: string, value: string, hsCode = '640399'): string {
  return `FEDEX,023-45678905,FX5102,2026-11-22,${hawb},Shoe Outlet,9 Elm St,Portland,US,Choi Yuna,7 Haeundae-ro,Busan,KR,P555566667777,1,2.5,USD,SHOE-OUT,Shoe Outlet,${description},1,1.1,${value},USD,${hsCode},US`;
}

describe.each(await availableEngines())('express and marketplace intake on %s', (engine) => {
  let app: Clearway;
  let officer: { authorization: string };
  let dhl: { authorization: string };
  let fedex: { authorization: string };

  beforeAll(async () => {
    app = await createTestApp(engine);
    officer = await authHeader(app, 'targeting_analyst');
    dhl = await authHeader(app, 'carrier', 'DHL');
    fedex = await authHeader(app, 'carrier', 'FEDEX');
  });
  afterAll(async () => app?.close());

  it('takes a JSON manifest house by house, keeping the good houses when one is bad', async () => {
    const manifest = expressManifest(3);
    (manifest.houses as Record<string, unknown>[])[1]!.consignee = {
      name: 'X',
      street: 'Y',
      city: 'Seoul',
      country: 'KR',
      pccc: 'P1',
    };
    const response = await app.http.inject({
      method: 'POST',
      url: '/api/v1/express/manifests',
      headers: dhl,
      payload: manifest,
    });
    expect(response.statusCode).toBe(200);
    expect(response.json()).toMatchObject({ received: 3, accepted: 2, rejected: 1 });
    expect(response.json().errors[0]).toMatchObject({ path: 'consignee/pccc', rule: 'pccc-shape', line: 2 });
    const [first] = response.json().records;
    const parcel = (
      await app.http.inject({ method: 'GET', url: `/api/v1/parcels/${first.id}`, headers: officer })
    ).json();
    expect(parcel).toMatchObject({
      channel: 'express',
      carrierCode: 'DHL',
      masterWaybill: '18012345675',
      arrivalDate: '2026-11-21',
    });
  });

  it('groups CSV rows into house waybills and reports malformed rows by line', async () => {
    const csv = [
      EXPRESS_CSV_HEADER,
      expressCsvRow('FX0000001', 'Running shoes', '80'),
      expressCsvRow('FX0000001', 'Sandals', '40'),
      expressCsvRow('FX0000002', 'Boots', '-5'),
      'FEDEX,too,few,cells',
      expressCsvRow('FX0000003', 'Slippers', '12.5'),
    ].join('\n');
    const response = await app.http.inject({
      method: 'POST',
      url: '/api/v1/express/manifests',
      headers: { ...fedex, 'content-type': 'text/csv' },
      payload: csv,
    });
    expect(response.statusCode).toBe(200);
    const summary = response.json();
    expect(summary).toMatchObject({ received: 4, accepted: 2, rejected: 2 });
    expect(summary.errors.map((error: { line: number; rule: string }) => [error.line, error.rule])).toEqual(
      expect.arrayContaining([
        [4, 'money'],
        [5, 'malformed'],
      ]),
    );
    const twoLines = (
      await app.http.inject({
        method: 'GET',
        url: `/api/v1/parcels/${summary.records[0].id}`,
        headers: officer,
      })
    ).json();
    expect(twoLines.lines.map((line: { description: string }) => line.description)).toEqual([
      'Running shoes',
      'Sandals',
    ]);
    expect(twoLines.declaredValue).toBe('120');
  });

  it("keeps one carrier away from another carrier's parcels", async () => {
    const manifest = expressManifest(1, { mawb: '180-99999992' });
    (manifest.houses as Record<string, unknown>[])[0]!.hawb = 'DHL7777777';
    const created = (
      await app.http.inject({
        method: 'POST',
        url: '/api/v1/express/manifests',
        headers: dhl,
        payload: manifest,
      })
    ).json();
    const id = created.records[0].id;
    expect(
      (await app.http.inject({ method: 'GET', url: `/api/v1/parcels/${id}`, headers: dhl })).statusCode,
    ).toBe(200);
    expect(
      (await app.http.inject({ method: 'GET', url: `/api/v1/parcels/${id}`, headers: fedex })).statusCode,
    ).toBe(404);
    const asFedex = await app.http.inject({
      method: 'POST',
      url: '/api/v1/express/manifests',
      headers: fedex,
      payload: manifest,
    });
    expect(asFedex.statusCode).toBe(422);
  });

  it('links orders and payments to the parcel by tracking number', async () => {
    const itemId = s10(70000001);
    const item = {
      itemId,
      postalOperator: 'KPOST',
      category: 'sale_of_goods',
      sender: { name: 'Seller', street: '1 Rd', city: 'Hangzhou', country: 'CN' },
      addressee: {
        name: 'Kang',
        street: '3 Jong-ro',
        city: 'Seoul',
        country: 'KR',
        importerReference: 'P100020003000',
      },
      contents: [
        { description: 'Wireless earbuds', quantity: 1, value: 25, currency: 'USD', hsCode: '851830' },
      ],
      grossMassKg: 0.3,
      currency: 'USD',
      postedOn: '2026-11-18',
    };
    const post = await authHeader(app, 'postal_operator', 'KPOST');
    const { id } = (
      await app.http.inject({ method: 'POST', url: '/api/v1/postal/items', headers: post, payload: item })
    ).json();
    const order = {
      marketplace: 'GlobalMart',
      orderNumber: 'GM-1001',
      seller: { id: 'S-88', name: 'Audio World', country: 'CN' },
      productTitle: 'Wireless earbuds pro',
      pricePaid: '89.90',
      currency: 'USD',
      buyer: { pccc: 'P100020003000' },
      trackingNumber: itemId,
      orderedAt: '2026-11-15T10:00:00Z',
    };
    const payment = {
      marketplace: 'GlobalMart',
      paymentReference: 'PAY-1',
      orderNumber: 'GM-1001',
      method: 'card',
      amount: '89.90',
      currency: 'USD',
      foreignAmount: '125000',
      foreignCurrency: 'KRW',
      paidAt: '2026-11-15T10:01:00Z',
    };
    const orders = await app.http.inject({
      method: 'POST',
      url: '/api/v1/marketplace/orders',
      headers: officer,
      payload: [order],
    });
    expect(orders.json()).toMatchObject({ accepted: 1 });
    const paymentCsv = `marketplace,paymentReference,orderNumber,method,amount,currency,foreignAmount,foreignCurrency,paidAt\nGlobalMart,PAY-1,GM-1001,card,89.90,USD,125000,KRW,2026-11-15T10:01:00Z\n`;
    const payments = await app.http.inject({
      method: 'POST',
      url: '/api/v1/marketplace/payments',
      headers: { ...officer, 'content-type': 'text/csv' },
      payload: paymentCsv,
    });
    expect(payments.json()).toMatchObject({ accepted: 1 });
    const again = await app.http.inject({
      method: 'POST',
      url: '/api/v1/marketplace/payments',
      headers: officer,
      payload: payment,
    });
    expect(again.json()).toMatchObject({ accepted: 0, duplicates: 1 });

    const parcel = (
      await app.http.inject({ method: 'GET', url: `/api/v1/parcels/${id}`, headers: officer })
    ).json();
    expect(parcel.orders[0]).toMatchObject({ orderNumber: 'GM-1001', pricePaid: '89.9', sellerId: 'S-88' });
    expect(parcel.payments[0]).toMatchObject({
      paymentReference: 'PAY-1',
      foreignAmount: '125000',
      foreignCurrency: 'KRW',
    });
  });

  it('imports KCS history with labels, rejects bad rows by line, and re-imports as duplicates', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'clearway-kcs-'));
    const file = join(dir, 'kcs.csv');
    writeFileSync(
      file,
      [
        'Declaration ID,Date,Office ID,Process Type,Import Type,Import Use,Payment Type,Mode of Transport,Declarant ID,Importer ID,Seller ID,Courier ID,HS6 Code,Country of Departure,Country of Origin,Tax Rate,Tax Type,Country of Origin Indicator,Net Mass,Item Price,Fraud,Critical Fraud',
        '97061800,2020-01-01,30,B,11,21,11,10,ZZR1LT6,QLRUBN9,0VKY2BR,,440890,BE,BE,0.0,FEU1,G,108.0,372254.4,0,0',
        '85945189,2020-01-01,40,B,11,21,11,40,SWF9S4X,7JD1S2X,8WDKMC6,,690722,CN,CN,8.0,A,Y,11352.0,375751.2,1,2',
        '11111111,2020-13-01,40,B,11,21,11,40,SWF9S4X,7JD1S2X,8WDKMC6,,69072A,CN,CN,8.0,A,Y,1.0,1.0,0,1',
      ].join('\n'),
    );
    const first = await app.intake.service.importFile(systemActor, 'kcs', file);
    expect(first).toMatchObject({ received: 3, accepted: 2, rejected: 1 });
    expect(first.errors.map((error) => `${error.line}:${error.path}:${error.rule}`)).toEqual([
      '4:Date:iso-date',
      '4:HS6 Code:hs-code-shape',
      '4:Critical Fraud:labels-consistent',
    ]);
    const again = await app.intake.service.importFile(systemActor, 'kcs', file);
    expect(again).toMatchObject({ received: 3, accepted: 0, duplicates: 2, rejected: 1 });
  });

  it('refuses the record holding bytes that are not UTF-8 and keeps the rows around it', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'clearway-enc-'));
    const file = join(dir, 'orders.csv');
    const header =
      'marketplace,orderNumber,seller.id,seller.name,productTitle,pricePaid,currency,orderedAt\n';
    const good = 'ShopOne,O-1,S1,Seller One,Lamp,10,USD,2026-11-01\n';
    writeFileSync(
      file,
      Buffer.concat([
        Buffer.from(header + good),
        Buffer.from('ShopOne,O-2,S1,Seller One,'),
        Buffer.from([0xc7, 0xd1]),
        Buffer.from(',10,USD,2026-11-01\n'),
        Buffer.from('ShopOne,O-3,S1,Seller One,Desk,10,USD,2026-11-01\n'),
      ]),
    );
    const summary = await app.intake.service.importFile(systemActor, 'orders', file);
    expect(summary).toMatchObject({ received: 3, accepted: 2, rejected: 1 });
    expect(summary.errors).toEqual([
      expect.objectContaining({
        line: 3,
        path: 'productTitle',
        rule: 'invalid-utf-8',
        message: expect.stringContaining('not valid UTF-8'),
      }),
    ]);
  });
});
