import type pg from 'pg';
import { krwPerUnit } from '../../src/demo/demo-money.js';
import { demoRecalls } from '../../src/demo/product-recalls.js';
import { analysisTables, derivedViews } from './analysis-tables.js';

/**
 * The published analysis views the first twelve catalogue models read, generated inside PostgreSQL with
 * `insert ... select` over `generate_series`: every value is a hash of the parcel number (and line
 * number), so the same count gives the same rows on every machine, and 10,000,000 parcels take minutes
 * instead of the hours the demo generator needs. The patterns the models look for are planted at the
 * demo's rates: split series (a parcel for the previous parcel's buyer), undervaluation against the paid
 * price (single parcels and whole buyers), PCCCs used under several names, sellers shipping under stolen
 * PCCCs, seller rings sharing a phone, commercial-volume buyers, misclassified lines and recalled products.
 */

/** Parcels a day, as the demo bench sets it: one month for small runs, 20,000 a day for large ones. */
export const parcelsPerDay = (parcels: number) => Math.min(20_000, Math.max(100, Math.ceil(parcels / 30)));
export const GENERATED_FROM = '2026-01-05';

export interface GeneratedPeriod {
  parcels: number;
  from: string;
  to: string;
}

export function generatedPeriod(parcels: number): GeneratedPeriod {
  const days = Math.ceil(parcels / parcelsPerDay(parcels));
  const to = new Date(Date.parse(`${GENERATED_FROM}T00:00:00Z`) + (days - 1) * 86_400_000);
  return { parcels, from: GENERATED_FROM, to: to.toISOString().slice(0, 10) };
}

const quote = (value: string) => `'${value.replace(/'/g, "''")}'`;

/**
 * The generating functions, with the run's sizes written in as constants (numbers from code only). Each
 * is `immutable` SQL, which PostgreSQL inlines into the statements that call them.
 */
