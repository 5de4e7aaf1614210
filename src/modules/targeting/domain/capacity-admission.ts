import { CapacityLedger, type HeldLane, type HeldPlace } from './budget-policy.js';
import { nextLane } from './lane-decision.js';
import { encodeReason, reason } from './reason-messages.js';
import { officeOf, type DecisionDraft } from './targeting-engine.js';

/** A parcel holding a place today, as stored: its current decision and whether it may still be displaced. */
export interface StoredPlace {
  decision: DecisionDraft;
  /** Settled (an officer acted on it, or an override) and mandatory rule hits keep their place. */
  displaceable: boolean;
}

/**
 * A ledger of one batch's office days, filled with the places stored in the database: the deciding
 * process builds it inside the transaction that holds those office days' locks, so that whichever
 * process decides, admissions to one office day happen one batch at a time against the committed places.
 */
export function ledgerOf(
  places: readonly StoredPlace[],
  capacityOf: (office: string, lane: HeldLane) => number | null,
): CapacityLedger {
  const ledger = new CapacityLedger(capacityOf);
  for (const { decision, displaceable } of places)
    if (decision.lane !== 'green')
      ledger.restore(
        officeOf(decision.officeCode),
        decision.day,
        decision.lane,
        placeOf(decision, displaceable),
      );
  return ledger;
}

/**
 * Admits each decision into its lane, or a lower one when the lane is full and the parcel ranks below
 * every displaceable holder. A parcel that takes the place of a lower-ranked one sends that one down a
 * lane, as a new decision (trigger `capacity`), which is admitted the same way. Decisions are changed in
 * place (lane and reason); returns the new decisions of the displaced parcels, in order. A displaced
 * parcel whose decision this batch writes anyway (decided in it, or displaced earlier in it) is moved
 * down in that decision, not given a second one: two records of one parcel at the same instant (its
 * arrival decision and a `capacity` one) said nothing the last did not, and how deliveries split
 * parcels into batches (two workers, a retried lease) decided whether they appeared.
 */
export function admitDecisions(
  ledger: CapacityLedger,
  decisions: readonly DecisionDraft[],
  nowMs: number,
): DecisionDraft[] {
  const written = new Set(decisions);
  const moved: DecisionDraft[] = [];
  for (const decision of decisions) admitOne(ledger, decision, nowMs, written, moved);
  return moved;
}

function admitOne(
  ledger: CapacityLedger,
  decision: DecisionDraft,
  nowMs: number,
  written: Set<DecisionDraft>,
  moved: DecisionDraft[],
): void {
  const office = officeOf(decision.officeCode);
  const queue: DecisionDraft[] = [decision];
  while (queue.length > 0) {
    const current = queue.shift()!;
    if (current.lane === 'green') continue;
    const wanted = current.lane;
    const admission = ledger.admit(
      office,
      current.day,
      wanted,
      placeOf(current, current.source !== 'mandatory-rule'),
    );
    if (admission.lane !== wanted) {
      current.reasons.push(
        encodeReason(
          reason('capacity.moved', { from: wanted, to: admission.lane, office, day: current.day }),
        ),
      );
      current.lane = admission.lane;
    }
    admission.displaced.forEach((place, index) => {
      const from = admission.movedDown[index]!;
      const previous = place.decision as DecisionDraft;
      const displacedReason = encodeReason(
        reason('capacity.displaced', {
          from,
          to: nextLane(from),
          parcel: current.trackingNumber ?? current.parcelId,
          office,
          day: current.day,
        }),
      );
      if (written.has(previous)) {
        previous.lane = nextLane(from);
        previous.reasons.push(displacedReason);
        queue.push(previous);
        return;
      }
      const next: DecisionDraft = {
        ...previous,
        lane: nextLane(from),
        reasons: [...previous.reasons, displacedReason],
        trigger: 'capacity',
        receivedAtMs: nowMs,
        decidedAtMs: nowMs,
        overrideBy: undefined,
        overrideReason: undefined,
      };
      written.add(next);
      moved.push(next);
      queue.push(next);
    });
  }
}

function placeOf(decision: DecisionDraft, displaceable: boolean): HeldPlace {
  return { parcelKey: decision.parcelId, priority: decision.priority, displaceable, decision };
}
