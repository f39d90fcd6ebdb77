/**
 * The NetfilterEngine the packet walk calls at each hook: the tables in the kernel's priority
 * order, with conntrack and NAT slotted in where nf_conntrack and nf_nat register:
 *
 *   PREROUTING   raw → conntrack → mangle → nat (DNAT)
 *   INPUT        mangle → filter → nat (SNAT) → confirm
 *   FORWARD      mangle → filter
 *   OUTPUT       raw → conntrack → mangle → nat (DNAT) → filter
 *   POSTROUTING  mangle → nat (SNAT) → confirm
 *
 * The nat table is consulted only for a connection's first packet (conntrack NEW): its
 * verdict becomes a binding on the entry, and every later packet — both directions — is
 * rewritten from that binding. A namespace without netfilter state accepts everything.
 */
import { message } from '../i18n/messages';
import { formatIPv4, maskOf, parseIPv4, parsePrefix, prefixContains } from '../addr/ip';
import { formatIPv6, mask6, parseIPv6 } from '../addr/ip6';
import { applyNat, bindDst, bindSrc, type Manip } from '../conntrack/nat';
import { conntrackIn, conntrackOf, deleteEntry, findForPacket, findLoopedBack } from '../conntrack/table';
import type { ConntrackTable, CtEntry, CtRef } from '../conntrack/types';
import type { Packet } from '../net/packet';
import type { NetNs } from '../net/types';
import type { Hook, HookContext, HookEvent, HookVerdict, NetfilterEngine } from './hook';
import { findSet } from './ipset';
import { HOOK_STEPS, type Step } from './steps';
import { baseChains, runBaseChain, type BaseChainRef } from './nft/eval';
import { viewOf, type MatchEnv, type PacketView } from './match';
import { traverse, type NatTarget, type TableOutcome } from './traverse';
import type { CtStateName, NetfilterState, TableName } from './types';

const manipOf = (hook: Hook): Manip => (hook === 'PREROUTING' || hook === 'OUTPUT' ? 'dst' : 'src');

/** A namespace's address of one family (for addrtype LOCAL, MASQUERADE and REDIRECT): IPv4 as a number, IPv6 as a bigint. */
interface LocalAddrOf<T> { readonly ip: T; readonly dev: string; readonly len: number; readonly scope: 'host' | 'link' | 'global' }
type LocalAddr = LocalAddrOf<number>;

/** The namespace's addresses of one family, devices by ifindex. */
function addrsOf<T>(ns: NetNs, family: 4 | 6, parse: (s: string) => T | null): LocalAddrOf<T>[] {
  const out: LocalAddrOf<T>[] = [];
  const links = [...ns.links].sort((x, y) => x.ifindex - y.ifindex);
  for (const l of links) {
    for (const a of l.addrs) {
      if (a.family !== family) continue;
      const v = parse(a.address);
      if (v !== null) out.push({ ip: v, dev: l.name, len: a.prefixLen, scope: a.scope });
    }
  }
  return out;
}

const localAddrs = (ns: NetNs): LocalAddr[] => addrsOf(ns, 4, parseIPv4);
const localAddrs6 = (ns: NetNs): LocalAddrOf<bigint>[] => addrsOf(ns, 6, parseIPv6);

/**
 * The per-hook helpers a rule match may ask for: addrtype LOCAL (the namespace's addresses,
 * gathered on first use) and ipset lookup. Bound methods, not closures made per call.
 */
class NsHelpers {
  private set: Set<number> | null = null;
  private set6: Set<bigint> | null = null;
  readonly isLocal: (ip: number) => boolean;
  readonly isLocal6: (ip: bigint) => boolean;
  readonly findSet: MatchEnv['findSet'];
  constructor(private readonly ns: NetNs) {
    this.isLocal = this.isLocalImpl.bind(this);
    this.isLocal6 = this.isLocal6Impl.bind(this);
    this.findSet = this.findSetImpl.bind(this);
  }

  /** An address of the namespace, ::1, or a /128 `local` route (kube-ipvs0's IPv6 Service addresses). */
  private isLocal6Impl(ip: bigint): boolean {
    if (ip === 1n) return true;
    if (!this.set6) {
      const set = new Set(localAddrs6(this.ns).map((a) => a.ip));
      for (const r of this.ns.routes) {
        if (r.type !== 'local' || r.family !== 6) continue;
        const [a, len] = r.dst.split('/');
        const v = parseIPv6(a ?? '');
        if (v !== null && (len === undefined || len === '128')) set.add(v);
      }
      this.set6 = set;
    }
    return this.set6.has(ip);
  }

