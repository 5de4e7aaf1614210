import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Clearway } from '../src/main.js';
import { verifySignature } from '../src/modules/clearance/index.js';
import { authHeader, createTestApp } from './support/test-app.js';
import { availableEngines } from './support/test-database.js';
import { expressManifest, postalItem, s10 } from './support/sample-data.js';

type Headers = { authorization: string };

/** Rates of the week from Sunday 2026-11-15; the sample parcels are posted or arrive in that week. */
const RATES_CSV =
  'currency,weekStarting,krwPerUnit,unit\nUSD,2026-11-15,1400.00,1\nCNY,2026-11-15,195.50,1\nJPY,2026-11-15,950.00,100\n';

describe.each(await availableEngines())('clearance API on %s', (engine) => {
  let app: Clearway;
  let admin: Headers;
  let analyst: Headers;
  let inspector: Headers;
  let targeting: Headers;
  let dhl: Headers;
  let ups: Headers;
  let post: Headers;

  const inject = (
    method: 'GET' | 'POST' | 'PUT',
    url: string,
    headers: Headers,
    payload?: unknown,
    contentType?: string,
  ) =>
    app.http.inject({
      method,
      url,
      headers: contentType ? { ...headers, 'content-type': contentType } : headers,
      payload: payload as never,
    });
  /** Parcel data is taken into clearance in the background, after intake has answered. */
  const submit = async (url: string, headers: Headers, payload: unknown) => {
    const response = await inject('POST', url, headers, payload);
    await app.settle();
    return response;
  };

  beforeAll(async () => {
    app = await createTestApp(engine);
    admin = await authHeader(app, 'administrator');
    analyst = await authHeader(app, 'data_analyst');
    inspector = await authHeader(app, 'inspector');
    targeting = await authHeader(app, 'targeting_analyst');
    dhl = await authHeader(app, 'carrier', 'DHL');
    ups = await authHeader(app, 'carrier', 'UPS');
    post = await authHeader(app, 'postal_operator', 'KPOST');
  });
  afterAll(async () => app?.close());

  it('refuses a preview before the weekly rates are loaded, then loads them from CSV (data analysts only)', async () => {
    const early = await inject('POST', '/api/v1/assessments/preview', dhl, postalItem());
    expect(early.statusCode).toBe(422);
    expect(early.json().error.code).toBe('exchange_rate_missing');

    expect(
      (await inject('PUT', '/api/v1/clearance/exchange-rates', dhl, RATES_CSV, 'text/csv')).statusCode,
    ).toBe(403);
    const bad = await inject('PUT', '/api/v1/clearance/exchange-rates', analyst, [
      { currency: 'USD', weekStarting: '2026-11-15', krwPerUnit: 'abc' },
    ]);
    expect(bad.statusCode).toBe(422);
    expect(bad.json().error.fieldErrors[0]).toMatchObject({ line: 1, rule: 'exchange-rate' });

    const loaded = await inject('PUT', '/api/v1/clearance/exchange-rates', analyst, RATES_CSV, 'text/csv');
    expect(loaded.statusCode).toBe(200);
    expect(loaded.json()).toEqual({ loaded: 3, weeks: ['2026-11-15'], parcelsAssessed: 0 });
    const listed = await inject('GET', '/api/v1/clearance/exchange-rates?from=2026-11-15', dhl);
    expect(
      listed
        .json()
        .rates.map((rate: { currency: string; krwPerUnit: string }) => `${rate.currency} ${rate.krwPerUnit}`)
        .sort(),
    ).toEqual(['CNY 195.5', 'JPY 950', 'USD 1400']);
  });

  it('previews a CN23 item without storing it: list clearance under USD 150', async () => {
    // T-shirt 18.50 + phone case 6 = USD 24.50: list clearance; customs value 24.5 x 1,400 = 34,300.
    const response = await inject(
      'POST',
      '/api/v1/assessments/preview',
      post,
      postalItem({ itemId: s10(30000001) }),
    );
    expect(response.statusCode).toBe(200);
    const body = response.json();
    expect(body).toMatchObject({
      listClearance: true,
      customsValueKrw: 34_300,
      dutyKrw: 0,
      vatKrw: 0,
      totalTaxKrw: 0,
    });
    expect(body.reasons[0].code).toBe('within_list_clearance_limit');
    expect(body.lines).toHaveLength(2);
    const stored = await inject('GET', '/api/v1/clearance/grouping?from=2026-11-01&to=2026-11-30', admin);
    expect(stored.json().combinedGroups).toEqual([]);
  });

  it('previews an express house with its header fields: taxed line by line over the limit', async () => {
    const manifest = expressManifest(1) as { houses: Record<string, unknown>[] } & Record<string, unknown>;
    const { houses, ...header } = manifest;
    // Jacket USD 180 from CN (not US) + freight 20: CV = 200 x 1,400 = 280,000; duty 13 % = 36,400;
    // VAT 10 % x 316,400 = 31,640; total 68,040.
    const house = {
      ...houses[0],
      shipper: { name: 'Shenzhen Wear', street: '1 Rd', city: 'Shenzhen', country: 'CN' },
      freight: 20,
      lines: [{ description: 'Down jacket', quantity: 1, value: 180, currency: 'USD', hsCode: '620193' }],
    };
    const response = await inject('POST', '/api/v1/assessments/preview', dhl, { ...header, ...house });
    expect(response.statusCode).toBe(200);
    expect(response.json()).toMatchObject({
      listClearance: false,
      customsValueKrw: 280_000,
      dutyKrw: 36_400,
      vatKrw: 31_640,
      totalTaxKrw: 68_040,
    });
    expect(response.json().lines[0]).toMatchObject({
      dutyPercent: '13',
      tariffPrefix: '62',
      customsValueKrw: 280_000,
    });
    // Insurance is part of CIF too: + USD 5 = 7,000 more customs value, and duty and VAT on it.
    const insured = await inject('POST', '/api/v1/assessments/preview', dhl, {
      ...header,
      ...house,
      insurance: 5,
    });
    expect(insured.json()).toMatchObject({ goodsPriceKrw: 252_000, customsValueKrw: 287_000 });
    const badInsurance = await inject('POST', '/api/v1/assessments/preview', dhl, {
      ...header,
      ...house,
      insurance: -5,
    });
    expect(badInsurance.statusCode).toBe(422);
    expect(badInsurance.json().error.fieldErrors[0]).toMatchObject({ path: 'insurance' });

    // Local tax and domestic shipping from the query count toward the limit: 140 + 5 + 10 = 155 > 150.
    const near = {
      ...header,
      ...house,
      freight: undefined,
      lines: [{ description: 'Down jacket', quantity: 1, value: 140, currency: 'USD', hsCode: '620193' }],
    };
    expect((await inject('POST', '/api/v1/assessments/preview', dhl, near)).json().listClearance).toBe(true);
    expect(
      (await inject('POST', '/api/v1/assessments/preview?localTax=5&domesticShipping=10', dhl, near)).json()
        .listClearance,
    ).toBe(false);

    const invalid = await inject('POST', '/api/v1/assessments/preview', dhl, {
      ...header,
      ...house,
      lines: [],
    });
    expect(invalid.statusCode).toBe(422);
    expect(invalid.json().error.fieldErrors[0].path).toBe('lines');
  });

  it('takes stored parcels into clearance, moves them through the lifecycle and notifies the carrier', async () => {
    const created = await submit(
      '/api/v1/express/manifests',
      dhl,
      expressManifest(1, { mawb: '180-11111111' }),
    );
    expect(created.statusCode).toBe(200);
    const parcelId = created.json().records[0].id as number;

    const clearance = await inject('GET', `/api/v1/clearance/parcels/${parcelId}`, targeting);
    expect(clearance.statusCode).toBe(200);
    // Vitamin C tablets, USD 45 from the US: health supplement, formal clearance, within the duty-free limit.
    expect(clearance.json()).toMatchObject({
      state: 'assessed',
      assessment: { listClearance: false, taxable: false, totalTaxKrw: 0 },
    });
    expect(clearance.json().history.map((entry: { to: string }) => entry.to)).toEqual([
      'received',
      'assessed',
    ]);
    expect((await inject('GET', `/api/v1/clearance/parcels/${parcelId}`, dhl)).statusCode).toBe(200);
    expect((await inject('GET', `/api/v1/clearance/parcels/${parcelId}`, ups)).statusCode).toBe(404);

    const illegal = await inject('POST', `/api/v1/clearance/parcels/${parcelId}/transitions`, targeting, {
      to: 'seized',
      reason: 'suspicious',
    });
    expect(illegal.statusCode).toBe(409);
    expect(illegal.json().error.code).toBe('illegal_transition');
    const byCarrier = await inject('POST', `/api/v1/clearance/parcels/${parcelId}/transitions`, dhl, {
      to: 'held',
      reason: 'x',
    });
    expect(byCarrier.statusCode).toBe(403);

    const rfi = await inject('POST', `/api/v1/clearance/parcels/${parcelId}/requests`, targeting, {
      kind: 'request_for_information',
      message: 'Send the invoice',
      fields: ['invoiceNumber'],
    });
    expect(rfi.statusCode).toBe(201);
    expect(rfi.json().state).toBe('held');
    const toInspection = await inject(
      'POST',
      `/api/v1/clearance/parcels/${parcelId}/transitions`,
      targeting,
      { to: 'under_inspection', reason: 'X-ray shows powder' },
    );
    expect(toInspection.statusCode).toBe(200);
    const releaseByAnalyst = await inject(
      'POST',
      `/api/v1/clearance/parcels/${parcelId}/transitions`,
      targeting,
      { to: 'released', reason: 'ok' },
    );
    expect(releaseByAnalyst.statusCode).toBe(403);
    expect(releaseByAnalyst.json().error.code).toBe('role_required');

    const inspection = await inject('POST', `/api/v1/clearance/parcels/${parcelId}/inspections`, inspector, {
      outcome: 'no_finding',
      notes: 'tablets match the declaration',
    });
    expect(inspection.statusCode).toBe(201);
    expect(inspection.json()).toMatchObject({
      label: { fraud: false, criticalLevel: 0 },
      labelDelivered: true,
    });
    const released = await inject('POST', `/api/v1/clearance/parcels/${parcelId}/transitions`, inspector, {
      to: 'released',
      reason: 'inspection: no finding',
    });
    expect(released.statusCode).toBe(200);
    const history = released.json().history as {
      from: string | null;
      to: string;
      actor: string;
      reason: string;
      at: string;
    }[];
    expect(history.map((entry) => entry.to)).toEqual([
      'received',
      'assessed',
      'held',
      'under_inspection',
      'released',
    ]);
    expect(history[4]).toMatchObject({
      from: 'under_inspection',
      reason: 'inspection: no finding',
      actor: expect.stringMatching(/^officer:/),
    });
    expect(
      (
        await inject('POST', `/api/v1/clearance/parcels/${parcelId}/transitions`, inspector, {
          to: 'held',
          reason: 'again',
        })
      ).statusCode,
    ).toBe(409);

    const pulled = await inject('GET', '/api/v1/clearance/notifications', dhl);
    expect(pulled.statusCode).toBe(200);
    const kinds = pulled.json().notifications.map((notification: { kind: string }) => notification.kind);
    expect(kinds).toEqual(['request_for_information', 'release']);
    expect(pulled.json().notifications[0].payload).toMatchObject({
      responseCode: 'RFI',
      fields: ['invoiceNumber'],
      trackingNumber: 'DHL1000000',
    });
    expect((await inject('GET', '/api/v1/clearance/notifications', ups)).json().notifications).toEqual([]);
    expect((await inject('GET', '/api/v1/clearance/notifications?carrier=DHL', ups)).statusCode).toBe(403);
    const cursor = pulled.json().nextAfter;
    expect(
      (await inject('GET', `/api/v1/clearance/notifications?after=${cursor}`, dhl)).json().notifications,
    ).toEqual([]);
    const firstId = pulled.json().notifications[0].id;
    expect(
      (await inject('POST', `/api/v1/clearance/notifications/${firstId}/acknowledgement`, ups)).statusCode,
    ).toBe(404);
    expect(
      (await inject('POST', `/api/v1/clearance/notifications/${firstId}/acknowledgement`, dhl)).statusCode,
    ).toBe(204);
    expect(
      (await inject('GET', '/api/v1/clearance/notifications?unacknowledged=true', dhl)).json().notifications,
    ).toHaveLength(1);
  });

  it('records a seizure with CEN fields, seizes the parcel, labels it critical and alerts the post', async () => {
    const item = postalItem({
      itemId: s10(30000002),
      contents: [
        {
          description: 'Bath salts',
          quantity: 1,
          value: 20,
          currency: 'USD',
          hsCode: '330730',
          originCountry: 'CN',
        },
      ],
    });
    const created = await submit('/api/v1/postal/items', post, item);
    expect(created.statusCode).toBe(201);
    const parcelId = created.json().id as number;
    expect(
      (await inject('POST', `/api/v1/clearance/parcels/${parcelId}/seizures`, inspector, seizure())).json()
        .error.code,
    ).toBe('wrong_state_for_inspection');
    await inject('POST', `/api/v1/clearance/parcels/${parcelId}/transitions`, targeting, {
      to: 'under_inspection',
      reason: 'X-ray: crystalline mass',
    });

    expect(
      (await inject('POST', `/api/v1/clearance/parcels/${parcelId}/seizures`, targeting, seizure()))
        .statusCode,
    ).toBe(403);
    const seized = await inject(
      'POST',
      `/api/v1/clearance/parcels/${parcelId}/seizures`,
      inspector,
      seizure(),
    );
    expect(seized.statusCode).toBe(201);
    await app.settle(); // the label reaches intake's label store through the outbox
    const record = (await inject('GET', `/api/v1/clearance/parcels/${parcelId}`, admin)).json();
    expect(record.state).toBe('seized');
    expect(record.inspections[0]).toMatchObject({
      outcome: 'prohibited_goods',
      label_fraud: true,
      label_critical_level: 2,
      label_error: null,
    });
    expect(record.inspections[0].label_delivered_at).toEqual(expect.any(String));
    expect(record.seizures[0]).toMatchObject({
      goods_category: 'narcotics',
      concealment_method: 'inside bath-salt jars',
      route: { departureCountry: 'CN', destinationCountry: 'KR' },
    });
    expect(record.seizures[0].images).toEqual([{ kind: 'xray', reference: 'xray-scan:991' }]);
    const alerts = (await inject('GET', '/api/v1/clearance/notifications', post)).json().notifications;
    expect(alerts.map((alert: { kind: string }) => alert.kind)).toEqual(['seizure']);
    expect(alerts[0].payload.seizure).toMatchObject({ category: 'narcotics', quantity: '0.35' });
    // A consumer-facing record shows no inspection details.
    expect(
      (await inject('GET', `/api/v1/clearance/parcels/${parcelId}`, post)).json().inspections,
    ).toBeUndefined();
  });

  it('normalises reported delivery addresses and re-analyses the parcels delivered there', async () => {
    const manifest = expressManifest(2, { mawb: '180-22222222' }) as {
      houses: Record<string, unknown>[];
    } & Record<string, unknown>;
    manifest.houses = manifest.houses.map((house, index) => ({
      ...house,
      hawb: `DHL${2000000 + index}`,
      consignee: {
        name: `Buyer ${index}`,
        street: '1 Other-ro',
        city: 'Seoul',
        country: 'KR',
        pccc: index === 0 ? 'P111111111111' : 'P222222222222',
      },
      seller: { id: `SELLER-${index}`, name: 'Shop', country: 'US' },
      lines: [{ description: 'Running shoes', quantity: 1, value: 120, currency: 'USD', hsCode: '640411' }],
    }));
    const created = await submit('/api/v1/express/manifests', dhl, manifest);
    const ids = created.json().records.map((record: { id: number }) => record.id);

    const csv =
      'trackingNumber,deliveredTo,deliveredAt\nDHL2000000,"서울특별시 강남구 테헤란로 123, 101동 202호",2026-11-22T10:00:00Z\n';
    const first = await inject('POST', '/api/v1/clearance/delivery-reports', dhl, csv, 'text/csv');
    expect(first.statusCode).toBe(200);
    expect(first.json()).toMatchObject({ received: 1, matched: 1, unmatched: [] });
    const second = await inject('POST', '/api/v1/clearance/delivery-reports', dhl, [
      { trackingNumber: 'DHL2000001', deliveredTo: '123 Teheran-ro, Gangnam-gu, Seoul, 101-202' },
      { trackingNumber: 'NOSUCH123', deliveredTo: '1 Jong-ro, Seoul' },
    ]);
    expect(second.json()).toMatchObject({ received: 2, matched: 1, unmatched: ['NOSUCH123'] });
    // Two buyers' parcels at one door: USD 240 together, over the USD 200 limit of US goods.
    expect(second.json().reanalysed[0]).toMatchObject({
      parcelIds: ids,
      distinctPcccs: 2,
      goodsPriceKrw: 336_000,
      overLimitIfCombined: true,
    });
    // The re-analysis reaches targeting through the outbox: both parcels are decided again.
    await app.settle();
    for (const id of ids) {
      const history = (await inject('GET', `/api/v1/parcels/${id}/decisions`, targeting)).json().items;
      expect(history.map((decision: { trigger: string }) => decision.trigger)).toContain(
        'post_delivery_address',
      );
    }

    expect(
      (
        await inject('POST', '/api/v1/clearance/delivery-reports', ups, [
          { carrier: 'DHL', trackingNumber: 'DHL2000001', deliveredTo: 'x' },
        ])
      ).statusCode,
    ).toBe(403);
    const grouping = (
      await inject('GET', '/api/v1/clearance/grouping?from=2026-11-21&to=2026-11-21', targeting)
    ).json();
    expect(grouping.riskClusters).toContainEqual(
      expect.objectContaining({ kind: 'same_delivery_address', parcelIds: ids, overLimitIfCombined: true }),
    );
  });

  it('taxes parcels from one seller on one date together once their sum is over the limit', async () => {
    const order = (number: string, tracking: string) => ({
      marketplace: 'SHOPMALL',
      orderNumber: number,
      seller: { id: 'GROUP-SELLER', name: 'Group seller', country: 'CN' },
      productTitle: 'Hoodie',
      pricePaid: 90,
      currency: 'USD',
      buyer: { pccc: 'P333333333333' },
      trackingNumber: tracking,
      orderedAt: '2026-11-10T08:00:00Z',
    });
    const orders = await submit('/api/v1/marketplace/orders', admin, [
      order('O-1', 'DHL3000000'),
      order('O-2', 'DHL3000001'),
    ]);
    expect(orders.statusCode, orders.body).toBe(200);
    const manifest = expressManifest(2, { mawb: '180-33333333' }) as {
      houses: Record<string, unknown>[];
    } & Record<string, unknown>;
    manifest.houses = manifest.houses.map((house, index) => ({
      ...house,
      hawb: `DHL${3000000 + index}`,
      shipper: { name: 'Group seller', street: '1 Rd', city: 'Yiwu', country: 'CN' },
      consignee: {
        name: 'Park',
        street: '9 Sejong-daero',
        city: 'Seoul',
        country: 'KR',
        pccc: 'P333333333333',
      },
      seller: { id: 'GROUP-SELLER', name: 'Group seller', country: 'CN' },
      lines: [{ description: 'Hoodie', quantity: 1, value: 90, currency: 'USD', hsCode: '611020' }],
    }));
    const ids = (await submit('/api/v1/express/manifests', dhl, manifest))
      .json()
      .records.map((record: { id: number }) => record.id);
    // 90 + 90 = USD 180 > 150: CV 126,000 each; duty 13 % 16,380 each; VAT 10 % x 142,380 = 14,238 each.
    // Group tax 2 x 30,618 = 61,236; each parcel carries its own 30,618.
    for (const id of ids) {
      const record = (await inject('GET', `/api/v1/clearance/parcels/${id}`, targeting)).json();
      expect(record.assessment).toMatchObject({
        listClearance: false,
        customsValueKrw: 252_000,
        dutyKrw: 32_760,
        vatKrw: 28_476,
        totalTaxKrw: 61_236,
      });
      expect(record.assessment.reasons[0].code).toBe('combined_taxation');
    }
    const grouping = (
      await inject('GET', '/api/v1/clearance/grouping?from=2026-11-21&to=2026-11-21', targeting)
    ).json();
    expect(grouping.combinedGroups).toContainEqual({
      parcelIds: ids,
      triggers: ['same_seller_same_date'],
      goodsPriceKrw: 252_000,
      limitKrw: 210_000,
      overLimit: true,
    });
  });

  it('pushes notifications to a carrier webhook, signed, retrying failures', async () => {
    const forbidden = await inject('PUT', '/api/v1/clearance/webhooks/DHL', ups, {
      url: 'https://ups.example/hook',
    });
    expect(forbidden.statusCode).toBe(403);
    const set = await inject('PUT', '/api/v1/clearance/webhooks/KPOST', post, {
      url: 'https://post.example/customs',
    });
    expect(set.statusCode).toBe(200);
    const { secret } = set.json();

    const received: { url: string; body: string; signature: string }[] = [];
    let answer = 503;
    const { WebhookDelivery } = await import('../src/modules/clearance/index.js');
    const delivery = new WebhookDelivery(app.clearance.repository, async (url, init) => {
      received.push({ url, body: init.body, signature: init.headers['clearway-signature']! });
      return { status: answer };
    });
    expect(await delivery.deliverDue()).toEqual({ delivered: 0, failed: 1 });
    // Not due again until its back-off has passed.
    expect(await delivery.deliverDue()).toEqual({ delivered: 0, failed: 0 });
    answer = 200;
    const later = new WebhookDelivery(
      app.clearance.repository,
      async (url, init) => {
        received.push({ url, body: init.body, signature: init.headers['clearway-signature']! });
        return { status: answer };
      },
      { now: () => new Date(Date.now() + 60_000) },
    );
    expect(await later.deliverDue()).toEqual({ delivered: 1, failed: 0 });
    const last = received.at(-1)!;
    expect(last.url).toBe('https://post.example/customs');
    expect(JSON.parse(last.body)).toMatchObject({ kind: 'seizure', responseCode: 'SEIZED' });
    expect(verifySignature(secret, last.body, last.signature, Math.floor(Date.now() / 1000) + 60)).toBe(true);
    const status = (await inject('GET', '/api/v1/clearance/notifications', post)).json().notifications[0];
    expect(status).toMatchObject({ deliveryStatus: 'delivered', attempts: 2 });
  });
});

function seizure(): Record<string, unknown> {
  return {
    goodsCategory: 'narcotics',
    goodsDescription: 'methamphetamine',
    quantity: '0.35',
    quantityUnit: 'kg',
    concealmentMethod: 'inside bath-salt jars',
    route: { departureCountry: 'CN', transitCountries: [], destinationCountry: 'KR', transport: 'postal' },
    parties: [{ role: 'sender', name: 'Shenzhen Gadget Co', country: 'CN' }],
    images: [{ kind: 'xray', reference: 'xray-scan:991' }],
  };
}
