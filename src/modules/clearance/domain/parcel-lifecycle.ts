import type { OfficerRole } from '../../../platform/auth/actor.js';

/**
 * The clearance life of a parcel. `received` when its declaration arrives, `assessed` once list
 * clearance and tax are decided, then `held` (documents, information or payment awaited) or
 * `under_inspection` (X-ray or physical), and finally one of the three terminal states.
 */
export const parcelStates = [
  'received',
  'assessed',
  'held',
  'under_inspection',
  'released',
  'seized',
  'returned',
] as const;
export type ParcelState = (typeof parcelStates)[number];

export const terminalStates: readonly ParcelState[] = ['released', 'seized', 'returned'];

/** Officer roles allowed to move a parcel into each state (administrators and the system always may). */
const allowedTransitions: Record<ParcelState, Partial<Record<ParcelState, readonly OfficerRole[]>>> = {
  // received -> held: no weekly rate covers the parcel yet (an officer case asks for that week's rates).
  received: { assessed: ['targeting_analyst'], held: ['targeting_analyst'] },
  assessed: {
    assessed: ['targeting_analyst'],
    held: ['targeting_analyst', 'xray_analyst', 'inspector'],
    under_inspection: ['targeting_analyst', 'xray_analyst', 'inspector'],
    released: ['targeting_analyst', 'inspector'],
  },
  held: {
    assessed: ['targeting_analyst'],
    under_inspection: ['targeting_analyst', 'xray_analyst', 'inspector'],
    released: ['targeting_analyst', 'inspector'],
    returned: ['inspector'],
    seized: ['inspector'],
  },
  under_inspection: {
    held: ['inspector'],
    released: ['inspector'],
    seized: ['inspector'],
    returned: ['inspector'],
  },
  released: {},
  seized: {},
  returned: {},
};

/** One recorded change of state: who, when and why. */
export interface ParcelTransition {
  from: ParcelState | null;
  to: ParcelState;
  actor: string;
  at: string;
  reason: string;
}

export type TransitionRefusal =
  | { kind: 'illegal'; message: string }
  | { kind: 'role'; message: string; roles: readonly OfficerRole[] }
  | { kind: 'reason_required'; message: string };

/** The states a parcel in `from` may move to. */
export function nextStates(from: ParcelState): ParcelState[] {
  return Object.keys(allowedTransitions[from]) as ParcelState[];
}

/** Officer roles that may make the transition, or undefined when it is illegal. */
export function rolesFor(from: ParcelState, to: ParcelState): readonly OfficerRole[] | undefined {
  return allowedTransitions[from][to];
}

/**
 * Checks one transition. `hasRole` answers whether the caller holds one of the roles (the service
 * passes its actor check). A reason is required for every move, so that the history explains itself.
 */
export function checkTransition(
  from: ParcelState,
  to: ParcelState,
  reason: string,
  hasRole: (roles: readonly OfficerRole[]) => boolean,
): TransitionRefusal | undefined {
  const roles = rolesFor(from, to);
  if (!roles) {
    const options = nextStates(from);
    return {
      kind: 'illegal',
      message: `A parcel that is ${from} cannot become ${to}${options.length ? `; it can become ${options.join(', ')}` : ': that state is final'}`,
    };
  }
  if (!hasRole(roles))
    return {
      kind: 'role',
      message: `Moving a parcel from ${from} to ${to} needs the role ${roles.join(' or ')}`,
      roles,
    };
  if (reason.trim().length === 0)
    return { kind: 'reason_required', message: 'Say why the parcel changes state' };
  return undefined;
}

export function isTerminal(state: ParcelState): boolean {
  return terminalStates.includes(state);
}
