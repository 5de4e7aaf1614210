/**
 * Combined-taxation and anti-splitting analysis over 1,000,000 synthetic parcels, generated in memory
 * with a fixed seed. Measures `analyseParcelGrouping` (union-find over split waybill and seller + date, both
 * per importer,
 * clusters by PCCC + arrival day and by delivery address) against two baselines in the same run:
 *
 * - naive: the obvious JavaScript, string keys into arrays per criterion, then groups merged by label
 *   propagation repeated until nothing changes (what one writes without a union-find);
 * - SQL: the same four groupings as plain GROUP BY ... HAVING count(*) > 1 on PostgreSQL (DATABASE_URL or
 *   the local server), over the same rows loaded with unnest; the load is timed apart. GROUP BY cannot
 *   join groups transitively, so it does less work than the analysis. Skipped when no server answers.
 *
 * The analysis and the naive baseline run alternately `--rounds` times (default 2) and the best time of each
 * is reported, which damps the noise of a shared machine; the load average is printed with the figures.
 *
 *   npx tsx bench/clearance.bench.ts [--parcels 1000000] [--rounds 2] [--no-sql] [--json]
 */
import { loadavg } from 'node:os';
import pg from 'pg';
import {
  analyseParcelGrouping,
  type GroupingParcel,
} from '../src/modules/clearance/domain/parcel-grouping.js';
import { seededRandom } from '../src/platform/random/seeded-random.js';

const args = process.argv.slice(2);
const PARCELS = args.includes('--parcels') ? Number(args[args.indexOf('--parcels') + 1]) : 1_000_000;
const USE_SQL = !args.includes('--no-sql');
const PRINT_JSON = args.includes('--json');
const ROUNDS = args.includes('--rounds') ? Number(args[args.indexOf('--rounds') + 1]) : 2;
const TARGET_SECONDS = 30;

/**
 * Parcel tuples shaped like a month of Korean e-commerce imports: 60k sellers, 400k buyers, 30 arrival
 * days, one purchase in twenty split into parcels of one buyer, seller and date, 5 % of parcels split from
 * a shared waybill (mostly to the buyer of the consignment, some to other consignees), 20 % from the US
 * (USD 200 limit), goods prices from KRW 10,000 to 400,000, one delivery address per buyer with a few
 * shared "drop" addresses.
 */
function generateParcels(count: number): GroupingParcel[] {
  const random = seededRandom(20261127);
  const pick = (n: number) => Math.floor(random() * n);
  const day = (offset: number) => `2026-11-${String(1 + (offset % 30)).padStart(2, '0')}`;
  const parcels: GroupingParcel[] = new Array(count);
  let waybill = 0;
  let waybillBuyer = 0;
  for (let id = 0; id < count; id += 1) {
    const previous = id > 0 ? parcels[id - 1]! : undefined;
    // One purchase in twenty is split: the next parcel has the same buyer, seller and purchase date.
    const splitOrder = previous !== undefined && random() < 0.05;
    let buyer = splitOrder ? Number(previous.pccc!.slice(1)) - 100_000_000_000 : pick(400_000);
    const arrival = pick(30);
    const split = random() < 0.05;
    if (split && random() < 0.5) {
      waybill += 1;
      waybillBuyer = buyer;
    }
    // Most parts of a split waybill go to the buyer who ordered the consignment; some are other consignees.
    if (split && random() < 0.8) buyer = waybillBuyer;
    const pccc = `P${String(100_000_000_000 + buyer)}`;
    parcels[id] = {
      id,
      splitFromWaybill: split ? `AWB${waybill}` : null,
      sellerKey: splitOrder ? previous.sellerKey : `S${pick(60_000)}`,
      importerKey: `pccc:${pccc}`,
      purchaseDate: splitOrder ? previous.purchaseDate : day(Math.max(0, arrival - 3 - pick(4))),
      pccc,
      arrivalDate: day(arrival),
      deliveryAddressKey: random() < 0.3 ? `A${random() < 0.02 ? pick(500) : buyer}` : null,
      goodsPriceKrw: BigInt(10_000 + pick(390_000)),
      limitKrw: random() < 0.2 ? 280_000n : 210_000n,
    };
  }
  return parcels;
}