function functions(parcels: number): string[] {
  const buyers = Math.max(50, Math.floor(parcels / 4));
  const sellers = Math.max(20, Math.floor(parcels / 50));
  const products = 5000;
  const perDay = parcelsPerDay(parcels);
  const usdPer = (currency: string) => 1 / krwPerUnit(currency) / (1 / krwPerUnit('USD'));
  const recalls = (field: (recall: (typeof demoRecalls)[number]) => string) =>
    `array[${demoRecalls.map((recall) => quote(field(recall))).join(', ')}]`;
  const fn = (signature: string, returns: string, body: string) =>
    `create function ${signature} returns ${returns} language sql immutable parallel safe as $$ select ${body} $$`;
  return [
    // A uniform number in [0, 1) from a key and a salt.
    fn(
      'u(key bigint, salt int)',
      'double precision',
      `((hashint8extended(key, salt) >> 11) & 9007199254740991)::double precision / 9007199254740992.0`,
    ),
    fn('base_buyer(g bigint)', 'bigint', `floor(power(u(g, 3), 1.6) * ${buyers})::bigint`),
    // 4 % of parcels go to the previous parcel's buyer on the same day: split series.
    fn('buyer(g bigint)', 'bigint', `case when u(g, 4) < 0.04 then base_buyer(g - 1) else base_buyer(g) end`),
    fn('seller(g bigint)', 'bigint', `floor(power(u(g, 5), 2) * ${sellers})::bigint`),
    // Sellers with seller % 700 = 3 ship half their parcels under codes stolen from random buyers.
    fn('thief(g bigint)', 'boolean', `seller(g) % 700 = 3 and u(g, 51) < 0.5`),
    fn('lines(g bigint)', 'int', `1 + (u(g, 6) < 0.4)::int + (u(g, 7) < 0.12)::int`),
    // Buyers with buyer % 400 = 11 resell: the same product, many units, every parcel.
    fn('commercial(g bigint)', 'boolean', `buyer(g) % 400 = 11`),
    fn(
      'product(g bigint, k int)',
      'int',
      `case when commercial(g) then (buyer(g) % ${products})::int
        else floor(power(u(g * 8 + k, 8), 1.5) * ${products})::int end`,
    ),
    fn(
      'quantity(g bigint, k int)',
      'int',
      `case when commercial(g) then 6 + floor(u(g * 8 + k, 11) * 10)::int
        else 1 + floor(power(u(g * 8 + k, 11), 4) * 4)::int end`,
    ),
    fn('unit_usd(p int)', 'double precision', `round(exp(1 + 4 * u(p, 12))::numeric, 2)::double precision`),
    // The line's true price in dollars; what is declared is a third of it when the parcel is undervalued.
    fn(
      'line_usd(g bigint, k int)',
      'double precision',
      `quantity(g, k) * unit_usd(product(g, k)) * (0.9 + 0.2 * u(g * 8 + k, 13))`,
    ),
    fn('undervalued(g bigint)', 'boolean', `u(g, 20) < 0.02 or buyer(g) % 250 = 5`),
    fn(
      'recalled(g bigint, k int)',
      'int',
      `case when u(g * 8 + k, 9) < 0.0004 then 1 + floor(u(g * 8 + k, 14) * ${demoRecalls.length})::int end`,
    ),
    fn('misclassified(g bigint, k int)', 'boolean', `u(g * 8 + k, 10) < 0.01`),
    fn(
      'currency(g bigint)',
      'text',
      `case when u(g, 21) < 0.7 then 'USD' when u(g, 21) < 0.9 then 'CNY' else 'EUR' end`,
    ),
    fn(
      'per_usd(c text)',
      'double precision',
      `case c when 'USD' then 1 when 'CNY' then ${usdPer('CNY')} else ${usdPer('EUR')} end`,
    ),
    fn('day(g bigint)', 'date', `${quote(GENERATED_FROM)}::date + ((g - 1) / ${perDay})::int`),
    fn(
      'description(p int)',
      'text',
      `(array['Cotton', 'Wireless', 'Stainless', 'Organic', 'Leather', 'Silicone', 'Bamboo', 'Ceramic', 'Wool', 'Glass'])[1 + p % 10]
        || ' ' || (array['T-shirt', 'earbuds', 'water bottle', 'face cream', 'wallet', 'phone case', 'toothbrush',
          'mug', 'scarf', 'vase', 'sneakers', 'charger', 'backpack', 'lamp', 'toy car', 'vitamins', 'notebook',
          'watch', 'cap', 'blender'])[1 + (p / 10) % 20] || ', model ' || p`,
    ),
    fn('hs6(p int)', 'text', `(100000 + (p * 7919) % 900000)::text`),
    fn('recall_brand(r int)', 'text', `(${recalls((recall) => recall.brand)})[r]`),
    fn('recall_model(r int)', 'text', `(${recalls((recall) => recall.model)})[r]`),
    fn('recall_name(r int)', 'text', `(${recalls((recall) => recall.productName)})[r]`),
    fn('recall_hs6(r int)', 'text', `(${recalls((recall) => recall.hsCode.slice(0, 6))})[r]`),
    // What an inspection of the parcel finds: any planted pattern.
    fn(
      'planted(g bigint, line_planted boolean)',
      'boolean',
      `line_planted or undervalued(g) or thief(g) or buyer(g) % 300 = 7 or commercial(g)`,
    ),
  ].concat(
    `create function krw(c text) returns double precision language sql immutable parallel safe as
      $$ select case c when 'USD' then ${krwPerUnit('USD')} when 'CNY' then ${krwPerUnit('CNY')} else ${krwPerUnit('EUR')} end $$`,
  );
}

