import type { ClearanceParcelRow, ClearanceRepository, GroupingMember } from './clearance.repository.js';
import { analyseParcelGrouping, type CombinedGroup, type RiskCluster } from './domain/parcel-grouping.js';

/** Most parcels one combined-taxation group is assessed with (a runaway group is a data problem). */
export const MAX_GROUP = 50;
/** Rounds of following partners' own keys: a chain longer than this is cut (and still over the limit). */
const MAX_ROUNDS = 4;

/** The combined-taxation group and the splitting signals of one parcel, with every member's grouping facts. */
export interface ParcelGroups {
  members: Map<number, GroupingMember>;
  /** The parcel's legal group, when it has partners. */
  group: CombinedGroup | null;
  signals: RiskCluster[];
}

/**
 * Finds the parcels taxed with `row` and the signals it belongs to. Legal partners are followed
 * transitively (a partner split from the same AWB may also share a seller and date with a third parcel);
 * signals are read around the parcel itself. The domain's analysis then decides groups and clusters, so
 * one rule serves both this view and the period analysis. Assessment needs no signals: it skips them.
 */
export async function findParcelGroups(
  repository: ClearanceRepository,
  row: ClearanceParcelRow,
  options: { signals: boolean } = { signals: true },
): Promise<ParcelGroups> {
  const members = new Map<number, GroupingMember>();
  for (const member of await repository.groupingNeighbours([row], options.signals))
    members.set(member.id, member);
  let frontier = [row];
  const expanded = new Set<number>([row.parcel_id]);
  for (let round = 1; round < MAX_ROUNDS && frontier.length > 0 && members.size < MAX_GROUP; round += 1) {
    const legal = analyseParcelGrouping([...members.values()]).combinedGroups.find((group) =>
      group.parcelIds.includes(row.parcel_id),
    );
    const next = (legal?.parcelIds ?? []).filter((id) => !expanded.has(id));
    if (next.length === 0) break;
    const rows = await Promise.all(next.map((id) => repository.findParcel(id)));
    frontier = rows.filter((found): found is ClearanceParcelRow => found !== undefined);
    for (const found of frontier) expanded.add(found.parcel_id);
    for (const member of await repository.groupingNeighbours(frontier, false))
      if (!members.has(member.id)) members.set(member.id, member);
  }
  const analysis = analyseParcelGrouping([...members.values()]);
  const group =
    analysis.combinedGroups.find((candidate) => candidate.parcelIds.includes(row.parcel_id)) ?? null;
  return {
    members,
    group: group && { ...group, parcelIds: group.parcelIds.slice(0, MAX_GROUP) },
    signals: analysis.riskClusters.filter((cluster) => cluster.parcelIds.includes(row.parcel_id)),
  };
}
