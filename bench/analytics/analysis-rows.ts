import { createHash } from 'node:crypto';
import { closeSync, openSync, writeSync } from 'node:fs';
import { join } from 'node:path';
import { generateDemoData } from '../../src/demo/index.js';
import { krwPerUnit } from '../../src/demo/demo-money.js';
import { demoRecalls } from '../../src/demo/product-recalls.js';
import type { DemoAddress, DemoLine } from '../../src/demo/demo-records.js';
import { createSeededRandom } from '../../src/platform/random/seeded-random.js';

/**
 * The published analysis views the first twelve catalogue models read, as tables of generated rows: the
 * demo generator's parcels, lines, orders and payments (with its planted patterns) mapped to the views'
 * columns, plus targeting decisions, rule hits and inspections drawn around them. Written once as CSV
 * files that both engines load, so PostgreSQL and DuckDB answer the same models over the same rows.
 */
export const analysisTables = {
  intake_analysis_buyer_parcel: [
    ['parcel_id', 'bigint'],
    ['tracking_number', 'text'],
    ['channel', 'text'],
    ['carrier_code', 'text'],
    ['master_waybill', 'text'],
    ['arrival_date', 'date'],
    ['category', 'text'],
    ['seller_key', 'text'],
    ['seller_country', 'text'],
    ['seller_phone_key', 'text'],
    ['seller_address_key', 'text'],
    ['pccc', 'text'],
    ['consignee_name_key', 'text'],
    ['consignee_address_key', 'text'],
    ['consignee_phone_key', 'text'],
    ['consignee_postcode', 'text'],
    ['invoice_number', 'text'],
    ['declared_value', 'numeric(18,2)'],
    ['currency', 'text'],
    ['freight_value', 'numeric(18,2)'],
    ['gross_mass_kg', 'numeric(14,3)'],
    ['pieces', 'integer'],
  ],
  intake_analysis_parcel_line: [
    ['parcel_id', 'bigint'],
    ['line_number', 'integer'],
    ['description', 'text'],
    ['quantity', 'numeric(14,3)'],
    ['net_mass_kg', 'numeric(14,3)'],
    ['value', 'numeric(18,2)'],
    ['currency', 'text'],
    ['hs6', 'text'],
    ['hs_heading', 'text'],
    ['hs_chapter', 'text'],
    ['origin_country', 'text'],
  ],
  intake_analysis_order_payment: [
    ['order_id', 'bigint'],
    ['order_number', 'text'],
    ['marketplace', 'text'],
    ['seller_key', 'text'],
    ['tracking_number', 'text'],
    ['product_title', 'text'],
    ['listing_url', 'text'],
    ['price_paid', 'numeric(18,2)'],
    ['currency', 'text'],
    ['quantity', 'numeric(14,3)'],
    ['buyer_pccc', 'text'],
    ['buyer_name_key', 'text'],
    ['deliver_to_key', 'text'],
    ['ordered_at', 'timestamp'],
    ['paid_krw', 'numeric(18,2)'],
    ['payments', 'bigint'],
    ['payer_name_key', 'text'],
  ],
  clearance_analysis_parcel: [
    ['parcel_id', 'bigint'],
    ['state', 'text'],
    ['held', 'boolean'],
    ['seized', 'boolean'],
    ['list_clearance', 'boolean'],
    ['taxable', 'boolean'],
    ['goods_price_krw', 'bigint'],
    ['goods_price_usd', 'numeric(18,2)'],
    ['duty_krw', 'numeric(18,2)'],
    ['vat_krw', 'numeric(18,2)'],
    ['total_tax_krw', 'bigint'],
  ],
  targeting_analysis_decision: [
    ['parcel_id', 'bigint'],
    ['lane', 'text'],
    ['xray_referral', 'boolean'],
    ['score', 'double precision'],
    ['why_selected', 'text'],
    ['arrival_date', 'date'],
    ['decision_day', 'date'],
    ['decided_at', 'timestamp'],
  ],
  targeting_analysis_rule_hit: [
    ['parcel_id', 'bigint'],
    ['rule_name', 'text'],
    ['arrival_date', 'date'],
    ['decision_day', 'date'],
  ],
  targeting_analysis_rule: [
    ['rule_name', 'text'],
    ['status', 'text'],
    ['lane', 'text'],
    ['mandatory', 'boolean'],
    ['selection_percent', 'integer'],
  ],
  clearance_analysis_inspection: [
    ['parcel_id', 'bigint'],
    ['outcome', 'text'],
    ['fraud', 'boolean'],
    ['critical_level', 'integer'],
    ['inspected_on', 'date'],
  ],
  partners_analysis_safety_report: [
    ['report_id', 'bigint'],
    ['agency_code', 'text'],
    ['product_name', 'text'],
    ['brand', 'text'],
    ['model', 'text'],
    ['hs6', 'text'],
    ['hazard', 'text'],
    ['recall_reference', 'text'],
  ],
} as const satisfies Record<string, readonly (readonly [string, string])[]>;
export type AnalysisTable = keyof typeof analysisTables;

