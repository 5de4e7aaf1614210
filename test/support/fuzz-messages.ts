import fc from 'fast-check';
import { expressManifest, postalItem, s10 } from './sample-data.js';

/**
 * Property-based generators for the fuzzing campaign (test/fuzz.api.test.ts, a few thousand requests;
 * bench/fuzz.bench.ts, 100,000 per format): valid messages of every intake format and every query
 * string, and mutations of them (a value replaced by a hostile one, a field dropped or added, bytes
 * flipped), with the verdict on what the server answered.
 */
export const fuzzFormats = [
  'postal-json',
  'itmatt-xml',
  'express-json',
  'express-csv',
  'orders-json',
  'orders-csv',
  'payments-json',
  'query',
] as const;
export type FuzzFormat = (typeof fuzzFormats)[number];

export interface FuzzRequest {
  method: 'GET' | 'POST';
  url: string;
  contentType?: string;
  payload?: Buffer;
}

/** Values that broke the server before (issue 12) and their kin. */
const hostileValue = fc.oneof(
  fc.jsonValue({ maxDepth: 2 }),
  fc.string({ unit: 'binary', maxLength: 40 }),
  fc.constantFrom(
    '\u0000',
    'Kim\u0000Minji',
    'A\ud800',
    '\udc00',
    'x\ufffd',
    1e12,
    1e20,
    -1,
    0,
    1.23456,
    '2026-02-30',
    '12-3',
    "x' OR 1=1--",
    'x'.repeat(5000),
    '',
    null,
    true,
    [],
    {},
  ),
);

/** Unique ids per run, so that valid messages are stored rather than answered as duplicates. */
let serial = Math.floor(Math.random() * 10_000_000);
const nextSerial = () => (serial = (serial + 1) % 100_000_000);

const textValue = fc.oneof(
  { weight: 4, arbitrary: fc.string({ minLength: 1, maxLength: 30 }).filter((text) => text.trim() !== '') },
  { weight: 1, arbitrary: fc.constantFrom('김민지', 'Zoé Lefèvre', '上海 贸易', 'O’Brien & Co') },
);

/** A valid postal item with random names and amounts (and a fresh S10 id at each use). */
const validPostalItem = fc
  .record({
    name: textValue,
    street: textValue,
    quantity: fc.integer({ min: 1, max: 50 }),
    value: fc.integer({ min: 1, max: 9999 }),
  })
  .map((random) => {
    const item = postalItem({ itemId: s10(nextSerial(), 'RR', 'CN') });
    (item.addressee as Record<string, unknown>).name = random.name.trim();
    (item.addressee as Record<string, unknown>).street = random.street.trim();
    const lines = item.contents as Record<string, unknown>[];
    lines[0]!.quantity = random.quantity;
    lines[0]!.value = random.value / 100;
    return item;
  });

function validManifest(houses: number): Record<string, unknown> {
  const manifest = expressManifest(houses, { carrier: 'DHL', mawb: '180-12345675' });
  for (const house of manifest.houses as Record<string, unknown>[])
    house.hawb = `FZ${String(nextSerial()).padStart(8, '0')}`;
  return manifest;
}

function validOrder(): Record<string, unknown> {
  return {
    marketplace: 'GlobalMart',
    orderNumber: `FZ-${nextSerial()}`,
    seller: { id: 'S1', name: 'Seller', country: 'US' },
    productTitle: 'Phone case',
    pricePaid: '12.50',
    currency: 'USD',
    buyer: { pccc: 'P123456789012', name: 'Kim Minji' },
    orderedAt: '2026-11-20T10:00:00Z',
  };
}

function validPayment(): Record<string, unknown> {
  return {
    marketplace: 'GlobalMart',
    paymentReference: `FZP-${nextSerial()}`,
    orderNumber: `FZ-${serial}`,
    method: 'card',
    amount: '12.50',
    currency: 'USD',
    paidAt: '2026-11-20T10:01:00Z',
    payerName: 'Kim Minji',
  };
}

/** Replaces the value at a random path of a JSON value (or adds a key, or drops one). */
function mutateJson(base: unknown, path: readonly number[], action: number, replacement: unknown): unknown {
  if (base === null || typeof base !== 'object') return replacement;
  const entries = Array.isArray(base)
    ? base.map((value, index) => [String(index), value] as const)
    : Object.entries(base);
  if (entries.length === 0) return replacement;
  const copy: Record<string, unknown> | unknown[] = Array.isArray(base) ? [...base] : { ...base };
  const [key, value] = entries[path[0]! % entries.length]!;
  if (path.length > 1)
    (copy as Record<string, unknown>)[key] = mutateJson(value, path.slice(1), action, replacement);
  else if (action === 0 && !Array.isArray(copy)) delete copy[key];
  else if (action === 1 && !Array.isArray(copy)) copy[`unexpected${path[0]}`] = replacement;
  else (copy as Record<string, unknown>)[key] = replacement;
  return copy;
}

