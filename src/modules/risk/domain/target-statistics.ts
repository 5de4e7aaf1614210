/**
 * Per-entity inspection history (how many declarations of this importer, seller, HS code ... were inspected,
 * how many were fraudulent) turned into smoothed fraud rates: "ordered target statistics" in CatBoost's
 * sense. The rule that keeps them honest: a declaration's statistics are computed only from declarations of
 * strictly earlier days, never from itself or its own day (whose outcomes were not known when it was
 * declared). Scoring uses the same tallies, frozen at the end of the training window.
 */

/** Counts kept for one entity (one importer, one HS6 x origin pair ...). */
export interface EntityTally {
  /** Declarations seen, inspected or not (known without any inspection). */
  seen: number;
  /** Inspected declarations, i.e. those with a known outcome. */
  count: number;
  fraud: number;
  critical: number;
}

/** Plain-JSON form of one group's tallies, columns instead of objects to keep model files small. */
export interface EntityTallyGroupJson {
  keys: string[];
  /** Absent in model files written before uninspected declarations were counted (then seen = count). */
  seen?: number[];
  count: number[];
  fraud: number[];
  critical: number[];
}

/** Tallies for several entity groups (group i is e.g. "seller", group j "hs6 x origin"). */
export class EntityTallies {
  private readonly groups: Map<string, EntityTally>[];
  /** Totals over all learned declarations; they give the prior that rates shrink towards. */
  total: EntityTally = { seen: 0, count: 0, fraud: 0, critical: 0 };

  constructor(groupCount: number) {
    this.groups = Array.from({ length: groupCount }, () => new Map());
  }

  get groupCount(): number {
    return this.groups.length;
  }

  get(group: number, key: string): EntityTally | undefined {
    return this.groups[group].get(key);
  }

  private tally(group: number, key: string): EntityTally {
    const map = this.groups[group];
    let tally = map.get(key);
    if (tally === undefined) {
      tally = { seen: 0, count: 0, fraud: 0, critical: 0 };
      map.set(key, tally);
    }
    return tally;
  }

  /** Records one declaration of the entity `key` in `group`; `outcome` only when it was inspected. */
  add(group: number, key: string, outcome?: { fraud: boolean; critical: boolean }): void {
    addTo(this.tally(group, key), outcome);
  }

  addToTotal(outcome?: { fraud: boolean; critical: boolean }): void {
    addTo(this.total, outcome);
  }

  toJson(): { total: EntityTally; groups: EntityTallyGroupJson[] } {
    return {
      total: { ...this.total },
      groups: this.groups.map((map) => {
        const json = {
          keys: [] as string[],
          seen: [] as number[],
          count: [] as number[],
          fraud: [] as number[],
          critical: [] as number[],
        };
        for (const [key, tally] of map) {
          json.keys.push(key);
          json.seen.push(tally.seen);
          json.count.push(tally.count);
          json.fraud.push(tally.fraud);
          json.critical.push(tally.critical);
        }
        return json;
      }),
    };
  }

  static fromJson(json: {
    total: Omit<EntityTally, 'seen'> & { seen?: number };
    groups: EntityTallyGroupJson[];
  }): EntityTallies {
    const tallies = new EntityTallies(json.groups.length);
    tallies.total = { ...json.total, seen: json.total.seen ?? json.total.count };
    json.groups.forEach((group, g) => {
      const map = tallies.groups[g];
      for (let i = 0; i < group.keys.length; i++) {
        map.set(group.keys[i], {
          seen: group.seen?.[i] ?? group.count[i],
          count: group.count[i],
          fraud: group.fraud[i],
          critical: group.critical[i],
        });
      }
    });
    return tallies;
  }
}

function addTo(tally: EntityTally, outcome: { fraud: boolean; critical: boolean } | undefined): void {
  tally.seen += 1;
  if (outcome === undefined) return;
  tally.count += 1;
  if (outcome.fraud) tally.fraud += 1;
  if (outcome.critical) tally.critical += 1;
}

/**
 * Smoothed rate: (hits + strength * prior) / (count + strength). An entity seen once with one fraud does
 * not get rate 1; an unseen entity gets the prior.
 */
export function smoothedRate(hits: number, count: number, prior: number, strength: number): number {
  return (hits + strength * prior) / (count + strength);
}

/**
 * Walks rows in date order, day by day: first `encode` is called for every row of the day (seeing only
 * what earlier days taught), then `learn` for every row of that day. `dates` must be ISO strings; rows
 * need not be sorted (the walk sorts a copy of the indices, stable within a day).
 * @returns the row indices in the order they were visited.
 */
export function walkInTimeOrder(
  dates: readonly string[],
  encode: (row: number) => void,
  learn: (row: number) => void,
): Uint32Array {
  const order = Uint32Array.from({ length: dates.length }, (_, i) => i);
  order.sort((a, b) => (dates[a] < dates[b] ? -1 : dates[a] > dates[b] ? 1 : a - b));
  let dayStart = 0;
  while (dayStart < order.length) {
    let dayEnd = dayStart + 1;
    while (dayEnd < order.length && dates[order[dayEnd]] === dates[order[dayStart]]) dayEnd++;
    for (let i = dayStart; i < dayEnd; i++) encode(order[i]);
    for (let i = dayStart; i < dayEnd; i++) learn(order[i]);
    dayStart = dayEnd;
  }
  return order;
}
