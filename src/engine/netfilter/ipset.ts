/**
 * A small ipset: per-namespace named sets that `-m set --match-set NAME dst,dst` reads and the
 * IPVS proxier fills (KUBE-CLUSTER-IP, KUBE-LOOP-BACK, KUBE-NODE-PORT-TCP, ...). Members are
 * kept in the text form `ipset list` prints: "10.96.0.10,tcp:53", "10.244.1.2,tcp:80,10.244.1.2",
 * "30080" (bitmap:port), "10.0.0.0/24" (hash:net).
 */
import { ipInCidr } from '../addr/ip';
import type { NetNs } from '../net/types';
import { ensureNetfilter } from './state';
import type { IpSet } from './types';

export const IPSET_TYPES = ['hash:ip', 'hash:net', 'hash:ip,port', 'hash:ip,port,ip', 'hash:ip,port,net', 'hash:net,port', 'bitmap:port'];

export function ipsetCreate(ns: NetNs, name: string, type: string, options: Record<string, string> = {}): boolean {
  const st = ensureNetfilter(ns);
  if (st.ipsets.has(name)) return false;
  st.ipsets.set(name, { name, type, members: new Set(), options });
  return true;
}

export function ipsetGet(ns: NetNs, name: string): IpSet | undefined {
  return ns.netfilter?.ipsets.get(name);
}

/** Adds a member (normalised: ports without a protocol get "tcp:"). False when the set does not exist. */
export function ipsetAdd(ns: NetNs, name: string, entry: string): boolean {
  const set = ipsetGet(ns, name);
  if (!set) return false;
  set.members.add(normalise(set.type, entry));
  return true;
}

export function ipsetDel(ns: NetNs, name: string, entry: string): boolean {
  const set = ipsetGet(ns, name);
  return set ? set.members.delete(normalise(set.type, entry)) : false;
}

export function ipsetFlush(ns: NetNs, name?: string): void {
  const st = ns.netfilter;
  if (!st) return;
  for (const s of st.ipsets.values()) if (name === undefined || s.name === name) s.members.clear();
}

export function ipsetDestroy(ns: NetNs, name: string): boolean {
  return ns.netfilter?.ipsets.delete(name) ?? false;
}

function dims(type: string): string[] {
  return type.slice(type.indexOf(':') + 1).split(',');
}

function normalise(type: string, entry: string): string {
  const ds = dims(type);
  return entry.split(',').map((v, i) => (ds[i] === 'port' && type.startsWith('hash:') && /^\d+$/.test(v) ? `tcp:${v}` : v)).join(',');
}

/** The packet facts a set lookup reads. */
export interface SetProbe {
  readonly src: string;
  readonly dst: string;
  readonly proto: string;
  readonly sport?: number;
  readonly dport?: number;
}

/** What -m set needs of a set: its type and its members in `ipset list` text form. */
export interface IpSetLike {
  readonly type: string;
  readonly members: ReadonlySet<string>;
}

/**
 * The set named `name` in a namespace: the netfilter state's own (ipsetCreate/ipsetAdd), else
 * one kept on `ns.ipsets` by the IPVS proxier (a Map of sets with the same member format).
 */
export function findSet(ns: NetNs, name: string): IpSetLike | undefined {
  const own = ns.netfilter?.ipsets.get(name);
  if (own) return own;
  const foreign = (ns as { ipsets?: unknown }).ipsets;
  if (foreign instanceof Map) {
    const s = foreign.get(name) as Partial<IpSetLike> | undefined;
    if (s && typeof s.type === 'string' && s.members instanceof Set) return s as IpSetLike;
  }
  return undefined;
}

/** -m set: is the packet's (flag-selected) tuple in the set? */
export function ipsetTest(set: IpSetLike, flags: readonly ('src' | 'dst')[], p: SetProbe): boolean {
  const ds = dims(set.type);
  const values: string[] = [];
  for (let i = 0; i < ds.length; i++) {
    const f = flags[i] ?? flags[flags.length - 1] ?? 'src';
    const d = ds[i]!;
    if (d === 'port') {
      const port = f === 'src' ? p.sport : p.dport;
      if (port === undefined) return false;
      values.push(set.type.startsWith('bitmap:') ? String(port) : `${p.proto}:${port}`);
    } else values.push(f === 'src' ? p.src : p.dst);
  }
  if (!ds.includes('net')) return set.members.has(values.join(','));
  for (const m of set.members) {
    const parts = m.split(',');
    if (parts.length !== values.length) continue;
    if (parts.every((part, i) => (ds[i] === 'net' ? ipInCidr(values[i]!, part.includes('/') ? part : `${part}/32`) : part === values[i]))) return true;
  }
  return false;
}
