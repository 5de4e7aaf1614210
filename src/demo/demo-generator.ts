import {
  EXPRESS_OFFICE,
  POSTAL_OFFICE,
  POSTAL_OPERATOR,
  drawExpressCarrier,
  flightOf,
  houseWaybillNumber,
  postalServiceIndicators,
  postalShareOf,
  type ExpressCarrier,
} from './carrier-lanes.js';
import { masterAirWaybill, personalCustomsCode, s10ItemId } from './demo-identifiers.js';
import { formatKilograms, formatMinor, fractionDigits, fromUsdCents } from './demo-money.js';
import type {
  DemoAddress,
  DemoEvent,
  DemoHouseWaybill,
  DemoLine,
  DemoManifestHeader,
  DemoOrder,
  DemoPattern,
  DemoPayment,
  DemoPostalItem,
  DemoSeller,
} from './demo-records.js';
import {
  originCountries,
  originWeights,
  sellerOf,
  type OriginCountry,
  type Seller,
} from './foreign-sellers.js';
import {
  catalogueEntry,
  ecommerceGoods,
  misdeclarations,
  prohibitedGoods,
  type CatalogueEntry,
} from './hs-catalogue.js';
import { koreanAddress, koreanName, koreanParty, type KoreanParty } from './korean-consignees.js';
import { demoRecalls, recalledTitle, type DemoRecall } from './product-recalls.js';
import { createSeededRandom, type SeededRandom } from '../platform/random/seeded-random.js';
import { listClearanceLimitUsd, loadClearanceRules } from '../modules/clearance/index.js';

/** How often each pattern is started, per ordinary parcel slot. Group patterns add 2 to 6 parcels each. */
export interface PatternRates {
  undervaluation: number;
  misdeclaredGoods: number;
  prohibitedGoods: number;
  splitSameAwb: number;
  splitSameSellerDate: number;
  splitSameBuyerDay: number;
  splitSameDeliveryAddress: number;
  pcccManyNames: number;
  commercialVolume: number;
  sellerRing: number;
  sellerPcccTheft: number;
  recalledProduct: number;
  misclassifiedLine: number;
  thresholdBunching: number;
  roundValues: number;
  vagueDescription: number;
  tariffShift: number;
  originMismatch: number;
  usReshipper: number;
  giftMisdeclaration: number;
  brushing: number;
  addressHub: number;
}

export const defaultPatternRates: Readonly<PatternRates> = Object.freeze({
  undervaluation: 0.015,
  misdeclaredGoods: 0.006,
  prohibitedGoods: 0.002,
  splitSameAwb: 0.003,
  splitSameSellerDate: 0.003,
  splitSameBuyerDay: 0.003,
  splitSameDeliveryAddress: 0.002,
  pcccManyNames: 0.004,
  commercialVolume: 0.008,
  sellerRing: 0.006,
  sellerPcccTheft: 0.004,
  recalledProduct: 0.003,
  misclassifiedLine: 0.005,
  // The second wave's patterns are off by default: turning one on changes the draws that follow it, and
  // with them the default demo data that other figures were measured on. Tests turn them on.
  thresholdBunching: 0,
  roundValues: 0,
  vagueDescription: 0,
  tariffShift: 0,
  originMismatch: 0,
  usReshipper: 0,
  giftMisdeclaration: 0,
  brushing: 0,
  addressHub: 0,
});

export interface DemoOptions {
  /** Number of arrival days. */
  days: number;
  /** Parcels arriving each day, postal and express together. */
  parcelsPerDay: number;
  seed: number;
  /** First arrival day, YYYY-MM-DD. Part of what makes output reproducible, hence a fixed default. */
  startDate?: string;
  /**
   * First arrival day, YYYY-MM-DD, whose records are yielded. Earlier days are generated (the same draws,
   * the same buyers, sellers and pattern groups) but not yielded: the later part of one world, whose earlier
   * part is the inspection history (demo-history.ts), so that today's sellers and buyers have a past.
   */
  fromDate?: string;
  /** Overall share of postal items (default 0.35); 0 gives express only. */
  postalShare?: number;
  /** Share of parcels whose marketplace order and payment are shared with customs (default 0.75). */
  orderShare?: number;
  patternRates?: Partial<PatternRates>;
  /** Stop once this many express declaration lines were produced (benchmarks). */
  maxExpressLines?: number;
  /** Largest number of house waybills under one master air waybill (default 2,000). */
  maxHousesPerManifest?: number;
  /**
   * Build order and payment records (default true). When false the same random draws are still made,
   * so parcels come out identical; writers that keep only manifests save the work.
   */
  withMarketplaceData?: boolean;
}

export const DEFAULT_START_DATE = '2026-11-02';

/** The list-clearance limits of clearance's rules file, which split purchases are made to stay under. */
const clearanceRules = loadClearanceRules();
const listClearanceLimitUsdCents = (consignment: Consignment): number =>
  Math.round(
    100 *
      Number(
        listClearanceLimitUsd(clearanceRules, {
          channel: consignment.channel,
          shippedFrom: consignment.origin.code,
        }),
      ),
  );

const DAY_MS = 86_400_000;

interface Buyer extends KoreanParty {
  pccc: string;
}

/** A parcel still to be generated, with whatever a pattern has fixed about it. */
interface ParcelPlan {
  pattern?: DemoPattern;
  groupId?: string;
  buyer?: Buyer;
  seller?: Seller;
  /** Declared (and paid) value for split members, in US cents. */
  valueUsdCents?: number;
  orderedAtMs?: number;
  deliverTo?: DemoOrder['deliverTo'];
  invoiceNumber?: string;
  /** Same-AWB splits: one order for the whole group, carried by its first member. */
  groupOrder?: { totalUsdCents: number; members: number; first: boolean };
  withoutOrder?: boolean;
  /** Commercial-volume buyers re-order the same goods, many units at a time. */
  resale?: CatalogueEntry;
  recall?: DemoRecall;
  /** Tariff shifters: the one title they sell, and the HS code they declare it under. */
  title?: string;
  declaredHs6?: string;
  /** The origin written on the lines when it is not the country the parcel leaves from. */
  claimedOrigin?: string;
}