  private isLocalImpl(ip: number): boolean {
    if (prefixContains(LOOPBACK, ip)) return true;
    if (!this.set) {
      const set = new Set(localAddrs(this.ns).map((a) => a.ip));
      for (const r of this.ns.routes) {
        if (r.type === 'local' && r.family === 4) {
          const p = parsePrefix(r.dst, true);
          if (p && p.len === 32) set.add(p.base);
        }
      }
      this.set = set;
    }
    return this.set.has(ip);
  }

  private findSetImpl(name: string): ReturnType<MatchEnv['findSet']> {
    return findSet(this.ns, name);
  }
}

const LOOPBACK = parsePrefix('127.0.0.0/8')!;

interface HelpersMemo { readonly gen: number; readonly links: NetNs['links']; readonly linkCount: number; readonly routes: NetNs['routes']; readonly routeCount: number; readonly helpers: NsHelpers }

const helpersMemo = new WeakMap<NetNs, HelpersMemo>();

/**
 * The namespace's helpers, kept while the network's generation, the links and the routes are the
 * ones they were gathered from (every address or route change bumps the generation): a walk asks
 * addrtype LOCAL at most hooks of a node, and the address set need not be rebuilt each time.
 */
function helpersFor(ns: NetNs, gen: number | undefined): NsHelpers {
  if (gen === undefined) return new NsHelpers(ns);
  const m = helpersMemo.get(ns);
  if (m && m.gen === gen && m.links === ns.links && m.linkCount === ns.links.length && m.routes === ns.routes && m.routeCount === ns.routes.length) return m.helpers;
  const helpers = new NsHelpers(ns);
  helpersMemo.set(ns, { gen, links: ns.links, linkCount: ns.links.length, routes: ns.routes, routeCount: ns.routes.length, helpers });
  return helpers;
}

/**
 * MASQUERADE's choice, as inet_select_addr(out, nexthop, RT_SCOPE_UNIVERSE): a global address of
 * the outgoing device, preferring one on the destination's subnet; failing that (lo has only
 * host-scoped 127.0.0.1) the first global address of any device, by ifindex.
 */
function masqAddress(ns: NetNs, dev: string | undefined, dst: number): string | null {
  const all = localAddrs(ns).filter((a) => a.scope === 'global');
  const onDev = all.filter((a) => a.dev === dev);
  const same = onDev.find((a) => prefixContains({ family: 4, base: (a.ip & maskOf(a.len)) >>> 0, len: a.len }, dst));
  const pick = same ?? onDev[0] ?? all[0];
  return pick ? formatIPv4(pick.ip) : null;
}

/**
 * MASQUERADE for IPv6 (nf_nat_masquerade_ipv6: ipv6_dev_get_saddr on the outgoing device): a
 * global address of that device, preferring the longest prefix shared with the destination.
 */
function masqAddress6(ns: NetNs, dev: string | undefined, dst: bigint | undefined): string | null {
  const onDev = localAddrs6(ns).filter((a) => a.scope === 'global' && a.dev === dev);
  if (!onDev.length || dst === undefined) return onDev[0] ? formatIPv6(onDev[0].ip) : null;
  const common = (x: bigint): number => { let n = 0; while (n < 128 && ((x ^ dst) & mask6(n + 1)) === 0n) n++; return n; };
  let best = onDev[0]!;
  for (const a of onDev) if (common(a.ip) > common(best.ip)) best = a;
  return formatIPv6(best.ip);
}

/** REDIRECT in PREROUTING: the first address of the device the packet came in on. */
function firstAddress(ns: NetNs, dev: string | undefined): string | null {
  const a = localAddrs(ns).find((x) => x.dev === dev) ?? localAddrs(ns).find((x) => x.scope === 'global');
  return a ? formatIPv4(a.ip) : null;
}

