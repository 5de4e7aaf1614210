/**
 * Combined taxation (합산과세) and anti-splitting analysis over many parcels at once.
 *
 * Legal triggers, both per importer (the same PCCC, or the same person where the code is missing), joined
 * transitively (a parcel split from one AWB and also bought from the same seller on the same date joins
 * both groups into one): (a) split from the same original B/L or AWB, (b) bought from the same seller on
 * the same purchase date. Two customers of one shop on one day, or two consignees under one master AWB,
 * are never taxed together. A group whose summed goods price is over its limit loses list clearance and
 * is taxed as one parcel.
 *
 * Risk signals the law does not catch: parcels for the same PCCC arriving on the same day, and parcels
 * delivered to the same (normalised) final address. They are reported for targeting, not taxed together.
 */
/**
 * The importer of a parcel, the unit of combined taxation: its PCCC, or, where the code is missing, the
 * person: the addressee's name (its spelling-tolerant key, `phoneticKey`) at the normalised address the
 * goods went to (the carrier's reported delivery address when there is one, else the declared one).
 * Null when neither is known.
 */
export function importerKeyOf(parcel: {
  pccc: string | null;
  addresseeNameKey: string | null;
  addressKey: string | null;
}): string | null {
  if (parcel.pccc) return `pccc:${parcel.pccc.trim().toUpperCase()}`;
  if (!parcel.addresseeNameKey || !parcel.addressKey) return null;
  return `person:${parcel.addresseeNameKey}@${parcel.addressKey}`;
}