/** A seller of the second wave's patterns, as an index past each origin's ordinary sellers. */
interface PatternSeller {
  index: number;
  groupPrefix: string;
}

/** A seller who moves one product to another HS code half-way through the period. */
interface TariffShifter extends PatternSeller {
  goods: CatalogueEntry;
  otherHs6: string;
}

/** A Korean address and phone (a purchasing agent's or forwarder's) that many buyers' parcels go to. */
interface AddressHub {
  groupId: string;
  street: string;
  postcode: string;
  city: string;
  phone: string;
}

/** Descriptions too vague to assess, in the languages carriers send them in, and SKU-only ones. */
const vagueDescriptions = [
  'gift',
  'parts',
  'goods',
  'clothes',
  'items',
  'accessories',
  'sample',
  '선물',
  '잡화',
  'cadeau',
];
/** Origins claimed to escape measures on the real one (KCS's disguised-origin cases). */
const claimedOrigins = ['KR', 'VN', 'US', 'JP'];

/** A buyer who imports goods for resale under the personal allowance, parcel after parcel. */
interface Reseller {
  buyerIndex: number;
  goods: CatalogueEntry;
  groupId: string;
}

/** Sellers that share one phone and one warehouse address and ship to one pool of buyers. */
interface SellerRing {
  groupId: string;
  sellerIndices: number[];
  buyerIndices: number[];
  phone: string;
  street: string;
}

/** A consolidation: one master air waybill (express) or one dispatch from an origin (postal). */
interface Consignment {
  channel: 'postal' | 'express';
  origin: OriginCountry;
  carrier?: ExpressCarrier;
  capacity: number;
  emitted: number;
  pending: ParcelPlan[];
  header?: DemoManifestHeader;
}

interface BuiltParcel {
  trackingNumber: string;
  lines: DemoLine[];
  currency: string;
}

const goodsByFamily = new Map<string, (readonly [CatalogueEntry, number])[]>();
for (const entry of ecommerceGoods) {
  const family = goodsByFamily.get(entry.group) ?? [];
  family.push([entry, entry.weight]);
  goodsByFamily.set(entry.group, family);
}
const allGoods = ecommerceGoods.map((entry) => [entry, entry.weight] as const);
/** Goods worth under-valuing: a unit can cost over USD 100. */
const valuableGoods = ecommerceGoods
  .filter((entry) => entry.unitValueUsdCents[1] >= 10_000)
  .map((entry) => [entry, entry.weight] as const);
/** Goods cheap enough to make each part of a split parcel look like an ordinary small purchase. */
const everydayGoods = ecommerceGoods
  .filter((entry) => entry.unitValueUsdCents[0] <= 3_000)
  .map((entry) => [entry, entry.weight] as const);

const paymentMethods: readonly (readonly [DemoPayment['method'], number])[] = [
  ['card', 70],
  ['wallet', 20],
  ['bank_transfer', 8],
  ['other', 2],
];
const postalCategories: readonly (readonly [DemoPostalItem['category'], number])[] = [
  ['sale_of_goods', 86],
  ['gift', 9],
  ['commercial_sample', 3],
  ['other', 2],
];

/**
 * Generates demo parcels day by day, lazily: postal items, express houses under their master air
 * waybills, the marketplace orders and payments behind them, and the ground truth of injected risk
 * patterns. Memory stays flat whatever the size: buyers and sellers are derived from their index
 * instead of being kept, and only the members of pattern groups waiting for their slot are held.
 */
export function* generateDemoData(options: DemoOptions): Generator<DemoEvent> {
  const generator = new DemoGenerator(options);
  yield* generator.run();
}

class DemoGenerator {
  private readonly random: SeededRandom;
  private readonly rates: PatternRates;
  private readonly seed: number;
  private readonly postalShare: number;
  private readonly orderShare: number;
  private readonly buyerCount: number;
  private readonly sellersPerOrigin = new Map<string, number>();
  private readonly buyerCache = new Map<number, Buyer>();
  private readonly sellerCache = new Map<string, Seller>();
  private readonly houseCounters = new Map<ExpressCarrier, number>();
  private readonly mawbCounters = new Map<string, number>();
  private readonly upsAccounts = new Map<string, string>();
  private postalSerial: number;
  private orderCounter = 0;
  private groupCounter = 0;
  private expressLines = 0;
  /** PCCCs stolen from their holders and reused under other names: [code, group id]. */
  private readonly stolenCodes: (readonly [string, string])[] = [];
  private readonly resellers: Reseller[] = [];
  private readonly rings: SellerRing[] = [];
  /** Seller indices (past each origin's ordinary sellers) that ship under stolen PCCCs. */
  private readonly rogueSellerIndices: number[] = [];
  private readonly bunchers: PatternSeller[] = [];
  private readonly roundValueSellers: PatternSeller[] = [];
  private readonly tariffShifters: TariffShifter[] = [];
  private readonly reshippers: PatternSeller[] = [];
  private readonly gifters: PatternSeller[] = [];
  private readonly brushers: PatternSeller[] = [];
  private readonly addressHubs: AddressHub[] = [];
  /** Half-way through the period: tariff shifters declare the other code from then on. */
  private readonly shiftFromMs: number;

