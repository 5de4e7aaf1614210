/**
 * Combined taxation (합산과세) and anti-splitting analysis over many parcels at once.
 *
 * Legal triggers, joined transitively (a parcel split from one AWB and also bought from the same seller on
 * the same date joins both groups into one): (a) same original B/L or AWB, (b) same seller and same
 * purchase date. A group whose summed goods price is over its limit loses list clearance and is taxed as
 * one parcel.
 *
 * Risk signals the law does not catch: parcels for the same PCCC arriving on the same day, and parcels
 * delivered to the same (normalised) final address. They are reported for targeting, not taxed together.
 */
export interface GroupingParcel {
  id: number;
  /** The B/L or AWB the parcel was split from (its own house waybill when it was not split). */
  splitFromWaybill: string | null;
  sellerKey: string | null;
  /** Purchase (order) date, `YYYY-MM-DD`. */
  purchaseDate: string | null;
  pccc: string | null;
  arrivalDate: string | null;
  /** Normalised key of the final delivery address reported by the carrier (or the declared addressee). */
  deliveryAddressKey: string | null;
  /** Goods price (threshold basis) in won. */
  goodsPriceKrw: bigint;
  /** List-clearance limit of the parcel in won at its weekly rate. */
  limitKrw: bigint;
}

export type GroupTrigger = 'same_waybill' | 'same_seller_same_date';
export type SignalKind = 'same_pccc_same_day' | 'same_delivery_address';

export interface CombinedGroup {
  parcelIds: number[];
  triggers: GroupTrigger[];
  goodsPriceKrw: bigint;
  /** Strictest limit of the members. */
  limitKrw: bigint;
  /** Sum over the limit: the members lose list clearance and are taxed together. */
  overLimit: boolean;
}

export interface RiskCluster {
  kind: SignalKind;
  /** The PCCC and date, or the address key. */
  key: string;
  parcelIds: number[];
  goodsPriceKrw: bigint;
  /** Would be over the strictest member limit if taxed together: the mark of deliberate splitting. */
  overLimitIfCombined: boolean;
}

export interface GroupingAnalysis {
  combinedGroups: CombinedGroup[];
  riskClusters: RiskCluster[];
}

/** Union-find with path halving over parcel indexes. */
function makeUnionFind(size: number) {
  const parent = new Int32Array(size);
  for (let index = 0; index < size; index += 1) parent[index] = index;
  const find = (start: number): number => {
    let node = start;
    while (parent[node] !== node) {
      parent[node] = parent[parent[node]!]!;
      node = parent[node]!;
    }
    return node;
  };
  const union = (a: number, b: number): void => {
    const rootA = find(a);
    const rootB = find(b);
    if (rootA !== rootB) parent[rootB] = rootA;
  };
  return { find, union };
}

/**
 * Dense integer ids for the values of one criterion, so that the grouping works on typed arrays instead
 * of maps keyed by freshly concatenated strings (at a million parcels the string keys and the garbage
 * they make cost more than the grouping itself). `NO_KEY` marks a parcel without the value.
 */
const NO_KEY = -1;
const PAIR_FACTOR = 1 << 21;

class KeyIds {
  private readonly byText = new Map<string, number>();
  private readonly byPair = new Map<number, number>();
  readonly texts: string[] = [];
  count = 0;

  ofText(text: string | null): number {
    if (text === null) return NO_KEY;
    let id = this.byText.get(text);
    if (id === undefined) {
      id = this.count++;
      this.byText.set(text, id);
      this.texts.push(text);
    }
    return id;
  }

  /** Id of a pair of ids from two other KeyIds; the second must have fewer than 2^21 values (dates do). */
  ofPair(first: number, second: number): number {
    if (first === NO_KEY || second === NO_KEY) return NO_KEY;
    if (second >= PAIR_FACTOR) throw new RangeError('too many distinct values for a pair key');
    const pair = first * PAIR_FACTOR + second;
    let id = this.byPair.get(pair);
    if (id === undefined) {
      id = this.count++;
      this.byPair.set(pair, id);
    }
    return id;
  }
}

/** The key id of each parcel for one criterion, and how many distinct keys there are. */
interface KeyColumn {
  ids: Int32Array;
  count: number;
  /** Text of a key id, for reports. */
  describe(id: number): string;
}

function textColumn(parcels: readonly GroupingParcel[], valueOf: (parcel: GroupingParcel) => string | null): KeyColumn {
  const keys = new KeyIds();
  const ids = new Int32Array(parcels.length);
  for (let index = 0; index < parcels.length; index += 1) ids[index] = keys.ofText(valueOf(parcels[index]!));
  return { ids, count: keys.count, describe: (id) => keys.texts[id]! };
}

function pairColumn(parcels: readonly GroupingParcel[], firstOf: (parcel: GroupingParcel) => string | null, secondOf: (parcel: GroupingParcel) => string | null, separator: string): KeyColumn {
  const firsts = new KeyIds();
  const seconds = new KeyIds();
  const pairs = new KeyIds();
  const ids = new Int32Array(parcels.length);
  const pairTexts: string[] = [];
  for (let index = 0; index < parcels.length; index += 1) {
    const parcel = parcels[index]!;
    const before = pairs.count;
    const id = pairs.ofPair(firsts.ofText(firstOf(parcel)), seconds.ofText(secondOf(parcel)));
    if (pairs.count > before) pairTexts.push(`${firstOf(parcel)}${separator}${secondOf(parcel)}`);
    ids[index] = id;
  }
  return { ids, count: pairs.count, describe: (id) => pairTexts[id]! };
}

