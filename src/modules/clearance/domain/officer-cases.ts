/**
 * Cases for an officer: work clearance cannot finish alone, written for the officer in Korean, English
 * and French (never an API path). The details are stored; the sentence is rendered when it is read.
 */
export type OfficerLanguage = 'ko' | 'en' | 'fr';

export interface MissingRateCase {
  kind: 'exchange_rate_missing';
  currency: string;
  /** The date the parcel's rate must cover, `YYYY-MM-DD`. */
  date: string;
  /** The customs week (Sunday to Saturday) that holds the date. */
  weekStarting: string;
  isoYear: number;
  isoWeek: number;
}

export interface AdditionalTaxCase {
  kind: 'additional_tax';
  /** Every member of the combined-taxation group, this parcel included. */
  groupParcelIds: number[];
  triggers: string[];
  goodsPriceKrw: number;
  limitKrw: number;
  /** Tax this parcel owes as a member of the group, less what was assessed when it was released. */
  additionalTaxKrw: number;
}

export type OfficerCaseDetails = MissingRateCase | AdditionalTaxCase;

function addDays(isoDate: string, days: number): string {
  const date = new Date(`${isoDate}T00:00:00Z`);
  date.setUTCDate(date.getUTCDate() + days);
  return date.toISOString().slice(0, 10);
}

/** The case of a parcel whose date no loaded weekly rate covers. */
export function missingRateCase(currency: string, date: string): MissingRateCase {
  const day = new Date(`${date}T00:00:00Z`);
  const weekStarting = addDays(date, -day.getUTCDay());
  // ISO 8601 week: the week (Monday to Sunday) holding the year's first Thursday is week 1.
  const thursday = new Date(day);
  thursday.setUTCDate(day.getUTCDate() + 3 - ((day.getUTCDay() + 6) % 7));
  const isoYear = thursday.getUTCFullYear();
  const isoWeek = 1 + Math.floor((thursday.getTime() - Date.UTC(isoYear, 0, 1)) / (7 * 86_400_000));
  return {
    kind: 'exchange_rate_missing',
    currency: currency.toUpperCase(),
    date,
    weekStarting,
    isoYear,
    isoWeek,
  };
}

const TRIGGER_WORDS: Record<OfficerLanguage, Record<string, string>> = {
  en: { same_waybill: 'split from one B/L or AWB', same_seller_same_date: 'same seller and purchase date' },
  ko: { same_waybill: '하나의 B/L·AWB에서 분할', same_seller_same_date: '같은 판매자·같은 구매일' },
  fr: {
    same_waybill: "fractionnés d'un même connaissement ou LTA",
    same_seller_same_date: "même vendeur et même date d'achat",
  },
};

const LOCALES: Record<OfficerLanguage, string> = { ko: 'ko-KR', en: 'en-GB', fr: 'fr-FR' };

/** The case as a sentence for the officer. */
export function describeCase(details: OfficerCaseDetails, language: OfficerLanguage): string {
  const won = (amount: number) => `KRW ${amount.toLocaleString(LOCALES[language])}`;
  if (details.kind === 'exchange_rate_missing') {
    const { currency, date, weekStarting, isoYear, isoWeek } = details;
    return {
      en: `Load the customs exchange rates of week ${isoWeek} of ${isoYear} (from ${weekStarting}): no ${currency} rate covers ${date}, so the parcel is held until they are loaded.`,
      ko: `${isoYear}년 ${isoWeek}주차(${weekStarting}부터) 과세환율을 등록하세요. ${date}에 적용할 ${currency} 환율이 없어 등록될 때까지 화물을 보류합니다.`,
      fr: `Chargez les taux de change douaniers de la semaine ${isoWeek} de ${isoYear} (à partir du ${weekStarting}) : aucun taux ${currency} ne couvre le ${date}, le colis reste retenu jusqu'à leur chargement.`,
    }[language];
  }
  const members = details.groupParcelIds.join(', ');
  const triggers = details.triggers.map((trigger) => TRIGGER_WORDS[language][trigger] ?? trigger).join(', ');
  const { goodsPriceKrw, limitKrw, additionalTaxKrw } = details;
  return {
    en: `Released before its combined-taxation group was known: parcels ${members} (${triggers}) sum to ${won(goodsPriceKrw)}, over the limit of ${won(limitKrw)}. Assess the additional tax of ${won(additionalTaxKrw)} after clearance.`,
    ko: `합산과세 대상임이 확인되기 전에 반출되었습니다. 화물 ${members}(${triggers})의 합계 ${won(goodsPriceKrw)}이 한도 ${won(limitKrw)}을 넘습니다. 통관 후 추가 세액 ${won(additionalTaxKrw)}을 부과하세요.`,
    fr: `Mainlevée donnée avant que son groupe de taxation cumulée soit connu : les colis ${members} (${triggers}) totalisent ${won(goodsPriceKrw)}, au-delà de la limite de ${won(limitKrw)}. Liquidez le complément de ${won(additionalTaxKrw)} après dédouanement.`,
  }[language];
}
