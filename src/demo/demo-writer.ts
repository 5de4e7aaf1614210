import { closeSync, mkdirSync, openSync, writeFileSync, writeSync } from 'node:fs';
import { join } from 'node:path';
import { generateDemoData, DEFAULT_START_DATE, type DemoOptions } from './demo-generator.js';
import {
  demoPatterns,
  type DemoHouseWaybill,
  type DemoLine,
  type DemoManifestHeader,
  type DemoOrder,
  type DemoPayment,
  type DemoPattern,
  type DemoPostalItem,
} from './demo-records.js';

/**
 * Writes demo data as the files carriers, posts and marketplaces send, in the formats intake reads:
 * ITMATT-style XML or a JSON array of CN23 items, express manifests as CSV (one row per declaration
 * line, JSON-path column names) or one JSON manifest per master air waybill, orders and payments as CSV
 * or JSON arrays, and ground-truth.csv. Records go to disk through fixed-size buffers as they are
 * generated, so memory stays flat for any size.
 */
export interface DemoFileOptions {
  postalFormat?: 'xml' | 'json';
  expressFormat?: 'csv' | 'json';
  marketplaceFormat?: 'csv' | 'json';
  /** Which files to write (default all); the generator still draws everything, so data stays the same. */
  only?: readonly DemoFileKind[];
  /** Called after each manifest or every 5,000 parcels, for progress displays. */
  onProgress?: (counts: DemoCounts) => void;
}

export type DemoFileKind = 'postal' | 'express' | 'orders' | 'payments' | 'truth';

export interface DemoCounts {
  postalItems: number;
  expressHouses: number;
  expressLines: number;
  manifests: number;
  orders: number;
  payments: number;
  groundTruthRows: number;
  patterns: Record<DemoPattern, number>;
}

/** Where each kind of data was written, relative paths under the output folder. */
export interface DemoFiles {
  directory: string;
  postal?: string;
  /** A CSV file, or a folder of JSON manifests. */
  express?: string;
  orders?: string;
  payments?: string;
  groundTruth?: string;
  summary: string;
  counts: DemoCounts;
}

const BUFFER_BYTES = 1 << 22;

/**
 * Appends text to a file through a 4 MiB byte buffer with synchronous writes: simple, fast (no string
 * joining, no promise per record) and flat in memory.
 */
class BufferedFile {
  private readonly fd: number;
  private readonly buffer = Buffer.allocUnsafe(BUFFER_BYTES);
  private used = 0;

  constructor(path: string) {
    this.fd = openSync(path, 'w');
  }

  write(text: string): void {
    // UTF-8 needs at most 3 bytes per UTF-16 code unit.
    if (this.used + text.length * 3 > BUFFER_BYTES) {
      this.flush();
      if (text.length * 3 > BUFFER_BYTES) {
        writeSync(this.fd, text);
        return;
      }
    }
    this.used += this.buffer.write(text, this.used, 'utf8');
  }

  flush(): void {
    let offset = 0;
    while (offset < this.used) offset += writeSync(this.fd, this.buffer, offset, this.used - offset);
    this.used = 0;
  }

  close(): void {
    this.flush();
    closeSync(this.fd);
  }
}

