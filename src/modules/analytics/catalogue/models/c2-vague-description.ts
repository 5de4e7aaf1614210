import { sql } from 'kysely';
import type { AnalyticalModel, EntityScore, LocalisedText } from '../analytical-model.js';
import { column, commonParameters, inPeriod, num, numberParameter, say, text } from './model-kit.js';

interface DeclaredLine {
  tracking_number: string;
  carrier_code: string;
  line_number: unknown;
  description: string | null;
  quantity: unknown;
  value: unknown;
  net_mass_kg: unknown;
  gross_mass_kg: unknown;
  parcel_net_kg: unknown;
  hs6: string | null;
  hs6_unit_median_kg: unknown;
}

type Defect = 'generic_term' | 'sku_only' | 'too_short' | 'token_value' | 'net_over_gross' | 'weight_per_unit';

const defectText: Record<Defect, LocalisedText> = {
  generic_term: text('generic term "{description}"', '포괄적 품명 "{description}"', 'terme générique « {description} »'),
  sku_only: text('only a stock code "{description}"', '재고 코드만 기재 "{description}"', 'seulement une référence « {description} »'),
  too_short: text('description of {length} characters', '{length}자 품명', 'désignation de {length} caractères'),
  token_value: text('value of {value}', '가격 {value}', 'valeur de {value}'),
  net_over_gross: text('net {net} kg over gross {gross} kg', '순중량 {net}kg이 총중량 {gross}kg 초과', 'net {net} kg au-dessus du brut {gross} kg'),
  weight_per_unit: text(
    '{unitKg} kg a unit against {medianKg} kg for HS {hs6}',
    '단위당 {unitKg}kg, HS {hs6} 중앙값 {medianKg}kg',
    '{unitKg} kg l’unité contre {medianKg} kg pour le SH {hs6}',
  ),
};

/** Words that name no goods, in the languages descriptions arrive in (officers may replace the list). */
const defaultTerms = 'gift,gifts,parts,goods,items,item,clothes,accessories,sample,samples,merchandise,products,fak,선물,잡화,물품,cadeau,cadeaux,articles';

