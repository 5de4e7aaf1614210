import { nextLane, uncertainty, type Lane, type LaneThresholds } from './lane-decision.js';

/** Held lanes have budgets; green is what is left. */
export type HeldLane = Exclude<Lane, 'green'>;
export const heldLanes: readonly HeldLane[] = ['red', 'yellow', 'blue'];

/** Expected share of parcels per lane and day at one office, and the hard cap per day. */
export interface LaneBudget {
  /** Expected share of the office's parcels in this lane, 0..1 (0.02 = 2 %). */
  expectedRate: number;
  /** Most parcels this lane can take per day at the office; null is no cap. */
  dailyCapacity: number | null;
}

export type OfficeBudget = Record<HeldLane, LaneBudget>;

/** Carrier risk levels scale the model's selection rate of the carrier's parcels (Customs Act). */
export const carrierRiskLevels = ['low', 'medium', 'high'] as const;
export type CarrierRiskLevel = (typeof carrierRiskLevels)[number];

export interface BudgetSettings {
  /** Budgets per office; `*` applies to offices without their own. */
  offices: Record<string, OfficeBudget>;
  /** Rate multiplier per carrier risk level, e.g. low 0.5, medium 1, high 2. */
  carrierMultipliers: Record<CarrierRiskLevel, number>;
  /** Risk level per carrier code; unlisted carriers are medium. */
  carrierLevels: Record<string, CarrierRiskLevel>;
  /** Thresholds used until an office has `minimumSamples` recent scores. */
  fallbackThresholds: LaneThresholds;
  minimumSamples: number;
  /** How many recent scores per office the thresholds are learned from. */
  windowSize: number;
  /** Offset of the office's day from UTC, in minutes (Korea: +540). */
  dayOffsetMinutes: number;
}

export const defaultBudgetSettings: BudgetSettings = {
  offices: {
    '*': {
      red: { expectedRate: 0.02, dailyCapacity: null },
      yellow: { expectedRate: 0.03, dailyCapacity: null },
      blue: { expectedRate: 0.02, dailyCapacity: null },
    },
  },
  carrierMultipliers: { low: 0.5, medium: 1, high: 2 },
  carrierLevels: {},
  fallbackThresholds: { red: 0.8, yellow: 0.6, blue: 0.45 },
  minimumSamples: 200,
  windowSize: 20_000,
  dayOffsetMinutes: 540,
};

let lastDay = { from: 0, to: -1, offset: 0, day: '' };

/** The office's day (`YYYY-MM-DD` in the office's time) of an instant. */
export function officeDay(nowMs: number, offsetMinutes: number): string {
  // Decisions come in bursts on the same day: remember the last day's bounds instead of formatting dates.
  if (nowMs >= lastDay.from && nowMs < lastDay.to && offsetMinutes === lastDay.offset) return lastDay.day;
  const shifted = nowMs + offsetMinutes * 60_000;
  const from = shifted - (((shifted % 86_400_000) + 86_400_000) % 86_400_000) - offsetMinutes * 60_000;
  lastDay = {
    from,
    to: from + 86_400_000,
    offset: offsetMinutes,
    day: new Date(shifted).toISOString().slice(0, 10),
  };
  return lastDay.day;
}

/**
 * The recent scores of one office, in a ring buffer, with their sorted copy refreshed every
 * `refreshEvery` new scores, and whenever the window has doubled while it fills up (sorting 20,000
 * numbers costs about a millisecond, so a refresh every 2,000 decisions is half a microsecond each).
 */
class ScoreWindow {
  private readonly scores: Float64Array;
  private count = 0;
  private next = 0;
  private sorted: Float64Array = new Float64Array(0);
  private sinceRefresh = 0;
  private uncertaintySum = 0;
  /** Exponential average of the share of parcels sent to each lane by rules or random picks. */
  readonly nonModelShare: Record<HeldLane, number> = { red: 0, yellow: 0, blue: 0 };

  /** Bumped at every refresh, so that thresholds computed from the sorted copy can be cached. */
  version = 0;

  constructor(
    size: number,
    private readonly refreshEvery = 2000,
  ) {
    this.scores = new Float64Array(size);
  }

  add(score: number): void {
    if (this.count === this.scores.length) this.uncertaintySum -= uncertainty(this.scores[this.next]!);
    else this.count++;
    this.scores[this.next] = score;
    this.uncertaintySum += uncertainty(score);
    this.next = (this.next + 1) % this.scores.length;
    if (++this.sinceRefresh >= this.refreshEvery || this.count >= 2 * this.sorted.length) this.refresh();
  }

  get size(): number {
    return this.count;
  }

  get meanUncertainty(): number {
    return this.count === 0 ? 0.5 : this.uncertaintySum / this.count;
  }

