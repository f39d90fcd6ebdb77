/**
 * The engine on the calling thread, behind the same Transport as the worker: unit tests run the
 * client suite over it, and it could serve where Web Workers are unavailable.
 */
import { EngineHost } from './host';
import { PROTOCOL_VERSION, type ResponseEnvelope } from './protocol';
import type { Transport } from './transport';

export interface InProcessTransport extends Transport {
  /** Simulates the engine dying: every later message goes unanswered and the crash is reported. */
  kill(reason?: string): void;
}

/** The engine on the calling thread, answering on a later macrotask like a worker would. */
export function inProcessTransport(): InProcessTransport {
  const host = new EngineHost();
  let onMessage: ((m: ResponseEnvelope) => void) | null = null;
  let onCrash: ((r: string) => void) | null = null;
  let dead = false;
  const later = (f: () => void) => setTimeout(f, 0);
  later(() => { if (!dead) onMessage?.({ v: PROTOCOL_VERSION, id: 0, ok: true, type: 'ready', value: null }); });
  return {
    post(msg) {
      if (dead) return;
      // Copy like structured cloning would, so no live engine object leaks across.
      const req = structuredClone(msg);
      later(() => { if (!dead) onMessage?.(structuredClone(host.handle(req))); });
    },
    listen(m, c) { onMessage = m; onCrash = c; },
    close() { dead = true; },
    kill(reason = 'killed') { dead = true; later(() => onCrash?.(reason)); },
  };
}