  constructor(private readonly options: DemoOptions) {
    if (!Number.isInteger(options.days) || options.days < 1)
      throw new Error('days must be a whole number of at least 1');
    if (!Number.isInteger(options.parcelsPerDay) || options.parcelsPerDay < 1)
      throw new Error('parcelsPerDay must be a whole number of at least 1');
    const startDate = options.startDate ?? DEFAULT_START_DATE;
    if (!/^\d{4}-\d{2}-\d{2}$/.test(startDate) || Number.isNaN(Date.parse(`${startDate}T00:00:00Z`)))
      throw new Error('startDate must be written YYYY-MM-DD');
    this.seed = options.seed >>> 0;
    this.random = createSeededRandom(this.seed, 'parcels');
    this.rates = { ...defaultPatternRates, ...options.patternRates };
    this.postalShare = options.postalShare ?? 0.35;
    this.orderShare = options.orderShare ?? 0.75;
    const totalParcels = options.days * options.parcelsPerDay;
    // About three parcels per buyer over the period: repeat buyers, without every buyer being one.
    this.buyerCount = Math.max(500, Math.floor(totalParcels / 3));
    for (const origin of originCountries) {
      this.sellersPerOrigin.set(
        origin.code,
        Math.max(15, Math.round((totalParcels / 40) * (origin.weight / 100))),
      );
    }
    const setup = createSeededRandom(this.seed, 'setup');
    this.postalSerial = setup.int(10_000_000, 40_000_000);
    for (const carrier of ['DHL', 'FEDEX', 'UPS', 'CJ'] as const)
      this.houseCounters.set(carrier, setup.int(1_000_000, 90_000_000));
    const stolenCount = Math.max(1, Math.ceil((totalParcels * this.rates.pcccManyNames) / 6));
    for (let index = 0; index < stolenCount; index++) {
      const holder = this.buyer(setup.int(0, this.buyerCount - 1));
      this.stolenCodes.push([holder.pccc, `PCCC-${String(index + 1).padStart(4, '0')}`]);
    }
    // Each reseller about ten parcels, each ring and rogue seller about fifteen over the period.
    const perEntity = (rate: number, parcelsEach: number) =>
      Math.max(1, Math.ceil((totalParcels * rate) / parcelsEach));
    for (let index = 0; index < perEntity(this.rates.commercialVolume, 10); index++) {
      this.resellers.push({
        buyerIndex: setup.int(0, this.buyerCount - 1),
        goods: setup.weighted(everydayGoods),
        groupId: `RESALE-${String(index + 1).padStart(4, '0')}`,
      });
    }
    const ordinarySellers = Math.max(...this.sellersPerOrigin.values());
    for (let index = 0; index < perEntity(this.rates.sellerRing, 15); index++) {
      const ringSellers = setup.int(3, 4);
      this.rings.push({
        groupId: `RING-${String(index + 1).padStart(4, '0')}`,
        sellerIndices: Array.from({ length: ringSellers }, (_, k) => ordinarySellers + 100 * (index + 1) + k),
        buyerIndices: Array.from({ length: 6 }, () => setup.int(0, this.buyerCount - 1)),
        phone: `+86${setup.digits(10)}`,
        street: `${setup.int(1, 400)} Huaqiang North Road Unit ${setup.int(100, 999)}`,
      });
    }
    for (let index = 0; index < perEntity(this.rates.sellerPcccTheft, 15); index++)
      this.rogueSellerIndices.push(ordinarySellers + 50 + index);
    this.shiftFromMs = Date.parse(`${startDate}T00:00:00Z`) + Math.floor(options.days / 2) * DAY_MS;
    this.planSecondWave(ordinarySellers, perEntity);
  }

  /**
   * The second wave's sellers and hubs, drawn from a stream of their own so that the first wave's
   * draws, and so the default demo data, do not move.
   */
  private planSecondWave(ordinarySellers: number, perEntity: (rate: number, parcelsEach: number) => number) {
    const setup = createSeededRandom(this.seed, 'setup-second-wave');
    // Sellers per pattern: rolls per seller sized so that each ships about five parcels in its lane
    // (China's for most, postal only for gifts, the US one for reshippers).
    const sellers = (
      list: PatternSeller[],
      rate: number,
      rollsEach: number,
      offset: number,
      prefix: string,
    ) => {
      for (let index = 0; index < perEntity(rate, rollsEach); index++)
        list.push({ index: ordinarySellers + 1000 + offset + index, groupPrefix: prefix });
    };
    sellers(this.bunchers, this.rates.thresholdBunching, 10, 0, 'BUNCH');
    sellers(this.roundValueSellers, this.rates.roundValues, 10, 100, 'ROUND');
    sellers(this.reshippers, this.rates.usReshipper, 25, 200, 'RESHIP');
    sellers(this.gifters, this.rates.giftMisdeclaration, 25, 300, 'GIFT');
    sellers(this.brushers, this.rates.brushing, 10, 400, 'BRUSH');
    for (let index = 0; index < perEntity(this.rates.tariffShift, 15); index++) {
      const goods = setup.weighted(allGoods);
      const family = goodsByFamily.get(goods.group)!.filter(([entry]) => entry.hs6 !== goods.hs6);
      const other = family.length > 0 ? setup.pick(family)[0] : setup.weighted(allGoods);
      this.tariffShifters.push({
        index: ordinarySellers + 1500 + index,
        groupPrefix: 'SHIFT',
        goods,
        otherHs6: other.hs6,
      });
    }
    for (let index = 0; index < perEntity(this.rates.addressHub, 8); index++) {
      const hub = koreanParty(setup);
      this.addressHubs.push({
        groupId: `HUB-${String(index + 1).padStart(4, '0')}`,
        street: hub.street,
        postcode: hub.postcode,
        city: hub.city,
        phone: hub.phone,
      });
    }
  }

  *run(): Generator<DemoEvent> {
    const start = Date.parse(`${this.options.startDate ?? DEFAULT_START_DATE}T00:00:00Z`);
    for (let day = 0; day < this.options.days; day++) {
      const arrivalMs = start + day * DAY_MS;
      const events = this.dayEvents(arrivalMs);
      if (this.options.fromDate === undefined || isoDate(arrivalMs) >= this.options.fromDate) {
        if (yield* events) return;
      } else {
        // Drawn, not yielded: what happened before the first day asked for.
        while (!events.next().done);
      }
    }
  }

