import { sql } from 'kysely';
import type { AnalyticalModel, EntityScore } from '../analytical-model.js';
import { declaredLines } from './declared-lines.js';
import { column, commonParameters, labels, num, numberParameter, round, say, text } from './model-kit.js';

interface PaidUnit {
  hs6: string;
  unit_paid_krw: unknown;
}

interface DeclaredUnit {
  tracking_number: string;
  seller_key: string | null;
  hs6: string;
  description: string;
  quantity: unknown;
  value_krw: unknown;
}

interface Reference {
  hs6: string;
  n: number;
  reference: number;
  median: number;
}

const evidence = text(
  'Declared KRW {unit} a unit for HS {hs6}, under {floor} of the reference KRW {reference} (P{quantile} of {n} paid prices)',
  'HS {hs6} 단위당 {unit}원 신고: 기준가격 {reference}원(결제가격 {n}건의 P{quantile})의 {floor} 미만',
  'Déclaré {unit} KRW l’unité pour le SH {hs6}, sous {floor} de la référence {reference} KRW (P{quantile} de {n} prix payés)',
);

/** The q-quantile of sorted values (linear interpolation). */
function quantile(sorted: readonly number[], q: number): number {
  const position = (sorted.length - 1) * q;
  const below = Math.floor(position);
  const above = Math.min(sorted.length - 1, below + 1);
  return sorted[below]! + (sorted[above]! - sorted[below]!) * (position - below);
}

/**
 * V2 Fair-price band: a reference unit price per HS6 from what buyers actually paid (marketplace orders
 * of single-line parcels), trimmed and taken at a low quantile, and the declared lines that fall under an
 * officer-set share of it. The reference comes from paid prices rather than declared ones, so that a
 * market where everyone under-declares does not lower its own floor.
 */
