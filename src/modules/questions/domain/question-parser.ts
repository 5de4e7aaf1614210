import { glossaryLexicon, isCountryCode, type Concept, type Cue, type LexiconEntry } from './glossary.js';
import { previousPeriod, scanPeriods, addDays, periodVocabulary, type PeriodMention } from './periods.js';
import {
  availableOn,
  dimensions,
  fields,
  flags,
  isTimeGrain,
  type DimensionId,
  type FieldId,
  type Language,
  type Subject,
} from './semantic-model.js';
import type { AmountCondition, Condition, Measure, Period, StructuredQuery } from './structured-query.js';
import { allowedTypos, editDistance, hasHangul, normalise } from './text.js';

/**
 * The offline parser: question -> structured query, by a grammar over the glossary rather than a list of
 * known questions. It reads the question in stages, each taking its words out of the text: codes (HS 85,
 * 8517호, seller 0VKY2BR), amounts with their units and comparisons ($150 이상, plus de 200 000 won),
 * ranking sizes (top 5, 상위 3), periods (see periods.ts); then it matches what is left against the
 * glossary, forgiving typos (edit distance) and Korean particles and spacing (longest-match segmentation),
 * and assembles measure, subject, grouping, filters, order and comparison from what it found.
 */
export interface ParseContext {
  asOf: string;
  language: Language;
  /** Codes the data holds (carriers, offices) so that they are recognised when typed as they are. */
  knownValues?: readonly { dimension: DimensionId; value: string }[];
  /** The dates each subject's data covers: an unnamed subject is the one that has data for the period. */
  coverage?: Partial<Record<Subject, Period>>;
}

export type ClarifyAbout = 'period' | 'measure' | 'subject' | 'currency';
export type RefusalReason = 'change' | 'personal' | 'out_of_scope' | 'not_available';

export type ParseOutcome =
  | { status: 'answered'; query: StructuredQuery }
  | { status: 'clarify'; about: ClarifyAbout; choices: StructuredQuery[] }
  | { status: 'refused'; reason: RefusalReason };

interface Match {
  concept: Concept;
  /** Position in the normalised text, to relate words to periods and to each other. */
  start: number;
  end: number;
  phrase: string;
}

// ---------- stage 1: numbers written as words ----------
const numberWords: Record<string, number> = {
  two: 2, three: 3, four: 4, five: 5, six: 6, seven: 7, eight: 8, nine: 9, ten: 10, eleven: 11, twelve: 12,
  fifteen: 15, twenty: 20, thirty: 30, fifty: 50, hundred: 100,
  deux: 2, trois: 3, quatre: 4, cinq: 5, sept: 7, huit: 8, neuf: 9, dix: 10, douze: 12, quinze: 15,
  vingt: 20, trente: 30, cinquante: 50, cent: 100,
}; // prettier-ignore
const koreanCounts: Record<string, number> = {
  한: 1, 두: 2, 세: 3, 네: 4, 다섯: 5, 여섯: 6, 일곱: 7, 여덟: 8, 아홉: 9, 열: 10, 스무: 20,
}; // prettier-ignore

function writeNumbersAsDigits(text: string): string {
  return text
    .replace(/\b([a-z]+)\b/g, (word) => (numberWords[word] !== undefined ? String(numberWords[word]) : word))
    .replace(
      /(^|\s)(한|두|세|네|다섯|여섯|일곱|여덟|아홉|열|스무)\s*(개국|개사|개월|개|곳|명|달|주|군데|해|번|건|위)/g,
      (_all, space: string, word: string, counter: string) => `${space}${koreanCounts[word]}${counter}`,
    );
}

// ---------- stage 1b: spelling ----------
let vocabulary: { words: Set<string>; byLength: Map<number, string[]> } | undefined;
function knownWords() {
  if (vocabulary) return vocabulary;
  const words = new Set<string>([...stopWords, ...periodVocabulary]);
  for (const entry of glossaryLexicon()) {
    if (!hasHangul(entry.phrase)) entry.phrase.split(' ').forEach((word) => words.add(word));
  }
  const byLength = new Map<number, string[]>();
  for (const word of words) byLength.set(word.length, [...(byLength.get(word.length) ?? []), word]);
  vocabulary = { words, byLength };
  return vocabulary;
}

/**
 * Replaces each Latin word the glossary, the period words and the common words do not know by the one
 * known word nearest to it (parcles -> parcels, weak -> week), when exactly one is near enough.
 */
function correctSpelling(text: string): string {
  const { words, byLength } = knownWords();
  return text.replace(/[a-z]{3,}/g, (word) => {
    if (words.has(word) || /\d/.test(word)) return word;
    const limit = Math.max(1, allowedTypos(word));
    let best: string[] = [];
    let bestDistance = limit + 1;
    for (let length = word.length - limit; length <= word.length + limit; length++) {
      for (const candidate of byLength.get(length) ?? []) {
        if (candidate.length < 3 || (word.length === 3 && candidate.length === 3)) continue;
        const distance = editDistance(word, candidate, limit);
        if (distance < bestDistance) {
          bestDistance = distance;
          best = [candidate];
        } else if (distance === bestDistance) best.push(candidate);
      }
    }
    return best.length === 1 ? best[0]! : word;
  });
}

