import { sql } from 'kysely';
import type { AnalyticalModel, EntityScore, ModelRunContext, ModelResult } from '../analytical-model.js';

/**
 * S1 Split-consignment aggregation (catalogue §0.1): one buyer's parcels that each stay under the
 * list-clearance limit while together, within a few days (and optionally from one seller, the legal
 * trigger of combined taxation), they exceed it.
 */

export interface SplitCandidate {
  parcelId: number;
  pccc: string;
  sellerKey: string | null;
  day: string;
  goodsPriceUsd: number;
}

export interface SplitSeries {
  pccc: string;
  /** The seller when the series was grouped per seller; null when it mixes sellers. */
  sellerKey: string | null;
  sellers: number;
  firstDay: string;
  lastDay: string;
  parcelIds: number[];
  totalUsd: number;
  largestUsd: number;
}

const DAY_MS = 86_400_000;

function dayNumber(day: string): number {
  return Date.parse(`${day}T00:00:00Z`) / DAY_MS;
}

/**
 * Groups each buyer's (or buyer-and-seller's) parcels into series that start at a parcel and take every
 * later parcel arriving within `windowDays` of that first one, then keeps the series that look split:
 * at least `minParcels`, every part at or under the limit, the whole above it.
 */
export function findSplitSeries(
  candidates: readonly SplitCandidate[],
  options: { limitUsd: number; windowDays: number; minParcels: number; perSeller: boolean },
): SplitSeries[] {
  const byGroup = new Map<string, SplitCandidate[]>();
  for (const candidate of candidates) {
    const key = options.perSeller ? `${candidate.pccc}\u0000${candidate.sellerKey ?? ''}` : candidate.pccc;
    const group = byGroup.get(key);
    if (group) group.push(candidate);
    else byGroup.set(key, [candidate]);
  }
  const series: SplitSeries[] = [];
  for (const group of byGroup.values()) {
    // ISO days order as plain strings; each day is turned into a number once.
    group.sort((a, b) => (a.day < b.day ? -1 : a.day > b.day ? 1 : a.parcelId - b.parcelId));
    const days = group.map((member) => dayNumber(member.day));
    let start = 0;
    while (start < group.length) {
      const firstDay = days[start]!;
      let end = start + 1;
      while (end < group.length && days[end]! - firstDay < options.windowDays) end += 1;
      const members = group.slice(start, end);
      const totalUsd = members.reduce((sum, member) => sum + member.goodsPriceUsd, 0);
      const largestUsd = Math.max(...members.map((member) => member.goodsPriceUsd));
      if (members.length >= options.minParcels && largestUsd <= options.limitUsd && totalUsd > options.limitUsd) {
        const sellers = new Set(members.map((member) => member.sellerKey ?? ''));
        series.push({
          pccc: members[0]!.pccc,
          sellerKey: sellers.size === 1 ? members[0]!.sellerKey : null,
          sellers: sellers.size,
          firstDay: members[0]!.day,
          lastDay: members[members.length - 1]!.day,
          parcelIds: members.map((member) => member.parcelId),
          totalUsd: Math.round(totalUsd * 100) / 100,
          largestUsd,
        });
      }
      start = end;
    }
  }
  return series.sort((a, b) => b.totalUsd - a.totalUsd || (a.pccc < b.pccc ? -1 : a.pccc > b.pccc ? 1 : 0));
}

const text = (ko: string, en: string, fr: string) => ({ ko, en, fr });
// One formatter for every amount: `toLocaleString` with options builds a new one per call, which took
// most of a run's time on 10,000,000 parcels.
const usdFormat = new Intl.NumberFormat('en', { maximumFractionDigits: 2 });
const usd = (value: number) => usdFormat.format(value);