/** The same for IPv6 (nf_nat_redirect_ipv6: a global address of the incoming device). */
function firstAddress6(ns: NetNs, dev: string | undefined): string | null {
  const all = localAddrs6(ns).filter((x) => x.scope === 'global');
  const a = all.find((x) => x.dev === dev) ?? all[0];
  return a ? formatIPv6(a.ip) : null;
}

/** What -m conntrack sees; a packet with no entry (raw table, or not trackable) is INVALID, as in xt_conntrack. */
function ctStateOf(ref: CtRef | undefined, untracked: boolean): CtStateName {
  return ref ? ref.state : untracked ? 'UNTRACKED' : 'INVALID';
}

/**
 * ICMPv6 that nf_conntrack marks UNTRACKED instead of tracking (icmpv6_error's noct_valid_new):
 * MLD queries, reports and done, router and neighbour solicitations and advertisements, MLDv2 reports.
 */
const NOCT_ICMPV6 = new Set([130, 131, 132, 133, 134, 135, 136, 143]);

const endpoint = (addr: string, port: number | undefined): string => (port === undefined ? addr : addr.includes(':') ? `[${addr}]:${port}` : `${addr}:${port}`);

function dstOf(p: Packet): string { return endpoint(p.ip!.dst, p.tcp?.dport ?? p.udp?.dport); }
function srcOf(p: Packet): string { return endpoint(p.ip!.src, p.tcp?.sport ?? p.udp?.sport); }

export function ctEntryText(e: CtEntry): string {
  const proto = e.orig.proto === 6 ? 'tcp' : e.orig.proto === 17 ? 'udp' : e.orig.proto === 1 ? 'icmp' : e.orig.proto === 58 ? 'icmpv6' : String(e.orig.proto);
  return `${proto} ${endpoint(e.orig.src, e.orig.sport)} → ${endpoint(e.orig.dst, e.orig.dport)} | reply ${endpoint(e.reply.src, e.reply.sport)} → ${endpoint(e.reply.dst, e.reply.dport)}${e.tcp ? ` ${e.tcp}` : ''}`;
}