// ---------- stage 2: codes ----------
function blank(text: string, start: number, end: number): string {
  return text.slice(0, start) + ' '.repeat(end - start) + text.slice(end);
}

interface Extracted {
  text: string;
  conditions: Condition[];
}

const codePatterns: { pattern: RegExp; read: (m: RegExpExecArray) => Condition | undefined }[] = [
  {
    pattern: /(?:^|\s)(?:hs|sh)\s*(?:code\s*|chapter\s*|chapitre\s*)?(\d{2}|\d{4}|\d{6})(?!\d)/g,
    read: (m) => hsCondition(m[1]!),
  },
  {
    pattern: /(?:^|\s)(?:chapter|chapitre|ch)\s*(\d{1,2})(?!\d)/g,
    read: (m) => hsCondition(m[1]!.padStart(2, '0')),
  },
  { pattern: /(?:^|\s)(\d{1,2})\s*류/g, read: (m) => hsCondition(m[1]!.padStart(2, '0')) },
  { pattern: /(?:^|\s)(\d{4})\s*호/g, read: (m) => hsCondition(m[1]!) },
  { pattern: /(?:^|\s)(?:heading|position)\s*(\d{4})(?!\d)/g, read: (m) => hsCondition(m[1]!) },
  {
    pattern:
      /(?:^|\s)(?:office|bureau|세관)\s*(?:code\s*|no\s*|number\s*|numero\s*|n°\s*)?(\d{1,6})(?![\d])/g,
    read: (m) => ({ dimension: 'office', values: [m[1]!], negate: false }),
  },
  {
    pattern: /(?:^|\s)(\d{1,6})\s*(?:번\s*)?세관/g,
    read: (m) => ({ dimension: 'office', values: [m[1]!], negate: false }),
  },
  {
    pattern:
      /(?:^|\s)(seller|sellers|vendeur|merchant|importer|importateur|declarant|판매자|수입자|신고인)\s*(?:id\s*|code\s*)?([a-z0-9]*\d[a-z0-9]*)(?=\s|$|의|가|이|는|은|를|을)/g,
    read: (m) => {
      if (m[2]!.length < 4) return undefined;
      const dimension: DimensionId = /import|수입/.test(m[1]!)
        ? 'importer'
        : /declar|신고/.test(m[1]!)
          ? 'declarant'
          : 'seller';
      return { dimension, values: [m[2]!.toUpperCase()], negate: false };
    },
  },
];

function hsCondition(code: string): Condition {
  const dimension: DimensionId = code.length === 2 ? 'hs_chapter' : code.length === 4 ? 'hs_heading' : 'hs6';
  return { dimension, values: [code], negate: false };
}

function extractCodes(text: string): Extracted {
  const conditions: Condition[] = [];
  let rest = text;
  for (const { pattern, read } of codePatterns) {
    pattern.lastIndex = 0;
    for (let match = pattern.exec(rest); match; match = pattern.exec(rest)) {
      const condition = read(match);
      if (!condition) continue;
      conditions.push(condition);
      rest = blank(rest, match.index, match.index + match[0].length);
    }
  }
  return { text: rest, conditions };
}

// ---------- stage 3: amounts, units and currencies ----------
type Op = AmountCondition['op'];
const GREATER = String.raw`over|above|more than|greater than|higher than|exceeding|in excess of|plus de|plus d|superieure? a|superieures? a|superieurs? a|au dessus de|depassant|excedant|de plus de`;
const AT_LEAST = String.raw`at least|no less than|minimum|au moins|au minimum|a partir de`;
const LESS = String.raw`under|below|less than|lower than|cheaper than|moins de|moins d|inferieure? a|inferieures? a|inferieurs? a|en dessous de|en deca de`;
const AT_MOST = String.raw`at most|up to|no more than|maximum|au plus|au maximum|jusqu a`;
const AFTER_GREATER = String.raw`초과|넘는|넘은|넘게|넘어|넘고|이 넘는|보다 비싼|보다 큰|보다 많은|or more expensive`;
const AFTER_AT_LEAST = String.raw`이상|or more|and above|and over|and up|ou plus|et plus|at least`;
const AFTER_LESS = String.raw`미만|보다 싼|보다 작은|보다 적은|보다 저렴한`;
const AFTER_AT_MOST = String.raw`이하|or less|and below|and under|ou moins|et moins`;
const NUMBER = String.raw`(\d+(?:\.\d+)?)`;
const SCALE = String.raw`(k|m|thousand|million|millions|mille|milliers|만|천|백만|천만|억)?`;

