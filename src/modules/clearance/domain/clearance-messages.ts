/**
 * What clearance writes for people, kept as message codes with parameters and put into the reader's
 * language (Korean, English, French) when read: the reasons of an assessment and the lines the system
 * writes into a parcel's history. An officer's own words in the history are stored and shown as typed.
 */
import type { Locale } from '../../../platform/i18n/locale.js';
import {
  renderMessage,
  type Message,
  type MessageCatalogue,
  type MessageParams,
  type ParamWords,
} from '../../../platform/i18n/messages.js';
import type { AssessmentReason } from './tax-assessment.js';

/** Sentences of an assessment's reasons, by reason code. */
export const assessmentReasonMessages = {
  combined_taxation: {
    en: '{parcels} parcels are assessed together (split from one B/L or AWB, or bought from one seller on one date): goods price USD {usd} in total',
    ko: '물품 {parcels}건을 합산하여 심사합니다(하나의 B/L·AWB에서 분할되었거나 같은 판매자에게서 같은 날 구매): 물품가격 합계 USD {usd}',
    fr: '{parcels} colis sont liquidés ensemble (fractionnés d’un même connaissement ou LTA, ou achetés au même vendeur le même jour) : prix des marchandises USD {usd} au total',
  },
  over_list_clearance_limit: {
    en: 'Goods price USD {usd} is over the list-clearance limit of USD {limit}',
    ko: '물품가격 USD {usd}가 목록통관 한도 USD {limit}를 넘습니다',
    fr: 'Le prix des marchandises, USD {usd}, dépasse le seuil de dédouanement sur liste de USD {limit}',
  },
  within_list_clearance_limit: {
    en: 'Goods price USD {usd} is within the list-clearance limit of USD {limit}',
    ko: '물품가격 USD {usd}가 목록통관 한도 USD {limit} 이내입니다',
    fr: 'Le prix des marchandises, USD {usd}, reste dans le seuil de dédouanement sur liste de USD {limit}',
  },
  excluded_goods: {
    en: 'Line {line} "{description}" is excluded from list clearance: {categories}',
    ko: '{line}번 품목 "{description}"은(는) 목록통관 배제 대상입니다: {categories}',
    fr: 'La ligne {line} « {description} » est exclue du dédouanement sur liste : {categories}',
  },
  vague_description: {
    en: 'Line {line} "{description}" does not describe the goods',
    ko: '{line}번 품목 "{description}"은(는) 물품을 설명하지 않습니다',
    fr: 'La ligne {line} « {description} » ne décrit pas les marchandises',
  },
  mixed_parcel: {
    en: '{excluded} of {total} lines are excluded goods: the whole parcel goes to formal clearance',
    ko: '{total}개 품목 중 {excluded}개가 배제 물품입니다: 물품 전체가 일반수입신고 대상입니다',
    fr: '{excluded} lignes sur {total} sont des marchandises exclues : tout le colis passe en dédouanement normal',
  },
  missing_pccc: {
    en: 'No PCCC (personal customs clearance code): list clearance needs one',
    ko: '개인통관고유부호가 없습니다: 목록통관에는 필요합니다',
    fr: 'Aucun PCCC (code douanier personnel) : le dédouanement sur liste en exige un',
  },
  over_duty_free_limit: {
    en: 'Formal clearance: goods price USD {usd} is over the duty-free limit of USD {limit}, the whole value is taxed',
    ko: '일반수입신고: 물품가격 USD {usd}가 면세 한도 USD {limit}를 넘어 전액 과세됩니다',
    fr: 'Dédouanement normal : le prix des marchandises, USD {usd}, dépasse la franchise de USD {limit} ; toute la valeur est taxée',
  },
  within_duty_free_limit: {
    en: 'Formal clearance without tax: goods price USD {usd} is within the duty-free limit of USD {limit}',
    ko: '일반수입신고, 면세: 물품가격 USD {usd}가 면세 한도 USD {limit} 이내입니다',
    fr: 'Dédouanement normal sans taxe : le prix des marchandises, USD {usd}, reste dans la franchise de USD {limit}',
  },
  default_duty_rate: {
    en: 'Line {line}: no tariff entry for HS {hsCode}, default duty rate {percent} %',
    ko: '{line}번 품목: HS {hsCode}의 세율 항목이 없어 기본 관세율 {percent} %를 적용합니다',
    fr: 'Ligne {line} : aucune entrée tarifaire pour le SH {hsCode}, taux de droit par défaut {percent} %',
  },
  below_minimum_collection: {
    en: 'Tax of KRW {taxKrw} is under the minimum collected amount of KRW {minimumKrw}: not collected',
    ko: '세액 {taxKrw}원이 최소 징수액 {minimumKrw}원 미만이므로 징수하지 않습니다',
    fr: 'La taxe de {taxKrw} KRW est inférieure au montant minimal perçu de {minimumKrw} KRW : non perçue',
  },
  pccc_suspended: {
    en: 'List clearance is suspended under this PCCC (misuse reported or suspended by its holder)',
    ko: '이 개인통관고유부호로는 목록통관이 정지되어 있습니다 (도용 신고 또는 본인 정지)',
    fr: 'Le dédouanement sur liste est suspendu pour ce PCCC (usurpation signalée ou suspension par son titulaire)',
  },
} satisfies MessageCatalogue<AssessmentReason['code']>;