function runHook(ns: NetNs, hook: Hook, packetIn: Packet, ctx: HookContext, emit: (e: HookEvent) => void): HookVerdict {
  // IPv6 packets traverse ip6tables' own tables (ns.netfilter6) and nf_tables' ip6 and inet tables.
  const v6 = packetIn.ip?.version === 6;
  const state: NetfilterState | undefined = v6 ? ns.netfilter6 : ns.netfilter;
  if (!state || !packetIn.ip) return { verdict: 'accept', packet: packetIn };
  let packet = packetIn;
  let view: PacketView | null = viewOf(packet);
  if (!view) return { verdict: 'accept', packet };
  const failed = state.restoreFailure;
  if (failed && (hook === 'PREROUTING' || (hook === 'OUTPUT' && !ctx.tracked))) {
    // The packet enters a namespace whose rules did not load: say so before it misses them.
    emit({
      type: 'netfilter',
      message: message('event.nf.restoreFailed', { hook, writer: failed.writer, machine: failed.machine, error: failed.error.replace(/^iptables-restore: /, ''), tables: failed.tables, count: failed.tables.length }),
      detail: { hook, restoreFailed: true, writer: failed.writer, machine: failed.machine, line: failed.line, text: failed.text, error: failed.error, tables: failed.tables },
    });
  }
  const nftFailed = ns.nft?.loadFailure;
  if (nftFailed && (hook === 'PREROUTING' || (hook === 'OUTPUT' && !ctx.tracked))) {
    emit({
      type: 'netfilter',
      message: message('event.nf.nftLoadFailed', { hook, writer: nftFailed.writer, machine: nftFailed.machine, line: nftFailed.line, error: nftFailed.error }),
      detail: { hook, restoreFailed: true, nft: true, writer: nftFailed.writer, machine: nftFailed.machine, line: nftFailed.line, text: nftFailed.text, error: nftFailed.error, tables: ['ip kube-proxy'] },
    });
  }
  const ct: ConntrackTable = conntrackOf(ns);
  let ref: CtRef | undefined;
  let entry: CtEntry | undefined;
  if ((hook !== 'PREROUTING' && hook !== 'OUTPUT') || ctx.tracked) {
    if (ctx.ct) { entry = ct.entries.get(ctx.ct.id); ref = entry ? ctx.ct : undefined; }
    if (!entry) {
      const found = findForPacket(ct, packet, ctx.now);
      if (found) { entry = found.entry; ref = found.ref; }
    }
  }
  const helpers = helpersFor(ns, ctx.generation);
  const untracked = v6 && packet.icmp !== undefined && NOCT_ICMPV6.has(packet.icmp.type);
  const nftChains = baseChains(ns.nft, hook, v6 ? 6 : 4);
  let steps: readonly (Step | BaseChainRef)[] = nftChains.length ? withNft(hook, nftChains) : HOOK_STEPS[hook];
  if (hook === 'INPUT' && ctx.split) {
    const at = steps.indexOf('nat');
    steps = ctx.split === 'head' ? steps.slice(0, at) : steps.slice(at);
  }
  for (const step of steps) {
    if (typeof step !== 'string') {
      // An nf_tables filter-type base chain, at its priority among iptables' tables.
      const env = makeEnv(ctx, ref, entry, packet, helpers, state, untracked);
      const o = runBaseChain(step, hook, view!, env, emit);
      packet = markBack(env, packet, entry);
      if (o.kind === 'drop' || o.kind === 'reject') return stopWith(ct, entry, packet, o);
      continue;
    }
    if (step === 'conntrack') {
      // A packet that carries its entry (IPVS sending on what it took at LOCAL_IN) is not looked up again.
      if (ctx.tracked && entry) continue;
      if (untracked) continue;
      if (hook === 'PREROUTING' && ctx.inDev === 'lo') {
        // Looped back: the packet still carries the entry it got in OUTPUT (the kernel keeps
        // skb->_nfct across lo), already translated — find it, do not advance it twice.
        const back = ctx.ct && ct.entries.get(ctx.ct.id) ? { entry: ct.entries.get(ctx.ct.id)!, ref: ctx.ct } : findLoopedBack(ct, packet, ctx.now);
        if (back) { entry = back.entry; ref = back.ref; continue; }
      }
      const r = conntrackIn(ct, packet, ctx.now);
      if (r.kind === 'invalid') {
        emit({ type: 'conntrack', message: message('event.ct.invalid', { reason: r.reason }), detail: { action: 'invalid', reason: r.reason } });
        continue;
      }
      entry = r.entry; ref = r.ref;
      // The entry's line, rendered once for the sentence and the detail.
      const text = ctEntryText(entry);
      if (r.created) emit({ type: 'conntrack', message: message('event.ct.new', { entry: text }), detail: { action: 'new', entry: text, id: entry.id } });
      else emit({ type: 'conntrack', message: message('event.ct.match', { state: ref.state, dir: ref.dir, entry: text }), detail: { action: 'match', dir: ref.dir, state: ref.state, entry: text, id: entry.id } });
      continue;
    }
    if (step === 'confirm') {
      if (entry && !entry.confirmed) {
        entry.confirmed = true;
        const text = ctEntryText(entry);
        emit({ type: 'conntrack', message: message('event.ct.confirm', { entry: text }), detail: { action: 'confirm', entry: text, id: entry.id } });
      }
      continue;
    }
    if (step !== 'nat') {
      const r = runTable(state, step, hook, view!, makeEnv(ctx, ref, entry, packet, helpers, state, untracked), emit, packet, entry);
      packet = r.packet;
      const o = r.outcome;
      if (o.kind === 'drop' || o.kind === 'reject') return stopWith(ct, entry, packet, o);
      continue;
    }
    // nat: only untracked-free, tracked packets; the table runs for the first packet only.
    if (!entry || !ref) continue;
    const manip = manipOf(hook);
    const done = manip === 'dst' ? entry.natDoneDst : entry.natDoneSrc;
    if (ref.dir === 'original' && ref.state === 'NEW' && !done) {
      const r = runTable(state, 'nat', hook, view!, makeEnv(ctx, ref, entry, packet, helpers, state, untracked), emit, packet, entry);
      packet = r.packet;
      let o = r.outcome;
      // nf_nat runs every nat-type chain registered at the hook (iptables' nat table, then
      // nf_tables nat chains by priority) until one sets up a binding.
      for (const b of nftChains) {
        if (o.kind !== 'accept') break;
        if (b.chain.base!.type !== 'nat') continue;
        const env = makeEnv(ctx, ref, entry, packet, helpers, state, untracked);
        o = runBaseChain(b, hook, view!, env, emit);
        packet = markBack(env, packet, entry);
      }
      if (o.kind === 'drop' || o.kind === 'reject') return stopWith(ct, entry, packet, o);
      if (manip === 'dst') entry.natDoneDst = true; else entry.natDoneSrc = true;
      if (o.kind === 'nat') {
        const bound = bind(ns, ct, entry, o.target, hook, view!, ctx);
        if (!bound) return stopWith(ct, entry, packet, { kind: 'drop', reason: `${o.target.kind}: no address or port available (${o.where})` });
        entry.natBy = o.where;
      }
    }
    const before = packet;
    packet = applyNat(packet, entry, ref.dir, manip);
    if (packet !== before) {
      view = viewOf(packet);
      const was = manip === 'dst' ? dstOf(before) : srcOf(before);
      const now = manip === 'dst' ? dstOf(packet) : srcOf(packet);
      if (ref.dir === 'original') {
        const kind = manip === 'dst' ? 'DNAT' : 'SNAT';
        emit({ type: 'nat', message: message('event.nat', { kind, manip, before: was, after: now }), packet, detail: { kind, manip, before: was, after: now, ...(entry.natBy ? { rule: entry.natBy } : {}) } });
      } else {
        const kind = manip === 'dst' ? 'un-SNAT' : 'un-DNAT';
        emit({ type: 'conntrack', message: message('event.ct.unNat', { kind, manip, before: was, after: now }), packet, detail: { action: kind, manip, before: was, after: now, entry: ctEntryText(entry) } });
      }
      if (!view) return { verdict: 'accept', packet, ...(ref ? { ct: ref } : {}) };
    }
  }
  return { verdict: 'accept', packet, ...(ref ? { ct: ref } : {}) };
}

