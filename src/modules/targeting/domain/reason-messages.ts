/**
 * Why a parcel is in its lane, stored as a message code with parameters and rendered in the reader's
 * language (Korean, English, French) when read, so that one decision reads right to every officer.
 * Findings an officer acts on come first as plain sentences with their evidence; engine details (model
 * signals, carrier multipliers) are marked `detail` for the console to fold away.
 */
import type { Message } from '../../../platform/i18n/messages.js';
import type { Lane } from './lane-decision.js';
import { renderHeuristicSignal } from './risk-scorer.js';

export const reasonLanguages = ['en', 'ko', 'fr'] as const;
export type ReasonLanguage = (typeof reasonLanguages)[number];

export type ReasonParams = Record<string, string | number | boolean | null>;

/** A reason as stored: a code from `templates` and its parameters. */
export interface ReasonMessage {
  code: ReasonCode;
  params: ReasonParams;
}

/** A reason as read: the sentence in the reader's language, and whether it is engine detail. */
export interface RenderedReason {
  code: string;
  text: string;
  detail: boolean;
  params: ReasonParams;
}

type Template = Record<ReasonLanguage, string> & { detail?: boolean };

/**
 * Puts a scorer's signal (a message of the model that scored the parcel) into words. The heuristic
 * scorer's signals are targeting's own; the GBDT model's are the risk module's, whose wording the
 * caller passes in.
 */
export type SignalWording = (message: Message, language: ReasonLanguage) => string;

/**
 * Sentences with `{name}` parameters. A parameter named `lane`, `from`, `to` or `was` is a lane,
 * `kind` a restricted-goods kind, `productClass` a product class, `level` a carrier risk level: each
 * is translated; numbers are formatted for the reader's locale.
 */