  /** One arrival day's consignments and parcels; returns true when the express-line cap was reached. */
  private *dayEvents(arrivalMs: number): Generator<DemoEvent, boolean> {
    const consignments = this.planDay(arrivalMs);
    for (let index = 0; index < consignments.length; index++) {
      const consignment = consignments[index]!;
      if (consignment.header) yield { kind: 'manifest-start', header: consignment.header };
      while (consignment.emitted < consignment.capacity) {
        const plan = consignment.pending.shift() ?? this.freshPlan(consignments, index, arrivalMs);
        consignment.emitted++;
        yield* this.parcel(consignment, plan, arrivalMs);
        if (this.options.maxExpressLines !== undefined && this.expressLines >= this.options.maxExpressLines) {
          if (consignment.header) yield { kind: 'manifest-end', header: consignment.header };
          return true;
        }
      }
      if (consignment.header) yield { kind: 'manifest-end', header: consignment.header };
    }
    return false;
  }

  /** Splits the day's parcels between origins, post and carriers, then into consignments. */
  private planDay(arrivalMs: number): Consignment[] {
    const counts = new Map<string, number>();
    for (let parcel = 0; parcel < this.options.parcelsPerDay; parcel++) {
      const origin = this.random.weighted(originWeights);
      const lane = this.random.chance(postalShareOf(origin.code, this.postalShare))
        ? `postal:${origin.code}`
        : `express:${origin.code}:${drawExpressCarrier(this.random, origin.code)}`;
      counts.set(lane, (counts.get(lane) ?? 0) + 1);
    }
    const arrivalDate = isoDate(arrivalMs);
    const maxHouses = this.options.maxHousesPerManifest ?? 2000;
    const consignments: Consignment[] = [];
    // Postal first, then express, each in a fixed lane order so that the same seed plans the same day.
    const lanes = [...counts.keys()].sort((a, b) =>
      a.startsWith('postal') === b.startsWith('postal') ? (a < b ? -1 : 1) : a.startsWith('postal') ? -1 : 1,
    );
    for (const lane of lanes) {
      const [channel, originCode, carrier] = lane.split(':') as [
        'postal' | 'express',
        string,
        ExpressCarrier | undefined,
      ];
      const origin = originCountries.find((candidate) => candidate.code === originCode)!;
      let left = counts.get(lane)!;
      while (left > 0) {
        const capacity = channel === 'postal' ? left : Math.min(left, maxHouses);
        left -= capacity;
        const consignment: Consignment = { channel, origin, carrier, capacity, emitted: 0, pending: [] };
        if (channel === 'express') {
          const [prefix, flight] = flightOf(carrier!, origin.code, consignments.length);
          const serial =
            (this.mawbCounters.get(prefix) ??
              createSeededRandom(this.seed, `mawb:${prefix}`).int(1_000_000, 8_000_000)) + 1;
          this.mawbCounters.set(prefix, serial);
          consignment.header = {
            carrier: carrier!,
            mawb: masterAirWaybill(prefix, serial),
            flight,
            arrivalDate,
            officeCode: EXPRESS_OFFICE,
          };
        }
        consignments.push(consignment);
      }
    }
    return consignments;
  }

  /** Rolls for a pattern in a free slot; group patterns book slots for their other members. */
  private freshPlan(consignments: Consignment[], current: number, arrivalMs: number): ParcelPlan {
    const rates = this.rates;
    let roll = this.random.next();
    const hit = (rate: number): boolean => {
      roll -= rate;
      return roll < 0;
    };
    const consignment = consignments[current]!;
    if (hit(rates.undervaluation)) return { pattern: 'undervaluation', groupId: this.nextGroupId() };
    if (hit(rates.misdeclaredGoods)) return { pattern: 'misdeclared_goods', groupId: this.nextGroupId() };
    if (hit(rates.prohibitedGoods))
      return {
        pattern: 'prohibited_goods',
        groupId: this.nextGroupId(),
        withoutOrder: this.random.chance(0.6),
      };
    if (hit(rates.pcccManyNames)) {
      const [pccc, groupId] = this.random.pick(this.stolenCodes);
      const script = this.random.chance(0.5) ? 'hangul' : 'latin';
      return {
        pattern: 'pccc_many_names',
        groupId,
        buyer: { pccc, name: koreanName(this.random, script), ...koreanAddress(this.random, script) },
      };
    }
    if (hit(rates.splitSameAwb)) {
      return consignment.channel === 'express'
        ? (this.splitGroup(consignments, current, 'split_same_awb', arrivalMs) ?? {})
        : {};
    }
    if (hit(rates.splitSameSellerDate))
      return this.splitGroup(consignments, current, 'split_same_seller_date', arrivalMs) ?? {};
    if (hit(rates.splitSameBuyerDay))
      return this.splitGroup(consignments, current, 'split_same_buyer_day', arrivalMs) ?? {};
    if (hit(rates.splitSameDeliveryAddress))
      return this.splitGroup(consignments, current, 'split_same_delivery_address', arrivalMs) ?? {};
    return this.identityOrGoodsPlan(consignment, hit);
  }

  /** The patterns added for the analytical catalogue: buyers, sellers and goods rather than splits. */
  private identityOrGoodsPlan(consignment: Consignment, hit: (rate: number) => boolean): ParcelPlan {
    const rates = this.rates;
    const origin = consignment.origin;
    if (hit(rates.commercialVolume)) {
      const reseller = this.random.pick(this.resellers);
      return {
        pattern: 'commercial_volume',
        groupId: reseller.groupId,
        buyer: this.buyer(reseller.buyerIndex),
        resale: reseller.goods,
      };
    }
    if (hit(rates.sellerRing)) {
      const ring = this.random.pick(this.rings);
      const member = this.seller(origin, this.random.pick(ring.sellerIndices));
      return {
        pattern: 'seller_ring',
        groupId: ring.groupId,
        seller: { ...member, phone: ring.phone, street: ring.street },
        buyer: this.buyer(this.random.pick(ring.buyerIndices)),
      };
    }
    if (hit(rates.sellerPcccTheft)) {
      const rogue = this.seller(origin, this.random.pick(this.rogueSellerIndices));
      const [pccc] = this.random.pick(this.stolenCodes);
      const script = this.random.chance(0.5) ? 'hangul' : 'latin';
      return {
        pattern: 'seller_pccc_theft',
        groupId: `ROGUE-${rogue.id}`,
        seller: rogue,
        buyer: { pccc, name: koreanName(this.random, script), ...koreanAddress(this.random, script) },
      };
    }
    if (hit(rates.recalledProduct))
      return {
        pattern: 'recalled_product',
        groupId: this.nextGroupId(),
        recall: this.random.pick(demoRecalls),
      };
    if (hit(rates.misclassifiedLine)) return { pattern: 'misclassified_line', groupId: this.nextGroupId() };
    return this.secondWavePlan(consignment, hit);
  }

