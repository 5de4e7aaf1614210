import { createHash } from 'node:crypto';
import { mkdtempSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  fileChunks,
  groupRowsByHouseWaybill,
  manifestHeaderSchema,
  readCsvRecords,
  readItmattXml,
  decodeUtf8,
  validateHouseWaybill,
  validateManifestHeader,
  validateMarketplaceOrder,
  validatePayment,
  validatePostalItem,
  type HouseWaybill,
  type ManifestHeader,
  type MarketplaceOrder,
  type Payment,
  type PostalItem,
  type RawRecord,
} from '../modules/intake/index.js';
import { defaultPatternRates, generateDemoData, type DemoOptions } from './demo-generator.js';
import { isValidMasterAirWaybill } from './demo-identifiers.js';
import { toUsdCents } from './demo-money.js';
import { demoPatterns, secondWavePatterns, type DemoEvent, type DemoPattern } from './demo-records.js';
import { demoRecalls } from './product-recalls.js';
import { writeDemoData } from './demo-writer.js';

// One day, with patterns five times as frequent as by default so that every pattern shows up.
const oneDay: DemoOptions = {
  days: 1,
  parcelsPerDay: 600,
  seed: 42,
  patternRates: Object.fromEntries(
    Object.entries(defaultPatternRates).map(([name, rate]) => [name, rate * 5]),
  ),
};

const secondWave: readonly DemoPattern[] = secondWavePatterns;
const firstWave = demoPatterns.filter((pattern) => !secondWave.includes(pattern));

const HEADER_FIELDS = new Set(Object.keys(manifestHeaderSchema.shape));

async function collect(records: AsyncIterable<RawRecord>): Promise<RawRecord[]> {
  const all: RawRecord[] = [];
  for await (const record of records) all.push(record);
  return all;
}

function valid<T>(result: { ok: true; value: T } | { ok: false; errors: unknown[] }, where: string): T {
  if (!result.ok) throw new Error(`${where} is invalid: ${JSON.stringify(result.errors)}`);
  return result.value;
}

function fileHash(path: string): string {
  return createHash('sha256').update(readFileSync(path)).digest('hex');
}

interface Parcel {
  trackingNumber: string;
  channel: 'postal' | 'express';
  mawb?: string;
  arrivalDate: string;
  pccc?: string;
  consigneeName: string;
  sellerId?: string;
  sellerPhone?: string;
  invoiceNumber?: string;
  declaredUsdCents: number;
  origin: string;
  hsCodes: string[];
  descriptions: string[];
}

