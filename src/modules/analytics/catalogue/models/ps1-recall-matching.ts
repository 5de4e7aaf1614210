import { sql } from 'kysely';
import type { AnalyticalModel } from '../analytical-model.js';
import { column, commonParameters, inPeriod, labels, num, rankingResult, text } from './model-kit.js';

interface RecallMatch {
  tracking_number: string;
  seller_key: string | null;
  description: string;
  product_name: string;
  brand: string;
  model: string;
  hazard: string;
  recall_reference: string | null;
  same_chapter: unknown;
}

interface ReportKeys {
  brand_key: string;
  model_key: string;
}

/** The product-safety reports with their brand and model normalised as descriptions are. */
const reportKeys = sql`
  select product_name, brand, model, hazard, recall_reference, hs6,
    lower(regexp_replace(brand, '[[:space:][:punct:]]', '', 'g')) as brand_key,
    lower(regexp_replace(model, '[[:space:][:punct:]]', '', 'g')) as model_key
  from partners_analysis_safety_report
  where brand is not null and model is not null
`;

/**
 * PS1 ★ Recall and certification matching: declared lines whose description names a recalled product's
 * brand and model, compared with case, spaces and punctuation removed so that "VQ-65C", "vq65c" and
 * "VQ 65C" all match; a line in the report's HS chapter scores higher.
 */
export const recallMatching: AnalyticalModel = {
  id: 'PS1',
  version: '1.0.1',
  group: 'product-safety',
  firstTwelve: true,
  name: text('Recall and certification matching', '리콜·인증 대조', 'Rapprochement avec les rappels et certifications'),
  question: text(
    'Is this product recalled, banned or uncertified?',
    '이 제품은 리콜·판매금지 또는 미인증 제품인가?',
    'Ce produit est-il rappelé, interdit ou non certifié ?',
  ),
  method: text(
    'Brands and models of the product-safety reports agencies filed and the declared line descriptions are normalised (case, spaces, hyphens and punctuation removed). A line that names both the brand and the model of a report is a match, scored 1 within the report’s HS chapter and 0.8 outside it.',
    '기관이 제출한 제품안전 보고의 상표·모델과 신고 품명을 정규화(대소문자·공백·하이픈·문장부호 제거)한다. 보고의 상표와 모델을 모두 담은 품목을 일치로 보고, 보고의 HS 류 안이면 1점, 밖이면 0.8점을 준다.',
    "Les marques et modèles des signalements de sécurité déposés par les agences et les désignations déclarées sont normalisés (casse, espaces, tirets et ponctuation retirés). Une ligne qui nomme la marque et le modèle d'un signalement est un rapprochement, noté 1 dans le chapitre SH du signalement et 0,8 en dehors.",
  ),
  inputs: ['partners_analysis_safety_report', 'intake_analysis_parcel_line', 'intake_analysis_buyer_parcel'],
  parameters: [commonParameters.minScore(0.8, 1), commonParameters.limit()],
  async run(context) {
    const reports = await context.query<ReportKeys>(sql`select brand_key, model_key from (${reportKeys}) reports`);
    // Normalising every description is what costs: a line can only match when its lower-cased text holds
    // a brand's and its model's characters in order, which a LIKE pattern tests cheaply, so only those
    // lines are normalised and compared exactly. Keys hold no punctuation, so no LIKE wildcard.
    const inOrder = (key: string) => `%${[...key].join('%')}%`;
    const possible =
      reports.length === 0
        ? sql`false`
        : sql.join(
            reports.map(
              (report) =>
                sql`(lowered like ${inOrder(report.brand_key)} and lowered like ${inOrder(report.model_key)})`,
            ),
            sql` or `,
          );
    const matches = await context.query<RecallMatch>(sql`
      with reports as (${reportKeys}),
      possible as (
        select parcel_id, description, hs6
        from (
          select parcel_id, description, hs6, lower(description) as lowered
          from intake_analysis_parcel_line where hs6 is not null offset 0
        ) line
        where ${possible}
      ),
      lines as (
        select b.tracking_number, b.seller_key, p.description, p.hs6,
          lower(regexp_replace(p.description, '[[:space:][:punct:]]', '', 'g')) as description_key
        from possible p
        join intake_analysis_buyer_parcel b on b.parcel_id = p.parcel_id
        join clearance_analysis_parcel c on c.parcel_id = p.parcel_id
        where ${inPeriod('b.arrival_date', context)} and b.declared_value > 0
      )
      select l.tracking_number, l.seller_key, l.description, r.product_name, r.brand, r.model, r.hazard,
        r.recall_reference, (substr(l.hs6, 1, 2) = substr(r.hs6, 1, 2)) as same_chapter
      from lines l
      join reports r on position(r.brand_key in l.description_key) > 0
        and position(r.model_key in l.description_key) > 0
    `);
    return rankingResult({
      rows: matches,
      kind: 'parcel',
      key: (match) => match.tracking_number,
      score: (match) => (match.same_chapter === true || match.same_chapter === 't' ? 1 : 0.8),
      minScore: num(context.parameters.min_score),
      limit: num(context.parameters.limit),
      evidence: text(
        '"{description}" names {brand} {model}, recalled ({recall}): {hazard}',
        '"{description}"에 리콜 제품 {brand} {model} 표시({recall}): {hazard}',
        '« {description} » nomme {brand} {model}, rappelé ({recall}) : {hazard}',
      ),
      columns: [
        column('tracking_number', 'entity'),
        column('seller_key', 'entity'),
        column('description', 'text'),
        column('brand', 'text', text('Brand', '상표', 'Marque')),
        column('model', 'text', text('Model', '모델', 'Modèle')),
        column('recall', 'text', text('Recall', '리콜 번호', 'Rappel')),
        column('hazard', 'text', text('Hazard', '위해 요인', 'Danger')),
      ],
      cells: (match) => ({
        tracking_number: match.tracking_number,
        seller_key: match.seller_key,
        description: match.description,
        brand: match.brand,
        model: match.model,
        recall: match.recall_reference,
        hazard: match.hazard,
      }),
      chartTitle: text('Parcels matching a recall', '리콜 일치 화물', 'Colis rapprochés d’un rappel'),
      entityLabel: labels.tracking_number,
    });
  },
};
