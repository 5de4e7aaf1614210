import { romaniseHangul } from '../../../platform/text/hangul-romanisation.js';
import { brandAliases } from './brand-aliases.js';

/**
 * Comparable forms of what sellers and agencies write about a product: titles and descriptions in
 * Korean or Latin script, brand names across scripts, model numbers with any separators, listing URLs.
 * Everything here is pure and deterministic, so that a report entry and a parcel line normalised at
 * different times still meet.
 */

const HANGUL = /[\uac00-\ud7a3]/;
const HANGUL_RUN = /([\uac00-\ud7a3]+)/;
/** Words that say nothing about which product it is, in the languages parcels are declared in. */
const STOPWORDS = new Set([
  'the',
  'a',
  'an',
  'and',
  'for',
  'with',
  'of',
  'new',
  'set',
  'pcs',
  'pc',
  'x',
  'de',
  'la',
  'le',
  'et',
  'pour',
  '정품',
  '새상품',
  '무료배송',
  '세트',
  '개',
]);

/** Hangul words up to this length are also read as compounds of shorter words. */
const MAX_COMPOUND = 16;

/** Brand alias (spaces and punctuation removed) -> canonical brand. */
const brandByForm = new Map<string, string>();
/** Hangul aliases, longest first: a Hangul word often starts with its brand ("삼성갤럭시"). */
const hangulBrandPrefixes: string[] = [];
for (const [canonical, forms] of Object.entries(brandAliases)) {
  for (const form of forms) {
    const key = compact(form);
    brandByForm.set(key, canonical);
    if (HANGUL.test(key)) hangulBrandPrefixes.push(key);
  }
}
hangulBrandPrefixes.sort((a, b) => b.length - a.length);
/**
 * Latin brand names by skeleton, for misspellings ("addidas", "samsungg"); only skeletons no other brand
 * shares, and only for words one slip away, since unrelated names can share a skeleton (Berano, Braun).
 */
const brandBySkeleton = new Map<string, { brand: string; form: string }>();
const sharedSkeletons = new Set<string>();
for (const [canonical, forms] of Object.entries(brandAliases)) {
  for (const form of forms) {
    const key = compact(form);
    if (!/^[a-z]+$/.test(key)) continue;
    const brandSkeleton = skeleton(key);
    if (brandSkeleton.length < 3) continue;
    const known = brandBySkeleton.get(brandSkeleton);
    if (known !== undefined && known.brand !== canonical) sharedSkeletons.add(brandSkeleton);
    else brandBySkeleton.set(brandSkeleton, { brand: canonical, form: key });
  }
}
for (const key of sharedSkeletons) brandBySkeleton.delete(key);

/** Lower case, full-width and accented forms folded (NFKC, then diacritics dropped). */
function fold(text: string): string {
  if (/^[\x00-\x7f]*$/.test(text)) return text.toLowerCase();
  return text
    .normalize('NFKC')
    .toLowerCase()
    .normalize('NFD')
    .replace(/[\u0300-\u036f]/g, '')
    .normalize('NFC');
}

/** Letters and digits only. */
function compact(text: string): string {
  return fold(text).replace(/[^\p{L}\p{N}]+/gu, '');
}

/**
 * Words of a text: split at anything that is not a letter or digit and where Hangul meets another
 * script ("갤럭시S21" is two words), with a known brand split off the front of a Hangul word.
 */
export function words(text: string): string[] {
  const out: string[] = [];
  for (const raw of fold(text).split(/[^\p{L}\p{N}]+/u)) {
    if (raw === '') continue;
    for (const part of raw.split(HANGUL_RUN)) {
      if (part === '') continue;
      const brand = HANGUL.test(part)
        ? hangulBrandPrefixes.find((prefix) => part.startsWith(prefix) && part.length > prefix.length)
        : undefined;
      if (brand) out.push(brand, part.slice(brand.length));
      else out.push(part);
    }
  }
  return out;
}

/**
 * The spelling-tolerant skeleton of a word in either script: romanised, consonants only (the first
 * letter kept), similar sounds merged (ng/n, c/k/q/g, x -> ks, ph/f/p/b/v, t/d, r/l, j/z/ch), doubled letters
 * collapsed. 갤럭시 and Galaxy, 케이블 and cable, 다이슨 and Dyson share one; digits stay as written.
 */
export function skeleton(word: string): string {
  const latin = romaniseHangul(word)
    .replace(/(.)\1+/g, '$1')
    .replace(/ng/g, 'n')
    .replace(/ph/g, 'p')
    .replace(/ch/g, 'j')
    .replace(/x/g, 'ks')
    .replace(/[cqg]/g, 'k')
    .replace(/[fbv]/g, 'p')
    .replace(/d/g, 't')
    .replace(/r/g, 'l')
    .replace(/z/g, 'j');
  const first = latin[0] ?? '';
  const rest = latin.slice(1).replace(/[aeiouyhw]/g, '');
  return (first + rest).replace(/(.)\1+/g, '$1');
}

/**
 * The comparison key of one word: its canonical brand when it is a known brand form, the skeleton
 * when that is long enough to tell words apart, otherwise the word itself (short words such as "s21"
 * or "xl" must match as written).
 */
export function wordKey(word: string): string {
  let key = wordKeys.get(word);
  if (key === undefined) {
    key = computeWordKey(word);
    // Parcel text repeats a small vocabulary: remembering keys makes a line's keys a few Map reads.
    if (wordKeys.size >= WORD_KEY_CACHE) wordKeys.clear();
    wordKeys.set(word, key);
  }
  return key;
}

