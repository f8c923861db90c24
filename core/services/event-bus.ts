/** In-process publish/subscribe for API events; the WebSocket host forwards them to permitted clients. */
import type { EventName, EventPayload } from '../api';
import { outsideWrite } from '../store/sqljs-driver';

export interface Published<N extends EventName = EventName> {
  name: N;
  payload: EventPayload<N>;
  /** When set, only connections holding one of these sessions receive it. */
  sessions?: string[];
}

type Subscriber = (event: Published) => void;

export class EventBus {
  private readonly subscribers = new Set<Subscriber>();

  publish<N extends EventName>(name: N, payload: EventPayload<N>, sessions?: string[]): void {
    const event = { name, payload, sessions } as Published;
    // Subscribers may read the store; an event published inside a write must not make them part of it.
    outsideWrite(() => {
      for (const s of this.subscribers) s(event);
    });
  }

  subscribe(subscriber: Subscriber): () => void {
    this.subscribers.add(subscriber);
    return () => this.subscribers.delete(subscriber);
  }
}
