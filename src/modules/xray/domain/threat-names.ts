import type { Locale } from '../../../platform/i18n/locale.js';

/** What the analyst reads for each label the models know, in Clearway's languages. */
const threatNames: Record<string, Record<Locale, string>> = {
  gun: { en: 'gun', ko: '총기', fr: 'arme à feu' },
  razor_blade: { en: 'razor blade', ko: '면도날', fr: 'lame de rasoir' },
  shuriken: { en: 'shuriken', ko: '표창', fr: 'shuriken' },
  knife: { en: 'knife', ko: '칼', fr: 'couteau' },
};

/** The name of a threat label in `locale`; an operator model's own labels are shown as they are. */
export function threatName(label: string, locale: Locale): string {
  return threatNames[label]?.[locale] ?? label.replace(/_/g, ' ');
}
