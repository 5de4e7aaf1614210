import { readFileSync } from 'node:fs';

/**
 * Busy CPU seconds of all the machine's cores so far (user, nice, system, irq, softirq and steal time,
 * from /proc/stat): the servers, PostgreSQL and anything else together, including processes that have
 * exited, which per-process readings miss. NaN where /proc/stat cannot be read.
 */
export function machineBusySeconds(): number {
  try {
    const fields = readFileSync('/proc/stat', 'utf8')
      .split('\n')[0]!
      .trim()
      .split(/\s+/)
      .slice(1)
      .map(Number);
    const [user, nice, system, , , irq, softirq, steal] = fields;
    return (user! + nice! + system! + irq! + softirq! + (steal ?? 0)) / 100;
  } catch {
    return Number.NaN;
  }
}