const amountUnits: { unit: 'USD' | 'KRW' | 'kg' | 'EUR' | 'percent'; pattern: string }[] = [
  { unit: 'USD', pattern: String.raw`(?:us\s*\$|\$|usd)\s*${NUMBER}\s*${SCALE}` },
  {
    unit: 'USD',
    pattern: String.raw`${NUMBER}\s*${SCALE}\s*(?:us dollars|dollars us|dollars|dollar|usd|달러|불|\$)`,
  },
  { unit: 'KRW', pattern: String.raw`(?:₩|krw)\s*${NUMBER}\s*${SCALE}` },
  { unit: 'KRW', pattern: String.raw`${NUMBER}\s*${SCALE}\s*(?:korean won|wons|won|krw|원|₩)` },
  {
    unit: 'EUR',
    pattern: String.raw`(?:€|eur)\s*${NUMBER}\s*${SCALE}|${NUMBER}\s*${SCALE}\s*(?:euros|euro|eur|€|유로)`,
  },
  {
    unit: 'kg',
    pattern: String.raw`${NUMBER}\s*${SCALE}\s*(?:kilogrammes|kilogramme|kilograms|kilogram|kilos|kilo|kgs|kg|킬로그램|킬로)`,
  },
  { unit: 'percent', pattern: String.raw`${NUMBER}\s*(?:%|percent|per cent|pour cent|퍼센트|프로)` },
];

const scaleFactors: Record<string, number> = {
  k: 1e3, thousand: 1e3, mille: 1e3, milliers: 1e3, 천: 1e3, m: 1e6, million: 1e6, millions: 1e6,
  만: 1e4, 백만: 1e6, 천만: 1e7, 억: 1e8,
}; // prettier-ignore

interface AmountMention {
  unit: 'USD' | 'KRW' | 'kg' | 'EUR' | 'percent';
  op: Op;
  amount: number;
}

function extractAmounts(text: string): { text: string; amounts: AmountMention[] } {
  const amounts: AmountMention[] = [];
  let rest = text;
  for (const { unit, pattern } of amountUnits) {
    const regex = new RegExp(
      String.raw`(?:(${GREATER}|${AT_LEAST}|${LESS}|${AT_MOST})\s+)?(?:${pattern})\s*(${AFTER_GREATER}|${AFTER_AT_LEAST}|${AFTER_LESS}|${AFTER_AT_MOST})?`,
      'g',
    );
    for (let match = regex.exec(rest); match; match = regex.exec(rest)) {
      const groups = match.slice(2, -1).filter((group) => group !== undefined);
      const number = Number(groups[0]);
      const scale = groups[1] ? (scaleFactors[groups[1]] ?? 1) : 1;
      if (!Number.isFinite(number)) continue;
      const before = match[1];
      const after = match[match.length - 1];
      amounts.push({ unit, op: comparison(before, after), amount: number * scale });
      rest = blank(rest, match.index, match.index + match[0].length);
    }
  }
  return { text: rest, amounts };
}

function comparison(before: string | undefined, after: string | undefined): Op {
  const is = (words: string, value: string | undefined) =>
    value !== undefined && new RegExp(`^(?:${words})$`).test(value);
  if (is(GREATER, before) || is(AFTER_GREATER, after)) return '>';
  if (is(LESS, before) || is(AFTER_LESS, after)) return '<';
  if (is(AT_MOST, before) || is(AFTER_AT_MOST, after)) return '<=';
  return '>=';
}

// ---------- stage 4: how many rows ----------
function extractLimit(text: string): { text: string; limit?: number } {
  const patterns = [
    /(?:^|\s)(?:top|first|premiers|premieres|les)\s*(\d{1,3})(?!\d)/,
    /상위\s*(\d{1,3})/,
    /(?:^|\s)(\d{1,3})\s+(?:premiers|premieres|plus|meilleurs|principaux|principales|biggest|largest|highest|most|top|leading|busiest|lowest)(?=\s|$)/,
    /(?:^|\s)(\d{1,3})\s*(?:개국|개사|개|곳|명|위|군데)(?=\s|$|의|를|을|는|은|만|까지)/,
  ];
  for (const pattern of patterns) {
    const match = pattern.exec(text);
    if (match && Number(match[1]) > 0) {
      const start = match.index + match[0].indexOf(match[1]!);
      return { text: blank(text, start, start + match[1]!.length), limit: Number(match[1]) };
    }
  }
  return { text };
}

// ---------- stage 5: glossary matching ----------
interface LexiconIndex {
  exact: Map<string, LexiconEntry[]>;
  fuzzy: LexiconEntry[];
  korean: LexiconEntry[];
  longestWords: number;
}

let index: LexiconIndex | undefined;
function lexiconIndex(): LexiconIndex {
  if (index) return index;
  const exact = new Map<string, LexiconEntry[]>();
  let longestWords = 1;
  for (const entry of glossaryLexicon()) {
    exact.set(entry.phrase, [...(exact.get(entry.phrase) ?? []), entry]);
    longestWords = Math.max(longestWords, entry.words);
  }
  const latin = glossaryLexicon().filter((entry) => !hasHangul(entry.phrase));
  const korean = glossaryLexicon()
    .filter((entry) => hasHangul(entry.phrase))
    .sort((a, b) => b.phrase.length - a.phrase.length);
  index = { exact, fuzzy: latin.filter((entry) => entry.phrase.length >= 5), korean, longestWords };
  return index;
}