const templates = {
  'check.restricted_words': {
    en: 'The description "{description}" names {kind} ("{word}").',
    ko: '품명 "{description}"에 {kind} 관련 단어("{word}")가 있습니다.',
    fr: 'La désignation « {description} » nomme {kind} (« {word} »).',
  },
  'check.restricted_hs': {
    en: 'Declared under HS {hsCode}, a code of {kind}, as "{description}".',
    ko: '"{description}"이(가) {kind}에 해당하는 HS {hsCode}로 신고되었습니다.',
    fr: 'Déclaré sous le SH {hsCode}, un code de {kind}, comme « {description} ».',
  },
  'check.counterfeit_brand': {
    en: '"{description}" offers a {productClass} as "{word}": suspected counterfeit (intellectual property).',
    ko: '"{description}"은(는) {productClass}을(를) "{word}"(으)로 표시합니다: 위조품(지식재산권 침해) 의심.',
    fr: '« {description} » présente un article {productClass} comme « {word} » : contrefaçon présumée.',
  },
  'check.value_below_class': {
    en: 'Declared at {currency} {declared} a unit for "{description}" (about USD {declaredUsd}); a genuine {productClass} sells for USD {low}-{high}.',
    ko: '"{description}"의 단가가 {currency} {declared}(약 USD {declaredUsd})로 신고되었습니다. 정품 {productClass}의 가격은 USD {low}-{high}입니다.',
    fr: '« {description} » est déclaré {currency} {declared} l’unité (environ USD {declaredUsd}) ; un article {productClass} authentique se vend USD {low}-{high}.',
  },
  'check.value_below_norm': {
    en: '"{description}" is declared at {currency} {declared} a unit, {percent} % of the usual {currency} {norm} for HS {hsCode} (median of the last {lines} lines).',
    ko: '"{description}"의 단가 {currency} {declared}는 HS {hsCode}의 통상 단가 {currency} {norm}(최근 {lines}건 중앙값)의 {percent} %입니다.',
    fr: '« {description} » est déclaré {currency} {declared} l’unité, {percent} % du prix habituel de {currency} {norm} pour le SH {hsCode} (médiane des {lines} dernières lignes).',
  },
  'check.value_per_kg_below_norm': {
    en: '"{description}" is declared at {currency} {declared} per kg, {percent} % of the usual {currency} {norm} per kg for HS {hsCode} (median of the last {lines} lines).',
    ko: '"{description}"의 kg당 신고가 {currency} {declared}는 HS {hsCode}의 통상 kg당 {currency} {norm}(최근 {lines}건 중앙값)의 {percent} %입니다.',
    fr: '« {description} » est déclaré {currency} {declared} le kg, {percent} % des {currency} {norm} le kg habituels pour le SH {hsCode} (médiane des {lines} dernières lignes).',
  },
  'check.description_contradicts_hs': {
    en: '"{description}" reads as {productClass}, but the line is declared under HS {hsCode}, a code of other goods.',
    ko: '"{description}"은(는) {productClass}(으)로 보이나 다른 물품의 HS {hsCode}로 신고되었습니다.',
    fr: '« {description} » désigne un article {productClass}, mais la ligne est déclarée sous le SH {hsCode}, code d’autres marchandises.',
  },
  'check.split_series': {
    en: '{parcels} parcels for the same buyer arrive on {day}, together {currency} {total}, over the USD {limit} list-clearance limit while each stays under it: possible split purchase.',
    ko: '같은 구매자의 물품 {parcels}건이 {day}에 도착하며 합계 {currency} {total}로 목록통관 한도 USD {limit}를 넘지만 각각은 한도 이하입니다: 분할 반입 의심.',
    fr: '{parcels} colis pour le même acheteur arrivent le {day}, ensemble {currency} {total}, au-delà du seuil de USD {limit} alors que chacun reste en dessous : achat fractionné possible.',
  },
  'check.split_address_series': {
    en: '{parcels} parcels under {pcccs} different customs codes (PCCC) are delivered to one address on {day}, together {currency} {total}, over the USD {limit} list-clearance limit while each stays under it: possible purchase split over several names.',
    ko: '서로 다른 개인통관고유부호 {pcccs}개의 물품 {parcels}건이 {day}에 한 주소로 배송되며 합계 {currency} {total}로 목록통관 한도 USD {limit}를 넘지만 각각은 한도 이하입니다: 명의를 나눈 분할 반입 의심.',
    fr: '{parcels} colis sous {pcccs} codes douaniers (PCCC) différents sont livrés à une même adresse le {day}, ensemble {currency} {total}, au-delà du seuil de USD {limit} alors que chacun reste en dessous : achat fractionné entre plusieurs noms possible.',
  },
  'check.paid_over_declared': {
    en: 'The buyer paid {paidCurrency} {paid} for the marketplace order behind this parcel, which declares {currency} {declared}: the declared value is not the price paid.',
    ko: '구매자가 이 물품의 온라인 주문에 {paidCurrency} {paid}를 결제했으나 신고가는 {currency} {declared}입니다: 신고가가 실제 결제 금액이 아닙니다.',
    fr: 'L’acheteur a payé {paidCurrency} {paid} la commande en ligne de ce colis, qui déclare {currency} {declared} : la valeur déclarée n’est pas le prix payé.',
  },
  'check.pccc_many_names': {
    en: "The buyer's customs code (PCCC) appears under {names} different names on its recent parcels: possibly used without its holder.",
    ko: '구매자의 개인통관고유부호가 최근 물품에서 서로 다른 이름 {names}개로 사용되었습니다: 명의 도용 의심.',
    fr: 'Le code douanier personnel (PCCC) de l’acheteur figure sous {names} noms différents sur ses colis récents : possible usage à l’insu de son titulaire.',
  },
  'check.xray_threat': {
    en: 'The X-ray image shows a threat: {labels}.',
    ko: 'X-ray 영상에서 위해물품이 식별되었습니다: {labels}.',
    fr: 'L’image radioscopique montre une menace : {labels}.',
  },
  'check.xray_suspicious': {
    en: 'An X-ray analyst marked the image suspicious.',
    ko: 'X-ray 판독관이 영상을 의심으로 표시했습니다.',
    fr: 'Un analyste a marqué l’image radioscopique comme suspecte.',
  },
  'check.xray_mismatch': {
    en: 'The X-ray image does not match the declared goods.',
    ko: 'X-ray 영상이 신고 물품과 일치하지 않습니다.',
    fr: 'L’image radioscopique ne correspond pas aux marchandises déclarées.',
  },
  'lane.rule_matched': {
    en: 'Rule "{rule}" (v{version}) matched: {lane}.',
    ko: '규칙 "{rule}"(v{version})에 해당: {lane}.',
    fr: 'La règle « {rule} » (v{version}) s’applique : {lane}.',
  },
  'lane.rule_not_selected': {
    en: 'Rule "{rule}" (v{version}) matched; the parcel is not in its {selectionPercent} % selected share.',
    ko: '규칙 "{rule}"(v{version})에 해당하나 선별 비율 {selectionPercent} %에 들지 않았습니다.',
    fr: 'La règle « {rule} » (v{version}) s’applique ; le colis n’est pas dans sa part sélectionnée de {selectionPercent} %.',
    detail: true,
  },
  'lane.model': {
    en: 'Risk score {score} is among the riskiest {topPercent} % of recent parcels at this office: {lane}.',
    ko: '위험 점수 {score}은(는) 이 세관 최근 물품 중 상위 {topPercent} %에 속합니다: {lane}.',
    fr: 'Le score de risque {score} est parmi les {topPercent} % les plus risqués des colis récents de ce bureau : {lane}.',
  },
  'lane.nothing_holds': {
    en: 'Risk score {score}: no rule, check or model signal holds the parcel.',
    ko: '위험 점수 {score}: 보류할 규칙, 검사 또는 모델 신호가 없습니다.',
    fr: 'Score de risque {score} : aucune règle, vérification ni signal du modèle ne retient le colis.',
  },
  'lane.exploration': {
    en: 'Picked for exploration ({percent} % of parcels, weighted to uncertain scores) so that the model keeps learning; not a model finding.',
    ko: '모델 학습을 위한 탐색 선별(물품의 {percent} %, 불확실한 점수에 가중)입니다. 모델의 위험 판단이 아닙니다.',
    fr: 'Choisi pour exploration ({percent} % des colis, surtout aux scores incertains) afin que le modèle continue d’apprendre ; pas un constat du modèle.',
  },
  'lane.random_control': {
    en: 'Picked at random as a control sample ({percent} % of parcels); not a risk finding.',
    ko: '무작위 통제 표본으로 선별되었습니다(물품의 {percent} %). 위험 판단이 아닙니다.',
    fr: 'Tiré au hasard comme échantillon de contrôle ({percent} % des colis) ; pas un constat de risque.',
  },
  'lane.xray_referral': {
    en: 'Referred to X-ray by a rule.',
    ko: '규칙에 따라 X-ray 검사로 회부되었습니다.',
    fr: 'Orienté vers la radioscopie par une règle.',
  },
  'lane.carrier_level': {
    en: 'Carrier {carrier} is at {level} risk: its selection rate is multiplied by {multiplier}.',
    ko: '운송사 {carrier}의 위험 등급은 {level}입니다: 선별 비율 ×{multiplier}.',
    fr: 'Le transporteur {carrier} est à risque {level} : son taux de sélection est multiplié par {multiplier}.',
    detail: true,
  },
  'capacity.moved': {
    en: 'The {from} lane of office {office} is full for {day} with higher-ranked parcels: moved to {to}.',
    ko: '{day} 세관 {office}의 {from} 처리 한도가 상위 순위 물품으로 찼습니다: {to}(으)로 이동.',
    fr: 'Le circuit {from} du bureau {office} est plein pour le {day} avec des colis mieux classés : passé en {to}.',
  },
  'capacity.displaced': {
    en: 'Displaced from {from} by higher-ranked parcel {parcel} (office {office}, {day}): moved to {to}.',
    ko: '상위 순위 물품 {parcel}에 밀려 {from}에서 {to}(으)로 이동했습니다(세관 {office}, {day}).',
    fr: 'Déplacé de {from} par le colis mieux classé {parcel} (bureau {office}, {day}) : passé en {to}.',
  },
  override: {
    en: 'Decided by {by}: {reason} (was {was}).',
    ko: '{by}의 결정: {reason} (이전 {was}).',
    fr: 'Décidé par {by} : {reason} (auparavant {was}).',
  },
  'engine.model_signals': {
    en: 'Model {model}: {signals}',
    ko: '모델 {model}: {signals}',
    fr: 'Modèle {model} : {signals}',
    detail: true,
  },
  'engine.product_safety': {
    en: 'Product-safety report #{report} ({hazard}) matched on {matchedOn}.',
    ko: '제품안전 신고 #{report}({hazard})와 일치: {matchedOn}.',
    fr: 'Le signalement de sécurité des produits n°{report} ({hazard}) correspond : {matchedOn}.',
    detail: true,
  },
  'engine.model_failed': {
    en: 'Model {model} failed ({error}); scored by {fallback}.',
    ko: '모델 {model} 오류({error}): {fallback}(으)로 평가했습니다.',
    fr: 'Le modèle {model} a échoué ({error}) ; score calculé par {fallback}.',
    detail: true,
  },
  'carrier.outcome': {
    en: '{outcome}',
    ko: '{outcome}',
    fr: '{outcome}',
  },
} satisfies Record<string, Template>;

