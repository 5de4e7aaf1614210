import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Clearway } from '../src/main.js';
import { systemActor } from '../src/platform/auth/actor.js';
import { authHeader, createTestApp } from './support/test-app.js';
import { availableEngines } from './support/test-database.js';
import { expressManifest, postalItem, s10 } from './support/sample-data.js';

/**
 * The defects of issue 12, each as a request a hostile or careless client sent: every one answered a
 * 500, was stored wrong, or told more than it should before the fix.
 */
describe.each(await availableEngines())('hardening on %s', (engine) => {
  let app: Clearway;
  let admin: { authorization: string };
  let post: { authorization: string };
  let dhl: { authorization: string };
  let workDir: string;
  let serial = 70000000;
  const nextItem = (overrides: Record<string, unknown> = {}) =>
    postalItem({ itemId: s10(serial++), ...overrides });
  const addressee = postalItem().addressee as Record<string, unknown>;

  beforeAll(async () => {
    app = await createTestApp(engine);
    admin = await authHeader(app, 'administrator');
    post = await authHeader(app, 'postal_operator', 'KPOST');
    dhl = await authHeader(app, 'carrier', 'DHL');
    workDir = mkdtempSync(join(tmpdir(), 'clearway-hardening-'));
  });
  afterAll(async () => {
    await app?.close();
    rmSync(workDir, { recursive: true, force: true });
  });

  const postItem = (payload: unknown, headers: Record<string, string> = {}) =>
    app.http.inject({
      method: 'POST',
      url: '/api/v1/postal/items',
      headers: { ...post, ...headers },
      payload: payload as string,
    });

  it('refuses a NUL byte, a lone surrogate and U+FFFD in any text with 422 naming the field and the rule', async () => {
    const cases: [Record<string, unknown>, string, string][] = [
      [{ addressee: { ...addressee, name: 'Kim\u0000Minji' } }, 'addressee/name', 'control-character'],
      [
        { sender: { name: 'Shop\ud800', street: '1 Rd', city: 'Shenzhen', country: 'CN' } },
        'sender/name',
        'lone-surrogate',
      ],
      [{ addressee: { ...addressee, street: '1 \ufffd-ro' } }, 'addressee/street', 'invalid-utf-8'],
    ];
    for (const [override, path, rule] of cases) {
      const response = await postItem(JSON.stringify(nextItem(override)), {
        'content-type': 'application/json',
      });
      expect(response.statusCode, response.body).toBe(422);
      expect(response.json().error.fieldErrors).toContainEqual(expect.objectContaining({ path, rule }));
    }
    // The personal value is shown masked, never as sent.
    const nul = await postItem(nextItem({ addressee: { ...addressee, name: 'Kim\u0000Minji' } }));
    expect(nul.body).not.toContain('Minji');
  });

  it('refuses invalid UTF-8 bytes in a JSON body instead of storing replacement characters', async () => {
    const body = Buffer.from(JSON.stringify(nextItem({ addressee: { ...addressee, name: 'Kim XX Minji' } })));
    const at = body.indexOf('XX');
    body[at] = 0xff;
    body[at + 1] = 0xfe;
    const response = await postItem(body, { 'content-type': 'application/json' });
    expect(response.statusCode).toBe(422);
    expect(response.json().error.fieldErrors[0]).toMatchObject({
      path: 'addressee/name',
      rule: 'invalid-utf-8',
    });
  });

  it('tells a quantity, an amount or a mass over its limit apart from one with too many decimals', async () => {
    const line = (postalItem().contents as Record<string, unknown>[])[0]!;
    const quantity = await postItem(nextItem({ contents: [{ ...line, quantity: 1e12 }] }));
    expect(quantity.statusCode).toBe(422);
    expect(quantity.json().error.fieldErrors[0]).toMatchObject({
      path: 'contents/0/quantity',
      rule: 'quantity-range',
      message: 'must be at most 1,000,000',
    });
    const amount = await postItem(nextItem({ contents: [{ ...line, value: 1e20 }] }));
    expect(amount.json().error.fieldErrors[0]).toMatchObject({ rule: 'money-range' });
    const decimals = await postItem(nextItem({ contents: [{ ...line, value: 1.234 }] }));
    expect(decimals.json().error.fieldErrors[0]).toMatchObject({
      rule: 'money-precision',
      message: 'must have at most 2 decimals',
    });
  });

  it('refuses quantity 1e12 in an express manifest and an ITMATT document with 422 naming the line', async () => {
    const manifest = expressManifest(1, { mawb: '180-66666666' }) as {
      houses: { hawb: string; lines: Record<string, unknown>[] }[];
    };
    manifest.houses[0]!.hawb = 'HRDQ0000001';
    manifest.houses[0]!.lines[0]!.quantity = 1e12;
    const express = await app.http.inject({
      method: 'POST',
      url: '/api/v1/express/manifests',
      headers: dhl,
      payload: manifest,
    });
    expect(express.statusCode, express.body).toBe(422);
    expect(express.json().errors[0]).toMatchObject({ path: 'lines/0/quantity', rule: 'quantity-range' });

    const item = nextItem();
    const addresseeXml = Object.entries(item.addressee as Record<string, string>)
      .map(([key, value]) => `<${key}>${value}</${key}>`)
      .join('');
    const document = `<?xml version="1.0" encoding="UTF-8"?><ITMATT><Item><itemId>${String(item.itemId)}</itemId>
      <postalOperator>KPOST</postalOperator><form>CN23</form><category>sale_of_goods</category>
      <sender><name>Shop</name><street>1 Rd</street><city>Shenzhen</city><country>CN</country></sender>
      <addressee>${addresseeXml}</addressee>
      <contents><line><description>Earbuds</description><quantity>1000000000000</quantity><netMassKg>0.1</netMassKg>
      <value>10</value><currency>USD</currency><hsCode>851830</hsCode><originCountry>CN</originCountry></line></contents>
      <grossMassKg>0.2</grossMassKg><totalValue>10</totalValue><currency>USD</currency><postedOn>2026-11-01</postedOn>
      </Item></ITMATT>`;
    const itmatt = await app.http.inject({
      method: 'POST',
      url: '/api/v1/postal/itmatt',
      headers: { ...post, 'content-type': 'application/xml' },
      payload: document,
    });
    expect(itmatt.statusCode, itmatt.body).toBe(422);
    expect(itmatt.json().errors[0]).toMatchObject({ path: 'contents/0/quantity', rule: 'quantity-range' });
  });

  it('says a present value of the wrong type is of the wrong type, not missing', async () => {
    const response = await postItem(nextItem({ grossMassKg: true, postedOn: 5 }));
    const errors = response.json().error.fieldErrors;
    expect(errors).toContainEqual(expect.objectContaining({ path: 'grossMassKg', rule: 'type' }));
    expect(errors).toContainEqual(expect.objectContaining({ path: 'postedOn', rule: 'type' }));
    expect(errors.every((error: { message: string }) => error.message !== 'is required')).toBe(true);
  });

  it('answers a bad manifest header with 422 in the error shape, not a response-schema 500', async () => {
    for (const [override, path, rule] of [
      [{ mawb: '12' }, 'mawb', 'mawb'],
      [{ mawb: '12-3' }, 'mawb', 'mawb'],
      [{ mawb: '180-12345674' }, 'mawb', 'mawb'],
      [{ arrivalDate: '2026-02-30' }, 'arrivalDate', 'date'],
    ] as const) {
      const response = await app.http.inject({
        method: 'POST',
        url: '/api/v1/express/manifests',
        headers: dhl,
        payload: expressManifest(1, override),
      });
      expect(response.statusCode, response.body).toBe(422);
      expect(response.json().error).toMatchObject({ code: 'invalid_record', requestId: expect.any(String) });
      expect(response.json().error.fieldErrors[0]).toMatchObject({ path, rule });
    }
  });

  it('stores a 3,000-house manifest but the one house with a NUL byte, and names that house', async () => {
    const manifest = expressManifest(3000, { mawb: '180-44444444' });
    const houses = manifest.houses as { hawb: string; consignee: Record<string, unknown> }[];
    houses.forEach((house, index) => (house.hawb = `HRD${String(5000000 + index)}`));
    houses[1499]!.consignee.name = 'Lee\u0000Jihoon';
    const response = await app.http.inject({
      method: 'POST',
      url: '/api/v1/express/manifests',
      headers: dhl,
      payload: manifest,
    });
    expect(response.statusCode, response.body.slice(0, 300)).toBe(200);
    const summary = response.json();
    expect(summary).toMatchObject({ received: 3000, accepted: 2999, rejected: 1 });
    expect(summary.errors).toEqual([
      expect.objectContaining({
        line: 1500,
        path: 'consignee/name',
        rule: 'control-character',
        value: 'L***',
      }),
    ]);
  }, 120_000);

  it('refuses bad queue filters with 400 naming the parameter', async () => {
    for (const [query, path] of [
      ["lane=x'%20OR%201=1--", 'querystring/lane'],
      ['arrivalFrom=2026-02-30', 'querystring/arrivalFrom'],
      ['carrier=D%00HL', 'querystring/carrier'],
    ]) {
      const response = await app.http.inject({ url: `/api/v1/targeting/queue?${query}`, headers: admin });
      expect(response.statusCode, response.body).toBe(400);
      expect(response.json().error.fieldErrors[0].path).toBe(path);
    }
  });

  it('answers JSON sent as text/plain with 415, and documents ITMATT as XML', async () => {
    const response = await postItem(JSON.stringify(nextItem()), { 'content-type': 'text/plain' });
    expect(response.statusCode).toBe(415);
    expect(response.json().error.code).toBe('unsupported_media_type');
    const openapi = (await app.http.inject({ url: '/api/openapi.json' })).json();
    const itmatt = openapi.paths['/api/v1/postal/itmatt'].post.requestBody.content;
    expect(Object.keys(itmatt)).toEqual(['application/xml', 'text/xml']);
  });

  it('authenticates before validating: anonymous callers get 401 whatever they send', async () => {
    for (const url of ['/api/v1/parcels', '/api/v1/clearance/grouping', '/api/v1/targeting/queue?lane=x']) {
      const response = await app.http.inject({ url });
      expect(response.statusCode, url).toBe(401);
    }
  });

  it("answers another carrier's parcel exactly as a parcel that does not exist", async () => {
    const created = await app.http.inject({
      method: 'POST',
      url: '/api/v1/express/manifests',
      headers: dhl,
      payload: expressManifest(1, { mawb: '180-55555555' }),
    });
    const id = created.json().records[0].id;
    const fedex = await authHeader(app, 'carrier', 'FEDEX');
    const other = await app.http.inject({ url: `/api/v1/parcels/${id}`, headers: fedex });
    const missing = await app.http.inject({ url: '/api/v1/parcels/999999999', headers: fedex });
    expect(other.statusCode).toBe(404);
    expect(missing.statusCode).toBe(404);
    const answer = (body: { error: Record<string, unknown> }, parcelId: number) => ({
      ...body.error,
      requestId: undefined,
      message: String(body.error.message).replace(String(parcelId), 'N'),
    });
    expect(answer(other.json(), id)).toEqual(answer(missing.json(), 999999999));
  });

  it('imports a 6,000-row file around a NUL byte and a byte that is not UTF-8, naming their lines and fields', async () => {
    const header =
      'marketplace,orderNumber,seller.id,seller.name,productTitle,pricePaid,currency,buyer.pccc,orderedAt';
    const rows = Array.from(
      { length: 6000 },
      (_, index) =>
        `GlobalMart,HRD-${index},S1,Seller,Phone case ${index},12.50,USD,P123456789012,2026-11-20`,
    );
    rows[2999] = rows[2999]!.replace('Phone case', 'Phone\u0000case');
    const file = join(workDir, 'orders.csv');
    const bytes = Buffer.from([header, ...rows, ''].join('\n'));
    // Line 4002 (row 4,001) gets a Latin-1 byte in its title.
    const latin1At = bytes.indexOf(Buffer.from('Phone case 4000,'));
    bytes[latin1At + 5] = 0xe9;
    writeFileSync(file, bytes);

    const summary = await app.intake.service.importFile(systemActor, 'orders', file);
    expect(summary).toMatchObject({ received: 6000, accepted: 5998, rejected: 2 });
    expect(summary.errors).toEqual([
      expect.objectContaining({ line: 3001, path: 'productTitle', rule: 'control-character' }),
      expect.objectContaining({ line: 4002, path: 'productTitle', rule: 'invalid-utf-8' }),
    ]);
    const again = await app.intake.service.importFile(systemActor, 'orders', file);
    expect(again).toMatchObject({ received: 6000, accepted: 0, duplicates: 5998, rejected: 2 });
  }, 180_000);

  it("writes error messages and field errors in the caller's language, with the same codes", async () => {
    const item = nextItem({ addressee: { ...addressee, importerReference: 'P12' } });
    const answers = await Promise.all(
      ['ko-KR,ko;q=0.9', 'fr', 'en'].map((language) =>
        postItem(item, { 'accept-language': language }).then((response) => response.json().error),
      ),
    );
    expect(new Set(answers.map((error) => error.code))).toEqual(new Set(['invalid_record']));
    expect(answers[0].message).toContain('레코드');
    expect(answers[1].message).toContain('enregistrement');
    expect(answers[2].message).toContain('The postal item is invalid');
    expect(answers[0].fieldErrors[0]).toMatchObject({
      rule: 'pccc-shape',
      message: expect.stringContaining('P와 숫자 12자리'),
    });
    expect(answers[1].fieldErrors[0].message).toContain('P suivi de 12 chiffres');
    const anonymous = await app.http.inject({ url: '/api/v1/parcels', headers: { 'accept-language': 'fr' } });
    expect(anonymous.json().error.message).toContain('Connectez-vous');
    const query = await app.http.inject({
      url: '/api/v1/targeting/queue?limit=0',
      headers: { ...admin, 'accept-language': 'ko' },
    });
    expect(query.json().error.fieldErrors[0].message).toBe('최소 1입니다');
  });
});