  /** The second wave's patterns: values, descriptions, origins and parties the newer models look for. */
  private secondWavePlan(consignment: Consignment, hit: (rate: number) => boolean): ParcelPlan {
    const rates = this.rates;
    const origin = consignment.origin;
    // Seller patterns keep to one lane (China's, the busiest; the US one for reshippers), so that each
    // of their few sellers ships enough parcels in a short period to be judged on.
    const bySeller = (pattern: DemoPattern, list: PatternSeller[], lane = 'CN'): ParcelPlan => {
      if (origin.code !== lane) return {};
      const chosen = this.random.pick(list);
      const seller = this.seller(origin, chosen.index);
      return { pattern, seller, groupId: `${chosen.groupPrefix}-${seller.id}` };
    };
    if (hit(rates.thresholdBunching)) {
      // Declared (and priced) just under the list-clearance limit, parcel after parcel.
      const plan = bySeller('threshold_bunching', this.bunchers);
      const limit = listClearanceLimitUsdCents(consignment);
      return plan.pattern
        ? { ...plan, valueUsdCents: Math.round(limit * (this.random.int(900, 970) / 1000)) }
        : plan;
    }
    if (hit(rates.roundValues)) return bySeller('round_values', this.roundValueSellers);
    if (hit(rates.vagueDescription)) return { pattern: 'vague_description', groupId: this.nextGroupId() };
    if (hit(rates.tariffShift)) {
      if (origin.code !== 'CN') return {};
      const shifter = this.random.pick(this.tariffShifters);
      const seller = this.seller(origin, shifter.index);
      return {
        pattern: 'tariff_shift',
        groupId: `${shifter.groupPrefix}-${seller.id}`,
        seller,
        resale: shifter.goods,
        title: shifter.goods.titles[0],
        declaredHs6: shifter.otherHs6,
      };
    }
    if (hit(rates.originMismatch))
      return origin.code === 'US'
        ? {}
        : {
            pattern: 'origin_mismatch',
            groupId: this.nextGroupId(),
            claimedOrigin: this.random.pick(claimedOrigins.filter((code) => code !== origin.code)),
          };
    if (hit(rates.usReshipper)) {
      // Goods made elsewhere, sent on from a US address to get the USD 200 limit of US goods.
      if (consignment.channel !== 'express') return {};
      const plan = bySeller('us_reshipper', this.reshippers, 'US');
      return plan.pattern
        ? {
            ...plan,
            claimedOrigin: this.random.pick(['CN', 'VN', 'HK']),
            valueUsdCents: this.random.int(15_500, 19_500),
          }
        : plan;
    }
    if (hit(rates.giftMisdeclaration))
      return consignment.channel === 'postal' ? bySeller('gift_misdeclaration', this.gifters) : {};
    if (hit(rates.brushing)) {
      const plan = bySeller('brushing', this.brushers);
      return plan.pattern ? { ...plan, withoutOrder: true } : plan;
    }
    if (hit(rates.addressHub)) {
      const hub = this.random.pick(this.addressHubs);
      const buyer = this.buyer(this.random.int(0, this.buyerCount - 1));
      return {
        pattern: 'address_hub',
        groupId: hub.groupId,
        buyer: { ...buyer, street: hub.street, postcode: hub.postcode, city: hub.city, phone: hub.phone },
      };
    }
    return {};
  }

  /**
   * A purchase split into parcels that each stay under the list-clearance limit while together they
   * exceed it. Returns the first member's plan and books the others into later slots of the same day,
   * or undefined when the day has no room left for them.
   */
  private splitGroup(
    consignments: Consignment[],
    current: number,
    pattern: DemoPattern,
    arrivalMs: number,
  ): ParcelPlan | undefined {
    const consignment = consignments[current]!;
    const limit = listClearanceLimitUsdCents(consignment);
    const total = this.random.int(limit + 2_000, Math.round(limit * 2.4));
    const members = Math.min(
      5,
      Math.max(pattern === 'split_same_delivery_address' ? 3 : 2, Math.ceil(total / (limit * 0.8))),
    );
    const free = (index: number) =>
      consignments[index]!.capacity -
      consignments[index]!.emitted -
      consignments[index]!.pending.length -
      (index === current ? 1 : 0);

    let targets: number[];
    if (pattern === 'split_same_awb') {
      if (free(current) < members - 1) return undefined;
      targets = Array.from({ length: members - 1 }, () => current);
    } else {
      const sameOrigin = pattern === 'split_same_seller_date';
      const candidates: number[] = [];
      for (let index = current; index < consignments.length; index++) {
        if (free(index) > 0 && (!sameOrigin || consignments[index]!.origin === consignment.origin))
          candidates.push(index);
      }
      targets = [];
      const booked = new Map<number, number>();
      for (let member = 1; member < members; member++) {
        const open = candidates.filter((index) => free(index) - (booked.get(index) ?? 0) > 0);
        if (open.length === 0) return undefined;
        // Prefer another consolidation than the current one: splits travel apart.
        const others = open.filter((index) => index !== current);
        const target = this.random.pick(others.length > 0 ? others : open);
        booked.set(target, (booked.get(target) ?? 0) + 1);
        targets.push(target);
      }
    }

    const groupId = this.nextGroupId();
    const shares = splitAmount(this.random, total, members);
    const buyer = this.buyer(this.random.int(0, this.buyerCount - 1));
    const seller = this.seller(
      consignment.origin,
      this.random.int(0, this.sellersPerOrigin.get(consignment.origin.code)! - 1),
    );
    const orderedAtMs = this.orderedAt(arrivalMs, consignment.origin.code);
    const plans: ParcelPlan[] = shares.map((valueUsdCents) => ({ pattern, groupId, valueUsdCents }));
    switch (pattern) {
      case 'split_same_awb': {
        const invoiceNumber = this.orderNumber(seller);
        plans.forEach((plan, index) =>
          Object.assign(plan, {
            buyer,
            seller,
            orderedAtMs,
            invoiceNumber,
            groupOrder: { totalUsdCents: total, members, first: index === 0 },
          }),
        );
        break;
      }
      case 'split_same_seller_date':
        // Same seller, same order date, several orders: the second legal trigger of combined taxation.
        plans.forEach((plan) =>
          Object.assign(plan, { buyer, seller, orderedAtMs: orderedAtMs + this.random.int(0, 3_600_000) }),
        );
        break;
      case 'split_same_buyer_day':
        plans.forEach((plan) => Object.assign(plan, { buyer }));
        break;
      case 'split_same_delivery_address': {
        // Different names and PCCCs on the parcels, one final delivery address behind them.
        const dropPoint = koreanParty(this.random);
        const deliverTo = {
          name: dropPoint.name,
          street: dropPoint.street,
          postcode: dropPoint.postcode,
          city: dropPoint.city,
          country: 'KR',
        };
        plans.forEach((plan) => Object.assign(plan, { deliverTo }));
        break;
      }
      default:
        break;
    }
    targets.forEach((target, index) => consignments[target]!.pending.push(plans[index + 1]!));
    return plans[0];
  }

