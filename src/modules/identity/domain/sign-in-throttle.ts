/**
 * Back-off after failed sign-ins, instead of a lock. A lock after five failures lets anyone who knows an
 * officer's e-mail address keep that officer out; a back-off keeps guessing slow and costs the officer
 * at most a short wait. Two counters: one per client address and e-mail (a guesser at one address slows
 * only itself), and one per e-mail from every address (many addresses guessing together), which starts
 * later and waits less, so that it never shuts the officer out for long.
 */
export interface BackOffPolicy {
  /** Failures in a row that cost nothing. */
  freeFailures: number;
  /** The wait after the first failure beyond them; each further failure doubles it. */
  firstDelayMs: number;
  maxDelayMs: number;
}

export const PER_ADDRESS_AND_EMAIL: BackOffPolicy = {
  freeFailures: 5,
  firstDelayMs: 2_000,
  maxDelayMs: 15 * 60_000,
};
export const PER_EMAIL: BackOffPolicy = { freeFailures: 20, firstDelayMs: 1_000, maxDelayMs: 60_000 };

/** How long to wait after the `failures`-th failure in a row, under a policy. */
export function backOffDelayMs(failures: number, policy: BackOffPolicy): number {
  if (failures < policy.freeFailures) return 0;
  const doublings = Math.min(30, failures - policy.freeFailures);
  return Math.min(policy.maxDelayMs, policy.firstDelayMs * 2 ** doublings);
}
