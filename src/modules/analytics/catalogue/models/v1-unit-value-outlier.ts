import { sql } from 'kysely';
import type { AnalyticalModel, EntityScore } from '../analytical-model.js';
import {
  column,
  commonParameters,
  labels,
  num,
  numberParameter,
  round,
  say,
  text,
} from './model-kit.js';
import { declaredLines, excludedHsFilter, excludedHsParameter } from './declared-lines.js';

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

const levelNames = { 6: 'HS6 × origin', 4: 'HS4 × origin', 2: 'HS2' } as const;

/**
 * Width of the bins of log unit value the engine counts lines in: medians and MADs are read from these
 * counts (interpolated within the bin) instead of sorting every line of every cell, which is what made
 * V1 the slowest model; 0.02 in log is 2 % in value, far inside any cut-off an officer sets.
 */
const BIN = 0.02;

/**
 * V1 ★ Unit-value outlier: the robust z of each line's log unit value (per item or per kg, in won) within
 * its HS6 × origin cell, falling back to HS4 × origin then HS2 when a cell has fewer than `min_n` lines.
 * Medians and MADs are computed by the engine from binned counts, so only the flagged lines come back.
 */
export const unitValueOutlier: AnalyticalModel = {
  id: 'V1',
  version: '2.0.0',
  group: 'valuation',
  firstTwelve: true,
  name: text('Unit-value outlier by HS6 × origin', 'HS6 × 원산지별 단가 이상치', 'Valeur unitaire aberrante par SH6 × origine'),
  question: text(
    "Is this line's declared unit price implausibly low (or high) for the goods and origin?",
    '이 품목의 신고 단가가 물품과 원산지에 비해 비정상적으로 낮은가(또는 높은가)?',
    "Le prix unitaire déclaré de cette ligne est-il invraisemblablement bas (ou haut) pour ces marchandises et cette origine ?",
  ),
  method: text(
    'The log unit value of every declared line (in won, per item or per kg) is compared with the median of its HS6 × origin cell as a robust z = (x − median) / (1.4826 · MAD), median and MAD read from counts in bins of 2 %. Cells with fewer than min n lines fall back to HS4 × origin, then HS2, and lines beyond the z cut-off are flagged with their peer median.',
    '신고 품목별 로그 단가(원화, 개당 또는 kg당)를 HS6 × 원산지 셀의 중앙값과 비교해 로버스트 z = (x − 중앙값) / (1.4826 · MAD)를 구하며, 중앙값과 MAD는 2% 구간별 건수에서 읽는다. 셀의 건수가 최소 n 미만이면 HS4 × 원산지, 다시 HS2로 대체하고, z 기준을 넘는 품목을 동종 중앙값과 함께 표시한다.',
    "La valeur unitaire logarithmique de chaque ligne (en wons, par article ou par kg) est comparée à la médiane de sa cellule SH6 × origine par un z robuste = (x − médiane) / (1,4826 · MAD), médiane et MAD lues dans des effectifs par tranches de 2 %. Les cellules de moins de n lignes se replient sur SH4 × origine puis SH2, et les lignes au-delà du seuil de z sont signalées avec la médiane de leurs pairs.",
  ),
  inputs: ['intake_analysis_parcel_line', 'intake_analysis_buyer_parcel', 'clearance_analysis_parcel'],
  parameters: [
    numberParameter('z_cutoff', text('z cut-off', 'z 기준값', 'Seuil de z'), -3, -10, 10),
    numberParameter('min_n', text('Minimum lines per cell', '셀별 최소 품목 수', 'Lignes minimum par cellule'), 30, 5, 10_000, 'integer'),
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
    const perKg = context.parameters.unit_basis === 'kg';
    const width = sql`cast(${BIN} as double precision)`;
    const lines = await context.query<OutlierLine>(sql`
      with logged as (
        select tracking_number, seller_key, line_number, description, hs6, hs_heading, hs_chapter, origin_country,
          unit_krw, ln(unit_krw) as lv
        from (
          select declared.*,
            ${perKg ? sql`value_krw / nullif(net_mass_kg, 0)` : sql`value_krw / nullif(quantity, 0)`} as unit_krw
          from (${declaredLines(context)}) declared
          where ${excludedHsFilter(context)}
        ) lines
        where unit_krw > 0
      ),
      finest as (
        select hs6, hs_heading, hs_chapter, origin_country, floor(lv / ${width}) as bin, count(*) as n
        from logged group by 1, 2, 3, 4, 5
      ),
      histogram as (
        select 6 as level, hs6 || '|' || coalesce(origin_country, '') as cell, bin, cast(sum(n) as double precision) as n
        from finest group by 2, 3
        union all
        select 4, hs_heading || '|' || coalesce(origin_country, ''), bin, cast(sum(n) as double precision)
        from finest group by 2, 3
        union all
        select 2, hs_chapter, bin, cast(sum(n) as double precision) from finest group by 2, 3
      ),
      cumulative as (
        select level, cell, bin, n, sum(n) over (partition by level, cell order by bin) as upto,
          sum(n) over (partition by level, cell) as total
        from histogram
      ),
      medians as (
        select level, cell, total, (bin + (total / 2 - (upto - n)) / n) * ${width} as med
        from cumulative where upto - n < total / 2 and upto >= total / 2
      ),
      deviations as (
        select h.level, h.cell, h.n, m.total, abs((h.bin + 0.5) * ${width} - m.med) as deviation,
          sum(h.n) over (partition by h.level, h.cell order by abs((h.bin + 0.5) * ${width} - m.med), h.bin) as upto
        from histogram h join medians m on m.level = h.level and m.cell = h.cell
      ),
      cells as (
        select d.level, d.cell, m.total as n, m.med, greatest(d.deviation, ${width} / 2) as mad
        from deviations d join medians m on m.level = d.level and m.cell = d.cell
        where d.upto - d.n < d.total / 2 and d.upto >= d.total / 2 and m.total >= ${num(context.parameters.min_n)}
      ),
      chosen as (
        select l.*, case when c6.n is not null then 6 when c4.n is not null then 4 else 2 end as level,
          coalesce(c6.n, c4.n, c2.n) as n, coalesce(c6.med, c4.med, c2.med) as med,
          coalesce(c6.mad, c4.mad, c2.mad) as mad
        from logged l
        left join cells c6 on c6.level = 6 and c6.cell = l.hs6 || '|' || coalesce(l.origin_country, '')
        left join cells c4 on c4.level = 4 and c4.cell = l.hs_heading || '|' || coalesce(l.origin_country, '')
        left join cells c2 on c2.level = 2 and c2.cell = l.hs_chapter
      )
      select tracking_number, seller_key, line_number, description, hs6, origin_country, unit_krw,
        exp(med) as peer_median_krw, n as peer_n, level, (lv - med) / (1.4826 * mad) as z
      from chosen
      where med is not null
        and ${cutoff < 0 ? sql`(lv - med) / (1.4826 * mad) <= ${cutoff}` : sql`(lv - med) / (1.4826 * mad) >= ${cutoff}`}
      order by z ${cutoff < 0 ? sql`asc` : sql`desc`}, tracking_number, line_number
    `);
    context.progress(0.8);
    const flagged = lines.map((line) => ({
      ...line,
      z: round(num(line.z), 2),
      unit: Math.round(num(line.unit_krw)),
      peerMedian: Math.round(num(line.peer_median_krw)),
      level: num(line.level) as keyof typeof levelNames,
    }));
    const parcelScores = new Map<string, EntityScore>();
    for (const line of flagged) {
      if (parcelScores.has(line.tracking_number)) continue;
      parcelScores.set(line.tracking_number, {
        kind: 'parcel',
        key: line.tracking_number,
        score: Math.abs(line.z),
        evidence: [
          say(
            text(
              'Line {line} "{description}" (HS {hs6}): KRW {unit} a unit against a median of KRW {median} among {n} lines of {cell}, z = {z}',
              '품목 {line} "{description}" (HS {hs6}): 단가 {unit}원, {cell} {n}건의 중앙값 {median}원 대비 z = {z}',
              'Ligne {line} « {description} » (SH {hs6}) : {unit} KRW l’unité contre une médiane de {median} KRW sur {n} lignes de {cell}, z = {z}',
            ),
            {
              line: num(line.line_number),
              description: line.description,
              hs6: line.hs6,
              unit: line.unit,
              median: line.peerMedian,
              n: num(line.peer_n),
              cell: levelNames[line.level],
              z: line.z,
            },
          ),
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