export type ReasonCode = keyof typeof templates;

const laneNames: Record<Lane, Record<ReasonLanguage, string>> = {
  red: { en: 'red (physical inspection)', ko: '적색(물품 검사)', fr: 'rouge (visite physique)' },
  yellow: { en: 'yellow (document check)', ko: '황색(서류 심사)', fr: 'jaune (contrôle documentaire)' },
  blue: { en: 'blue (post-clearance audit)', ko: '청색(사후 심사)', fr: 'bleu (contrôle a posteriori)' },
  green: { en: 'green (release)', ko: '녹색(반출)', fr: 'vert (mainlevée)' },
};

const carrierOutcomes: Record<Lane, Record<ReasonLanguage, string>> = {
  red: { en: 'held for physical inspection', ko: '물품 검사를 위해 보류', fr: 'retenu pour visite physique' },
  yellow: {
    en: 'held for document check',
    ko: '서류 심사를 위해 보류',
    fr: 'retenu pour contrôle documentaire',
  },
  blue: {
    en: 'released; subject to post-clearance audit',
    ko: '반출; 사후 심사 대상',
    fr: 'mainlevée ; soumis à contrôle a posteriori',
  },
  green: { en: 'released', ko: '반출', fr: 'mainlevée' },
};

const kindNames: Record<string, Record<ReasonLanguage, string>> = {
  weapon: { en: 'arms or ammunition', ko: '총포·탄약류', fr: 'des armes ou munitions' },
  narcotic: { en: 'narcotics', ko: '마약류', fr: 'des stupéfiants' },
  counterfeit: { en: 'a counterfeit', ko: '위조품', fr: 'une contrefaçon' },
};

