import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Clearway } from '../src/main.js';
import { authHeader, createTestApp } from './support/test-app.js';
import { availableEngines } from './support/test-database.js';

/**
 * Combined taxation told as stories: who bought what from whom and when, how it arrived, where the carrier
 * finally delivered it; then the groups and splitting signals each parcel shows. Near misses (same shop and
 * day but another buyer, same building but another flat, same AWB but another consignee) must stay apart.
 * Goods come from China (limit USD 150); two parcels of USD 90 are over it together, one is not.
 */

type Headers = { authorization: string };

interface StoryParcel {
  /** Name of the parcel in the story; its house waybill is derived from it. */
  key: string;
  buyer: { name: string; street: string; pccc?: string };
  /** The seller the buyer paid; each story gets its own seller ids. */
  seller: string;
  value: number;
  splitFromWaybill?: string;
}

interface StoryOrder {
  parcel: string;
  seller: string;
  orderedOn: string;
  pccc?: string;
  splitFromWaybill?: string;
}

interface Story {
  name: string;
  parcels: StoryParcel[];
  /** Orders sent before the manifest. */
  orders?: StoryOrder[];
  /** Parcels released by an officer after their first assessment. */
  released?: string[];
  /** Orders that arrive after the manifest (and after any release). */
  lateOrders?: StoryOrder[];
  /** Final delivery addresses the carrier reports. */
  deliveries?: { parcel: string; deliveredTo: string }[];
  expected: {
    /** Parcel keys of each combined-taxation group (sorted), [] when none. */
    groups: string[][];
    /** Each splitting signal as `kind: keys`. */
    signals?: string[];
    /** Parcels assessed as members of their group (combined taxation). */
    taxedTogether?: string[];
    /** Parcels with an open additional-tax case. */
    additionalTax?: string[];
  };
}

/** An airline-prefixed MAWB whose last digit is the serial's check digit (modulo 7). */
const masterWaybill = (serial: number) => `180-${serial}${serial % 7}`;

const KIM = {
  name: 'Kim Minsu',
  street: '서울특별시 강남구 테헤란로 123, 101동 1203호',
  pccc: 'P100000000001',
};
const LEE = {
  name: 'Lee Jiwoo',
  street: '서울특별시 강남구 테헤란로 123, 101동 1204호',
  pccc: 'P200000000002',
};

