import type { Language } from './semantic-model.js';

/**
 * Text handling shared by the glossary and the parser: one normal form for every language (lower case,
 * French accents folded, elisions opened, Korean particles recognised), and the edit distance that
 * forgives typing mistakes.
 */

const HANGUL = /[\uac00-\ud7a3]/;

export function hasHangul(text: string): boolean {
  return HANGUL.test(text);
}

/** Lower case without accents (é -> e, ç -> c); Hangul syllables survive (NFD then NFC recomposes them). */
export function fold(text: string): string {
  return text
    .normalize('NFD')
    .replace(/[\u0300-\u036f]/g, '')
    .normalize('NFC')
    .toLowerCase();
}

/**
 * The question in normal form: folded, apostrophes and elisions opened ("l'année" -> "l annee"), the
 * punctuation that carries no meaning turned into spaces, thousands separators dropped ("1,000" -> "1000").
 */
export function normalise(question: string): string {
  return fold(question)
    .replace(/[’‘`´]/g, "'")
    .replace(/\b(l|d|qu|j|n|s|c|jusqu|lorsqu|puisqu)'/g, '$1 ')
    .replace(/\b\d{1,3}(?:[, ]\d{3})+\b/g, (number) => number.replace(/[, ]/g, ''))
    .replace(/([a-z])-(?=[a-z])/g, '$1 ')
    .replace(/[?!;:"«»()[\]{}]/g, ' ')
    .replace(/(^|\s)[.,]+|[.,]+(\s|$)/g, ' ')
    .replace(/\s+/g, ' ')
    .trim();
}

/** Guesses the language from the question's words when the asker did not say. */
export function detectLanguage(question: string): Language {
  if (hasHangul(question)) return 'ko';
  const words = fold(question).split(/[^a-z']+/);
  const french = new Set([
    'combien',
    'quel',
    'quels',
    'quelle',
    'quelles',
    'les',
    'des',
    'du',
    'le',
    'la',
    'par',
    'mois',
    'annee',
    'semaine',
    'dernier',
    'derniere',
    'colis',
    'depuis',
    'entre',
    'moyenne',
    'valeur',
    'taux',
    'vendeurs',
    'est',
    'ont',
    'sont',
    'en',
    'au',
    'aux',
  ]);
  const score = words.filter((word) => french.has(word)).length;
  return score >= 2 || /[éèêàçùûôî]/i.test(question) ? 'fr' : 'en';
}

/** Korean endings that attach to a noun without changing what it names (particles, "per", "from"). */
const koreanEndings = [
  '으로부터',
  '로부터',
  '에서는',
  '에서의',
  '에서',
  '에게',
  '까지의',
  '까지',
  '부터',
  '으로',
  '보다',
  '이나',
  '이랑',
  '랑',
  '에는',
  '에도',
  '별로',
  '별',
  '마다',
  '들의',
  '들이',
  '들을',
  '들은',
  '들',
  '의',
  '은',
  '는',
  '이',
  '가',
  '을',
  '를',
  '에',
  '로',
  '과',
  '와',
  '도',
  '만',
  '인',
];

/**
 * The noun inside a Korean word and the endings peeled off it ("중국에서" -> 중국 + 에서). Endings are
 * peeled only while a known stem remains, which `isKnown` decides.
 */
export function koreanStems(word: string): string[] {
  const stems = [word];
  let current = word;
  for (let round = 0; round < 3; round++) {
    const ending = koreanEndings.find(
      (candidate) => current.length > candidate.length && current.endsWith(candidate),
    );
    if (!ending) break;
    current = current.slice(0, -ending.length);
    stems.push(current);
  }
  return stems;
}

/** Damerau-Levenshtein distance (adjacent transpositions count once), stopped early above `limit`. */
export function editDistance(a: string, b: string, limit = 3): number {
  if (Math.abs(a.length - b.length) > limit) return limit + 1;
  const previousRow2: number[] = new Array(b.length + 1).fill(0);
  let previousRow: number[] = Array.from({ length: b.length + 1 }, (_, index) => index);
  for (let i = 1; i <= a.length; i++) {
    const row: number[] = [i];
    let rowMinimum = i;
    for (let j = 1; j <= b.length; j++) {
      const cost = a[i - 1] === b[j - 1] ? 0 : 1;
      let value = Math.min(previousRow[j]! + 1, row[j - 1]! + 1, previousRow[j - 1]! + cost);
      if (i > 1 && j > 1 && a[i - 1] === b[j - 2] && a[i - 2] === b[j - 1]) {
        value = Math.min(value, previousRow2[j - 2]! + 1);
      }
      row.push(value);
      rowMinimum = Math.min(rowMinimum, value);
    }
    if (rowMinimum > limit) return limit + 1;
    previousRow2.splice(0, previousRow2.length, ...previousRow);
    previousRow = row;
  }
  return previousRow[b.length]!;
}

/** How many typing mistakes a word of this length may carry and still be recognised. */
export function allowedTypos(word: string): number {
  if (hasHangul(word)) return word.length >= 4 ? 1 : 0;
  if (/\d/.test(word)) return 0;
  return word.length >= 8 ? 2 : word.length >= 5 ? 1 : 0;
}
