import type { LocalisedText } from '../analytical-model.js';
import { text } from './model-kit.js';

/**
 * Goods excluded from list clearance or needing a partner agency's permit (KCS list-clearance
 * exclusions), as PS3 screens for them: the HS prefixes they are declared under, the words sellers write
 * for them (English, Korean, French, Chinese, as on listings) and the ingredients that make an innocent
 * name ("diet tea") a controlled product. Each class says where the item goes.
 */
export interface RestrictedClass {
  id: string;
  name: LocalisedText;
  route: LocalisedText;
  hs: readonly string[];
  words: readonly string[];
  ingredients: readonly string[];
}

const toPartner = (ko: string, en: string, fr: string) => text(en, ko, fr);

export const restrictedClasses: readonly RestrictedClass[] = [
  {
    id: 'weapon',
    name: text('weapons and parts', '무기 및 부품', 'armes et pièces'),
    route: toPartner('경찰청 허가 확인', 'police permit check', 'contrôle du permis de police'),
    hs: ['93'],
    words: ['pistol', 'rifle', 'gun', 'ammunition', 'cartridge', 'silencer', '총기', '권총', '실탄', 'pistolet', 'fusil', 'munition', '枪', '子弹'],
    ingredients: [],
  },
  {
    id: 'knife',
    name: text('knives and blades', '도검류', 'couteaux et lames'),
    route: toPartner('경찰청 도검 허가 확인', 'police blade permit check', 'contrôle du permis pour lames'),
    hs: ['821192', '9307'],
    words: ['knife', 'dagger', 'machete', 'sword', '나이프', '단검', '도검', 'couteau', 'poignard', '刀'],
    ingredients: [],
  },
  {
    id: 'narcotic',
    name: text('narcotics and precursors', '마약류 및 원료', 'stupéfiants et précurseurs'),
    route: toPartner('마약 수사 의뢰', 'drug investigation referral', "saisine de l'enquête stupéfiants"),
    hs: ['2939', '121130', '121140', '130211'],
    words: ['cannabis', 'marijuana', 'kratom', '대마', '마약', 'stupéfiant', '大麻'],
    ingredients: ['thc', 'cannabidiol', 'mitragynine', 'ephedrine', 'pseudoephedrine', '에페드린'],
  },
  {
    id: 'tobacco',
    name: text('tobacco and e-cigarettes', '담배 및 전자담배', 'tabac et cigarettes électroniques'),
    route: toPartner('일반수입신고 전환', 'general import declaration', "déclaration d'importation ordinaire"),
    hs: ['2402', '2403', '2404', '854340'],
    words: ['cigarette', 'e-cigarette', 'vape', 'nicotine', '전자담배', '니코틴', 'cigarette électronique', '电子烟'],
    ingredients: ['nicotine'],
  },
  {
    id: 'medicine',
    name: text('medicines', '의약품', 'médicaments'),
    route: toPartner('식약처 요건 확인', 'MFDS requirement check', 'contrôle des exigences du MFDS'),
    hs: ['3003', '3004'],
    words: ['medicine', 'prescription', 'antibiotic', '의약품', '처방약', 'médicament', '药品'],
    ingredients: ['sildenafil', 'tadalafil', 'sibutramine', 'phentermine', 'finasteride', 'minoxidil', 'melatonin', '실데나필', '시부트라민'],
  },
  {
    id: 'supplement',
    name: text('supplements and health foods', '건강기능식품', 'compléments alimentaires'),
    route: toPartner('식약처 수입식품 확인', 'MFDS imported-food check', 'contrôle des denrées importées du MFDS'),
    hs: ['2106', '2936'],
    words: ['supplement', 'diet pill', '건강기능식품', '영양제', 'complément alimentaire', '保健品'],
    ingredients: ['dmaa', 'yohimbine', 'ephedra', 'dnp', '요힘빈'],
  },
  {
    id: 'quarantine',
    name: text('plants, seeds and animal products', '식물·종자·동물성 제품', 'plantes, semences et produits animaux'),
    route: toPartner('검역본부 검역', 'quarantine inspection', 'inspection de quarantaine'),
    hs: ['01', '02', '0407', '06', '1209', '1211'],
    words: ['seeds', 'live plant', 'jerky', 'herbal tea leaves', 'dried herbs', '씨앗', '종자', '육포', 'graines', 'plante vivante', '种子'],
    ingredients: [],
  },
];

export interface RestrictedFinding {
  classId: string;
  /** What matched: the HS prefix, the word or the ingredient, and of which kind. */
  basis: 'hs' | 'word' | 'ingredient';
  match: string;
}

/** Latin words match whole words; Hangul and Chinese anywhere, as those scripts do not separate words. */
function contains(description: string, word: string): boolean {
  if (/[^\u0000-\u024f]/.test(word)) return description.includes(word);
  const escaped = word.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
  return new RegExp(`(^|[^\\p{L}\\p{N}])${escaped}s?($|[^\\p{L}\\p{N}])`, 'u').test(description);
}

/** Every class a line falls in, with what matched; `bases` chooses what may match (HS, words, ingredients). */
export function screenLine(
  line: { description: string; hs6: string | null },
  classes: readonly RestrictedClass[],
  bases: ReadonlySet<RestrictedFinding['basis']>,
): RestrictedFinding[] {
  const description = line.description.normalize('NFKC').toLowerCase();
  const findings: RestrictedFinding[] = [];
  for (const restricted of classes) {
    const prefix = line.hs6 ? restricted.hs.find((candidate) => line.hs6!.startsWith(candidate)) : undefined;
    const word = restricted.words.find((candidate) => contains(description, candidate));
    const ingredient = restricted.ingredients.find((candidate) => contains(description, candidate));
    if (prefix && bases.has('hs')) findings.push({ classId: restricted.id, basis: 'hs', match: prefix });
    else if (ingredient && bases.has('ingredient'))
      findings.push({ classId: restricted.id, basis: 'ingredient', match: ingredient });
    else if (word && bases.has('word')) findings.push({ classId: restricted.id, basis: 'word', match: word });
  }
  return findings;
}
