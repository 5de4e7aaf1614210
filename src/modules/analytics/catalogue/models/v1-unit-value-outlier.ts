import { sql, type RawBuilder } from 'kysely';
import type { AnalyticalModel, EntityScore } from '../analytical-model.js';
import {
  column,
  inPeriod,
  commonParameters,
  labels,
  num,
  numberParameter,
  round,
  say,
  text,
} from './model-kit.js';
import { LINE_FACT, excludedHsFilter, excludedHsParameter } from './declared-lines.js';

interface OutlierLine {
  tracking_number: string;
  seller_key: string | null;
  line_number: unknown;
  description: string;
  hs6: string;
  origin_country: string | null;
  unit_krw: unknown;
  peer_median_krw: unknown;
  peer_n: unknown;
  level: unknown;
  z: unknown;
}

/**
 * The evidence for a flagged line, by the cell it was compared with: the same HS6 from the same origin
 * (level 1), or the same HS6 from every origin when that cell is too small (level 2).
 */
const evidence = {
  1: text(
    'Line {line} "{description}" (HS {hs6}): KRW {unit} a unit, {share} % of the median of KRW {median} among {n} lines of the same HS6 and origin, z = {z}',
    '품목 {line} "{description}" (HS {hs6}): 단가 {unit}원, 같은 HS6·원산지 {n}건의 중앙값 {median}원의 {share}%, z = {z}',
    'Ligne {line} « {description} » (SH {hs6}) : {unit} KRW l’unité, {share} % de la médiane de {median} KRW sur {n} lignes de même SH6 et même origine, z = {z}',
  ),
  2: text(
    'Line {line} "{description}" (HS {hs6}): KRW {unit} a unit, {share} % of the median of KRW {median} among {n} lines of the same HS6 from every origin, z = {z}',
    '품목 {line} "{description}" (HS {hs6}): 단가 {unit}원, 모든 원산지의 같은 HS6 {n}건의 중앙값 {median}원의 {share}%, z = {z}',
    'Ligne {line} « {description} » (SH {hs6}) : {unit} KRW l’unité, {share} % de la médiane de {median} KRW sur {n} lignes de même SH6, toutes origines, z = {z}',
  ),
} as const;

/**
 * Width of the bins of log unit value the engine counts lines in: quartiles are read from these
 * counts (interpolated within the bin) instead of sorting every line of every cell; 0.02 in log is 2 %
 * in value, far inside any cut-off an officer sets.
 */
const BIN = 0.02;

/**
 * V1 ★ Unit-value outlier: the robust z of each line's log unit value (per item or per kg, in won) within
 * the declarations of comparable goods, its HS6 × origin cell, or its HS6 over every origin when that cell
 * has fewer than `min_n` lines. Goods of another heading are not comparable, so a line without a big
 * enough HS6 cell is not judged. The engine counts lines in bins of log unit value, reads each cell's
 * quartiles from those counts (one window pass; a MAD needed a second pass over the bins and a join),
 * compares each line with its cell (only the lines in the bins at or beyond its cut-off, picked as they are
 * read, reach the join), and returns only the flagged lines. It reads the per-line fact
 * rows (migration 0270) alone, each line's log unit value already computed: joining 15 million lines
 * to their parcels and assessments at run time, and fetching the flagged lines' descriptions and
 * tracking numbers back, was most of its time at a year and a half of history.
 */
