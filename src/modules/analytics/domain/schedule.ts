/** Schedules of model runs: daily or weekly, each run over the `windowDays` days that end the day before. */
export type Cadence = 'daily' | 'weekly';

const DAY_MS = 86_400_000;

export function nextRunAfter(previous: Date, cadence: Cadence): Date {
  return new Date(previous.getTime() + (cadence === 'daily' ? 1 : 7) * DAY_MS);
}

/** The data window of a scheduled run started at `at`: the `windowDays` whole days before that day. */
export function scheduledWindow(at: Date, windowDays: number): { from: string; to: string } {
  const today = Date.parse(at.toISOString().slice(0, 10));
  return {
    from: new Date(today - windowDays * DAY_MS).toISOString().slice(0, 10),
    to: new Date(today - DAY_MS).toISOString().slice(0, 10),
  };
}
