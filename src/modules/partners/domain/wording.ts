import { clearanceRecordRules, type ComplianceLevel, type IndicatorCode } from './compliance.js';

const { rfiAnswerHours: hours, finalAddressReportDays: days } = clearanceRecordRules;
const ceilingPercent = clearanceRecordRules.seizureRateCeiling * 100;

/** Languages of what people read from the server: Korean, English, French. */
export const languages = ['ko', 'en', 'fr'] as const;
export type Language = (typeof languages)[number];

/** The first supported language of an Accept-Language header or `lang` value; English otherwise. */
export function pickLanguage(...preferences: (string | undefined)[]): Language {
  for (const preference of preferences) {
    for (const part of (preference ?? '').split(',')) {
      const code = part.trim().slice(0, 2).toLowerCase();
      if ((languages as readonly string[]).includes(code)) return code as Language;
    }
  }
  return 'en';
}

export const indicatorNames: Record<IndicatorCode, Record<Language, string>> = {
  data_completeness: {
    ko: '자료 완전성 (HS 코드와 개인통관고유부호)',
    en: 'Data completeness (HS codes and PCCC)',
    fr: 'Complétude des données (codes SH et PCCC)',
  },
  timeliness: {
    ko: '적시성 (도착 전 자료 제출)',
    en: 'Timeliness (data before arrival)',
    fr: 'Ponctualité (données avant l’arrivée)',
  },
  declaration_accuracy: {
    ko: '신고 정확성 (검사 결과 대비)',
    en: 'Declaration accuracy (inspection findings)',
    fr: 'Exactitude des déclarations (résultats des contrôles)',
  },
  inspection_reporting: {
    ko: '자체 검사율 보고',
    en: 'Own inspection-rate reporting',
    fr: 'Déclaration des taux de contrôle propres',
  },
  rfi_answers: {
    ko: '정보 요청 기한 내 답변',
    en: 'Requests for information answered on time',
    fr: 'Demandes d’information traitées dans les délais',
  },
  declaration_corrections: {
    ko: '신고 정정 (정정 요청·검사 시 정정)',
    en: 'Declaration corrections (amendment requests, corrected at inspection)',
    fr: 'Rectifications des déclarations (demandes de rectification, corrections au contrôle)',
  },
  final_address_reports: {
    ko: '최종 배송지 보고',
    en: 'Final-address (delivery) reports',
    fr: 'Déclarations de l’adresse de livraison finale',
  },
  seizures: {
    ko: '해당 업체 화물의 압수',
    en: 'Seizures in the carrier’s flow',
    fr: 'Saisies dans le flux du transporteur',
  },
};

/** How each indicator is measured, in the reader's language: what the evidence's two counts are. */
export const indicatorExplanations: Record<IndicatorCode, Record<Language, string>> = {
  data_completeness: {
    ko: 'HS 코드와 개인통관고유부호를 모두 갖춘 화물 / 접수 화물',
    en: 'parcels with every HS code and the PCCC / parcels received',
    fr: 'colis avec tous leurs codes SH et le PCCC / colis reçus',
  },
  timeliness: {
    ko: '도착일 전에 자료가 접수된 화물 / 도착일이 있는 화물',
    en: 'parcels whose data came before their arrival day / parcels with an arrival day',
    fr: 'colis dont les données sont arrivées avant le jour d’arrivée / colis avec un jour d’arrivée',
  },
  declaration_accuracy: {
    ko: '적발 없이 끝난 검사 / 해당 업체 화물 검사',
    en: 'inspections without findings / inspections of its parcels',
    fr: 'contrôles sans constatation / contrôles de ses colis',
  },
  inspection_reporting: {
    ko: '세관 수치와 일치하는 보고 수치 / 보고 수치',
    en: 'reported figures consistent with customs’ / figures compared',
    fr: 'chiffres déclarés cohérents avec ceux de la douane / chiffres comparés',
  },
  rfi_answers: {
    ko: `${hours}시간 내 확인된 정보 요청 / 기한이 지났거나 답변된 정보 요청`,
    en: `requests for information acknowledged within ${hours} hours / requests answered or past their deadline`,
    fr: `demandes d’information acquittées en ${hours} heures / demandes traitées ou échues`,
  },
  declaration_corrections: {
    ko: '정정이 필요 없었던 화물 / 접수 화물',
    en: 'parcels whose declaration needed no correction / parcels taken in',
    fr: 'colis dont la déclaration n’a pas dû être rectifiée / colis pris en charge',
  },
  final_address_reports: {
    ko: `최종 배송지가 보고된 반출 화물 / 반출 후 ${days}일이 지났거나 보고된 화물`,
    en: `released parcels with a final-address report / released parcels reported or released over ${days} days ago`,
    fr: `colis mainlevés avec adresse finale déclarée / colis déclarés ou mainlevés depuis plus de ${days} jours`,
  },
  seizures: {
    ko: `압수 없는 화물 / 접수 화물 (압수율 ${ceilingPercent}%에서 0점)`,
    en: `parcels without a seizure / parcels taken in (a ${ceilingPercent} % seizure rate scores 0)`,
    fr: `colis sans saisie / colis pris en charge (un taux de saisie de ${ceilingPercent} % donne 0)`,
  },
};

export const levelNames: Record<ComplianceLevel, Record<Language, string>> = {
  low: { ko: '저위험', en: 'low risk', fr: 'risque faible' },
  medium: { ko: '중위험', en: 'medium risk', fr: 'risque moyen' },
  high: { ko: '고위험', en: 'high risk', fr: 'risque élevé' },
};

export const reportHeadings: Record<
  | 'indicator'
  | 'value'
  | 'weight'
  | 'numerator'
  | 'denominator'
  | 'samples'
  | 'measured'
  | 'facts'
  | 'score'
  | 'level'
  | 'carrier'
  | 'period',
  Record<Language, string>
> = {
  indicator: { ko: '지표', en: 'Indicator', fr: 'Indicateur' },
  value: { ko: '값', en: 'Value', fr: 'Valeur' },
  weight: { ko: '가중치', en: 'Weight', fr: 'Poids' },
  numerator: { ko: '충족 건수', en: 'Met', fr: 'Conformes' },
  denominator: { ko: '대상 건수', en: 'Measured', fr: 'Mesurés' },
  samples: { ko: '예시 화물', en: 'Sample parcels', fr: 'Colis exemples' },
  measured: { ko: '측정 방법', en: 'How it is measured', fr: 'Mode de mesure' },
  facts: { ko: '세부 수치', en: 'Details', fr: 'Détails' },
  score: { ko: '점수', en: 'Score', fr: 'Note' },
  level: { ko: '위험 등급', en: 'Risk level', fr: 'Niveau de risque' },
  carrier: { ko: '특송업체', en: 'Carrier', fr: 'Transporteur' },
  period: { ko: '기간', en: 'Period', fr: 'Période' },
};
