import countries from 'i18n-iso-countries';
import en from 'i18n-iso-countries/langs/en.json' with { type: 'json' };
import fr from 'i18n-iso-countries/langs/fr.json' with { type: 'json' };
import ko from 'i18n-iso-countries/langs/ko.json' with { type: 'json' };
import type { DimensionId, FieldId, FlagId, Language, Subject } from './semantic-model.js';
import type { Measure } from './structured-query.js';
import { fold } from './text.js';

countries.registerLocale(en);
countries.registerLocale(fr);
countries.registerLocale(ko);

/**
 * The glossary: every word and phrase, in Korean, English and French, that names something in the
 * semantic layer (a measure, a dimension, a value of a dimension, a yes/no fact, a subject), and the
 * words that shape a question (by, top, compared with, except). Synonyms, abbreviations and common
 * officer shorthand are listed here; spelling mistakes are forgiven by the parser, not listed.
 */
export type Concept =
  | { kind: 'subject'; subject: Subject }
  | { kind: 'field'; field: FieldId }
  | { kind: 'aggregate'; aggregate: Measure['aggregate'] }
  | { kind: 'flag'; flag: FlagId }
  | { kind: 'dimension'; dimension: DimensionId }
  | { kind: 'value'; dimension: DimensionId; values: string[] }
  | { kind: 'cue'; cue: Cue }
  | { kind: 'refuse'; reason: 'change' | 'personal' | 'person' };

export type Cue =
  'group' | 'most' | 'least' | 'which' | 'top' | 'compare' | 'negate' | 'trend' | 'plural' | 'person-context';

type Terms = Partial<Record<Language, readonly string[]>>;

interface Entry {
  concept: Concept;
  terms: Terms;
}

const subject = (value: Subject, terms: Terms): Entry => ({
  concept: { kind: 'subject', subject: value },
  terms,
});
const field = (value: FieldId, terms: Terms): Entry => ({ concept: { kind: 'field', field: value }, terms });
const aggregate = (value: Measure['aggregate'], terms: Terms): Entry => ({
  concept: { kind: 'aggregate', aggregate: value },
  terms,
});
const flag = (value: FlagId, terms: Terms): Entry => ({ concept: { kind: 'flag', flag: value }, terms });
const dimension = (value: DimensionId, terms: Terms): Entry => ({
  concept: { kind: 'dimension', dimension: value },
  terms,
});
const value = (dimensionId: DimensionId, values: string[], terms: Terms): Entry => ({
  concept: { kind: 'value', dimension: dimensionId, values },
  terms,
});
const cue = (value: Cue, terms: Terms): Entry => ({ concept: { kind: 'cue', cue: value }, terms });
const refuse = (reason: 'change' | 'personal' | 'person', terms: Terms): Entry => ({
  concept: { kind: 'refuse', reason },
  terms,
});

/** HS chapters that e-commerce parcels mostly carry, by name; any chapter can also be named by number. */
export const hsChapterNames: Readonly<Record<string, Record<Language, string>>> = {
  '03': { ko: '수산물', en: 'fish and seafood', fr: 'poissons' },
  '09': { ko: '커피·차', en: 'coffee and tea', fr: 'café et thé' },
  '21': { ko: '조제 식료품', en: 'food preparations', fr: 'préparations alimentaires' },
  '22': { ko: '음료·주류', en: 'beverages', fr: 'boissons' },
  '24': { ko: '담배', en: 'tobacco', fr: 'tabac' },
  '30': { ko: '의약품', en: 'pharmaceuticals', fr: 'produits pharmaceutiques' },
  '33': { ko: '화장품·향수', en: 'cosmetics and perfume', fr: 'cosmétiques et parfums' },
  '39': { ko: '플라스틱', en: 'plastics', fr: 'matières plastiques' },
  '42': { ko: '가죽제품·가방', en: 'leather goods and bags', fr: 'maroquinerie' },
  '49': { ko: '서적·인쇄물', en: 'books and printed matter', fr: 'livres et imprimés' },
  '61': { ko: '의류(편물)', en: 'knitted clothing', fr: 'vêtements en bonneterie' },
  '62': { ko: '의류(편물 외)', en: 'clothing, not knitted', fr: 'vêtements autres qu’en bonneterie' },
  '64': { ko: '신발', en: 'footwear', fr: 'chaussures' },
  '71': { ko: '귀금속·보석', en: 'jewellery', fr: 'bijouterie' },
  '84': { ko: '기계·컴퓨터', en: 'machinery and computers', fr: 'machines et ordinateurs' },
  '85': {
    ko: '전자제품',
    en: 'electrical and electronic goods',
    fr: 'appareils électriques et électroniques',
  },
  '87': { ko: '차량·부품', en: 'vehicles and parts', fr: 'véhicules et pièces' },
  '90': {
    ko: '광학·의료기기',
    en: 'optical and medical instruments',
    fr: 'instruments d’optique et médicaux',
  },
  '91': { ko: '시계', en: 'watches and clocks', fr: 'horlogerie' },
  '93': { ko: '무기', en: 'arms and ammunition', fr: 'armes et munitions' },
  '94': { ko: '가구·조명', en: 'furniture and lighting', fr: 'meubles et luminaires' },
  '95': { ko: '완구·운동용품', en: 'toys and sports goods', fr: 'jouets et articles de sport' },
};