  private *parcel(consignment: Consignment, plan: ParcelPlan, arrivalMs: number): Generator<DemoEvent> {
    const random = this.random;
    const origin = consignment.origin;
    const buyer = plan.buyer ?? this.buyer(random.int(0, this.buyerCount - 1));
    const seller =
      plan.seller ?? this.seller(origin, random.int(0, this.sellersPerOrigin.get(origin.code)! - 1));
    const currency = random.chance(origin.usdShare) ? 'USD' : origin.currency;

    // The goods as they really are (what the buyer paid for), then as declared.
    const goods = this.goodsFor(plan, seller, consignment);
    const trueLines = goods.map(({ entry, quantity, unitUsdCents, unitGrams, title }) => ({
      entry,
      quantity,
      usdCents: unitUsdCents * quantity,
      grams: unitGrams * quantity,
      title,
    }));
    const paidUsdCents = trueLines.reduce((sum, line) => sum + line.usdCents, 0);
    // Under-valued parcels are declared at 10-40 % of the price paid, inside the 10-50 % of real cases.
    const declaredFactor = plan.pattern === 'undervaluation' ? random.int(10, 40) / 100 : 1;
    let declaredMinor = 0;
    const lines: DemoLine[] = trueLines.map((line) => {
      const misdeclared = plan.pattern === 'misdeclared_goods' && line === trueLines[0];
      const misclassified = plan.pattern === 'misclassified_line' && line === trueLines[0];
      const vague = plan.pattern === 'vague_description' && line === trueLines[0];
      const description = misdeclared
        ? misdeclarationOf(line.entry.hs6, random)
        : vague
          ? vagueDescriptionOf(random)
          : line.title;
      const exactMinor = Math.max(1, fromUsdCents(Math.round(line.usdCents * declaredFactor), currency));
      const valueMinor = plan.pattern === 'round_values' ? roundValue(exactMinor, currency) : exactMinor;
      declaredMinor += valueMinor;
      const demoLine: DemoLine = {
        description,
        quantity: String(line.quantity),
        netMassKg: formatKilograms(Math.max(1, line.grams)),
        value: formatMinor(valueMinor, currency),
        currency,
        hsCode: misclassified
          ? otherFamilyCode(line.entry, random)
          : plan.pattern === 'tariff_shift' && arrivalMs >= this.shiftFromMs
            ? plan.declaredHs6!
            : line.entry.hs6,
        originCountry: plan.claimedOrigin ?? origin.code,
      };
      return demoLine;
    });
    const netGrams = trueLines.reduce((sum, line) => sum + line.grams, 0);
    const grossGrams = netGrams + random.int(40, 350);
    const sellerRecord: DemoSeller = {
      id: seller.id,
      name: seller.name,
      country: seller.country,
      ...(seller.registrationNumber ? { registrationNumber: seller.registrationNumber } : {}),
      marketplace: seller.marketplace.name,
      url: seller.url,
    };
    const shipper: DemoAddress = {
      name: seller.name,
      street: seller.street,
      postcode: seller.postcode,
      city: seller.city,
      country: seller.country,
      phone: seller.phone,
    };
    const consignee: DemoAddress = {
      name: buyer.name,
      street: buyer.street,
      postcode: buyer.postcode,
      city: buyer.city,
      country: 'KR',
      phone: buyer.phone,
    };
    const orderNumber = this.orderNumber(seller);
    const withOrder = plan.groupOrder
      ? plan.groupOrder.first
      : !plan.withoutOrder &&
        (plan.pattern !== undefined && plan.pattern !== 'prohibited_goods'
          ? true
          : random.chance(this.orderShare));

    let built: BuiltParcel;
    if (consignment.channel === 'postal') {
      const indicator = random.weighted(postalServiceIndicators);
      const itemId = s10ItemId(indicator, this.postalSerial++, origin.code);
      const category =
        plan.pattern === 'gift_misdeclaration'
          ? random.chance(0.8)
            ? 'gift'
            : 'commercial_sample'
          : plan.pattern
            ? 'sale_of_goods'
            : random.weighted(postalCategories);
      const declaredUsd = Math.round(paidUsdCents * declaredFactor);
      if (category === 'gift') for (const line of lines) if (random.chance(0.3)) delete line.hsCode;
      const item: DemoPostalItem = {
        itemId,
        postalOperator: POSTAL_OPERATOR,
        form: declaredUsd < 40_000 && grossGrams <= 2000 ? 'CN22' : 'CN23',
        category,
        sender: shipper,
        addressee: { ...consignee, importerReference: buyer.pccc },
        contents: lines,
        grossMassKg: formatKilograms(grossGrams),
        totalValue: formatMinor(declaredMinor, currency),
        currency,
        postalCharges: formatMinor(fromUsdCents(random.int(300, 2500), currency), currency),
        ...(category === 'sale_of_goods' ? { invoiceNumber: plan.invoiceNumber ?? orderNumber } : {}),
        postedOn: isoDate(arrivalMs - random.int(3, 9) * DAY_MS),
        expectedArrivalDate: isoDate(arrivalMs),
        officeCode: POSTAL_OFFICE,
        seller: sellerRecord,
        originCountry: origin.code,
      };
      yield { kind: 'postal', item };
      built = { trackingNumber: itemId, lines, currency };
    } else {
      const carrier = consignment.carrier!;
      const counter = this.houseCounters.get(carrier)! + 1;
      this.houseCounters.set(carrier, counter);
      const hawb = houseWaybillNumber(carrier, counter, this.upsAccount(seller));
      const house: DemoHouseWaybill = {
        hawb,
        shipper,
        consignee: { ...consignee, pccc: buyer.pccc },
        pieces: lines.length > 3 ? 2 : 1,
        grossMassKg: formatKilograms(grossGrams),
        declaredValue: formatMinor(declaredMinor, currency),
        currency,
        freight: formatMinor(fromUsdCents(random.int(500, 3500), currency), currency),
        seller: sellerRecord,
        invoiceNumber: plan.invoiceNumber ?? orderNumber,
        lines,
      };
      this.expressLines += lines.length;
      yield { kind: 'house', header: consignment.header!, house };
      built = { trackingNumber: hawb, lines, currency };
    }

    if (plan.pattern)
      yield {
        kind: 'truth',
        row: { trackingNumber: built.trackingNumber, pattern: plan.pattern, groupId: plan.groupId! },
      };
    if (!withOrder) return;
    if (this.options.withMarketplaceData === false) {
      // The draws the order and payment below would make, in the same order, and nothing else.
      if (plan.orderedAtMs === undefined) this.orderedAt(arrivalMs, origin.code);
      random.digits(7);
      random.weighted(paymentMethods);
      random.int(5, 900);
      return;
    }

    const paidTotalUsd = plan.groupOrder ? plan.groupOrder.totalUsdCents : paidUsdCents;
    const pricePaidMinor = plan.groupOrder
      ? fromUsdCents(paidTotalUsd, currency)
      : trueLines.reduce((sum, line) => sum + Math.max(1, fromUsdCents(line.usdCents, currency)), 0);
    const orderedAtMs = plan.orderedAtMs ?? this.orderedAt(arrivalMs, origin.code);
    const quantity = plan.groupOrder
      ? plan.groupOrder.members * trueLines.reduce((sum, line) => sum + line.quantity, 0)
      : trueLines.reduce((sum, line) => sum + line.quantity, 0);
    const firstTitle = trueLines[0]!.title;
    const orderRef = plan.invoiceNumber ?? orderNumber;
    const order: DemoOrder = {
      marketplace: seller.marketplace.name,
      orderNumber: orderRef,
      seller: sellerRecord,
      listingUrl: `https://${seller.marketplace.host}/item/${trueLines[0]!.entry.hs6}${random.digits(7)}`,
      productTitle: trueLines.length > 1 ? `${firstTitle} and ${trueLines.length - 1} more` : firstTitle,
      pricePaid: formatMinor(pricePaidMinor, currency),
      currency,
      quantity: String(quantity),
      buyer: { pccc: buyer.pccc, name: buyer.name },
      deliverTo: plan.deliverTo ?? {
        name: buyer.name,
        street: buyer.street,
        postcode: buyer.postcode,
        city: buyer.city,
        country: 'KR',
      },
      trackingNumber: built.trackingNumber,
      orderedAt: isoDateTime(orderedAtMs),
    };
    yield { kind: 'order', order };
    const payment: DemoPayment = {
      marketplace: order.marketplace,
      paymentReference: `PAY-${orderRef}`,
      orderNumber: orderRef,
      method: random.weighted(paymentMethods),
      amount: formatMinor(fromUsdCents(paidTotalUsd, 'KRW'), 'KRW'),
      currency: 'KRW',
      foreignAmount: order.pricePaid,
      foreignCurrency: currency,
      paidAt: isoDateTime(orderedAtMs + random.int(5, 900) * 1000),
      payerName: buyer.name,
    };
    yield { kind: 'payment', payment };
  }

