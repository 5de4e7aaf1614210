import type { ComplianceLevel, IndicatorCode } from './compliance.js';

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
  score: { ko: '점수', en: 'Score', fr: 'Note' },
  level: { ko: '위험 등급', en: 'Risk level', fr: 'Niveau de risque' },
  carrier: { ko: '특송업체', en: 'Carrier', fr: 'Transporteur' },
  period: { ko: '기간', en: 'Period', fr: 'Période' },
};
