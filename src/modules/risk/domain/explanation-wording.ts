/**
 * Every sentence an officer reads about why a declaration scored as it did, in Korean, English and
 * French. A contribution is kept as a message (code and parameters, see platform/i18n/messages.ts) so
 * that whoever stores it can put it into the reader's language when it is read; kept in one file so
 * that the wording can be reviewed without touching the model.
 */
import type { Locale } from '../../../platform/i18n/locale.js';
import {
  renderMessage,
  type Message,
  type MessageCatalogue,
  type ParamWords,
} from '../../../platform/i18n/messages.js';
import type { RiskDeclaration } from './risk-declaration.js';

/** What each entity group of the features is called: "the seller", "the importer with this HS6 code". */
const ENTITY_NAMES: Record<string, Record<Locale, string>> = {
  importer: { en: 'importer', ko: '수입자', fr: 'importateur' },
  declarant: { en: 'declarant', ko: '신고인', fr: 'déclarant' },
  seller: { en: 'seller', ko: '판매자', fr: 'vendeur' },
  courier: { en: 'courier', ko: '운송사', fr: 'transporteur' },
  hs6: { en: 'HS6 code', ko: 'HS6 코드', fr: 'code SH6' },
  hs4: { en: 'HS heading', ko: 'HS 호', fr: 'position SH' },
  hs2: { en: 'HS chapter', ko: 'HS 류', fr: 'chapitre SH' },
  office: { en: 'customs office', ko: '세관', fr: 'bureau de douane' },
  departure: { en: 'departure country', ko: '출발국', fr: 'pays de départ' },
  origin: { en: 'origin country', ko: '원산지', fr: "pays d'origine" },
  tax_type: { en: 'tax type', ko: '과세 유형', fr: 'type de taxe' },
  origin_indicator: { en: 'origin indicator', ko: '원산지 표시', fr: "indicateur d'origine" },
  process_type: { en: 'process type', ko: '통관 절차', fr: 'type de procédure' },
  import_type: { en: 'import type', ko: '수입 유형', fr: "type d'importation" },
  import_use: { en: 'import use', ko: '수입 용도', fr: "usage de l'importation" },
  payment_type: { en: 'payment type', ko: '결제 유형', fr: 'mode de paiement' },
  transport_mode: { en: 'transport mode', ko: '운송 수단', fr: 'mode de transport' },
  importer_hs6: {
    en: 'importer with this HS6 code',
    ko: 'HS6 코드의 수입자',
    fr: 'importateur pour ce code SH6',
  },
  declarant_hs6: {
    en: 'declarant with this HS6 code',
    ko: 'HS6 코드의 신고인',
    fr: 'déclarant pour ce code SH6',
  },
  seller_hs6: { en: 'seller with this HS6 code', ko: 'HS6 코드의 판매자', fr: 'vendeur pour ce code SH6' },
  importer_declarant: {
    en: 'importer with this declarant',
    ko: '신고인을 통한 수입자',
    fr: 'importateur avec ce déclarant',
  },
  importer_seller: {
    en: 'importer with this seller',
    ko: '판매자에게 산 수입자',
    fr: 'importateur avec ce vendeur',
  },
  declarant_office: {
    en: 'declarant at this office',
    ko: '세관의 신고인',
    fr: 'déclarant dans ce bureau',
  },
  seller_origin: {
    en: 'seller with this origin',
    ko: '원산지의 판매자',
    fr: 'vendeur pour cette origine',
  },
  hs6_origin: {
    en: 'HS6 code from this origin',
    ko: '원산지의 HS6 코드',
    fr: 'code SH6 de cette origine',
  },
  hs6_departure: {
    en: 'HS6 code from this departure country',
    ko: '출발국의 HS6 코드',
    fr: 'code SH6 de ce pays de départ',
  },
  hs6_tax_type: {
    en: 'HS6 code with this tax type',
    ko: '과세 유형의 HS6 코드',
    fr: 'code SH6 avec ce type de taxe',
  },
  hs6_office: { en: 'HS6 code at this office', ko: '세관의 HS6 코드', fr: 'code SH6 dans ce bureau' },
  hs6_origin_indicator: {
    en: 'HS6 code with this origin indicator',
    ko: '원산지 표시의 HS6 코드',
    fr: "code SH6 avec cet indicateur d'origine",
  },
};

const EFFECTS: Record<string, Record<Locale, string>> = {
  raises: { en: 'raises risk', ko: '위험 증가', fr: 'augmente le risque' },
  lowers: { en: 'lowers risk', ko: '위험 감소', fr: 'diminue le risque' },
};