const levelNames: Record<string, Record<ReasonLanguage, string>> = {
  low: { en: 'low', ko: '낮음', fr: 'faible' },
  medium: { en: 'medium', ko: '보통', fr: 'moyen' },
  high: { en: 'high', ko: '높음', fr: 'élevé' },
};

/** Product class names (see product-classes.ts), as an officer would say them. */
export const productClassNames: Record<string, Record<ReasonLanguage, string>> = {
  premium_smartphone: { en: 'flagship smartphone', ko: '고급 스마트폰', fr: 'smartphone haut de gamme' },
  smartphone: { en: 'smartphone', ko: '스마트폰', fr: 'smartphone' },
  premium_laptop: { en: 'premium laptop', ko: '고급 노트북', fr: 'ordinateur portable haut de gamme' },
  laptop: { en: 'laptop', ko: '노트북', fr: 'ordinateur portable' },
  premium_tablet: { en: 'premium tablet', ko: '고급 태블릿', fr: 'tablette haut de gamme' },
  tablet_computer: { en: 'tablet computer', ko: '태블릿', fr: 'tablette' },
  luxury_watch: { en: 'luxury watch', ko: '명품 시계', fr: 'montre de luxe' },
  luxury_jewellery: { en: 'luxury jewellery', ko: '명품 보석', fr: 'bijou de luxe' },
  smartwatch: { en: 'smartwatch', ko: '스마트워치', fr: 'montre connectée' },
  watch: { en: 'watch', ko: '시계', fr: 'montre' },
  luxury_bag: { en: 'luxury bag', ko: '명품 가방', fr: 'sac de luxe' },
  luxury_brand_goods: { en: 'luxury-brand article', ko: '명품 브랜드 물품', fr: 'article de marque de luxe' },
  premium_headphones: { en: 'premium earphones', ko: '고급 이어폰', fr: 'écouteurs haut de gamme' },
  game_console: { en: 'game console', ko: '게임기', fr: 'console de jeu' },
  camera: { en: 'camera', ko: '카메라', fr: 'appareil photo' },
  premium_drone: { en: 'camera drone', ko: '촬영용 드론', fr: 'drone de prise de vue' },
  drone: { en: 'drone', ko: '드론', fr: 'drone' },
  graphics_card: { en: 'graphics card', ko: '그래픽카드', fr: 'carte graphique' },
  gold_jewellery: { en: 'gold jewellery', ko: '금 장신구', fr: 'bijou en or' },
  luxury_cosmetics: { en: 'luxury cosmetics', ko: '고급 화장품', fr: 'cosmétique de luxe' },
  cosmetics: { en: 'cosmetics', ko: '화장품', fr: 'cosmétique' },
  perfume: { en: 'perfume', ko: '향수', fr: 'parfum' },
  supplements: { en: 'health supplement', ko: '건강기능식품', fr: 'complément alimentaire' },
  premium_sneakers: { en: 'collectable sneakers', ko: '한정판 운동화', fr: 'baskets de collection' },
  footwear: { en: 'footwear', ko: '신발', fr: 'chaussures' },
  clothing: { en: 'clothing', ko: '의류', fr: 'vêtement' },
  toy: { en: 'toy', ko: '장난감', fr: 'jouet' },
  book: { en: 'book', ko: '도서', fr: 'livre' },
  notebook_or_laptop: { en: 'notebook', ko: '노트', fr: 'carnet' },
  storage_box: { en: 'storage box', ko: '수납함', fr: 'boîte de rangement' },
  keychain: { en: 'keychain', ko: '키링', fr: 'porte-clés' },
  phone_accessory: {
    en: 'phone case or accessory',
    ko: '휴대폰 케이스·액세서리',
    fr: 'coque ou accessoire de téléphone',
  },
  documents: { en: 'documents', ko: '서류', fr: 'documents' },
  fashion_jewellery: { en: 'fashion jewellery', ko: '패션 장신구', fr: 'bijou fantaisie' },
};