const entries: Entry[] = [
  // ---- subjects ----
  subject('parcels', {
    en: ['parcel', 'parcels', 'package', 'packages', 'shipment', 'shipments', 'item', 'items', 'consignment', 'consignments', 'pkg', 'pkgs'],
    fr: ['colis', 'envoi', 'envois', 'paquet', 'paquets', 'expedition', 'expeditions'],
    ko: ['소포', '물품', '택배', '화물', '해외직구', '직구', '반입'],
  }),
  subject('declarations', {
    en: ['declaration', 'declarations', 'import declaration', 'import declarations', 'kcs', 'entries', 'customs entries', 'decl'],
    fr: ['declaration', 'declarations', 'declarations d importation'],
    ko: ['신고', '신고건', '수입신고', '신고서', '수입신고건'],
  }),
  // ---- numeric fields ----
  field('value_krw', {
    en: ['value', 'declared value', 'declared values', 'values', 'price', 'prices', 'amount', 'worth', 'goods price', 'item price', 'dv'],
    fr: ['valeur', 'valeurs', 'valeur declaree', 'valeurs declarees', 'prix', 'montant', 'montants'],
    ko: ['신고가격', '신고가', '신고금액', '가격', '금액', '물품가격', '가액', '과세가격'],
  }),
  field('duty_krw', {
    en: ['duty', 'duties', 'customs duty', 'customs duties', 'tariff revenue'],
    fr: ['droits', 'droit de douane', 'droits de douane', 'droits perçus'],
    ko: ['관세', '관세액'],
  }),
  field('vat_krw', {
    en: ['vat', 'value added tax', 'import vat'],
    fr: ['tva', 'taxe sur la valeur ajoutee'],
    ko: ['부가세', '부가가치세'],
  }),
  field('tax_krw', {
    en: ['tax', 'taxes', 'total tax', 'tax revenue', 'revenue', 'duty and vat', 'duties and taxes'],
    fr: ['taxes', 'impots', 'recettes', 'recettes fiscales', 'total des taxes', 'droits et taxes'],
    ko: ['세금', '세액', '세수', '총세액', '납부세액', '세입'],
  }),
  field('net_mass_kg', {
    en: ['weight', 'mass', 'net mass', 'net weight', 'tonnage'],
    fr: ['poids', 'masse', 'masse nette', 'poids net'],
    ko: ['중량', '무게', '순중량'],
  }),
  field('tax_rate', {
    en: ['tax rate', 'duty rate', 'tariff rate', 'tariff'],
    fr: ['taux de droit', 'taux d imposition', 'taux de droits', 'taux tarifaire'],
    ko: ['세율', '관세율'],
  }),
  field('risk_score', {
    en: ['risk score', 'risk scores', 'score', 'risk'],
    fr: ['score de risque', 'score', 'risque'],
    ko: ['위험점수', '위험도', '위험', '점수'],
  }),
  // ---- aggregates ----
  aggregate('count', {
    en: ['how many', 'number of', 'count', 'volume', 'volumes', 'total number', 'how much parcels', 'no of', 'nb'],
    fr: ['combien', 'nombre', 'nombre de', 'volume', 'volumes', 'nb'],
    ko: ['몇', '몇건', '몇개', '건수', '개수', '물량', '수량', '건', '얼마나 많은'],
  }),
  aggregate('sum', {
    en: ['total', 'sum', 'overall', 'combined', 'altogether'],
    fr: ['total', 'somme', 'cumul', 'au total'],
    ko: ['총', '합계', '총합', '합', '전체', '총액'],
  }),
  aggregate('average', {
    en: ['average', 'avg', 'mean', 'typical', 'per parcel', 'on average'],
    fr: ['moyenne', 'moyen', 'moyens', 'moyennes', 'en moyenne'],
    ko: ['평균', '평균값'],
  }),
  aggregate('rate', {
    en: ['rate', 'rates', 'ratio', 'percentage', 'percent', '%', 'proportion of'],
    fr: ['taux', 'pourcentage', 'ratio', 'pour cent'],
    ko: ['률', '율', '비율', '퍼센트', '%'],
  }),
  aggregate('share', {
    en: ['share', 'breakdown', 'split', 'distribution', 'proportion', 'mix'],
    fr: ['part', 'parts', 'repartition', 'ventilation', 'proportion'],
    ko: ['비중', '점유율', '구성비', '분포', '구성'],
  }),
  // ---- yes/no facts ----
  flag('held', {
    en: ['held', 'hold', 'holds', 'detained', 'stopped', 'on hold', 'retained', 'withheld', 'blocked'],
    fr: ['retenu', 'retenus', 'retenue', 'retenues', 'bloque', 'bloques', 'retention', 'retentions', 'arrete', 'arretes'],
    ko: ['보류', '보류된', '억류', '유치', '통관보류', '보류건'],
  }),
  flag('seized', {
    en: ['seized', 'seizure', 'seizures', 'confiscated'],
    fr: ['saisi', 'saisis', 'saisie', 'saisies', 'confisque', 'confisques'],
    ko: ['압수', '압수된', '압류', '몰수'],
  }),
  flag('released', {
    en: ['released', 'cleared', 'release'],
    fr: ['libere', 'liberes', 'dedouane', 'dedouanes', 'mainlevee'],
    ko: ['반출', '반출된', '통관완료', '통관된', '수리'],
  }),
  flag('fraud', {
    en: ['fraud', 'frauds', 'fraudulent', 'fraud cases', 'violation', 'violations', 'offence', 'offences', 'irregularities'],
    fr: ['fraude', 'fraudes', 'frauduleux', 'frauduleuses', 'frauduleuse', 'infraction', 'infractions'],
    ko: ['부정', '적발', '위반', '사기', '부정신고', '불법', '적발건', '부정건'],
  }),
  flag('critical_fraud', {
    en: ['critical fraud', 'critical frauds', 'critical', 'serious fraud', 'critical cases'],
    fr: ['fraude critique', 'fraudes critiques', 'critique', 'critiques', 'fraude grave', 'fraudes graves'],
    ko: ['중대부정', '중대', '중대위반', '심각한 부정', '중요부정'],
  }),
  flag('inspected', {
    en: ['inspected', 'inspection', 'inspections', 'examined', 'checked'],
    fr: ['inspecte', 'inspectes', 'inspection', 'inspections', 'controle', 'controles', 'visite', 'visites'],
    ko: ['검사', '검사된', '검사한'],
  }),
  flag('taxable', {
    en: ['taxable', 'dutiable', 'taxed'],
    fr: ['taxable', 'taxables', 'taxe', 'taxes a payer', 'imposable', 'imposables'],
    ko: ['과세', '과세대상', '과세된'],
  }),
  flag('list_clearance', {
    en: ['list clearance', 'list cleared', 'de minimis'],
    fr: ['dedouanement sur liste', 'de minimis', 'franchise'],
    ko: ['목록통관', '목록 통관', '면세'],
  }),
  flag('xray_referral', {
    en: ['x-ray', 'xray', 'x ray', 'x-rayed', 'scanned', 'scanner'],
    fr: ['radioscopie', 'rayons x', 'scanner', 'scannes'],
    ko: ['엑스레이', 'x선', 'x-ray', '엑스선', '엑스레이검사'],
  }),
  // ---- dimensions ----
  dimension('origin', {
    en: ['country', 'countries', 'origin', 'origins', 'country of origin', 'source country', 'source countries', 'where from', 'from where'],
    fr: ['pays', 'origine', 'origines', 'pays d origine', 'provenance', 'provenances'],
    ko: ['국가', '나라', '원산지', '원산국', '국가별', '어느나라', '출처'],
  }),
  dimension('departure', {
    en: ['departure', 'country of departure', 'departure country', 'shipped from country'],
    fr: ['pays de depart', 'depart', 'pays d expedition'],
    ko: ['출발국', '선적국', '발송국'],
  }),
  dimension('hs_chapter', {
    en: ['hs chapter', 'hs chapters', 'chapter', 'chapters', 'product', 'products', 'goods', 'commodity', 'commodities', 'category', 'categories', 'product category', 'type of goods'],
    fr: ['chapitre', 'chapitres', 'chapitre sh', 'produit', 'produits', 'marchandise', 'marchandises', 'categorie', 'categories'],
    ko: ['품목', '류', '상품', '제품', '품목군', 'hs류', '카테고리', '종류'],
  }),
  dimension('hs_heading', {
    en: ['hs heading', 'heading', 'headings', 'hs4', 'tariff heading'],
    fr: ['position', 'positions', 'position sh', 'position tarifaire'],
    ko: ['hs호', '4단위'],
  }),
  dimension('hs6', {
    en: ['hs6', 'hs code', 'hs codes', 'subheading', 'hs6 code', 'tariff code'],
    fr: ['sh6', 'code sh', 'codes sh', 'sous position', 'code sh6'],
    ko: ['hs코드', '세번', '6단위', 'hs6'],
  }),
  dimension('carrier', {
    en: ['carrier', 'carriers', 'courier', 'couriers', 'express carrier', 'operator', 'operators', 'forwarder'],
    fr: ['transporteur', 'transporteurs', 'messagerie', 'coursier', 'operateur', 'operateurs'],
    ko: ['운송사', '특송업체', '특송사', '택배사', '운송업체', '배송사', '업체'],
  }),
  dimension('office', {
    en: ['office', 'offices', 'customs office', 'customs offices', 'port', 'ports'],
    fr: ['bureau', 'bureaux', 'bureau de douane', 'bureaux de douane'],
    ko: ['세관', '세관별', '통관지'],
  }),
  dimension('channel', {
    en: ['channel', 'channels', 'stream', 'mode'],
    fr: ['canal', 'canaux', 'filiere'],
    ko: ['경로', '통관경로', '채널'],
  }),
  dimension('lane', {
    en: ['lane', 'lanes', 'selectivity lane', 'selectivity'],
    fr: ['circuit', 'circuits', 'couloir', 'couloirs', 'voie'],
    ko: ['검사경로', '선별', 'c/s', '레인'],
  }),
  dimension('state', {
    en: ['state', 'status', 'states', 'clearance status'],
    fr: ['etat', 'statut', 'statuts', 'etats'],
    ko: ['상태', '통관상태', '진행상태'],
  }),
  dimension('seller', {
    en: ['seller', 'sellers', 'merchant', 'merchants', 'shop', 'shops', 'vendor', 'vendors', 'supplier', 'suppliers'],
    fr: ['vendeur', 'vendeurs', 'marchand', 'marchands', 'fournisseur', 'fournisseurs', 'boutique', 'boutiques'],
    ko: ['판매자', '판매업체', '셀러', '공급자', '판매처', '쇼핑몰'],
  }),
  dimension('importer', {
    en: ['importer', 'importers'],
    fr: ['importateur', 'importateurs'],
    ko: ['수입자', '수입업체', '화주'],
  }),
  dimension('declarant', {
    en: ['declarant', 'declarants', 'broker', 'brokers', 'customs broker'],
    fr: ['declarant', 'declarants', 'commissionnaire', 'commissionnaires'],
    ko: ['신고인', '관세사', '신고자'],
  }),
  dimension('import_type', {
    en: ['import type', 'type of import'],
    fr: ['type d importation'],
    ko: ['수입종류', '수입형태'],
  }),
  dimension('transport_mode', {
    en: ['mode of transport', 'transport mode', 'transport'],
    fr: ['mode de transport', 'transport'],
    ko: ['운송수단', '운송형태'],
  }),
  dimension('payment_type', {
    en: ['payment type', 'payment method', 'payment'],
    fr: ['type de paiement', 'mode de paiement', 'paiement'],
    ko: ['결제방식', '결제방법', '결제'],
  }),
  dimension('day', {
    en: ['day', 'days', 'daily', 'date'],
    fr: ['jour', 'jours', 'quotidien', 'quotidiens', 'journalier', 'date'],
    ko: ['일별', '일자별', '날짜별', '하루', '일자', '매일'],
  }),
  dimension('week', {
    en: ['week', 'weeks', 'weekly'],
    fr: ['semaine', 'semaines', 'hebdomadaire', 'hebdomadaires'],
    ko: ['주별', '주차별', '매주'],
  }),
  dimension('month', {
    en: ['month', 'months', 'monthly'],
    fr: ['mois', 'mensuel', 'mensuels', 'mensuelle', 'mensuelles'],
    ko: ['월별', '매월', '월간', '달별'],
  }),
  dimension('quarter', {
    en: ['quarter', 'quarters', 'quarterly'],
    fr: ['trimestre', 'trimestres', 'trimestriel', 'trimestrielle'],
    ko: ['분기별', '분기'],
  }),
  dimension('year', {
    en: ['year', 'years', 'yearly', 'annual', 'annually'],
    fr: ['annee', 'annees', 'an', 'ans', 'annuel', 'annuelle'],
    ko: ['연도별', '연별', '년도별', '연간', '해마다'],
  }),
  dimension('weekday', {
    en: ['weekday', 'weekdays', 'day of the week', 'day of week'],
    fr: ['jour de la semaine', 'jours de la semaine'],
    ko: ['요일', '요일별'],
  }),
  // ---- values ----
  value('channel', ['postal'], {
    en: ['postal', 'post', 'mail', 'by post', 'postal items', 'letter post', 'ems'],
    fr: ['postal', 'postaux', 'postale', 'postales', 'poste', 'la poste'],
    ko: ['우편', '우편물', '국제우편', '우체국', '우편통관'],
  }),
  value('channel', ['express'], {
    en: ['express', 'courier parcels', 'express parcels', 'express shipments'],
    fr: ['express', 'messagerie express', 'fret express'],
    ko: ['특송', '특급', '특송통관', '특송화물'],
  }),
  value('lane', ['green'], { en: ['green', 'green lane'], fr: ['vert', 'circuit vert'], ko: ['녹색', '초록', '그린', '녹색경로'] }),
  value('lane', ['yellow'], { en: ['yellow', 'yellow lane'], fr: ['jaune', 'circuit jaune'], ko: ['황색', '노랑', '노란색', '옐로'] }),
  value('lane', ['red'], { en: ['red', 'red lane'], fr: ['rouge', 'circuit rouge'], ko: ['적색', '빨강', '빨간색', '레드'] }),
  value('lane', ['blue'], { en: ['blue', 'blue lane'], fr: ['bleu', 'circuit bleu'], ko: ['청색', '파랑', '파란색', '블루'] }),
  value('state', ['under_inspection'], {
    en: ['under inspection', 'being inspected'],
    fr: ['en cours d inspection', 'en inspection'],
    ko: ['검사중', '검사 중'],
  }),
  value('state', ['returned'], { en: ['returned', 'sent back'], fr: ['renvoye', 'renvoyes', 'retourne', 'retournes'], ko: ['반송', '반송된'] }),
  value('carrier', ['DHL'], { en: ['dhl'], fr: ['dhl'], ko: ['디에이치엘', 'dhl'] }),
  value('carrier', ['FEDEX'], { en: ['fedex', 'federal express', 'fed ex'], fr: ['fedex'], ko: ['페덱스', 'fedex'] }),
  value('carrier', ['UPS'], { en: ['ups'], fr: ['ups'], ko: ['유피에스', 'ups'] }),
  value('carrier', ['CJ'], { en: ['cj', 'cj logistics'], fr: ['cj'], ko: ['cj대한통운', '대한통운', 'cj'] }),
  value('carrier', ['KPOST'], { en: ['kpost', 'korea post'], fr: ['kpost', 'la poste coreenne'], ko: ['우정사업본부', 'kpost'] }),
  value('import_type', ['11'], { en: ['general import'], fr: ['importation generale'], ko: ['일반수입'] }),
  // ---- cues that shape the question ----
  cue('group', {
    en: ['by', 'per', 'each', 'every', 'for each', 'broken down by', 'split by', 'grouped by', 'across'],
    fr: ['par', 'chaque', 'pour chaque', 'selon', 'ventile par'],
    ko: ['별', '별로', '마다', '각'],
  }),
  cue('most', {
    en: ['most', 'highest', 'largest', 'biggest', 'greatest', 'top', 'max', 'maximum', 'leading', 'busiest', 'worst', 'more'],
    fr: ['le plus', 'les plus', 'plus', 'plus eleve', 'plus elevee', 'plus eleves', 'plus grand', 'plus grande', 'plus gros', 'maximum', 'premiers', 'principaux', 'principales', 'meilleurs'],
    ko: ['가장', '제일', '최다', '최고', '최대', '상위', '많은', '많이', '높은', '큰', '많았던', '높았던', '많은가', '많나'],
  }),
  cue('least', {
    en: ['least', 'lowest', 'smallest', 'fewest', 'min', 'minimum', 'bottom', 'less'],
    fr: ['le moins', 'les moins', 'moins', 'plus faible', 'plus faibles', 'plus bas', 'minimum'],
    ko: ['최소', '최저', '하위', '적은', '낮은', '작은', '적었던', '낮았던'],
  }),
  cue('which', {
    en: ['which', 'what', 'who', 'whose', 'where'],
    fr: ['quel', 'quels', 'quelle', 'quelles', 'qui', 'lequel', 'lesquels', 'ou'],
    ko: ['어느', '어떤', '무슨', '어디', '누구', '뭐', '무엇', '어딘'],
  }),
  cue('top', { en: ['top', 'ranking', 'rank', 'leaders'], fr: ['top', 'classement', 'palmares'], ko: ['상위', '순위', '랭킹', '톱'] }),
  cue('compare', {
    en: ['compared', 'compare', 'comparison', 'versus', 'vs', 'than', 'against', 'relative to', 'change from', 'year over year', 'yoy'],
    fr: ['par rapport', 'compare', 'comparer', 'comparaison', 'contre', 'que', 'versus', 'vs', 'evolution par rapport'],
    ko: ['대비', '비교', '비해', '비하여', '보다', '대조', '견줘', '증감'],
  }),
  cue('negate', {
    en: ['not', 'except', 'excluding', 'exclude', 'other than', 'without', 'non', 'besides', 'apart from'],
    fr: ['sauf', 'hors', 'excepte', 'pas', 'non', 'autres que', 'autre que', 'a l exception', 'sans'],
    ko: ['제외', '제외한', '빼고', '이외', '아닌', '말고', '제외하고'],
  }),
  cue('trend', {
    en: ['trend', 'trends', 'over time', 'evolution', 'history', 'timeline', 'time series'],
    fr: ['evolution', 'tendance', 'tendances', 'au fil du temps', 'historique'],
    ko: ['추이', '추세', '변화', '흐름', '동향'],
  }),
  cue('person-context', {
    en: ['buyer', 'buyers', 'consumer', 'consumers', 'recipient', 'recipients', 'addressee', 'addressees', 'customer', 'customers', 'person', 'people', 'individual', 'individuals', 'consignee', 'consignees'],
    fr: ['acheteur', 'acheteurs', 'destinataire', 'destinataires', 'consommateur', 'consommateurs', 'client', 'clients', 'personne', 'personnes', 'particulier', 'particuliers'],
    ko: ['구매자', '수취인', '수하인', '소비자', '고객', '받는사람', '개인', '구매자들'],
  }),
  // ---- what may not be asked ----
  refuse('change', {
    en: ['delete', 'remove', 'drop', 'update', 'modify', 'insert', 'truncate', 'erase', 'alter', 'overwrite', 'set to', 'change the', 'mark as', 'grant', 'purge', 'wipe', 'cancel', 'add a', 'add new', 'edit', 'reset', 'approve', 'change'],
    fr: ['supprime', 'supprimer', 'supprimez', 'efface', 'effacer', 'effacez', 'modifie', 'modifier', 'modifiez', 'mets a jour', 'mettre a jour', 'mettez a jour', 'ajoute', 'ajouter', 'ajoutez', 'insere', 'inserer', 'inserez', 'annule', 'annuler', 'annulez', 'vide', 'vider', 'videz', 'change', 'changer', 'changez', 'remplace', 'remplacer', 'detruis', 'detruire', 'marque comme', 'marquer comme'],
    ko: ['삭제', '지워', '지우', '지워줘', '수정', '변경', '바꿔', '바꾸', '추가', '등록해', '입력해', '갱신', '업데이트', '취소해', '초기화', '제거', '삭제해', '고쳐', '덮어써', '처리해', '승인해'],
  }),
  refuse('personal', {
    en: ['pccc', 'personal customs code', 'customs clearance code', 'address', 'addresses', 'home address', 'phone', 'phone number', 'phone numbers', 'telephone', 'mobile number', 'email', 'e-mail', 'emails', 'passport', 'birth date', 'date of birth', 'resident registration', 'social security', 'contact details'],
    fr: ['pccc', 'adresse', 'adresses', 'telephone', 'telephones', 'numero de telephone', 'courriel', 'courriels', 'email', 'e-mail', 'passeport', 'date de naissance', 'coordonnees', 'code de dedouanement personnel'],
    ko: ['개인통관고유부호', '통관고유부호', '고유부호', '통관부호', '주소', '주소지', '배송지', '전화번호', '전화', '연락처', '휴대폰', '핸드폰', '이메일', '여권', '주민번호', '주민등록번호', '생년월일', 'pccc'],
  }),
  refuse('person', {
    en: ['name', 'names', 'full name', 'full names', 'who exactly'],
    fr: ['nom', 'noms', 'prenom', 'prenoms', 'nom complet'],
    ko: ['이름', '성명', '실명'],
  }),
]; // prettier-ignore