async function run(context: ModelRunContext): Promise<ModelResult> {
  const limitUsd = Number(context.parameters.limit_usd);
  const windowDays = Number(context.parameters.window_days);
  const minParcels = Number(context.parameters.min_parcels);
  const perSeller = context.parameters.grouping === 'buyer_and_seller';
  // A parcel with none of the buyer's (or buyer-and-seller's) other parcels within the window on either
  // side can only start a series of one, which never qualifies, and taking it out changes no other
  // series: the database drops those, so only parcels that have a neighbour reach the series search.
  // They come back ordered by code compared bytewise: the series search only needs each code's parcels
  // together, and under the database's collation every comparison of that sort would call strcoll.
  const group = perSeller ? sql`party.pccc, party.seller_key` : sql`party.pccc`;
  const candidates = await context.query(sql<{
    parcel_id: string | number;
    pccc: string;
    seller_key: string | null;
    day: string;
    goods_price_usd: string | number;
  }>`
    with neighbours as (
      select party.parcel_id, party.pccc, party.seller_key, party.arrival_date,
        party.arrival_date - lag(party.arrival_date) over series as since_previous,
        lead(party.arrival_date) over series - party.arrival_date as until_next
      from intake_analysis_parcel_party party
      where party.pccc is not null and party.arrival_date between ${context.from}::date and ${context.to}::date
      window series as (partition by ${group} order by party.arrival_date, party.parcel_id)
    )
    select n.parcel_id, n.pccc, n.seller_key, cast(n.arrival_date as text) as day, clearance.goods_price_usd
    from neighbours n
    join clearance_analysis_parcel clearance on clearance.parcel_id = n.parcel_id
    where (n.since_previous < ${windowDays} or n.until_next < ${windowDays}) and clearance.goods_price_usd is not null
    order by n.pccc collate "C", n.arrival_date, n.parcel_id`);
  context.progress(0.7);
  const series = findSplitSeries(
    candidates.map((row) => ({
      parcelId: Number(row.parcel_id),
      pccc: row.pccc,
      sellerKey: row.seller_key,
      day: row.day,
      goodsPriceUsd: Number(row.goods_price_usd),
    })),
    { limitUsd, windowDays, minParcels, perSeller },
  );
  const entities: EntityScore[] = series.map((found) => ({
    kind: 'pccc',
    key: found.pccc,
    score: Math.round((found.totalUsd / limitUsd) * 100) / 100,
    evidence: [
      text(
        `${found.firstDay}부터 ${found.lastDay}까지 소포 ${found.parcelIds.length}개, 합계 USD ${usd(found.totalUsd)} (한도 USD ${usd(limitUsd)})`,
        `${found.parcelIds.length} parcels from ${found.firstDay} to ${found.lastDay}, USD ${usd(found.totalUsd)} together (limit USD ${usd(limitUsd)})`,
        `${found.parcelIds.length} colis du ${found.firstDay} au ${found.lastDay}, ${usd(found.totalUsd)} USD ensemble (limite ${usd(limitUsd)} USD)`,
      ),
      text(
        `가장 큰 소포도 USD ${usd(found.largestUsd)}로 한도 이하`,
        `Even the largest parcel, USD ${usd(found.largestUsd)}, stays under the limit`,
        `Même le plus gros colis, ${usd(found.largestUsd)} USD, reste sous la limite`,
      ),
      found.sellerKey
        ? text(
            `모두 같은 판매자(${found.sellerKey})에게서 구매: 합산과세 대상`,
            `All from one seller (${found.sellerKey}): combined taxation applies`,
            `Tous du même vendeur (${found.sellerKey}) : taxation cumulée applicable`,
          )
        : text(
            `판매자 ${found.sellers}곳: 위험 신호 (법적 합산 요건은 아님)`,
            `${found.sellers} sellers: a risk signal, not the legal trigger`,
            `${found.sellers} vendeurs : signal de risque, pas le critère légal`,
          ),
      text(
        `소포 번호: ${found.parcelIds.join(', ')}`,
        `Parcel ids: ${found.parcelIds.join(', ')}`,
        `Numéros de colis : ${found.parcelIds.join(', ')}`,
      ),
    ],
  }));
  const perDay = new Map<string, number>();
  for (const found of series) perDay.set(found.firstDay, (perDay.get(found.firstDay) ?? 0) + 1);
  return {
    columns: [
      { key: 'pccc', label: text('개인통관고유부호', 'PCCC', 'PCCC'), type: 'entity' },
      { key: 'seller', label: text('판매자', 'Seller', 'Vendeur'), type: 'text' },
      { key: 'first_day', label: text('첫 도착일', 'First arrival', 'Première arrivée'), type: 'date' },
      { key: 'last_day', label: text('마지막 도착일', 'Last arrival', 'Dernière arrivée'), type: 'date' },
      { key: 'parcels', label: text('소포 수', 'Parcels', 'Colis'), type: 'number' },
      { key: 'total_usd', label: text('합계 (USD)', 'Total (USD)', 'Total (USD)'), type: 'number' },
      { key: 'largest_usd', label: text('최대 소포 (USD)', 'Largest parcel (USD)', 'Plus gros colis (USD)'), type: 'number' },
    ],
    rows: series.map((found) => ({
      pccc: found.pccc,
      seller: found.sellerKey ?? `(${found.sellers})`,
      first_day: found.firstDay,
      last_day: found.lastDay,
      parcels: found.parcelIds.length,
      total_usd: found.totalUsd,
      largest_usd: found.largestUsd,
    })),
    entities,
    chart: {
      kind: 'bar',
      title: text('일별 분할 의심 건수', 'Suspected split series per day', 'Séries fractionnées suspectes par jour'),
      x: { key: 'day', label: text('첫 도착일', 'First arrival', 'Première arrivée') },
      y: { key: 'series', label: text('건수', 'Series', 'Séries') },
      points: [...perDay.entries()].sort(([a], [b]) => a.localeCompare(b)).map(([x, y]) => ({ x, y })),
    },
    summary: text(
      `같은 구매자의 다른 소포가 기간 창 안에 있는 소포 ${candidates.length}개 검토, 분할 의심 ${series.length}건`,
      `${candidates.length} parcels with another of the buyer's parcels within the window read, ${series.length} suspected split series`,
      `${candidates.length} colis ayant un autre colis du même acheteur dans la fenêtre lus, ${series.length} séries fractionnées suspectes`,
    ),
  };
}