/** Views over the tables above that give the other published names the models read. */
export const derivedViews = [
  `create view intake_analysis_parcel_party as select parcel_id, pccc, arrival_date, channel, seller_key, master_waybill,
     declared_value, currency from intake_analysis_buyer_parcel`,
  `create view targeting_analysis_selection as select parcel_id, lane, why_selected, arrival_date, decision_day
     from targeting_analysis_decision`,
];

type Cell = string | number | boolean | null | undefined;

/** One CSV row: text always quoted (so an empty string stays empty), nothing at all for null. */
function csvRow(cells: readonly Cell[]): string {
  return (
    cells
      .map((cell) =>
        cell === null || cell === undefined
          ? ''
          : typeof cell === 'string'
            ? `"${cell.replace(/"/g, '""')}"`
            : String(cell),
      )
      .join(',') + '\n'
  );
}

const md5 = (value: string) => createHash('md5').update(value).digest('hex');
const squeeze = (value: string) => value.toLowerCase().replace(/[\s\p{P}]/gu, '');
const addressKey = (address: DemoAddress) => md5(squeeze(`${address.postcode ?? ''}${address.street}`));

export interface GeneratedRows {
  parcels: number;
  lines: number;
  orders: number;
  from: string;
  to: string;
  files: Record<AnalysisTable, string>;
}

