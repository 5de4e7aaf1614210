import { sql } from 'kysely';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Clearway } from '../src/main.js';
import { authHeader, createTestApp } from './support/test-app.js';
import { availableEngines } from './support/test-database.js';
import { postalItem, s10 } from './support/sample-data.js';

describe.each(await availableEngines())('postal intake on %s', (engine) => {
  let app: Clearway;
  let officer: { authorization: string };
  let post: { authorization: string };

  beforeAll(async () => {
    app = await createTestApp(engine);
    officer = await authHeader(app, 'administrator');
    post = await authHeader(app, 'postal_operator', 'KPOST');
  });
  afterAll(async () => app?.close());

  it('stores a CN23 item once: 201 with an id, then 200 with the same id', async () => {
    const item = postalItem({ itemId: s10(11111111) });
    const first = await app.http.inject({
      method: 'POST',
      url: '/api/v1/postal/items',
      headers: post,
      payload: item,
    });
    expect(first.statusCode).toBe(201);
    const { id } = first.json();
    expect(id).toBeTypeOf('number');

    const again = await app.http.inject({
      method: 'POST',
      url: '/api/v1/postal/items',
      headers: post,
      payload: item,
    });
    expect(again.statusCode).toBe(200);
    expect(again.json()).toEqual({ id, status: 'duplicate' });
    // Each request's message is kept with its outcome: the first written with the parcel in one
    // statement, the copy judged against it in a transaction of its own.
    const messages = await sql<{ id: number; summary: { messageId: number; records: unknown[] } }>`
      select m.id, m.summary from intake_message m
      where m.id in (select message_id from intake_parcel where id = ${id}) or m.summary @> ${JSON.stringify({
        records: [{ id, status: 'duplicate' }],
      })}::jsonb
      order by m.id`.execute(app.database.db);
    expect(messages.rows.map((row) => [Number(row.id), row.summary])).toEqual(
      messages.rows.map((row, index) => [
        Number(row.id),
        {
          messageId: Number(row.id),
          received: 1,
          accepted: index === 0 ? 1 : 0,
          duplicates: index === 0 ? 0 : 1,
          conflicts: 0,
          rejected: 0,
          errors: [],
          records: [{ line: 1, status: index === 0 ? 'created' : 'duplicate', id }],
        },
      ]),
    );
    expect(messages.rows).toHaveLength(2);

    const stored = await app.http.inject({ method: 'GET', url: `/api/v1/parcels/${id}`, headers: officer });
    expect(stored.statusCode).toBe(200);
    const parcel = stored.json();
    expect(parcel.trackingNumber).toBe(s10(11111111));
    expect(parcel.pccc).toBe('P123456789012');
    expect(parcel.declaredValue).toBe('24.5');
    expect(parcel.lines).toHaveLength(2);
    expect(parcel.lines[0]).toMatchObject({
      hsCode: '610910',
      quantity: '2',
      value: '18.5',
      currency: 'USD',
    });
  });

  it('takes concurrent items that bring the same new operator and buyer, each once', async () => {
    const newOperator = await authHeader(app, 'postal_operator', 'CNPOST');
    const items = Array.from({ length: 12 }, (_, index) =>
      postalItem({
        itemId: s10(33300000 + index),
        postalOperator: 'CNPOST',
        addressee: { ...(postalItem().addressee as object), importerReference: 'P555555555555' },
      }),
    );
    const responses = await Promise.all(
      items.map((item) =>
        app.http.inject({ method: 'POST', url: '/api/v1/postal/items', headers: newOperator, payload: item }),
      ),
    );
    expect(responses.map((response) => response.statusCode)).toEqual(items.map(() => 201));
    const parcels = await Promise.all(
      responses.map((response) =>
        app.http.inject({ method: 'GET', url: `/api/v1/parcels/${response.json().id}`, headers: officer }),
      ),
    );
    expect(new Set(parcels.map((parcel) => `${parcel.json().carrierCode}/${parcel.json().pccc}`))).toEqual(
      new Set(['CNPOST/P555555555555']),
    );
  });

  it('finds parcels by tracking number, in any case, among those the caller may see', async () => {
    const itemId = s10(44400001);
    const { id } = (
      await app.http.inject({
        method: 'POST',
        url: '/api/v1/postal/items',
        headers: post,
        payload: postalItem({ itemId }),
      })
    ).json();
    const search = (headers: Record<string, string>, trackingNumber: string) =>
      app.http.inject({
        method: 'GET',
        url: `/api/v1/parcels?trackingNumber=${encodeURIComponent(trackingNumber)}`,
        headers,
      });
    const found = await search(officer, ` ${itemId.toLowerCase()} `);
    expect(found.statusCode).toBe(200);
    expect(found.json().items).toEqual([
      {
        id,
        trackingNumber: itemId,
        carrierCode: 'KPOST',
        channel: 'postal',
        receivedAt: expect.any(String),
        arrivalDate: expect.stringMatching(/^\d{4}-\d{2}-\d{2}$/),
        declaredValue: 24.5,
        currency: 'USD',
      },
    ]);
    expect((await search(post, itemId)).json().items).toHaveLength(1);
    expect((await search(await authHeader(app, 'carrier', 'DHL'), itemId)).json().items).toEqual([]);
    expect((await search(officer, 'RR000000000XX')).json().items).toEqual([]);
    expect((await search(officer, '')).statusCode).toBe(400);
  });

  it('lists parcels newest first in pages, filtered, each caller seeing only their own', async () => {
    const buyer = 'P777000000001';
    const ids: number[] = [];
    for (let index = 0; index < 5; index++) {
      const response = await app.http.inject({
        method: 'POST',
        url: '/api/v1/postal/items',
        headers: post,
        payload: postalItem({
          itemId: s10(55500000 + index),
          addressee: { ...(postalItem().addressee as object), importerReference: buyer },
        }),
      });
      ids.push(response.json().id);
    }
    const list = async (headers: Record<string, string>, query: string) => {
      const response = await app.http.inject({ method: 'GET', url: `/api/v1/parcels?${query}`, headers });
      expect(response.statusCode).toBe(200);
      return response.json() as { items: { id: number }[]; nextBeforeId?: number };
    };
    const first = await list(officer, 'channel=postal&carrier=kpost&limit=2');
    expect(first.items.map((item) => item.id)).toEqual([ids[4], ids[3]]);
    const second = await list(officer, `channel=postal&limit=2&beforeId=${first.nextBeforeId}`);
    expect(second.items.map((item) => item.id)).toEqual([ids[2], ids[1]]);
    expect((await list(officer, 'channel=express&carrier=KPOST')).items).toEqual([]);
    expect((await list(officer, 'arrivedTo=2000-01-01')).items).toEqual([]);
    // A carrier sees only its own parcels, whatever carrier it asks for.
    expect((await list(await authHeader(app, 'carrier', 'DHL'), 'carrier=KPOST')).items).toEqual([]);
    expect((await list(post, 'limit=200')).items.map((item) => item.id)).toEqual(expect.arrayContaining(ids));
    const bad = await app.http.inject({
      method: 'GET',
      url: '/api/v1/parcels?arrivedFrom=yesterday&limit=500',
      headers: officer,
    });
    expect(bad.statusCode).toBe(400);
    expect(JSON.stringify(bad.json())).toMatch(/arrivedFrom|limit/);
  });

  it('refuses the same item id with other content', async () => {
    const item = postalItem({ itemId: s10(22222222) });
    expect(
      (await app.http.inject({ method: 'POST', url: '/api/v1/postal/items', headers: post, payload: item }))
        .statusCode,
    ).toBe(201);
    const changed = { ...item, grossMassKg: 9 };
    const response = await app.http.inject({
      method: 'POST',
      url: '/api/v1/postal/items',
      headers: post,
      payload: changed,
    });
    expect(response.statusCode).toBe(409);
    expect(response.json().error.code).toBe('duplicate_with_other_content');
  });

  it('gives field-level errors for a bad item and stores nothing', async () => {
    const bad = postalItem({
      itemId: 'RR123456784CN',
      addressee: { ...(postalItem().addressee as object), importerReference: 'P12345' },
      contents: [
        { description: 'Shoes', quantity: -1, value: 10, currency: 'USD', hsCode: '64', originCountry: 'XX' },
      ],
      currency: 'USD',
    });
    const response = await app.http.inject({
      method: 'POST',
      url: '/api/v1/postal/items',
      headers: post,
      payload: bad,
    });
    expect(response.statusCode).toBe(422);
    const rules = Object.fromEntries(
      response
        .json()
        .error.fieldErrors.map((error: { path: string; rule: string }) => [error.path, error.rule]),
    );
    expect(rules).toMatchObject({
      itemId: 's10-item-id',
      'addressee/importerReference': 'pccc-shape',
      'contents/0/quantity': 'quantity',
      'contents/0/hsCode': 'hs-code-shape',
      'contents/0/originCountry': 'iso-country',
    });
  });

  it('answers malformed JSON, unknown fields and oversize bodies with a 4xx and the error shape', async () => {
    const malformed = await app.http.inject({
      method: 'POST',
      url: '/api/v1/postal/items',
      headers: { ...post, 'content-type': 'application/json' },
      payload: '{"itemId": ',
    });
    expect(malformed.statusCode).toBe(400);
    expect(malformed.json().error).toMatchObject({ code: 'malformed_json' });

    const unknown = await app.http.inject({
      method: 'POST',
      url: '/api/v1/postal/items',
      headers: post,
      payload: postalItem({ itemId: s10(33333333), colour: 'red' }),
    });
    expect(unknown.statusCode).toBe(422);
    expect(unknown.json().error.fieldErrors[0]).toMatchObject({
      rule: 'unknown-field',
      message: expect.stringContaining('colour'),
    });

    const huge = await app.http.inject({
      method: 'POST',
      url: '/api/v1/postal/items',
      headers: { ...post, 'content-type': 'application/json' },
      payload: JSON.stringify(
        postalItem({ itemId: s10(44444444), invoiceNumber: 'x'.repeat(30 * 1024 * 1024) }),
      ),
    });
    expect(huge.statusCode).toBe(413);
    expect(huge.json().error.code).toBe('body_too_large');
  });

  it('needs credentials, and a post may only submit as itself', async () => {
    const anonymous = await app.http.inject({
      method: 'POST',
      url: '/api/v1/postal/items',
      payload: postalItem({ itemId: s10(55555555) }),
    });
    expect(anonymous.statusCode).toBe(401);
    const otherPost = await app.http.inject({
      method: 'POST',
      url: '/api/v1/postal/items',
      headers: post,
      payload: postalItem({ itemId: s10(55555555), postalOperator: 'USPS' }),
    });
    expect(otherPost.statusCode).toBe(422);
    expect(otherPost.json().error.fieldErrors[0].rule).toBe('own-organisation');
  });

  it('honours Idempotency-Key for a repeated ITMATT document', async () => {
    const xml = `<?xml version="1.0" encoding="UTF-8"?>
<ITMATT>
  <Item>
    <itemId>${s10(60000001)}</itemId><category>gift</category>
    <sender><name>Anna</name><street>1 Rue</street><city>Paris</city><country>FR</country></sender>
    <addressee><name>Park</name><street>2 Jong-ro</street><city>Seoul</city><country>KR</country><importerReference>P111122223333</importerReference></addressee>
    <contents><line><description>Book</description><quantity>1</quantity><value>20</value><currency>EUR</currency><hsCode>490199</hsCode></line></contents>
    <grossMassKg>0.5</grossMassKg><currency>EUR</currency><postedOn>2026-11-19</postedOn>
  </Item>
  <Item>
    <itemId>RR000000000XX</itemId><category>gift</category>
  </Item>
</ITMATT>`;
    const headers = { ...post, 'content-type': 'application/xml', 'idempotency-key': 'batch-7' };
    const first = await app.http.inject({
      method: 'POST',
      url: '/api/v1/postal/itmatt',
      headers,
      payload: xml,
    });
    expect(first.statusCode).toBe(200);
    expect(first.json()).toMatchObject({ received: 2, accepted: 1, rejected: 1 });
    expect(first.json().errors.every((error: { line: number }) => error.line === 10)).toBe(true);
    const second = await app.http.inject({
      method: 'POST',
      url: '/api/v1/postal/itmatt',
      headers,
      payload: xml,
    });
    expect(second.json()).toEqual(first.json());
    const reused = await app.http.inject({
      method: 'POST',
      url: '/api/v1/postal/itmatt',
      headers,
      payload: xml.replace('Book', 'Pen'),
    });
    expect(reused.statusCode).toBe(409);
  });
});
