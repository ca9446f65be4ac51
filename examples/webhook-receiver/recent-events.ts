/**
 * The events handled lately, by id, at most `capacity` of them: what de-duplication checks and what
 * the receiver shows. A Map keeps insertion order, so the oldest is forgotten first, and memory stays
 * bounded however long the receiver runs.
 *
 * Parley retries an event for about 3 days, so a redelivery of an event forgotten meanwhile (or
 * received before a restart: this is memory only) is handled again. A production receiver keeps the
 * ids in its own database instead, under a unique key, in the transaction that handles the event.
 */
export interface ReceivedEvent {
  id: string;
  event: string;
  /** The whole parsed body: `{id, event, timestamp, data}`. */
  payload: Record<string, unknown>;
  /** X-Webhook-Attempt of the first delivery handled. */
  attempt: number;
  /** How many times it arrived with a valid signature: 1, plus one per redelivery. */
  deliveries: number;
}

export interface RecentEvents {
  /** The event already handled with this id, if it is still remembered. */
  find(id: string): ReceivedEvent | undefined;
  remember(event: ReceivedEvent): void;
  /** Oldest first. */
  list(): ReceivedEvent[];
}

export function createRecentEvents(capacity: number): RecentEvents {
  const byId = new Map<string, ReceivedEvent>();
  return {
    find: (id) => byId.get(id),
    remember(event) {
      byId.set(event.id, event);
      if (byId.size > capacity) byId.delete(byId.keys().next().value as string);
    },
    list: () => [...byId.values()],
  };
}