const WORD_KEY_CACHE = 200_000;
const wordKeys = new Map<string, string>();

function computeWordKey(word: string): string {
  const brand = brandByForm.get(word);
  if (brand) return `brand:${brand}`;
  if (/\p{N}/u.test(word)) return word;
  const key = skeleton(word);
  const misspelt = key.length >= 3 && !HANGUL.test(word) ? brandBySkeleton.get(key) : undefined;
  if (misspelt && editDistance(word, misspelt.form) <= Math.max(1, Math.floor(misspelt.form.length / 5)))
    return `brand:${misspelt.brand}`;
  if (key.length >= 3 || (key.length === 2 && romaniseHangul(word).length >= 4)) return key;
  // Too few consonants to forgive spelling: compare the romanised word itself (토도 and Todo).
  return romaniseHangul(word);
}

/** The key of a brand as an agency writes it ("Samsung Electronics" -> samsung; "다이슨" -> skeleton). */
export function brandKey(brand: string): string | null {
  const whole = brandByForm.get(compact(brand));
  if (whole) return `brand:${whole}`;
  const parts = words(brand);
  for (const part of parts) {
    const known = brandByForm.get(part);
    if (known) return `brand:${known}`;
  }
  return parts.length > 0 ? wordKey(parts[0]!) : null;
}

/**
 * Keys of a text's words, known multi-word brands ("louis vuitton") included, stopwords left out. Korean
 * writes compounds without spaces ("고속충전기"), so a Hangul word longer than two syllables also gives
 * the keys of its parts (two to four syllables long).
 */
export function textKeys(text: string): Set<string> {
  const list = words(text);
  const keys = new Set<string>();
  for (let index = 0; index < list.length; index++) {
    const word = list[index]!;
    if (!STOPWORDS.has(word)) keys.add(wordKey(word));
    if (word.length > 2 && word.length <= MAX_COMPOUND && HANGUL.test(word))
      for (let start = 0; start < word.length - 1; start++)
        for (let end = start + 2; end <= Math.min(word.length, start + 4); end++)
          if (end - start < word.length) keys.add(wordKey(word.slice(start, end)));
    const next = list[index + 1];
    if (next !== undefined) {
      const pair = brandByForm.get(word + next);
      if (pair) keys.add(`brand:${pair}`);
    }
  }
  return keys;
}

/**
 * A model number without separators, upper case ("SM-G991B", "sm g991b", "SMG991B" -> "SMG991B"), or
 * null when it is too short or has no digit to be told apart from ordinary words.
 */
export function modelKey(model: string): string | null {
  const key = compact(model).toUpperCase();
  return key.length >= 4 && /\d/.test(key) ? key : null;
}

const MAX_MODEL_LENGTH = 30;

/** Model-number candidates of a text: one to three adjacent words joined, holding a digit. */
export function modelCandidates(text: string): Set<string> {
  const list = fold(text)
    .split(/[^\p{L}\p{N}]+/u)
    .filter((word) => word !== '');
  const hasDigit = list.map((word) => /\d/.test(word));
  const candidates = new Set<string>();
  for (let start = 0; start < list.length; start++) {
    let joined = '';
    let digit = false;
    for (let length = 1; length <= 3 && start + length <= list.length; length++) {
      joined += list[start + length - 1]!;
      digit ||= hasDigit[start + length - 1]!;
      if (digit && joined.length >= 4 && joined.length <= MAX_MODEL_LENGTH)
        candidates.add(joined.toUpperCase());
    }
  }
  return candidates;
}

/**
 * A listing URL as a comparable key: scheme, `www.`/`m.` prefixes, fragments, tracking parameters and
 * trailing slashes dropped; host in lower case; remaining query parameters sorted.
 */
export function listingUrlKey(url: string): string | null {
  let parsed: URL;
  try {
    parsed = new URL(/^[a-z][a-z0-9+.-]*:\/\//i.test(url.trim()) ? url.trim() : `https://${url.trim()}`);
  } catch {
    return null;
  }
  const host = parsed.hostname.toLowerCase().replace(/^(www|m)\./, '');
  const parameters = [...parsed.searchParams.entries()]
    .filter(([name]) => !/^(utm_|ref|fbclid|gclid|spm|scm)/i.test(name))
    .sort(([a], [b]) => a.localeCompare(b))
    .map(([name, value]) => `${name}=${value}`);
  const path = decodeURIComponent(parsed.pathname).replace(/\/+$/, '');
  return `${host}${path}${parameters.length > 0 ? `?${parameters.join('&')}` : ''}`;
}

/** A seller id as a comparable key: letters and digits, lower case. */
export function sellerKey(sellerId: string): string | null {
  const key = compact(sellerId);
  return key === '' ? null : key;
}

/** Levenshtein distance (insertions, deletions, substitutions), for short words. */
function editDistance(a: string, b: string): number {
  let previous = Array.from({ length: b.length + 1 }, (_, index) => index);
  for (let i = 1; i <= a.length; i++) {
    const current = [i];
    for (let j = 1; j <= b.length; j++)
      current[j] = Math.min(
        previous[j]! + 1,
        current[j - 1]! + 1,
        previous[j - 1]! + (a[i - 1] === b[j - 1] ? 0 : 1),
      );
    previous = current;
  }
  return previous[b.length]!;
}
