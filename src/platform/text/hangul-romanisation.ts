/**
 * Hangul written in Latin letters, syllable by syllable (Revised Romanization letters, without the
 * sound-change rules): enough to compare a name written in either script once both are reduced to a
 * spelling-tolerant skeleton (addresses in clearance, brands and product titles in partners).
 */
const INITIALS = [
  'g',
  'kk',
  'n',
  'd',
  'tt',
  'r',
  'm',
  'b',
  'pp',
  's',
  'ss',
  '',
  'j',
  'jj',
  'ch',
  'k',
  't',
  'p',
  'h',
];
const MEDIALS = [
  'a',
  'ae',
  'ya',
  'yae',
  'eo',
  'e',
  'yeo',
  'ye',
  'o',
  'wa',
  'wae',
  'oe',
  'yo',
  'u',
  'wo',
  'we',
  'wi',
  'yu',
  'eu',
  'ui',
  'i',
];
const FINALS = [
  '',
  'k',
  'k',
  'k',
  'n',
  'n',
  'n',
  't',
  'l',
  'k',
  'm',
  'l',
  'l',
  'l',
  'p',
  'l',
  'm',
  'p',
  'p',
  't',
  't',
  'ng',
  't',
  't',
  'k',
  't',
  'p',
  't',
];
const HANGUL_FIRST = 0xac00;
const HANGUL_LAST = 0xd7a3;

/** Romanises Hangul syllables letter by letter; other characters pass through unchanged. */
export function romaniseHangul(text: string): string {
  let out = '';
  for (const character of text) {
    const code = character.codePointAt(0)!;
    if (code < HANGUL_FIRST || code > HANGUL_LAST) {
      out += character;
      continue;
    }
    const index = code - HANGUL_FIRST;
    out +=
      INITIALS[Math.floor(index / 588)]! + MEDIALS[Math.floor((index % 588) / 28)]! + FINALS[index % 28]!;
  }
  return out;
}
