/**
 * The dashboard's figures, assembled from what each module counts: volumes (intake), lanes (targeting),
 * inspections and seizures (clearance). Pure: the service gathers the inputs.
 */
export type Lane = 'green' | 'yellow' | 'red' | 'blue';

export interface DashboardInputs {
  days: string[];
  volumes: {
    day: string;
    channel: 'postal' | 'express';
    carrier: string;
    office: string | null;
    parcels: number;
  }[];
  lanes: { day: string; lane: Lane; parcels: number }[];
  inspections: { day: string; inspected: number; frauds: number }[];
  seizures: { day: string; category: string; carrier: string; office: string | null }[];
}

export interface Dashboard {
  days: string[];
  volumesByChannel: { postal: number[]; express: number[] };
  lanes: Record<Lane, number[]>;
  /** Share of inspections that found a fraud, per day; null on days without inspections. */
  hitRate: (number | null)[];
  inspections: number[];
  seizuresByCategory: Record<string, number>;
  byCarrier: { carrier: string; parcels: number; seizures: number }[];
  byOffice: { office: string; parcels: number; seizures: number }[];
}

/** Every day from `from` to `to` inclusive, as YYYY-MM-DD. */
export function daysBetween(from: string, to: string): string[] {
  const days: string[] = [];
  for (
    let time = Date.parse(`${from}T00:00:00Z`);
    time <= Date.parse(`${to}T00:00:00Z`);
    time += 86_400_000
  ) {
    days.push(new Date(time).toISOString().slice(0, 10));
  }
  return days;
}

export function buildDashboard(inputs: DashboardInputs): Dashboard {
  const index = new Map(inputs.days.map((day, position) => [day, position]));
  const series = () => inputs.days.map(() => 0);
  const volumesByChannel = { postal: series(), express: series() };
  const lanes: Record<Lane, number[]> = { green: series(), yellow: series(), red: series(), blue: series() };
  const inspected = series();
  const frauds = series();
  const carriers = new Map<string, { parcels: number; seizures: number }>();
  const offices = new Map<string, { parcels: number; seizures: number }>();
  const tally = (map: Map<string, { parcels: number; seizures: number }>, key: string) => {
    let entry = map.get(key);
    if (!entry) map.set(key, (entry = { parcels: 0, seizures: 0 }));
    return entry;
  };

  for (const row of inputs.volumes) {
    const position = index.get(row.day);
    if (position === undefined) continue;
    volumesByChannel[row.channel][position]! += row.parcels;
    tally(carriers, row.carrier).parcels += row.parcels;
    tally(offices, row.office ?? 'unknown').parcels += row.parcels;
  }
  for (const row of inputs.lanes) {
    const position = index.get(row.day);
    if (position !== undefined) lanes[row.lane][position]! += row.parcels;
  }
  for (const row of inputs.inspections) {
    const position = index.get(row.day);
    if (position === undefined) continue;
    inspected[position]! += row.inspected;
    frauds[position]! += row.frauds;
  }
  const seizuresByCategory: Record<string, number> = {};
  for (const seizure of inputs.seizures) {
    seizuresByCategory[seizure.category] = (seizuresByCategory[seizure.category] ?? 0) + 1;
    tally(carriers, seizure.carrier).seizures++;
    tally(offices, seizure.office ?? 'unknown').seizures++;
  }
  const ranked = <K extends string>(map: Map<string, { parcels: number; seizures: number }>, key: K) =>
    [...map.entries()]
      .map(
        ([name, counts]) =>
          ({ [key]: name, ...counts }) as { [P in K]: string } & { parcels: number; seizures: number },
      )
      .sort((a, b) => b.parcels - a.parcels || b.seizures - a.seizures);
  return {
    days: inputs.days,
    volumesByChannel,
    lanes,
    hitRate: inspected.map((count, position) => (count === 0 ? null : frauds[position]! / count)),
    inspections: inspected,
    seizuresByCategory,
    byCarrier: ranked(carriers, 'carrier'),
    byOffice: ranked(offices, 'office'),
  };
}
