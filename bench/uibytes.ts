/**
 * Worker → UI data per edit (issue #19), measured in node on the worker's own handler
 * (src/worker/host.ts), no browser: load the generated scenario, focus one node's kernel view (as
 * the UI would when it shows one), then make the one-line edit (bench/scale.ts editedText) and
 * count the JSON bytes of the answer the worker posts. Also the load's bytes and, for
 * comparison, the whole snapshot as protocol 2 sent it after every request.
 */
import { EngineHost } from '../src/worker/host';
import { PROTOCOL_VERSION, type Request } from '../src/worker/protocol';
import { snapshot } from '../src/worker/snapshot';
import { editedText, traceRequest } from './scale';
import { generate, type Size } from './scenarios/generate';

export const BYTES_TARGET_MB: Partial<Record<Size, number>> = { M: 1, L: 5 };

export function workerBytes(size: Size): { load: number; edit: number; trace: number; whole: number } {
  const host = new EngineHost();
  let id = 0;
  const post = (req: Request): number => {
    const r = host.handle({ v: PROTOCOL_VERSION, id: ++id, req });
    if (!r.ok) throw new Error(`${req.type}: ${r.error.message}`);
    return JSON.stringify(r).length;
  };
  const text = generate(size);
  const load = post({ type: 'load', yaml: text, seed: 1 });
  post({ type: 'focus', ids: ['node/node-2'] });
  const edit = post({ type: 'load', yaml: editedText(text), seed: 1 });
  const trace = post({ type: 'trace', req: traceRequest(size) });
  // Protocol 2 posted this after every request: every namespace in full.
  const sim = (host as unknown as { sim: Parameters<typeof snapshot>[0] }).sim;
  const whole = JSON.stringify(snapshot(sim, 1)).length;
  return { load, edit, trace, whole };
}