export const splitConsignmentModel: AnalyticalModel = {
  id: 'S1',
  version: '1.0.0',
  group: 'splitting',
  firstTwelve: true,
  name: text('분할 반입 합산', 'Split-consignment aggregation', 'Regroupement des envois fractionnés'),
  question: text(
    '한 구매자가 면세 한도를 피하려고 물품을 여러 소포로 나누어 들여오는가?',
    'Is one buyer splitting a purchase into several parcels to stay under the duty-free limit?',
    'Un acheteur fractionne-t-il un achat en plusieurs colis pour rester sous le seuil de franchise ?',
  ),
  method: text(
    '구매자(선택 시 판매자별)의 소포를 기간 창 안에서 묶습니다. 각 소포는 한도 이하이지만 합계가 한도를 넘는 묶음을 표시합니다.',
    "Groups each buyer's parcels (optionally per seller) that arrive within a window of days. Flags the groups where every parcel is under the list-clearance limit but the sum exceeds it.",
    "Regroupe les colis de chaque acheteur (éventuellement par vendeur) arrivés dans une fenêtre de jours. Signale les groupes dont chaque colis est sous la limite mais dont la somme la dépasse.",
  ),
  inputs: ['intake_analysis_parcel_party', 'clearance_analysis_parcel'],
  parameters: [
    {
      name: 'limit_usd',
      label: text('면세 한도 (USD)', 'Duty-free limit (USD)', 'Seuil de franchise (USD)'),
      type: 'number',
      default: 150,
      min: 1,
      max: 10_000,
    },
    {
      name: 'window_days',
      label: text('기간 창 (일)', 'Window (days)', 'Fenêtre (jours)'),
      type: 'integer',
      default: 3,
      min: 1,
      max: 31,
    },
    {
      name: 'min_parcels',
      label: text('최소 소포 수', 'Minimum parcels', 'Nombre minimal de colis'),
      type: 'integer',
      default: 2,
      min: 2,
      max: 50,
    },
    {
      name: 'grouping',
      label: text('묶는 기준', 'Group by', 'Regrouper par'),
      type: 'choice',
      default: 'buyer',
      choices: ['buyer', 'buyer_and_seller'],
    },
  ],
  run,
};