describe('demo data', () => {
  let directory: string;
  let jsonDirectory: string;
  const parcels = new Map<string, Parcel>();
  const orders: MarketplaceOrder[] = [];
  const payments: Payment[] = [];
  let truth: { trackingNumber: string; pattern: string; groupId: string }[] = [];

  beforeAll(async () => {
    directory = mkdtempSync(join(tmpdir(), 'clearway-demo-test-'));
    jsonDirectory = mkdtempSync(join(tmpdir(), 'clearway-demo-json-'));
    writeDemoData(directory, oneDay);
    writeDemoData(jsonDirectory, oneDay, {
      postalFormat: 'json',
      expressFormat: 'json',
      marketplaceFormat: 'json',
    });

    // Read the files back with intake's own readers, and validate every record with its validators.
    for (const raw of await collect(
      readItmattXml(decodeUtf8(fileChunks(join(directory, 'postal-items.xml')))),
    )) {
      expect(raw.kind).toBe('record');
      if (raw.kind !== 'record') continue;
      const item: PostalItem = valid(
        validatePostalItem(raw.record, raw.line),
        `postal item at line ${raw.line}`,
      );
      parcels.set(item.itemId, {
        trackingNumber: item.itemId,
        channel: 'postal',
        arrivalDate: item.expectedArrivalDate!,
        pccc: item.addressee.importerReference,
        consigneeName: item.addressee.name,
        sellerId: item.seller?.id,
        sellerPhone: item.sender.phone,
        invoiceNumber: item.invoiceNumber,
        declaredUsdCents: toUsdCents(minorUnits(item.totalValue!, item.currency), item.currency),
        origin: item.sender.country,
        hsCodes: item.contents.map((line) => line.hsCode ?? ''),
        descriptions: item.contents.map((line) => line.description),
      });
    }
    const rows = readCsvRecords(decodeUtf8(fileChunks(join(directory, 'express-manifest.csv'))));
    for (const raw of await collect(groupRowsByHouseWaybill(rows))) {
      expect(raw.kind).toBe('record');
      if (raw.kind !== 'record') continue;
      const header = Object.fromEntries(Object.entries(raw.record).filter(([key]) => HEADER_FIELDS.has(key)));
      const house = Object.fromEntries(Object.entries(raw.record).filter(([key]) => !HEADER_FIELDS.has(key)));
      const manifest: ManifestHeader = valid(
        validateManifestHeader(header, raw.line),
        `manifest header at line ${raw.line}`,
      );
      const waybill: HouseWaybill = valid(
        validateHouseWaybill(house, raw.line),
        `house waybill at line ${raw.line}`,
      );
      parcels.set(waybill.hawb, {
        trackingNumber: waybill.hawb,
        channel: 'express',
        mawb: manifest.mawb,
        arrivalDate: manifest.arrivalDate,
        pccc: waybill.consignee.pccc,
        consigneeName: waybill.consignee.name,
        sellerId: waybill.seller?.id,
        sellerPhone: waybill.shipper.phone,
        invoiceNumber: waybill.invoiceNumber,
        declaredUsdCents: toUsdCents(minorUnits(waybill.declaredValue!, waybill.currency), waybill.currency),
        origin: waybill.shipper.country,
        hsCodes: waybill.lines.map((line) => line.hsCode ?? ''),
        descriptions: waybill.lines.map((line) => line.description),
      });
    }
    for (const raw of await collect(
      readCsvRecords(decodeUtf8(fileChunks(join(directory, 'marketplace-orders.csv')))),
    )) {
      if (raw.kind === 'record')
        orders.push(valid(validateMarketplaceOrder(raw.record, raw.line), `order at line ${raw.line}`));
      else throw new Error(raw.message);
    }
    for (const raw of await collect(
      readCsvRecords(decodeUtf8(fileChunks(join(directory, 'payments.csv')))),
    )) {
      if (raw.kind === 'record')
        payments.push(valid(validatePayment(raw.record, raw.line), `payment at line ${raw.line}`));
      else throw new Error(raw.message);
    }
    const [, ...truthLines] = readFileSync(join(directory, 'ground-truth.csv'), 'utf8').trim().split('\n');
    truth = truthLines.map((line) => {
      const [trackingNumber, pattern, groupId] = line.split(',');
      return { trackingNumber: trackingNumber!, pattern: pattern!, groupId: groupId! };
    });
  });

  afterAll(() => {
    rmSync(directory, { recursive: true, force: true });
    rmSync(jsonDirectory, { recursive: true, force: true });
  });

  it('writes a day of postal and express parcels that all pass the intake validators', () => {
    const postal = [...parcels.values()].filter((parcel) => parcel.channel === 'postal');
    const express = [...parcels.values()].filter((parcel) => parcel.channel === 'express');
    expect(postal.length + express.length).toBe(oneDay.parcelsPerDay);
    expect(postal.length).toBeGreaterThan(100);
    expect(express.length).toBeGreaterThan(250);
    expect(new Set(express.map((parcel) => parcel.mawb)).size).toBeGreaterThan(5);
    for (const parcel of express) expect(isValidMasterAirWaybill(parcel.mawb!), parcel.mawb).toBe(true);
    // Origins: China dominant, several others present.
    const origins = [...parcels.values()].map((parcel) => parcel.origin);
    const chinese = origins.filter((origin) => origin === 'CN').length;
    expect(chinese / origins.length).toBeGreaterThan(0.4);
    expect(new Set(origins).size).toBeGreaterThanOrEqual(6);
  });

  it('writes orders and payments that link to parcels and pass their validators', () => {
    expect(orders.length).toBeGreaterThan(oneDay.parcelsPerDay / 2);
    expect(payments.length).toBe(orders.length);
    for (const order of orders) expect(parcels.has(order.trackingNumber!), order.trackingNumber).toBe(true);
    const orderNumbers = new Set(orders.map((order) => `${order.marketplace}:${order.orderNumber}`));
    expect(orderNumbers.size).toBe(orders.length);
    for (const payment of payments)
      expect(orderNumbers.has(`${payment.marketplace}:${payment.orderNumber}`)).toBe(true);
  });

  it('writes the same records as JSON (CN23 array, one manifest per master air waybill, order and payment arrays)', () => {
    const items = JSON.parse(readFileSync(join(jsonDirectory, 'postal-items.json'), 'utf8')) as unknown[];
    items.forEach((item, index) => valid(validatePostalItem(item, index + 1), `JSON postal item ${index}`));
    let houses = 0;
    for (const name of readdirSync(join(jsonDirectory, 'express-manifests'))) {
      const { houses: list, ...header } = JSON.parse(
        readFileSync(join(jsonDirectory, 'express-manifests', name), 'utf8'),
      ) as { houses: unknown[] };
      valid(validateManifestHeader(header), name);
      list.forEach((house, index) => valid(validateHouseWaybill(house, index + 1), `${name} house ${index}`));
      houses += list.length;
    }
    const jsonOrders = JSON.parse(
      readFileSync(join(jsonDirectory, 'marketplace-orders.json'), 'utf8'),
    ) as unknown[];
    jsonOrders.forEach((order, index) =>
      valid(validateMarketplaceOrder(order, index + 1), `JSON order ${index}`),
    );
    const jsonPayments = JSON.parse(readFileSync(join(jsonDirectory, 'payments.json'), 'utf8')) as unknown[];
    jsonPayments.forEach((payment, index) =>
      valid(validatePayment(payment, index + 1), `JSON payment ${index}`),
    );
    expect(items.length + houses).toBe(oneDay.parcelsPerDay);
    expect(jsonOrders.length).toBe(orders.length);
    // Same seed, other format: the same ground truth.
    expect(fileHash(join(jsonDirectory, 'ground-truth.csv'))).toBe(
      fileHash(join(directory, 'ground-truth.csv')),
    );
  });

  it('is reproducible: the same seed writes identical files, another seed other data', () => {
    const again = mkdtempSync(join(tmpdir(), 'clearway-demo-again-'));
    const other = mkdtempSync(join(tmpdir(), 'clearway-demo-other-'));
    try {
      writeDemoData(again, oneDay);
      writeDemoData(other, { ...oneDay, seed: 43 });
      for (const file of [
        'postal-items.xml',
        'express-manifest.csv',
        'marketplace-orders.csv',
        'payments.csv',
        'ground-truth.csv',
      ]) {
        expect(fileHash(join(again, file)), file).toBe(fileHash(join(directory, file)));
        expect(fileHash(join(other, file)), file).not.toBe(fileHash(join(directory, file)));
      }
    } finally {
      rmSync(again, { recursive: true, force: true });
      rmSync(other, { recursive: true, force: true });
    }
  });

  it('writes the same parcels when asked for manifests only', () => {
    const expressOnly = mkdtempSync(join(tmpdir(), 'clearway-demo-express-'));
    try {
      const files = writeDemoData(expressOnly, oneDay, { only: ['express', 'truth'] });
      expect(files.orders).toBeUndefined();
      expect(fileHash(join(expressOnly, 'express-manifest.csv'))).toBe(
        fileHash(join(directory, 'express-manifest.csv')),
      );
      expect(fileHash(join(expressOnly, 'ground-truth.csv'))).toBe(
        fileHash(join(directory, 'ground-truth.csv')),
      );
    } finally {
      rmSync(expressOnly, { recursive: true, force: true });
    }
  });

  it('lists every injected pattern in the ground truth, against parcels that exist', () => {
    // The second wave's patterns are off by default (their own test is below).
    expect(new Set(truth.map((row) => row.pattern))).toEqual(new Set(firstWave));
    for (const row of truth) expect(parcels.has(row.trackingNumber), row.trackingNumber).toBe(true);
    expect(new Set(truth.map((row) => row.trackingNumber)).size).toBe(truth.length);
  });

  it('injects patterns that hold in the data', () => {
    const ordersByTracking = new Map(orders.map((order) => [order.trackingNumber!, order]));
    const groups = new Map<string, Parcel[]>();
    for (const row of truth)
      groups.set(`${row.pattern}/${row.groupId}`, [
        ...(groups.get(`${row.pattern}/${row.groupId}`) ?? []),
        parcels.get(row.trackingNumber)!,
      ]);

    for (const [key, members] of groups) {
      const pattern = key.split('/')[0]!;
      const limit = members[0]!.origin === 'US' && members[0]!.channel === 'express' ? 20_000 : 15_000;
      switch (pattern) {
        case 'undervaluation': {
          const [parcel] = members;
          const order = ordersByTracking.get(parcel!.trackingNumber)!;
          // Worth more than the duty-free limit, declared at 40 % of its price or less.
          const paidUsdCents = toUsdCents(minorUnits(order.pricePaid, order.currency), order.currency);
          expect(paidUsdCents).toBeGreaterThan(limit);
          expect(paidUsdCents).toBeGreaterThan(2.4 * parcel!.declaredUsdCents);
          break;
        }
        case 'misdeclared_goods': {
          const [parcel] = members;
          // The description names other goods than the HS code, and the order names the real goods.
          const order = ordersByTracking.get(parcel!.trackingNumber)!;
          expect(order.productTitle).not.toBe(parcel!.descriptions[0]);
          break;
        }
        case 'prohibited_goods':
          expect(members[0]!.hsCodes.some((code) => /^(93|2939|121190)/.test(code))).toBe(true);
          break;
        case 'pccc_many_names':
        case 'seller_pccc_theft':
          break;
        case 'commercial_volume':
          // One buyer, the same goods again and again.
          expect(new Set(members.map((member) => member.pccc)).size).toBe(1);
          expect(new Set(members.map((member) => member.hsCodes[0])).size).toBe(1);
          break;
        case 'seller_ring':
          expect(new Set(members.map((member) => member.sellerPhone)).size).toBe(1);
          break;
        case 'recalled_product':
          expect(
            demoRecalls.some((recall) => members[0]!.descriptions[0]!.includes(recall.productName)),
          ).toBe(true);
          break;
        case 'misclassified_line': {
          const order = ordersByTracking.get(members[0]!.trackingNumber)!;
          expect(order.productTitle.startsWith(members[0]!.descriptions[0]!)).toBe(true);
          break;
        }
        default: {
          // Splits: each part under the list-clearance limit, the whole above it.
          expect(members.length).toBeGreaterThanOrEqual(2);
          for (const member of members) expect(member.declaredUsdCents).toBeLessThan(limit);
          expect(members.reduce((sum, member) => sum + member.declaredUsdCents, 0)).toBeGreaterThan(limit);
          expect(new Set(members.map((member) => member.arrivalDate)).size).toBe(1);
          if (pattern === 'split_same_awb') {
            expect(new Set(members.map((member) => member.mawb)).size).toBe(1);
            expect(new Set(members.map((member) => member.invoiceNumber)).size).toBe(1);
            expect(new Set(members.map((member) => member.pccc)).size).toBe(1);
          }
          if (pattern === 'split_same_seller_date') {
            expect(new Set(members.map((member) => member.sellerId)).size).toBe(1);
            expect(
              new Set(
                members.map((member) => ordersByTracking.get(member.trackingNumber)!.orderedAt.slice(0, 10)),
              ).size,
            ).toBe(1);
          }
          if (pattern === 'split_same_buyer_day')
            expect(new Set(members.map((member) => member.pccc)).size).toBe(1);
          if (pattern === 'split_same_delivery_address') {
            expect(new Set(members.map((member) => member.pccc)).size).toBe(members.length);
            expect(
              new Set(
                members.map((member) =>
                  JSON.stringify(ordersByTracking.get(member.trackingNumber)!.deliverTo),
                ),
              ).size,
            ).toBe(1);
          }
        }
      }
    }
    const stolen = [...groups.entries()]
      .filter(([key]) => key.startsWith('pccc_many_names/'))
      .map(([, members]) => members);
    for (const members of stolen) expect(new Set(members.map((member) => member.pccc)).size).toBe(1);
    expect(new Set(stolen.flat().map((member) => member.consigneeName)).size).toBeGreaterThan(1);
  });
});