/** The baseline without union-find: per-criterion string-keyed arrays, then label propagation to a fixpoint. */
function naiveAnalysis(parcels: readonly GroupingParcel[]): {
  combinedGroups: number;
  overLimit: number;
  riskClusters: number;
} {
  const byKey = (keyOf: (parcel: GroupingParcel) => string | null) => {
    const groups: Record<string, number[]> = {};
    parcels.forEach((parcel, index) => {
      const key = keyOf(parcel);
      if (key !== null) (groups[key] ??= []).push(index);
    });
    return Object.values(groups).filter((members) => members.length > 1);
  };
  const legal = [
    ...byKey((parcel) =>
      parcel.splitFromWaybill && parcel.importerKey
        ? `${parcel.splitFromWaybill}|${parcel.importerKey}`
        : null,
    ),
    ...byKey((parcel) =>
      parcel.sellerKey && parcel.purchaseDate && parcel.importerKey
        ? `${parcel.sellerKey}|${parcel.purchaseDate}|${parcel.importerKey}`
        : null,
    ),
  ];
  const label = new Map<number, number>();
  for (const members of legal) for (const index of members) label.set(index, index);
  let changed = true;
  while (changed) {
    changed = false;
    for (const members of legal) {
      const lowest = Math.min(...members.map((index) => label.get(index)!));
      for (const index of members) {
        if (label.get(index) !== lowest) {
          label.set(index, lowest);
          changed = true;
        }
      }
    }
  }
  const sums = new Map<number, { sum: bigint; limit: bigint }>();
  for (const [index, group] of label) {
    const parcel = parcels[index]!;
    const entry = sums.get(group) ?? { sum: 0n, limit: parcel.limitKrw };
    entry.sum += parcel.goodsPriceKrw;
    if (parcel.limitKrw < entry.limit) entry.limit = parcel.limitKrw;
    sums.set(group, entry);
  }
  const risk = [
    ...byKey((parcel) => (parcel.pccc && parcel.arrivalDate ? `${parcel.pccc}/${parcel.arrivalDate}` : null)),
    ...byKey((parcel) => parcel.deliveryAddressKey),
  ];
  return {
    combinedGroups: sums.size,
    overLimit: [...sums.values()].filter((entry) => entry.sum > entry.limit).length,
    riskClusters: risk.length,
  };
}

async function sqlBaseline(
  parcels: readonly GroupingParcel[],
): Promise<{ loadSeconds: number; querySeconds: number; groups: Record<string, number> } | string> {
  const url = process.env.DATABASE_URL ?? 'postgres://postgres:postgres@127.0.0.1:5432/postgres';
  const client = new pg.Client({ connectionString: url, connectionTimeoutMillis: 2000 });
  try {
    await client.connect();
  } catch (error) {
    return `skipped: no PostgreSQL at ${url.replace(/:[^:@/]+@/, ':***@')} (${(error as Error).message})`;
  }
  try {
    await client.query(`create temporary table bench_parcel (id int, split_from_waybill text, seller_key text, purchase_date date, pccc text,
      arrival_date date, delivery_address_key text, goods_price_krw bigint, limit_krw bigint, importer_key text)`);
    const loadStart = performance.now();
    const batch = 50_000;
    for (let start = 0; start < parcels.length; start += batch) {
      const rows = parcels.slice(start, start + batch);
      await client.query(
        `insert into bench_parcel select * from unnest($1::int[], $2::text[], $3::text[], $4::date[], $5::text[], $6::date[], $7::text[], $8::bigint[], $9::bigint[], $10::text[])`,
        [
          rows.map((row) => row.id),
          rows.map((row) => row.splitFromWaybill),
          rows.map((row) => row.sellerKey),
          rows.map((row) => row.purchaseDate),
          rows.map((row) => row.pccc),
          rows.map((row) => row.arrivalDate),
          rows.map((row) => row.deliveryAddressKey),
          rows.map((row) => row.goodsPriceKrw.toString()),
          rows.map((row) => row.limitKrw.toString()),
          rows.map((row) => row.importerKey),
        ],
      );
    }
    await client.query('analyze bench_parcel');
    const loadSeconds = (performance.now() - loadStart) / 1000;
    const queries: Record<string, string> = {
      same_waybill: 'split_from_waybill, importer_key',
      same_seller_same_date: 'seller_key, purchase_date, importer_key',
      same_pccc_same_day: 'pccc, arrival_date',
      same_delivery_address: 'delivery_address_key',
    };
    const groups: Record<string, number> = {};
    const queryStart = performance.now();
    for (const [name, keys] of Object.entries(queries)) {
      const firstKey = keys.split(',')[0]!;
      const result = await client.query(
        `select count(*)::int as groups from (select ${keys}, array_agg(id) as ids, sum(goods_price_krw) as total, min(limit_krw) as lowest
           from bench_parcel where ${firstKey} is not null group by ${keys} having count(*) > 1) grouped`,
      );
      groups[name] = result.rows[0].groups;
    }
    return { loadSeconds, querySeconds: (performance.now() - queryStart) / 1000, groups };
  } finally {
    await client.end();
  }
}

