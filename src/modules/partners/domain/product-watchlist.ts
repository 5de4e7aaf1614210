import { brandKey, listingUrlKey, modelCandidates, modelKey, sellerKey, textKeys } from './product-text.js';

/** What a product-safety report says about the product, as the watchlist holds it. */
export interface WatchEntry {
  reportId: number;
  productName: string;
  brand?: string | null;
  model?: string | null;
  sellerId?: string | null;
  listingUrl?: string | null;
}

/** A parcel line or an order as the watchlist reads it: its text and, when known, seller and listing. */
export interface ProductLineText {
  text: string;
  sellerId?: string | null;
  listingUrl?: string | null;
}

export type MatchedOn = 'listingUrl' | 'model' | 'sellerId' | 'brand' | 'title';

export interface ProductMatch {
  reportId: number;
  /** What the line shares with the report, strongest first. */
  matchedOn: MatchedOn[];
  /** 0..1; a hit is at least `HIT_SCORE`. */
  score: number;
}

/** Lowest score that counts as a hit. */
export const HIT_SCORE = 0.6;

/** Share of the report's title words a line must hold for the title to count at all. */
const TITLE_COVERAGE = 0.5;

interface CompiledEntry {
  reportId: number;
  brand: string | null;
  model: string | null;
  seller: string | null;
  url: string | null;
  /** Keys of the title's words other than the brand. */
  titleKeys: string[];
  /** Title keys holding a digit ("s21", "500ml"): a line naming another number is another product. */
  numberKeys: string[];
}

function push(map: Map<string, number[]>, key: string | null, index: number): void {
  if (key === null) return;
  const list = map.get(key);
  if (list) {
    if (list[list.length - 1] !== index) list.push(index);
  } else map.set(key, [index]);
}

/**
 * Report entries indexed for matching many lines: each entry is found through its listing URL, model
 * number, seller id, and its anchor words (a number of its title, or else its brand and its rarest word),
 * so a line is compared in full only with the few entries that share one of those.
 */
export class ProductWatchlist {
  private readonly entries: CompiledEntry[];
  private readonly byUrl = new Map<string, number[]>();
  private readonly byModel = new Map<string, number[]>();
  private readonly bySeller = new Map<string, number[]>();
  private readonly byAnchor = new Map<string, number[]>();

  constructor(entries: readonly WatchEntry[]) {
    this.entries = entries.map(compileEntry);
    const frequency = new Map<string, number>();
    for (const entry of this.entries)
      for (const key of entry.titleKeys) frequency.set(key, (frequency.get(key) ?? 0) + 1);
    this.entries.forEach((entry, index) => {
      push(this.byUrl, entry.url, index);
      push(this.byModel, entry.model, index);
      push(this.bySeller, entry.seller, index);
      // A title matches only with every number of it present, so one number finds every title match;
      // a title without numbers is found through its brand and through its rarest word.
      if (entry.numberKeys.length > 0) {
        push(this.byAnchor, entry.numberKeys[0]!, index);
        return;
      }
      const rarest = [...entry.titleKeys].sort(
        (a, b) => frequency.get(a)! - frequency.get(b)! || b.length - a.length || a.localeCompare(b),
      )[0];
      push(this.byAnchor, entry.brand, index);
      push(this.byAnchor, rarest ?? null, index);
    });
  }

  get size(): number {
    return this.entries.length;
  }

  /** The reports this line hits, best first. */
  match(line: ProductLineText): ProductMatch[] {
    const keys = textKeys(line.text);
    const models = modelCandidates(line.text);
    const seller = line.sellerId ? sellerKey(line.sellerId) : null;
    const url = line.listingUrl ? listingUrlKey(line.listingUrl) : null;

    const candidates = new Set<number>();
    const collect = (list: number[] | undefined) => list?.forEach((index) => candidates.add(index));
    if (url) collect(this.byUrl.get(url));
    if (seller) collect(this.bySeller.get(seller));
    for (const model of models) collect(this.byModel.get(model));
    for (const key of keys) collect(this.byAnchor.get(key));
    if (candidates.size === 0) return [];

    const lineBrands = [...keys].filter((key) => key.startsWith('brand:'));
    const matches: ProductMatch[] = [];
    for (const index of candidates) {
      const match = scoreEntry(this.entries[index]!, { keys, models, seller, url, lineBrands });
      if (match.score >= HIT_SCORE) matches.push(match);
    }
    return matches.sort((a, b) => b.score - a.score || a.reportId - b.reportId);
  }
}