/** What the matches of one table run see: a plain object (no spreads: this runs for every table at every hook). */
function makeEnv(ctx: HookContext, ref: CtRef | undefined, entry: CtEntry | undefined, packet: Packet, helpers: NsHelpers, state: NetfilterState, untracked: boolean): MatchEnv {
  return {
    inDev: ctx.inDev,
    outDev: ctx.outDev,
    physIn: ctx.physIn,
    physOut: ctx.physOut,
    bridged: ctx.bridged ?? false,
    now: ctx.now,
    random: ctx.random,
    ctState: ctStateOf(ref, untracked),
    ctSnat: entry?.srcNat ?? false,
    ctDnat: entry?.dstNat ?? false,
    mark: packet.mark ?? 0,
    ctmark: entry?.mark ?? 0,
    isLocal: helpers.isLocal,
    isLocal6: helpers.isLocal6,
    state,
    findSet: helpers.findSet,
  };
}

/** Priorities of the steps (NF_IP_PRI_*): where an nf_tables base chain slots in. */
function stepPriority(hook: Hook, step: Step): number {
  switch (step) {
    case 'raw': return -300;
    case 'conntrack': return -200;
    case 'mangle': return -150;
    case 'nat': return hook === 'PREROUTING' || hook === 'OUTPUT' ? -100 : 100;
    case 'filter': return 0;
    case 'confirm': return Number.MAX_SAFE_INTEGER;
  }
}

/**
 * The hook's steps with the nf_tables filter-type base chains merged in by priority (after an
 * iptables table of the same priority). nat-type chains run inside the 'nat' step.
 */
function withNft(hook: Hook, chains: readonly BaseChainRef[]): (Step | BaseChainRef)[] {
  const out: (Step | BaseChainRef)[] = [];
  const filters = chains.filter((c) => c.chain.base!.type !== 'nat');
  let k = 0;
  for (const step of HOOK_STEPS[hook]) {
    const p = stepPriority(hook, step);
    while (k < filters.length && filters[k]!.chain.base!.priority < p) out.push(filters[k++]!);
    out.push(step);
  }
  while (k < filters.length) out.push(filters[k++]!);
  return out;
}

/** A mark set by an nft rule rewrites the packet (and the connection's mark). */
function markBack(env: MatchEnv, packet: Packet, entry: CtEntry | undefined): Packet {
  if (entry && env.ctmark !== undefined && (env.ctmark >>> 0) !== ((entry.mark ?? 0) >>> 0)) entry.mark = env.ctmark;
  if ((env.mark >>> 0) === ((packet.mark ?? 0) >>> 0)) return packet;
  if (entry) entry.mark = env.mark;
  return { ...packet, mark: env.mark };
}

