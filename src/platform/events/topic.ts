/**
 * A kind of cross-module event, named once with the type of what it carries. The publishing module
 * exports it from its index.ts; src/subscriptions.ts subscribes to it. Typing the name with its payload
 * makes a subscriber that expects another shape a compile error instead of a failed delivery.
 */
export interface Topic<Event> {
  readonly name: string;
  /** Never set: carries the payload type for the compiler only. */
  readonly event?: Event;
}

export function defineTopic<Event>(name: string): Topic<Event> {
  return Object.freeze({ name });
}
