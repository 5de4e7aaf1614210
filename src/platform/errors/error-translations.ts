import type { Translations } from '../i18n/locale.js';

/** What each error code of a module says to people, in every language the product speaks. */
export type ErrorTranslations<Code extends string> = Record<Code, Translations>;