interface Token {
  text: string;
  start: number;
  end: number;
}

function tokens(text: string): Token[] {
  const result: Token[] = [];
  for (const match of text.matchAll(/[^\s.,]+/g)) {
    result.push({ text: match[0], start: match.index!, end: match.index! + match[0].length });
  }
  return result;
}

/**
 * The concepts a phrase names: one per kind (a word may name a subject and a value, 우편물 = parcels,
 * postal); concepts that differ only by language are the same; several countries may share a phrase.
 */
function conceptsOf(entries: readonly LexiconEntry[], language: Language): Concept[] {
  const ordered = [...entries].sort(
    (a, b) => Number(b.language === language) - Number(a.language === language),
  );
  const byKind = new Map<string, Concept>();
  for (const { concept } of ordered) {
    const key = concept.kind === 'value' ? `value:${concept.dimension}` : concept.kind;
    const existing = byKind.get(key);
    if (!existing)
      byKind.set(key, concept.kind === 'value' ? { ...concept, values: [...concept.values] } : concept);
    else if (existing.kind === 'value' && concept.kind === 'value') {
      for (const value of concept.values) if (!existing.values.includes(value)) existing.values.push(value);
    }
  }
  return [...byKind.values()];
}

function matchLatin(list: Token[], context: ParseContext, matches: Match[], unknown: string[]): void {
  const { exact, fuzzy, longestWords } = lexiconIndex();
  const known = new Map(
    (context.knownValues ?? []).map((known) => [known.value.toLowerCase(), known] as const),
  );
  let position = 0;
  while (position < list.length) {
    let matched = false;
    for (let words = Math.min(longestWords, list.length - position); words >= 1 && !matched; words--) {
      const span = list.slice(position, position + words);
      const phrase = span.map((token) => token.text).join(' ');
      const start = span[0]!.start;
      const end = span[span.length - 1]!.end;
      let entries = exact.get(phrase);
      if (!entries && words === 1 && known.has(phrase)) {
        const value = known.get(phrase)!;
        matches.push({
          concept: { kind: 'value', dimension: value.dimension, values: [value.value] },
          start,
          end,
          phrase,
        });
        matched = true;
        break;
      }
      // Mistyped words were corrected one by one before; phrases of several words must then match exactly.
      if (!entries && words === 1 && allowedTypos(phrase) > 0) entries = closest(phrase, words, fuzzy);
      if (entries) {
        for (const concept of conceptsOf(entries, context.language))
          matches.push({ concept, start, end, phrase });
        position += words;
        matched = true;
      }
    }
    if (!matched) {
      const word = list[position]!.text;
      if (word.length >= 4 && !/\d/.test(word) && !stopWords.has(word)) unknown.push(word);
      position++;
    }
  }
}

/** The glossary phrases nearest to a mistyped phrase of the same number of words, if near enough. */
function closest(
  phrase: string,
  words: number,
  candidates: readonly LexiconEntry[],
): LexiconEntry[] | undefined {
  const limit = allowedTypos(phrase);
  let best: LexiconEntry[] = [];
  let bestDistance = limit + 1;
  for (const entry of candidates) {
    if (entry.words !== words || Math.abs(entry.phrase.length - phrase.length) > limit) continue;
    if (entry.phrase[0] !== phrase[0] && entry.phrase[1] !== phrase[1]) continue;
    const distance = editDistance(phrase, entry.phrase, limit);
    if (distance < bestDistance) {
      bestDistance = distance;
      best = [entry];
    } else if (distance === bestDistance && distance <= limit) {
      best.push(entry);
    }
  }
  return bestDistance <= limit ? best.filter((entry) => entry.phrase === best[0]!.phrase) : undefined;
}

/**
 * Korean: a run of words is segmented by longest match against the glossary, ignoring spaces (so 신고
 * 가격 and 신고가격 read alike) and stepping over particles and endings that name nothing.
 */
