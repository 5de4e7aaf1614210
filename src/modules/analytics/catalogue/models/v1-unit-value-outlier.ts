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
 * V1 ★ Unit-value outlier: the robust z of each line's log unit value (per item or per kg, in won) within
 * its HS6 × origin cell, falling back to HS4 × origin then HS2 when a cell has fewer than `min_n` lines.
 * Medians and MADs are computed by the engine, so only the flagged lines come back.
 */
export const unitValueOutlier: AnalyticalModel = {
  id: 'V1',
  version: '1.0.0',
  group: 'valuation',
  firstTwelve: true,
  name: text('Unit-value outlier by HS6 × origin', 'HS6 × 원산지별 단가 이상치', 'Valeur unitaire aberrante par SH6 × origine'),
  question: text(
    "Is this line's declared unit price implausibly low (or high) for the goods and origin?",
    '이 품목의 신고 단가가 물품과 원산지에 비해 비정상적으로 낮은가(또는 높은가)?',
    "Le prix unitaire déclaré de cette ligne est-il invraisemblablement bas (ou haut) pour ces marchandises et cette origine ?",
  ),
  method: text(
    'The log unit value of every declared line (in won, per item or per kg) is compared with the median of its HS6 × origin cell as a robust z = (x − median) / (1.4826 · MAD). Cells with fewer than min n lines fall back to HS4 × origin, then HS2, and lines beyond the z cut-off are flagged with their peer median.',
    '신고 품목별 로그 단가(원화, 개당 또는 kg당)를 HS6 × 원산지 셀의 중앙값과 비교해 로버스트 z = (x − 중앙값) / (1.4826 · MAD)를 구한다. 셀의 건수가 최소 n 미만이면 HS4 × 원산지, 다시 HS2로 대체하고, z 기준을 넘는 품목을 동종 중앙값과 함께 표시한다.',
    "La valeur unitaire logarithmique de chaque ligne (en wons, par article ou par kg) est comparée à la médiane de sa cellule SH6 × origine par un z robuste = (x − médiane) / (1,4826 · MAD). Les cellules de moins de n lignes se replient sur SH4 × origine puis SH2, et les lignes au-delà du seuil de z sont signalées avec la médiane de leurs pairs.",
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
    const lines = await context.query<OutlierLine>(sql`
      with lines as (
        select tracking_number, seller_key, line_number, description, hs6, hs_heading, hs_chapter, origin_country,
          ${perKg ? sql`value_krw / nullif(net_mass_kg, 0)` : sql`value_krw / nullif(quantity, 0)`} as unit_krw
        from (${declaredLines(context)}) declared
        where ${excludedHsFilter(context)}
      ),
      logged as (
        select lines.*, ln(unit_krw) as lv from lines where unit_krw > 0
      ),
      keyed as (
        select logged.*, 6 as level, hs6 || '|' || coalesce(origin_country, '') as cell from logged
        union all
        select logged.*, 4 as level, hs_heading || '|' || coalesce(origin_country, '') as cell from logged
        union all
        select logged.*, 2 as level, hs_chapter as cell from logged
      ),
      medians as (
        select level, cell, count(*) as n, percentile_cont(0.5) within group (order by lv) as med
        from keyed group by level, cell
      ),
      mads as (
        select k.level, k.cell, percentile_cont(0.5) within group (order by abs(k.lv - m.med)) as mad
        from keyed k join medians m on m.level = k.level and m.cell = k.cell
        group by k.level, k.cell
      ),
      chosen as (
        select k.*, m.n, m.med, d.mad,
          row_number() over (partition by k.tracking_number, k.line_number order by k.level desc) as pick
        from keyed k
        join medians m on m.level = k.level and m.cell = k.cell
        join mads d on d.level = k.level and d.cell = k.cell
        where m.n >= ${num(context.parameters.min_n)} and d.mad > 0
      )
      select tracking_number, seller_key, line_number, description, hs6, origin_country, unit_krw,
        exp(med) as peer_median_krw, n as peer_n, level, (lv - med) / (1.4826 * mad) as z
      from chosen
      where pick = 1 and ${cutoff < 0 ? sql`(lv - med) / (1.4826 * mad) <= ${cutoff}` : sql`(lv - med) / (1.4826 * mad) >= ${cutoff}`}
      order by z ${cutoff < 0 ? sql`asc` : sql`desc`}
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