/** One `insert ... select` per published table, in the tables' column order. */
function inserts(parcels: number): string[] {
  const sellerCountries = `(array['CN', 'CN', 'CN', 'US', 'JP', 'DE', 'VN', 'HK'])[1 + (seller % 8)::int]`;
  return [
    // Each parcel's buyer, seller, true and declared price in dollars (the sum of its lines) and whether a
    // line is planted, drawn once; below, `offset 0` likewise keeps PostgreSQL from inlining a line's draws
    // into every expression that uses them.
    `create unlogged table generated_parcel as
     select g, buyer(g) as buyer, seller(g) as seller, thief(g) as thief, v.true_usd,
       v.true_usd * case when undervalued(g) then 0.3 else 1 end as declared_usd, v.line_planted
     from generate_series(1, ${parcels}) g
     cross join lateral (
       select sum(line_usd(g, k)) as true_usd,
         bool_or(misclassified(g, k) or recalled(g, k) is not null) as line_planted
       from generate_series(1, lines(g)) k
     ) v`,
    `insert into intake_analysis_buyer_parcel
     select g, 'TN' || lpad(g::text, 10, '0'),
       case when u(g, 1) < 0.6 then 'express' else 'postal' end,
       'CR' || floor(u(g, 2) * 12)::int,
       case when u(g, 1) < 0.6 then 'MAWB' || floor(u(g, 2) * 12)::int || '-' || day(g) || '-' || g % 40 end,
       day(g),
       case when u(g, 1) >= 0.6 then 'sale_of_goods' end,
       case when u(g, 22) < 0.9 then 'SL' || seller end,
       ${sellerCountries},
       case when seller % 500 < 4 then 'ring-phone-' || seller / 500 else 'phone-' || seller end,
       case when seller % 500 = 4 then 'ring-address-' || seller / 500 else 'address-' || seller end,
       case when u(g, 23) < 0.03 then null
         when thief then 'P' || lpad(floor(u(g, 52) * ${Math.max(50, Math.floor(parcels / 4))})::bigint::text, 12, '0')
         else 'P' || lpad(buyer::text, 12, '0') end,
       case when thief then 'name-thief-' || seller
         when buyer % 300 = 7 then 'name-' || buyer || '-' || floor(u(g, 50) * 4)::int
         else 'name-' || buyer end,
       'address-' || buyer || case when u(g, 24) < 0.03 then '-moved' else '' end,
       'phone-' || buyer || case when u(g, 25) < 0.03 then '-new' else '' end,
       lpad((buyer % 60000)::text, 5, '0'),
       'INV-' || g,
       round((declared_usd * per_usd(currency(g)))::numeric, 2),
       currency(g),
       round((3 + u(g, 26) * 20)::numeric, 2),
       round((0.1 + lines(g) * u(g, 27) * 2)::numeric, 3),
       1
     from generated_parcel`,
    `insert into intake_analysis_parcel_line
     select g, k,
       case when recall is not null
         then (case when u(g * 8 + k, 15) < 0.5 then recall_brand(recall) || ' ' || recall_model(recall)
           else lower(recall_brand(recall) || replace(recall_model(recall), '-', '')) end)
           || ' ' || recall_name(recall)
         when u(g * 8 + k, 16) < 0.2 then lower(description(product))
         else description(product) end,
       quantity,
       round((0.05 + u(g * 8 + k, 17))::numeric, 3),
       round((quantity * unit_usd(product) * (0.9 + 0.2 * u(g * 8 + k, 13)) * share)::numeric, 2),
       currency,
       hs,
       substr(hs, 1, 4),
       substr(hs, 1, 2),
       (array['CN', 'CN', 'CN', 'US', 'JP', 'VN', 'DE', 'KR'])[1 + floor(u(g * 8 + k, 18) * 8)::int]
     from generate_series(1, ${parcels}) g
     cross join lateral (
       select currency(g) as currency, case when undervalued(g) then 0.3 else 1 end * per_usd(currency(g)) as share
       offset 0
     ) parcel
     cross join lateral generate_series(1, lines(g)) k
     cross join lateral (select product(g, k) as product, quantity(g, k) as quantity, recalled(g, k) as recall offset 0) line
     cross join lateral (select case
       when recall is not null then recall_hs6(recall)
       when misclassified(g, k) then hs6((product + 1 + floor(u(g * 8 + k, 19) * 100)::int) % 5000)
       else hs6(product) end as hs offset 0) code`,
    `insert into intake_analysis_order_payment
     select g, 'ORD-' || g, (array['Coupang', 'AliExpress', 'Amazon', 'Temu'])[1 + floor(u(g, 30) * 4)::int],
       case when u(g, 22) < 0.9 then 'SL' || seller end,
       'TN' || lpad(g::text, 10, '0'),
       description(product(g, 1)),
       'https://shop.example/item/' || product(g, 1),
       round((true_usd * per_usd(currency(g)))::numeric, 2),
       currency(g),
       quantity(g, 1),
       'P' || lpad(buyer::text, 12, '0'),
       'name-' || buyer,
       'address-' || buyer,
       (day(g) - 7 + (g % 5)::int)::timestamp + interval '13 hours',
       case when u(g, 31) < 0.9 then round((true_usd * ${krwPerUnit('USD')} * (1 + 0.05 * u(g, 32)))::numeric, 2) end,
       case when u(g, 31) < 0.9 then 1 else 0 end,
       case when u(g, 31) < 0.9 then 'name-' || buyer end
     from generated_parcel
     where u(g, 33) < 0.75`,
    `insert into clearance_analysis_parcel
     select g, 'assessed', false, false, declared_usd <= 150, declared_usd > 150,
       round(declared_usd * ${krwPerUnit('USD')}), round(declared_usd::numeric, 2),
       case when declared_usd > 150 then round(declared_usd * ${krwPerUnit('USD')} * 0.08) else 0 end,
       case when declared_usd > 150 then round(declared_usd * ${krwPerUnit('USD')} * 0.1) else 0 end,
       case when declared_usd > 150 then round(declared_usd * ${krwPerUnit('USD')} * 0.18) else 0 end
     from generated_parcel`,
    // Targeting: 85 % green; the rest selected by a rule, the model, a declaration check or at random.
    `insert into targeting_analysis_decision
     select g, case when u(g, 40) < 0.85 then 'green' when u(g, 44) < 0.3 then 'red' else 'yellow' end,
       false, round(power(u(g, 41), 3)::numeric, 4),
       case when u(g, 40) < 0.85 then 'none' when u(g, 40) < 0.91 then 'rule' when u(g, 40) < 0.95 then 'model'
         when u(g, 40) < 0.98 then 'check' else 'random' end,
       day(g), day(g), day(g) + interval '12 hours'
     from generate_series(1, ${parcels}) g`,
    `insert into targeting_analysis_rule_hit
     select g, 'bench-rule-' || (1 + floor(u(g * 4 + h, 42) * 20)::int), day(g), day(g)
     from generate_series(1, ${parcels}) g cross join lateral generate_series(1, 1 + (u(g, 43) < 0.5)::int) h
     where u(g, 40) >= 0.85 and u(g, 40) < 0.91`,
    `insert into targeting_analysis_rule
     select 'bench-rule-' || n, 'active', case when n % 3 = 1 then 'red' else 'yellow' end, n = 1, 100
     from generate_series(1, 20) n`,
    // Two thirds of the selected parcels inspected: irregular when a pattern was planted.
    `insert into clearance_analysis_inspection
     select g, case when planted(g, line_planted) then 'misdeclared_goods' else 'no_finding' end, planted(g, line_planted),
       case when planted(g, line_planted) then 1 else 0 end, day(g)
     from generated_parcel
     where u(g, 40) >= 0.85 and u(g, 45) < 0.67`,
    `insert into partners_analysis_safety_report
     select r, 'KATS', recall_name(r), recall_brand(r), recall_model(r), recall_hs6(r), 'recalled', 'RC-' || r
     from generate_series(1, ${demoRecalls.length}) r`,
  ];
}

/**
 * Creates the published tables in the connection's current schema and fills them with `parcels`
 * generated parcels; `log` hears each table's time.
 */
export async function generateAnalysisRows(
  pool: pg.Pool,
  parcels: number,
  log: (line: string) => void,
): Promise<GeneratedPeriod> {
  for (const [table, columns] of Object.entries(analysisTables))
    await pool.query(
      `create table ${table} (${columns.map(([name, type]) => `${name} ${type}`).join(', ')})`,
    );
  for (const statement of functions(parcels)) await pool.query(statement);
  for (const statement of inserts(parcels)) {
    const started = Date.now();
    await pool.query(statement);
    log(
      `generated ${statement.match(/(?:insert into|create unlogged table) (\w+)/)![1]} in ${((Date.now() - started) / 1000).toFixed(1)} s`,
    );
  }
  await pool.query('drop table generated_parcel');
  for (const view of derivedViews) await pool.query(view);
  return generatedPeriod(parcels);
}
