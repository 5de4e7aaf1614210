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
  /** Starting thresholds, for the warm-up (see `ThresholdLearner`). */
  fallbackThresholds: LaneThresholds;
  /** Weight of the starting thresholds in pseudo-scores: how many real scores it takes to halve it. */
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
  fallbackThresholds: { red: 0.6, yellow: 0.4, blue: 0.25 },
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

/** Histogram bins over the score's log-odds: fine enough that a bin holds scores within 1 % of each other. */
const BINS = 2048;
const LOGIT_RANGE = 10;

function binOf(score: number): number {
  const clamped = Math.min(1 - 1e-9, Math.max(1e-9, score));
  const logit = Math.log(clamped / (1 - clamped));
  return Math.min(BINS - 1, Math.max(0, Math.floor(((logit + LOGIT_RANGE) / (2 * LOGIT_RANGE)) * BINS)));
}

/**
 * The score a parcel is compared with the thresholds by: its own, moved within its histogram bin (about
 * 1 % of the score) by the parcel's own uniform draw. Equal scores then spread over the bin, so when a
 * threshold falls among many equal scores (a scorer with few distinct values), the budgeted share of
 * them is selected, not all or none; the draw is per parcel, so a re-decision compares the same way.
 */
export function tieBrokenScore(score: number, parcelDraw: number): number {
  return scoreAtPosition(binOf(score) + parcelDraw);
}

function scoreAtPosition(position: number): number {
  const logit = (position / BINS) * 2 * LOGIT_RANGE - LOGIT_RANGE;
  return 1 / (1 + Math.exp(-logit));
}

/** Pseudo-scores of the starting thresholds: `mass` scores spread evenly over bins [from, to). */
interface PriorMass {
  from: number;
  to: number;
  mass: number;
}

/**
 * The recent scores of one office: a ring buffer of the last `size` scores and a Fenwick tree of their
 * histogram, both updated at every score, so the quantiles move by one score's weight at a time.
 */
class ScoreWindow {
  private readonly scores: Float64Array;
  private readonly tree = new Float64Array(BINS + 1);
  private count = 0;
  private next = 0;
  private uncertaintySum = 0;
  /** Exponential average of the share of parcels sent to each lane by rules, checks or random picks. */
  readonly nonModelShare: Record<HeldLane, number> = { red: 0, yellow: 0, blue: 0 };

  constructor(size: number) {
    this.scores = new Float64Array(size);
  }

  add(score: number): void {
    if (this.count === this.scores.length) {
      const oldest = this.scores[this.next]!;
      this.uncertaintySum -= uncertainty(oldest);
      this.bump(binOf(oldest), -1);
    } else this.count++;
    this.scores[this.next] = score;
    this.uncertaintySum += uncertainty(score);
    this.bump(binOf(score), 1);
    this.next = (this.next + 1) % this.scores.length;
  }

  get size(): number {
    return this.count;
  }

  get meanUncertainty(): number {
    return this.count === 0 ? 0.5 : this.uncertaintySum / this.count;
  }

  /**
   * The score with a share `rate` of the window, mixed with the starting thresholds' pseudo-scores, at or
   * above it. Within a bin the mass is taken as spread evenly, so the estimate moves continuously; a
   * bin full of equal scores puts the threshold just above them rather than selecting them all.
   */
  scoreAtTopRate(rate: number, prior: readonly PriorMass[]): number {
    if (rate <= 0) return Number.POSITIVE_INFINITY;
    if (rate >= 1) return 0;
    const priorTotal = prior.reduce((sum, item) => sum + item.mass, 0);
    const total = this.count + priorTotal;
    if (total === 0) return 0;
    const below = total * (1 - rate);
    // Smallest bin whose cumulative mass exceeds `below`.
    let low = 0;
    let high = BINS - 1;
    while (low < high) {
      const middle = (low + high) >> 1;
      if (this.cumulative(middle, prior) > below) high = middle;
      else low = middle + 1;
    }
    const before = low === 0 ? 0 : this.cumulative(low - 1, prior);
    const inBin = this.cumulative(low, prior) - before;
    const fraction = inBin > 0 ? Math.min(1, (below - before) / inBin) : 0;
    return scoreAtPosition(low + fraction);
  }

