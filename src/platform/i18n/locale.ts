/**
 * The languages people read Clearway in. Server-written text (error messages, field errors) is English
 * where it is written, with a Korean and a French rendering looked up by a stable code; the caller's
 * language comes from Accept-Language (the console sends its own language there), else from the
 * language the signed-in caller chose (`readerLocale` in platform/http), else English.
 */
export const locales = ['ko', 'en', 'fr'] as const;
export type Locale = (typeof locales)[number];

/** A sentence in the languages other than English, whose English text the code writes itself. */
export type Translations = Record<Exclude<Locale, 'en'>, string>;

/** The preferred language of an Accept-Language header among ours (by quality, then order), or English. */
export function localeOf(acceptLanguage: string | undefined): Locale {
  return namedLocale(acceptLanguage) ?? 'en';
}

/**
 * The preferred language of an Accept-Language header among ours, or undefined when the header is
 * absent or names none of them (`*`, `de`): then the reader's stored choice, if any, decides.
 */
export function namedLocale(acceptLanguage: string | undefined): Locale | undefined {
  if (!acceptLanguage) return undefined;
  const ranked = acceptLanguage
    .split(',')
    .map((part, index) => {
      const [tag = '', ...parameters] = part.trim().split(';');
      const quality = parameters.map((p) => /^\s*q=([\d.]+)\s*$/.exec(p)?.[1]).find(Boolean);
      return {
        language: tag.trim().toLowerCase().split('-')[0]!,
        quality: quality ? Number(quality) : 1,
        index,
      };
    })
    .filter((entry) => entry.quality > 0)
    .sort((a, b) => b.quality - a.quality || a.index - b.index);
  return ranked.find((entry) => (locales as readonly string[]).includes(entry.language))?.language as
    Locale | undefined;
}

/**
 * The same digits as `toLocaleString('en')`, from one formatter made once: `toLocaleString` makes a new
 * one per number, and an analytics run fills templates for hundreds of thousands of entities.
 */
const numberFormat = new Intl.NumberFormat('en');

/** `{name}` placeholders filled from params; a placeholder without a value stays out of the sentence. */
export function fillTemplate(template: string, params: Record<string, unknown> = {}): string {
  return template.replace(/\{(\w+)\}/g, (_match, name: string) =>
    params[name] === undefined
      ? ''
      : typeof params[name] === 'number'
        ? numberFormat.format(params[name])
        : String(params[name]),
  );
}