export interface GroupingParcel {
  id: number;
  /** The B/L or AWB the parcel was split from (its own house waybill when it was not split). */
  splitFromWaybill: string | null;
  sellerKey: string | null;
  /** Who imports: `pccc:<code>`, or the person (name and address) where the code is missing; see importerKeyOf. */
  importerKey: string | null;
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
 * The grouping works on dense integer key ids in typed arrays, not on maps keyed by concatenated strings:
 * at a million parcels, hashing and the garbage of composite string keys cost more than the grouping.
 * Text values are interned once (one map lookup per value); dates become day numbers by arithmetic; a
 * (text, date) pair is `textId * dayRange + day`, dense enough to index arrays directly.
 */
const NO_KEY = -1;
/** Largest pair-key range indexed directly (arrays of 4 bytes per key); beyond it pairs are interned. */
const MAX_DIRECT_PAIR_KEYS = 1 << 25;

/** The key id of each parcel for one criterion, and how many ids there can be. */
interface KeyColumn {
  ids: Int32Array;
  count: number;
  /** Text of a key id, for reports. */
  describe(id: number): string;
}

/**
 * Interns the values of one text criterion to dense ids with an open-addressing table (FNV-1a over the
 * UTF-16 code units, linear probing) sized for one id per parcel: at this scale it is about twice as fast
 * as a Map keyed by the strings, and makes no garbage.
 */
function internTexts(
  parcels: readonly GroupingParcel[],
  valueOf: (parcel: GroupingParcel) => string | null,
): { ids: Int32Array; texts: string[] } {
  let capacity = 1024;
  while (capacity < parcels.length * 2) capacity *= 2;
  const mask = capacity - 1;
  const slots = new Int32Array(capacity).fill(NO_KEY);
  const texts: string[] = [];
  const ids = new Int32Array(parcels.length);
  for (let index = 0; index < parcels.length; index += 1) {
    const value = valueOf(parcels[index]!);
    if (value === null) {
      ids[index] = NO_KEY;
      continue;
    }
    let hash = 0x811c9dc5;
    for (let at = 0; at < value.length; at += 1) hash = Math.imul(hash ^ value.charCodeAt(at), 0x01000193);
    let slot = hash & mask;
    for (;;) {
      const id = slots[slot]!;
      if (id === NO_KEY) {
        slots[slot] = texts.length;
        ids[index] = texts.length;
        texts.push(value);
        break;
      }
      if (texts[id] === value) {
        ids[index] = id;
        break;
      }
      slot = (slot + 1) & mask;
    }
  }
  return { ids, texts };
}

function textColumn(
  parcels: readonly GroupingParcel[],
  valueOf: (parcel: GroupingParcel) => string | null,
): KeyColumn {
  const { ids, texts } = internTexts(parcels, valueOf);
  return { ids, count: texts.length, describe: (id) => texts[id]! };
}

/** Days since 1970-01-01 of a `YYYY-MM-DD` date, read digit by digit; NaN when it is not one. */
export function dayNumber(date: string): number {
  if (date.length !== 10) return Number.NaN;
  // Digit arithmetic without helper closures: this runs once per parcel and criterion.
  const year =
    (date.charCodeAt(0) - 48) * 1000 +
    (date.charCodeAt(1) - 48) * 100 +
    (date.charCodeAt(2) - 48) * 10 +
    (date.charCodeAt(3) - 48);
  const month = (date.charCodeAt(5) - 48) * 10 + (date.charCodeAt(6) - 48);
  const day = (date.charCodeAt(8) - 48) * 10 + (date.charCodeAt(9) - 48);
  return Date.UTC(year, month - 1, day) / 86_400_000;
}

function pairColumn(
  parcels: readonly GroupingParcel[],
  textOf: (parcel: GroupingParcel) => string | null,
  dateOf: (parcel: GroupingParcel) => string | null,
  separator: string,
): KeyColumn {
  const { ids: textIds, texts } = internTexts(parcels, textOf);
  const days = new Float64Array(parcels.length);
  let firstDay = Infinity;
  let lastDay = -Infinity;
  for (let index = 0; index < parcels.length; index += 1) {
    const date = dateOf(parcels[index]!);
    const day = date === null ? Number.NaN : dayNumber(date);
    days[index] = day;
    if (day < firstDay) firstDay = day;
    if (day > lastDay) lastDay = day;
  }
  const dayRange = lastDay >= firstDay ? lastDay - firstDay + 1 : 0;
  const ids = new Int32Array(parcels.length);
  const describe = (index: number) => `${textOf(parcels[index]!)}${separator}${dateOf(parcels[index]!)}`;
  if (texts.length * dayRange <= MAX_DIRECT_PAIR_KEYS) {
    const exampleOf = new Map<number, number>();
    for (let index = 0; index < parcels.length; index += 1) {
      const day = days[index]!;
      ids[index] =
        textIds[index] === NO_KEY || Number.isNaN(day)
          ? NO_KEY
          : textIds[index]! * dayRange + (day - firstDay);
    }
    return {
      ids,
      count: texts.length * dayRange,
      describe: (id) => {
        if (exampleOf.size === 0)
          for (let index = 0; index < ids.length; index += 1)
            if (ids[index] !== NO_KEY && !exampleOf.has(ids[index]!)) exampleOf.set(ids[index]!, index);
        return describe(exampleOf.get(id)!);
      },
    };
  }
  // Too many combinations to index directly: intern the pairs.
  const idOfPair = new Map<number, number>();
  const examples: number[] = [];
  for (let index = 0; index < parcels.length; index += 1) {
    const day = days[index]!;
    if (textIds[index] === NO_KEY || Number.isNaN(day)) {
      ids[index] = NO_KEY;
      continue;
    }
    const pair = textIds[index]! * dayRange + (day - firstDay);
    let id = idOfPair.get(pair);
    if (id === undefined) {
      id = examples.length;
      idOfPair.set(pair, id);
      examples.push(index);
    }
    ids[index] = id;
  }
  return { ids, count: examples.length, describe: (id) => describe(examples[id]!) };
}

/** Links every parcel to the first one seen with the same key. */
function linkByKey(
  column: KeyColumn,
  union: (a: number, b: number) => void,
  linked: Uint8Array,
  bit: number,
): void {
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

function clustersByKey(
  parcels: readonly GroupingParcel[],
  kind: SignalKind,
  column: KeyColumn,
): RiskCluster[] {
  // Members of each key as a linked list through `nextWithKey`, in parcel order; keys seen twice are clusters.
  const firstWithKey = new Int32Array(column.count).fill(NO_KEY);
  const lastWithKey = new Int32Array(column.count);
  const nextWithKey = new Int32Array(parcels.length).fill(NO_KEY);
  const repeatedKeys: number[] = [];
  for (let index = 0; index < column.ids.length; index += 1) {
    const key = column.ids[index]!;
    if (key === NO_KEY) continue;
    const first = firstWithKey[key]!;
    if (first === NO_KEY) firstWithKey[key] = index;
    else {
      if (first === lastWithKey[key]) repeatedKeys.push(key);
      nextWithKey[lastWithKey[key]!] = index;
    }
    lastWithKey[key] = index;
  }
  repeatedKeys.sort((a, b) => firstWithKey[a]! - firstWithKey[b]!);
  const clusters: RiskCluster[] = [];
  for (const key of repeatedKeys) {
    let sum = 0n;
    let limit = parcels[firstWithKey[key]!]!.limitKrw;
    const parcelIds: number[] = [];
    for (let index = firstWithKey[key]!; index !== NO_KEY; index = nextWithKey[index]!) {
      const parcel = parcels[index]!;
      sum += parcel.goodsPriceKrw;
      if (parcel.limitKrw < limit) limit = parcel.limitKrw;
      parcelIds.push(parcel.id);
    }
    clusters.push({
      kind,
      key: column.describe(key),
      parcelIds,
      goodsPriceKrw: sum,
      overLimitIfCombined: sum > limit,
    });
  }
  return clusters;
}

/** `a · b`, or null when either part is missing: a legal trigger needs both the key and the importer. */
function perImporter(key: string | null, importerKey: string | null): string | null {
  return key === null || importerKey === null ? null : `${key} · ${importerKey}`;
}

const WAYBILL_BIT = 1;
const SELLER_DATE_BIT = 2;

/** Finds the combined-taxation groups (two or more parcels) and the risk clusters among `parcels`. */
export function analyseParcelGrouping(parcels: readonly GroupingParcel[]): GroupingAnalysis {
  const { find, union } = makeUnionFind(parcels.length);
  const linked = new Uint8Array(parcels.length);
  linkByKey(
    textColumn(parcels, (parcel) => perImporter(parcel.splitFromWaybill, parcel.importerKey)),
    union,
    linked,
    WAYBILL_BIT,
  );
  linkByKey(
    pairColumn(
      parcels,
      (parcel) => perImporter(parcel.sellerKey, parcel.importerKey),
      (parcel) => parcel.purchaseDate,
      ' · ',
    ),
    union,
    linked,
    SELLER_DATE_BIT,
  );

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
    return {
      parcelIds: group.indexes.map((index) => parcels[index]!.id),
      triggers,
      goodsPriceKrw: group.sum,
      limitKrw: group.limit,
      overLimit: group.sum > group.limit,
    };
  });

  const riskClusters = [
    ...clustersByKey(
      parcels,
      'same_pccc_same_day',
      pairColumn(
        parcels,
        (parcel) => parcel.pccc,
        (parcel) => parcel.arrivalDate,
        '/',
      ),
    ),
    ...clustersByKey(
      parcels,
      'same_delivery_address',
      textColumn(parcels, (parcel) => parcel.deliveryAddressKey),
    ),
  ];
  return { combinedGroups, riskClusters };
}