  /** The goods in a parcel: unit price and weight drawn from the catalogue's ranges. */
  private goodsFor(plan: ParcelPlan, seller: Seller, consignment: Consignment) {
    const random = this.random;
    const draw = (entry: CatalogueEntry, quantity = 1) => ({
      entry,
      quantity,
      unitUsdCents: random.logUniformInt(entry.unitValueUsdCents[0], entry.unitValueUsdCents[1]),
      unitGrams: random.int(entry.unitMassGrams[0], entry.unitMassGrams[1]),
      title: random.pick(entry.titles),
    });
    switch (plan.pattern) {
      case 'undervaluation': {
        // Under-declaring pays only when there is duty and tax to save: goods of at least USD 25 a unit,
        // enough of them for the parcel to be worth more than the duty-free limit. The unit's true price
        // is an ordinary one for its goods (drawn like any other parcel's), so that comparable goods tell
        // what it should be declared at; forcing it to the top of a wide range made the declared fraction
        // look like a cheap variant of the same goods (V1 found 4 of 38 at a precision of 0.07).
        const entry = random.weighted(valuableGoods);
        const [lowest, highest] = entry.unitValueUsdCents;
        const line = { ...draw({ ...entry, unitValueUsdCents: [Math.max(2_500, lowest), highest] }), entry };
        const limit = listClearanceLimitUsdCents(consignment);
        line.quantity = Math.min(10, Math.ceil(random.int(limit, 2 * limit) / line.unitUsdCents));
        return [line];
      }
      case 'misdeclared_goods':
        return [draw(catalogueEntry(random.pick(misdeclarations).trueHs6))];
      case 'commercial_volume': {
        // The same goods again, as many units as fit under about USD 120.
        const line = draw(plan.resale!);
        line.quantity = Math.max(2, Math.min(random.int(4, 10), Math.floor(12_000 / line.unitUsdCents)));
        return [line];
      }
      case 'tariff_shift': {
        const line = draw(plan.resale!);
        line.title = plan.title!;
        return [line];
      }
      case 'brushing': {
        // A token item: a few grams, a dollar or two, to create a delivery record.
        const line = draw(random.weighted(everydayGoods));
        line.unitUsdCents = random.int(50, 300);
        line.unitGrams = random.int(5, 40);
        return [line];
      }
      case 'recalled_product': {
        const line = draw(catalogueEntry(plan.recall!.hsCode));
        line.title = recalledTitle(random, plan.recall!);
        return [line];
      }
      case 'prohibited_goods': {
        const prohibited = draw(random.pick(prohibitedGoods));
        prohibited.title = random.pick(prohibited.entry.titles);
        return random.chance(0.4) ? [prohibited, draw(random.weighted(everydayGoods))] : [prohibited];
      }
      default:
        break;
    }
    if (plan.valueUsdCents !== undefined) {
      // Split members: one ordinary line priced at the member's share of the purchase.
      const line = draw(random.weighted(everydayGoods));
      line.unitUsdCents = plan.valueUsdCents;
      return [line];
    }
    const count = random.weighted([
      [1, 65],
      [2, 22],
      [3, 8],
      [4, 3],
      [5, 1],
      [6, 1],
    ] as const);
    const goods = [];
    for (let index = 0; index < count; index++) {
      const family = random.chance(0.65) ? goodsByFamily.get(random.pick(seller.specialities)) : undefined;
      const entry = random.weighted(family ?? allGoods);
      const quantity =
        entry.unitValueUsdCents[0] >= 5_000
          ? 1
          : random.weighted([
              [1, 70],
              [2, 18],
              [3, 7],
              [4, 3],
              [5, 2],
            ] as const);
      goods.push(draw(entry, quantity));
    }
    return goods;
  }

