/**
 * What the canvas shows about the packet being followed, derived from the trace alone:
 *
 *   trail       the canvas nodes the packet has been on up to the cursor, in order
 *   serviceAt   the Service whose kube-proxy rules act on the packet at an event: a netfilter
 *               event in a KUBE-SVC-/KUBE-SEP-/KUBE-EXT-/KUBE-FW- chain names it in the matched
 *               rule's comment ("default/my-nginx cluster IP", "default/my-nginx:http")
 *   machineAt   the node the packet is on (for the kernel view to switch to)
 *
 * Pure: the same trace and cursor always give the same answer, whether the player moves by
 * event or by story step (both only move the store's cursor).
 */
import type { TraceEvent } from '../../engine';
import { locate } from './flow';

/** Canvas ids the packet stood on up to and including `cursor`, consecutive repeats folded. */
export function trailOf(events: readonly TraceEvent[], cursor: number, ids: ReadonlySet<string>): string[] {
  const out: string[] = [];
  for (let i = 0; i <= cursor && i < events.length; i++) {
    const id = locate(events[i]!.where, ids);
    if (id && out[out.length - 1] !== id) out.push(id);
  }
  return out;
}

const SERVICE_CHAIN = /^KUBE-(SVC|SEP|EXT|FW|SVL|XLB)-/;
const COMMENT = /--comment\s+"?([a-z0-9][a-z0-9.-]*)\/([a-z0-9][a-z0-9.-]*)/;

/** The Service (svc/NS/NAME) whose rules act on the packet at this event, or null. */
export function serviceAt(e: TraceEvent | null | undefined): string | null {
  if (!e || e.type !== 'netfilter') return null;
  const d = e.detail;
  if (!('rules' in d) || !SERVICE_CHAIN.test(d.chain)) return null;
  const texts = [d.matchedRule?.text, ...d.rules.filter((r) => r.matched).map((r) => r.text)];
  for (const t of texts) {
    const m = t !== undefined ? COMMENT.exec(t) : null;
    if (m) return `svc/${m[1]}/${m[2]}`;
  }
  return null;
}

/** The node (its name) the packet is on at this event, or null off the nodes (a host, the underlay). */
export function machineAt(e: TraceEvent | null | undefined): string | null {
  const m = e?.where.machine;
  return m?.startsWith('node/') ? m.slice('node/'.length) : null;
}
