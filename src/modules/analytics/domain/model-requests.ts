/**
 * Model requests (issue 17 point 4): an officer asks for an analysis the catalogue lacks; data analysts
 * triage, comment, estimate and deliver (a catalogue model, versioned) or decline. Each step is an event
 * on the request's timeline and the requester is told.
 */
export const requestStatuses = ['filed', 'triaged', 'estimated', 'delivered', 'declined'] as const;
export type RequestStatus = (typeof requestStatuses)[number];

export const requestUrgencies = ['low', 'normal', 'high', 'urgent'] as const;
export type RequestUrgency = (typeof requestUrgencies)[number];

/** What an analyst (or the requester, for comments) does to a request. */
export type RequestStep =
  | { kind: 'comment'; text: string }
  | { kind: 'triaged'; text: string }
  | { kind: 'estimated'; text: string; estimateDays: number }
  | { kind: 'delivered'; text: string; modelId: string; modelVersion: string }
  | { kind: 'declined'; text: string };

/** The status each step leads to from each status; a step missing here is refused (a closed request stays closed). */
const transitions: Record<Exclude<RequestStep['kind'], 'comment'>, readonly RequestStatus[]> = {
  triaged: ['filed'],
  estimated: ['filed', 'triaged', 'estimated'],
  delivered: ['filed', 'triaged', 'estimated'],
  declined: ['filed', 'triaged', 'estimated'],
};

export function statusAfter(current: RequestStatus, step: RequestStep): RequestStatus | undefined {
  if (step.kind === 'comment') return current;
  return transitions[step.kind].includes(current) ? step.kind : undefined;
}

/** Only data analysts move a request on; the requester and analysts may comment while it is open. */
export function mayTakeStep(
  step: RequestStep['kind'],
  who: { isAnalyst: boolean; isRequester: boolean },
  current: RequestStatus,
): boolean {
  if (step === 'comment')
    return (who.isAnalyst || who.isRequester) && current !== 'delivered' && current !== 'declined';
  return who.isAnalyst;
}
