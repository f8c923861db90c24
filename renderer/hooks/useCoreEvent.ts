import { useEffect, useRef } from 'react';
import type { EventName, EventPayload } from '../../core/api';
import { core } from '../api/core';

/** Runs `handler` for each pushed event while the component is mounted; the latest handler is always used. */
export function useCoreEvent<N extends EventName>(name: N, handler: (payload: EventPayload<N>) => void): void {
  const latest = useRef(handler);
  useEffect(() => {
    latest.current = handler;
  });
  useEffect(() => core.listen(name, (payload) => latest.current(payload)), [name]);
}