  private buyer(index: number): Buyer {
    let buyer = this.buyerCache.get(index);
    if (!buyer) {
      if (this.buyerCache.size >= 20_000) this.buyerCache.clear();
      buyer = {
        ...koreanParty(createSeededRandom(this.seed, `buyer:${index}`)),
        pccc: personalCustomsCode(index, this.seed),
      };
      this.buyerCache.set(index, buyer);
    }
    return buyer;
  }

  private seller(origin: OriginCountry, index: number): Seller {
    const key = `${origin.code}:${index}`;
    let seller = this.sellerCache.get(key);
    if (!seller) {
      if (this.sellerCache.size >= 20_000) this.sellerCache.clear();
      seller = sellerOf(createSeededRandom(this.seed, `seller:${key}`), origin, index);
      this.sellerCache.set(key, seller);
    }
    return seller;
  }

  private upsAccount(seller: Seller): string {
    let account = this.upsAccounts.get(seller.id);
    if (!account) {
      if (this.upsAccounts.size >= 20_000) this.upsAccounts.clear();
      const random = createSeededRandom(this.seed, `ups:${seller.id}`);
      account = Array.from({ length: 6 }, () => '0123456789ABCDEFGHJKLMNPRSTUVWXYZ'[random.int(0, 32)]).join(
        '',
      );
      this.upsAccounts.set(seller.id, account);
    }
    return account;
  }

  private orderNumber(seller: Seller): string {
    this.orderCounter++;
    return `${seller.marketplace.sellerIdPrefix}${String(this.seed % 1000).padStart(3, '0')}-${String(this.orderCounter).padStart(9, '0')}`;
  }

  private orderedAt(arrivalMs: number, origin: string): number {
    const transitDays = origin === 'CN' || origin === 'HK' ? this.random.int(3, 12) : this.random.int(2, 8);
    return arrivalMs - transitDays * DAY_MS + this.random.int(0, DAY_MS / 1000 - 1) * 1000;
  }

  private nextGroupId(): string {
    this.groupCounter++;
    return `G${String(this.groupCounter).padStart(6, '0')}`;
  }
}

/** A code of another goods family, the way a misclassified line names goods it does not hold. */
function otherFamilyCode(entry: CatalogueEntry, random: SeededRandom): string {
  let other = random.weighted(allGoods);
  while (other.group === entry.group) other = random.weighted(allGoods);
  return other.hs6;
}

function vagueDescriptionOf(random: SeededRandom): string {
  return random.chance(0.3) ? `SKU-${random.digits(6)}` : random.pick(vagueDescriptions);
}

/** A value rounded to whole tens of the currency's units (at least ten): the mark of made-up figures. */
function roundValue(minorUnits: number, currency: string): number {
  const ten = 10 * 10 ** fractionDigits(currency);
  return Math.max(ten, Math.round(minorUnits / ten) * ten);
}

function misdeclarationOf(trueHs6: string, random: SeededRandom): string {
  const options = misdeclarations.filter((candidate) => candidate.trueHs6 === trueHs6);
  return random.pick(options).declaredDescription;
}

/** Splits an amount into `parts` positive shares within about 10 % of the mean (so each stays under the limit). */
function splitAmount(random: SeededRandom, total: number, parts: number): number[] {
  const weights = Array.from({ length: parts }, () => random.int(90, 110));
  const sum = weights.reduce((a, b) => a + b, 0);
  const shares = weights.map((weight) => Math.floor((total * weight) / sum));
  shares[0]! += total - shares.reduce((a, b) => a + b, 0);
  return shares;
}

function isoDate(ms: number): string {
  return new Date(ms).toISOString().slice(0, 10);
}

function isoDateTime(ms: number): string {
  return `${new Date(ms).toISOString().slice(0, 19)}Z`;
}