export const unitValueOutlier: AnalyticalModel = {
  id: 'V1',
  version: '3.1.0',
  group: 'valuation',
  firstTwelve: true,
  name: text('Unit-value outlier by HS6 × origin', 'HS6 × 원산지별 단가 이상치', 'Valeur unitaire aberrante par SH6 × origine'),
  question: text(
    "Is this line's declared unit price implausibly low (or high) for the goods and origin?",
    '이 품목의 신고 단가가 물품과 원산지에 비해 비정상적으로 낮은가(또는 높은가)?',
    "Le prix unitaire déclaré de cette ligne est-il invraisemblablement bas (ou haut) pour ces marchandises et cette origine ?",
  ),
  method: text(
    'The log unit value of every declared line (in won, per item or per kg) is compared with the median of comparable goods as a robust z = (x − median) / (IQR / 1.349), the quartiles read from counts in bins of 2 %. Comparable goods are the lines of the same HS6 and origin, or of the same HS6 from every origin when those are fewer than min n; lines beyond the z cut-off are flagged with their peer median.',
    '신고 품목별 로그 단가(원화, 개당 또는 kg당)를 동종 물품의 중앙값과 비교해 로버스트 z = (x − 중앙값) / (IQR / 1.349)를 구하며, 사분위수는 2% 구간별 건수에서 읽는다. 동종 물품은 같은 HS6·원산지의 품목이며, 그 수가 최소 n 미만이면 모든 원산지의 같은 HS6 품목이다. z 기준을 넘는 품목을 동종 중앙값과 함께 표시한다.',
    "La valeur unitaire logarithmique de chaque ligne (en wons, par article ou par kg) est comparée à la médiane des marchandises comparables par un z robuste = (x − médiane) / (écart interquartile / 1,349), les quartiles lus dans des effectifs par tranches de 2 %. Les marchandises comparables sont les lignes de même SH6 et même origine, ou de même SH6 de toutes origines quand elles sont moins de n ; les lignes au-delà du seuil de z sont signalées avec la médiane de leurs pairs.",
  ),
  inputs: [LINE_FACT],
  parameters: [
    numberParameter('z_cutoff', text('z cut-off', 'z 기준값', 'Seuil de z'), -3, -10, 10),
    numberParameter('min_n', text('Minimum lines per cell', '셀별 최소 품목 수', 'Lignes minimum par cellule'), 30, 3, 10_000, 'integer'),
    {
      name: 'unit_basis',
      label: text('Unit basis', '단가 기준', 'Base unitaire'),
      type: 'choice',
      default: 'item',
      choices: ['item', 'kg'],
    },
    excludedHsParameter,
    commonParameters.limit(),
  ],
  async run(context) {
    const cutoff = num(context.parameters.z_cutoff);
    const minN = num(context.parameters.min_n);
    const perKg = context.parameters.unit_basis === 'kg';
    const width = sql`cast(${BIN} as double precision)`;
    // Null where the line's values give no unit value on this basis: such a line is not judged.
    const logValue = sql.ref(perKg ? 'kg_krw_log' : 'unit_krw_log');
    // Each line is judged against its peers, without itself: in a cell of a few lines, an outlier that
    // counted among its own peers would widen their spread and hide itself. A low outlier lies below
    // the quartiles it is compared with, so the peers' quartile at rank q · (peers) is the cell's at rank
    // q · (total − 1) + 1 (a high outlier, above them: q · (total − 1)); read from the cell's own counts.
    const shift = cutoff < 0 ? 1 : 0;
    const quartile = (q: number) => {
      const rank = sql`((total - 1) * ${q} + ${shift})`;
      return sql`max(case when upto - n < ${rank} and upto >= ${rank} then bin + (${rank} - (upto - n)) / n end)`;
    };
    // One order for the candidate bins' arrays: bytewise, each bin once.
    const binOrder = sql`f.hs6 collate "C", f.origin collate "C", f.bin`;
    /** Whether a value lies beyond the cut-off from its cell (low outliers below it, high ones above). */
    const beyond = (value: RawBuilder<unknown>, threshold: RawBuilder<unknown>) =>
      cutoff < 0 ? sql`${value} <= ${threshold}` : sql`${value} >= ${threshold}`;
    const lines = await context.query<OutlierLine>(sql`
      with logged as not materialized (
        select tracking_number, seller_key, line_number, description, hs6, origin_country,
          coalesce(origin_country, '') as origin, ${logValue} as lv
        from ${sql.table(LINE_FACT)}
        where ${inPeriod('arrival_date', context)} and ${logValue} is not null and ${excludedHsFilter(context)}
      ),
      finest as (
        select hs6, origin, floor(lv / ${width}) as bin, cast(count(*) as double precision) as n
        from logged group by 1, 2, 3
      ),
      histogram as (
        select 1 as level, hs6, origin, bin, n from finest
        union all
        select 2, hs6, '', bin, sum(n) from finest group by 2, 3, 4
      ),
      cumulative as (
        select level, hs6, origin, bin, n,
          sum(n) over cell_bins as upto, sum(n) over cell as total
        from histogram
        -- Bytewise: the cells are told apart by equality only, which any deterministic collation agrees on.
        window cell as (partition by level, hs6 collate "C", origin collate "C"),
          cell_bins as (partition by level, hs6 collate "C", origin collate "C" order by bin)
      ),
      quartiles as (
        select level, hs6, origin, total - 1 as peers,
          ${quartile(0.25)} as q1, ${quartile(0.5)} as q2, ${quartile(0.75)} as q3
        from cumulative where total > ${minN} group by level, hs6, origin, total
      ),
      cells as (
        select level, hs6, origin, peers as n, q2 * ${width} as med,
          greatest((q3 - q1) * ${width} / 1.349, ${width}) as spread
        from quartiles
      ),
      -- The cell each HS6 and origin is compared with: its own, or its HS6's over every origin; one without
      -- either is not judged.
      compared as (
        select p.hs6, p.origin, case when own.n is null then 2 else 1 end as level,
          coalesce(own.n, every.n) as n, coalesce(own.med, every.med) as med,
          coalesce(own.spread, every.spread) as spread
        from (select distinct hs6, origin from finest) p
        left join cells own on own.level = 1 and own.hs6 = p.hs6 and own.origin = p.origin
        left join cells every on every.level = 2 and every.hs6 = p.hs6
        where coalesce(own.n, every.n) is not null
      ),
      -- The bins that may hold a line beyond the cut-off: floor(x / width) never decreases as x grows, so
      -- such a line lies in its threshold's bin or beyond it. A few per cent of the lines lie there. Held
      -- as arrays in one row (in one order, so that the nth elements make one bin), unnested where read.
      candidate as (
        select array_agg(f.hs6 order by ${binOrder}) as hs6s, array_agg(f.origin order by ${binOrder}) as origins,
          array_agg(f.bin order by ${binOrder}) as bins
        from finest f join compared c on c.hs6 = f.hs6 and c.origin = f.origin
        where ${beyond(sql`f.bin`, sql`floor((c.med + ${cutoff} * c.spread) / ${width})`)}
      )
      select l.tracking_number, l.seller_key, l.line_number, l.description, l.hs6, l.origin_country,
        exp(l.lv) as unit_krw, exp(c.med) as peer_median_krw, c.n as peer_n, c.level,
        (l.lv - c.med) / c.spread as z
      -- The lines are kept to the candidate bins as they are read, by a set of bins held in memory; only
      -- those few lines are then joined to their cells. Out of coalesce() PostgreSQL would plan a join,
      -- and with no statistics on the bins it hashes the 15 million lines instead and spills them to disk;
      -- unnested from arrays, the set is one it reckons small enough to hash (from a CTE it may reckon
      -- it too big, and read it again for every line).
      from logged l
      join compared c on c.hs6 = l.hs6 and c.origin = l.origin
      where coalesce((l.hs6, l.origin, floor(l.lv / ${width})) in (
          select unnest(hs6s), unnest(origins), unnest(bins) from candidate), false)
        and ${beyond(sql`l.lv`, sql`c.med + ${cutoff} * c.spread`)}
      order by z ${cutoff < 0 ? sql`asc` : sql`desc`}, l.tracking_number, l.line_number
    `);
    context.progress(0.8);
    const flagged = lines.map((line) => ({
      ...line,
      z: round(num(line.z), 2),
      unit: Math.round(num(line.unit_krw)),
      peerMedian: Math.round(num(line.peer_median_krw)),
      level: num(line.level) as keyof typeof evidence,
    }));
    const parcelScores = new Map<string, EntityScore>();
    for (const line of flagged) {
      if (parcelScores.has(line.tracking_number)) continue;
      parcelScores.set(line.tracking_number, {
        kind: 'parcel',
        key: line.tracking_number,
        score: Math.abs(line.z),
        evidence: [
          say(evidence[line.level], {
            line: num(line.line_number),
            description: line.description,
            hs6: line.hs6,
            unit: line.unit,
            share: Math.round((100 * num(line.unit_krw)) / num(line.peer_median_krw)),
            median: line.peerMedian,
            n: num(line.peer_n),
            z: line.z,
          }),
        ],
      });
    }
    const shown = flagged.slice(0, num(context.parameters.limit));
    return {
      columns: [
        column('tracking_number', 'entity'),
        column('seller_key', 'entity'),
        column('description', 'text'),
        column('hs6', 'text'),
        column('origin_country', 'text'),
        column('unit_krw', 'money_krw', text('Unit value (KRW)', '단가(원)', 'Valeur unitaire (KRW)')),
        column('peer_median_krw', 'money_krw'),
        column('peer_n', 'number'),
        column('z', 'number'),
      ],
      rows: shown.map((line) => ({
        tracking_number: line.tracking_number,
        seller_key: line.seller_key,
        description: line.description,
        hs6: line.hs6,
        origin_country: line.origin_country,
        unit_krw: line.unit,
        peer_median_krw: line.peerMedian,
        peer_n: num(line.peer_n),
        z: line.z,
      })),
      entities: [...parcelScores.values()],
      chart: {
        kind: 'scatter',
        title: text('Flagged lines: unit value against peer median', '표시 품목: 단가 대 동종 중앙값', 'Lignes signalées : valeur unitaire contre médiane des pairs'),
        x: { key: 'peer_median_krw', label: labels.peer_median_krw },
        y: { key: 'unit_krw', label: text('Unit value (KRW)', '단가(원)', 'Valeur unitaire (KRW)') },
        points: shown.map((line) => ({ x: line.peerMedian, y: line.unit, series: line.hs6.slice(0, 2) })),
      },
      summary: say(
        text('{flagged} lines beyond z = {cutoff}', 'z = {cutoff} 초과 품목 {flagged}건', '{flagged} lignes au-delà de z = {cutoff}'),
        { flagged: flagged.length, cutoff },
      ),
    };
  },
};
