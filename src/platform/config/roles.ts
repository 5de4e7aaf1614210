/**
 * What a Clearway process does. `api` answers HTTP (API and console); `worker` delivers the outbox's
 * events (decisions, assessments, matches) and runs jobs; `scheduler` runs the periodic work that one
 * process at a time must do (webhook deliveries), under a PostgreSQL advisory lock, so that starting it
 * in several processes is safe: one does the work, the others stand by. Any number of api and worker
 * processes share one PostgreSQL database; they coordinate only through it (`for update skip locked`
 * on outbox rows and jobs, advisory locks on capacity and on the scheduler, row locks on decisions).
 */
export const processRoles = ['api', 'worker', 'scheduler'] as const;
export type ProcessRole = (typeof processRoles)[number];

/** Every role: `npm start` and the embedded database. */
export const allRoles: readonly ProcessRole[] = processRoles;

export function hasRole(roles: readonly ProcessRole[], role: ProcessRole): boolean {
  return roles.includes(role);
}