const jsonMutation = fc.record({
  path: fc.array(fc.nat(30), { minLength: 1, maxLength: 5 }),
  action: fc.nat(4),
  replacement: hostileValue,
});
const byteFlips = fc.array(fc.tuple(fc.nat(), fc.integer({ min: 0, max: 255 })), {
  minLength: 1,
  maxLength: 3,
});

function flipBytes(bytes: Buffer, flips: readonly (readonly [number, number])[]): Buffer {
  const copy = Buffer.from(bytes);
  for (const [at, value] of flips) if (copy.length > 0) copy[at % copy.length] = value;
  return copy;
}

/** Valid (1 in 5), value-mutated (3 in 5) or byte-flipped (1 in 5) variants of a document built by `build`. */
function variants(
  build: () => unknown,
  serialise: (document: unknown) => string,
  request: (payload: Buffer) => FuzzRequest,
  validOnly: boolean,
): fc.Arbitrary<FuzzRequest> {
  if (validOnly) return fc.constant(null).map(() => request(Buffer.from(serialise(build()))));
  return fc.oneof(
    { weight: 1, arbitrary: fc.constant(null).map(() => request(Buffer.from(serialise(build())))) },
    {
      weight: 3,
      arbitrary: jsonMutation.map(({ path, action, replacement }) =>
        request(Buffer.from(serialise(mutateJson(build(), path, action, replacement)))),
      ),
    },
    {
      weight: 1,
      arbitrary: byteFlips.map((flips) => request(flipBytes(Buffer.from(serialise(build())), flips))),
    },
  );
}

const post =
  (url: string, contentType: string) =>
  (payload: Buffer): FuzzRequest => ({
    method: 'POST',
    url,
    contentType,
    payload,
  });

function itmattXml(items: unknown): string {
  const element = (name: string, value: unknown): string => {
    if (Array.isArray(value))
      return `<${name}>${value.map((item) => element('line', item)).join('')}</${name}>`;
    if (value && typeof value === 'object')
      return `<${name}>${Object.entries(value)
        .map(([key, inner]) => element(key, inner))
        .join('')}</${name}>`;
    return `<${name}>${escapeXml(String(value))}</${name}>`;
  };
  const list = Array.isArray(items) ? items : [items];
  return `<?xml version="1.0" encoding="UTF-8"?>\n<ITMATT>${list.map((item) => element('Item', item)).join('')}</ITMATT>`;
}

function escapeXml(text: string): string {
  return text.replace(/[<>&]/g, (character) => ({ '<': '&lt;', '>': '&gt;', '&': '&amp;' })[character]!);
}