  /** The score with a share `rate` of the window at or above it. */
  scoreAtTopRate(rate: number): number {
    if (rate <= 0) return Number.POSITIVE_INFINITY;
    const sorted = this.sorted;
    if (rate >= 1 || sorted.length === 0) return 0;
    const index = Math.min(sorted.length - 1, Math.max(0, Math.floor(sorted.length * (1 - rate))));
    return sorted[index]!;
  }

  private refresh(): void {
    this.sorted = this.scores.slice(0, this.count).sort();
    this.sinceRefresh = 0;
    this.version++;
  }
}

/**
 * Learns score thresholds per office (and carrier risk level) from the recent score distribution, so
 * that the expected share of parcels in each lane matches the budget, minus what rules and random
 * picks already send there. Decisions arrive one by one during the day, so the quantile of yesterday's
 * (recent) scores is the best estimate of where today's top n % will fall.
 */
export class ThresholdLearner {
  private readonly windows = new Map<string, ScoreWindow>();
  /** Thresholds per office and carrier level, valid while the office's window keeps its version. */
  private readonly cache = new Map<string, { version: number; thresholds: LaneThresholds }>();

  constructor(private settings: BudgetSettings) {}

  update(settings: BudgetSettings): void {
    this.settings = settings;
    this.cache.clear();
  }

  budgetOf(office: string): OfficeBudget {
    return this.settings.offices[office] ?? this.settings.offices['*'] ?? defaultBudgetSettings.offices['*']!;
  }

  carrierMultiplier(carrier: string | null): { level: CarrierRiskLevel; multiplier: number } {
    const level = (carrier && this.settings.carrierLevels[carrier.toUpperCase()]) || 'medium';
    return { level, multiplier: this.settings.carrierMultipliers[level] ?? 1 };
  }

  meanUncertainty(office: string): number {
    return this.windowOf(office).meanUncertainty;
  }

  /** Thresholds for a parcel of this office and carrier, before its own score is recorded. */
  thresholds(office: string, carrier: string | null): LaneThresholds {
    const window = this.windowOf(office);
    const { multiplier } = this.carrierMultiplier(carrier);
    if (window.size < this.settings.minimumSamples) {
      // Too few scores to learn from: fixed thresholds, made stricter or looser by the carrier level.
      const fallback = this.settings.fallbackThresholds;
      if (multiplier === 1) return { ...fallback };
      const scale = (threshold: number) => Math.min(1, Math.max(0, 1 - (1 - threshold) * multiplier));
      return { red: scale(fallback.red), yellow: scale(fallback.yellow), blue: scale(fallback.blue) };
    }
    const cacheKey = `${office}\u0000${multiplier}`;
    const cached = this.cache.get(cacheKey);
    if (cached && cached.version === window.version) return cached.thresholds;
    const budget = this.budgetOf(office);
    const modelRate = (lane: HeldLane) =>
      Math.max(0, budget[lane].expectedRate - window.nonModelShare[lane]) * multiplier;
    // Lanes are nested: red takes the top share, yellow the next, blue the next.
    const redRate = modelRate('red');
    const yellowRate = redRate + modelRate('yellow');
    const blueRate = yellowRate + modelRate('blue');
    const thresholds = {
      red: window.scoreAtTopRate(redRate),
      yellow: window.scoreAtTopRate(yellowRate),
      blue: window.scoreAtTopRate(blueRate),
    };
    this.cache.set(cacheKey, { version: window.version, thresholds });
    return thresholds;
  }

  /** Records a decided parcel: its score, and whether a rule or a random pick chose its lane. */
  record(office: string, score: number, lane: Lane, chosenByModel: boolean): void {
    const window = this.windowOf(office);
    window.add(score);
    const alpha = 1 / Math.min(window.size, 5000);
    for (const held of heldLanes) {
      const hit = !chosenByModel && lane === held ? 1 : 0;
      window.nonModelShare[held] += alpha * (hit - window.nonModelShare[held]);
    }
  }

  private windowOf(office: string): ScoreWindow {
    let window = this.windows.get(office);
    if (!window) {
      window = new ScoreWindow(this.settings.windowSize);
      this.windows.set(office, window);
    }
    return window;
  }
}

/** A parcel holding a place in a lane today. */
export interface HeldPlace {
  parcelKey: number;
  priority: number;
  /** Mandatory rule hits and parcels an officer has acted on can no longer be displaced. */
  displaceable: boolean;
  /** What the caller needs to move the parcel down later (its decision). */
  decision?: unknown;
}

/** Where a parcel landed, and which held parcels it pushed down (each into the lane after `movedDown[i]`). */
export interface Admission {
  lane: Lane;
  displaced: HeldPlace[];
  movedDown: HeldLane[];
}

interface LaneDay {
  day: string;
  count: number;
  /** Min-heap by priority of displaceable places; entries removed later are skipped lazily. */
  heap: HeldPlace[];
  places: Map<number, HeldPlace>;
}