/** Lines the system writes into a parcel's history. */
export const historyMessages = {
  'history.received': {
    en: 'declaration received',
    ko: '신고 접수',
    fr: 'déclaration reçue',
  },
  'history.list_clearance': {
    en: 'list clearance',
    ko: '목록통관',
    fr: 'dédouanement sur liste',
  },
  'history.formal_taxed': {
    en: 'formal clearance, tax KRW {taxKrw}',
    ko: '일반수입신고, 세액 {taxKrw}원',
    fr: 'dédouanement normal, taxe {taxKrw} KRW',
  },
  'history.formal_untaxed': {
    en: 'formal clearance without tax',
    ko: '일반수입신고, 면세',
    fr: 'dédouanement normal sans taxe',
  },
  'history.combined': {
    en: 'assessed with parcels {parcels} (combined taxation)',
    ko: '물품 {parcels}와(과) 합산과세로 심사',
    fr: 'liquidé avec les colis {parcels} (taxation cumulée)',
  },
  'history.reassessed': {
    en: 're-assessed: {outcome}',
    ko: '재심사: {outcome}',
    fr: 'liquidé à nouveau : {outcome}',
  },
  'history.waiting_for_rates': {
    en: 'waiting for the exchange rates of week {week} of {year}',
    ko: '{year}년 {week}주차 환율을 기다리는 중',
    fr: 'en attente des taux de change de la semaine {week} de {year}',
  },
  'history.rates_loaded': {
    en: 'weekly exchange rates loaded',
    ko: '주간 환율 등록됨',
    fr: 'taux de change hebdomadaires chargés',
  },
  'history.carrier_request': {
    en: '{kind}: {text}',
    ko: '{kind}: {text}',
    fr: '{kind} : {text}',
  },
} satisfies MessageCatalogue;

export type HistoryCode = keyof typeof historyMessages;

const exclusionCategoryNames: Record<string, Record<Locale, string>> = {
  medicine: { en: 'Medicines', ko: '의약품', fr: 'Médicaments' },
  medicinal_herb: { en: 'Medicinal herbs', ko: '한약재', fr: 'Plantes médicinales' },
  cites_wildlife: { en: 'CITES wildlife products', ko: 'CITES 야생동식물 제품', fr: 'Produits CITES' },
  quarantine: { en: 'Quarantine goods', ko: '검역 대상 물품', fr: 'Marchandises soumises à quarantaine' },
  health_supplement: { en: 'Health supplements', ko: '건강기능식품', fr: 'Compléments alimentaires' },
  ipr_suspect: {
    en: 'Suspected IPR-infringing goods',
    ko: '지식재산권 침해 의심 물품',
    fr: 'Marchandises soupçonnées de contrefaçon',
  },
  food: { en: 'Food', ko: '식품', fr: 'Denrées alimentaires' },
  alcohol_tobacco: { en: 'Alcohol and tobacco', ko: '주류·담배', fr: 'Alcool et tabac' },
  functional_cosmetic: { en: 'Functional cosmetics', ko: '기능성 화장품', fr: 'Cosmétiques fonctionnels' },
};

const carrierRequestNames: Record<string, Record<Locale, string>> = {
  request_for_information: { en: 'request for information', ko: '정보 요청', fr: "demande d'informations" },
  request_for_amendment: { en: 'request for amendment', ko: '정정 요청', fr: 'demande de rectification' },
};

const words: ParamWords = { kind: carrierRequestNames };

/**
 * The excluded categories of a line as stored (`code:evidence` pairs joined by `|`), in the reader's
 * words; a category an administration added to its rules file keeps the label it was stored with.
 */
function categoriesText(stored: string, locale: Locale): string {
  return stored
    .split('|')
    .map((entry) => {
      const [code = '', evidence = '', label = code] = entry.split('\u001f');
      return `${exclusionCategoryNames[code]?.[locale] ?? label} (${evidence})`;
    })
    .join(', ');
}

/** Stored form of the excluded categories of a line (see `categoriesText`). */
export function storedCategories(
  exclusions: readonly { category: string; label: string; evidence: string }[],
) {
  return exclusions.map((item) => [item.category, item.evidence, item.label].join('\u001f')).join('|');
}

/** An assessment reason's sentence in the reader's language; reasons stored without parameters keep theirs. */
export function assessmentReasonText(reason: AssessmentReason, locale: Locale): string {
  if (!reason.params) return reason.message;
  const params: MessageParams = { ...reason.params };
  if (typeof params.categories === 'string') params.categories = categoriesText(params.categories, locale);
  return renderMessage(assessmentReasonMessages, { code: reason.code, params }, locale);
}

/** A history line as stored: the message as JSON, so that it is put into words when read. */
export function historyLine(code: HistoryCode, params: MessageParams = {}): string {
  return JSON.stringify({ code, params } satisfies Message);
}

/** A stored history line in the reader's language; an officer's own words come back as written. */
export function historyText(stored: string, locale: Locale): string {
  if (!stored.startsWith('{"code":"history.')) return stored;
  try {
    const message = JSON.parse(stored) as Message;
    if (message.code === 'history.reassessed' && typeof message.params.outcome === 'string')
      return renderMessage(
        historyMessages,
        { ...message, params: { outcome: historyText(message.params.outcome, locale) } },
        locale,
      );
    return renderMessage(historyMessages, message, locale, words);
  } catch {
    return stored;
  }
}
