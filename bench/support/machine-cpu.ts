import { readFileSync } from 'node:fs';

/** CPU seconds a process has used so far (user + system), from /proc; 0 once it is gone. */
export function processCpuSeconds(pid: number): number {
  try {
    const fields = readFileSync(`/proc/${pid}/stat`, 'utf8').split(') ')[1]!.split(' ');
    return (Number(fields[11]) + Number(fields[12])) / 100;
  } catch {
    return 0;
  }
}

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