/** Generates demo data for the options and writes it under `directory`. */
export function writeDemoData(
  directory: string,
  options: DemoOptions,
  files: DemoFileOptions = {},
): DemoFiles {
  mkdirSync(directory, { recursive: true });
  const wanted = new Set<DemoFileKind>(files.only ?? ['postal', 'express', 'orders', 'payments', 'truth']);
  const postalFormat = files.postalFormat ?? 'xml';
  const expressFormat = files.expressFormat ?? 'csv';
  const marketplaceFormat = files.marketplaceFormat ?? 'csv';
  const result: Omit<DemoFiles, 'counts'> = { directory, summary: 'demo-summary.json' };
  const counts: DemoCounts = {
    postalItems: 0,
    expressHouses: 0,
    expressLines: 0,
    manifests: 0,
    orders: 0,
    payments: 0,
    groundTruthRows: 0,
    patterns: Object.fromEntries(demoPatterns.map((pattern) => [pattern, 0])) as Record<DemoPattern, number>,
  };

  const open = (kind: DemoFileKind, name: string): BufferedFile | undefined => {
    if (!wanted.has(kind)) return undefined;
    (result as Record<string, string>)[kind === 'truth' ? 'groundTruth' : kind] = name;
    return new BufferedFile(join(directory, name));
  };
  const postal = open('postal', postalFormat === 'xml' ? 'postal-items.xml' : 'postal-items.json');
  const expressCsv = expressFormat === 'csv' ? open('express', 'express-manifest.csv') : undefined;
  const expressFolder = expressFormat === 'json' && wanted.has('express') ? 'express-manifests' : undefined;
  if (expressFolder) {
    mkdirSync(join(directory, expressFolder), { recursive: true });
    result.express = expressFolder;
  }
  const orders = open('orders', `marketplace-orders.${marketplaceFormat}`);
  const payments = open('payments', `payments.${marketplaceFormat}`);
  const truth = open('truth', 'ground-truth.csv');

  let firstPostal = true;
  let firstOrder = true;
  let firstPayment = true;
  let firstHouse = true;
  let manifestFile: BufferedFile | undefined;
  if (postal)
    postal.write(postalFormat === 'xml' ? '<?xml version="1.0" encoding="UTF-8"?>\n<ITMATT>\n' : '[\n');
  expressCsv?.write(`${EXPRESS_COLUMNS.join(',')}\n`);
  if (orders)
    orders.write(marketplaceFormat === 'csv' ? `${ORDER_COLUMNS.map(([name]) => name).join(',')}\n` : '[\n');
  if (payments)
    payments.write(
      marketplaceFormat === 'csv' ? `${PAYMENT_COLUMNS.map(([name]) => name).join(',')}\n` : '[\n',
    );
  truth?.write('trackingNumber,pattern,groupId\n');

  const expressRows = expressCsvRows();
  const report = () => files.onProgress?.(counts);
  try {
    const withMarketplaceData = wanted.has('orders') || wanted.has('payments');
    for (const event of generateDemoData({
      ...options,
      withMarketplaceData: options.withMarketplaceData ?? withMarketplaceData,
    })) {
      switch (event.kind) {
        case 'postal':
          counts.postalItems++;
          if (postal) {
            if (postalFormat === 'xml') postal.write(postalItemXml(event.item));
            else postal.write(`${firstPostal ? '' : ',\n'}${JSON.stringify(event.item)}`);
            firstPostal = false;
          }
          if (counts.postalItems % 5000 === 0) report();
          break;
        case 'manifest-start':
          counts.manifests++;
          if (expressFolder) {
            manifestFile = new BufferedFile(
              join(directory, expressFolder, `${event.header.carrier}-${event.header.mawb}.json`),
            );
            const { carrier, mawb, flight, arrivalDate, officeCode } = event.header;
            manifestFile.write(
              `${JSON.stringify({ carrier, mawb, flight, arrivalDate, officeCode }).slice(0, -1)},"houses":[\n`,
            );
            firstHouse = true;
          }
          break;
        case 'house':
          counts.expressHouses++;
          counts.expressLines += event.house.lines.length;
          if (expressCsv) expressCsv.write(expressRows(event.header, event.house));
          if (manifestFile) {
            manifestFile.write(`${firstHouse ? '' : ',\n'}${JSON.stringify(event.house)}`);
            firstHouse = false;
          }
          if (counts.expressHouses % 5000 === 0) report();
          break;
        case 'manifest-end':
          if (manifestFile) {
            manifestFile.write('\n]}\n');
            manifestFile.close();
            manifestFile = undefined;
          }
          report();
          break;
        case 'order':
          counts.orders++;
          if (orders) {
            orders.write(
              marketplaceFormat === 'csv'
                ? csvRow(ORDER_COLUMNS, event.order)
                : `${firstOrder ? '' : ',\n'}${JSON.stringify(event.order)}`,
            );
            firstOrder = false;
          }
          break;
        case 'payment':
          counts.payments++;
          if (payments) {
            payments.write(
              marketplaceFormat === 'csv'
                ? csvRow(PAYMENT_COLUMNS, event.payment)
                : `${firstPayment ? '' : ',\n'}${JSON.stringify(event.payment)}`,
            );
            firstPayment = false;
          }
          break;
        case 'truth':
          counts.groundTruthRows++;
          counts.patterns[event.row.pattern]++;
          truth?.write(`${event.row.trackingNumber},${event.row.pattern},${event.row.groupId}\n`);
          break;
      }
    }
  } finally {
    manifestFile?.close();
    if (postal) postal.write(postalFormat === 'xml' ? '</ITMATT>\n' : '\n]\n');
    if (orders && marketplaceFormat === 'json') orders.write('\n]\n');
    if (payments && marketplaceFormat === 'json') payments.write('\n]\n');
    for (const file of [postal, expressCsv, orders, payments, truth]) file?.close();
  }
  report();
  const summary = {
    generator: 'clearway demo generate',
    options: { ...options, startDate: options.startDate ?? DEFAULT_START_DATE },
    files: { ...result, counts: undefined },
    counts,
  };
  writeFileSync(join(directory, result.summary), `${JSON.stringify(summary, null, 2)}\n`);
  return { ...result, counts };
}

