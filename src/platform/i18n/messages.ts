import type { Locale } from './locale.js';

/**
 * Text the server writes for people is kept as a message: a stable code and its parameters, stored as
 * such and put into words only when read, in the reader's language. A catalogue holds each code's
 * sentence in every language; `{name}` placeholders take the parameters.
 */
export type MessageParams = Record<string, string | number | boolean | null>;

export interface Message<Code extends string = string> {
  code: Code;
  params: MessageParams;
}

export type MessageCatalogue<Code extends string = string> = Record<Code, Record<Locale, string>>;

/** Words that stand for a parameter's value (an enum such as a category), per language. */
export type ParamWords = Record<string, Record<string, Record<Locale, string>>>;

const numberLocales: Record<Locale, string> = { en: 'en-GB', ko: 'ko-KR', fr: 'fr-FR' };

/**
 * Puts a message into words: numbers in the reader's number format, parameters named in `words`
 * translated (an unknown value stays as it is), a missing parameter as a dash. A code the catalogue does
 * not know is returned as is, so that a message never disappears.
 */
export function renderMessage(
  catalogue: Partial<MessageCatalogue>,
  message: Message,
  locale: Locale,
  words: ParamWords = {},
): string {
  const template = catalogue[message.code]?.[locale];
  if (template === undefined) return message.code;
  const numbers = new Intl.NumberFormat(numberLocales[locale], { maximumFractionDigits: 2 });
  return template.replace(/\{(\w+)\}/g, (_whole, name: string) => {
    const value = message.params[name];
    if (value === undefined || value === null) return '–';
    if (typeof value === 'number') return numbers.format(value);
    if (typeof value === 'boolean') return String(value);
    return words[name]?.[value]?.[locale] ?? value;
  });
}