const stories: Story[] = [
  {
    name: 'one buyer splits an order from one shop on one day: taxed together',
    orders: [
      { parcel: 'a', seller: 'S', orderedOn: '2026-11-10', pccc: KIM.pccc },
      { parcel: 'b', seller: 'S', orderedOn: '2026-11-10', pccc: KIM.pccc },
    ],
    parcels: [
      { key: 'a', buyer: KIM, seller: 'S', value: 90 },
      { key: 'b', buyer: KIM, seller: 'S', value: 90 },
    ],
    expected: { groups: [['a', 'b']], signals: ['same_pccc_same_day: a b'], taxedTogether: ['a', 'b'] },
  },
  {
    name: 'near miss: two buyers of one shop on one day stay apart',
    orders: [
      { parcel: 'a', seller: 'S', orderedOn: '2026-11-10', pccc: KIM.pccc },
      { parcel: 'b', seller: 'S', orderedOn: '2026-11-10', pccc: LEE.pccc },
    ],
    parcels: [
      { key: 'a', buyer: KIM, seller: 'S', value: 90 },
      { key: 'b', buyer: LEE, seller: 'S', value: 90 },
    ],
    expected: { groups: [], taxedTogether: [] },
  },
  {
    name: 'one consignment split from one AWB for one consignee: taxed together',
    parcels: [
      { key: 'a', buyer: KIM, seller: 'S', value: 90, splitFromWaybill: '180-55555555' },
      { key: 'b', buyer: KIM, seller: 'T', value: 90, splitFromWaybill: '18055555555' },
    ],
    expected: { groups: [['a', 'b']], signals: ['same_pccc_same_day: a b'], taxedTogether: ['a', 'b'] },
  },
  {
    name: 'near miss: one AWB, two consignees stay apart',
    parcels: [
      { key: 'a', buyer: KIM, seller: 'S', value: 90, splitFromWaybill: '180-66666666' },
      { key: 'b', buyer: LEE, seller: 'T', value: 90, splitFromWaybill: '180-66666666' },
    ],
    expected: { groups: [], taxedTogether: [] },
  },
  {
    name: 'the split is declared on the marketplace orders, not the houses',
    orders: [
      { parcel: 'a', seller: 'S', orderedOn: '2026-11-09', pccc: KIM.pccc, splitFromWaybill: 'BL2026110901' },
      { parcel: 'b', seller: 'T', orderedOn: '2026-11-10', pccc: KIM.pccc, splitFromWaybill: 'BL2026110901' },
    ],
    parcels: [
      { key: 'a', buyer: KIM, seller: 'S', value: 90 },
      { key: 'b', buyer: KIM, seller: 'T', value: 90 },
    ],
    expected: { groups: [['a', 'b']], signals: ['same_pccc_same_day: a b'], taxedTogether: ['a', 'b'] },
  },
  {
    name: 'orders arriving after the manifest re-group the parcels before release',
    parcels: [
      { key: 'a', buyer: KIM, seller: 'S', value: 90 },
      { key: 'b', buyer: KIM, seller: 'S', value: 90 },
    ],
    lateOrders: [
      { parcel: 'a', seller: 'S', orderedOn: '2026-11-10', pccc: KIM.pccc },
      { parcel: 'b', seller: 'S', orderedOn: '2026-11-10', pccc: KIM.pccc },
    ],
    expected: { groups: [['a', 'b']], signals: ['same_pccc_same_day: a b'], taxedTogether: ['a', 'b'] },
  },
  {
    name: 'a late order after release opens an additional-tax case instead of changing the released parcel',
    parcels: [
      { key: 'a', buyer: KIM, seller: 'S', value: 90 },
      { key: 'b', buyer: KIM, seller: 'S', value: 90 },
    ],
    released: ['a'],
    lateOrders: [
      { parcel: 'a', seller: 'S', orderedOn: '2026-11-10', pccc: KIM.pccc },
      { parcel: 'b', seller: 'S', orderedOn: '2026-11-10', pccc: KIM.pccc },
    ],
    expected: {
      groups: [['a', 'b']],
      signals: ['same_pccc_same_day: a b'],
      taxedTogether: ['b'],
      additionalTax: ['a'],
    },
  },
  {
    name: 'late orders after both parts were released open a case on each, and change neither',
    parcels: [
      { key: 'a', buyer: KIM, seller: 'S', value: 90 },
      { key: 'b', buyer: KIM, seller: 'S', value: 90 },
    ],
    released: ['a', 'b'],
    lateOrders: [
      { parcel: 'a', seller: 'S', orderedOn: '2026-11-10', pccc: KIM.pccc },
      { parcel: 'b', seller: 'S', orderedOn: '2026-11-10', pccc: KIM.pccc },
    ],
    expected: {
      groups: [['a', 'b']],
      signals: ['same_pccc_same_day: a b'],
      taxedTogether: [],
      additionalTax: ['a', 'b'],
    },
  },
  {
    name: 'no PCCC: one person at one flat, the unit written two ways, is one importer',
    orders: [
      { parcel: 'a', seller: 'S', orderedOn: '2026-11-10' },
      { parcel: 'b', seller: 'S', orderedOn: '2026-11-10' },
    ],
    parcels: [
      {
        key: 'a',
        buyer: { name: 'Kim Minsu', street: '서울시 강남구 테헤란로123 101동1203호' },
        seller: 'S',
        value: 90,
      },
      {
        key: 'b',
        buyer: { name: 'KIM MIN-SU', street: '123 Teheran-ro, Gangnam-gu, Seoul, 101-1203' },
        seller: 'S',
        value: 90,
      },
    ],
    expected: { groups: [['a', 'b']], taxedTogether: ['a', 'b'] },
  },
  {
    name: 'near miss: no PCCC, same building, another flat stays apart',
    orders: [
      { parcel: 'a', seller: 'S', orderedOn: '2026-11-10' },
      { parcel: 'b', seller: 'S', orderedOn: '2026-11-10' },
    ],
    parcels: [
      {
        key: 'a',
        buyer: { name: 'Kim Minsu', street: '서울시 강남구 테헤란로123 101동1203호' },
        seller: 'S',
        value: 90,
      },
      {
        key: 'b',
        buyer: { name: 'Kim Minsu', street: '서울시 강남구 테헤란로123 101동1204호' },
        seller: 'S',
        value: 90,
      },
    ],
    expected: { groups: [], taxedTogether: [] },
  },
  {
    name: 'one buyer, two shops, one arrival day: a splitting signal, not a legal group',
    parcels: [
      { key: 'a', buyer: KIM, seller: 'S', value: 90 },
      { key: 'b', buyer: KIM, seller: 'T', value: 90 },
    ],
    expected: { groups: [], signals: ['same_pccc_same_day: a b'], taxedTogether: [] },
  },
  {
    name: "two buyers' codes delivered to one door: a signal for targeting, not a tax group",
    orders: [
      { parcel: 'a', seller: 'S', orderedOn: '2026-11-10', pccc: KIM.pccc },
      { parcel: 'b', seller: 'S', orderedOn: '2026-11-10', pccc: LEE.pccc },
    ],
    parcels: [
      { key: 'a', buyer: KIM, seller: 'S', value: 90 },
      { key: 'b', buyer: LEE, seller: 'S', value: 90 },
    ],
    deliveries: [
      { parcel: 'a', deliveredTo: '서울특별시 중구 세종대로 9, 1101호' },
      { parcel: 'b', deliveredTo: '9 Sejong-daero, Jung-gu, Seoul #1101' },
    ],
    expected: { groups: [], signals: ['same_delivery_address: a b'], taxedTogether: [] },
  },
  {
    name: 'no PCCC: the carrier reports one door for two parcels of one person, which re-groups them',
    orders: [
      { parcel: 'a', seller: 'S', orderedOn: '2026-11-10' },
      { parcel: 'b', seller: 'S', orderedOn: '2026-11-10' },
    ],
    parcels: [
      {
        key: 'a',
        buyer: { name: 'Park Sora', street: '서울특별시 중구 세종대로 9' },
        seller: 'S',
        value: 90,
      },
      {
        key: 'b',
        buyer: { name: 'Park Sora', street: '서울특별시 마포구 월드컵로 240' },
        seller: 'S',
        value: 90,
      },
    ],
    deliveries: [
      { parcel: 'a', deliveredTo: '서울특별시 중구 세종대로 9, 801호' },
      { parcel: 'b', deliveredTo: '9 Sejong-daero, Jung-gu, Seoul, Apt 801' },
    ],
    expected: { groups: [['a', 'b']], signals: ['same_delivery_address: a b'], taxedTogether: ['a', 'b'] },
  },
];