/** Rows of a CSV document: the header from the first record's paths, one row per record. */
function csvOf(records: unknown): string {
  const list = (Array.isArray(records) ? records : [records]).filter(
    (record) => record && typeof record === 'object',
  );
  const flat = list.map((record) => flatten(record as Record<string, unknown>));
  const columns = [...new Set(flat.flatMap((row) => Object.keys(row)))];
  const cell = (value: unknown) => {
    const text = value === undefined ? '' : typeof value === 'string' ? value : JSON.stringify(value);
    return /[",\r\n]/.test(text) ? `"${text.replace(/"/g, '""')}"` : text;
  };
  return [columns.join(','), ...flat.map((row) => columns.map((column) => cell(row[column])).join(','))].join(
    '\n',
  );
}

function flatten(record: Record<string, unknown>, prefix = ''): Record<string, unknown> {
  const flat: Record<string, unknown> = {};
  for (const [key, value] of Object.entries(record)) {
    if (value && typeof value === 'object' && !Array.isArray(value))
      Object.assign(flat, flatten(value as Record<string, unknown>, `${prefix}${key}.`));
    else flat[`${prefix}${key}`] = value;
  }
  return flat;
}

/** Express CSV: one row per declaration line, the house's columns repeated, `line.*` for the line. */
function expressCsv(manifest: unknown): string {
  if (!manifest || typeof manifest !== 'object') return csvOf([manifest]);
  const { houses, ...header } = manifest as { houses?: unknown };
  const rows = (Array.isArray(houses) ? houses : [houses]).flatMap((house): Record<string, unknown>[] => {
    if (!house || typeof house !== 'object') return [{ ...header, hawb: house }];
    const { lines, ...rest } = house as { lines?: unknown };
    return (Array.isArray(lines) ? lines : [lines]).map((line) => ({ ...header, ...rest, line }));
  });
  return csvOf(rows);
}

/** Query strings for every GET route with parameters, read from the OpenAPI document of the server. */
export function queryRequests(openapi: {
  paths: Record<string, Record<string, { parameters?: { name: string; in: string }[] }>>;
}): fc.Arbitrary<FuzzRequest> {
  const routes = Object.entries(openapi.paths)
    .filter(([path, operations]) => path.startsWith('/api/v1/') && operations.get)
    .map(([path, operations]) => ({ path, parameters: operations.get!.parameters ?? [] }));
  const queryValue = fc.oneof(
    fc.string({ maxLength: 20 }),
    fc.string({ unit: 'binary', maxLength: 20 }),
    fc.constantFrom(
      '2026-02-30',
      '2026-11-20',
      "x' OR 1=1--",
      '-1',
      '1e400',
      'red,green',
      '%00',
      'null',
      '999999999999999999999',
    ),
  );
  return fc
    .record({
      route: fc.constantFrom(...routes),
      values: fc.array(queryValue, { minLength: 6, maxLength: 6 }),
      extra: fc.boolean(),
    })
    .map(({ route, values, extra }) => {
      let value = 0;
      const path = route.path.replace(/\{(\w+)\}/g, () =>
        encodeURIComponent(String(values[value++ % values.length])),
      );
      const query = new URLSearchParams();
      for (const parameter of route.parameters.filter((entry) => entry.in === 'query'))
        query.set(parameter.name, String(values[value++ % values.length]));
      if (extra) query.set('unexpected', String(values[5]));
      return { method: 'GET' as const, url: query.size > 0 ? `${path}?${query}` : path };
    });
}

/**
 * The requests of one format (`query` needs the server's OpenAPI document): valid ones, mutated ones and
 * byte-flipped ones, or only valid ones for a baseline.
 */
export function fuzzRequests(
  format: Exclude<FuzzFormat, 'query'>,
  options: { validOnly?: boolean } = {},
): fc.Arbitrary<FuzzRequest> {
  const validOnly = options.validOnly ?? false;
  switch (format) {
    case 'postal-json':
      return validPostalItem.chain((item) =>
        variants(
          () => structuredClone(item),
          JSON.stringify,
          post('/api/v1/postal/items', 'application/json'),
          validOnly,
        ),
      );
    case 'itmatt-xml':
      return validPostalItem.chain((item) =>
        variants(
          () => [structuredClone(item), postalItem({ itemId: s10(nextSerial()) })],
          itmattXml,
          post('/api/v1/postal/itmatt', 'application/xml'),
          validOnly,
        ),
      );
    case 'express-json':
      return variants(
        () => validManifest(2),
        JSON.stringify,
        post('/api/v1/express/manifests', 'application/json'),
        validOnly,
      );
    case 'express-csv':
      return variants(
        () => validManifest(2),
        expressCsv,
        post('/api/v1/express/manifests', 'text/csv'),
        validOnly,
      );
    case 'orders-json':
      return variants(
        () => [validOrder(), validOrder()],
        JSON.stringify,
        post('/api/v1/marketplace/orders', 'application/json'),
        validOnly,
      );
    case 'orders-csv':
      return variants(
        () => [validOrder(), validOrder()],
        csvOf,
        post('/api/v1/marketplace/orders', 'text/csv'),
        validOnly,
      );
    case 'payments-json':
      return variants(
        () => [validPayment()],
        JSON.stringify,
        post('/api/v1/marketplace/payments', 'application/json'),
        validOnly,
      );
  }
}

export type Verdict = 'accepted' | 'rejected-named' | 'rejected-unnamed' | 'server-error';

/** Codes that refuse a whole document, where no single field is at fault. */
const DOCUMENT_CODES = new Set([
  'malformed_json',
  'malformed_document',
  'unsupported_media_type',
  'body_too_large',
  'duplicate_with_other_content',
]);

/**
 * What an answer amounts to: a 5xx is a server error; a refusal must name what is wrong (each field
 * error a path and a rule, each record error a line and a rule), or be a refusal of the whole document.
 */
export function verdictOf(statusCode: number, body: string): Verdict {
  if (statusCode >= 500) return 'server-error';
  // A success without a body (204: a parcel not scored yet) is an answer, not a refusal.
  if (statusCode < 400 && body === '') return 'accepted';
  let parsed: {
    error?: { code?: string; fieldErrors?: { path?: unknown; rule?: unknown }[] };
    errors?: { line?: unknown; rule?: unknown }[];
    rejected?: number;
    conflicts?: number;
  };
  try {
    parsed = JSON.parse(body);
  } catch {
    return 'rejected-unnamed';
  }
  const named = (errors: { rule?: unknown }[] | undefined, where: 'path' | 'line') =>
    Array.isArray(errors) &&
    errors.length > 0 &&
    errors.every(
      (error) => typeof error.rule === 'string' && error[where as keyof typeof error] !== undefined,
    );
  if (statusCode < 400) {
    if ((parsed.rejected ?? 0) + (parsed.conflicts ?? 0) === 0) return 'accepted';
    return named(parsed.errors, 'line') ? 'rejected-named' : 'rejected-unnamed';
  }
  if (parsed.errors) return named(parsed.errors, 'line') ? 'rejected-named' : 'rejected-unnamed';
  const code = parsed.error?.code ?? '';
  // 401, 403, 404 and 409 name what is wrong without a field: the caller, its rights, the resource, its
  // state (e.g. no active model yet), each by a code and a sentence.
  if (DOCUMENT_CODES.has(code) || [401, 403, 404, 409].includes(statusCode)) return 'rejected-named';
  return named(parsed.error?.fieldErrors, 'path') ? 'rejected-named' : 'rejected-unnamed';
}