function compileEntry(entry: WatchEntry): CompiledEntry {
  const title = textKeys(entry.productName);
  const titleBrand = [...title].find((key) => key.startsWith('brand:')) ?? null;
  const brand = (entry.brand ? brandKey(entry.brand) : null) ?? titleBrand;
  if (brand) title.delete(brand);
  const titleKeys = [...title];
  return {
    reportId: entry.reportId,
    brand,
    model: entry.model ? modelKey(entry.model) : null,
    seller: entry.sellerId ? sellerKey(entry.sellerId) : null,
    url: entry.listingUrl ? listingUrlKey(entry.listingUrl) : null,
    titleKeys,
    numberKeys: titleKeys.filter((key) => /\d/.test(key)),
  };
}

/**
 * How strongly a line points at one report: a listing URL or model number is near proof; the seller
 * alone is a lead; the title counts when most of its words are there, the brand (if any) is not
 * contradicted, every number of the title ("S21", "500ml") is there, and the line names no other
 * model of the same family.
 */
function scoreEntry(
  entry: CompiledEntry,
  line: {
    keys: Set<string>;
    models: Set<string>;
    seller: string | null;
    url: string | null;
    lineBrands: string[];
  },
): ProductMatch {
  const evidence: { on: MatchedOn; score: number }[] = [];
  if (entry.url !== null && entry.url === line.url) evidence.push({ on: 'listingUrl', score: 1 });
  if (entry.model !== null && line.models.has(entry.model)) evidence.push({ on: 'model', score: 0.95 });
  if (entry.seller !== null && entry.seller === line.seller) evidence.push({ on: 'sellerId', score: 0.7 });

  const brandPresent = entry.brand !== null && line.keys.has(entry.brand);
  const brandContradicted =
    entry.brand !== null && !brandPresent && entry.brand.startsWith('brand:') && line.lineBrands.length > 0;
  const otherModel =
    entry.model !== null && !line.models.has(entry.model) && hasRivalModel(line.models, entry);
  const numbersPresent = entry.numberKeys.every((key) => line.keys.has(key));
  if (entry.titleKeys.length > 0 && !brandContradicted && !otherModel && numbersPresent) {
    let shared = 0;
    for (const key of entry.titleKeys) if (line.keys.has(key)) shared++;
    const coverage = shared / entry.titleKeys.length;
    if (coverage >= TITLE_COVERAGE) {
      const score = brandPresent ? 0.4 + 0.6 * coverage : entry.titleKeys.length >= 2 ? 0.75 * coverage : 0;
      if (score > 0) evidence.push({ on: 'title', score });
    }
  }
  if (brandPresent && evidence.length > 0) evidence.push({ on: 'brand', score: 0 });
  if (evidence.length === 0) return { reportId: entry.reportId, matchedOn: [], score: 0 };
  const strongest = Math.max(...evidence.map((item) => item.score));
  const corroborating = evidence.filter((item) => item.score > 0).length - 1;
  return {
    reportId: entry.reportId,
    matchedOn: evidence.sort((a, b) => b.score - a.score).map((item) => item.on),
    score: Math.min(1, strongest + 0.05 * corroborating),
  };
}

/** Whether the line names another model of the entry's model family ("SMG991U" for "SMG991B"). */
function hasRivalModel(models: Set<string>, entry: CompiledEntry): boolean {
  for (const model of models)
    if (
      model.length >= 5 &&
      sharesFamily(model, entry.model!) &&
      // "KM102 new" joined is no model: the title's own series number is not a rival model.
      !entry.numberKeys.some((key) => model.includes(key.toUpperCase()))
    )
      return true;
  return false;
}

/** Two model numbers of one family: same length, same first three characters ("SMG991B", "SMG991U"). */
function sharesFamily(a: string, b: string): boolean {
  return a.length === b.length && a.slice(0, 3) === b.slice(0, 3);
}