function countryEntries(): Entry[] {
  const extra: Record<string, Terms> = {
    US: {
      en: ['america', 'the states', 'usa', 'us', 'u.s.'],
      fr: ['etats unis', 'amerique', 'usa'],
      ko: ['미국'],
    },
    GB: {
      en: ['uk', 'britain', 'england', 'great britain'],
      fr: ['royaume uni', 'angleterre', 'grande bretagne'],
      ko: ['영국'],
    },
    KR: { en: ['korea', 'south korea'], fr: ['coree', 'coree du sud'], ko: ['한국', '국내'] },
    TW: { en: ['taiwan'], fr: ['taiwan'], ko: ['대만'] },
    CN: { en: ['china', 'prc', 'mainland china'], fr: ['chine'], ko: ['중국'] },
    JP: { en: ['japan'], fr: ['japon'], ko: ['일본'] },
    NL: { en: ['holland'], fr: ['hollande', 'pays bas'], ko: ['네덜란드'] },
    HK: { en: ['hongkong'], fr: ['hongkong'], ko: ['홍콩'] },
    VN: { en: ['viet nam'], fr: ['viet nam'], ko: ['베트남'] },
    DE: { en: ['germany'], fr: ['allemagne'], ko: ['독일'] },
  };
  // The adjectives officers use for origins ("Chinese parcels", déclarations américaines).
  const adjectives: Record<string, Terms> = {
    US: { en: ['american', 'us origin'], fr: ['americain', 'americaine', 'americains', 'americaines'] },
    GB: { en: ['british'], fr: ['britannique', 'britanniques'] },
    KR: { en: ['korean'], fr: ['coreen', 'coreenne', 'coreens', 'coreennes'] },
    TW: { en: ['taiwanese'], fr: ['taiwanais', 'taiwanaise', 'taiwanaises'] },
    CN: { en: ['chinese'], fr: ['chinois', 'chinoise', 'chinoises'] },
    JP: { en: ['japanese'], fr: ['japonais', 'japonaise', 'japonaises'] },
    NL: { en: ['dutch'], fr: ['neerlandais', 'neerlandaise', 'neerlandaises'] },
    VN: { en: ['vietnamese'], fr: ['vietnamien', 'vietnamienne', 'vietnamiens', 'vietnamiennes'] },
    DE: { en: ['german'], fr: ['allemand', 'allemande', 'allemands', 'allemandes'] },
    FR: { en: ['french'], fr: ['francais', 'francaise', 'francaises'] },
    IT: { en: ['italian'], fr: ['italien', 'italienne', 'italiens', 'italiennes'] },
    TH: { en: ['thai'], fr: ['thailandais', 'thailandaise', 'thailandaises'] },
    IN: { en: ['indian'], fr: ['indien', 'indienne', 'indiens', 'indiennes'] },
  }; // prettier-ignore
  const result: Entry[] = [];
  for (const code of Object.keys(countries.getAlpha2Codes())) {
    const terms: Record<Language, string[]> = { ko: [], en: [], fr: [] };
    for (const language of ['ko', 'en', 'fr'] as const) {
      const names = countries.getNames(language, { select: 'all' })[code] ?? [];
      terms[language].push(
        ...names.map((name) =>
          fold(name)
            .replace(/[-,.'()]/g, ' ')
            .replace(/\s+/g, ' ')
            .trim(),
        ),
      );
      terms[language].push(...(extra[code]?.[language] ?? []), ...(adjectives[code]?.[language] ?? []));
    }
    result.push(value('origin', [code], terms));
  }
  return result;
}

function chapterEntries(): Entry[] {
  const synonyms: Record<string, Terms> = {
    '30': { en: ['medicine', 'medicines', 'drugs', 'medication', 'pharma'], fr: ['medicaments', 'medicament', 'pharmacie'], ko: ['의약품', '약품', '의약'] },
    '33': { en: ['cosmetics', 'cosmetic', 'perfume', 'perfumes', 'makeup', 'beauty products'], fr: ['cosmetiques', 'cosmetique', 'parfum', 'parfums', 'maquillage'], ko: ['화장품', '향수'] },
    '61': { en: ['clothing', 'clothes', 'apparel', 'garments'], fr: ['vetements', 'vetement', 'habillement'], ko: ['의류', '옷'] },
    '62': { en: ['clothing', 'clothes', 'apparel', 'garments'], fr: ['vetements', 'vetement', 'habillement'], ko: ['의류', '옷'] },
    '64': { en: ['shoes', 'footwear', 'sneakers'], fr: ['chaussures', 'chaussure', 'baskets'], ko: ['신발', '운동화'] },
    '85': { en: ['electronics', 'electronic goods', 'phones', 'smartphones', 'electrical goods'], fr: ['electronique', 'appareils electroniques', 'telephones portables'], ko: ['전자제품', '전자', '전자기기', '가전'] },
    '84': { en: ['computers', 'machinery', 'laptops'], fr: ['ordinateurs', 'machines'], ko: ['컴퓨터', '기계', '노트북'] },
    '95': { en: ['toys', 'toy', 'games', 'sports goods'], fr: ['jouets', 'jouet', 'jeux'], ko: ['장난감', '완구', '게임기'] },
    '42': { en: ['bags', 'handbags', 'leather goods'], fr: ['sacs', 'sac', 'maroquinerie'], ko: ['가방', '핸드백', '가죽제품'] },
    '71': { en: ['jewellery', 'jewelry', 'jewels'], fr: ['bijoux', 'bijouterie'], ko: ['보석', '귀금속', '장신구'] },
    '91': { en: ['watches', 'clocks'], fr: ['montres', 'horlogerie'], ko: ['시계'] },
    '49': { en: ['books', 'printed matter'], fr: ['livres', 'imprimes'], ko: ['책', '도서', '서적'] },
    '22': { en: ['beverages', 'drinks', 'alcohol', 'liquor', 'wine'], fr: ['boissons', 'alcool', 'vin'], ko: ['음료', '주류'] },
    '24': { en: ['tobacco', 'cigarettes'], fr: ['tabac', 'cigarettes'], ko: ['담배'] },
    '93': { en: ['weapons', 'arms', 'firearms', 'guns', 'ammunition'], fr: ['armes', 'munitions'], ko: ['무기', '총기', '탄약'] },
    '94': { en: ['furniture', 'lamps', 'lighting'], fr: ['meubles', 'luminaires'], ko: ['가구', '조명'] },
    '90': { en: ['optical instruments', 'medical devices', 'medical instruments'], fr: ['instruments medicaux', 'optique'], ko: ['의료기기', '광학기기'] },
    '87': { en: ['vehicles', 'car parts', 'auto parts'], fr: ['vehicules', 'pieces auto'], ko: ['자동차', '차량', '자동차부품'] },
    '09': { en: ['coffee', 'tea', 'spices'], fr: ['cafe', 'epices'], ko: ['커피', '녹차', '향신료'] },
    '03': { en: ['fish', 'seafood'], fr: ['poisson', 'poissons', 'fruits de mer'], ko: ['수산물', '생선'] },
    '39': { en: ['plastics', 'plastic goods'], fr: ['plastiques', 'matieres plastiques'], ko: ['플라스틱'] },
    '21': { en: ['supplements', 'food supplements', 'health supplements', 'food preparations'], fr: ['complements alimentaires', 'preparations alimentaires'], ko: ['건강기능식품', '영양제', '건기식'] },
  }; // prettier-ignore
  const byTerm = new Map<string, { chapters: Set<string>; language: Language }>();
  for (const [chapter, terms] of Object.entries(synonyms)) {
    for (const language of ['ko', 'en', 'fr'] as const) {
      for (const term of terms[language] ?? []) {
        const key = `${language}:${term}`;
        const found = byTerm.get(key) ?? { chapters: new Set<string>(), language };
        found.chapters.add(chapter);
        byTerm.set(key, found);
      }
    }
  }
  return [...byTerm].map(([key, { chapters, language }]) =>
    value('hs_chapter', [...chapters].sort(), { [language]: [key.slice(3)] }),
  );
}

export interface LexiconEntry {
  /** The phrase in normal form; Korean phrases without spaces. */
  phrase: string;
  words: number;
  language: Language;
  concept: Concept;
}

let lexicon: LexiconEntry[] | undefined;

/** Every phrase of the glossary in normal form, built once. */
export function glossaryLexicon(): readonly LexiconEntry[] {
  if (lexicon) return lexicon;
  lexicon = [];
  for (const entry of [...entries, ...countryEntries(), ...chapterEntries()]) {
    for (const language of ['ko', 'en', 'fr'] as const) {
      for (const term of entry.terms[language] ?? []) {
        const phrase = language === 'ko' ? fold(term).replace(/\s+/g, '') : fold(term).replace(/-/g, ' ');
        lexicon.push({ phrase, words: phrase.split(' ').length, language, concept: entry.concept });
      }
    }
  }
  return lexicon;
}

/** The glossary as documentation: each concept with its words per language (GET /api/v1/questions/glossary). */
export function glossaryDocument(): { concept: Concept; terms: Terms }[] {
  return entries.map((entry) => ({ concept: entry.concept, terms: entry.terms }));
}

/** True for an ISO 3166 alpha-2 code ("CN"), as officers type origins in capitals. */
export function isCountryCode(code: string): boolean {
  return countries.isValid(code) && /^[A-Z]{2}$/.test(code);
}

/** A country's name in a language, for answers and restatements. */
export function countryName(code: string, language: Language): string {
  return countries.getName(code, language) ?? code;
}
