/**
 * How the client reaches an engine: a Web Worker in the browser, or the same EngineHost called
 * in-process (./in-process.ts: unit tests, and a fallback where workers are unavailable). Both
 * deliver answers asynchronously, so the client behaves the same over either. This file must not
 * import the engine: it is part of the page's first-paint bundle.
 */
import type { RequestEnvelope, ResponseEnvelope } from './protocol';

export interface Transport {
  post(msg: RequestEnvelope): void;
  /** Registers the handlers; called once, right after the transport is made. */
  listen(onMessage: (msg: ResponseEnvelope) => void, onCrash: (reason: string) => void): void;
  close(): void;
}

export type TransportFactory = () => Transport;

/** The engine in a module Web Worker (Vite bundles engine.worker.ts and the engine into it). */
export const workerTransport: TransportFactory = () => {
  const worker = new Worker(new URL('./engine.worker.ts', import.meta.url), { type: 'module', name: 'knp-engine' });
  return {
    post: (msg) => worker.postMessage(msg),
    listen(onMessage, onCrash) {
      worker.onmessage = (e: MessageEvent<ResponseEnvelope>) => onMessage(e.data);
      worker.onerror = (e: ErrorEvent) => { e.preventDefault(); onCrash(e.message || 'the engine worker failed'); };
      worker.onmessageerror = () => onCrash('a message from the engine could not be read');
    },
    close: () => worker.terminate(),
  };
};