const words: ParamWords = { entity: ENTITY_NAMES, effect: EFFECTS };

/** One sentence per kind of signal; `{effect}` says whether it raised or lowered the score. */
// Korean entity names carry no demonstrative: the sentences put "이" (this) before them once.
export const riskSignalMessages = {
  'signal.fraud_rate': {
    en: 'past fraud rate of this {entity} {rate} % ({effect})',
    ko: '이 {entity}의 과거 부정 비율 {rate} % ({effect})',
    fr: 'taux de fraude passé de ce {entity} : {rate} % ({effect})',
  },
  'signal.critical_rate': {
    en: 'past critical-fraud rate of this {entity} {rate} % ({effect})',
    ko: '이 {entity}의 과거 중대 부정 비율 {rate} % ({effect})',
    fr: 'taux de fraude grave passé de ce {entity} : {rate} % ({effect})',
  },
  'signal.first_declaration': {
    en: 'first declaration of this {entity} ({effect})',
    ko: '이 {entity}의 첫 신고 ({effect})',
    fr: 'première déclaration de ce {entity} ({effect})',
  },
  'signal.earlier_declarations': {
    en: '{count} earlier declarations of this {entity} ({effect})',
    ko: '이 {entity}의 이전 신고 {count}건 ({effect})',
    fr: '{count} déclarations antérieures de ce {entity} ({effect})',
  },
  'signal.entity_missing': {
    en: 'no {entity} given ({effect})',
    ko: '{entity} 정보 없음 ({effect})',
    fr: 'aucun {entity} indiqué ({effect})',
  },
  'signal.price': {
    en: 'declared price KRW {krw} ({effect})',
    ko: '신고 가격 {krw}원 ({effect})',
    fr: 'prix déclaré {krw} KRW ({effect})',
  },
  'signal.price_missing': {
    en: 'no declared price ({effect})',
    ko: '신고 가격 없음 ({effect})',
    fr: 'aucun prix déclaré ({effect})',
  },
  'signal.net_mass': {
    en: 'net mass {kg} kg ({effect})',
    ko: '순중량 {kg} kg ({effect})',
    fr: 'masse nette {kg} kg ({effect})',
  },
  'signal.net_mass_missing': {
    en: 'no net mass ({effect})',
    ko: '순중량 없음 ({effect})',
    fr: 'aucune masse nette ({effect})',
  },
  'signal.value_per_kg': {
    en: 'value KRW {krw} per kg ({effect})',
    ko: 'kg당 가격 {krw}원 ({effect})',
    fr: 'valeur {krw} KRW par kg ({effect})',
  },
  'signal.value_per_kg_missing': {
    en: 'value per kg unknown ({effect})',
    ko: 'kg당 가격을 알 수 없음 ({effect})',
    fr: 'valeur au kg inconnue ({effect})',
  },
  'signal.value_below_norm': {
    en: 'unit value {percent} % below the HS {hsCode} norm ({effect})',
    ko: '단가가 HS {hsCode} 기준보다 {percent} % 낮음 ({effect})',
    fr: 'valeur unitaire inférieure de {percent} % à la norme du SH {hsCode} ({effect})',
  },
  'signal.value_above_norm': {
    en: 'unit value {percent} % above the HS {hsCode} norm ({effect})',
    ko: '단가가 HS {hsCode} 기준보다 {percent} % 높음 ({effect})',
    fr: 'valeur unitaire supérieure de {percent} % à la norme du SH {hsCode} ({effect})',
  },
  'signal.value_times_norm': {
    en: 'unit value {times} times the HS {hsCode} norm ({effect})',
    ko: '단가가 HS {hsCode} 기준의 {times}배 ({effect})',
    fr: 'valeur unitaire égale à {times} fois la norme du SH {hsCode} ({effect})',
  },
  'signal.value_norm_missing': {
    en: 'unit value cannot be compared with the HS norm ({effect})',
    ko: '단가를 HS 기준과 비교할 수 없음 ({effect})',
    fr: 'valeur unitaire non comparable à la norme SH ({effect})',
  },
  'signal.duty_rate': {
    en: 'duty rate {rate} % ({effect})',
    ko: '관세율 {rate} % ({effect})',
    fr: 'taux de droit {rate} % ({effect})',
  },
  'signal.duty_rate_missing': {
    en: 'no duty rate ({effect})',
    ko: '관세율 없음 ({effect})',
    fr: 'aucun taux de droit ({effect})',
  },
  'signal.shipped_from_elsewhere': {
    en: 'shipped from a country other than its origin ({effect})',
    ko: '원산지가 아닌 나라에서 발송 ({effect})',
    fr: "expédié d'un autre pays que son origine ({effect})",
  },
  'signal.shipped_from_origin': {
    en: 'shipped from its origin country ({effect})',
    ko: '원산지에서 발송 ({effect})',
    fr: "expédié de son pays d'origine ({effect})",
  },
  'signal.countries_missing': {
    en: 'departure or origin country unknown ({effect})',
    ko: '출발국 또는 원산지 불명 ({effect})',
    fr: "pays de départ ou d'origine inconnu ({effect})",
  },
} satisfies MessageCatalogue;

