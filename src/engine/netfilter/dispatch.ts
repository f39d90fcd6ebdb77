/**
 * A dispatch index for long chains (KUBE-SERVICES holds a rule per Service port): rules are
 * bucketed by what makes them skippable without evaluation — a non-inverted /32 destination,
 * or (without one) a protocol and single destination port checked before any other match.
 * Walking the merged candidate list visits exactly the rules a linear walk would match, in the
 * same order, and skips only rules whose IP/port part would have failed first, so side effects
 * (counters, -m statistic draws, -m recent updates) are identical. The linear cost is still
 * reported: a trace counts the rules a linear walk would have evaluated.
 */
import type { PacketView } from './match';
import type { Chain, ChainIndex, Rule } from './types';

/** Chains shorter than this are walked linearly; an index would not pay for itself. */
export const INDEX_MIN_RULES = 24;

function portKey(proto: number, port: number): number {
  return -((proto << 16) | port) - 1;
}

/** The bucket a rule can live in, or null when it must be considered for every packet. */
function keyOf(r: Rule): number | null {
  if (r.dst && !r.dst.inv && r.dst.len === 32 && r.dst.v6 === undefined) return r.dst.base;
  if (!r.proto || r.proto.inv) return null;
  const first = r.matches.find((m) => m.kind !== 'comment');
  if (first && (first.kind === 'tcp' || first.kind === 'udp' || first.kind === 'sctp') && first.dport && !first.dport.inv && first.dport.range.min === first.dport.range.max) {
    return portKey(r.proto.num, first.dport.range.min);
  }
  return null;
}

export function buildIndex(chain: Chain): ChainIndex {
  const byDst = new Map<number, number[]>();
  const wildcard: number[] = [];
  chain.rules.forEach((r, i) => {
    const k = keyOf(r);
    if (k === null) { wildcard.push(i); return; }
    const list = byDst.get(k);
    if (list) list.push(i); else byDst.set(k, [i]);
  });
  return { byDst, wildcard };
}

function indexOf(chain: Chain): ChainIndex {
  if (!chain.index) chain.index = buildIndex(chain);
  return chain.index;
}

const EMPTY: number[] = [];

function firstAtLeast(a: readonly number[], v: number): number {
  let lo = 0; let hi = a.length;
  while (lo < hi) { const mid = (lo + hi) >> 1; if (a[mid]! < v) lo = mid + 1; else hi = mid; }
  return lo;
}

/**
 * The rule indices worth evaluating for this packet, from `start` on, in chain order. Returns
 * null for short chains (walk them linearly).
 */
export function candidates(chain: Chain, p: PacketView, start: number): number[] | null {
  if (chain.rules.length < INDEX_MIN_RULES) return null;
  const ix = indexOf(chain);
  const lists = [ix.byDst.get(p.dst) ?? EMPTY, p.dport !== undefined ? ix.byDst.get(portKey(p.proto, p.dport)) ?? EMPTY : EMPTY, ix.wildcard];
  const pos = lists.map((l) => firstAtLeast(l, start));
  const out: number[] = [];
  for (;;) {
    let best = -1; let bestVal = Infinity;
    for (let k = 0; k < lists.length; k++) {
      const v = lists[k]![pos[k]!];
      if (v !== undefined && v < bestVal) { bestVal = v; best = k; }
    }
    if (best < 0) return out;
    out.push(bestVal);
    pos[best]!++;
  }
}