/** Writes the rows of `parcels` generated parcels into one CSV file per table under `directory`. */
export function writeAnalysisRows(directory: string, parcels: number, seed = 2026): GeneratedRows {
  const parcelsPerDay = Math.min(20_000, Math.max(100, Math.ceil(parcels / 30)));
  const days = Math.ceil(parcels / parcelsPerDay);
  const start = '2026-01-05';
  const files = Object.fromEntries(
    Object.keys(analysisTables).map((table) => [table, join(directory, `${table}.csv`)]),
  ) as Record<AnalysisTable, string>;
  const handles = Object.fromEntries(
    Object.entries(files).map(([table, path]) => [
      table,
      { fd: openSync(path, 'w'), buffer: [] as string[] },
    ]),
  ) as Record<AnalysisTable, { fd: number; buffer: string[] }>;
  const write = (table: AnalysisTable, cells: readonly Cell[]) => {
    const handle = handles[table];
    handle.buffer.push(csvRow(cells));
    if (handle.buffer.length >= 5000) {
      writeSync(handle.fd, handle.buffer.join(''));
      handle.buffer = [];
    }
  };
  const random = createSeededRandom(seed, 'analytics-bench-targeting');
  const rules = Array.from({ length: 20 }, (_, index) => `bench-rule-${index + 1}`);
  for (const [index, rule] of rules.entries())
    write('targeting_analysis_rule', [rule, 'active', index % 3 ? 'yellow' : 'red', index === 0, 100]);
  for (const [index, recall] of demoRecalls.entries())
    write('partners_analysis_safety_report', [
      index + 1,
      'KATS',
      recall.productName,
      recall.brand,
      recall.model,
      recall.hsCode.slice(0, 6),
      recall.hazard,
      recall.recallReference,
    ]);

  let parcelId = 0;
  let lineCount = 0;
  let orderId = 0;
  let lastDay = start;
  const planted = new Set<string>();
  const selected = new Map<string, { parcelId: number; day: string }>();
  const pendingOrder: { cells?: Cell[] } = {};
  const flushOrder = (paidKrw: number | null, payments: number, payerKey: string | null) => {
    if (!pendingOrder.cells) return;
    write('intake_analysis_order_payment', [...pendingOrder.cells, paidKrw, payments, payerKey]);
    pendingOrder.cells = undefined;
  };
  const parcel = (
    tracking: string,
    channel: 'postal' | 'express',
    carrier: string,
    mawb: string | null,
    day: string,
    category: string | null,
    sender: DemoAddress,
    consignee: DemoAddress,
    pccc: string | undefined,
    sellerId: string | undefined,
    invoice: string | undefined,
    declared: string,
    currency: string,
    freight: string | undefined,
    grossKg: string,
    pieces: number,
    lines: readonly DemoLine[],
  ) => {
    flushOrder(null, 0, null);
    parcelId++;
    lastDay = day;
    write('intake_analysis_buyer_parcel', [
      parcelId,
      tracking,
      channel,
      carrier,
      mawb,
      day,
      category,
      sellerId ?? null,
      sender.country,
      md5((sender.phone ?? '').replace(/[^0-9]/g, '')),
      md5(squeeze(`${sender.street}${sender.city}`)),
      pccc?.trim().toUpperCase() || null,
      md5(squeeze(consignee.name)),
      addressKey(consignee),
      md5((consignee.phone ?? '').replace(/[^0-9]/g, '')),
      consignee.postcode ?? null,
      invoice ?? null,
      declared,
      currency,
      freight ?? null,
      grossKg,
      pieces,
    ]);
    for (const [number, line] of lines.entries()) {
      lineCount++;
      const hs = line.hsCode ?? null;
      write('intake_analysis_parcel_line', [
        parcelId,
        number + 1,
        line.description,
        line.quantity,
        line.netMassKg ?? null,
        line.value,
        line.currency,
        hs?.slice(0, 6) ?? null,
        hs?.slice(0, 4) ?? null,
        hs?.slice(0, 2) ?? null,
        line.originCountry ?? null,
      ]);
    }
    const krw = Math.round(Number(declared) * krwPerUnit(currency));
    const usd = krw / krwPerUnit('USD');
    const tax = usd > 150 ? Math.round(krw * 0.18) : 0;
    write('clearance_analysis_parcel', [
      parcelId,
      'assessed',
      false,
      false,
      usd <= 150,
      usd > 150,
      krw,
      usd.toFixed(2),
      Math.round(tax * 0.45),
      Math.round(tax * 0.55),
      tax,
    ]);
    // Targeting: most parcels green; some selected by a rule, the model, a declaration check or at random.
    const score = random.next() ** 3;
    const why = random.weighted([
      ['none', 850],
      ['rule', 60],
      ['model', 40],
      ['check', 30],
      ['random', 20],
    ] as const);
    const lane = why === 'none' ? 'green' : random.chance(0.3) ? 'red' : 'yellow';
    write('targeting_analysis_decision', [
      parcelId,
      lane,
      false,
      score.toFixed(4),
      why,
      day,
      day,
      `${day} 12:00:00`,
    ]);
    if (why === 'rule')
      for (let count = random.int(1, 2); count > 0; count--)
        write('targeting_analysis_rule_hit', [parcelId, rules[random.int(0, rules.length - 1)], day, day]);
    if (why !== 'none') selected.set(tracking, { parcelId, day });
  };

  for (const event of generateDemoData({ days, parcelsPerDay, seed, startDate: start })) {
    if (parcelId >= parcels && event.kind !== 'order' && event.kind !== 'payment' && event.kind !== 'truth')
      break;
    if (event.kind === 'postal') {
      const item = event.item;
      parcel(
        item.itemId,
        'postal',
        item.postalOperator,
        null,
        item.expectedArrivalDate,
        item.category,
        item.sender,
        item.addressee,
        item.addressee.importerReference,
        item.seller?.id,
        item.invoiceNumber,
        item.totalValue,
        item.currency,
        item.postalCharges,
        item.grossMassKg,
        1,
        item.contents,
      );
    } else if (event.kind === 'house') {
      const house = event.house;
      parcel(
        house.hawb,
        'express',
        event.header.carrier,
        event.header.mawb,
        event.header.arrivalDate,
        null,
        house.shipper,
        house.consignee,
        house.consignee.pccc,
        house.seller?.id,
        house.invoiceNumber,
        house.declaredValue,
        house.currency,
        house.freight,
        house.grossMassKg,
        house.pieces,
        house.lines,
      );
    } else if (event.kind === 'truth') {
      planted.add(event.row.trackingNumber);
    } else if (event.kind === 'order') {
      flushOrder(null, 0, null);
      const order = event.order;
      orderId++;
      pendingOrder.cells = [
        orderId,
        order.orderNumber,
        order.marketplace,
        order.seller.id,
        order.trackingNumber,
        order.productTitle,
        order.listingUrl,
        order.pricePaid,
        order.currency,
        order.quantity,
        order.buyer?.pccc?.trim().toUpperCase() || null,
        md5(squeeze(order.buyer?.name ?? '')),
        order.deliverTo ? addressKey(order.deliverTo as DemoAddress) : null,
        order.orderedAt.replace('T', ' ').replace(/Z$/, ''),
      ];
    } else if (event.kind === 'payment') {
      flushOrder(Number(event.payment.amount), 1, md5(squeeze(event.payment.payerName ?? '')));
    }
  }
  flushOrder(null, 0, null);
  // Inspections of two thirds of the selected parcels: irregular when the generator planted a pattern.
  for (const [tracking, { parcelId: id, day }] of selected)
    if (random.chance(0.67)) {
      const fraud = planted.has(tracking);
      write('clearance_analysis_inspection', [
        id,
        fraud ? 'misdeclared_goods' : 'no_finding',
        fraud,
        fraud ? 1 : 0,
        day,
      ]);
    }
  for (const handle of Object.values(handles)) {
    writeSync(handle.fd, handle.buffer.join(''));
    closeSync(handle.fd);
  }
  return { parcels: parcelId, lines: lineCount, orders: orderId, from: start, to: lastDay, files };
}