function minorUnits(value: string, currency: string): number {
  const [whole, fraction = ''] = value.split('.');
  return currency === 'JPY' || currency === 'KRW'
    ? Number(whole)
    : Number(whole) * 100 + Number((fraction + '00').slice(0, 2));
}

describe('the second wave of demo patterns', () => {
  // Two days with the second wave on: each pattern shows up and holds in the records.
  const events = [
    ...generateDemoData({
      ...oneDay,
      days: 2,
      patternRates: {
        thresholdBunching: 0.03,
        roundValues: 0.03,
        vagueDescription: 0.02,
        tariffShift: 0.03,
        originMismatch: 0.02,
        usReshipper: 0.1,
        giftMisdeclaration: 0.1,
        brushing: 0.03,
        addressHub: 0.02,
      },
    }),
  ];
  const truth = new Map<string, DemoPattern>();
  for (const event of events)
    if (event.kind === 'truth') truth.set(event.row.trackingNumber, event.row.pattern);
  const ordered = new Set(
    events.flatMap((event) => (event.kind === 'order' ? [event.order.trackingNumber!] : [])),
  );
  type Built = Extract<DemoEvent, { kind: 'postal' | 'house' }>;
  const built = events.filter((event): event is Built => event.kind === 'postal' || event.kind === 'house');
  const of = (pattern: DemoPattern) =>
    built.filter(
      (event) => truth.get(event.kind === 'postal' ? event.item.itemId : event.house.hawb) === pattern,
    );

  it('plants every pattern of the second wave', () => {
    for (const pattern of secondWave) expect(of(pattern).length, pattern).toBeGreaterThan(0);
  });

  it('plants what each model looks for', () => {
    for (const event of of('gift_misdeclaration'))
      expect(event.kind === 'postal' && ['gift', 'commercial_sample'].includes(event.item.category)).toBe(
        true,
      );
    for (const event of of('us_reshipper')) {
      expect(event.kind === 'house' && event.house.shipper.country === 'US').toBe(true);
      if (event.kind === 'house') expect(event.house.lines[0]!.originCountry).not.toBe('US');
    }
    for (const event of of('origin_mismatch')) {
      const [sender, lines] =
        event.kind === 'postal'
          ? [event.item.sender, event.item.contents]
          : [event.house.shipper, event.house.lines];
      expect(lines[0]!.originCountry).not.toBe(sender.country);
    }
    for (const event of of('brushing'))
      expect(ordered.has(event.kind === 'postal' ? event.item.itemId : event.house.hawb)).toBe(false);
    for (const event of of('round_values')) {
      const lines = event.kind === 'postal' ? event.item.contents : event.house.lines;
      for (const line of lines) expect(Number(line.value) % 10).toBe(0);
    }
  });
});