/**
 * The hard cap per office, lane and day. When a lane is full, a new parcel takes the place of the
 * lowest-ranked held parcel only if it ranks higher and that parcel can still be displaced (not yet
 * released to an officer's work, not mandatory); otherwise the new parcel moves to the next lane.
 * A displaced parcel moves to the next lane in turn, by the same test. So a lower-ranked parcel
 * moves down, never a higher-ranked one.
 */
export class CapacityLedger {
  private readonly lanes = new Map<string, LaneDay>();

  constructor(private readonly capacityOf: (office: string, lane: HeldLane) => number | null) {}

  /**
   * Finds the lane a parcel gets, from its wanted lane downwards, and the parcels it displaces.
   * Every place taken is recorded; the caller re-decides the displaced parcels into `movedDown`.
   */
  admit(office: string, day: string, wanted: Lane, place: HeldPlace): Admission {
    const displaced: HeldPlace[] = [];
    const movedDown: HeldLane[] = [];
    let lane = wanted;
    while (lane !== 'green') {
      const held = lane;
      const state = this.stateOf(office, held, day);
      const capacity = this.capacityOf(office, held);
      if (capacity === null || state.count < capacity || !place.displaceable) {
        this.take(state, place);
        return { lane: held, displaced, movedDown };
      }
      const lowest = this.lowest(state);
      if (lowest && lowest.priority < place.priority) {
        this.remove(state, lowest.parcelKey);
        displaced.push(lowest);
        movedDown.push(held);
        this.take(state, place);
        return { lane: held, displaced, movedDown };
      }
      lane = nextLane(held);
    }
    return { lane: 'green', displaced, movedDown };
  }

  /** Gives back a parcel's place (it is being re-decided). */
  release(office: string, day: string, lane: Lane, parcelKey: number): void {
    if (lane === 'green') return;
    const state = this.lanes.get(key(office, lane, day));
    if (state) this.remove(state, parcelKey);
  }

  /** An officer acted on the parcel: it keeps its place and can no longer be displaced. */
  settle(office: string, day: string, lane: Lane, parcelKey: number): void {
    if (lane === 'green') return;
    const place = this.lanes.get(key(office, lane, day))?.places.get(parcelKey);
    if (place) place.displaceable = false;
  }

  /** Restores a place from stored decisions (start-up). */
  restore(office: string, day: string, lane: HeldLane, place: HeldPlace): void {
    this.take(this.stateOf(office, lane, day), place);
  }

  used(office: string, lane: HeldLane, day: string): number {
    return this.lanes.get(key(office, lane, day))?.count ?? 0;
  }

  private stateOf(office: string, lane: HeldLane, day: string): LaneDay {
    const id = key(office, lane, day);
    let state = this.lanes.get(id);
    if (!state) {
      // A new day: drop the office's older days of this lane, their places no longer matter.
      for (const [other, value] of this.lanes)
        if (value.day < day && other.startsWith(`${office}\u0000${lane}\u0000`)) this.lanes.delete(other);
      state = { day, count: 0, heap: [], places: new Map() };
      this.lanes.set(id, state);
    }
    return state;
  }

  private take(state: LaneDay, place: HeldPlace): void {
    if (state.places.has(place.parcelKey)) this.remove(state, place.parcelKey);
    const copy = { ...place };
    state.places.set(copy.parcelKey, copy);
    state.count++;
    if (copy.displaceable) heapPush(state.heap, copy);
  }

  private remove(state: LaneDay, parcelKey: number): void {
    if (state.places.delete(parcelKey)) state.count--;
  }

  private lowest(state: LaneDay): HeldPlace | undefined {
    // Lazy deletion: skip heap entries whose parcel left or was settled since it was pushed.
    while (state.heap.length > 0) {
      const top = state.heap[0]!;
      if (state.places.get(top.parcelKey) === top && top.displaceable) return top;
      heapPop(state.heap);
    }
    return undefined;
  }
}

function key(office: string, lane: Lane, day: string): string {
  return `${office}\u0000${lane}\u0000${day}`;
}

function heapPush(heap: HeldPlace[], item: HeldPlace): void {
  heap.push(item);
  let index = heap.length - 1;
  while (index > 0) {
    const parent = (index - 1) >> 1;
    if (heap[parent]!.priority <= item.priority) break;
    heap[index] = heap[parent]!;
    index = parent;
  }
  heap[index] = item;
}

function heapPop(heap: HeldPlace[]): HeldPlace | undefined {
  const top = heap[0];
  const last = heap.pop();
  if (heap.length === 0 || !last) return top;
  let index = 0;
  for (;;) {
    const left = 2 * index + 1;
    if (left >= heap.length) break;
    const right = left + 1;
    const child = right < heap.length && heap[right]!.priority < heap[left]!.priority ? right : left;
    if (heap[child]!.priority >= last.priority) break;
    heap[index] = heap[child]!;
    index = child;
  }
  heap[index] = last;
  return top;
}