// ---------------------------------------------------------------------------------------------------
// CSV: columns are the JSON paths of the schemas (csv-record.ts turns them back into nested objects).

type Column<T> = readonly [name: string, value: (record: T) => string | number | undefined];

const NEEDS_QUOTES = /[",\r\n]|^\s|\s$/;

function csvCell(value: string | number | undefined): string {
  if (value === undefined) return '';
  if (typeof value === 'number') return String(value);
  return NEEDS_QUOTES.test(value) ? `"${value.replace(/"/g, '""')}"` : value;
}

function csvRow<T>(columns: readonly Column<T>[], record: T): string {
  return `${csvCells(columns, record)}\n`;
}

const MANIFEST_COLUMNS: readonly Column<DemoManifestHeader>[] = [
  ['carrier', (header) => header.carrier],
  ['mawb', (header) => header.mawb],
  ['flight', (header) => header.flight],
  ['arrivalDate', (header) => header.arrivalDate],
  ['officeCode', (header) => header.officeCode],
];

const HOUSE_COLUMNS: readonly Column<DemoHouseWaybill>[] = [
  ['hawb', (house) => house.hawb],
  ['shipper.name', (house) => house.shipper.name],
  ['shipper.street', (house) => house.shipper.street],
  ['shipper.postcode', (house) => house.shipper.postcode],
  ['shipper.city', (house) => house.shipper.city],
  ['shipper.country', (house) => house.shipper.country],
  ['shipper.phone', (house) => house.shipper.phone],
  ['consignee.name', (house) => house.consignee.name],
  ['consignee.street', (house) => house.consignee.street],
  ['consignee.postcode', (house) => house.consignee.postcode],
  ['consignee.city', (house) => house.consignee.city],
  ['consignee.country', (house) => house.consignee.country],
  ['consignee.phone', (house) => house.consignee.phone],
  ['consignee.pccc', (house) => house.consignee.pccc],
  ['pieces', (house) => house.pieces],
  ['grossMassKg', (house) => house.grossMassKg],
  ['declaredValue', (house) => house.declaredValue],
  ['currency', (house) => house.currency],
  ['freight', (house) => house.freight],
  ['seller.id', (house) => house.seller?.id],
  ['seller.name', (house) => house.seller?.name],
  ['seller.country', (house) => house.seller?.country],
  ['seller.registrationNumber', (house) => house.seller?.registrationNumber],
  ['seller.marketplace', (house) => house.seller?.marketplace],
  ['seller.url', (house) => house.seller?.url],
  ['invoiceNumber', (house) => house.invoiceNumber],
];

const LINE_COLUMNS: readonly Column<DemoLine>[] = [
  ['line.description', (line) => line.description],
  ['line.quantity', (line) => line.quantity],
  ['line.netMassKg', (line) => line.netMassKg],
  ['line.value', (line) => line.value],
  ['line.currency', (line) => line.currency],
  ['line.hsCode', (line) => line.hsCode],
  ['line.originCountry', (line) => line.originCountry],
];

/** Express manifest column names, in the order a carrier's export would have them. */
export const EXPRESS_COLUMNS: readonly string[] = [
  ...MANIFEST_COLUMNS,
  ...HOUSE_COLUMNS,
  ...LINE_COLUMNS,
].map(([name]) => name);

function csvCells<T>(columns: readonly Column<T>[], record: T): string {
  let cells = '';
  for (let index = 0; index < columns.length; index++) {
    if (index > 0) cells += ',';
    cells += csvCell(columns[index]![1](record));
  }
  return cells;
}

/**
 * Rows of one house: one per declaration line, each repeating the manifest and house columns as flat
 * exports do. The manifest cells are formatted once per manifest.
 */
function expressCsvRows(): (header: DemoManifestHeader, house: DemoHouseWaybill) => string {
  let lastHeader: DemoManifestHeader | undefined;
  let headerCells = '';
  return (header, house) => {
    if (header !== lastHeader) {
      lastHeader = header;
      headerCells = csvCells(MANIFEST_COLUMNS, header);
    }
    const prefix = `${headerCells},${csvCells(HOUSE_COLUMNS, house)},`;
    let rows = '';
    for (const line of house.lines) rows += `${prefix}${csvCells(LINE_COLUMNS, line)}\n`;
    return rows;
  };
}

export const ORDER_COLUMNS: readonly Column<DemoOrder>[] = [
  ['marketplace', (order) => order.marketplace],
  ['orderNumber', (order) => order.orderNumber],
  ['seller.id', (order) => order.seller.id],
  ['seller.name', (order) => order.seller.name],
  ['seller.country', (order) => order.seller.country],
  ['seller.registrationNumber', (order) => order.seller.registrationNumber],
  ['seller.marketplace', (order) => order.seller.marketplace],
  ['seller.url', (order) => order.seller.url],
  ['listingUrl', (order) => order.listingUrl],
  ['productTitle', (order) => order.productTitle],
  ['pricePaid', (order) => order.pricePaid],
  ['currency', (order) => order.currency],
  ['quantity', (order) => order.quantity],
  ['buyer.pccc', (order) => order.buyer?.pccc],
  ['buyer.name', (order) => order.buyer?.name],
  ['deliverTo.name', (order) => order.deliverTo?.name],
  ['deliverTo.street', (order) => order.deliverTo?.street],
  ['deliverTo.postcode', (order) => order.deliverTo?.postcode],
  ['deliverTo.city', (order) => order.deliverTo?.city],
  ['deliverTo.country', (order) => order.deliverTo?.country],
  ['trackingNumber', (order) => order.trackingNumber],
  ['orderedAt', (order) => order.orderedAt],
];

export const PAYMENT_COLUMNS: readonly Column<DemoPayment>[] = [
  ['marketplace', (payment) => payment.marketplace],
  ['paymentReference', (payment) => payment.paymentReference],
  ['orderNumber', (payment) => payment.orderNumber],
  ['method', (payment) => payment.method],
  ['amount', (payment) => payment.amount],
  ['currency', (payment) => payment.currency],
  ['foreignAmount', (payment) => payment.foreignAmount],
  ['foreignCurrency', (payment) => payment.foreignCurrency],
  ['paidAt', (payment) => payment.paidAt],
  ['payerName', (payment) => payment.payerName],
];

// ---------------------------------------------------------------------------------------------------
// ITMATT-style XML: element names are the CN23 JSON field names (see itmatt-xml.ts).

function xmlEscape(text: string): string {
  return /[&<>"']/.test(text)
    ? text
        .replace(/&/g, '&amp;')
        .replace(/</g, '&lt;')
        .replace(/>/g, '&gt;')
        .replace(/"/g, '&quot;')
        .replace(/'/g, '&apos;')
    : text;
}

function xmlElement(name: string, value: unknown, indent: string): string {
  if (value === undefined) return '';
  if (Array.isArray(value)) {
    // Only `contents` is an array in a CN23 item; its entries are <line> elements.
    return `${indent}<${name}>\n${value.map((entry) => xmlElement('line', entry, `${indent}  `)).join('')}${indent}</${name}>\n`;
  }
  if (value !== null && typeof value === 'object') {
    let inner = '';
    for (const [key, child] of Object.entries(value)) inner += xmlElement(key, child, `${indent}  `);
    return `${indent}<${name}>\n${inner}${indent}</${name}>\n`;
  }
  return `${indent}<${name}>${xmlEscape(String(value))}</${name}>\n`;
}

function postalItemXml(item: DemoPostalItem): string {
  return xmlElement('Item', item, '  ');
}