function matchKorean(run: Token[], context: ParseContext, matches: Match[], unknown: string[]): void {
  const { korean, exact } = lexiconIndex();
  let text = '';
  const offsets: number[] = [];
  for (const token of run) {
    for (let index = 0; index < token.text.length; index++) {
      text += token.text[index];
      offsets.push(token.start + index);
    }
  }
  let position = 0;
  let skipped = '';
  const flushSkipped = () => {
    if (skipped.length >= 2 && !koreanFiller.test(skipped)) unknown.push(skipped);
    skipped = '';
  };
  while (position < text.length) {
    let found: LexiconEntry | undefined;
    for (const entry of korean) {
      if (text.startsWith(entry.phrase, position)) {
        found = entry;
        break;
      }
    }
    if (!found) {
      // One mistyped syllable in a longer term (보류률 for 보류율 is covered by 율/률 both being terms).
      for (const entry of korean) {
        if (entry.phrase.length < 4) break;
        const candidate = text.slice(position, position + entry.phrase.length);
        if (candidate.length === entry.phrase.length && editDistance(candidate, entry.phrase, 1) <= 1) {
          found = entry;
          break;
        }
      }
    }
    if (found) {
      flushSkipped();
      const entries = exact.get(found.phrase) ?? [found];
      const start = offsets[position]!;
      const end = offsets[position + found.phrase.length - 1]! + 1;
      for (const concept of conceptsOf(entries, 'ko'))
        matches.push({ concept, start, end, phrase: found.phrase });
      position += found.phrase.length;
    } else {
      skipped += text[position];
      position++;
      if (position < offsets.length && offsets[position]! !== offsets[position - 1]! + 1) flushSkipped();
    }
  }
  flushSkipped();
  void context;
}

/** Korean endings, verbs and fillers that carry no concept of their own. */
const koreanFiller =
  /^(?:은|는|이|가|을|를|의|에|에서|로|으로|와|과|도|만|부터|까지|발|산|입|된|한|했|했나|했나요|있|있나|있나요|인가|인가요|입니까|습니까|나요|요|줘|주세요|알려|보여|보여줘|보여주세요|얼마|얼마나|였|였나|었|었나|이었|된것|들어온|들어왔|온|들어|반입된|수입된|보낸|보냈|많|적|높|낮|각각|모두|중|중에서|그리고|및|또는|혹은|현황|통계|기준|정도|목록|리스트|조회|조회해|계산|계산해|은요|는요|대해|대한|관련|관련된|\s)+$/;

const stopWords = new Set(
  `the a an of in on at for to from with and or is are was were be been being do does did have has had how what
  which who whose where when this that these those there their they them it its we our you your me my please show
  tell give list get find display many much were during between into within about as per than then so any all
  some each every total number count also just only out over under more most less least can could would should
  will shall may might must like want need see know let made came come sent send shipped arrived arriving entered
  imported import imports brought declared coming went going got been being week weeks month months year years
  day days quel quels quelle quelles les des une un du de la le et ou en au aux par pour sur dans avec sans est sont
  etait etaient ont avons avez fait faire combien donne donner montre montrer affiche afficher liste lister
  quelle nous vous leur leurs cette ces ce cet qui que quoi dont arrives arrivees importes importees envoyes
  recus declares declarees venant venus provenant depuis pendant entre selon chaque tous toutes tout plus moins
  tres bien aussi ainsi alors donc comme being got gotten things thing stuff data figures numbers statistics stats
  breakdown give provide report`.split(/\s+/),
);

// ---------- stage 6: assembling the structured query ----------
export function parseQuestion(question: string, context: ParseContext): ParseOutcome {
  let text = correctSpelling(writeNumbersAsDigits(normalise(question)));
  const codes = extractCodes(text);
  // Countries typed as ISO codes in capitals ("from CN"); lower-case pairs are too often words.
  for (const match of question.matchAll(/(?<![A-Za-z])([A-Z]{2})(?![A-Za-z])/g)) {
    if (
      isCountryCode(match[1]!) &&
      ![
        'IN',
        'IT',
        'TO',
        'NO',
        'OR',
        'AS',
        'AT',
        'BE',
        'BY',
        'DO',
        'IS',
        'ME',
        'MY',
        'SO',
        'ON',
        'AM',
      ].includes(match[1]!)
    )
      codes.conditions.push({ dimension: 'origin', values: [match[1]!], negate: false });
  }
  text = codes.text;
  const amountScan = extractAmounts(text);
  text = amountScan.text;
  // Periods before ranking sizes: "les 14 derniers jours" is a period, not the 14 first rows.
  const periodScan = scanPeriods(text, context.asOf);
  text = periodScan.rest;
  const limitScan = extractLimit(text);
  text = limitScan.text;

  const matches: Match[] = [];
  const unknown: string[] = [];
  const list = tokens(text);
  for (let position = 0; position < list.length;) {
    const hangul = hasHangul(list[position]!.text);
    let end = position;
    while (end < list.length && hasHangul(list[end]!.text) === hangul) end++;
    const run = list.slice(position, end);
    if (hangul) matchKorean(run, context, matches, unknown);
    else matchLatin(run, context, matches, unknown);
    position = end;
  }
  matches.sort((a, b) => a.start - b.start);
  return assemble(
    {
      matches,
      unknown,
      codes: codes.conditions,
      amounts: amountScan.amounts,
      limit: limitScan.limit,
      periods: periodScan.mentions,
      vague: periodScan.vague,
    },
    context,
  );
}

interface Reading {
  matches: Match[];
  unknown: string[];
  codes: Condition[];
  amounts: AmountMention[];
  limit?: number;
  periods: PeriodMention[];
  vague: boolean;
}

