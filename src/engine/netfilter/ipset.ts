/**
 * ipset: the namespace's one store of named sets (`ns.netfilter.ipsets`). `-m set --match-set
 * NAME dst,dst` reads it; kube-proxy's IPVS proxier (KUBE-CLUSTER-IP, KUBE-LOOP-BACK,
 * KUBE-NODE-PORT-TCP, ...) and calico (its IP pools) fill it through ipsetInstall. Members are
 * kept in the text form `ipset list` prints: "10.96.0.10,tcp:53", "10.244.1.2,tcp:80,10.244.1.2",
 * "30080" (bitmap:port), "10.0.0.0/24" (hash:net).
 */
import { ipInCidr } from '../addr/ip';
import { anyCidrContains } from '../addr/family';
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

/**
 * Installs a writer's set whole (kube-proxy's sync, calico's pools): a set of that name is
 * replaced, as `ipset restore` with create/flush/add leaves it.
 */
export function ipsetInstall(ns: NetNs, set: { readonly name: string; readonly type: string; readonly members: Iterable<string>; readonly comment?: string }): void {
  ensureNetfilter(ns).ipsets.set(set.name, { name: set.name, type: set.type, members: new Set(set.members), options: {}, ...(set.comment ? { comment: set.comment } : {}) });
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

/** The set named `name` in a namespace, for -m set. */
export function findSet(ns: NetNs, name: string): IpSetLike | undefined {
  return ns.netfilter?.ipsets.get(name);
}

/** The sets of a namespace in creation order. */
export function ipsetList(ns: NetNs): IpSet[] {
  return [...(ns.netfilter?.ipsets.values() ?? [])];
}

/** How many loaded rules match the set (`ipset list`'s References, which the kernel counts the same way). */
export function ipsetReferences(ns: NetNs, name: string): number {
  let n = 0;
  for (const table of Object.values(ns.netfilter?.tables ?? {})) {
    for (const chain of table.chains.values()) {
      for (const r of chain.rules) for (const m of r.matches) if (m.kind === 'set' && m.name === name) n++;
    }
  }
  return n;
}

const REVISION: Readonly<Record<string, number>> = {
  'hash:ip': 6, 'hash:ip,port': 7, 'hash:ip,port,ip': 7, 'hash:ip,port,net': 9, 'hash:net': 7, 'hash:net,port': 7, 'bitmap:port': 3,
};

/** Members in the order we print them: addresses numerically, then the rest as text. */
function sortMembers(members: Iterable<string>): string[] {
  const key = (m: string): string => m.replace(/\d+/g, (d) => d.padStart(5, '0'));
  return [...members].sort((a, b) => (key(a) < key(b) ? -1 : key(a) > key(b) ? 1 : 0));
}

/** An approximation of the kernel's "Size in memory" (it depends on the set's internals). */
function sizeInMemory(s: IpSetLike): number {
  if (s.type === 'bitmap:port') return 8264;
  return 392 + 40 * s.members.size;
}

/** The set's header; a set whose name says inet6 (kube-router's) or whose members are IPv6 has family inet6. */
function header(type: string, s?: IpSetLike & { readonly name: string }): string {
  const six = s !== undefined && (s.name.startsWith('inet6:') || [...s.members].some((m) => (m.split(',')[0] ?? '').includes(':')));
  return type === 'bitmap:port' ? 'range 0-65535' : `family ${six ? 'inet6' : 'inet'} hashsize 1024 maxelem 65536`;
}

/**
 * `ipset list [NAME]` output (ipset 7.x). Members print in a stable sorted order (the kernel's
 * is hash order). `references` gives each set's count (see ipsetReferences).
 */
export function formatIpsetList(sets: readonly (IpSetLike & { readonly name: string })[], references: (name: string) => number = () => 0): string {
  const out: string[] = [];
  for (const s of sets) {
    out.push(
      `Name: ${s.name}`,
      `Type: ${s.type}`,
      `Revision: ${REVISION[s.type] ?? 1}`,
      `Header: ${header(s.type, s)}`,
      `Size in memory: ${sizeInMemory(s)}`,
      `References: ${references(s.name)}`,
      `Number of entries: ${s.members.size}`,
      'Members:',
      ...sortMembers(s.members),
    );
    out.push('');
  }
  return `${out.join('\n').replace(/\n$/, '')}\n`;
}

/** `ipset save [NAME]` output: create lines then add lines, as `ipset restore` reads them. */
export function formatIpsetSave(sets: readonly (IpSetLike & { readonly name: string })[]): string {
  const out: string[] = [];
  for (const s of sets) {
    out.push(`create ${s.name} ${s.type} ${header(s.type, s)}`);
    for (const m of [...s.members].sort()) out.push(`add ${s.name} ${m}`);
  }
  return out.length ? `${out.join('\n')}\n` : '';
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
    // An IPv6 address is looked up in a set of family inet6 (kube-router's "inet6:" sets); IPv4 keeps its fast test.
    const inNet = (ip: string, part: string): boolean => (ip.includes(':') ? anyCidrContains(part.includes('/') ? part : `${part}/128`, ip) : ipInCidr(ip, part.includes('/') ? part : `${part}/32`));
    if (parts.every((part, i) => (ds[i] === 'net' ? inNet(values[i]!, part) : part === values[i]))) return true;
  }
  return false;
}
