import { sql } from 'kysely';
import type { AnalyticalModel, EntityScore } from '../analytical-model.js';
import { column, commonParameters, inPeriod, labels, num, numberParameter, round, say, text } from './model-kit.js';

interface OriginLine {
  tracking_number: string;
  seller_key: string | null;
  departure: string;
  origin: string;
  hs_chapter: string | null;
}

const parcelEvidence = text(
  'Declared origin {origin} on goods sent from {departure} (HS chapter {chapter}): {percent}% of such lines in the period',
  '{departure}에서 발송된 물품(HS {chapter}류)에 원산지 {origin} 신고: 기간 중 같은 경우 {percent}%',
  'Origine déclarée {origin} pour des marchandises expédiées de {departure} (chapitre SH {chapter}) : {percent} % de ces lignes sur la période',
);
const sellerEvidence = text(
  '{flagged} of {parcels} parcels declare an origin unlikely for where they leave from',
  '화물 {parcels}건 중 {flagged}건이 발송지에 비추어 드문 원산지를 신고',
  '{flagged} colis sur {parcels} déclarent une origine improbable pour leur lieu de départ',
);

/**
 * O1 Origin–route–party consistency: how likely is the declared origin of a line given the country the
 * parcel leaves from and its HS chapter, learned from the period itself (with add-one smoothing, and the
 * departure country alone where the chapter has too few lines). Unlikely claims are flagged per parcel,
 * and sellers are ranked by their share of such parcels.
 */