function cues(reading: Reading, cue: Cue): Match[] {
  return reading.matches.filter((match) => match.concept.kind === 'cue' && match.concept.cue === cue);
}
function has(reading: Reading, cue: Cue): boolean {
  return cues(reading, cue).length > 0;
}
function ofKind<K extends Concept['kind']>(
  reading: Reading,
  kind: K,
): (Match & { concept: Extract<Concept, { kind: K }> })[] {
  return reading.matches.filter((match) => match.concept.kind === kind) as never;
}

function assemble(reading: Reading, context: ParseContext): ParseOutcome {
  // Refusals first: nothing that changes data, and no personal data, whatever else the question says.
  const refusals = ofKind(reading, 'refuse');
  if (refusals.some((match) => match.concept.reason === 'change'))
    return { status: 'refused', reason: 'change' };
  if (refusals.some((match) => match.concept.reason === 'personal'))
    return { status: 'refused', reason: 'personal' };
  const personContext = has(reading, 'person-context');
  const listing =
    has(reading, 'which') || has(reading, 'group') || has(reading, 'most') || has(reading, 'top');
  if (personContext && (refusals.length > 0 || listing)) return { status: 'refused', reason: 'personal' };

  const aggregates = new Set(ofKind(reading, 'aggregate').map((match) => match.concept.aggregate));
  const fieldMatches = ofKind(reading, 'field');
  const flagMatches = ofKind(reading, 'flag');
  const valueMatches = ofKind(reading, 'value');
  const dimensionMatches = ofKind(reading, 'dimension');
  // A channel names parcels ("postal items", 우편물, envois postaux) as well as filtering them.
  const subjectMatches = [
    ...ofKind(reading, 'subject'),
    ...valueMatches
      .filter((match) => match.concept.dimension === 'channel')
      .map((match) => ({ ...match, concept: { kind: 'subject' as const, subject: 'parcels' as const } })),
  ];
  const substantive =
    fieldMatches.length +
    flagMatches.length +
    valueMatches.length +
    dimensionMatches.length +
    subjectMatches.length +
    reading.codes.length +
    reading.amounts.length +
    (aggregates.has('rate') || aggregates.has('share') ? 1 : 0);
  if (substantive === 0) {
    if (reading.unknown.length > 0 || (!aggregates.has('count') && reading.periods.length === 0))
      return { status: 'refused', reason: 'out_of_scope' };
  }
  const onlyValues =
    fieldMatches.length +
      flagMatches.length +
      subjectMatches.length +
      dimensionMatches.length +
      aggregates.size ===
    0;
  if (onlyValues && reading.unknown.length > 0) return { status: 'refused', reason: 'out_of_scope' };
  if (personContext && subjectMatches.length === 0 && fieldMatches.length === 0 && flagMatches.length === 0)
    return { status: 'refused', reason: 'out_of_scope' };

  // Filters: values of dimensions (with "not", "except", 제외 around them), codes, and yes/no facts.
  const filters: Condition[] = [...reading.codes];
  const byDimension = new Map<DimensionId, { values: Set<string>; negate: boolean }>();
  for (const match of valueMatches) {
    const negate = isNegated(reading, match);
    const key = match.concept.dimension;
    const existing = byDimension.get(key) ?? { values: new Set<string>(), negate };
    match.concept.values.forEach((value) => existing.values.add(value));
    byDimension.set(key, existing);
  }
  for (const [dimension, { values, negate }] of byDimension) {
    filters.push({ dimension, values: [...values], negate });
  }
  const flagConditions: Condition[] = [];
  for (const match of flagMatches) {
    if (!flagConditions.some((condition) => 'flag' in condition && condition.flag === match.concept.flag))
      flagConditions.push({ flag: match.concept.flag, value: !isNegated(reading, match) });
  }
  // "critical fraud" implies fraud: keep only the narrower fact.
  const narrowed = flagConditions.some((c) => 'flag' in c && c.flag === 'critical_fraud')
    ? flagConditions.filter((c) => !('flag' in c && c.flag === 'fraud'))
    : flagConditions;

  // Grouping: dimensions named without one of their values, when the question asks for a breakdown.
  const breakdown =
    has(reading, 'group') ||
    has(reading, 'which') ||
    has(reading, 'most') ||
    has(reading, 'least') ||
    has(reading, 'top') ||
    aggregates.has('share') ||
    has(reading, 'trend') ||
    reading.limit !== undefined;
  const groupBy: DimensionId[] = [];
  for (const match of dimensionMatches) {
    const dimension = match.concept.dimension;
    if (groupBy.includes(dimension) || byDimension.has(dimension)) continue;
    if (filters.some((condition) => 'dimension' in condition && condition.dimension === dimension)) continue;
    if (isTimeGrain(dimension) || breakdown || /(?:별|마다)$/.test(match.phrase)) groupBy.push(dimension);
  }
  if (has(reading, 'trend') && !groupBy.some(isTimeGrain)) {
    const period = reading.periods[0]?.period;
    groupBy.unshift(period && daysIn(period) <= 62 ? 'day' : 'month');
  }
  // A time grain goes first (a series per category reads as lines); at most two groupings.
  groupBy.sort((a, b) => Number(isTimeGrain(b)) - Number(isTimeGrain(a)));
  groupBy.splice(2);

  // Measure.
  let measure: Measure | undefined;
  const fieldIds = fieldMatches.map((match) => match.concept.field);
  const specificField = fieldIds.find((id) => id !== 'value_krw') ?? fieldIds[0];
  const rateField = specificField === 'tax_rate' || specificField === 'risk_score';
  let conditions = [...filters, ...narrowed];
  if (aggregates.has('rate') && !rateField) {
    const condition = narrowed[0] ?? filters.find((c) => 'dimension' in c && !c.negate);
    if (!condition && groupBy.length > 0) measure = { aggregate: 'share' };
    else if (!condition) return clarifyMeasure(context, reading);
    else {
      measure = { aggregate: 'rate', condition };
      conditions = conditions.filter((c) => c !== condition);
    }
  } else if (aggregates.has('share') && !specificField) {
    if (groupBy.length > 0) measure = { aggregate: 'share' };
    else {
      const condition = filters.find((c) => 'dimension' in c && !c.negate) ?? narrowed[0];
      if (!condition) return clarifyMeasure(context, reading);
      measure = { aggregate: 'rate', condition };
      conditions = conditions.filter((c) => c !== condition);
    }
  } else if (
    specificField &&
    !aggregates.has('sum') &&
    !aggregates.has('average') &&
    reading.amounts.some(
      (amount) =>
        amountField(amount.unit) === specificField ||
        (specificField === 'value_krw' && amount.unit === 'USD'),
    )
  ) {
    // "parcels valued above 150 dollars": the field is the amount's, a condition rather than the measure.
    measure = { aggregate: 'count' };
  } else if (specificField) {
    const average = aggregates.has('average') || rateField;
    measure = { aggregate: average ? 'average' : 'sum', field: specificField };
  } else if (aggregates.has('average')) {
    return clarifyMeasure(context, reading);
  } else {
    const impliesCount =
      aggregates.has('count') ||
      subjectMatches.length > 0 ||
      narrowed.length > 0 ||
      groupBy.length > 0 ||
      has(reading, 'most') ||
      has(reading, 'least') ||
      has(reading, 'which');
    if (!impliesCount) return clarifyMeasure(context, reading);
    measure = { aggregate: 'count' };
  }

  // Amounts: money in USD or KRW, mass in kg, duty rates in percent.
  const amounts: AmountCondition[] = [];
  for (const amount of reading.amounts) {
    if (amount.unit === 'EUR') return { status: 'clarify', about: 'currency', choices: [] };
    const field = amountField(amount.unit) ?? (fieldIds.includes('tax_rate') ? 'tax_rate' : undefined);
    if (field) amounts.push({ field, op: amount.op, amount: amount.amount });
  }

  const query: StructuredQuery = {
    subject: chooseSubject(
      subjectMatches.map((match) => match.concept.subject),
      measure,
      conditions,
      groupBy,
      amounts,
      reading.periods[0]?.period,
      context.coverage,
    ),
    measure,
    groupBy,
    filters: conditions,
    amounts,
  };

  // Order and size of a ranking.
  const most = has(reading, 'most') || has(reading, 'top') || reading.limit !== undefined;
  const least = has(reading, 'least');
  if (groupBy.length > 0 && !isTimeGrain(groupBy[0]!) && (most || least)) {
    query.order = least && !has(reading, 'top') ? 'asc' : 'desc';
    query.limit = reading.limit ?? (has(reading, 'top') || isPlural(reading) ? 10 : 1);
  } else if (groupBy.length > 0 && isTimeGrain(groupBy[0]!) && (most || least) && !has(reading, 'trend')) {
    // "Which day had the most parcels": the busiest period, not the series.
    query.order = least ? 'asc' : 'desc';
    query.limit = reading.limit ?? 1;
  } else if (reading.limit !== undefined) {
    query.limit = reading.limit;
  }

  // Periods, and a comparison between two of them.
  if (reading.vague) return clarifyPeriod(query, context.asOf);
  const compared = has(reading, 'compare');
  const periods = reading.periods.map((mention) => mention.period);
  if (compared && periods.length >= 1) {
    const cue = cues(reading, 'compare')[0]!;
    const [current, base] = comparisonPeriods(reading.periods, cue, context);
    query.period = current;
    query.comparePeriod = base;
  } else if (periods.length > 0) {
    query.period = periods.length === 1 ? periods[0] : spanOf(periods);
  }
  if (query.comparePeriod && query.measure.aggregate === 'share') query.measure = { aggregate: 'count' };
  return { status: 'answered', query };
}

