import type { ExclusionCategory } from './clearance-rules.js';

/** Why one declaration line cannot be list-cleared. */
export interface LineExclusion {
  category: string;
  label: string;
  /** What matched: `hs:3004` or `keyword:vitamin`. */
  evidence: string;
}

const LATIN_ONLY = /^[\x20-\x7e]+$/;

function escapeRegExp(text: string): string {
  return text.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
}

/**
 * Matches declaration lines against the excluded-goods categories. Latin keywords match whole words,
 * case-insensitive, plural `-s`/`-es` included ("vitamin" fires on "Vitamins", not on "vitaminwater"
 * brand names glued to other words); Korean keywords match anywhere, because Korean attaches particles
 * and compounds without spaces.
 */
export class ExclusionMatcher {
  private readonly compiled: {
    category: ExclusionCategory;
    patterns: { keyword: string; test: (text: string) => boolean }[];
  }[];
  private readonly vague: Set<string>;

  constructor(categories: readonly ExclusionCategory[], vagueDescriptions: readonly string[]) {
    this.compiled = categories.map((category) => ({
      category,
      patterns: category.keywords.map((keyword) => {
        const lower = keyword.toLowerCase();
        if (LATIN_ONLY.test(lower)) {
          const pattern = new RegExp(`(^|[^a-z0-9])${escapeRegExp(lower)}(e?s)?($|[^a-z0-9])`);
          return { keyword, test: (text: string) => pattern.test(text) };
        }
        return { keyword, test: (text: string) => text.includes(lower) };
      }),
    }));
    this.vague = new Set(vagueDescriptions.map((text) => text.trim().toLowerCase()));
  }

  /** Every category a line belongs to, by HS code (prefix, minus exceptions) or by description keyword. */
  exclusionsOf(description: string, hsCode: string | null | undefined): LineExclusion[] {
    const digits = (hsCode ?? '').replace(/\D/g, '');
    const text = description.toLowerCase();
    const found: LineExclusion[] = [];
    for (const { category, patterns } of this.compiled) {
      const hsHit = digits
        ? category.hsPrefixes.find(
            (prefix) =>
              digits.startsWith(prefix) &&
              !(category.hsExceptions ?? []).some((exception) => digits.startsWith(exception)),
          )
        : undefined;
      if (hsHit) {
        found.push({ category: category.code, label: category.label, evidence: `hs:${hsHit}` });
        continue;
      }
      const keywordHit = patterns.find((pattern) => pattern.test(text));
      if (keywordHit)
        found.push({
          category: category.code,
          label: category.label,
          evidence: `keyword:${keywordHit.keyword}`,
        });
    }
    return found;
  }

  /** True when the whole description is a word like "gift" or "goods" that names no product. */
  isVague(description: string): boolean {
    return this.vague.has(
      description
        .trim()
        .toLowerCase()
        .replace(/[.!]+$/, ''),
    );
  }
}