export const originConsistency: AnalyticalModel = {
  id: 'O1',
  version: '1.0.0',
  group: 'origin',
  firstTwelve: false,
  name: text('Origin–route–party consistency', '원산지·경로·당사자 일관성', 'Cohérence origine–trajet–parties'),
  question: text(
    'Is the declared origin consistent with the country the goods leave from and the seller?',
    '신고한 원산지가 발송 국가와 판매자에 비추어 일관된가?',
    'L’origine déclarée est-elle cohérente avec le pays de départ des marchandises et le vendeur ?',
  ),
  method: text(
    'For each line, P(origin | departure country, HS chapter) is estimated from the period’s lines with add-one smoothing, falling back to the departure country alone when the cell has fewer than min n lines. Lines whose origin differs from the departure country with a probability under the cut-off are flagged, and sellers are ranked by their share of flagged parcels.',
    '각 품목의 P(원산지 | 발송국, HS 류)를 기간 중 품목으로 라플라스(1 더하기) 평활로 추정하고, 셀 품목이 최소 건수보다 적으면 발송국만으로 추정한다. 원산지가 발송국과 다르고 확률이 기준 미만인 품목을 표시하며, 판매자는 표시된 화물 비율로 순위를 매긴다.',
    'Pour chaque ligne, P(origine | pays de départ, chapitre SH) est estimée sur les lignes de la période avec un lissage de Laplace, en revenant au seul pays de départ quand la cellule compte moins de n minimum lignes. Les lignes dont l’origine diffère du pays de départ avec une probabilité sous le seuil sont signalées, et les vendeurs sont classés par part de colis signalés.',
  ),
  inputs: ['intake_analysis_parcel_line', 'intake_analysis_buyer_parcel'],
  parameters: [
    numberParameter('max_probability', text('Probability cut-off', '확률 기준값', 'Seuil de probabilité'), 0.05, 0.001, 0.5),
    numberParameter('min_n', text('Minimum lines per cell', '셀별 최소 품목 수', 'Lignes minimum par cellule'), 20, 1, 100_000, 'integer'),
    commonParameters.minParcels(2),
    commonParameters.limit(),
  ],
  async run(context) {
    const maxProbability = num(context.parameters.max_probability);
    const minN = num(context.parameters.min_n);
    const lines = await context.query<OriginLine>(sql`
      select b.tracking_number, b.seller_key, b.seller_country as departure, l.origin_country as origin, l.hs_chapter
      from intake_analysis_parcel_line l
      join intake_analysis_buyer_parcel b on b.parcel_id = l.parcel_id
      where ${inPeriod('b.arrival_date', context)} and b.seller_country is not null and l.origin_country is not null
    `);
    context.progress(0.6);
    const counts = new Map<string, number>();
    const add = (key: string) => counts.set(key, (counts.get(key) ?? 0) + 1);
    const origins = new Set(lines.map((line) => line.origin));
    for (const line of lines) {
      add(`${line.departure}|${line.hs_chapter}|`);
      add(`${line.departure}|${line.hs_chapter}|${line.origin}`);
      add(`${line.departure}||`);
      add(`${line.departure}||${line.origin}`);
    }
    const probability = (line: OriginLine) => {
      const chapter = (counts.get(`${line.departure}|${line.hs_chapter}|`) ?? 0) >= minN ? line.hs_chapter : '';
      const cell = counts.get(`${line.departure}|${chapter}|`) ?? 0;
      const hits = counts.get(`${line.departure}|${chapter}|${line.origin}`) ?? 0;
      return (hits + 1) / (cell + origins.size);
    };
    const flaggedParcels = new Map<string, EntityScore & { seller: string | null; row: Record<string, string | number> }>();
    for (const line of lines) {
      if (line.origin === line.departure) continue;
      const p = probability(line);
      if (p >= maxProbability || flaggedParcels.has(line.tracking_number)) continue;
      flaggedParcels.set(line.tracking_number, {
        kind: 'parcel',
        key: line.tracking_number,
        score: round(1 - p, 3),
        evidence: [
          say(parcelEvidence, {
            origin: line.origin,
            departure: line.departure,
            chapter: line.hs_chapter ?? '—',
            percent: round(p * 100, 1),
          }),
        ],
        seller: line.seller_key,
        row: {
          tracking_number: line.tracking_number,
          seller_key: line.seller_key ?? '',
          departure: line.departure,
          origin_country: line.origin,
          probability: round(p, 4),
        },
      });
    }
    const sellerParcels = new Map<string, Set<string>>();
    for (const line of lines)
      if (line.seller_key)
        sellerParcels.set(line.seller_key, (sellerParcels.get(line.seller_key) ?? new Set()).add(line.tracking_number));
    const sellers: EntityScore[] = [];
    for (const [seller, parcels] of sellerParcels) {
      const flagged = [...parcels].filter((parcel) => flaggedParcels.has(parcel)).length;
      if (flagged === 0 || parcels.size < num(context.parameters.min_parcels)) continue;
      sellers.push({
        kind: 'seller',
        key: seller,
        score: round(flagged / parcels.size, 3),
        evidence: [say(sellerEvidence, { flagged, parcels: parcels.size })],
      });
    }
    const parcels = [...flaggedParcels.values()].sort((a, b) => b.score - a.score);
    const pairs = new Map<string, number>();
    for (const parcel of parcels) {
      const pair = `${parcel.row.departure}→${parcel.row.origin_country}`;
      pairs.set(pair, (pairs.get(pair) ?? 0) + 1);
    }
    return {
      columns: [
        column('tracking_number', 'entity'),
        column('seller_key', 'entity'),
        column('departure', 'text', text('Sent from', '발송국', 'Expédié de')),
        column('origin_country', 'text'),
        column('probability', 'number', text('Probability', '확률', 'Probabilité')),
      ],
      rows: parcels.slice(0, num(context.parameters.limit)).map((parcel) => parcel.row),
      entities: [
        ...parcels.map(({ kind, key, score, evidence }) => ({ kind, key, score, evidence })),
        ...sellers.sort((a, b) => b.score - a.score),
      ],
      chart: {
        kind: 'bar',
        title: text('Unlikely origin claims by route', '경로별 드문 원산지 신고', 'Origines improbables par trajet'),
        x: { key: 'route', label: text('Sent from → origin', '발송국 → 원산지', 'Départ → origine') },
        y: { key: 'parcels', label: labels.parcels },
        points: [...pairs].sort((a, b) => b[1] - a[1]).map(([pair, count]) => ({ x: pair, y: count })),
      },
      summary: say(
        text('{lines} lines; {parcels} parcels with an unlikely origin', '품목 {lines}건; 드문 원산지 화물 {parcels}건', '{lines} lignes ; {parcels} colis d’origine improbable'),
        { lines: lines.length, parcels: parcels.length },
      ),
    };
  },
};