/** One table's traversal; a MARK rewrites the packet (and the connection's mark). */
function runTable(state: NetfilterState, name: TableName, hook: Hook, view: PacketView, env: MatchEnv, emit: (e: HookEvent) => void, packet: Packet, entry: CtEntry | undefined): { outcome: TableOutcome; packet: Packet } {
  const ct0 = env.ctmark;
  const r = traverse(state.tables[name], hook, view, env, emit);
  if (entry && env.ctmark !== undefined && env.ctmark !== ct0) entry.mark = env.ctmark;
  if ((env.mark >>> 0) !== ((packet.mark ?? 0) >>> 0)) {
    packet = { ...packet, mark: env.mark };
    if (entry) entry.mark = env.mark;
  }
  return { outcome: r.outcome, packet };
}

function stopWith(ct: ConntrackTable, entry: CtEntry | undefined, packet: Packet, o: Extract<TableOutcome, { kind: 'drop' | 'reject' }>): HookVerdict {
  // An unconfirmed entry dies with its first packet.
  if (entry && !entry.confirmed) deleteEntry(ct, entry.id);
  if (o.kind === 'drop') return { verdict: 'drop', packet, reason: o.reason };
  return { verdict: 'reject', packet, reason: o.reason, reply: o.with };
}

/** Sets up the binding a nat-table target asked for. False when nothing could be allocated. */
function bind(ns: NetNs, ct: ConntrackTable, e: CtEntry, t: NatTarget, hook: Hook, v: PacketView, ctx: HookContext): boolean {
  const origDport = e.orig.dport;
  const pick = (min: number, max: number): number => (min === max ? min : min + Math.floor(ctx.random() * (max - min + 1)));
  const v6 = v.dst6 !== undefined;
  /** The address a NAT range names for this packet's family; `own` when it names ports only. Null: the other family's range. */
  const rangeAddr = (r: NonNullable<Extract<NatTarget, { kind: 'DNAT' | 'SNAT' }>['to']>, own: string): string | null => {
    if (r.min6 !== undefined && r.max6 !== undefined) {
      if (!v6) return null;
      return formatIPv6(r.min6 === r.max6 ? r.min6 : r.min6 + BigInt(Math.floor(ctx.random() * Number(r.max6 - r.min6 + 1n))));
    }
    if (r.minIp === 0 && r.maxIp === 0) return own;
    return v6 ? null : formatIPv4(pick(r.minIp, r.maxIp));
  };
  switch (t.kind) {
    case 'DNAT': {
      if (!t.to) return false;
      const ip = rangeAddr(t.to, e.orig.dst);
      if (ip === null) return false;
      const port = t.to.ports ? pick(t.to.ports.min, t.to.ports.max) : origDport;
      bindDst(ct, e, ip, port);
      break;
    }
    case 'REDIRECT': {
      // PREROUTING: the primary address of the incoming device; OUTPUT: loopback.
      const addr = hook === 'OUTPUT' ? (v6 ? '::1' : '127.0.0.1') : v6 ? firstAddress6(ns, ctx.inDev) : firstAddress(ns, ctx.inDev);
      if (!addr) return false;
      bindDst(ct, e, addr, t.ports ? pick(t.ports.min, t.ports.max) : origDport);
      break;
    }
    case 'SNAT': {
      if (!t.to) return false;
      const ip = rangeAddr(t.to, e.orig.src);
      if (ip === null) return false;
      if (!bindSrc(ct, e, ip, t.to.ports, { randomFully: t.randomFully || t.random, random: ctx.random })) return false;
      break;
    }
    case 'MASQUERADE': {
      const addr = v6 ? masqAddress6(ns, ctx.outDev, v.dst6) : masqAddress(ns, ctx.outDev, v.dst);
      if (!addr) return false;
      if (!bindSrc(ct, e, addr, t.ports, { randomFully: t.randomFully || t.random, random: ctx.random })) return false;
      break;
    }
  }
  return true;
}

export const netfilterEngine: NetfilterEngine = { runHook };