export const fairPriceBand: AnalyticalModel = {
  id: 'V2',
  version: '1.0.0',
  group: 'valuation',
  firstTwelve: false,
  name: text('Fair-price band', '적정가격 범위', 'Fourchette de prix de référence'),
  question: text(
    'What is a defensible reference value for this product, and which declarations fall below it?',
    '이 물품의 타당한 기준가격은 얼마이며, 어떤 신고가 그 아래에 있는가?',
    'Quelle valeur de référence défendable pour ce produit, et quelles déclarations passent en dessous ?',
  ),
  method: text(
    'Paid unit prices (order payment / units) of single-line parcels are gathered per HS6, the extreme trim share is cut from each end, and the chosen quantile is the reference. Declared lines whose unit value is under the floor share of their HS6 reference are listed with the value at stake.',
    '단일 품목 화물의 결제 단가(결제금액/수량)를 HS6별로 모아 양 끝의 절삭 비율을 잘라내고, 선택한 분위수를 기준가격으로 삼는다. 신고 단가가 HS6 기준가격의 하한 비율 미만인 품목을 차액과 함께 표시한다.',
    'Les prix unitaires payés (paiement de la commande / unités) des colis à une ligne sont réunis par SH6, la part de coupe est retirée à chaque extrémité et le quantile choisi sert de référence. Les lignes déclarées dont la valeur unitaire est sous la part plancher de la référence de leur SH6 sont listées avec la valeur en jeu.',
  ),
  inputs: [
    'intake_analysis_parcel_line',
    'intake_analysis_buyer_parcel',
    'intake_analysis_order_payment',
    'clearance_analysis_parcel',
  ],
  parameters: [
    numberParameter('trim', text('Trim share at each end', '양 끝 절삭 비율', 'Part coupée à chaque extrémité'), 0.1, 0, 0.4),
    numberParameter('quantile', text('Reference quantile', '기준 분위수', 'Quantile de référence'), 0.25, 0.05, 0.5),
    numberParameter('floor', text('Floor (share of the reference)', '하한(기준가격 대비 비율)', 'Plancher (part de la référence)'), 0.5, 0.05, 1),
    numberParameter('min_n', text('Minimum paid prices per HS6', 'HS6별 최소 결제가격 수', 'Prix payés minimum par SH6'), 5, 2, 10_000, 'integer'),
    commonParameters.limit(),
  ],
  async run(context) {
    const trim = num(context.parameters.trim);
    const q = num(context.parameters.quantile);
    const floor = num(context.parameters.floor);
    const minN = num(context.parameters.min_n);
    const paid = await context.query<PaidUnit>(sql`
      with lines as (${declaredLines(context)}),
      single as (
        select tracking_number, min(hs6) as hs6, sum(quantity) as quantity
        from lines group by tracking_number having count(*) = 1
      )
      select s.hs6, o.paid_krw / s.quantity as unit_paid_krw
      from single s join intake_analysis_order_payment o on o.tracking_number = s.tracking_number
      where o.paid_krw > 0 and s.quantity > 0
    `);
    context.progress(0.4);
    const byHs6 = new Map<string, number[]>();
    for (const row of paid) byHs6.set(row.hs6, [...(byHs6.get(row.hs6) ?? []), num(row.unit_paid_krw)]);
    const references = new Map<string, Reference>();
    for (const [hs6, values] of byHs6) {
      if (values.length < minN) continue;
      const sorted = [...values].sort((a, b) => a - b);
      const cut = Math.floor(sorted.length * trim);
      const kept = sorted.slice(cut, sorted.length - cut);
      references.set(hs6, { hs6, n: values.length, reference: quantile(kept, q), median: quantile(kept, 0.5) });
    }

    const declared = await context.query<DeclaredUnit>(sql`
      select tracking_number, seller_key, hs6, description, quantity, value_krw
      from (${declaredLines(context)}) lines where quantity > 0
    `);
    context.progress(0.8);
    const below = declared
      .map((row) => {
        const reference = references.get(row.hs6);
        const unit = num(row.value_krw) / num(row.quantity);
        return { row, reference, unit };
      })
      .filter((entry) => entry.reference !== undefined && entry.unit < floor * entry.reference.reference)
      .map((entry) => ({
        ...entry,
        reference: entry.reference!,
        gap: (entry.reference!.reference - entry.unit) * num(entry.row.quantity),
      }))
      .sort((a, b) => b.gap - a.gap);

    const parcels = new Map<string, EntityScore>();
    for (const entry of below) {
      const score = round(1 - entry.unit / entry.reference.reference, 3);
      const existing = parcels.get(entry.row.tracking_number);
      const sentence = say(evidence, {
        unit: Math.round(entry.unit),
        hs6: entry.row.hs6,
        floor,
        reference: Math.round(entry.reference.reference),
        quantile: Math.round(q * 100),
        n: entry.reference.n,
      });
      if (existing) {
        existing.score = Math.max(existing.score, score);
        existing.evidence.push(sentence);
      } else
        parcels.set(entry.row.tracking_number, {
          kind: 'parcel',
          key: entry.row.tracking_number,
          score,
          evidence: [sentence],
        });
    }
    const referenceRows = [...references.values()].sort((a, b) => b.n - a.n);
    return {
      columns: [
        column('tracking_number', 'entity'),
        column('seller_key', 'entity'),
        column('hs6', 'text'),
        column('description', 'text'),
        column('unit_krw', 'money_krw', text('Declared unit (KRW)', '신고 단가(원)', 'Unité déclarée (KRW)')),
        column('reference_krw', 'money_krw', text('Reference (KRW)', '기준가격(원)', 'Référence (KRW)')),
        column('peer_n', 'number'),
        column('gap_krw', 'money_krw'),
      ],
      rows: below.slice(0, num(context.parameters.limit)).map((entry) => ({
        tracking_number: entry.row.tracking_number,
        seller_key: entry.row.seller_key,
        hs6: entry.row.hs6,
        description: entry.row.description,
        unit_krw: Math.round(entry.unit),
        reference_krw: Math.round(entry.reference.reference),
        peer_n: entry.reference.n,
        gap_krw: Math.round(entry.gap),
      })),
      entities: [...parcels.values()].sort((a, b) => b.score - a.score),
      chart: {
        kind: 'bar',
        title: text('Reference unit price per HS6', 'HS6별 기준 단가', 'Prix unitaire de référence par SH6'),
        x: { key: 'hs6', label: labels.hs6 },
        y: { key: 'reference_krw', label: text('Reference (KRW)', '기준가격(원)', 'Référence (KRW)') },
        points: referenceRows.slice(0, 20).flatMap((row) => [
          { x: row.hs6, y: Math.round(row.reference), series: `P${Math.round(q * 100)}` },
          { x: row.hs6, y: Math.round(row.median), series: 'P50' },
        ]),
      },
      summary: say(
        text(
          '{references} HS6 references from {paid} paid prices; {below} declared lines under {floor} of theirs',
          '결제가격 {paid}건으로 HS6 기준가격 {references}개 산출; 신고 품목 {below}건이 기준의 {floor} 미만',
          '{references} références SH6 tirées de {paid} prix payés ; {below} lignes déclarées sous {floor} de la leur',
        ),
        { references: references.size, paid: paid.length, below: below.length, floor },
      ),
    };
  },
};
