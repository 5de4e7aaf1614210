import { sql } from 'kysely';
import type { AnalyticalModel } from '../analytical-model.js';
import { column, commonParameters, inPeriod, labels, num, numberParameter, rankingResult, text } from './model-kit.js';

interface ProductUse {
  seller_key: string;
  product: string;
  hs6: string;
  first_day: string;
  last_day: string;
  parcels: unknown;
}

interface Switch {
  key: string;
  seller_key: string;
  product: string;
  before: string;
  after: string;
  beforeParcels: number;
  afterParcels: number;
  switchedOn: string;
  /** 1 when the old code stopped before the new one began, 0.5 when they overlap. */
  cleanness: number;
}

/**
 * C3 Tariff shift: the same seller declaring the same product (its description, normalised) under a new
 * HS code from some day on. A clean switch (the old code stops when the new one starts) scores higher
 * than a mix of both, which is more often clerical noise than a decision.
 */
export const tariffShift: AnalyticalModel = {
  id: 'C3',
  version: '1.0.0',
  group: 'classification',
  firstTwelve: false,
  name: text('Tariff shift (code switching)', '세번 변경(코드 전환)', 'Glissement tarifaire (changement de code)'),
  question: text(
    'Has a seller moved the same product to another HS code?',
    '판매자가 같은 물품을 다른 HS 코드로 옮겼는가?',
    'Un vendeur a-t-il déplacé le même produit vers un autre code SH ?',
  ),
  method: text(
    'Declared lines are grouped by seller and normalised description (lower case, spaces and punctuation removed), and for each group the HS6 codes used are listed with their first and last day. A product whose earliest code is not its latest, with at least the minimum parcels under the new one, is a switch, scored 1 when the old code stopped before the new one began and 0.5 when both were used side by side.',
    '신고 품목을 판매자와 정규화한 품명(소문자, 공백·구두점 제거)으로 묶고, 묶음마다 사용된 HS6 코드와 처음·마지막 사용일을 나열한다. 가장 이른 코드와 가장 늦은 코드가 다르고 새 코드 화물이 최소 건수 이상이면 전환으로 보며, 옛 코드가 새 코드 이전에 멈췄으면 1점, 함께 쓰였으면 0.5점을 준다.',
    'Les lignes déclarées sont groupées par vendeur et désignation normalisée (minuscules, espaces et ponctuation retirés), et pour chaque groupe les codes SH6 employés sont listés avec leurs premier et dernier jours. Un produit dont le premier code n’est pas le dernier, avec au moins le minimum de colis sous le nouveau, est un changement, noté 1 quand l’ancien code s’est arrêté avant le début du nouveau et 0,5 quand les deux ont servi côte à côte.',
  ),
  inputs: ['intake_analysis_parcel_line', 'intake_analysis_buyer_parcel'],
  parameters: [
    commonParameters.minParcels(3),
    numberParameter(
      'min_after',
      text('Parcels under the new code at least', '새 코드 최소 화물 수', 'Colis sous le nouveau code au moins'),
      2,
      1,
      1000,
      'integer',
    ),
    commonParameters.minScore(0.5, 1),
    commonParameters.limit(),
  ],
  async run(context) {
    const uses = await context.query<ProductUse>(sql`
      select b.seller_key, lower(regexp_replace(l.description, '[[:space:][:punct:]]', '', 'g')) as product, l.hs6,
        cast(min(b.arrival_date) as text) as first_day, cast(max(b.arrival_date) as text) as last_day,
        count(distinct b.tracking_number) as parcels
      from intake_analysis_parcel_line l
      join intake_analysis_buyer_parcel b on b.parcel_id = l.parcel_id
      where ${inPeriod('b.arrival_date', context)} and b.seller_key is not null and l.hs6 is not null
        and l.description is not null
      group by 1, 2, 3
    `);
    context.progress(0.7);
    const byProduct = new Map<string, ProductUse[]>();
    for (const use of uses) {
      const key = `${use.seller_key}\u0000${use.product}`;
      byProduct.set(key, [...(byProduct.get(key) ?? []), use]);
    }
    const switches: Switch[] = [];
    for (const [key, codes] of byProduct) {
      if (codes.length < 2) continue;
      const total = codes.reduce((sum, code) => sum + num(code.parcels), 0);
      if (total < num(context.parameters.min_parcels)) continue;
      const first = [...codes].sort((a, b) => a.first_day.localeCompare(b.first_day))[0]!;
      const last = [...codes].sort((a, b) => b.last_day.localeCompare(a.last_day))[0]!;
      // A one-off line under another code is more often a clerical slip than a decision to switch.
      if (first.hs6 === last.hs6 || num(last.parcels) < num(context.parameters.min_after)) continue;
      switches.push({
        key,
        seller_key: first.seller_key,
        product: first.product,
        before: first.hs6,
        after: last.hs6,
        beforeParcels: num(first.parcels),
        afterParcels: num(last.parcels),
        switchedOn: last.first_day,
        cleanness: first.last_day < last.first_day ? 1 : 0.5,
      });
    }
    const result = rankingResult({
      rows: switches,
      kind: 'seller',
      key: (row) => row.seller_key,
      score: (row) => row.cleanness,
      minScore: num(context.parameters.min_score),
      limit: num(context.parameters.limit),
      evidence: text(
        '"{product}": HS {before} in {beforeParcels} parcel(s), then HS {after} from {switchedOn} in {afterParcels}',
        '"{product}": HS {before} 화물 {beforeParcels}건, {switchedOn}부터 HS {after} 화물 {afterParcels}건',
        '« {product} » : SH {before} en {beforeParcels} colis, puis SH {after} dès le {switchedOn} en {afterParcels}',
      ),
      columns: [
        column('seller_key', 'entity'),
        column('product', 'text', text('Product (normalised)', '물품(정규화)', 'Produit (normalisé)')),
        column('before', 'text', text('HS before', '이전 HS', 'SH avant')),
        column('after', 'text', text('HS after', '이후 HS', 'SH après')),
        column('switched_on', 'date', text('Switched on', '전환일', 'Changé le')),
      ],
      cells: (row) => ({
        seller_key: row.seller_key,
        product: row.product,
        before: row.before,
        after: row.after,
        beforeParcels: row.beforeParcels,
        afterParcels: row.afterParcels,
        switchedOn: row.switchedOn,
        switched_on: row.switchedOn,
      }),
      chartTitle: text('Code switches by seller', '판매자별 코드 전환', 'Changements de code par vendeur'),
      entityLabel: labels.seller_key,
    });
    // One seller may switch several products: keep one entity per seller, with every switch as evidence.
    const merged = new Map<string, (typeof result.entities)[number]>();
    for (const entity of result.entities) {
      const existing = merged.get(entity.key);
      if (existing) existing.evidence.push(...entity.evidence);
      else merged.set(entity.key, { ...entity, evidence: [...entity.evidence] });
    }
    result.entities = [...merged.values()];
    return result;
  },
};
