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

/** Links every parcel to the first one seen with the same key; returns whether any link was made. */
function linkByKey(parcels: readonly GroupingParcel[], keyOf: (parcel: GroupingParcel) => string | null, union: (a: number, b: number) => void, linked: Uint8Array, bit: number): void {
  const firstWithKey = new Map<string, number>();
  for (let index = 0; index < parcels.length; index += 1) {
    const key = keyOf(parcels[index]!);
    if (key === null) continue;
    const first = firstWithKey.get(key);
    if (first === undefined) {
      firstWithKey.set(key, index);
      continue;
    }
    union(first, index);
    linked[first]! |= bit;
    linked[index]! |= bit;
  }
}

function clustersByKey(parcels: readonly GroupingParcel[], kind: SignalKind, keyOf: (parcel: GroupingParcel) => string | null): RiskCluster[] {
  const members = new Map<string, number[]>();
  for (let index = 0; index < parcels.length; index += 1) {
    const key = keyOf(parcels[index]!);
    if (key === null) continue;
    const list = members.get(key);
    if (list) list.push(index);
    else members.set(key, [index]);
  }
  const clusters: RiskCluster[] = [];
  for (const [key, indexes] of members) {
    if (indexes.length < 2) continue;
    let sum = 0n;
    let limit: bigint | null = null;
    for (const index of indexes) {
      const parcel = parcels[index]!;
      sum += parcel.goodsPriceKrw;
      if (limit === null || parcel.limitKrw < limit) limit = parcel.limitKrw;
    }
    clusters.push({ kind, key, parcelIds: indexes.map((index) => parcels[index]!.id), goodsPriceKrw: sum, overLimitIfCombined: sum > limit! });
  }
  return clusters;
}

const WAYBILL_BIT = 1;
const SELLER_DATE_BIT = 2;

/** Finds the combined-taxation groups (two or more parcels) and the risk clusters among `parcels`. */
export function analyseParcelGrouping(parcels: readonly GroupingParcel[]): GroupingAnalysis {
  const { find, union } = makeUnionFind(parcels.length);
  const linked = new Uint8Array(parcels.length);
  linkByKey(parcels, (parcel) => parcel.splitFromWaybill, union, linked, WAYBILL_BIT);
  linkByKey(parcels, (parcel) => (parcel.sellerKey !== null && parcel.purchaseDate !== null ? `${parcel.sellerKey}\u0000${parcel.purchaseDate}` : null), union, linked, SELLER_DATE_BIT);

  const groups = new Map<number, { indexes: number[]; bits: number; sum: bigint; limit: bigint }>();
  for (let index = 0; index < parcels.length; index += 1) {
    if (linked[index] === 0) continue;
    const root = find(index);
    const parcel = parcels[index]!;
    const group = groups.get(root);
    if (group) {
      group.indexes.push(index);
      group.bits |= linked[index]!;
      group.sum += parcel.goodsPriceKrw;
      if (parcel.limitKrw < group.limit) group.limit = parcel.limitKrw;
    } else {
      groups.set(root, { indexes: [index], bits: linked[index]!, sum: parcel.goodsPriceKrw, limit: parcel.limitKrw });
    }
  }
  const combinedGroups: CombinedGroup[] = [];
  for (const group of groups.values()) {
    const triggers: GroupTrigger[] = [];
    if (group.bits & WAYBILL_BIT) triggers.push('same_waybill');
    if (group.bits & SELLER_DATE_BIT) triggers.push('same_seller_same_date');
    combinedGroups.push({ parcelIds: group.indexes.map((index) => parcels[index]!.id), triggers, goodsPriceKrw: group.sum, limitKrw: group.limit, overLimit: group.sum > group.limit });
  }

  const riskClusters = [
    ...clustersByKey(parcels, 'same_pccc_same_day', (parcel) => (parcel.pccc !== null && parcel.arrivalDate !== null ? `${parcel.pccc}/${parcel.arrivalDate}` : null)),
    ...clustersByKey(parcels, 'same_delivery_address', (parcel) => parcel.deliveryAddressKey),
  ];
  return { combinedGroups, riskClusters };
}