describe.each(await availableEngines())('combined-taxation stories on %s', (engine) => {
  let app: Clearway;
  let admin: Headers;
  let targeting: Headers;
  let dhl: Headers;

  const send = async (method: 'GET' | 'POST' | 'PUT', url: string, headers: Headers, payload?: unknown) => {
    const response = await app.http.inject({ method, url, headers, payload: payload as never });
    await app.settle();
    expect(response.statusCode, `${method} ${url}: ${response.body}`).toBeLessThan(300);
    return response.json();
  };

  beforeAll(async () => {
    app = await createTestApp(engine);
    admin = await authHeader(app, 'administrator');
    targeting = await authHeader(app, 'targeting_analyst');
    dhl = await authHeader(app, 'carrier', 'DHL');
    await send('PUT', '/api/v1/clearance/exchange-rates', admin, [
      { currency: 'USD', weekStarting: '2026-11-15', krwPerUnit: '1400.00' },
    ]);
  });
  afterAll(async () => app?.close());

  it.each(stories.map((story, index) => [story.name, story, index] as const))(
    '%s',
    async (_name, story, index) => {
      const hawb = (key: string) => `ST${String(index).padStart(3, '0')}${key.toUpperCase()}0001`;
      const seller = (name: string) => `STORY${index}-${name}`;
      // Each story has its own buyers' codes, so that no signal reaches across stories.
      const pccc = (code: string | undefined) => code && `P${String(index).padStart(3, '0')}${code.slice(4)}`;
      const orderOf = (order: StoryOrder, number: number) => ({
        marketplace: 'STORYMALL',
        orderNumber: `STORY${index}-${number}`,
        seller: { id: seller(order.seller), name: `Shop ${order.seller}`, country: 'CN' },
        productTitle: 'Hoodie',
        pricePaid: 90,
        currency: 'USD',
        ...(order.pccc ? { buyer: { pccc: pccc(order.pccc) } } : {}),
        ...(order.splitFromWaybill ? { splitFromWaybill: order.splitFromWaybill } : {}),
        trackingNumber: hawb(order.parcel),
        orderedAt: `${order.orderedOn}T09:00:00Z`,
      });
      if (story.orders) await send('POST', '/api/v1/marketplace/orders', admin, story.orders.map(orderOf));
      const manifest = await send('POST', '/api/v1/express/manifests', dhl, {
        carrier: 'DHL',
        mawb: masterWaybill(7_700_000 + index),
        arrivalDate: '2026-11-21',
        houses: story.parcels.map((parcel) => ({
          hawb: hawb(parcel.key),
          shipper: { name: `Shop ${parcel.seller}`, street: '1 Rd', city: 'Yiwu', country: 'CN' },
          consignee: {
            name: parcel.buyer.name,
            street: parcel.buyer.street,
            city: 'Seoul',
            country: 'KR',
            pccc: pccc(parcel.buyer.pccc),
          },
          grossMassKg: 1,
          currency: 'USD',
          ...(parcel.splitFromWaybill ? { splitFromWaybill: parcel.splitFromWaybill } : {}),
          lines: [
            { description: 'Hoodie', quantity: 1, value: parcel.value, currency: 'USD', hsCode: '611020' },
          ],
        })),
      });
      expect(manifest.accepted, JSON.stringify(manifest.errors)).toBe(story.parcels.length);
      const idOf = new Map<string, number>(
        story.parcels.map((parcel, position) => [parcel.key, manifest.records[position].id as number]),
      );
      const keyOf = new Map([...idOf].map(([key, id]) => [id, key]));
      const keys = (members: { parcelId: number }[]) =>
        members.map((member) => keyOf.get(member.parcelId) ?? `#${member.parcelId}`).sort();

      for (const key of story.released ?? [])
        await send('POST', `/api/v1/clearance/parcels/${idOf.get(key)}/transitions`, targeting, {
          to: 'released',
          reason: 'list clearance',
        });
      if (story.lateOrders)
        await send(
          'POST',
          '/api/v1/marketplace/orders',
          admin,
          story.lateOrders.map((order, number) => orderOf(order, 100 + number)),
        );
      if (story.deliveries)
        await send(
          'POST',
          '/api/v1/clearance/delivery-reports',
          dhl,
          story.deliveries.map((delivery) => ({
            trackingNumber: hawb(delivery.parcel),
            deliveredTo: delivery.deliveredTo,
          })),
        );

      const groups = new Set<string>();
      const signals = new Set<string>();
      const taxedTogether: string[] = [];
      const additionalTax: string[] = [];
      for (const [key, id] of idOf) {
        const view = await send('GET', `/api/v1/clearance/parcels/${id}`, targeting);
        if (view.group) {
          groups.add(keys(view.group.members).join(' '));
          expect(view.group.goodsPriceKrw).toBe(
            view.group.members.reduce(
              (sum: number, member: { goodsPriceKrw: number }) => sum + member.goodsPriceKrw,
              0,
            ),
          );
          expect(view.group.evidence.length).toBeGreaterThan(0);
        }
        for (const signal of view.signals) signals.add(`${signal.kind}: ${keys(signal.members).join(' ')}`);
        if (view.assessment?.reasons.some((reason: { code: string }) => reason.code === 'combined_taxation'))
          taxedTogether.push(key);
        if (
          view.cases.some(
            (found: { kind: string; status: string }) =>
              found.kind === 'additional_tax' && found.status === 'open',
          )
        )
          additionalTax.push(key);
      }
      expect([...groups].sort()).toEqual(story.expected.groups.map((group) => group.join(' ')).sort());
      expect([...signals].sort()).toEqual([...(story.expected.signals ?? [])].sort());
      expect(taxedTogether.sort()).toEqual([...(story.expected.taxedTogether ?? [])].sort());
      expect(additionalTax).toEqual(story.expected.additionalTax ?? []);
    },
  );

  it('holds a parcel no weekly rate covers, with a case worded for an officer, and assesses it once the week is loaded', async () => {
    const manifest = await send('POST', '/api/v1/express/manifests', dhl, {
      carrier: 'DHL',
      mawb: masterWaybill(7_800_000),
      arrivalDate: '2026-12-16',
      houses: [
        {
          hawb: 'RATE00000001',
          shipper: { name: 'Shop', street: '1 Rd', city: 'Yiwu', country: 'CN' },
          consignee: {
            name: 'Kim',
            street: '9 Sejong-daero',
            city: 'Seoul',
            country: 'KR',
            pccc: 'P990000000001',
          },
          grossMassKg: 1,
          currency: 'USD',
          insurance: 2,
          lines: [{ description: 'Hoodie', quantity: 1, value: 90, currency: 'USD', hsCode: '611020' }],
        },
      ],
    });
    const id = manifest.records[0].id as number;
    const held = await app.http.inject({
      url: `/api/v1/clearance/parcels/${id}`,
      headers: { ...targeting, 'accept-language': 'ko-KR,ko;q=0.9' },
    });
    expect(held.json()).toMatchObject({ state: 'held', assessment: null });
    const [waiting] = held.json().cases;
    expect(waiting).toMatchObject({
      kind: 'exchange_rate_missing',
      status: 'open',
      details: { currency: 'USD', weekStarting: '2026-12-13', isoWeek: 51 },
    });
    expect(waiting.task).toContain('51주차');
    expect(held.json().assessmentError).not.toMatch(/\/api\//);
    const french = await app.http.inject({
      url: '/api/v1/clearance/cases?status=open&kind=exchange_rate_missing',
      headers: { ...targeting, 'accept-language': 'fr' },
    });
    expect(french.json().cases.find((found: { parcelId: number }) => found.parcelId === id).task).toContain(
      'semaine 51',
    );

    const loaded = await send('PUT', '/api/v1/clearance/exchange-rates', admin, [
      { currency: 'USD', weekStarting: '2026-12-13', krwPerUnit: '1400.00' },
    ]);
    expect(loaded.parcelsAssessed).toBeGreaterThanOrEqual(1);
    const assessed = await send('GET', `/api/v1/clearance/parcels/${id}`, targeting);
    expect(assessed.state).toBe('assessed');
    expect(assessed.cases[0]).toMatchObject({ status: 'closed', resolution: 'rates loaded' });
    // USD 90 + insurance 2 at 1,400: the insurance is in the customs value (CIF), not in the goods price.
    expect(assessed.assessment).toMatchObject({ goodsPriceKrw: 126_000, customsValueKrw: 128_800 });
  });
});