/** Links every parcel to the first one seen with the same key. */
function linkByKey(column: KeyColumn, union: (a: number, b: number) => void, linked: Uint8Array, bit: number): void {
  const firstWithKey = new Int32Array(column.count).fill(NO_KEY);
  for (let index = 0; index < column.ids.length; index += 1) {
    const key = column.ids[index]!;
    if (key === NO_KEY) continue;
    const first = firstWithKey[key]!;
    if (first === NO_KEY) {
      firstWithKey[key] = index;
      continue;
    }
    union(first, index);
    linked[first]! |= bit;
    linked[index]! |= bit;
  }
}

function clustersByKey(parcels: readonly GroupingParcel[], kind: SignalKind, column: KeyColumn): RiskCluster[] {
  // Counting sort by key: count, prefix sums, then place indexes; only keys seen twice make clusters.
  const counts = new Int32Array(column.count + 1);
  for (let index = 0; index < column.ids.length; index += 1) {
    const key = column.ids[index]!;
    if (key !== NO_KEY) counts[key + 1]! += 1;
  }
  const sizes = counts.slice(1);
  for (let key = 1; key <= column.count; key += 1) counts[key]! += counts[key - 1]!;
  const placed = new Int32Array(counts[column.count]!);
  const cursor = counts.slice(0, column.count);
  for (let index = 0; index < column.ids.length; index += 1) {
    const key = column.ids[index]!;
    if (key !== NO_KEY) placed[cursor[key]!++] = index;
  }
  const clusters: RiskCluster[] = [];
  for (let key = 0; key < column.count; key += 1) {
    if (sizes[key]! < 2) continue;
    const members = placed.subarray(counts[key]!, counts[key]! + sizes[key]!);
    let sum = 0n;
    let limit = parcels[members[0]!]!.limitKrw;
    const parcelIds: number[] = [];
    for (const index of members) {
      const parcel = parcels[index]!;
      sum += parcel.goodsPriceKrw;
      if (parcel.limitKrw < limit) limit = parcel.limitKrw;
      parcelIds.push(parcel.id);
    }
    clusters.push({ kind, key: column.describe(key), parcelIds, goodsPriceKrw: sum, overLimitIfCombined: sum > limit });
  }
  return clusters;
}

const WAYBILL_BIT = 1;
const SELLER_DATE_BIT = 2;

/** Finds the combined-taxation groups (two or more parcels) and the risk clusters among `parcels`. */
export function analyseParcelGrouping(parcels: readonly GroupingParcel[]): GroupingAnalysis {
  const { find, union } = makeUnionFind(parcels.length);
  const linked = new Uint8Array(parcels.length);
  linkByKey(textColumn(parcels, (parcel) => parcel.splitFromWaybill), union, linked, WAYBILL_BIT);
  linkByKey(pairColumn(parcels, (parcel) => parcel.sellerKey, (parcel) => parcel.purchaseDate, '/'), union, linked, SELLER_DATE_BIT);

  // Group members in parcel order: one pass gives each root a dense group number.
  const groupOfRoot = new Map<number, number>();
  const groups: { indexes: number[]; bits: number; sum: bigint; limit: bigint }[] = [];
  for (let index = 0; index < parcels.length; index += 1) {
    if (linked[index] === 0) continue;
    const root = find(index);
    const parcel = parcels[index]!;
    let number = groupOfRoot.get(root);
    if (number === undefined) {
      number = groups.length;
      groupOfRoot.set(root, number);
      groups.push({ indexes: [], bits: 0, sum: 0n, limit: parcel.limitKrw });
    }
    const group = groups[number]!;
    group.indexes.push(index);
    group.bits |= linked[index]!;
    group.sum += parcel.goodsPriceKrw;
    if (parcel.limitKrw < group.limit) group.limit = parcel.limitKrw;
  }
  const combinedGroups: CombinedGroup[] = groups.map((group) => {
    const triggers: GroupTrigger[] = [];
    if (group.bits & WAYBILL_BIT) triggers.push('same_waybill');
    if (group.bits & SELLER_DATE_BIT) triggers.push('same_seller_same_date');
    return { parcelIds: group.indexes.map((index) => parcels[index]!.id), triggers, goodsPriceKrw: group.sum, limitKrw: group.limit, overLimit: group.sum > group.limit };
  });

  const riskClusters = [
    ...clustersByKey(parcels, 'same_pccc_same_day', pairColumn(parcels, (parcel) => parcel.pccc, (parcel) => parcel.arrivalDate, '/')),
    ...clustersByKey(parcels, 'same_delivery_address', textColumn(parcels, (parcel) => parcel.deliveryAddressKey)),
  ];
  return { combinedGroups, riskClusters };
}