function seconds(start: number): number {
  return (performance.now() - start) / 1000;
}

const generationStart = performance.now();
const parcels = generateParcels(PARCELS);
const generationSeconds = seconds(generationStart);

const loadBefore = loadavg()[0]!;
let oursSeconds = Infinity;
let naiveSeconds = Infinity;
let analysis = analyseParcelGrouping([]);
let naive = naiveAnalysis([]);
for (let round = 0; round < ROUNDS; round += 1) {
  const oursStart = performance.now();
  analysis = analyseParcelGrouping(parcels);
  oursSeconds = Math.min(oursSeconds, seconds(oursStart));
  const naiveStart = performance.now();
  naive = naiveAnalysis(parcels);
  naiveSeconds = Math.min(naiveSeconds, seconds(naiveStart));
}
const loadAfter = loadavg()[0]!;

const sql = USE_SQL ? await sqlBaseline(parcels) : 'skipped (--no-sql)';

const result = {
  parcels: PARCELS,
  rounds: ROUNDS,
  loadAverage: { before: loadBefore, after: loadAfter, cores: (await import('node:os')).cpus().length },
  generationSeconds,
  analysis: {
    seconds: oursSeconds,
    combinedGroups: analysis.combinedGroups.length,
    overLimitGroups: analysis.combinedGroups.filter((group) => group.overLimit).length,
    riskClusters: analysis.riskClusters.length,
    underTarget: oursSeconds < TARGET_SECONDS,
  },
  naive: { seconds: naiveSeconds, ...naive, speedup: naiveSeconds / oursSeconds },
  sql: typeof sql === 'string' ? sql : { ...sql, speedupOverQueries: sql.querySeconds / oursSeconds },
};

if (PRINT_JSON) console.log(JSON.stringify(result, null, 2));
else {
  console.log(
    `Clearance grouping and anti-splitting over ${PARCELS.toLocaleString('en')} parcels (generated in ${generationSeconds.toFixed(1)} s); best of ${ROUNDS} rounds; load average ${loadBefore.toFixed(1)} -> ${loadAfter.toFixed(1)} on ${result.loadAverage.cores} cores`,
  );
  console.log(
    `  analyseParcelGrouping : ${oursSeconds.toFixed(2)} s  (${result.analysis.combinedGroups} combined groups, ${result.analysis.overLimitGroups} over the limit, ${result.analysis.riskClusters} risk clusters)  target < ${TARGET_SECONDS} s: ${result.analysis.underTarget ? 'met' : 'MISSED'}`,
  );
  console.log(
    `  naive JS baseline     : ${naiveSeconds.toFixed(2)} s  (${naive.combinedGroups} groups, ${naive.overLimit} over, ${naive.riskClusters} clusters)  -> ${result.naive.speedup.toFixed(1)}x`,
  );
  if (typeof sql === 'string') console.log(`  SQL GROUP BY baseline : ${sql}`);
  else {
    console.log(
      `  SQL GROUP BY baseline : ${sql.querySeconds.toFixed(2)} s for 4 GROUP BY queries (load ${sql.loadSeconds.toFixed(1)} s apart; no transitive merge)  -> ${result.sql && typeof result.sql !== 'string' ? result.sql.speedupOverQueries.toFixed(1) : '?'}x`,
    );
    console.log(
      `                          groups: ${Object.entries(sql.groups)
        .map(([name, count]) => `${name} ${count}`)
        .join(', ')}`,
    );
  }
}