const locales: Record<ReasonLanguage, string> = { en: 'en-GB', ko: 'ko-KR', fr: 'fr-FR' };

export function reason(code: ReasonCode, params: ReasonParams = {}): ReasonMessage {
  return { code, params };
}

/** Stored form: one JSON text per reason (the decision table keeps an array of texts). */
export function encodeReason(message: ReasonMessage): string {
  return JSON.stringify(message);
}

/** A stored reason back as a message; texts written before reasons had codes stay as they are. */
export function decodeReason(stored: string): ReasonMessage | string {
  if (!stored.startsWith('{"code":')) return stored;
  try {
    const parsed = JSON.parse(stored) as ReasonMessage;
    return parsed.code in templates ? parsed : stored;
  } catch {
    return stored;
  }
}

/** Renders a stored reason in the reader's language. */
export function renderReason(
  stored: string | ReasonMessage,
  language: ReasonLanguage,
  signalWording: SignalWording = renderHeuristicSignal,
): RenderedReason {
  const message = typeof stored === 'string' ? decodeReason(stored) : stored;
  if (typeof message === 'string') return { code: 'text', text: message, detail: false, params: {} };
  const template: Template = templates[message.code];
  const numbers = new Intl.NumberFormat(locales[language], { maximumFractionDigits: 2 });
  const text = template[language].replace(/\{(\w+)\}/g, (whole, name: string) => {
    const value = message.params[name];
    if (value === undefined || value === null) return whole === '{labels}' ? '' : '–';
    if (name === 'signals' && typeof value === 'string') return signalsText(value, language, signalWording);
    return formatParam(name, value, language, numbers);
  });
  return { code: message.code, text, detail: template.detail === true, params: message.params };
}

function formatParam(
  name: string,
  value: string | number | boolean,
  language: ReasonLanguage,
  numbers: Intl.NumberFormat,
): string {
  if (typeof value === 'number') return numbers.format(value);
  if (typeof value === 'boolean') return String(value);
  switch (name) {
    case 'lane':
    case 'from':
    case 'to':
    case 'was':
      return laneNames[value as Lane]?.[language] ?? value;
    case 'outcome':
      return carrierOutcomes[value as Lane]?.[language] ?? value;
    case 'kind':
      return kindNames[value]?.[language] ?? value;
    case 'level':
      return levelNames[value]?.[language] ?? value;
    case 'productClass':
      return productClassNames[value]?.[language] ?? value;
    default:
      return value;
  }
}

/** A scorer's signals, stored as a JSON list of messages; decisions older than that kept English text. */
function signalsText(stored: string, language: ReasonLanguage, signalWording: SignalWording): string {
  if (!stored.startsWith('[')) return stored;
  try {
    return (JSON.parse(stored) as Message[]).map((message) => signalWording(message, language)).join('; ');
  } catch {
    return stored;
  }
}

/** Findings first, engine detail last, each group in the order it was written. */
export function renderReasons(
  stored: readonly string[],
  language: ReasonLanguage,
  signalWording?: SignalWording,
): RenderedReason[] {
  const rendered = stored.map((item) => renderReason(item, language, signalWording));
  return [...rendered.filter((item) => !item.detail), ...rendered.filter((item) => item.detail)];
}
