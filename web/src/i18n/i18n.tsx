import { createContext, useCallback, useContext, useMemo, useState, type ReactNode } from 'react';
import { en, type Catalogue, type MessageKey } from './messages';
import { ko } from './messages.ko';
import { fr } from './messages.fr';

export const languages = { en: 'English', ko: '한국어', fr: 'Français' } as const;
export type Language = keyof typeof languages;

const catalogues: Record<Language, Catalogue> = { en, ko, fr };
const STORAGE = 'clearway.language';

/**
 * The officer's earlier choice in this browser, else the first browser language the console speaks,
 * else English; once signed in, the language stored on the account (chosen in any browser) replaces it.
 */
export function initialLanguage(): Language {
  const stored = localStorage.getItem(STORAGE);
  if (stored && stored in languages) return stored as Language;
  for (const tag of navigator.languages ?? [navigator.language]) {
    const base = tag.toLowerCase().split('-')[0];
    if (base && base in languages) return base as Language;
  }
  return 'en';
}

export interface I18n {
  language: Language;
  /** BCP 47 tag for Intl: ko-KR formats KRW without decimals, en-GB writes 27 Nov 2026. */
  locale: string;
  setLanguage(language: Language): void;
  t(key: MessageKey, values?: Record<string, string | number>): string;
  number(value: number | string | null | undefined, digits?: number): string;
  percent(value: number | null | undefined, digits?: number): string;
  money(value: number | string | null | undefined, currency: string): string;
  date(value: string | Date | null | undefined): string;
  dateTime(value: string | Date | null | undefined): string;
}

const localeOf: Record<Language, string> = { en: 'en-GB', ko: 'ko-KR', fr: 'fr-FR' };
const I18nContext = createContext<I18n | null>(null);

export function I18nProvider({ children }: { children: ReactNode }) {
  const [language, setLanguageState] = useState<Language>(initialLanguage);
  // Stable, so that an effect that adopts the language stored on the account need not re-run.
  const setLanguage = useCallback((next: Language) => {
    localStorage.setItem(STORAGE, next);
    setLanguageState(next);
  }, []);
  const value = useMemo<I18n>(() => {
    const locale = localeOf[language];
    const catalogue = catalogues[language];
    const numberFormats = new Map<number, Intl.NumberFormat>();
    const moneyFormats = new Map<string, Intl.NumberFormat>();
    const dateFormat = new Intl.DateTimeFormat(locale, {
      year: 'numeric',
      month: 'short',
      day: 'numeric',
      timeZone: 'UTC',
    });
    const dateTimeFormat = new Intl.DateTimeFormat(locale, { dateStyle: 'medium', timeStyle: 'short' });
    const percentFormat = (digits: number) =>
      new Intl.NumberFormat(locale, { style: 'percent', maximumFractionDigits: digits });
    const toNumber = (input: number | string) => (typeof input === 'number' ? input : Number(input));
    const toDate = (input: string | Date) =>
      input instanceof Date ? input : new Date(input.length === 10 ? `${input}T00:00:00Z` : input);
    document.documentElement.lang = language;
    return {
      language,
      locale,
      setLanguage,
      t(key, values) {
        const text = catalogue[key] ?? en[key] ?? key;
        return values
          ? text.replace(/\{(\w+)\}/g, (match, name: string) =>
              name in values ? String(values[name]) : match,
            )
          : text;
      },
      number(input, digits = 2) {
        if (input === null || input === undefined || input === '') return '–';
        let format = numberFormats.get(digits);
        if (!format)
          numberFormats.set(
            digits,
            (format = new Intl.NumberFormat(locale, { maximumFractionDigits: digits })),
          );
        return format.format(toNumber(input));
      },
      percent(input, digits = 1) {
        return input === null || input === undefined ? '–' : percentFormat(digits).format(input);
      },
      money(input, currency) {
        if (input === null || input === undefined || input === '') return '–';
        let format = moneyFormats.get(currency);
        if (!format) {
          try {
            format = new Intl.NumberFormat(locale, { style: 'currency', currency });
          } catch {
            // A currency code Intl does not know is still shown, as plain number and code.
            format = new Intl.NumberFormat(locale, { maximumFractionDigits: 2 });
          }
          moneyFormats.set(currency, format);
        }
        const text = format.format(toNumber(input));
        return format.resolvedOptions().style === 'currency' ? text : `${text} ${currency}`;
      },
      date(input) {
        return input ? dateFormat.format(toDate(input)) : '–';
      },
      dateTime(input) {
        return input ? dateTimeFormat.format(toDate(input)) : '–';
      },
    };
  }, [language, setLanguage]);
  return <I18nContext.Provider value={value}>{children}</I18nContext.Provider>;
}

export function useI18n(): I18n {
  const context = useContext(I18nContext);
  if (!context) throw new Error('useI18n outside I18nProvider');
  return context;
}