  private cumulative(bin: number, prior: readonly PriorMass[]): number {
    let sum = 0;
    for (let index = bin + 1; index > 0; index -= index & -index) sum += this.tree[index]!;
    for (const item of prior)
      sum += item.mass * Math.min(1, Math.max(0, (bin + 1 - item.from) / Math.max(1, item.to - item.from)));
    return sum;
  }

  private bump(bin: number, delta: number): void {
    for (let index = bin + 1; index <= BINS; index += index & -index) this.tree[index]! += delta;
  }
}

/** Thresholds and the share of parcels each is meant to hold (cumulative: yellow includes red). */
export interface LearnedThresholds {
  thresholds: LaneThresholds;
  shares: LaneThresholds;
}

/**
 * Learns score thresholds per office (and carrier risk level) from the recent score distribution, so
 * that the expected share of parcels in each lane matches the budget, minus what rules, checks and
 * random picks already send there. Decisions arrive one by one during the day, so the quantile of the
 * recent scores is the best estimate of where today's top n % will fall.
 *
 * Warm-up: the starting thresholds (`fallbackThresholds`) count as `minimumSamples` pseudo-scores
 * placed so that, alone, they give exactly those thresholds. Real scores join them one by one, so the
 * thresholds slide from the starting values towards the office's own quantiles (after 200 scores the
 * start weighs half, after 2,000 a tenth) instead of switching at once. After that every new score moves
 * the estimate by its own weight in the window of `windowSize` recent scores: thresholds never jump.
 * A new model starts a new warm-up (its scores are on another scale).
 */
export class ThresholdLearner {
  private readonly windows = new Map<string, ScoreWindow>();

  constructor(private settings: BudgetSettings) {}

  update(settings: BudgetSettings): void {
    const resized = settings.windowSize !== this.settings.windowSize;
    this.settings = settings;
    if (resized) this.windows.clear();
  }

  /** Forgets every office's scores: the thresholds warm up again from the starting values. */
  reset(): void {
    this.windows.clear();
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
    return this.learned(office, carrier).thresholds;
  }

  learned(office: string, carrier: string | null): LearnedThresholds {
    const window = this.windowOf(office);
    const { multiplier } = this.carrierMultiplier(carrier);
    const budget = this.budgetOf(office);
    const modelRate = (lane: HeldLane) =>
      Math.max(0, budget[lane].expectedRate - window.nonModelShare[lane]) * multiplier;
    // Lanes are nested: red takes the top share, yellow the next, blue the next.
    const red = Math.min(1, modelRate('red'));
    const yellow = Math.min(1, red + modelRate('yellow'));
    const blue = Math.min(1, yellow + modelRate('blue'));
    const start = this.settings.fallbackThresholds;
    const weight = this.settings.minimumSamples;
    // Spread between the starting thresholds, so that the estimate has mass to slide through.
    const [redBin, yellowBin, blueBin] = [binOf(start.red), binOf(start.yellow), binOf(start.blue)];
    const prior: PriorMass[] = [
      { from: redBin, to: BINS, mass: weight * red },
      { from: yellowBin, to: redBin, mass: weight * (yellow - red) },
      { from: blueBin, to: yellowBin, mass: weight * (blue - yellow) },
      { from: 0, to: blueBin, mass: weight * (1 - blue) },
    ];
    return {
      thresholds: {
        red: window.scoreAtTopRate(red, prior),
        yellow: window.scoreAtTopRate(yellow, prior),
        blue: window.scoreAtTopRate(blue, prior),
      },
      shares: { red, yellow, blue },
    };
  }

  /** Records a decided parcel: its score, and whether the model chose its lane. */
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