const skuOnly = /^(sku|item|ref|no|art)?[\s#:_-]*[a-z]{0,3}[-_]?\d{4,}[a-z0-9-]*$/i;

/**
 * C2 Vague description and data plausibility: lines that cannot be assessed as declared. Each line is
 * checked for a generic term, a stock code in place of a description, a description too short, a token
 * value, net mass above the parcel's gross mass, and a unit weight far from its HS6's median; each defect
 * found is one reason, and a parcel's score is the number of its defects.
 */
export const vagueDescription: AnalyticalModel = {
  id: 'C2',
  version: '1.0.0',
  group: 'classification',
  firstTwelve: false,
  name: text('Vague description and data plausibility', '불명확 품명·자료 타당성 점검', 'Désignation vague et plausibilité des données'),
  question: text(
    'Is the item too vaguely or implausibly declared to assess?',
    '물품이 심사하기 어려울 만큼 불명확하거나 타당하지 않게 신고되었는가?',
    'L’article est-il déclaré de façon trop vague ou invraisemblable pour être évalué ?',
  ),
  method: text(
    'Every declared line is checked against a list of generic terms, a stock-code pattern, a minimum description length, a token value of one unit or less, net mass above gross mass, and its weight per unit against its HS6 median. Each defect is one reason and a parcel scores the number of defects of its lines; carriers are ranked by their share of defective parcels.',
    '신고 품목마다 포괄적 용어 목록, 재고 코드 형식, 최소 품명 길이, 1 단위 이하 가격, 총중량을 넘는 순중량, HS6 중앙값 대비 단위 중량을 점검한다. 결함 하나가 사유 하나이며 화물 점수는 품목 결함 수이고, 운송사는 결함 화물 비율로 순위를 매긴다.',
    'Chaque ligne déclarée est confrontée à une liste de termes génériques, un motif de référence de stock, une longueur minimale de désignation, une valeur symbolique d’une unité ou moins, une masse nette au-dessus de la brute, et son poids unitaire contre la médiane de son SH6. Chaque défaut est un motif et un colis vaut le nombre de défauts de ses lignes ; les transporteurs sont classés par part de colis défectueux.',
  ),
  inputs: ['intake_analysis_parcel_line', 'intake_analysis_buyer_parcel'],
  parameters: [
    {
      name: 'terms',
      label: text('Generic terms (comma-separated)', '포괄적 용어(쉼표로 구분)', 'Termes génériques (séparés par des virgules)'),
      type: 'text',
      default: defaultTerms,
      maxLength: 2000,
    },
    numberParameter('min_length', text('Shortest acceptable description', '허용 최소 품명 길이', 'Désignation la plus courte admise'), 3, 1, 50, 'integer'),
    numberParameter('weight_factor', text('Unit weight tolerance (× HS6 median)', '단위 중량 허용 배수(HS6 중앙값 대비)', 'Tolérance du poids unitaire (× médiane SH6)'), 10, 2, 1000),
    commonParameters.minScore(1, 10),
    commonParameters.limit(),
  ],
  async run(context) {
    const terms = new Set(
      String(context.parameters.terms)
        .split(',')
        .map((term) => term.trim().toLowerCase())
        .filter(Boolean),
    );
    const minLength = num(context.parameters.min_length);
    const weightFactor = num(context.parameters.weight_factor);
    const lines = await context.query<DeclaredLine>(sql`
      with period as (
        select b.tracking_number, b.carrier_code, b.gross_mass_kg, l.*
        from intake_analysis_parcel_line l
        join intake_analysis_buyer_parcel b on b.parcel_id = l.parcel_id
        where ${inPeriod('b.arrival_date', context)}
      ),
      unit_weights as (
        select hs6, percentile_cont(0.5) within group (order by net_mass_kg / quantity) as median_kg
        from period where hs6 is not null and quantity > 0 and net_mass_kg > 0
        group by hs6 having count(*) >= 5
      )
      select p.tracking_number, p.carrier_code, p.line_number, p.description, p.quantity, p.value, p.net_mass_kg,
        p.gross_mass_kg, sum(p.net_mass_kg) over (partition by p.parcel_id) as parcel_net_kg, p.hs6,
        w.median_kg as hs6_unit_median_kg
      from period p left join unit_weights w on w.hs6 = p.hs6
    `);
    context.progress(0.7);

    const parcels = new Map<string, EntityScore & { carrier: string; defects: Defect[] }>();
    const defectCounts = new Map<Defect, number>();
    const carriers = new Map<string, Set<string>>();
    for (const line of lines) {
      carriers.set(line.carrier_code, (carriers.get(line.carrier_code) ?? new Set()).add(line.tracking_number));
      const description = (line.description ?? '').trim();
      const found: [Defect, Record<string, unknown>][] = [];
      if (terms.has(description.toLowerCase())) found.push(['generic_term', { description }]);
      else if (skuOnly.test(description)) found.push(['sku_only', { description }]);
      else if (description.length < minLength) found.push(['too_short', { length: description.length }]);
      if (num(line.value) <= 1) found.push(['token_value', { value: num(line.value) }]);
      if (num(line.line_number) === 1 && num(line.gross_mass_kg) > 0 && num(line.parcel_net_kg) > num(line.gross_mass_kg))
        found.push(['net_over_gross', { net: num(line.parcel_net_kg), gross: num(line.gross_mass_kg) }]);
      const median = num(line.hs6_unit_median_kg);
      const unitKg = num(line.quantity) > 0 ? num(line.net_mass_kg) / num(line.quantity) : 0;
      if (median > 0 && unitKg > 0 && (unitKg > median * weightFactor || unitKg < median / weightFactor))
        found.push(['weight_per_unit', { unitKg: Math.round(unitKg * 1000) / 1000, medianKg: Math.round(median * 1000) / 1000, hs6: line.hs6 }]);
      if (found.length === 0) continue;
      const parcel = parcels.get(line.tracking_number) ?? {
        kind: 'parcel' as const,
        key: line.tracking_number,
        score: 0,
        evidence: [],
        carrier: line.carrier_code,
        defects: [],
      };
      for (const [defect, figures] of found) {
        parcel.score++;
        parcel.defects.push(defect);
        parcel.evidence.push(say(defectText[defect], figures));
        defectCounts.set(defect, (defectCounts.get(defect) ?? 0) + 1);
      }
      parcels.set(line.tracking_number, parcel);
    }
    const minScore = num(context.parameters.min_score);
    const flagged = [...parcels.values()].filter((parcel) => parcel.score >= minScore).sort((a, b) => b.score - a.score);
    const carrierEntities: EntityScore[] = [...carriers].map(([carrier, all]) => {
      const defective = flagged.filter((parcel) => parcel.carrier === carrier).length;
      return {
        kind: 'carrier',
        key: carrier,
        score: Math.round((defective / all.size) * 1000) / 1000,
        evidence: [
          say(text('{defective} of {parcels} parcels with a defect', '화물 {parcels}건 중 {defective}건 결함', '{defective} colis sur {parcels} avec un défaut'), {
            defective,
            parcels: all.size,
          }),
        ],
      };
    });
    return {
      columns: [
        column('tracking_number', 'entity'),
        column('carrier_code', 'entity'),
        column('defects', 'text', text('Defects', '결함', 'Défauts')),
        column('score', 'number'),
      ],
      rows: flagged.slice(0, num(context.parameters.limit)).map((parcel) => ({
        tracking_number: parcel.key,
        carrier_code: parcel.carrier,
        defects: parcel.defects.join(', '),
        score: parcel.score,
      })),
      entities: [
        ...flagged.map(({ kind, key, score, evidence }) => ({ kind, key, score, evidence })),
        ...carrierEntities.filter((carrier) => carrier.score > 0).sort((a, b) => b.score - a.score),
      ],
      chart: {
        kind: 'bar',
        title: text('Defects found, by kind', '유형별 결함 수', 'Défauts trouvés, par type'),
        x: { key: 'defect', label: text('Defect', '결함', 'Défaut') },
        y: { key: 'lines', label: text('Lines', '품목 수', 'Lignes') },
        points: [...defectCounts].map(([defect, count]) => ({ x: defect, y: count })),
      },
      summary: say(
        text('{lines} lines checked; {parcels} parcels with a defect', '품목 {lines}건 점검; 결함 화물 {parcels}건', '{lines} lignes contrôlées ; {parcels} colis avec un défaut'),
        { lines: lines.length, parcels: flagged.length },
      ),
    };
  },
};