/** The field an amount in a unit compares with (percent depends on the question: duty rates only). */
function amountField(unit: AmountMention['unit']): FieldId | undefined {
  return unit === 'USD'
    ? 'value_usd'
    : unit === 'KRW'
      ? 'value_krw'
      : unit === 'kg'
        ? 'net_mass_kg'
        : undefined;
}

function daysIn(period: Period): number {
  return (Date.parse(period.to) - Date.parse(period.from)) / 86_400_000 + 1;
}

function spanOf(periods: Period[]): Period {
  return {
    from: periods.map((period) => period.from).sort()[0]!,
    to: periods
      .map((period) => period.to)
      .sort()
      .reverse()[0]!,
  };
}

/**
 * Which period is the base of a comparison: in English and French the one after the cue ("this month
 * compared with last month"), in Korean the one before it ("작년 대비 올해"). With one period named,
 * the other is the period just before it, or the current one when the named period is the base.
 */
function comparisonPeriods(mentions: PeriodMention[], cue: Match, context: ParseContext): [Period, Period] {
  const korean = hasHangul(cue.phrase);
  const baseIndex = korean
    ? mentions.map((mention) => mention.end <= cue.start).lastIndexOf(true)
    : mentions.findIndex((mention) => mention.start >= cue.end);
  if (mentions.length >= 2) {
    const base = baseIndex >= 0 ? baseIndex : 1;
    const current = base === 0 ? 1 : 0;
    return [mentions[current]!.period, mentions[base]!.period];
  }
  const only = mentions[0]!.period;
  if (baseIndex === 0 && only.to < context.asOf) {
    return [{ from: addDays(only.to, 1), to: context.asOf }, only];
  }
  return [only, previousPeriod(only)];
}

