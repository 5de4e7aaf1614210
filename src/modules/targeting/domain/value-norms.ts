/**
 * Usual declared values per HS code, learned from the parcels as they arrive: the median unit value and
 * the median value per kilogram of the latest lines of each HS6 subheading, HS4 heading and HS2 chapter,
 * per currency. A line is compared with the finest code that has enough lines (HS6, else HS4, else
 * HS2), so a new subheading is judged from its heading on the first day. Each parcel's lines are added
 * after it is decided, so the norms follow the stream without a daily recomputation.
 */

/** Lines kept per code and currency: the median of the latest ones follows price changes. */
const KEPT_LINES = 101;
/**
 * Fewest lines for a code's median to be trusted, for HS6, HS4 and HS2: a coarser code mixes more kinds
 * of goods, so it needs more lines before its median says what is usual.
 */
export const MIN_NORM_LINES = [10, 20, 40] as const;

/** A usual value: the median, the code it belongs to and how many lines it was taken from. */
export interface ValueNorm {
  median: number;
  code: string;
  lines: number;
}

class RecentValues {
  private readonly values = new Float64Array(KEPT_LINES);
  private count = 0;
  private next = 0;
  private cachedMedian: number | null = null;

  add(value: number): void {
    this.values[this.next] = value;
    this.next = (this.next + 1) % KEPT_LINES;
    if (this.count < KEPT_LINES) this.count++;
    this.cachedMedian = null;
  }

  get size(): number {
    return this.count;
  }

  median(): number {
    if (this.cachedMedian === null) {
      const sorted = this.values.slice(0, this.count).sort();
      const middle = this.count >> 1;
      this.cachedMedian =
        this.count % 2 === 1 ? sorted[middle]! : (sorted[middle - 1]! + sorted[middle]!) / 2;
    }
    return this.cachedMedian;
  }
}

/** One declaration line as the norms read it. */
export interface NormLine {
  hsCode: string | null;
  currency: string;
  unitValue: number;
  value: number;
  netMassKg: number | null;
}

export class ValueNorms {
  private readonly unit = new Map<string, RecentValues>();
  private readonly perKg = new Map<string, RecentValues>();

  /** Adds a declared line to the norms of its HS6, HS4 and HS2 codes. */
  add(line: NormLine): void {
    if (!line.hsCode || line.hsCode.length < 2 || !(line.unitValue > 0)) return;
    for (const code of codesOf(line.hsCode)) {
      valuesOf(this.unit, code, line.currency).add(line.unitValue);
      if (line.netMassKg !== null && line.netMassKg > 0)
        valuesOf(this.perKg, code, line.currency).add(line.value / line.netMassKg);
    }
  }

  /** The usual unit value of the line's finest code with enough lines, or null. */
  unitValueNorm(hsCode: string | null, currency: string): ValueNorm | null {
    return finest(this.unit, hsCode, currency);
  }

  /** The usual value per kilogram of the line's finest code with enough lines, or null. */
  valuePerKgNorm(hsCode: string | null, currency: string): ValueNorm | null {
    return finest(this.perKg, hsCode, currency);
  }
}

function codesOf(hsCode: string): string[] {
  const digits = hsCode.replace(/\D/g, '');
  return [digits.slice(0, 6), digits.slice(0, 4), digits.slice(0, 2)].filter(
    (code, index, all) => code.length >= 2 && all.indexOf(code) === index,
  );
}

function valuesOf(map: Map<string, RecentValues>, code: string, currency: string): RecentValues {
  const key = `${code}:${currency}`;
  let values = map.get(key);
  if (!values) {
    values = new RecentValues();
    map.set(key, values);
  }
  return values;
}

function finest(map: Map<string, RecentValues>, hsCode: string | null, currency: string): ValueNorm | null {
  if (!hsCode) return null;
  for (const code of codesOf(hsCode)) {
    const values = map.get(`${code}:${currency}`);
    const needed = MIN_NORM_LINES[code.length === 6 ? 0 : code.length === 4 ? 1 : 2];
    if (values && values.size >= needed) return { median: values.median(), code, lines: values.size };
  }
  return null;
}
