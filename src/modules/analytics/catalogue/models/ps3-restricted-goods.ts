import { sql } from 'kysely';
import type { AnalyticalModel, EntityScore, LocalisedText } from '../analytical-model.js';
import { fillTemplate, locales } from '../../../../platform/i18n/locale.js';
import { column, commonParameters, inPeriod, say, text } from './model-kit.js';
import { restrictedClasses, screenLine, type RestrictedFinding } from './restricted-goods.js';

interface ScreenedLine {
  tracking_number: string;
  line_number: unknown;
  description: string;
  hs6: string | null;
}

const basisWords = {
  hs: text('HS code {match}', 'HS 코드 {match}', 'code SH {match}'),
  word: text('the word “{match}”', '“{match}” 단어', 'le mot « {match} »'),
  ingredient: text('the ingredient “{match}”', '“{match}” 성분', 'l’ingrédient « {match} »'),
};

const evidenceTemplate = text(
  'line {line}, “{description}”: {class} by {basis}; route: {route}',
  '{line}번 품목 “{description}”: {basis}(으)로 {class}; 조치: {route}',
  'ligne {line}, « {description} » : {class} par {basis} ; orientation : {route}',
);

/**
 * PS3 Restricted goods and ingredient screen: lines whose HS code, wording or named ingredient puts them
 * among the goods excluded from list clearance or needing a permit, each routed to where it must go.
 */
export const restrictedGoodsScreen: AnalyticalModel = {
  id: 'PS3',
  version: '1.0.0',
  group: 'product-safety',
  firstTwelve: false,
  name: text('Restricted goods and ingredient screen', '반입 제한 물품·성분 선별', 'Filtrage des marchandises et ingrédients restreints'),
  question: text(
    'Does the parcel hold goods excluded from list clearance or needing a permit?',
    '화물에 목록통관 배제 물품이나 허가가 필요한 물품이 들어 있는가?',
    'Le colis contient-il des marchandises exclues du dédouanement sur liste ou soumises à autorisation ?',
  ),
  method: text(
    'Each declared line is screened against the restricted classes (weapons, knives, narcotics, tobacco and e-cigarettes, medicines, supplements, quarantine goods) by HS prefix, by the words sellers use in four languages and by banned ingredients. A parcel is flagged with the class, what matched and where it must be routed (general clearance or the partner agency).',
    '신고 품목마다 제한 분류(무기, 도검, 마약류, 담배·전자담배, 의약품, 건강기능식품, 검역 물품)를 HS 앞자리, 판매자가 쓰는 4개 언어 단어, 금지 성분으로 선별한다. 화물은 분류, 일치한 근거, 보낼 곳(일반 통관 또는 협업 기관)과 함께 표시된다.',
    "Chaque ligne déclarée est filtrée contre les classes restreintes (armes, lames, stupéfiants, tabac et cigarettes électroniques, médicaments, compléments, quarantaine) par préfixe SH, par les mots des vendeurs en quatre langues et par les ingrédients interdits. Le colis est signalé avec la classe, ce qui a correspondu et l'orientation requise (dédouanement ordinaire ou agence partenaire).",
  ),
  inputs: ['intake_analysis_parcel_line', 'intake_analysis_buyer_parcel'],
  parameters: [
    {
      name: 'classes',
      label: text('Classes screened (comma-separated)', '선별 분류(쉼표로 구분)', 'Classes filtrées (séparées par des virgules)'),
      type: 'text',
      default: restrictedClasses.map((restricted) => restricted.id).join(','),
      maxLength: 200,
    },
    { name: 'use_hs', label: text('Match HS codes', 'HS 코드 일치', 'Comparer les codes SH'), type: 'boolean', default: true },
    { name: 'use_words', label: text('Match words', '단어 일치', 'Comparer les mots'), type: 'boolean', default: true },
    {
      name: 'use_ingredients',
      label: text('Match ingredients', '성분 일치', 'Comparer les ingrédients'),
      type: 'boolean',
      default: true,
    },
    commonParameters.limit(),
  ],
  async run(context) {
    const wanted = new Set(String(context.parameters.classes).split(',').map((id) => id.trim()));
    const classes = restrictedClasses.filter((restricted) => wanted.has(restricted.id));
    const bases = new Set<RestrictedFinding['basis']>([
      ...(context.parameters.use_hs === true ? (['hs'] as const) : []),
      ...(context.parameters.use_words === true ? (['word'] as const) : []),
      ...(context.parameters.use_ingredients === true ? (['ingredient'] as const) : []),
    ]);
    const lines = await context.query<ScreenedLine>(sql`
      select b.tracking_number, l.line_number, l.description, l.hs6
      from intake_analysis_parcel_line l join intake_analysis_buyer_parcel b on b.parcel_id = l.parcel_id
      where ${inPeriod('b.arrival_date', context)}
      order by b.tracking_number, l.line_number
    `);
    context.progress(0.7);
    const entities = new Map<string, EntityScore>();
    const rows: Record<string, string | number>[] = [];
    for (const line of lines) {
      for (const finding of screenLine(line, classes, bases)) {
        const restricted = classes.find((candidate) => candidate.id === finding.classId)!;
        const basis = say(basisWords[finding.basis], { match: finding.match });
        const evidence = Object.fromEntries(
          locales.map((locale) => [
            locale,
            fillTemplate(evidenceTemplate[locale], {
              line: Number(line.line_number),
              description: line.description,
              class: restricted.name[locale],
              basis: basis[locale],
              route: restricted.route[locale],
            }),
          ]),
        ) as LocalisedText;
        const entity = entities.get(line.tracking_number) ?? {
          kind: 'parcel',
          key: line.tracking_number,
          score: 0,
          evidence: [],
        };
        entity.score = Math.max(entity.score, finding.basis === 'word' ? 0.6 : 0.9);
        entity.evidence.push(evidence);
        entities.set(line.tracking_number, entity);
        rows.push({
          tracking_number: line.tracking_number,
          line: Number(line.line_number),
          description: line.description,
          hs6: line.hs6 ?? '',
          class: restricted.name[context.locale],
          basis: basis[context.locale],
          route: restricted.route[context.locale],
        });
      }
    }
    const byClass = new Map<string, number>();
    for (const row of rows) byClass.set(String(row.class), (byClass.get(String(row.class)) ?? 0) + 1);
    return {
      columns: [
        column('tracking_number', 'entity'),
        column('line', 'number', text('Line', '품목 번호', 'Ligne')),
        column('description', 'text'),
        column('hs6', 'text'),
        column('class', 'text', text('Class', '분류', 'Classe')),
        column('basis', 'text', text('Matched on', '일치 근거', 'Correspondance')),
        column('route', 'text', text('Route to', '조치', 'Orientation')),
      ],
      rows: rows.slice(0, Number(context.parameters.limit)),
      entities: [...entities.values()].sort((a, b) => b.score - a.score),
      chart: {
        kind: 'bar',
        title: text('Flagged lines per class', '분류별 선별 품목', 'Lignes signalées par classe'),
        x: { key: 'class', label: text('Class', '분류', 'Classe') },
        y: { key: 'lines', label: text('Lines', '품목 수', 'Lignes') },
        points: [...byClass].map(([name, count]) => ({ x: name, y: count })),
      },
      summary: say(
        text(
          '{lines} lines screened; {flagged} flagged in {parcels} parcels',
          '품목 {lines}건 선별; {parcels}개 화물의 {flagged}건 표시',
          '{lines} lignes filtrées ; {flagged} signalées dans {parcels} colis',
        ),
        { lines: lines.length, flagged: rows.length, parcels: entities.size },
      ),
    };
  },
};