export type RiskSignalCode = keyof typeof riskSignalMessages;

const significant = (value: number) => Number(value.toPrecision(3));

/** The HS code as officers write it: "6109 10". */
function hsText(hs: string | undefined): string | null {
  return hs ? `${hs.slice(0, 4)}${hs.length > 4 ? ` ${hs.slice(4)}` : ''}` : null;
}

/**
 * A feature's contribution as a message, e.g. `signal.value_below_norm` {percent: 83, hsCode: "6109 10"}
 * ("unit value 83 % below the HS 6109 10 norm (raises risk)").
 * @param feature feature name as in FEATURE_NAMES
 * @param value the feature's value for this declaration (NaN when missing)
 * @param contribution its TreeSHAP contribution in log-odds (sign gives the direction)
 * @param declaration the declaration, for codes quoted in the sentence
 */
export function contributionMessage(
  feature: string,
  value: number,
  contribution: number,
  declaration?: RiskDeclaration,
): Message<RiskSignalCode> {
  const effect = contribution > 0 ? 'raises' : 'lowers';
  const message = (code: RiskSignalCode, params: Message['params'] = {}): Message<RiskSignalCode> => ({
    code,
    params: { ...params, effect },
  });
  const missing = value !== value;
  const [entity, statistic] = feature.split('.');
  if (statistic !== undefined) {
    if (missing) return message('signal.entity_missing', { entity });
    if (statistic === 'fraud_rate')
      return message('signal.fraud_rate', { entity, rate: Math.round(value * 100) });
    if (statistic === 'critical_rate')
      return message('signal.critical_rate', { entity, rate: Math.round(value * 100) });
    return value === 0
      ? message('signal.first_declaration', { entity })
      : message('signal.earlier_declarations', { entity, count: Math.round(value) });
  }
  switch (feature) {
    case 'item_price_krw':
      return missing ? message('signal.price_missing') : message('signal.price', { krw: Math.round(value) });
    case 'net_mass_kg':
      return missing
        ? message('signal.net_mass_missing')
        : message('signal.net_mass', { kg: significant(value) });
    case 'unit_value_krw_per_kg':
      return missing
        ? message('signal.value_per_kg_missing')
        : message('signal.value_per_kg', { krw: Math.round(value) });
    case 'unit_value_vs_hs6_norm': {
      if (missing) return message('signal.value_norm_missing');
      const hsCode = hsText(declaration?.hs6Code);
      if (value < 1)
        return message('signal.value_below_norm', { percent: Math.round((1 - value) * 100), hsCode });
      if (value < 10)
        return message('signal.value_above_norm', { percent: Math.round((value - 1) * 100), hsCode });
      return message('signal.value_times_norm', { times: significant(value), hsCode });
    }
    case 'tax_rate':
      return missing
        ? message('signal.duty_rate_missing')
        : message('signal.duty_rate', { rate: significant(value) });
    case 'departure_differs_from_origin':
      if (missing) return message('signal.countries_missing');
      return message(value === 1 ? 'signal.shipped_from_elsewhere' : 'signal.shipped_from_origin');
    default:
      throw new RangeError(`no wording for feature ${feature}`);
  }
}

/** A risk signal in the reader's language; a code this catalogue does not know is returned as is. */
export function renderRiskSignal(message: Message, locale: Locale): string {
  return renderMessage(riskSignalMessages, message, locale, words);
}

/** The English sentence of a contribution, for the command line and the model's own reports. */
export function describeContribution(
  feature: string,
  value: number,
  contribution: number,
  declaration?: RiskDeclaration,
): string {
  return renderRiskSignal(contributionMessage(feature, value, contribution, declaration), 'en');
}
