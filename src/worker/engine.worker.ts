/// <reference lib="webworker" />
/**
 * The engine's Web Worker: the only file that touches `self`. It posts one `ready` message,
 * then answers every request through the EngineHost, in order.
 */
import { EngineHost } from './host';
import { PROTOCOL_VERSION, type RequestEnvelope, type ResponseEnvelope } from './protocol';

const host = new EngineHost();
const scope = self as unknown as DedicatedWorkerGlobalScope;

scope.onmessage = (e: MessageEvent<RequestEnvelope>) => {
  scope.postMessage(host.handle(e.data));
};

const ready: ResponseEnvelope = { v: PROTOCOL_VERSION, id: 0, ok: true, type: 'ready', value: null };
scope.postMessage(ready);