function isNegated(reading: Reading, match: Match): boolean {
  return cues(reading, 'negate').some((negation) => {
    const korean = hasHangul(negation.phrase);
    const gap = korean ? negation.start - match.end : match.start - negation.end;
    return gap >= 0 && gap <= (korean ? 4 : 14);
  });
}

function isPlural(reading: Reading): boolean {
  if (cues(reading, 'which').some((match) => /^(quels|quelles|lesquels|lesquelles)$/.test(match.phrase)))
    return true;
  return ofKind(reading, 'dimension').some(
    (match) => /[sx]$/.test(match.phrase) && !/^(pays|colis|prix|status|canal)$/.test(match.phrase),
  );
}

function needsOf(
  measure: Measure,
  conditions: Condition[],
  groupBy: DimensionId[],
  amounts: AmountCondition[],
) {
  const needed: { columns: Partial<Record<Subject, string>> }[] = [];
  const addCondition = (condition: Condition) =>
    needed.push('flag' in condition ? flags[condition.flag] : dimensions[condition.dimension]);
  if (measure.field) needed.push(fields[measure.field]);
  if (measure.condition) addCondition(measure.condition);
  conditions.forEach(addCondition);
  groupBy.forEach((dimension) => needed.push(dimensions[dimension]));
  amounts.forEach((amount) => needed.push(fields[amount.field]));
  return needed;
}

/** The subject named, unless what is asked is recorded only for the other one; parcels by default. */
function chooseSubject(
  named: Subject[],
  measure: Measure,
  conditions: Condition[],
  groupBy: DimensionId[],
  amounts: AmountCondition[],
  period: Period | undefined,
  coverage: ParseContext['coverage'],
): Subject {
  const needed = needsOf(measure, conditions, groupBy, amounts);
  const covers = (subject: Subject) => {
    const span = coverage?.[subject];
    return !period || !span || (span.from <= period.to && period.from <= span.to);
  };
  const fits = (subject: Subject) => needed.every((definition) => availableOn(definition, subject));
  const preferred = named[0];
  if (preferred && fits(preferred)) return preferred;
  if (!preferred && fits('parcels') && fits('declarations') && !covers('parcels') && covers('declarations')) {
    return 'declarations';
  }
  if (fits('parcels')) return 'parcels';
  if (fits('declarations')) return 'declarations';
  return preferred ?? 'parcels';
}

function clarifyMeasure(context: ParseContext, reading: Reading): ParseOutcome {
  void context;
  const period = reading.periods[0]?.period;
  const base = {
    subject: 'parcels' as const,
    groupBy: [],
    filters: [],
    amounts: [],
    ...(period ? { period } : {}),
  };
  return {
    status: 'clarify',
    about: 'measure',
    choices: [
      { ...base, measure: { aggregate: 'count' } },
      { ...base, measure: { aggregate: 'sum', field: 'value_krw' } },
      { ...base, measure: { aggregate: 'rate', condition: { flag: 'held', value: true } } },
      {
        ...base,
        subject: 'declarations',
        measure: { aggregate: 'rate', condition: { flag: 'fraud', value: true } },
      },
    ],
  };
}

function clarifyPeriod(query: StructuredQuery, asOf: string): ParseOutcome {
  const lastDays = (days: number): Period => ({ from: addDays(asOf, -(days - 1)), to: asOf });
  return {
    status: 'clarify',
    about: 'period',
    choices: [lastDays(7), lastDays(30), { from: `${asOf.slice(0, 4)}-01-01`, to: asOf }].map((period) => ({
      ...query,
      period,
    })),
  };
}
